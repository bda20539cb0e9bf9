// Why a rule fired or not: one turn traced through a playbook, for rule authors (`tact explain`).
//
//   tact::Result<tact::TurnTrace> t = tact::explain_turn(playbook, earlier_turns, turn);
//   t->match.normalized.tokens ...            // the turn as the patterns see it
//   for (const tact::RuleTrace& r : t->rules)  // every rule, fired or not, with each condition
//     if (!r.fired) for (auto& c : r.checks) if (!c.held) std::cout << r.rule << ": " << c.what;
//
// Tracing replays the earlier turns through a fresh session, so conditions on earlier turns,
// signals, intents and stages are judged exactly as `tact guide` would judge them.
#pragma once

#include <string>
#include <vector>

#include "tact/guidance.hpp"
#include "tact/matcher.hpp"
#include "tact/playbook.hpp"
#include "tact/status.hpp"
#include "tact/transcript.hpp"

namespace tact {

/// One condition of a rule and whether it held on the traced turn.
struct ConditionCheck {
  std::string what;  ///< "speaker is agent", "match (不会 | 不可能) NEAR/3 乱扣", "signal anger fired"
  bool held = false;
};

/// One rule on the traced turn. `fired`: a signal or forbidden response was reported, an intent
/// was detected (or already active), a recommendation was made, a required step was taken.
struct RuleTrace {
  std::string rule;
  std::string kind;  ///< "signal", "intent", "forbid", "require", "recommend"
  bool fired = false;
  std::vector<ConditionCheck> checks;
};

struct TurnTrace {
  MatchResult match;             ///< normalised text, tokens, atom hits, pattern matches
  std::vector<std::string> hit_atoms;  ///< per match.atom_hits entry: "phrase 乱扣钱", "regex …"
  std::vector<RuleTrace> rules;  ///< every rule, in the order the session evaluates them
  Guidance guidance;             ///< what the session said after the turn
};

/// Feeds `earlier` to a new session, then traces `turn`. Errors: those of Session::feed.
Result<TurnTrace> explain_turn(const Playbook& playbook, const std::vector<Turn>& earlier,
                               const Turn& turn);

}  // namespace tact

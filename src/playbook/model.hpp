// The compiled playbook: rules as small structs of indices into one Matcher and into the
// session's state arrays. Built by load.cpp, read by the session.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tact/guidance.hpp"
#include "tact/matcher.hpp"
#include "tact/playbook.hpp"
#include "model/text_model_set.hpp"

namespace tact::internal {

constexpr std::int32_t kNone = -1;

/// How far back a remembered event may be: at most `turns` turns before this one, or at most
/// `seconds` between the end of that turn and the start of this one (when both turns have times).
/// Either bound that is set and holds is enough.
struct Window {
  std::int32_t turns = -1;  // -1: not set
  double seconds = -1;      // < 0: not set
};

enum class Position : std::uint8_t { kAny, kFirstAgentTurn, kFirstCustomerTurn };

/// When a rule applies to the current turn. Unset parts always hold.
struct Condition {
  Speaker speaker = Speaker::kUnknown;  // kUnknown: any speaker
  std::int32_t pattern = kNone;         // matcher pattern id that must match this turn
  std::int32_t memory = kNone;          // `after`: a remembered earlier turn...
  Window memory_within;                 // ...this recent
  std::vector<std::int32_t> signals;    // one of these signals fired (none: no condition)...
  Window signal_within;                 // ...this recent (turns 0: this very turn)
  std::int32_t intent = kNone;          // this intent is active
  std::int32_t stage = kNone;           // and this stage (index) is its current one
  Position position = Position::kAny;
};

/// An earlier turn worth remembering: by this speaker (kUnknown: any), matching this pattern.
struct Memory {
  Speaker speaker = Speaker::kUnknown;
  std::int32_t pattern = kNone;
};

struct RuleInfo {
  std::string id;
  std::vector<std::string> tags;
  std::string file;
  std::uint32_t line = 0;
};

// A learned model (index into Playbook::Impl::models) that fires a rule too, where its pattern
// does not match but its other conditions hold, at this probability or more. A rule may have
// several (a Chinese and an English model of one tag): any one of them sure enough fires it.
struct LearnedCue {
  std::int32_t model = kNone;
  double above = 0.5;
};

struct SignalRule {
  RuleInfo info;
  Condition when;
  std::vector<LearnedCue> learned;
  Severity severity = Severity::kInfo;
  std::string message;
  bool report = true;  // false: only other rules' conditions see it, never a finding
  // `fired_by: intent`: no pattern or model of its own; only an intent's `fires` fires it.
  bool intents_only = false;
};

struct ForbidRule {
  RuleInfo info;
  Condition when;
  std::vector<LearnedCue> learned;
  Severity severity = Severity::kMajor;
  std::string reason;
  std::string instead;
};

struct RequireRule {
  enum class By : std::uint8_t { kFirstAgentTurn, kEnd, kAfter };
  RuleInfo info;
  By by = By::kAfter;
  Speaker speaker = Speaker::kAgent;
  std::int32_t pattern = kNone;         // what the step sounds like
  std::int32_t agent_turns = 2;         // kEnd: among the last N agent turns; kAfter: within N
  bool once = false;                    // kAfter: once answered, later triggers are ignored
  std::int32_t trigger_memory = kNone;  // kAfter: a remembered turn...
  std::vector<std::int32_t> trigger_signals;  // ...or one of these signals opens the obligation
  std::int32_t intent = kNone;          // only in calls where this intent was detected
  Severity severity = Severity::kMajor;
  std::string message;
};

struct RecommendRule {
  RuleInfo info;
  Condition when;
  std::string say;
  std::int32_t done_pattern = kNone;  // once an agent turn matches it, never recommended again
  std::int32_t said_flag = kNone;     // index into the session's said flags
};

struct Stage {
  std::string id;
  std::int32_t done_pattern = kNone;
  std::vector<RecommendRule> recommend;
};

struct Intent {
  RuleInfo info;
  Condition detect;
  std::vector<LearnedCue> learned;  // `detect: {model: …}`: a customer turn a model is sure of
  std::int32_t fires = kNone;  // a signal that fires on the turn the intent is detected
  // Not detected while one of these is active, detected on the same turn included (an
  // investment's money wanted back is the loss complaint's question, not a refund).
  std::vector<std::int32_t> yields_to;
  std::vector<Stage> stages;
};

}  // namespace tact::internal

namespace tact {

struct Playbook::Impl {
  std::optional<Matcher> matcher;
  std::uint32_t agent_subset = 0;     // matcher subsets: the patterns agent turns need,
  std::uint32_t customer_subset = 0;  // and those customer turns need (0: every pattern)
  std::vector<internal::Memory> memories;
  std::vector<internal::SignalRule> signals;
  std::vector<internal::Intent> intents;
  std::vector<internal::ForbidRule> forbids;
  std::vector<internal::RequireRule> requirements;
  std::vector<internal::RecommendRule> recommends;  // reactive, in file order
  std::int32_t said_flags = 0;                      // recommendations with a done pattern
  SpeakerLabels labels;
  Lexicons lexicons;
  internal::TextModelSet models;
};

}  // namespace tact

// Session::feed: match the turn once against the playbook's matcher, then walk the rule tables
// with the session's small state (when each remembered condition and signal last held, each
// intent's stage, which recommendations were said, the state of each required step).
#include "tact/session.hpp"

#include <unicode/utf8.h>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "common/utf8.hpp"
#include "playbook/model.hpp"
#include "tact/explain.hpp"

namespace tact {

using namespace internal;

namespace {

struct Seen {
  std::int32_t turn = -1;
  double end = -1;  // < 0: unknown
};

struct Obligation {
  bool satisfied = false;        // kFirstAgentTurn
  std::int32_t last_match = -1;  // kEnd: agent-turn index of the last match; kAfter: agent
                                 // turns so far when the step was last taken
  bool pending = false;          // kAfter: triggered, not yet done
  bool answered = false;         // kAfter: a trigger was answered in time (for `once`)
  std::int32_t deadline = 0;     // kAfter: agent-turn index it must be done before
  std::uint32_t missed = 0;      // kAfter: deadlines passed
};

// Per-thread matching state: sessions are many and small, scratch space is per thread.
struct ThreadScratch {
  std::optional<Matcher::Scratch> scratch;
  MatchResult result;
  std::vector<std::uint32_t> match_index;  // per pattern: index+1 into result.matches this turn
  std::vector<std::uint32_t> match_epoch;
  std::uint32_t epoch = 0;
  internal::TextModelSet::Scratch models;  // the turn as the playbook's models read it
};

ThreadScratch& thread_scratch() {
  thread_local ThreadScratch t;
  return t;
}

int penalty(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return 0;
    case Severity::kMinor:
      return 5;
    case Severity::kMajor:
      return 10;
    case Severity::kCritical:
      return 20;
  }
  return 0;
}

}  // namespace

struct Session::State {
  std::shared_ptr<const Playbook::Impl> pb;
  std::uint32_t turns = 0;
  std::int32_t agent_turns = 0;
  std::int32_t customer_turns = 0;
  bool finished = false;
  std::vector<Seen> memories;
  std::vector<Seen> signals;
  std::vector<std::int32_t> stage;      // per intent; -1 until detected
  std::vector<std::int32_t> detected;   // intents in detection order
  std::vector<std::uint8_t> said;       // per recommendation with a done pattern
  std::vector<Obligation> obligations;  // per required step
  std::vector<Finding> findings;        // for the call report
};

Session::Session(std::unique_ptr<State> state) : state_(std::move(state)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

Session Playbook::start_session() const {
  auto st = std::make_unique<Session::State>();
  st->pb = impl_;
  st->memories.resize(impl_->memories.size());
  st->signals.resize(impl_->signals.size());
  st->stage.assign(impl_->intents.size(), -1);
  st->said.assign(static_cast<std::size_t>(impl_->said_flags), 0);
  st->obligations.resize(impl_->requirements.size());
  return Session(std::move(st));
}

namespace {

// Everything rule evaluation needs to know about the current turn.
class TurnView {
 public:
  TurnView(const Turn& t, std::uint32_t index, std::int32_t agent_index,
           std::int32_t customer_index, const ThreadScratch& ts)
      : turn(t), index(index), agent_index(agent_index), customer_index(customer_index), ts_(ts) {}

  const PatternMatch* match(std::int32_t pattern) const {
    if (pattern < 0) return nullptr;
    const auto p = static_cast<std::size_t>(pattern);
    if (ts_.match_epoch[p] != ts_.epoch) return nullptr;
    return &ts_.result.matches[ts_.match_index[p] - 1];
  }
  bool matched(std::int32_t pattern) const { return match(pattern) != nullptr; }

  bool recent(const Seen& s, const Window& w) const {
    if (s.turn < 0) return false;
    if (w.turns < 0 && w.seconds < 0) return true;  // any time earlier in the call
    if (w.turns >= 0 && static_cast<std::int64_t>(index) - s.turn <= w.turns) return true;
    return w.seconds >= 0 && turn.start && s.end >= 0 && *turn.start - s.end <= w.seconds;
  }

  // Where the rule's pattern first matched, and the matched text. (A pattern may match in
  // several places; a finding reports the first.)
  void locate(std::int32_t pattern, Finding& f) const {
    const PatternMatch* m = match(pattern);
    if (m == nullptr || m->span_count == 0) return;
    f.span = ts_.result.spans_of(*m).front();
    f.evidence = code_point_slice(turn.text, f.span->begin, f.span->end);
  }

  const Turn& turn;
  std::uint32_t index;
  std::int32_t agent_index;     // this turn's index among agent turns, or -1
  std::int32_t customer_index;  // this turn's index among customer turns, or -1

 private:
  const ThreadScratch& ts_;
};

// Whether one of `which` signals fired within the window.
bool any_recent(const std::vector<std::int32_t>& which, const std::vector<Seen>& signals,
                const TurnView& v, const Window& within) {
  for (std::int32_t s : which) {
    if (v.recent(signals[static_cast<std::size_t>(s)], within)) return true;
  }
  return false;
}

// `check_pattern` false: every condition but the pattern (a signal's model may stand in for it).
bool holds(const Condition& c, const TurnView& v, const std::vector<Seen>& memories,
           const std::vector<Seen>& signals, const std::vector<std::int32_t>& stage,
           bool check_pattern = true) {
  if (c.speaker != Speaker::kUnknown && c.speaker != v.turn.speaker) return false;
  if (check_pattern && c.pattern != kNone && !v.matched(c.pattern)) return false;
  if (c.intent != kNone && stage[static_cast<std::size_t>(c.intent)] < 0) return false;
  if (c.stage != kNone && stage[static_cast<std::size_t>(c.intent)] != c.stage) return false;
  if (c.position == Position::kFirstAgentTurn && v.agent_index != 0) return false;
  if (c.position == Position::kFirstCustomerTurn && v.customer_index != 0) return false;
  if (c.memory != kNone && !v.recent(memories[static_cast<std::size_t>(c.memory)], c.memory_within))
    return false;
  if (!c.signals.empty() && !any_recent(c.signals, signals, v, c.signal_within)) return false;
  return true;
}

Finding finding(FindingKind kind, const RuleInfo& info, Severity severity, const TurnView* v) {
  Finding f;
  f.kind = kind;
  f.rule = info.id;
  f.tags = info.tags;
  f.severity = severity;
  if (v) {
    f.turn = v->index;
    f.speaker = v->turn.speaker;
  }
  return f;
}

}  // namespace

Result<Guidance> Session::feed(const Turn& turn) {
  Guidance g;
  if (Status s = feed(turn, g); !s.ok()) return s;
  return g;
}

namespace {

// Overwrites element `n` of `v` (reusing its buffers) or appends; the caller trims to the count.
template <typename T, typename Fill>
void put(std::vector<T>& v, std::size_t& n, Fill fill) {
  if (n == v.size()) v.emplace_back();
  fill(v[n++]);
}

}  // namespace

Status Session::feed(const Turn& turn, Guidance& g) { return feed(turn, &g, nullptr); }

Status Session::observe(const Turn& turn) { return feed(turn, nullptr, nullptr); }

namespace {

// Tracing for `tact explain`: each part of a condition, described and checked on its own.
std::string describe_window(const Window& w) {
  if (w.turns < 0 && w.seconds < 0) return "any time earlier";
  std::string out;
  if (w.turns >= 0) out = "within " + std::to_string(w.turns) + (w.turns == 1 ? " turn" : " turns");
  if (w.seconds >= 0) {
    if (!out.empty()) out += " or ";
    out += "within " + std::to_string(static_cast<long long>(w.seconds)) + " s";
  }
  return out;
}

std::string pattern_text(const Playbook::Impl& pb, std::int32_t pattern) {
  return pb.matcher->pattern(static_cast<std::uint32_t>(pattern)).source();
}

void check_condition(const Condition& c, const TurnView& v, const Session::State& st,
                     const Playbook::Impl& pb, std::vector<ConditionCheck>& out);

RuleTrace* add_trace(TurnTrace& trace, const RuleInfo& info, const char* kind, bool fired,
                     const Condition* c, const TurnView& v, const Session::State& st,
                     const Playbook::Impl& pb) {
  RuleTrace& r = trace.rules.emplace_back();
  r.rule = info.id;
  r.kind = kind;
  r.fired = fired;
  if (c) check_condition(*c, v, st, pb, r.checks);
  return &r;
}

}  // namespace

// `g` null: observe() — findings go straight to the call report and no recommendations are
// built (the session's state advances the same).
Status Session::feed(const Turn& turn, Guidance* g, TurnTrace* trace) {
  State& st = *state_;
  if (st.finished) return Status(ErrorCode::kInvalidArgument, "feed() after finish()");
  const Playbook::Impl& pb = *st.pb;

  const Matcher& matcher = *pb.matcher;

  ThreadScratch& ts = thread_scratch();
  if (!ts.scratch || !matcher.owns(*ts.scratch)) {
    Result<Matcher::Scratch> s = matcher.make_scratch();
    if (!s.ok()) return s.status();
    ts.scratch.emplace(std::move(*s));
    ts.match_index.assign(matcher.size(), 0);
    ts.match_epoch.assign(matcher.size(), 0);
    ts.epoch = 0;
  }
  const std::uint32_t index = st.turns++;
  const bool agent = turn.speaker == Speaker::kAgent;
  const bool customer = turn.speaker == Speaker::kCustomer;
  const std::int32_t agent_index = agent ? st.agent_turns++ : -1;
  const std::int32_t customer_index = customer ? st.customer_turns++ : -1;
  // Only the patterns this speaker's turn can make a difference to; a trace shows every
  // condition checked, so it needs them all.
  const std::uint32_t subset = trace ? 0
                               : agent  ? pb.agent_subset
                               : customer ? pb.customer_subset
                                          : 0;
  if (Status s = matcher.match(turn.text, *ts.scratch, ts.result, subset); !s.ok()) return s;
  if (++ts.epoch == 0) {
    std::fill(ts.match_epoch.begin(), ts.match_epoch.end(), 0);
    ts.epoch = 1;
  }
  for (std::size_t i = 0; i < ts.result.matches.size(); ++i) {
    const std::uint32_t p = ts.result.matches[i].pattern;
    ts.match_epoch[p] = ts.epoch;
    ts.match_index[p] = static_cast<std::uint32_t>(i + 1);
  }
  const TurnView v(turn, index, agent_index, customer_index, ts);
  const double end = turn.end ? *turn.end : (turn.start ? *turn.start : -1);

  if (g) {
    g->turn = index;
    g->speaker = turn.speaker;
    g->findings.clear();
    g->stage.clear();
  }
  std::vector<Finding>& findings = g ? g->findings : st.findings;
  std::size_t recommendations = 0, intents = 0;
  auto recommend = [&](const RecommendRule& r) {
    put(g->recommendations, recommendations, [&](Recommendation& out) {
      out.rule = r.info.id;
      out.text = r.say;
      out.tags = r.info.tags;
    });
  };

  // Kept small so that it inlines: without a trace (every turn but `tact explain`'s) it is one
  // test.
  auto traced = [&](const RuleInfo& info, const char* kind, bool fired, const Condition* c)
                    __attribute__((always_inline))
                        ->RuleTrace* {
    return trace ? add_trace(*trace, info, kind, fired, c, v, st, pb) : nullptr;
  };

  // Whether a rule with learned cues fires: its conditions with its pattern, or its conditions
  // without the pattern and one of its models sure enough (`learned`: that model's score). The
  // models are consulted only where the pattern did not decide: they cost a pass over the turn,
  // which is read once however many models score it.
  bool view_read = false;
  auto score = [&](const LearnedCue& cue) {
    if (!view_read) {
      pb.models.read(turn.text, ts.models);
      view_read = true;
    }
    return pb.models.score(static_cast<std::size_t>(cue.model), ts.models);
  };
  auto fires_with = [&](const Condition& when, const std::vector<LearnedCue>& cues,
                        std::optional<TextModel::Score>& learned) {
    if (cues.empty() || when.pattern != kNone) {
      if (holds(when, v, st.memories, st.signals, st.stage)) return true;
      if (cues.empty()) return false;
    }
    if (!holds(when, v, st.memories, st.signals, st.stage, false)) return false;
    for (const LearnedCue& cue : cues) {
      learned = score(cue);
      if (learned->probability >= cue.above) return true;
    }
    return false;
  };
  // For `tact explain`: every model's score, where the other conditions let it count.
  auto trace_cues = [&](RuleTrace* t, const Condition& when, const std::vector<LearnedCue>& cues) {
    if (t == nullptr || cues.empty()) return;
    const bool scored = holds(when, v, st.memories, st.signals, st.stage, false);
    for (const LearnedCue& cue : cues) {
      std::optional<TextModel::Score> s;
      if (scored) s = score(cue);
      const std::size_t m = static_cast<std::size_t>(cue.model);
      std::string check = "or model " + pb.models[m].id();
      if (!s) {
        check += " not scored (the other conditions do not hold)";
      } else if (!pb.models.reads(m, ts.models)) {
        check += " does not read this turn (its script, or too few letters)";
      } else {
        char says[64];
        std::snprintf(says, sizeof says, " scores %.3f (fires at %.2f or more)", s->probability,
                      cue.above);
        check += says;
      }
      t->checks.push_back({std::move(check), s && s->probability >= cue.above});
    }
  };
  // Evidence: the pattern's match, or else the n-gram that raised the model's score most.
  auto locate = [&](const Condition& when, const std::optional<TextModel::Score>& learned,
                    Finding& f) {
    v.locate(when.pattern, f);
    if (!f.span && learned && learned->end > learned->begin) {
      f.span = Span{learned->begin, learned->end};
      f.evidence = code_point_slice(turn.text, learned->begin, learned->end);
    }
  };

  // Signals first: other rules may ask whether one fired on this very turn.
  for (std::size_t i = 0; i < pb.signals.size(); ++i) {
    const SignalRule& r = pb.signals[i];
    if (r.intents_only) continue;  // fired below, by the intents that name it
    std::optional<TextModel::Score> learned;
    const bool fires = fires_with(r.when, r.learned, learned);
    trace_cues(traced(r.info, "signal", fires, &r.when), r.when, r.learned);
    if (!fires) continue;
    st.signals[i] = {static_cast<std::int32_t>(index), end};
    if (!r.report) continue;
    Finding f = finding(FindingKind::kSignal, r.info, r.severity, &v);
    f.message = r.message;
    locate(r.when, learned, f);
    findings.push_back(std::move(f));
  }

  // Intents that yield to others (`yields_to`) come after all the rest, so that what they yield
  // to is already detected if this turn detects it.
  auto yielded = [&](const Intent& intent) {
    return std::any_of(intent.yields_to.begin(), intent.yields_to.end(),
                       [&](std::int32_t y) { return st.stage[static_cast<std::size_t>(y)] >= 0; });
  };
  for (std::size_t n = 0; n < 2 * pb.intents.size(); ++n) {
    const std::size_t i = n % pb.intents.size();
    const Intent& intent = pb.intents[i];
    if (intent.yields_to.empty() != (n < pb.intents.size())) continue;
    const bool active = st.stage[i] >= 0;
    const bool yields = !active && yielded(intent);
    std::optional<TextModel::Score> learned;
    const bool detected = !active && !yields && fires_with(intent.detect, intent.learned, learned);
    if (detected) {
      st.stage[i] = 0;
      st.detected.push_back(static_cast<std::int32_t>(i));
      // `fires`: the signal holds from this turn for conditions and required steps (a finding
      // only when its own pattern matched, above).
      if (const std::int32_t fired = intent.fires; fired != kNone)
        st.signals[static_cast<std::size_t>(fired)] = {static_cast<std::int32_t>(index), end};
    }
    if (RuleTrace* t = traced(intent.info, "intent", st.stage[i] >= 0, &intent.detect)) {
      t->checks.insert(t->checks.begin(), {"not already active", !active});
      if (!intent.yields_to.empty())
        t->checks.insert(t->checks.begin() + 1,
                         {"no intent it yields to is active", !yielded(intent)});
      if (!active) trace_cues(t, intent.detect, intent.learned);
      if (const std::int32_t fired = intent.fires; fired != kNone)
        t->checks.push_back({"detected now, so it fires signal " +
                                 pb.signals[static_cast<std::size_t>(fired)].info.id,
                             detected});
    }
  }
  if (trace) {  // a signal fired_by intent: traced once the intents have had their turn
    for (std::size_t i = 0; i < pb.signals.size(); ++i) {
      if (!pb.signals[i].intents_only) continue;
      const bool fired = st.signals[i].turn == static_cast<std::int32_t>(index);
      traced(pb.signals[i].info, "signal", fired, nullptr)
          ->checks.push_back({"an intent that fires it was detected on this turn", fired});
    }
  }
  // A stage is done when the agent says what completes it; the agent may skip ahead, completing
  // a later stage and every one before it.
  if (agent) {
    for (std::int32_t i : st.detected) {
      const auto& stages = pb.intents[static_cast<std::size_t>(i)].stages;
      for (auto k = static_cast<std::size_t>(st.stage[static_cast<std::size_t>(i)]);
           k < stages.size(); ++k) {
        if (v.matched(stages[k].done_pattern))
          st.stage[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(k + 1);
      }
    }
  }

  // One violation per set of tags and turn: when a general rule and an intent's own rule say
  // the same thing about the same words, the intent's (more specific reason and advice) stays.
  const std::size_t first_violation = findings.size();
  std::uint64_t intent_scoped = 0;  // bit k: violation first_violation + k is an intent's rule
  auto mark_scope = [&](std::size_t at, bool scoped) {
    const std::size_t k = at - first_violation;
    if (k >= 64) return;
    const std::uint64_t bit = std::uint64_t{1} << k;
    intent_scoped = scoped ? intent_scoped | bit : intent_scoped & ~bit;
  };
  for (const ForbidRule& r : pb.forbids) {
    std::optional<TextModel::Score> learned;
    const bool fires = fires_with(r.when, r.learned, learned);
    trace_cues(traced(r.info, "forbid", fires, &r.when), r.when, r.learned);
    if (!fires) continue;
    Finding f = finding(FindingKind::kViolation, r.info, r.severity, &v);
    f.message = r.reason;
    f.instead = r.instead;
    locate(r.when, learned, f);
    const auto same =
        std::find_if(findings.begin() + static_cast<std::ptrdiff_t>(first_violation),
                     findings.end(), [&](const Finding& other) { return other.tags == f.tags; });
    const bool scoped = r.when.intent != kNone;
    if (same == findings.end()) {
      mark_scope(findings.size(), scoped);
      findings.push_back(std::move(f));
    } else {
      const auto at = static_cast<std::size_t>(same - findings.begin());
      const std::size_t k = at - first_violation;
      const bool same_is_scoped = k < 64 && (intent_scoped >> k & 1);
      if (scoped && !same_is_scoped) {
        *same = std::move(f);
        mark_scope(at, true);
      }
    }
  }

  for (std::size_t k = 0; k < pb.requirements.size(); ++k) {
    const RequireRule& r = pb.requirements[k];
    Obligation& o = st.obligations[k];
    const bool intent_active = r.intent == kNone || st.stage[static_cast<std::size_t>(r.intent)] >= 0;
    const bool by_speaker = r.speaker == Speaker::kUnknown || r.speaker == turn.speaker;
    const bool done = intent_active && by_speaker && v.matched(r.pattern);
    if (RuleTrace* t = traced(r.info, "require", done, nullptr)) {
      if (r.intent != kNone)
        t->checks.push_back({"intent " + pb.intents[static_cast<std::size_t>(r.intent)].info.id +
                                 " is active",
                             intent_active});
      t->checks.push_back({std::string("speaker is ") + speaker_name(r.speaker), by_speaker});
      t->checks.push_back({"match " + pattern_text(pb, r.pattern), v.matched(r.pattern)});
      if (r.by == RequireRule::By::kFirstAgentTurn)
        t->checks.push_back({"due in the agent's first turn", agent_index == 0});
      else if (r.by == RequireRule::By::kEnd)
        t->checks.push_back({"due in the last " + std::to_string(r.agent_turns) +
                                 " agent turns (checked when the call ends)",
                             true});
      else
        t->checks.push_back({"due: opened by an earlier trigger and not yet taken", o.pending});
    }
    if (!intent_active) continue;
    switch (r.by) {
      case RequireRule::By::kFirstAgentTurn:
        if (agent_index == 0) o.satisfied = done;
        break;
      case RequireRule::By::kEnd:
        if (done && agent) o.last_match = agent_index;
        break;
      case RequireRule::By::kAfter: {
        bool triggered = false;
        for (std::int32_t s : r.trigger_signals)
          triggered |=
              st.signals[static_cast<std::size_t>(s)].turn == static_cast<std::int32_t>(index);
        if (r.trigger_memory != kNone) {
          const Memory& m = pb.memories[static_cast<std::size_t>(r.trigger_memory)];
          triggered =
              (m.speaker == Speaker::kUnknown || m.speaker == turn.speaker) && v.matched(m.pattern);
        }
        if (done) o.last_match = st.agent_turns;
        // The step taken in the agent's latest turn already answers the trigger (an apology
        // just before the customer repeats the complaint).
        const bool recently_done = o.last_match >= 0 && o.last_match == st.agent_turns;
        if (triggered && !o.pending && !recently_done && !(r.once && o.answered)) {
          o.pending = true;
          o.deadline = st.agent_turns - (agent ? 1 : 0) + r.agent_turns;
        }
        if (o.pending && done) {
          o.pending = false;
          o.answered = true;
        } else if (o.pending && agent && agent_index + 1 >= o.deadline) {
          o.pending = false;
          ++o.missed;
        }
        break;
      }
    }
  }

  // Recommendations: what was said is not recommended again; reactive ones rank first.
  auto said = [&](const RecommendRule& r) {
    if (r.said_flag == kNone) return false;
    auto& flag = st.said[static_cast<std::size_t>(r.said_flag)];
    if (agent && v.matched(r.done_pattern)) flag = 1;
    return flag != 0;
  };
  for (const RecommendRule& r : pb.recommends) {
    const bool was_said = said(r);
    const bool fires = g && !was_said && holds(r.when, v, st.memories, st.signals, st.stage);
    if (fires) recommend(r);
    if (RuleTrace* t = traced(r.info, "recommend", fires, &r.when))
      t->checks.push_back({"not said yet (done_when)", !was_said});
  }
  for (std::int32_t i : st.detected) {
    const Intent& in = pb.intents[static_cast<std::size_t>(i)];
    const auto current = static_cast<std::size_t>(st.stage[static_cast<std::size_t>(i)]);
    for (std::size_t k = 0; k < in.stages.size(); ++k) {
      for (const RecommendRule& r : in.stages[k].recommend) {
        const bool was_said = said(r);
        if (g && !was_said && k == current) recommend(r);
        if (RuleTrace* t = traced(r.info, "recommend", !was_said && k == current, nullptr)) {
          t->checks.push_back({"stage " + in.stages[k].id + " of " + in.info.id + " is current",
                               k == current});
          t->checks.push_back({"not said yet (done_when)", !was_said});
        }
      }
    }
    if (g) put(g->intents, intents, [&](std::string& out) { out = in.info.id; });
  }
  if (g) {
    g->recommendations.resize(recommendations);
    g->intents.resize(intents);
  }
  if (g && !st.detected.empty()) {
    const Intent& first = pb.intents[static_cast<std::size_t>(st.detected.front())];
    const auto current =
        static_cast<std::size_t>(st.stage[static_cast<std::size_t>(st.detected.front())]);
    if (current < first.stages.size()) g->stage = first.stages[current].id;
  }

  // Remember this turn for `after` conditions of later turns.
  for (std::size_t i = 0; i < pb.memories.size(); ++i) {
    const Memory& m = pb.memories[i];
    if ((m.speaker == Speaker::kUnknown || m.speaker == turn.speaker) && v.matched(m.pattern)) {
      st.memories[i] = {static_cast<std::int32_t>(index), end};
    }
  }
  if (g) st.findings.insert(st.findings.end(), g->findings.begin(), g->findings.end());
  return Status();
}

namespace {

void check_condition(const Condition& c, const TurnView& v, const Session::State& st,
                     const Playbook::Impl& pb, std::vector<ConditionCheck>& out) {
  if (c.speaker != Speaker::kUnknown)
    out.push_back({std::string("speaker is ") + speaker_name(c.speaker),
                   c.speaker == v.turn.speaker});
  if (c.pattern != kNone) out.push_back({"match " + pattern_text(pb, c.pattern), v.matched(c.pattern)});
  if (c.intent != kNone) {
    const auto i = static_cast<std::size_t>(c.intent);
    out.push_back({"intent " + pb.intents[i].info.id + " is active", st.stage[i] >= 0});
    if (c.stage != kNone) {
      const auto& stages = pb.intents[i].stages;
      const std::string name = static_cast<std::size_t>(c.stage) < stages.size()
                                   ? stages[static_cast<std::size_t>(c.stage)].id
                                   : std::to_string(c.stage);
      out.push_back({"stage " + name + " is current", st.stage[i] == c.stage});
    }
  }
  if (c.position == Position::kFirstAgentTurn)
    out.push_back({"the agent's first turn", v.agent_index == 0});
  if (c.position == Position::kFirstCustomerTurn)
    out.push_back({"the customer's first turn", v.customer_index == 0});
  if (c.memory != kNone) {
    const Memory& m = pb.memories[static_cast<std::size_t>(c.memory)];
    std::string what = "after: an earlier ";
    what += m.speaker == Speaker::kUnknown ? "" : std::string(speaker_name(m.speaker)) + " ";
    what += "turn matching " + pattern_text(pb, m.pattern) + ", " + describe_window(c.memory_within);
    out.push_back({what, v.recent(st.memories[static_cast<std::size_t>(c.memory)], c.memory_within)});
  }
  if (!c.signals.empty()) {
    std::string which;
    for (std::int32_t s : c.signals) {
      if (!which.empty()) which += " or ";
      which += pb.signals[static_cast<std::size_t>(s)].info.id;
    }
    const std::string when = c.signal_within.turns == 0 ? "on this turn"
                                                        : describe_window(c.signal_within);
    out.push_back({"signal " + which + " fired " + when,
                   any_recent(c.signals, st.signals, v, c.signal_within)});
  }
}

}  // namespace

Result<TurnTrace> explain_turn(const Playbook& playbook, const std::vector<Turn>& earlier,
                               const Turn& turn) {
  Session session = playbook.start_session();
  Guidance g;
  for (const Turn& t : earlier) {
    if (Status s = session.feed(t, g); !s.ok()) return s;
  }
  TurnTrace trace;
  if (Status s = session.feed(turn, &trace.guidance, &trace); !s.ok()) return s;
  trace.match = thread_scratch().result;
  for (const AtomHit& h : trace.match.atom_hits)
    trace.hit_atoms.push_back(playbook.impl_->matcher->describe_atom(h.atom));
  return trace;
}

Result<CallReport> Session::finish() {
  State& st = *state_;
  if (st.finished) return Status(ErrorCode::kInvalidArgument, "finish() called twice");
  st.finished = true;
  const Playbook::Impl& pb = *st.pb;
  CallReport report;
  report.findings = std::move(st.findings);
  for (std::size_t k = 0; k < pb.requirements.size(); ++k) {
    const RequireRule& r = pb.requirements[k];
    const Obligation& o = st.obligations[k];
    if (r.intent != kNone && st.stage[static_cast<std::size_t>(r.intent)] < 0) continue;
    std::uint32_t missing = 0;
    switch (r.by) {
      case RequireRule::By::kFirstAgentTurn:
        missing = o.satisfied ? 0 : 1;
        break;
      case RequireRule::By::kEnd:
        missing = (o.last_match < 0 || st.agent_turns - 1 - o.last_match >= r.agent_turns) ? 1 : 0;
        break;
      case RequireRule::By::kAfter:
        // Once per rule: a step missed again later adds no information without a turn.
        missing = (o.missed > 0 || o.pending) ? 1 : 0;
        break;
    }
    for (std::uint32_t i = 0; i < missing; ++i) {
      Finding f = finding(FindingKind::kMissing, r.info, r.severity, nullptr);
      f.speaker = r.speaker;
      f.message = r.message;
      report.findings.push_back(std::move(f));
    }
  }
  for (std::int32_t i : st.detected)
    report.intents.push_back(pb.intents[static_cast<std::size_t>(i)].info.id);
  int score = 100;
  for (const Finding& f : report.findings) {
    if (f.kind != FindingKind::kSignal) score -= penalty(f.severity);
  }
  report.score = std::max(score, 0);
  return report;
}

const char* finding_kind_name(FindingKind k) {
  switch (k) {
    case FindingKind::kViolation:
      return "violation";
    case FindingKind::kMissing:
      return "missing";
    case FindingKind::kSignal:
      return "signal";
  }
  return "?";
}

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kMinor:
      return "minor";
    case Severity::kMajor:
      return "major";
    case Severity::kCritical:
      return "critical";
  }
  return "?";
}

}  // namespace tact

// Which patterns a turn of each speaker can make a difference to: a rule that only applies to
// agent turns never needs its pattern matched on a customer's turn. The session matches each
// turn against its speaker's subset only, which skips most of the scanning and evaluation.
#include "playbook/relevance.hpp"

#include <algorithm>

namespace tact::internal {
namespace {

class Collector {
 public:
  explicit Collector(std::size_t patterns) : agent_(patterns, false), customer_(patterns, false) {}

  // `pattern` matters on turns of `speaker` (kUnknown: of anyone).
  void use(std::int32_t pattern, Speaker speaker) {
    if (pattern == kNone) return;
    const auto p = static_cast<std::size_t>(pattern);
    if (speaker != Speaker::kCustomer) agent_[p] = true;
    if (speaker != Speaker::kAgent) customer_[p] = true;
  }
  void use(const Condition& c) { use(c.pattern, c.speaker); }

  SpeakerSubsets take() const { return {ids(agent_), ids(customer_)}; }

 private:
  static std::vector<std::uint32_t> ids(const std::vector<bool>& wanted) {
    std::vector<std::uint32_t> out;
    for (std::size_t p = 0; p < wanted.size(); ++p) {
      if (wanted[p]) out.push_back(static_cast<std::uint32_t>(p));
    }
    return out;
  }
  std::vector<bool> agent_;
  std::vector<bool> customer_;
};

}  // namespace

// Mirrors where Session::feed reads a pattern: conditions on the rule's speaker, stage and
// "said" checks on agent turns only, required steps on their speaker, memories on theirs.
SpeakerSubsets speaker_subsets(const Playbook::Impl& pb, std::size_t patterns) {
  Collector c(patterns);
  for (const Memory& m : pb.memories) c.use(m.pattern, m.speaker);
  for (const SignalRule& r : pb.signals) c.use(r.when);
  for (const ForbidRule& r : pb.forbids) c.use(r.when);
  for (const RequireRule& r : pb.requirements) c.use(r.pattern, r.speaker);
  for (const RecommendRule& r : pb.recommends) {
    c.use(r.when);
    c.use(r.done_pattern, Speaker::kAgent);
  }
  for (const Intent& in : pb.intents) {
    c.use(in.detect);
    for (const Stage& s : in.stages) {
      c.use(s.done_pattern, Speaker::kAgent);
      for (const RecommendRule& r : s.recommend) {
        c.use(r.when);
        c.use(r.done_pattern, Speaker::kAgent);
      }
    }
  }
  return c.take();
}

}  // namespace tact::internal

#include "tact/explain.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using tact::ConditionCheck;
using tact::RuleTrace;
using tact::Speaker;
using tact::Turn;

const tact::Playbook& playbook() {
  static const tact::Playbook pb = [] {
    tact::Result<tact::Playbook> r = tact::Playbook::parse({{"t.yaml", R"(tact: 1
id: t
signals:
  - {id: anger, match: 太过分, tags: [anger]}
forbid:
  - {id: calm, match: 别生气, tags: [dismiss_emotion]}
  - {id: yes_after, match: 是呀, after: {speaker: customer, match: 不是 NEAR/3 责任}, tags: [x]}
recommend:
  - {id: soothe, when: {signal: {id: anger, within: {turns: 0}}}, say: 抱歉, done_when: 抱歉}
intent:
  id: billing
  detect: {match: 乱扣钱}
  forbid:
    - {id: deny, match: 不会 NEAR/3 乱扣, tags: [deflect]}
)"}});
    if (!r.ok()) {
      ADD_FAILURE() << r.status();
      std::abort();
    }
    return std::move(*r);
  }();
  return pb;
}

Turn agent(std::string text) { return {Speaker::kAgent, std::move(text), std::nullopt, std::nullopt}; }
Turn customer(std::string text) {
  return {Speaker::kCustomer, std::move(text), std::nullopt, std::nullopt};
}

const RuleTrace& rule(const tact::TurnTrace& t, const std::string& id) {
  for (const RuleTrace& r : t.rules) {
    if (r.rule == id) return r;
  }
  ADD_FAILURE() << "no trace for " << id;
  static RuleTrace none;
  return none;
}

std::vector<std::pair<std::string, bool>> checks(const RuleTrace& r) {
  std::vector<std::pair<std::string, bool>> out;
  for (const ConditionCheck& c : r.checks) out.emplace_back(c.what, c.held);
  return out;
}

using P = std::pair<std::string, bool>;

TEST(Explain, NamesTheConditionThatFailed) {
  // The denial matches, but no billing complaint came first: the intent condition fails.
  tact::Result<tact::TurnTrace> t = tact::explain_turn(playbook(), {}, agent("我们不会乱扣钱的"));
  ASSERT_TRUE(t.ok()) << t.status();
  const RuleTrace& deny = rule(*t, "deny");
  EXPECT_FALSE(deny.fired);
  EXPECT_THAT(checks(deny), testing::UnorderedElementsAre(P{"speaker is agent", true},
                                                          P{"match 不会 NEAR/3 乱扣", true},
                                                          P{"intent billing is active", false}));
  EXPECT_FALSE(rule(*t, "billing").fired);
  EXPECT_TRUE(t->guidance.findings.empty());
}

TEST(Explain, EarlierTurnsSetTheContext) {
  tact::Result<tact::TurnTrace> t =
      tact::explain_turn(playbook(), {customer("你们乱扣钱")}, agent("我们不会乱扣钱的"));
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(rule(*t, "deny").fired);
  EXPECT_TRUE(rule(*t, "billing").fired);  // active since the turn before
  ASSERT_EQ(t->guidance.findings.size(), 1u);
  EXPECT_EQ(t->guidance.findings[0].rule, "deny");
}

TEST(Explain, AfterConditionsAndSignalsAreChecked) {
  tact::Result<tact::TurnTrace> t = tact::explain_turn(playbook(), {customer("好的")}, agent("是呀"));
  ASSERT_TRUE(t.ok());
  const RuleTrace& yes = rule(*t, "yes_after");
  EXPECT_FALSE(yes.fired);
  EXPECT_THAT(checks(yes), testing::Contains(P{
                               "after: an earlier customer turn matching 不是 NEAR/3 责任, within 1 turn",
                               false}));
  t = tact::explain_turn(playbook(), {}, customer("太过分了"));
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(rule(*t, "anger").fired);
  EXPECT_THAT(checks(rule(*t, "soothe")),
              testing::ElementsAre(P{"signal anger fired on this turn", true},
                                   P{"not said yet (done_when)", true}));
}

TEST(Explain, SaysWhichSignalAnIntentFires) {
  tact::Result<tact::Playbook> pb = tact::Playbook::parse({{"f.yaml", R"(tact: 1
id: f
signals:
  - {id: complaint, match: 投诉, report: false, tags: [complaint]}
intent:
  id: billing
  detect: {match: 多扣}
  fires: complaint
)"}});
  ASSERT_TRUE(pb.ok()) << pb.status();
  const P fires{"detected now, so it fires signal complaint", true};
  tact::Result<tact::TurnTrace> t = tact::explain_turn(*pb, {}, customer("话费多扣了"));
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(rule(*t, "complaint").fired);  // its own pattern did not match
  EXPECT_THAT(checks(rule(*t, "billing")), testing::Contains(fires));
  // Once active, the intent is not detected again and fires nothing more.
  t = tact::explain_turn(*pb, {customer("话费多扣了")}, customer("又多扣了"));
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(checks(rule(*t, "billing")),
              testing::Contains(P{"detected now, so it fires signal complaint", false}));
}

TEST(Explain, TracesASignalFiredByIntentsAndAListOfSignals) {
  tact::Result<tact::Playbook> pb = tact::Playbook::parse({{"f.yaml", R"(tact: 1
id: f
signals:
  - {id: complaint, match: 投诉, report: false, tags: [complaint]}
  - {id: request, fired_by: intent}
forbid:
  - {id: chore, match: 自己去, signal: [complaint, request], tags: [burden_customer]}
intent:
  id: refund
  detect: {match: 退款}
  fires: request
)"}});
  ASSERT_TRUE(pb.ok()) << pb.status();
  tact::Result<tact::TurnTrace> t = tact::explain_turn(*pb, {}, customer("我要退款"));
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(rule(*t, "request").fired);
  EXPECT_THAT(checks(rule(*t, "request")),
              testing::ElementsAre(P{"an intent that fires it was detected on this turn", true}));
  t = tact::explain_turn(*pb, {customer("我要退款")}, agent("您自己去营业厅"));
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(rule(*t, "request").fired);
  EXPECT_TRUE(rule(*t, "chore").fired);
  EXPECT_THAT(checks(rule(*t, "chore")),
              testing::Contains(P{"signal complaint or request fired any time earlier", true}));
}

TEST(Explain, ShowsTokensAndAtomHits) {
  tact::Result<tact::TurnTrace> t = tact::explain_turn(playbook(), {}, agent("您先別生氣"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->match.normalized.text, "您先别生气");
  EXPECT_EQ(t->match.normalized.tokens.size(), 5u);
  ASSERT_EQ(t->hit_atoms.size(), t->match.atom_hits.size());
  EXPECT_THAT(t->hit_atoms, testing::Contains("phrase 别生气"));
  EXPECT_TRUE(rule(*t, "calm").fired);
}

}  // namespace

#include "tact/session.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tact/playbook.hpp"

namespace {

using tact::Finding;
using tact::FindingKind;
using tact::Speaker;
using testing::ElementsAre;

const tact::Playbook& playbook() {
  static const tact::Playbook pb = [] {
    tact::Result<tact::Playbook> r = tact::Playbook::load({TACT_SOURCE_DIR "/examples/playbooks"});
    if (!r.ok()) {
      ADD_FAILURE() << r.status();
      std::abort();
    }
    return std::move(*r);
  }();
  return pb;
}

std::vector<std::string> rules(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.rule);
  return out;
}

tact::Guidance feed(tact::Session& s, Speaker who, const std::string& text) {
  tact::Result<tact::Guidance> g = s.feed({who, text, std::nullopt, std::nullopt});
  EXPECT_TRUE(g.ok()) << g.status();
  return g.ok() ? *g : tact::Guidance{};
}

constexpr Speaker kAgent = Speaker::kAgent;
constexpr Speaker kCustomer = Speaker::kCustomer;

TEST(Session, DetectsTheIntentAndFlagsADenialWithItsEvidence) {
  tact::Session s = playbook().start_session();
  tact::Guidance g = feed(s, kCustomer, "你们怎么乱扣钱啊");
  EXPECT_THAT(g.intents, ElementsAre("billing_dispute"));
  EXPECT_EQ(g.stage, "soothe");
  EXPECT_TRUE(g.findings.empty());

  g = feed(s, kAgent, "您好，我们是不會亂扣錢的");
  ASSERT_THAT(rules(g.findings), ElementsAre("deny_charge"));
  const Finding& f = g.findings[0];
  EXPECT_EQ(f.kind, FindingKind::kViolation);
  EXPECT_THAT(f.tags, ElementsAre("deflect"));
  EXPECT_EQ(f.turn, 1u);
  EXPECT_EQ(f.speaker, kAgent);
  EXPECT_EQ(f.evidence, "不會亂扣");
  ASSERT_TRUE(f.span.has_value());
  EXPECT_EQ(f.span->begin, 6u);
  EXPECT_EQ(f.span->end, 10u);
  EXPECT_EQ(f.instead, "请问您是在哪里看到这笔扣费的？我马上帮您核实。");
}

TEST(Session, IntentScopedRulesWaitForTheIntent) {
  tact::Session s = playbook().start_session();
  tact::Guidance g = feed(s, kAgent, "我们不会多扣的");  // no billing complaint yet
  EXPECT_TRUE(g.findings.empty());
  EXPECT_TRUE(g.intents.empty());
}

TEST(Session, CustomerQuotingAForbiddenPhraseIsNotFlagged) {
  tact::Session s = playbook().start_session();
  feed(s, kCustomer, "你们乱扣钱");
  tact::Guidance g = feed(s, kCustomer, "你别跟我说不会乱扣，你先别生气这种话也别说");
  EXPECT_TRUE(g.findings.empty());
}

TEST(Session, DismissingEmotionIsFlagged) {
  tact::Session s = playbook().start_session();
  tact::Guidance g = feed(s, kAgent, "您先别生气");
  ASSERT_THAT(rules(g.findings), ElementsAre("dismiss_emotion"));
  EXPECT_EQ(g.findings[0].evidence, "您先别生气");
  EXPECT_EQ(g.findings[0].severity, tact::Severity::kMajor);
}

TEST(Session, AfterConditionLooksBackExactlyTheWindow) {
  {
    tact::Session s = playbook().start_session();
    feed(s, kCustomer, "你的意思是这不是你的责任啦？");
    tact::Guidance g = feed(s, kAgent, "是呀。");
    EXPECT_THAT(rules(g.findings), ElementsAre("agrees_not_responsible"));
    EXPECT_THAT(g.findings[0].tags, ElementsAre("shift_responsibility"));
  }
  {
    tact::Session s = playbook().start_session();
    feed(s, kCustomer, "你的意思是这不是你的责任啦？");
    feed(s, kCustomer, "喂？");
    tact::Guidance g = feed(s, kAgent, "是呀");  // two turns back: outside {turns: 1}
    EXPECT_TRUE(g.findings.empty());
  }
  {
    tact::Session s = playbook().start_session();
    feed(s, kCustomer, "今天天气不错");
    tact::Guidance g = feed(s, kAgent, "是呀");
    EXPECT_TRUE(g.findings.empty());
  }
  {
    tact::Session s = playbook().start_session();
    feed(s, kCustomer, "这不是你的责任吗");
    tact::Guidance g = feed(s, kAgent, "是呀，但是我会帮您查");  // not a bare yes
    EXPECT_TRUE(g.findings.empty());
  }
}

TEST(Session, SignalsAreFindingsAndTriggerRecommendationsRankedFirst) {
  tact::Session s = playbook().start_session();
  feed(s, kCustomer, "你们乱扣钱");
  tact::Guidance g = feed(s, kCustomer, "太过分了，我要投诉！");
  ASSERT_THAT(rules(g.findings), ElementsAre("anger"));
  EXPECT_EQ(g.findings[0].kind, FindingKind::kSignal);
  ASSERT_GE(g.recommendations.size(), 2u);
  EXPECT_EQ(g.recommendations[0].rule, "soothe_anger");  // reactive before stage
  EXPECT_EQ(g.recommendations[1].rule, "billing_dispute.soothe.1");
}

TEST(Session, StagesAdvanceAndSaidRecommendationsAreNotRepeated) {
  tact::Session s = playbook().start_session();
  tact::Guidance g = feed(s, kCustomer, "你们怎么乱扣钱啊");
  EXPECT_EQ(g.stage, "soothe");
  ASSERT_EQ(g.recommendations.size(), 1u);
  EXPECT_EQ(g.recommendations[0].text, "非常抱歉给您带来困扰，我马上帮您查一下。");
  g = feed(s, kAgent, "非常抱歉，给您添麻烦了");
  EXPECT_EQ(g.stage, "clarify");
  ASSERT_EQ(g.recommendations.size(), 1u);
  EXPECT_THAT(g.recommendations[0].tags, ElementsAre("clarify"));
  g = feed(s, kAgent, "请问您是在哪里查到的？");
  EXPECT_EQ(g.stage, "propose");
  g = feed(s, kCustomer, "太过分了");  // anger, but the agent already apologised
  for (const auto& r : g.recommendations) EXPECT_NE(r.rule, "soothe_anger");
}

TEST(Session, MissingStepsAreReportedAtTheEnd) {
  tact::Session s = playbook().start_session();
  feed(s, kCustomer, "喂");
  feed(s, kAgent, "嗯，什么事");               // no greeting in the first agent turn
  feed(s, kCustomer, "太过分了，你们乱扣钱");  // anger: an apology is due within 2 agent turns
  feed(s, kAgent, "我查一下");
  feed(s, kAgent, "查到了，是套餐费");
  tact::Result<tact::CallReport> r = s.finish();
  ASSERT_TRUE(r.ok());
  std::vector<std::string> missing;
  for (const Finding& f : r->findings) {
    if (f.kind == FindingKind::kMissing) {
      missing.push_back(f.rule);
      EXPECT_FALSE(f.turn.has_value());
      EXPECT_FALSE(f.span.has_value());
    }
  }
  EXPECT_THAT(missing, ElementsAre("greeting", "closing", "apology_after_anger"));
  EXPECT_THAT(r->intents, ElementsAre("billing_dispute"));
  EXPECT_EQ(r->score, 70);  // three major missing steps; the signal costs nothing
}

tact::Playbook parse(const std::string& yaml) {
  tact::Result<tact::Playbook> r = tact::Playbook::parse({{"test.yaml", yaml}});
  EXPECT_TRUE(r.ok()) << r.status();
  return std::move(*r);
}

// Anger is a reported signal; an apology is due in the agent's next turn after it.
constexpr const char* kApologyAfterAnger = R"(tact: 1
id: t
signals:
  - {id: anger, match: 太过分}
require:
  - {id: apology, match: 抱歉, after: {signal: anger}, within: {agent_turns: 1}}
)";

TEST(Session, UnreportedSignalsFeedConditionsButAreNoFindings) {
  const tact::Playbook pb = parse(R"(tact: 1
id: t
signals:
  - {id: complaint, match: 乱扣钱, report: false}
require:
  - {id: apology, match: 抱歉, after: {signal: complaint}, within: {agent_turns: 1}}
)");
  tact::Session s = pb.start_session();
  EXPECT_TRUE(feed(s, kCustomer, "你们乱扣钱").findings.empty());
  feed(s, kAgent, "请问哪一笔");
  tact::Result<tact::CallReport> r = s.finish();
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(rules(r->findings), ElementsAre("apology"));
}

TEST(Session, OneViolationPerTagAndTurnAndTheIntentsOwnRuleWins) {
  tact::Result<tact::Playbook> pb = tact::Playbook::parse({{"general.yaml", R"(tact: 1
id: general
forbid:
  - {id: general_denial, match: 不可能, tags: [deflect]}
  - {id: general_rude, match: 不可能, tags: [rude]}
)"},
                                                           {"billing.yaml", R"(tact: 1
id: billing
intent:
  detect: {speaker: customer, match: 乱扣钱}
  forbid:
    - {id: billing_denial, match: 不可能, tags: [deflect]}
)"}});
  ASSERT_TRUE(pb.ok()) << pb.status();
  tact::Session outside = pb->start_session();
  EXPECT_THAT(rules(feed(outside, kAgent, "不可能").findings),
              ElementsAre("general_denial", "general_rude"));
  tact::Session inside = pb->start_session();
  feed(inside, kCustomer, "你们乱扣钱");
  EXPECT_THAT(rules(feed(inside, kAgent, "不可能").findings),
              ElementsAre("billing_denial", "general_rude"));
}

TEST(Session, AnIntentCanFireASignalThatOpensARequiredStep) {
  const tact::Playbook pb = parse(R"(tact: 1
id: t
signals:
  - {id: complaint, match: 投诉, report: false}
require:
  - {id: apology, match: 抱歉, after: {signal: complaint}, within: {agent_turns: 1}}
intent:
  id: billing
  detect: {match: 扣了两次}
  fires: complaint
)");
  tact::Session s = pb.start_session();
  EXPECT_TRUE(feed(s, kCustomer, "这个月扣了两次").findings.empty());  // fired, not reported
  feed(s, kAgent, "请问哪一笔");
  tact::Result<tact::CallReport> r = s.finish();
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(rules(r->findings), ElementsAre("apology"));
  EXPECT_THAT(r->intents, ElementsAre("billing"));

  tact::Session answered = pb.start_session();
  feed(answered, kCustomer, "这个月扣了两次");
  feed(answered, kAgent, "非常抱歉，我查一下");
  EXPECT_TRUE(answered.finish()->findings.empty());

  tact::Result<tact::Playbook> unknown = tact::Playbook::parse(
      {{"t.yaml", "tact: 1\nid: t\nintent:\n  detect: {match: 扣}\n  fires: complain\n"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), testing::HasSubstr("unknown signal 'complain'"));
}

// `yields_to`: refund is not detected while loss is active, even on the turn that detects both,
// whichever file loads first; a refund detected before the loss stays active.
TEST(Session, AnIntentThatYieldsIsNotDetectedWhileTheOtherIsActive) {
  const std::string refund =
      "tact: 1\nid: refund\nintent:\n  detect: {match: 拿回来}\n"
      "  yields_to: loss\n";
  const std::string loss = "tact: 1\nid: loss\nintent:\n  detect: {match: 亏了}\n";
  for (const bool refund_first : {true, false}) {
    std::vector<std::pair<std::string, std::string>> files = {{"a.yaml", refund}, {"b.yaml", loss}};
    if (!refund_first) std::swap(files[0].second, files[1].second);
    tact::Result<tact::Playbook> pb = tact::Playbook::parse(files);
    ASSERT_TRUE(pb.ok()) << pb.status();
    auto intents = [&](const std::vector<std::string>& customer) {
      tact::Session s = pb->start_session();
      for (const std::string& text : customer) feed(s, kCustomer, text);
      return s.finish()->intents;
    };
    EXPECT_THAT(intents({"基金亏了", "钱能拿回来吗"}), ElementsAre("loss"));
    EXPECT_THAT(intents({"基金亏了，钱要拿回来"}), ElementsAre("loss"));
    EXPECT_THAT(intents({"押金什么时候拿回来"}), ElementsAre("refund"));
    EXPECT_THAT(intents({"押金什么时候拿回来", "基金也亏了"}), ElementsAre("refund", "loss"));
  }
}

// `signal: [a, b]` holds when either fired; a signal `fired_by: intent` has no pattern and
// fires only when an intent naming it in `fires` is detected.
TEST(Session, AConditionOnAListOfSignalsHoldsWhenAnyOfThemFired) {
  const tact::Playbook pb = parse(R"(tact: 1
id: t
signals:
  - {id: complaint, match: 投诉, report: false}
  - {id: request, fired_by: intent}
forbid:
  - {id: chore, match: 自己去, signal: [complaint, request], tags: [burden_customer]}
require:
  - {id: apology, match: 抱歉, after: {signal: complaint}, within: {agent_turns: 1}}
intent:
  id: refund
  detect: {match: 退款}
  fires: request
)");
  auto chores = [&](const std::string& customer) {
    tact::Session s = pb.start_session();
    EXPECT_TRUE(feed(s, kCustomer, customer).findings.empty()) << customer;
    feed(s, kAgent, "您自己去营业厅办");
    return rules(s.finish()->findings);
  };
  EXPECT_THAT(chores("我要投诉"), ElementsAre("chore", "apology"));
  EXPECT_THAT(chores("我要退款"), ElementsAre("chore"));  // a request opens no apology step
  EXPECT_THAT(chores("我想问一下营业厅地址"), testing::IsEmpty());
  // Its own name never matches: the signal fires from the intent alone.
  EXPECT_THAT(chores("request"), testing::IsEmpty());
}

TEST(Session, ARequiredStepMayFollowAnyOfSeveralSignals) {
  const tact::Playbook pb = parse(R"(tact: 1
id: t
signals:
  - {id: anger, match: 太过分}
  - {id: complaint, match: 投诉, report: false}
require:
  - {id: apology, match: 抱歉, after: {signal: [anger, complaint]}, within: {agent_turns: 1}}
)");
  for (const char* customer : {"太过分了", "我要投诉"}) {
    tact::Session s = pb.start_session();
    feed(s, kCustomer, customer);
    feed(s, kAgent, "请问哪一笔");
    std::vector<std::string> found = rules(s.finish()->findings);
    EXPECT_EQ(found.back(), "apology") << customer;
  }
  tact::Session calm = pb.start_session();
  feed(calm, kCustomer, "你好");
  feed(calm, kAgent, "请问哪一笔");
  EXPECT_TRUE(calm.finish()->findings.empty());
}

TEST(Session, ASignalFiredByIntentsTakesNoConditionsAndIsNeverAFinding) {
  auto error = [](const std::string& signal) {
    tact::Result<tact::Playbook> pb =
        tact::Playbook::parse({{"t.yaml", "tact: 1\nid: t\nsignals:\n  - " + signal + "\n"}});
    return pb.ok() ? std::string("loaded") : pb.status().to_string();
  };
  EXPECT_THAT(error("{id: request, fired_by: intent, match: 退款}"),
              testing::HasSubstr("t.yaml:4:44: signal request: a signal fired_by intent takes "
                                 "no 'match'"));
  EXPECT_THAT(error("{id: request, fired_by: intent, report: true}"),
              testing::HasSubstr("t.yaml:4:45: signal request: a signal fired_by intent is never "
                                 "a finding"));
  EXPECT_THAT(error("{id: request, fired_by: rules}"),
              testing::HasSubstr("signal request fired_by: expected 'intent', found 'rules'"));
  EXPECT_THAT(error("{id: request}"), testing::HasSubstr("missing required key 'match'"));
  EXPECT_EQ(error("{id: request, fired_by: intent, report: false}"), "loaded");

  tact::Result<tact::Playbook> empty =
      tact::Playbook::parse({{"t.yaml",
                              "tact: 1\nid: t\nsignals:\n  - {id: a, match: 投诉}\nforbid:\n"
                              "  - {id: f, match: 不行, signal: []}\n"}});
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().to_string(),
              testing::HasSubstr("t.yaml:6:32: signal: expected at least one signal"));
}

// A step opened by an agent's own turn counts that turn as the first of its window: with two
// agent turns, a reply time belongs in the hand-off turn or the agent's next one.
TEST(Session, AnAgentTriggerCountsItsOwnTurnInTheWindow) {
  const tact::Playbook pb = parse(R"(tact: 1
id: t
require:
  - {id: reply_time, match: 明天, after: {speaker: agent, match: 反馈}, within: {agent_turns: 2}}
)");
  auto missing = [&](const std::vector<std::pair<Speaker, std::string>>& turns) {
    tact::Session s = pb.start_session();
    for (const auto& [speaker, text] : turns) feed(s, speaker, text);
    return rules(s.finish()->findings);
  };
  EXPECT_THAT(missing({{kAgent, "我帮您反馈，明天回复您"}}), testing::IsEmpty());
  EXPECT_THAT(missing({{kAgent, "我帮您反馈"}, {kCustomer, "好"}, {kAgent, "明天回复您"}}),
              testing::IsEmpty());
  EXPECT_THAT(missing({{kAgent, "我帮您反馈"}, {kCustomer, "好"}, {kAgent, "稍等"},
                       {kCustomer, "嗯"}, {kAgent, "明天回复您"}}),
              ElementsAre("reply_time"));
}

TEST(Session, AStepMissedTwiceIsOneFinding) {
  const tact::Playbook pb = parse(kApologyAfterAnger);
  tact::Session s = pb.start_session();
  feed(s, kCustomer, "太过分");
  feed(s, kAgent, "嗯");
  feed(s, kCustomer, "太过分");
  feed(s, kAgent, "嗯");
  tact::Result<tact::CallReport> r = s.finish();
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(rules(r->findings), ElementsAre("anger", "anger", "apology"));
}

TEST(Session, OnceAnsweredAStepIsNotDueAgainWhenItsTriggerRecurs) {
  const std::string yaml = R"(tact: 1
id: t
signals:
  - {id: complaint, match: 乱扣钱, report: false}
require:
  - {id: apology, match: 抱歉, after: {signal: complaint}, within: {agent_turns: 1}, once: ONCE}
)";
  for (const char* once : {"true", "false"}) {
    std::string text = yaml;
    text.replace(text.find("ONCE"), 4, once);
    const tact::Playbook pb = parse(text);
    tact::Session s = pb.start_session();
    feed(s, kCustomer, "你们乱扣钱");
    feed(s, kAgent, "抱歉，我查一下");
    feed(s, kAgent, "查到了");
    feed(s, kCustomer, "就是乱扣钱");  // the complaint again, two agent turns after the apology
    feed(s, kAgent, "是套餐费");
    tact::Result<tact::CallReport> r = s.finish();
    ASSERT_TRUE(r.ok());
    if (std::string(once) == "true")
      EXPECT_TRUE(r->findings.empty()) << "once: the first apology answered the complaint";
    else
      EXPECT_THAT(rules(r->findings), ElementsAre("apology"));
  }
}

TEST(Session, AStepTakenInTheAgentsLatestTurnAnswersTheTrigger) {
  const tact::Playbook pb = parse(kApologyAfterAnger);
  tact::Session s = pb.start_session();
  feed(s, kAgent, "抱歉让您久等");
  feed(s, kCustomer, "太过分了");  // answered by the apology just before
  feed(s, kAgent, "我来查");
  tact::Result<tact::CallReport> r = s.finish();
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(rules(r->findings), ElementsAre("anger"));

  tact::Session late = pb.start_session();
  feed(late, kAgent, "抱歉让您久等");
  feed(late, kAgent, "请讲");
  feed(late, kCustomer, "太过分了");  // the apology was two agent turns ago: due again
  feed(late, kAgent, "我来查");
  r = late.finish();
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(rules(r->findings), ElementsAre("anger", "apology"));
}

TEST(Session, AWellHandledCallHasNoMissingSteps) {
  tact::Session s = playbook().start_session();
  feed(s, kAgent, "您好，请问有什么可以帮您？");
  feed(s, kCustomer, "太过分了，你们乱扣钱");
  feed(s, kAgent, "非常抱歉给您带来困扰，我马上帮您查一下");
  feed(s, kCustomer, "好吧");
  feed(s, kAgent, "已经处理好了，谢谢您的来电，再见");
  tact::Result<tact::CallReport> r = s.finish();
  ASSERT_TRUE(r.ok());
  std::vector<std::string> all;
  for (const Finding& f : r->findings) all.push_back(f.rule);
  EXPECT_THAT(all, ElementsAre("anger"));
  EXPECT_EQ(r->score, 100);
}

TEST(Session, FinishTwiceAndFeedAfterFinishAreErrors) {
  tact::Session s = playbook().start_session();
  ASSERT_TRUE(s.finish().ok());
  EXPECT_EQ(s.finish().status().code(), tact::ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.feed({kAgent, "x", std::nullopt, std::nullopt}).status().code(),
            tact::ErrorCode::kInvalidArgument);
}

TEST(Session, SecondsWindowsUseTurnTimes) {
  tact::Result<tact::Playbook> pb = tact::Playbook::parse({{"t.yaml", R"(tact: 1
id: t
forbid:
  - id: late_yes
    match: 是呀
    after: {speaker: customer, match: 责任, within: {seconds: 5}}
)"}});
  ASSERT_TRUE(pb.ok()) << pb.status();
  tact::Session s = pb->start_session();
  ASSERT_TRUE(s.feed({kCustomer, "这是你的责任", 0.0, 2.0}).ok());
  ASSERT_TRUE(s.feed({kCustomer, "嗯", 2.5, 3.0}).ok());
  tact::Result<tact::Guidance> g = s.feed({kAgent, "是呀", 4.0, 4.5});
  ASSERT_TRUE(g.ok());
  EXPECT_THAT(rules(g->findings), ElementsAre("late_yes"));  // 2 s after, though 2 turns later
  g = s.feed({kAgent, "是呀", 30.0, 31.0});
  EXPECT_TRUE(g->findings.empty());
}

TEST(Session, ManySessionsShareOnePlaybookAcrossThreads) {
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        tact::Session s = playbook().start_session();
        (void)s.feed({kCustomer, "你们怎么乱扣钱啊", std::nullopt, std::nullopt});
        tact::Result<tact::Guidance> g =
            s.feed({kAgent, "我们是不会乱扣钱的", std::nullopt, std::nullopt});
        if (!g.ok() || rules(g->findings) != std::vector<std::string>{"deny_charge"}) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}


// observe() is feed() without per-turn guidance: on every shipped test call, with the shipped
// playbooks, the call report must be the same whether each turn is fed, observed, or alternately.
TEST(Session, ObservingGivesTheSameReportAsFeeding) {
  tact::Result<tact::Playbook> pb = tact::Playbook::load({TACT_SOURCE_DIR "/rules"});
  ASSERT_TRUE(pb.ok()) << pb.status();
  auto describe = [](const tact::CallReport& r) {
    std::string out = "score " + std::to_string(r.score) + "; intents";
    for (const std::string& i : r.intents) out += " " + i;
    for (const Finding& f : r.findings) {
      out += "\n" + f.rule + " " + tact::finding_kind_name(f.kind) + " turn " +
             (f.turn ? std::to_string(*f.turn) : "-") + " span " +
             (f.span ? std::to_string(f.span->begin) + "-" + std::to_string(f.span->end) : "-") +
             " [" + f.evidence + "] " + f.message + " / " + f.instead;
      for (const std::string& t : f.tags) out += " #" + t;
    }
    return out;
  };
  std::size_t calls = 0, findings = 0;
  for (const auto& entry : std::filesystem::directory_iterator(TACT_SOURCE_DIR "/tests/calls")) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path());
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    tact::Result<tact::Call> call = tact::read_text_transcript(bytes, entry.path().string());
    ASSERT_TRUE(call.ok()) << entry.path() << ": " << call.status();
    std::string reports[3];
    for (int mode = 0; mode < 3; ++mode) {  // feed, observe, alternate
      tact::Session s = pb->start_session();
      for (std::size_t i = 0; i < call->turns.size(); ++i) {
        const bool observe = mode == 1 || (mode == 2 && i % 2 == 1);
        if (observe) {
          ASSERT_TRUE(s.observe(call->turns[i]).ok());
        } else {
          ASSERT_TRUE(s.feed(call->turns[i]).ok());
        }
      }
      tact::Result<tact::CallReport> r = s.finish();
      ASSERT_TRUE(r.ok());
      if (mode == 0) findings += r->findings.size();
      reports[mode] = describe(*r);
    }
    EXPECT_EQ(reports[1], reports[0]) << entry.path();
    EXPECT_EQ(reports[2], reports[0]) << entry.path();
    ++calls;
  }
  EXPECT_GT(calls, 50u);
  EXPECT_GT(findings, 100u);  // the calls exercise the rules, not just clean handling
}

}  // namespace

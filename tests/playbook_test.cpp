// Loading playbooks: what loads, and every error with its file:line:col.
#include "tact/playbook.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace {

std::string load_error(const std::string& yaml) {
  tact::Result<tact::Playbook> r = tact::Playbook::parse({{"pb.yaml", yaml}});
  if (r.ok()) return "ok";
  const std::string s = r.status().to_string();
  return s.substr(0, s.find('\n'));
}

const std::string kHead = "tact: 1\nid: x\n";

TEST(Playbook, LoadsTheTestPlaybooksFromADirectory) {
  tact::Result<tact::Playbook> pb = tact::Playbook::load({TACT_SOURCE_DIR "/examples/playbooks"});
  ASSERT_TRUE(pb.ok()) << pb.status();
  EXPECT_THAT(pb->intent_ids(), testing::ElementsAre("billing_dispute"));
  EXPECT_GT(pb->rule_count(), 10u);
  EXPECT_EQ(pb->speaker_labels().at("话务员"), tact::Speaker::kAgent);
}

TEST(Playbook, VersionAndIdAreRequired) {
  EXPECT_EQ(load_error("id: x\n"),
            "pb.yaml:1:1: playbook: missing required key 'tact' (the format version: tact: 1)");
  EXPECT_EQ(load_error("tact: 2\nid: x\n"),
            "pb.yaml:1:7: playbook: format version 2 is not supported (this tact reads version 1)");
  EXPECT_EQ(load_error("tact: 1\n"), "pb.yaml:1:1: playbook: missing required key 'id'");
}

TEST(Playbook, SchemaErrorsNameThePositionAndSuggestAFix) {
  EXPECT_EQ(load_error(kHead + "forbid:\n  - id: a\n    match: 退款\n    sevrity: high\n"),
            "pb.yaml:6:5: forbid rule: unknown key 'sevrity' (did you mean 'severity'?)");
  EXPECT_EQ(
      load_error(kHead + "forbid:\n  - id: a\n    match: x\n    severity: high\n"),
      "pb.yaml:6:15: forbid rule severity: expected info, minor, major or critical, found 'high'");
  EXPECT_EQ(load_error(kHead + "forbid:\n  - id: a\n    match: x\n    speaker: boss\n"),
            "pb.yaml:6:14: speaker: expected agent, customer or any, found 'boss'");
  EXPECT_EQ(load_error(kHead + "forbid:\n  - id: a\n"),
            "pb.yaml:4:5: forbid rule a: missing required key 'match' (or 'model')");
  EXPECT_EQ(
      load_error(kHead + "forbid:\n  - id： a\n"),
      "pb.yaml:4:5: forbid rule: expected a mapping of keys, found text (a full-width colon '：' "
      "(U+FF1A) does not separate a key from its value; use ':')");
  EXPECT_EQ(load_error(kHead + "forbid: 退款\n"), "pb.yaml:3:9: forbid: expected a list");
  EXPECT_EQ(load_error(kHead + "frobnicate: 1\n"),
            "pb.yaml:3:1: playbook: unknown key 'frobnicate' (expected one of: tact, id, title, "
            "description, normalize, speakers, lexicons, models, signals, forbid, require, "
            "recommend, "
            "intent, tests)");
}

TEST(Playbook, PatternErrorsPointIntoTheYamlScalar) {
  EXPECT_EQ(load_error(kHead + "forbid:\n  - id: a\n    match: (退款 | 投诉\n"),
            "pb.yaml:5:20: rule a: pattern error: expected ')' after '(退款 | 投诉', "
            "at end of pattern");
  EXPECT_EQ(load_error(kHead + "forbid:\n  - id: a\n    match: \"退款 & @nope\"\n"),
            "pb.yaml:5:18: rule a: pattern error: unknown lexicon '@nope' (no lexicons "
            "are defined)");
  // Escapes inside quotes ('' and \") take more columns in the file than in the pattern.
  EXPECT_EQ(load_error(kHead + "forbid:\n  - id: a\n    match: '\"it''s\" & @nope'\n"),
            "pb.yaml:5:23: rule a: pattern error: unknown lexicon '@nope' (no "
            "lexicons are defined)");
  EXPECT_EQ(load_error(kHead + "forbid:\n  - id: a\n    match: \"\\\"退款\\\" & @nope\"\n"),
            "pb.yaml:5:22: rule a: pattern error: unknown lexicon '@nope' (no "
            "lexicons are defined)");
  // A pattern over several lines (block, folded or plain): the error is on its own line, and the
  // message shows that line.
  EXPECT_EQ(load_error(kHead + "forbid:\n  - id: a\n    match: >-\n      退款 |\n      (投诉\n"),
            "pb.yaml:7:10: rule a: pattern error: expected ')' after '退款 | (投诉', at end of "
            "pattern");
  EXPECT_EQ(load_error(kHead +
                       "forbid:\n  - id: a\n    match: |\n      退款\n\n        | 投诉 NEAR/x 钱\n"
                       "    severity: major\n"),
            "pb.yaml:8:19: rule a: pattern error: expected a number of tokens (as in NEAR/3) after "
            "'...| 投诉 NEAR/', found 'x'");
  EXPECT_EQ(load_error(kHead + "forbid:\n  - id: a\n    match: 退款 |\n      投诉 & @nope\n"),
            "pb.yaml:6:12: rule a: pattern error: unknown lexicon '@nope' (no lexicons are "
            "defined)");
  EXPECT_EQ(load_error(kHead + "forbid:\n  - id: a\n    match: \"退款 |\n      投诉 & @nope\"\n"),
            "pb.yaml:6:12: rule a: pattern error: unknown lexicon '@nope' (no lexicons are "
            "defined)");
}

TEST(Playbook, CheckReportsEveryBrokenRuleNotJustTheFirst) {
  const std::string dir = ::testing::TempDir() + "/tact_check_test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir + "/pb.yaml");
    f << "tact: 1\nid: a\nforbid:\n"
         "  - {id: f1, match: (退款}\n"
         "  - {id: f2, match: x, sevrity: major}\n"
         "  - {id: ok, match: 别生气}\n"
         "  - {id: f1, match: 冷静}\n";
  }
  std::vector<std::string> messages;
  for (const tact::Status& s : tact::Playbook::check({dir})) messages.push_back(s.to_string());
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_THAT(messages[0], testing::HasSubstr("pb.yaml:4:"));
  EXPECT_THAT(messages[0], testing::HasSubstr("expected ')'"));
  EXPECT_THAT(messages[1], testing::HasSubstr("pb.yaml:5:"));
  EXPECT_THAT(messages[1], testing::HasSubstr("unknown key 'sevrity'"));
  EXPECT_THAT(messages[2], testing::HasSubstr("duplicate rule id 'f1'"));
  EXPECT_FALSE(tact::Playbook::load({dir}).ok());
  EXPECT_TRUE(tact::Playbook::check({TACT_SOURCE_DIR "/rules"}).empty());
}

TEST(Playbook, CheckGoesOnPastABrokenIntentDetection) {
  // The first intent's detection pattern is broken; the second intent, with stage
  // recommendations, is still checked (this once read past the end of the intents).
  const std::vector<tact::Status> errors =
      tact::Playbook::check(std::vector<std::pair<std::string, std::string>>{
          {"a.yaml", "tact: 1\nid: a\nintent:\n  detect: {match: (退款}\n"},
          {"b.yaml",
           "tact: 1\nid: b\nintent:\n  detect: {match: 亏了}\n  stages:\n    - id: s\n"
           "      done_when: 抱歉\n      recommend:\n        - say: 非常抱歉\n"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].to_string(), testing::HasSubstr("a.yaml:4:"));
}

TEST(Playbook, YieldsToNamesIntentsThatDoNotYieldThemselves) {
  auto error = [](const std::string& a, const std::string& b) {
    tact::Result<tact::Playbook> r =
        tact::Playbook::parse({{"a.yaml", "tact: 1\nid: a\nintent:\n  detect: {match: x}\n" + a},
                               {"b.yaml", "tact: 1\nid: b\nintent:\n  detect: {match: y}\n" + b}});
    if (r.ok()) return std::string("ok");
    const std::string s = r.status().to_string();
    return s.substr(0, s.find('\n'));
  };
  EXPECT_EQ(error("  yields_to: b\n", ""), "ok");
  EXPECT_EQ(error("  yields_to: [b]\n", ""), "ok");
  EXPECT_EQ(error("  yields_to: c\n", ""), "a.yaml:5:14: intent a: yields_to: unknown intent 'c'");
  EXPECT_EQ(error("  yields_to: a\n", ""),
            "a.yaml:5:14: intent a: yields_to: 'a' has yields_to itself; an intent yields only "
            "to intents that do not");
  EXPECT_EQ(error("  yields_to: b\n", "  yields_to: a\n"),
            "a.yaml:5:14: intent a: yields_to: 'b' has yields_to itself; an intent yields only "
            "to intents that do not");
}

TEST(Playbook, ReferencesAndIdsAreChecked) {
  EXPECT_EQ(load_error(kHead + "forbid:\n  - id: a\n    match: 退款\n  - id: a\n    match: 投诉\n"),
            "pb.yaml:6:9: duplicate rule id 'a' (also at pb.yaml:4:9)");
  EXPECT_EQ(load_error(kHead + "forbid:\n  - id: a\n    match: x\n    signal: angry\n"),
            "pb.yaml:6:13: rule a: unknown signal 'angry'");
  EXPECT_EQ(
      load_error(kHead + "forbid:\n  - id: a\n    match: x\n    stage: s1\n"),
      "pb.yaml:6:12: rule a: 'stage' needs an intent (give 'intent:' or put the rule inside one)");
  EXPECT_EQ(load_error(kHead + "forbid:\n  - id: a\n    match: x\n    intent: refund\n"),
            "pb.yaml:6:13: rule a: unknown intent 'refund'");
  EXPECT_EQ(
      load_error(kHead + "require:\n  - id: a\n    match: x\n"),
      "pb.yaml:4:5: required step a: say when it is due with 'by: first_agent_turn', 'by: end' or "
      "'after: {...}'");
  EXPECT_EQ(load_error(kHead + "lexicons:\n  a: [x]\nsignals:\n  - id: s\n    match: "
                               "\"@a\"\nforbid:\n  - id: s\n    match: y\n"),
            "pb.yaml:9:9: duplicate rule id 's' (also at pb.yaml:6:9)");
}

TEST(Playbook, FillersMustBeSingleTokens) {
  EXPECT_EQ(
      load_error(kHead + "normalize:\n  fillers: [嗯, 你好]\n"),
      "pb.yaml:4:16: normalize fillers: '你好' must be one word or character after normalisation");
  EXPECT_EQ(load_error(kHead + "normalize:\n  fillers: [嗯, um]\n"), "ok");
}

TEST(Playbook, YamlTrapsAreErrorsNotPartialLoads) {
  EXPECT_EQ(load_error(kHead + "forbid:\n  - id: a\n    match: x\n\x04  - id: b\n    match: y\n"),
            "pb.yaml:6:1: control character U+0004 not allowed");
  EXPECT_EQ(load_error(kHead + "forbid:\n  - id: a\n    match: x\n    match: y\n"),
            "pb.yaml:6:5: duplicate key 'match' (first at 5:5)");
}

TEST(Playbook, ABrokenFileFailsTheWholeDirectory) {
  const auto dir = std::filesystem::temp_directory_path() / "tact_playbook_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.yaml") << kHead << "forbid:\n  - id: a\n    match: 退款\n";
  std::ofstream(dir / "b.yaml") << "tact: 1\nid: y\nforbid:\n  - id: b\n    match: (\n";
  std::ofstream(dir / "b.test.yaml") << "not a playbook: [";
  tact::Result<tact::Playbook> r = tact::Playbook::load({dir.string()});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().where().file, (dir / "b.yaml").string());
  EXPECT_EQ(r.status().where().line, 5u);
  std::filesystem::remove(dir / "b.yaml");
  EXPECT_TRUE(tact::Playbook::load({dir.string()}).ok());  // *.test.yaml is not a playbook
  std::filesystem::remove_all(dir);
  EXPECT_EQ(tact::Playbook::load({"/nonexistent/rules"}).status().to_string(),
            "/nonexistent/rules: no such file or directory");
}

}  // namespace

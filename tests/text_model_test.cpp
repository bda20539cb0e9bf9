// Learned models: the arithmetic against hand computation and against scikit-learn's own
// probabilities (the shipped model's checks), their errors, and signals that fire from them.
#include "tact/text_model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <unordered_map>

#include "model/text_model_set.hpp"
#include "tact/explain.hpp"
#include "tact/playbook.hpp"
#include "tact/session.hpp"

namespace {

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// "ab" (idf 2, coefficient 1.5) and "c" (idf 1, coefficient -2); intercept -1.
const char* kTinyModel = R"({"tact_model": 1, "id": "tiny", "ngrams": [1, 2], "intercept": -1,
  "features": [["ab", 2.0, 1.5], ["c", 1.0, -2.0]]})";

tact::TextModel tiny() {
  tact::Result<tact::TextModel> m = tact::TextModel::parse(kTinyModel, "tiny.json");
  EXPECT_TRUE(m.ok()) << m.status();
  return std::move(*m);
}

// Every model shipped beside the playbooks (rules/models/*.json); one that does not load fails
// the test (load() itself refuses a model that disagrees with its own checks).
std::vector<tact::TextModel> shipped_models() {
  std::vector<tact::TextModel> out;
  for (const auto& entry : std::filesystem::directory_iterator(TACT_SOURCE_DIR "/rules/models")) {
    if (entry.path().extension() != ".json") continue;
    tact::Result<tact::TextModel> m = tact::TextModel::load(entry.path().string());
    if (m.ok()) {
      out.push_back(std::move(*m));
    } else {
      ADD_FAILURE() << m.status();
    }
  }
  return out;
}

TEST(TextModel, ScoresAsTfIdfAndLogisticRegressionDefineIt) {
  const tact::TextModel m = tiny();
  tact::TextModel::Scratch s;
  // Only "ab" is known: its vector is (2), unit length (1); z = -1 + 1.5.
  const tact::TextModel::Score one = m.score("ab", s);
  EXPECT_NEAR(one.probability, sigmoid(0.5), 1e-12);
  EXPECT_EQ(one.begin, 0u);
  EXPECT_EQ(one.end, 2u);
  // "ab" twice (tf 2: 1 + ln 2), "c" once; scaled to unit length.
  const double ab = (1 + std::log(2.0)) * 2.0, c = 1.0;
  const double z = -1 + (ab * 1.5 + c * -2.0) / std::sqrt(ab * ab + c * c);
  EXPECT_NEAR(m.score("AB ab c", s).probability, sigmoid(z), 1e-12);
  // Nothing known: the intercept alone, and no evidence.
  const tact::TextModel::Score none = m.score("xyz", s);
  EXPECT_NEAR(none.probability, sigmoid(-1), 1e-12);
  EXPECT_EQ(none.begin, none.end);
}

// Word n-grams: "you should" (idf 2, coefficient 1.5) and "should" (idf 1, coefficient -0.5).
const char* kWordModel = R"({"tact_model": 1, "id": "words", "analyzer": "word",
  "ngrams": [1, 2], "intercept": -1,
  "features": [["you should", 2.0, 1.5], ["should", 1.0, -0.5]]})";

TEST(TextModel, AWordModelCountsRunsOfLettersAndDigits) {
  tact::Result<tact::TextModel> m = tact::TextModel::parse(kWordModel, "words.json");
  ASSERT_TRUE(m.ok()) << m.status();
  tact::TextModel::Scratch s;
  // Both n-grams once: punctuation and case between or around the words change nothing.
  const double both = -1 + (2.0 * 1.5 + 1.0 * -0.5) / std::sqrt(2.0 * 2.0 + 1.0 * 1.0);
  for (const std::string text : {"you should", "Well, YOU — should!", "ｙｏｕ　ｓｈｏｕｌｄ"})
    EXPECT_NEAR(m->score(text, s).probability, sigmoid(both), 1e-12) << text;
  // The evidence is the heaviest n-gram where it stands in the original, punctuation within.
  const tact::TextModel::Score sc = m->score("Well, you, should.", s);
  EXPECT_EQ(sc.begin, 6u);
  EXPECT_EQ(sc.end, 17u);
  // Words are whole: "yous" is not "you", and "should" alone is the one feature.
  EXPECT_NEAR(m->score("yous should", s).probability, sigmoid(-1 - 0.5), 1e-12);
  EXPECT_NEAR(m->score("you", s).probability, sigmoid(-1), 1e-12);
  // Digits belong to words; a word of letters and digits is not its letters.
  EXPECT_NEAR(m->score("you should2", s).probability, sigmoid(-1), 1e-12);
  const std::vector<tact::TextModel::Contribution> why = m->explain("Oh, you, should", 5);
  ASSERT_EQ(why.size(), 2u);
  EXPECT_EQ(why[0].ngram, "you, should");  // as the view reads it, from first word to last
  EXPECT_EQ(why[1].ngram, "should");
}

TEST(TextModel, ReadsTheFoldedTextAndReportsSpansInTheOriginal) {
  EXPECT_EQ(tact::TextModel::view("憑什麼  ＲＥＦＵＮＤ\t me！"), "凭什么 refund me!");
  EXPECT_EQ(tact::TextModel::view("  a \u3000 b  "), "a b");
  const tact::TextModel m = tiny();
  tact::TextModel::Scratch s;
  // Full-width "ＡＢ" folds to "ab"; the evidence is where it stands in the original.
  const tact::TextModel::Score sc = m.score("x  ＡＢ", s);
  EXPECT_EQ(sc.begin, 3u);
  EXPECT_EQ(sc.end, 5u);
  // Invalid UTF-8 is read as U+FFFD, never a crash.
  EXPECT_NEAR(m.score(std::string("\xFF\xFE"
                                  "ab"),
                      s)
                  .probability,
              sigmoid(0.5), 1e-12);
}

TEST(TextModel, TheShippedModelsAgreeWithScikitLearn) {
  const std::vector<tact::TextModel> models = shipped_models();
  for (const tact::TextModel& m : models) {
    ASSERT_GE(m.checks().size(), 20u) << m.id();
    tact::TextModel::Scratch s;
    for (const tact::TextModel::Check& c : m.checks())
      EXPECT_NEAR(m.score(c.text, s).probability, c.probability, 1e-9) << c.text;
  }
  EXPECT_GE(models.size(), 10u);  // character models, Chinese and English, and English word models
}

// A session scores its playbook's models together (internal::TextModelSet: one table for all
// their n-grams, each turn's n-grams looked up once). Against each model scoring alone, on
// every line of the test calls and on some lines joined two by two: the same probability to the
// bit, the same evidence.
TEST(TextModelSet, ScoresEachTurnAsEachModelAlone) {
  const std::vector<tact::TextModel> models = shipped_models();
  ASSERT_GE(models.size(), 10u);
  std::vector<std::string> lines;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(TACT_SOURCE_DIR "/tests/calls")) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  ASSERT_GE(lines.size(), 5000u);
  for (std::size_t i = 0; i + 1 < lines.size(); i += 7) lines.push_back(lines[i] + lines[i + 1]);
  lines.push_back("");

  const tact::internal::TextModelSet set(models);
  tact::internal::TextModelSet::Scratch together;
  tact::TextModel::Scratch alone;
  std::size_t scored = 0, raised = 0;
  for (const std::string& line : lines) {
    set.read(line, together);
    // From the last model to the first: scoring one must not disturb the next.
    for (std::size_t m = models.size(); m-- > 0;) {
      const tact::TextModel::Score a = models[m].score(line, alone);
      const tact::TextModel::Score b = set.score(m, together);
      ASSERT_EQ(a.probability, b.probability) << models[m].id() << ": " << line;
      ASSERT_EQ(a.begin, b.begin) << models[m].id() << ": " << line;
      ASSERT_EQ(a.end, b.end) << models[m].id() << ": " << line;
      scored += a.probability > 0;
      raised += a.end > a.begin;
    }
  }
  EXPECT_GT(scored, lines.size());  // most lines are read by several models
  EXPECT_GT(raised, lines.size());
}

TEST(TextModel, AChineseOnlyModelScoresOtherTurnsZero) {
  tact::Result<tact::TextModel> m = tact::TextModel::parse(
      R"({"tact_model": 1, "id": "t", "ngrams": [1, 1], "intercept": 3, "script": "han",
          "features": [["a", 1.0, 1.0]]})",
      "t.json");
  ASSERT_TRUE(m.ok()) << m.status();
  tact::TextModel::Scratch s;
  EXPECT_EQ(m->score("a calm English turn", s).probability, 0.0);
  EXPECT_GT(m->score("a 好", s).probability, 0.9);
}

TEST(TextModel, AModelOfTheOtherScriptsScoresChineseTurnsZero) {
  tact::Result<tact::TextModel> m = tact::TextModel::parse(
      R"({"tact_model": 1, "id": "t", "ngrams": [1, 1], "intercept": 3, "script": "no_han",
          "features": [["a", 1.0, 1.0]]})",
      "t.json");
  ASSERT_TRUE(m.ok()) << m.status();
  tact::TextModel::Scratch s;
  EXPECT_GT(m->score("a calm English turn", s).probability, 0.9);
  EXPECT_EQ(m->score("a 好", s).probability, 0.0);  // code-switched: the Chinese model's turn
}

std::string parse_error(const std::string& json) {
  tact::Result<tact::TextModel> m = tact::TextModel::parse(json, "m.json");
  return m.ok() ? "" : m.status().to_string();
}

TEST(TextModel, AModelTrainedWithoutShortTurnsScoresThemZero) {
  tact::Result<tact::TextModel> m = tact::TextModel::parse(
      R"({"tact_model": 1, "id": "t", "ngrams": [1, 2], "intercept": 0, "min_letters": 3,
          "features": [["a", 1.0, 2.0]]})",
      "t.json");
  ASSERT_TRUE(m.ok()) << m.status();
  tact::TextModel::Scratch s;
  // Letters are counted in the view: punctuation, digits and spaces are not letters, a
  // full-width letter is one.
  EXPECT_EQ(m->score("a a!! 12", s).probability, 0.0);
  EXPECT_GT(m->score("a a Ａ", s).probability, 0.5);
  EXPECT_GT(m->score("是呀啊", s).probability, 0.0);
  EXPECT_EQ(m->score("是呀", s).probability, 0.0);
}

// The n-gram table (an open-addressing table behind a one-bit-per-hash filter) against
// std::unordered_map: every key finds its value, every other key finds nothing, at sizes from
// empty to past where the filter has a bit set in most words.
TEST(GramTable, FindsExactlyTheKeysItWasBuiltWith) {
  std::mt19937_64 random(7);
  for (std::size_t size : {0u, 1u, 7u, 64u, 5000u, 40000u}) {
    std::unordered_map<std::uint64_t, std::uint32_t> oracle;
    std::vector<std::uint64_t> keys;
    while (keys.size() < size) {
      // Code point n-gram keys are small; word keys have the top bit set.
      const std::uint64_t k =
          keys.size() % 2 ? random() | tact::internal::GramTable::kWordBit : random() % 200000 + 1;
      if (oracle.emplace(k, static_cast<std::uint32_t>(keys.size())).second) keys.push_back(k);
    }
    tact::internal::GramTable table;
    table.build(keys);
    for (std::uint32_t v = 0; v < keys.size(); ++v) ASSERT_EQ(table.find(keys[v]), v) << size;
    for (int i = 0; i < 100000; ++i) {
      const std::uint64_t k = i % 2 ? random() : random() % 400000 + 1;
      const auto it = oracle.find(k);
      ASSERT_EQ(table.find(k), it == oracle.end() ? tact::internal::GramTable::kNone : it->second)
          << size << " " << k;
    }
  }
}

TEST(TextModel, ErrorsSayWhatAndWhere) {
  EXPECT_EQ(parse_error("{\n  \"tact_model\": 1,\n  oops\n}").substr(0, 34),
            "m.json:3:3: model: invalid JSON: s");
  EXPECT_EQ(parse_error(R"({"id": "x"})"),
            "m.json: model: missing \"tact_model\": 1 (the model format version this tact reads)");
  EXPECT_EQ(parse_error(R"({"tact_model": 1, "id": "x", "ngrams": [1, 2], "intercept": 0,
                            "features": [["ab", 1, 1], ["ab", 1, 2]]})"),
            "m.json: model: feature 2: 'ab' is listed twice");
  EXPECT_EQ(parse_error(R"({"tact_model": 1, "id": "x", "ngrams": [1, 2], "intercept": 0,
                            "features": [["abc", 1, 1]]})"),
            "m.json: model: feature 1: 'abc' is not an n-gram of the model's lengths");
  EXPECT_EQ(parse_error(R"({"tact_model": 1, "id": "x", "ngrams": [1, 1], "intercept": 0,
                            "script": "latin", "features": []})"),
            "m.json: model: \"script\": expected \"any\", \"han\" or \"no_han\", found 'latin'");
  EXPECT_EQ(parse_error(R"({"tact_model": 1, "id": "x", "ngrams": [1, 1], "intercept": 0,
                            "analyzer": "phrase", "features": []})"),
            "m.json: model: \"analyzer\": expected \"char\" or \"word\", found 'phrase'");
  for (const char* gram : {"you  should", " you", "you,should", "you should have"}) {
    EXPECT_EQ(parse_error(std::string(R"({"tact_model": 1, "id": "x", "ngrams": [1, 2],
                            "intercept": 0, "analyzer": "word", "features": [[")") +
                          gram + R"(", 1, 1]]})"),
              std::string("m.json: model: feature 1: '") + gram +
                  "' is not an n-gram of the model's lengths");
  }
  EXPECT_EQ(parse_error(R"({"tact_model": 1, "id": "x", "ngrams": [1, 4], "intercept": 0,
                            "features": []})"),
            "m.json: model: \"ngrams\": expected [min, max] with 1 <= min <= max <= 3");
  // A check the arithmetic here does not reproduce: the model is refused, not used.
  EXPECT_NE(parse_error(R"({"tact_model": 1, "id": "x", "ngrams": [1, 1], "intercept": 0,
                            "features": [["a", 1, 1]], "checks": [["a", 0.5]]})")
                .find("m.json: model: check 1 ('a') scores 0.73"),
            std::string::npos);
}

// A playbook directory with a model beside it.
class ModelPlaybook : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tact_model_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "models");
    std::ofstream(dir_ / "models" / "tiny.json") << kTinyModel;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  tact::Result<tact::Playbook> load(const std::string& yaml) {
    std::ofstream(dir_ / "pb.yaml") << yaml;
    return tact::Playbook::load({(dir_ / "pb.yaml").string()});
  }
  // The findings of one turn fed to `s` (the feed itself must succeed).
  static std::vector<tact::Finding> findings(tact::Session& s, tact::Speaker who,
                                             const std::string& text) {
    tact::Result<tact::Guidance> g = s.feed({who, text, std::nullopt, std::nullopt});
    EXPECT_TRUE(g.ok()) << g.status();
    return g.ok() ? g->findings : std::vector<tact::Finding>{};
  }
  std::filesystem::path dir_;
};

TEST_F(ModelPlaybook, ASignalFiresFromItsPatternOrItsModel) {
  tact::Result<tact::Playbook> pb = load(
      "tact: 1\nid: t\nmodels: {tiny: models/tiny.json}\nsignals:\n"
      "  - {id: upset, match: 生气, model: {id: tiny, above: 0.6}, tags: [anger]}\n");
  ASSERT_TRUE(pb.ok()) << pb.status();
  tact::Session s = pb->start_session();
  // The pattern: its own evidence.
  std::vector<tact::Finding> f = findings(s, tact::Speaker::kCustomer, "我很生气");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence, "生气");
  // The model alone (sigmoid(0.5) = 0.62 >= 0.6): the heaviest n-gram is the evidence.
  f = findings(s, tact::Speaker::kCustomer, "so ab");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence, "ab");
  EXPECT_EQ(f[0].span, (tact::Span{3, 5}));
  // Below the threshold (a "c" pulls it down), and not on an agent's turn.
  EXPECT_TRUE(findings(s, tact::Speaker::kCustomer, "ab c").empty());
  EXPECT_TRUE(findings(s, tact::Speaker::kAgent, "ab").empty());
}

TEST_F(ModelPlaybook, ASignalMayHaveAModelAndNoPattern) {
  tact::Result<tact::Playbook> pb = load(
      "tact: 1\nid: t\nmodels: {tiny: models/tiny.json}\nsignals:\n"
      "  - {id: upset, model: tiny, tags: [anger]}\n");
  ASSERT_TRUE(pb.ok()) << pb.status();
  tact::Session s = pb->start_session();
  EXPECT_EQ(findings(s, tact::Speaker::kCustomer, "ab").size(), 1u);
  EXPECT_TRUE(findings(s, tact::Speaker::kCustomer, "xyz").empty());
}

TEST_F(ModelPlaybook, AForbidRuleFiresFromItsPatternOrItsModel) {
  tact::Result<tact::Playbook> pb = load(
      "tact: 1\nid: t\nmodels: {tiny: models/tiny.json}\nforbid:\n"
      "  - {id: deny, match: 不可能, model: {id: tiny, above: 0.6}, tags: [deflect],\n"
      "     reason: r, instead: i}\n");
  ASSERT_TRUE(pb.ok()) << pb.status();
  tact::Session s = pb->start_session();
  std::vector<tact::Finding> f = findings(s, tact::Speaker::kAgent, "这不可能");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence, "不可能");
  f = findings(s, tact::Speaker::kAgent, "so ab");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, tact::FindingKind::kViolation);
  EXPECT_EQ(f[0].rule, "deny");
  EXPECT_EQ(f[0].evidence, "ab");
  EXPECT_EQ(f[0].instead, "i");
  EXPECT_TRUE(findings(s, tact::Speaker::kAgent, "ab c").empty());
  EXPECT_TRUE(findings(s, tact::Speaker::kCustomer, "so ab").empty());  // the rule's speaker
}

// A rule with several models fires when any one of them is sure enough, each at its own
// threshold; the evidence is the n-gram of the model that fired.
TEST_F(ModelPlaybook, ARuleWithSeveralModelsFiresFromAnyOfThem) {
  std::ofstream(dir_ / "models" / "zed.json")
      << R"({"tact_model": 1, "id": "zed", "ngrams": [1, 1], "intercept": -1,
             "features": [["y", 1.0, 0.0], ["z", 1.0, 3.0]]})";
  tact::Result<tact::Playbook> pb = load(
      "tact: 1\nid: t\nmodels: {tiny: models/tiny.json, zed: models/zed.json}\nsignals:\n"
      "  - {id: upset, model: [{id: tiny, above: 0.6}, {id: zed, above: 0.8}], tags: [anger]}\n");
  ASSERT_TRUE(pb.ok()) << pb.status();
  tact::Session s = pb->start_session();
  std::vector<tact::Finding> f = findings(s, tact::Speaker::kCustomer, "so ab");  // tiny: 0.62
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence, "ab");
  f = findings(s, tact::Speaker::kCustomer, "zz c");  // tiny: 0.05; zed: sigmoid(2) = 0.88
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence, "z");
  EXPECT_EQ(f[0].span, (tact::Span{0, 1}));
  // zed at sigmoid(3 / sqrt(2) - 1) = 0.75: under its own 0.8, though over tiny's 0.6.
  EXPECT_TRUE(findings(s, tact::Speaker::kCustomer, "zy").empty());
  EXPECT_TRUE(findings(s, tact::Speaker::kCustomer, "xyz c").empty());

  // `tact explain` lists each model's say, and says which could not read the turn.
  std::ofstream(dir_ / "models" / "han.json")
      << R"({"tact_model": 1, "id": "han", "ngrams": [1, 1], "intercept": 0, "script": "han",
             "features": [["好", 1.0, 1.0]]})";
  pb = load(
      "tact: 1\nid: t\nmodels: {zed: models/zed.json, han: models/han.json}\nsignals:\n"
      "  - {id: upset, model: [{id: han, above: 0.7}, {id: zed, above: 0.8}], tags: [anger]}\n");
  ASSERT_TRUE(pb.ok()) << pb.status();
  auto checks = [&](tact::Speaker who, const std::string& text) {
    tact::Result<tact::TurnTrace> t = tact::explain_turn(*pb, {}, {who, text, {}, {}});
    EXPECT_TRUE(t.ok()) << t.status();
    std::vector<std::pair<std::string, bool>> out;
    for (const tact::RuleTrace& r : t->rules) {
      if (r.rule != "upset") continue;
      for (const tact::ConditionCheck& c : r.checks) out.emplace_back(c.what, c.held);
    }
    return out;
  };
  using P = std::pair<std::string, bool>;
  EXPECT_EQ(checks(tact::Speaker::kCustomer, "zz"),
            (std::vector<P>{
                {"speaker is customer", true},
                {"or model han does not read this turn (its script, or too few letters)", false},
                {"or model zed scores 0.881 (fires at 0.80 or more)", true}}));
  EXPECT_EQ(
      checks(tact::Speaker::kAgent, "zz"),
      (std::vector<P>{{"speaker is customer", false},
                      {"or model han not scored (the other conditions do not hold)", false},
                      {"or model zed not scored (the other conditions do not hold)", false}}));

  pb = load(
      "tact: 1\nid: t\nmodels: {tiny: models/tiny.json}\nsignals:\n"
      "  - {id: upset, model: [], tags: [anger]}\n");
  ASSERT_FALSE(pb.ok());
  EXPECT_EQ(pb.status().to_string(), (dir_ / "pb.yaml").string() +
                                         ":5:24: signal upset: model: expected at least one model");
}

// Models read one turn through one shared view and table, character and word models together:
// each decides as it does alone.
TEST_F(ModelPlaybook, ModelsSharingATurnScoreAsTheyDoAlone) {
  const char* other = R"({"tact_model": 1, "id": "other", "ngrams": [1, 1], "intercept": 0,
    "features": [["s", 1.0, 2.0], ["c", 1.0, -1.0]]})";
  std::ofstream(dir_ / "models" / "other.json") << other;
  std::ofstream(dir_ / "models" / "words.json") << kWordModel;
  tact::Result<tact::Playbook> pb = load(
      "tact: 1\nid: t\n"
      "models: {tiny: models/tiny.json, other: models/other.json, words: models/words.json}\n"
      "signals:\n  - {id: upset, speaker: agent, model: {id: tiny, above: 0.6}, tags: [anger]}\n"
      "forbid:\n  - {id: deny, model: {id: other, above: 0.6}, tags: [deflect]}\n"
      "  - {id: blame, model: {id: words, above: 0.5}, tags: [blame_customer]}\n");
  ASSERT_TRUE(pb.ok()) << pb.status();
  const tact::TextModel tiny_alone = tiny();
  const tact::TextModel other_alone = *tact::TextModel::parse(other, "other.json");
  const tact::TextModel words_alone = *tact::TextModel::parse(kWordModel, "words.json");
  tact::Session s = pb->start_session();
  int fired = 0, blamed = 0;
  for (const std::string text : {"so ab", "ab c", "sc ab", "xyz", "ＳＯ ＡＢ", "ab",
                                 "you should ab", "so, you should", "should you"}) {
    const std::vector<tact::Finding> f = findings(s, tact::Speaker::kAgent, text);
    tact::TextModel::Scratch scratch;
    const bool upset = tiny_alone.score(text, scratch).probability >= 0.6;
    const bool deny = other_alone.score(text, scratch).probability >= 0.6;
    const bool blame = words_alone.score(text, scratch).probability >= 0.5;
    auto has = [&](const char* rule) {
      return std::any_of(f.begin(), f.end(),
                         [&](const tact::Finding& x) { return x.rule == rule; });
    };
    EXPECT_EQ(has("upset"), upset) << text;
    EXPECT_EQ(has("deny"), deny) << text;
    EXPECT_EQ(has("blame"), blame) << text;
    fired += upset + deny;
    blamed += blame;
  }
  EXPECT_GE(fired, 4);  // the texts exercise every model both ways
  EXPECT_GE(blamed, 2);
  EXPECT_LE(blamed, 7);
}

TEST_F(ModelPlaybook, AnIntentIsDetectedByItsPatternOrItsModel) {
  tact::Result<tact::Playbook> pb = load(
      "tact: 1\nid: t\nmodels: {tiny: models/tiny.json}\nintent:\n  id: dispute\n"
      "  detect: {match: 乱扣钱, model: {id: tiny, above: 0.6}}\n");
  ASSERT_TRUE(pb.ok()) << pb.status();
  auto intents_after = [&](tact::Speaker who, const std::string& text) {
    tact::Session s = pb->start_session();
    tact::Result<tact::Guidance> g = s.feed({who, text, std::nullopt, std::nullopt});
    EXPECT_TRUE(g.ok()) << g.status();
    return g.ok() ? g->intents : std::vector<std::string>{};
  };
  const std::vector<std::string> dispute = {"dispute"};
  EXPECT_EQ(intents_after(tact::Speaker::kCustomer, "你们乱扣钱"), dispute);  // the pattern
  EXPECT_EQ(intents_after(tact::Speaker::kCustomer, "so ab"), dispute);       // the model: 0.62
  EXPECT_TRUE(intents_after(tact::Speaker::kCustomer, "ab c").empty());       // below 0.6
  EXPECT_TRUE(intents_after(tact::Speaker::kAgent, "ab").empty());            // customers only
  // `tact explain` gives the model's say on an intent as on any rule.
  tact::Result<tact::TurnTrace> t =
      tact::explain_turn(*pb, {}, {tact::Speaker::kCustomer, "so ab", {}, {}});
  ASSERT_TRUE(t.ok()) << t.status();
  std::vector<std::pair<std::string, bool>> checks;
  for (const tact::RuleTrace& r : t->rules) {
    if (r.rule != "dispute") continue;
    for (const tact::ConditionCheck& c : r.checks) checks.emplace_back(c.what, c.held);
  }
  EXPECT_EQ(checks, (std::vector<std::pair<std::string, bool>>{
                        {"not already active", true},
                        {"speaker is customer", true},
                        {"match 乱扣钱", false},
                        {"or model tiny scores 0.622 (fires at 0.60 or more)", true}}));
  // A model alone may detect an intent; neither pattern nor model is an error.
  pb = load("tact: 1\nid: t\nmodels: {tiny: models/tiny.json}\nintent: {detect: {model: tiny}}\n");
  ASSERT_TRUE(pb.ok()) << pb.status();
  EXPECT_EQ(intents_after(tact::Speaker::kCustomer, "ab"), std::vector<std::string>{"t"});
  pb = load("tact: 1\nid: t\nintent:\n  detect: {speaker: customer}\n");
  ASSERT_FALSE(pb.ok());
  EXPECT_EQ(pb.status().to_string(), (dir_ / "pb.yaml").string() +
                                         ":4:11: intent t detect: missing required key 'match' "
                                         "(or 'model')");
}

TEST_F(ModelPlaybook, ModelErrorsNameTheFileAndPosition) {
  const std::string file = (dir_ / "pb.yaml").string();
  tact::Result<tact::Playbook> pb =
      load("tact: 1\nid: t\nsignals:\n  - {id: upset, model: nope}\n");
  ASSERT_FALSE(pb.ok());
  EXPECT_EQ(pb.status().to_string(),
            file + ":4:24: rule upset: unknown model 'nope' (declare it under models:)");
  pb = load("tact: 1\nid: t\nmodels:\n  gone: models/gone.json\n");
  ASSERT_FALSE(pb.ok());
  EXPECT_EQ(pb.status().to_string(),
            file + ":4:9: model 'gone': cannot open " + (dir_ / "models" / "gone.json").string());
  std::ofstream(dir_ / "models" / "bad.json") << "{\n  \"tact_model\": 1,\n  oops\n}";
  pb = load("tact: 1\nid: t\nmodels:\n  bad: models/bad.json\n");
  ASSERT_FALSE(pb.ok());
  EXPECT_EQ(pb.status().to_string().substr(0, (dir_ / "models" / "bad.json").string().size() + 4),
            (dir_ / "models" / "bad.json").string() + ":3:3");
  pb = load(
      "tact: 1\nid: t\nmodels: {tiny: models/tiny.json}\nsignals:\n"
      "  - {id: upset, model: {id: tiny, above: 2}}\n");
  ASSERT_FALSE(pb.ok());
  EXPECT_EQ(pb.status().to_string(),
            file + ":5:42: model above: expected a probability from 0 to 1");
  pb = load("tact: 1\nid: t\nsignals:\n  - {id: upset}\n");
  ASSERT_FALSE(pb.ok());
  EXPECT_EQ(pb.status().to_string(),
            file + ":4:5: signal upset: missing required key 'match' (or 'model')");
}

}  // namespace

#include "tact/matcher.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace {

using tact::ErrorCode;
using tact::Lexicons;
using tact::Matcher;
using tact::Span;
using testing::ElementsAre;

// Spans of pattern 0 of a one-pattern matcher, or "no match" as an empty optional.
std::optional<std::vector<Span>> spans(const std::string& pattern, const std::string& text,
                                       const Lexicons& lex = {}) {
  tact::Result<Matcher> m = Matcher::compile({pattern}, lex);
  EXPECT_TRUE(m.ok()) << m.status();
  if (!m.ok()) return std::nullopt;
  tact::Result<tact::MatchResult> r = m->match(text);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok() || r->matches.empty()) return std::nullopt;
  const auto s = r->spans_of(r->matches[0]);
  return std::vector<Span>(s.begin(), s.end());
}

bool matches(const std::string& pattern, const std::string& text, const Lexicons& lex = {}) {
  return spans(pattern, text, lex).has_value();
}

std::string compile_error(const std::string& pattern, const Lexicons& lex = {}) {
  tact::Result<Matcher> m = Matcher::compile({pattern}, lex);
  if (m.ok()) return "compiled";
  std::string msg = m.status().message();
  EXPECT_EQ(msg.rfind("pattern 0: ", 0), 0u) << "compile() names the failing pattern";
  msg.erase(0, 11);
  return msg.substr(0, msg.find('\n'));
}

TEST(Matcher, PhraseIgnoresSeparatorsAndFoldsScripts) {
  EXPECT_TRUE(matches("乱扣钱", "你们怎么乱扣钱啊"));
  EXPECT_TRUE(matches("乱扣钱", "你們怎麼亂扣錢啊"));
  EXPECT_TRUE(matches("亂扣錢", "你们怎么乱扣钱啊"));  // traditional pattern, simplified text
  EXPECT_TRUE(matches("乱扣钱", "乱,扣 钱"));
  EXPECT_TRUE(matches("乱扣钱", "乱\u200B扣钱"));
  EXPECT_FALSE(matches("乱扣钱", "乱扣了钱"));
  EXPECT_TRUE(matches("\"calm down\"", "Please CALM   down!"));
  EXPECT_TRUE(matches("calm down", "ｃａｌｍ ｄｏｗｎ"));
  EXPECT_FALSE(matches("calm down", "calm, then down"));
}

TEST(Matcher, LatinWordsMatchWholeWordsOnly) {
  EXPECT_TRUE(matches("refund", "I want a refund."));
  EXPECT_FALSE(matches("refund", "two refunds"));
  EXPECT_FALSE(matches("fund", "a refund"));
  EXPECT_TRUE(matches("refund", "我的refund什么时候到账"));
  EXPECT_TRUE(matches("REFUND", "ＲＥＦＵＮＤ"));
  EXPECT_FALSE(matches("full refund", "a fullrefund"));
}

TEST(Matcher, PrefixWildcardExtendsTheLastWord) {
  EXPECT_TRUE(matches("refund*", "refund"));
  EXPECT_TRUE(matches("refund*", "refunds"));
  EXPECT_TRUE(matches("refund*", "it was Refunded"));
  EXPECT_FALSE(matches("refund*", "prerefund"));
  EXPECT_TRUE(matches("full refund*", "a full refunds policy"));
  EXPECT_EQ(compile_error("退*"),
            "pattern error at column 1: the wildcard '*' must follow a Latin word or number, as in "
            "refund*");
}

TEST(Matcher, BooleanOperators) {
  EXPECT_TRUE(matches("退款 | refund", "I need a refund"));
  EXPECT_TRUE(matches("退款 & 投诉", "我要投诉，给我退款"));
  EXPECT_FALSE(matches("退款 & 投诉", "给我退款"));
  EXPECT_TRUE(matches("退款 & !投诉", "给我退款"));
  EXPECT_FALSE(matches("退款 & !投诉", "我要投诉，给我退款"));
  EXPECT_TRUE(matches("!投诉", "你好"));
  EXPECT_FALSE(matches("!投诉", "我要投诉"));
  EXPECT_TRUE(matches("!投诉", ""));
}

TEST(Matcher, NearCountsTokensBetweenInEitherOrder) {
  EXPECT_TRUE(matches("不会 NEAR/3 乱扣", "我们不会乱扣"));           // 0 between
  EXPECT_TRUE(matches("不会 NEAR/3 乱扣", "我们不会给您乱扣"));       // 2 between
  EXPECT_TRUE(matches("不会 NEAR/3 乱扣", "我们不会给您们乱扣"));     // 3 between
  EXPECT_FALSE(matches("不会 NEAR/3 乱扣", "我们不会给您们的乱扣"));  // 4 between
  EXPECT_TRUE(matches("不会 NEAR/3 乱扣", "乱扣？我们不会"));         // reversed
  EXPECT_TRUE(matches("refund NEAR/1 days", "refund in days"));
  EXPECT_FALSE(matches("refund NEAR/1 days", "refund in two days"));
}

TEST(Matcher, BeforeRequiresOrder) {
  EXPECT_TRUE(matches("不是 BEFORE/3 责任", "这不是我的责任"));
  EXPECT_FALSE(matches("不是 BEFORE/3 责任", "责任不是我的"));
  EXPECT_FALSE(matches("不是 BEFORE/1 责任", "这不是我们的责任"));
}

TEST(Matcher, JuxtapositionOfGroupsIsAdjacency) {
  EXPECT_TRUE(matches("(您 | 你) 别生气", "您别生气"));
  EXPECT_TRUE(matches("(您 | 你) 别生气", "你，别生气"));
  EXPECT_FALSE(matches("(您 | 你) 别生气", "您先别生气"));
  EXPECT_TRUE(matches("(您 | 你) 先 别生气", "您先别生气"));
}

TEST(Matcher, SpansAreCodePointsOfTheOriginal) {
  EXPECT_THAT(*spans("乱扣钱", "你們怎麼亂扣錢啊"), ElementsAre(Span{4, 7}));
  EXPECT_THAT(*spans("refund", "😀 ＲＥＦＵＮＤ now"), ElementsAre(Span{2, 8}));
  EXPECT_THAT(*spans("退款", "退\u200B款"), ElementsAre(Span{0, 3}));  // covers the ZWSP
  EXPECT_THAT(*spans("不会 NEAR/3 乱扣钱", "我们是不会乱扣钱的"), ElementsAre(Span{3, 8}));
  EXPECT_THAT(*spans("退款 & 投诉", "投诉，退款"), ElementsAre(Span{0, 2}, Span{3, 5}));
  EXPECT_THAT(*spans("退款", "退款退款"), ElementsAre(Span{0, 2}, Span{2, 4}));
  EXPECT_THAT(*spans("!投诉", "你好"), ElementsAre());
}

TEST(Matcher, Lexicons) {
  const Lexicons lex = {{"apology", {"抱歉", "对不起", "\"so sorry\"", "apologi*"}}};
  EXPECT_TRUE(matches("@apology", "非常抱歉", lex));
  EXPECT_TRUE(matches("@apology", "We apologise", lex));
  EXPECT_TRUE(matches("@apology", "I'm so sorry", lex));
  EXPECT_FALSE(matches("@apology", "sorry", lex));
  EXPECT_TRUE(matches("@apology NEAR/4 不便", "对不起给您带来不便", lex));
  EXPECT_EQ(compile_error("@nope", lex),
            "pattern error at column 1: unknown lexicon '@nope' (known: @apology)");
  EXPECT_EQ(compile_error("@x", {{"x", {"(a"}}}).substr(0, 58),
            "pattern error at column 1: in lexicon '@x', entry 1 '(a': ");
  EXPECT_EQ(compile_error("@x", {{"x", {"@y"}}, {"y", {"a"}}}),
            "pattern error at column 1: lexicon '@x' entry '@y' refers to another lexicon");
}

TEST(Matcher, RegexRunsOverTheNormalisedText) {
  EXPECT_TRUE(matches("/\\d+块钱/", "我充了１００塊錢"));  // full-width digits, traditional
  EXPECT_THAT(*spans("/\\d+块钱/", "充了 100 块钱"), ElementsAre(Span{3, 9}));
  EXPECT_TRUE(matches("/^(是呀|是的|对)$/", "是呀。"));
  EXPECT_FALSE(matches("/^(是呀|是的|对)$/", "是呀，但是"));
  EXPECT_TRUE(matches("/塊錢/", "100块钱"));  // the regex is folded like the text
  EXPECT_TRUE(matches("/Refund/", "refund"));
}

TEST(Matcher, RegexErrorsAreCompileErrors) {
  EXPECT_EQ(compile_error("/a*/"),
            "pattern error at column 1: regular expression /a*/ can match empty text");
  EXPECT_EQ(compile_error("x | /(a)\\1/"),
            "pattern error at column 5: regular expression /(a)\\1/: Back-references are "
            "unsupported.");
  EXPECT_EQ(compile_error("/((a|b)/"),
            "pattern error at column 1: regular expression /((a|b)/: Missing close parenthesis "
            "for group started at index 0.");
}

TEST(Matcher, HomophonesCatchSpeechRecognitionErrors) {
  EXPECT_TRUE(matches("~乱扣钱", "你们怎么乱扣前啊"));
  EXPECT_TRUE(matches("~乱扣钱", "你们怎么乱扣钱啊"));
  EXPECT_TRUE(matches("~乱扣钱", "你們怎麼亂扣錢啊"));
  EXPECT_FALSE(matches("~乱扣钱", "你们怎么乱说钱啊"));
  EXPECT_FALSE(matches("乱扣钱", "你们怎么乱扣前啊"));
  EXPECT_THAT(*spans("~乱扣钱", "怎么乱扣前"), ElementsAre(Span{2, 5}));
  EXPECT_TRUE(matches("~\"退款 refund\"", "推宽 refund"));
}

// Homophones of ideographs are matched on tokens, not by Hyperscan: the same hits, wherever
// the run of ideographs is and whatever separates its characters.
TEST(Matcher, HomophonesMatchRunsOfIdeographTokens) {
  EXPECT_THAT(*spans("~扣钱", "扣前扣钱，寇钱"), ElementsAre(Span{0, 2}, Span{2, 4}, Span{5, 7}));
  EXPECT_THAT(*spans("~扣钱", "乱扣，前"), ElementsAre(Span{1, 4}));  // punctuation between
  EXPECT_FALSE(matches("~扣钱", "扣"));                               // runs off the end
  EXPECT_FALSE(matches("~扣钱", "扣 abc 钱"));                        // a word between
  EXPECT_FALSE(matches("~扣钱", "钱扣"));
  EXPECT_TRUE(matches("~扣钱 & 退款", "退款扣前"));
  // Overlapping runs: both starts are found.
  EXPECT_THAT(*spans("~扣扣", "扣扣扣"), ElementsAre(Span{0, 2}, Span{1, 3}));
  // Words in a homophone match as written, first or later (found by fuzzing: as a Hyperscan
  // character class, ~2适款 took seconds to compile).
  EXPECT_THAT(*spans("~\"refund 退款\"", "my refund 推宽!"), ElementsAre(Span{3, 12}));
  EXPECT_FALSE(matches("~\"refund 退款\"", "refunds 推宽"));
  EXPECT_TRUE(matches("Dexlown  ~2适款", "Dexlown 2适款"));
  EXPECT_TRUE(matches("~\U00020000款", "你\U00020000款"));  // an ideograph beyond the BMP
}

TEST(Matcher, PhrasesThatCannotMatchAreCompileErrors) {
  EXPECT_EQ(compile_error("\"\" \"\""),  // found by fuzz_pattern: an empty juxtaposition
            "pattern error at column 1: ' ' has no words after normalisation (only punctuation, "
            "symbols or spaces), so it can never match");
  EXPECT_EQ(compile_error("\"...\""),
            "pattern error at column 1: '...' has no words after normalisation (only punctuation, "
            "symbols or spaces), so it can never match");
}

TEST(Matcher, FillersAreIgnoredInTextsAndPatterns) {
  tact::Matcher::Builder b({}, {}, {"嗯", "呃", "um"});
  ASSERT_TRUE(b.add("乱扣钱").ok());
  ASSERT_TRUE(b.add("\"full um refund\"").ok());  // the pattern's filler goes too
  ASSERT_TRUE(b.add("不会 BEFORE/0 乱扣").ok());
  tact::Result<Matcher> m = std::move(b).build();
  ASSERT_TRUE(m.ok()) << m.status();
  tact::Result<tact::MatchResult> r = m->match("你们乱扣,嗯,钱 不会呃乱扣 a full refund");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->matches.size(), 3u);
  auto spans_of = [&](std::size_t i) {
    const auto s = r->spans_of(r->matches[i]);
    return std::vector<Span>(s.begin(), s.end());
  };
  EXPECT_THAT(spans_of(0), ElementsAre(Span{2, 8}));  // 乱扣,嗯,钱 in the original
  EXPECT_THAT(spans_of(2), ElementsAre(Span{9, 14}));
  EXPECT_EQ(r->normalized.text, "你们乱扣钱不会乱扣a full refund");
  tact::Matcher::Builder bad({}, {}, {"two words"});
  EXPECT_EQ(bad.add("x").status().message(),
            "filler 'two words' must be one word or character after normalisation");
}

TEST(Matcher, ReportsWhichPatternsMatchedInIdOrder) {
  tact::Result<Matcher> m = Matcher::compile({"退款", "refund*", "投诉 & 退款", "!退款", "客服"});
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->size(), 5u);
  tact::Result<tact::MatchResult> r = m->match("我要投诉，退款 refunds!");
  ASSERT_TRUE(r.ok());
  std::vector<std::uint32_t> ids;
  for (const auto& pm : r->matches) ids.push_back(pm.pattern);
  EXPECT_THAT(ids, ElementsAre(0, 1, 2));
  r = m->match("hello");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->matches.size(), 1u);
  EXPECT_EQ(r->matches[0].pattern, 3u);
}

TEST(Matcher, SharedAtomsAreDeduplicated) {
  tact::Matcher::Builder b;
  ASSERT_TRUE(b.add("退款").ok());
  ASSERT_TRUE(b.add("退款 | 投诉").ok());
  tact::Result<Matcher> m = std::move(b).build();
  ASSERT_TRUE(m.ok());
  tact::Result<tact::MatchResult> r = m->match("退款");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->matches.size(), 2u);
  EXPECT_EQ(r->atom_hits.size(), 1u);
  EXPECT_EQ(m->describe_atom(r->atom_hits[0].atom), "phrase 退款");
}

TEST(Matcher, BuilderReportsTheFailingPatternAndKeepsTheOthers) {
  tact::Matcher::Builder b;
  ASSERT_TRUE(b.add("退款").ok());
  tact::Result<std::uint32_t> bad = b.add("投诉 | @missing");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kPatternCompile);
  EXPECT_EQ(bad.status().where().column, 6u);
  tact::Result<std::uint32_t> next = b.add("refund");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 1u);
  tact::Result<Matcher> m = std::move(b).build();
  ASSERT_TRUE(m.ok());
  tact::Result<tact::MatchResult> r = m->match("投诉");  // the failed pattern's atom is inert
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->matches.empty());
}

TEST(Matcher, LiteralSetThatBreaksHyperscansLiteralApiScans) {
  // Found by fuzz_pattern: hs_compile_lit_multi of these literals fails every scan in 5.4.0.
  const std::string long_word = "xll" + std::string(40, 'h');
  tact::Result<Matcher> m = Matcher::compile({"zz", long_word});
  ASSERT_TRUE(m.ok());
  tact::Result<tact::MatchResult> r = m->match("b1a n quote " + long_word);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->matches.size(), 1u);
  EXPECT_EQ(r->matches[0].pattern, 1u);
}

TEST(Matcher, InvalidUtf8AndNulInTextAreSafe) {
  EXPECT_TRUE(matches("退款", "\xFF\xFE退款\xC0\xAF"));
  EXPECT_TRUE(matches("refund", std::string("\0refund\0", 8)));
  EXPECT_TRUE(matches("退款", std::string("退\0款", 7)));  // NUL is a separator, like punctuation
  EXPECT_FALSE(matches("ab", std::string("a\0b", 3)));     // which splits Latin words
}

TEST(Matcher, HitsPerAtomAreCapped) {
  tact::MatcherLimits limits;
  limits.max_hits_per_atom = 10;
  tact::Result<Matcher> m = Matcher::compile({"/a+/", "啊"}, {}, limits);
  ASSERT_TRUE(m.ok()) << m.status();
  tact::Result<tact::MatchResult> r =
      m->match(std::string(100000, 'a') + " " + std::string(300, 'a'));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->truncated);
  ASSERT_EQ(r->matches.size(), 1u);
  EXPECT_LE(r->matches[0].span_count, 10u);
  r = m->match(std::string(1000, 'x') + "啊啊啊");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->truncated);
}

TEST(Matcher, TextLongerThanTheLimitIsAnError) {
  tact::MatcherLimits limits;
  limits.max_text_bytes = 100;
  tact::Result<Matcher> m = Matcher::compile({"a"}, {}, limits);
  ASSERT_TRUE(m.ok());
  tact::Result<tact::MatchResult> r = m->match(std::string(101, 'a'));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kLimit);
  EXPECT_EQ(r.status().message(), "text is 101 bytes, limit 100");
}

TEST(Matcher, ScratchOfAnotherMatcherIsAnErrorNotACrash) {
  tact::Result<Matcher> a = Matcher::compile({"/ab+c/"});
  tact::Result<Matcher> b = Matcher::compile({"/x.*y/", "zz", "/(ftps?|https?).*\\?+$/"});
  ASSERT_TRUE(a.ok() && b.ok());
  tact::Result<Matcher::Scratch> sa = a->make_scratch();
  ASSERT_TRUE(sa.ok());
  tact::MatchResult r;
  tact::Status s = b->match("xzzy", *sa, r);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(a->match("abbc", *sa, r).ok());
  EXPECT_EQ(r.matches.size(), 1u);
}

TEST(Matcher, OneMatcherIsSharedByThreadsEachWithItsScratch) {
  tact::Result<Matcher> m =
      Matcher::compile({"退款", "refund*", "不会 NEAR/3 乱扣钱", "/\\d+块/", "~投诉", "!客服"});
  ASSERT_TRUE(m.ok());
  const std::vector<std::string> texts = {"我们不会乱扣钱", "refunds 退款", "100块 投书",
                                          "客服你好"};
  std::vector<std::vector<std::uint32_t>> expected;
  for (const auto& t : texts) {
    tact::Result<tact::MatchResult> r = m->match(t);
    ASSERT_TRUE(r.ok());
    std::vector<std::uint32_t> ids;
    for (const auto& pm : r->matches) ids.push_back(pm.pattern);
    expected.push_back(ids);
  }
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      tact::Result<Matcher::Scratch> scratch = m->make_scratch();
      tact::MatchResult r;
      for (int i = 0; i < 2000; ++i) {
        const std::size_t k = static_cast<std::size_t>(i) % texts.size();
        if (!m->match(texts[k], *scratch, r).ok()) ++mismatches;
        std::vector<std::uint32_t> ids;
        for (const auto& pm : r.matches) ids.push_back(pm.pattern);
        if (ids != expected[k]) ++mismatches;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(Matcher, SubsetsMatchOnlyTheirPatternsAndScanOnlyTheirAtoms) {
  Matcher::Builder b;
  ASSERT_TRUE(b.add("退款").ok());           // 0
  ASSERT_TRUE(b.add("投诉 NEAR/3 经理").ok());  // 1
  ASSERT_TRUE(b.add("!投诉").ok());          // 2
  EXPECT_EQ(b.add_subset({3}).status().code(), ErrorCode::kInvalidArgument);
  tact::Result<std::uint32_t> first = b.add_subset({1, 2});
  tact::Result<std::uint32_t> second = b.add_subset({0});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, 1u);
  EXPECT_EQ(*second, 2u);
  tact::Result<Matcher> m = std::move(b).build();
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->subsets(), 2u);
  tact::Result<Matcher::Scratch> scratch = m->make_scratch();
  ASSERT_TRUE(scratch.ok());
  tact::MatchResult r;
  auto ids = [&] {
    std::vector<std::uint32_t> out;
    for (const auto& pm : r.matches) out.push_back(pm.pattern);
    return out;
  };
  const std::string text = "我要投诉，找你们经理，还要退款";
  ASSERT_TRUE(m->match(text, *scratch, r, *first).ok());
  EXPECT_THAT(ids(), ElementsAre(1));
  EXPECT_EQ(r.atom_hits.size(), 2u);  // 投诉 and 经理; 退款 is not scanned for
  ASSERT_TRUE(m->match("没事了", *scratch, r, *first).ok());
  EXPECT_THAT(ids(), ElementsAre(2));  // matches with no hit, within its subset only
  ASSERT_TRUE(m->match(text, *scratch, r, *second).ok());
  EXPECT_THAT(ids(), ElementsAre(0));
  ASSERT_TRUE(m->match(text, *scratch, r).ok());  // every pattern, built on first use
  EXPECT_THAT(ids(), ElementsAre(0, 1));
  EXPECT_EQ(m->match(text, *scratch, r, 3).code(), ErrorCode::kInvalidArgument);
}

}  // namespace

#include "tact/pattern.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace {

using tact::ErrorCode;
using tact::Pattern;
using Kind = tact::PatternNode::Kind;

std::string canon(std::string_view src) {
  tact::Result<Pattern> p = Pattern::parse(src);
  if (!p.ok()) return "ERROR: " + p.status().message();
  return p->to_string();
}

// The first line of the error message (the rest is the caret display).
std::string error_of(std::string_view src) {
  tact::Result<Pattern> p = Pattern::parse(src);
  if (p.ok()) return "parsed: " + p->to_string();
  const std::string& m = p.status().message();
  return m.substr(0, m.find('\n'));
}

TEST(Pattern, ParsesEveryOperator) {
  EXPECT_EQ(canon("乱扣钱"), "乱扣钱");
  EXPECT_EQ(canon("\"calm down\""), "\"calm down\"");
  EXPECT_EQ(canon("calm down"), "(calm down)");
  EXPECT_EQ(canon("refund*"), "refund*");
  EXPECT_EQ(canon("a | b"), "(a | b)");
  EXPECT_EQ(canon("a OR b"), "(a | b)");
  EXPECT_EQ(canon("a & b"), "(a & b)");
  EXPECT_EQ(canon("a AND b"), "(a & b)");
  EXPECT_EQ(canon("a & !b"), "(a & !b)");
  EXPECT_EQ(canon("a AND NOT b"), "(a & !b)");
  EXPECT_EQ(canon("a NEAR/3 b"), "(a NEAR/3 b)");
  EXPECT_EQ(canon("a BEFORE/0 b"), "(a BEFORE/0 b)");
  EXPECT_EQ(canon("(a | b) & c"), "((a | b) & c)");
  EXPECT_EQ(canon("@apology"), "@apology");
  EXPECT_EQ(canon("/\\d+块钱/"), "/\\d+块钱/");
  EXPECT_EQ(canon("~乱扣钱"), "~乱扣钱");
  EXPECT_EQ(canon("~\"乱 扣钱\""), "~\"乱 扣钱\"");
}

TEST(Pattern, PrecedenceIsNotThenProximityThenJuxtapositionThenAndThenOr) {
  EXPECT_EQ(canon("a | b & c"), "(a | (b & c))");
  EXPECT_EQ(canon("a & b | c"), "((a & b) | c)");
  EXPECT_EQ(canon("a b & c"), "((a b) & c)");
  EXPECT_EQ(canon("a NEAR/2 b c"), "((a NEAR/2 b) c)");
  EXPECT_EQ(canon("!a & b"), "(!a & b)");
  EXPECT_EQ(canon("a NEAR/1 b BEFORE/2 c"), "((a NEAR/1 b) BEFORE/2 c)");
  EXPECT_EQ(canon("a | b | c"), "(a | b | c)");  // n-ary operators flatten
  // Found by the differential test: a nested distance must not overwrite the outer one.
  EXPECT_EQ(canon("a BEFORE/1 ((x NEAR/0 y) | z)"), "(a BEFORE/1 ((x NEAR/0 y) | z))");
  EXPECT_EQ(canon("a & b & c | d"), "((a & b & c) | d)");
}

TEST(Pattern, OperatorWordsAreUpperCaseOnly) {
  EXPECT_EQ(canon("not a"), "(not a)");
  EXPECT_EQ(canon("a or b"), "(a or b)");
  EXPECT_EQ(canon("ORANGE NOTE"), "(ORANGE NOTE)");
  EXPECT_EQ(canon("\"NOT\""), "\"NOT\"");
}

TEST(Pattern, QuotesEscapeAndAllowOperators) {
  EXPECT_EQ(canon("\"a | b\""), "\"a | b\"");
  tact::Result<Pattern> p = Pattern::parse(R"("say \"hi\" \\ now")");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->root().text, R"(say "hi" \ now)");
}

TEST(Pattern, WhitespaceIncludesTheIdeographicSpace) {
  EXPECT_EQ(canon("退款\u3000|\u3000refund"), "(退款 | refund)");
}

TEST(Pattern, NodesCarryTheirColumnsInCodePoints) {
  tact::Result<Pattern> p = Pattern::parse("乱扣钱 | !多扣 & @x");
  ASSERT_TRUE(p.ok());
  const auto& root = p->root();
  ASSERT_EQ(root.kind, Kind::kOr);
  EXPECT_EQ(root.children[0].column, 1u);
  const auto& rhs = root.children[1];
  ASSERT_EQ(rhs.kind, Kind::kAnd);
  EXPECT_EQ(rhs.children[0].kind, Kind::kNot);
  EXPECT_EQ(rhs.children[0].column, 7u);
  EXPECT_EQ(rhs.children[0].children[0].column, 8u);
  EXPECT_EQ(rhs.children[1].column, 13u);
}

TEST(Pattern, CanonicalFormParsesBackToTheSameForm) {
  for (const char* src : {"a | b & c", "(不会 | 不可能) NEAR/3 (乱扣 | 扣错)", "x y z* & !\"q r\"",
                          "~乱扣钱 BEFORE/2 /\\d+/ | @lex", "NOT (a OR b) AND c d"}) {
    const std::string once = canon(src);
    EXPECT_EQ(canon(once), once) << src;
  }
}

TEST(Pattern, ErrorsSayWhatWasExpectedAndWhere) {
  EXPECT_EQ(error_of("(乱扣钱 | 多扣"),
            "pattern error at column 10: expected ')' after '(乱扣钱 | 多扣', at end of pattern");
  EXPECT_EQ(error_of("\"abc"),
            "pattern error at column 5: expected '\"' to close the phrase after '\"abc', at end of "
            "pattern");
  EXPECT_EQ(error_of("/abc"),
            "pattern error at column 5: expected '/' to close the regular expression after "
            "'/abc', at end of pattern");
  EXPECT_EQ(error_of("a NEAR b"),
            "pattern error at column 8: expected '/' and a distance (as in NEAR/3) after 'a "
            "NEAR', found 'b'");
  EXPECT_EQ(error_of("a NEAR/x b"),
            "pattern error at column 8: expected a number of tokens (as in NEAR/3) after 'a "
            "NEAR/', found 'x'");
  EXPECT_EQ(error_of("a NEAR/5000 b"),
            "pattern error at column 8: distance 5000 is too large (at most 1000 tokens)");
  EXPECT_EQ(error_of("a |"),
            "pattern error at column 4: expected a word, \"phrase\", /regex/, @lexicon, "
            "~homophone or '(' after 'a |', at end of pattern");
  EXPECT_EQ(error_of("| a"),
            "pattern error at column 1: expected a word, \"phrase\", /regex/, @lexicon, "
            "~homophone or '(', found '|'");
  EXPECT_EQ(error_of("a )"), "pattern error at column 3: unexpected ')'");
  EXPECT_EQ(error_of("@"),
            "pattern error at column 2: expected a lexicon name (letters, digits, '_' or '-') "
            "after '@', at end of pattern");
  EXPECT_EQ(
      error_of("~"),
      "pattern error at column 2: expected a word or \"phrase\" after '~', at end of pattern");
  EXPECT_EQ(error_of("a AND"),
            "pattern error at column 6: expected a word, \"phrase\", /regex/, @lexicon, "
            "~homophone or '(' after 'a AND', at end of pattern");
  EXPECT_EQ(error_of("退款 ）"), "parsed: (退款 ）)");  // full-width bracket is text, not syntax
  EXPECT_EQ(error_of(""), "empty pattern");
  EXPECT_EQ(error_of(" \t "), "empty pattern");
}

TEST(Pattern, NotCannotStandWherePositionsAreCompared) {
  auto expected = [](int column) {
    return "pattern error at column " + std::to_string(column) +
           ": NOT cannot be part of a phrase, NEAR or BEFORE (it has no position); combine it "
           "with '&', as in 'a & !b'";
  };
  EXPECT_EQ(error_of("a !b"), expected(3));
  EXPECT_EQ(error_of("!a NEAR/2 b"), expected(1));
  EXPECT_EQ(error_of("x & a BEFORE/3 NOT y"), expected(16));
  EXPECT_EQ(canon("!a"), "!a");  // alone it means "a does not occur"
}

TEST(Pattern, ErrorMessageShowsACaretUnderTheColumn) {
  tact::Result<Pattern> p = Pattern::parse("(乱扣钱 | 多扣");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), ErrorCode::kPatternSyntax);
  EXPECT_EQ(p.status().where().column, 10u);
  // Ideographs are two terminal cells wide: the caret sits after 多扣.
  EXPECT_THAT(p.status().message(), testing::EndsWith("\n  (乱扣钱 | 多扣\n                ^"));
}

TEST(Pattern, ErrorInAPatternOverSeveralLinesShowsItsOwnLine) {
  tact::Result<Pattern> p = Pattern::parse("退款 |\n  投诉 NEAR/x 钱\n  | 多扣");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().where().column, 16u);
  EXPECT_EQ(p.status().message(),
            "pattern error at column 16: expected a number of tokens (as in NEAR/3) after "
            "'...投诉 NEAR/', found 'x'\n    投诉 NEAR/x 钱\n              ^");
}

TEST(Pattern, RejectsNulAndInvalidUtf8) {
  EXPECT_EQ(error_of(std::string("退\0款", 7)),
            "pattern error at column 2: NUL character not allowed");
  EXPECT_EQ(error_of("退\xFF款"), "pattern error at column 2: invalid UTF-8");
}

TEST(Pattern, DepthIsLimitedBeforeTheParserRecurses) {
  const std::string deep = std::string(100000, '(') + "a" + std::string(100000, ')');
  tact::Result<Pattern> p = Pattern::parse(deep, {1 << 20, 64, 1000});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), ErrorCode::kLimit);
  EXPECT_THAT(p.status().message(), testing::HasSubstr("nested deeper than 64 levels"));
  EXPECT_EQ(p.status().where().column, 65u);

  std::string nots;
  for (int i = 0; i < 10000; ++i) nots += "NOT ";
  p = Pattern::parse(nots + "a", {1 << 20, 64, 1000});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), ErrorCode::kLimit);

  // 64 levels are fine.
  EXPECT_TRUE(Pattern::parse(std::string(64, '(') + "a" + std::string(64, ')')).ok());
  // Parentheses inside quotes and regexes do not count.
  std::string quoted;
  quoted += '"';
  quoted.append(100, '(');
  quoted += "\" | /";
  quoted.append(100, '(');
  quoted += '/';
  EXPECT_TRUE(Pattern::parse(quoted).ok());
}

TEST(Pattern, DeepParsingOnASmallStackDoesNotOverflow) {
  // Hosts (Python threads, embedding apps) may run us on small stacks.
  std::string src;
  for (int i = 0; i < 32; ++i) src += "(a & NOT ";
  src += "b";
  for (int i = 0; i < 32; ++i) src += ")";
  bool ok = false;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  // AddressSanitizer's redzones make every frame several times larger; the 256 KiB promise is
  // for normal builds.
#if defined(__SANITIZE_ADDRESS__)
  pthread_attr_setstacksize(&attr, 2048 * 1024);
#else
  pthread_attr_setstacksize(&attr, 256 * 1024);
#endif
  pthread_t t;
  struct Arg {
    std::string* src;
    bool* ok;
  } arg{&src, &ok};
  ASSERT_EQ(pthread_create(
                &t, &attr,
                [](void* a) -> void* {
                  auto* arg = static_cast<Arg*>(a);
                  *arg->ok = Pattern::parse(*arg->src).ok();
                  return nullptr;
                },
                &arg),
            0);
  pthread_join(t, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_TRUE(ok);
}

TEST(Pattern, AlternatingOperatorsAtDepth60Parse) {
  // A grammar whose alternatives share a prefix takes 65 s at depth 20 and doubles per level, so
  // at depth 60 it would never finish: the test's CTest timeout is the guard, not a timer here.
  std::string src = "x";
  for (int i = 0; i < 60; ++i)
    src = "(" + src + (i % 2 ? " & " : " | ") + "y" + std::to_string(i) + ")";
  tact::Result<Pattern> p = Pattern::parse(src);
  ASSERT_TRUE(p.ok()) << p.status();
}

TEST(Pattern, SizeIsLimited) {
  tact::Result<Pattern> p = Pattern::parse(std::string(20000, 'a'));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), ErrorCode::kLimit);
  EXPECT_EQ(p.status().message(),
            "pattern is 20000 bytes, limit 16384 (move long phrase lists into a lexicon)");
}

}  // namespace

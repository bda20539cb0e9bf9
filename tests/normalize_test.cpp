#include "tact/normalize.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using tact::NormalizedText;
using tact::Normalizer;

std::string norm(std::string_view s) { return Normalizer::standard().normalize(s).text; }

std::vector<std::string> tokens(std::string_view s) {
  NormalizedText n = Normalizer::standard().normalize(s);
  std::vector<std::string> out;
  for (const tact::Token& t : n.tokens) out.push_back(n.text.substr(t.begin, t.end - t.begin));
  return out;
}

// The original text a token came from, cut by its code point span.
std::string source_of(std::string_view original, const tact::Token& t) {
  std::u32string cps;
  std::string out;
  std::uint32_t cp = 0;
  for (std::size_t i = 0; i < original.size();) {
    std::size_t len = 1;
    while (i + len < original.size() &&
           (static_cast<unsigned char>(original[i + len]) & 0xC0) == 0x80)
      ++len;
    if (cp >= t.source_begin && cp < t.source_end) out += original.substr(i, len);
    ++cp;
    i += len;
  }
  return out;
}

TEST(Normalizer, FoldsTraditionalToSimplified) {
  EXPECT_EQ(norm("你們怎麼亂扣錢"), norm("你们怎么乱扣钱"));
  EXPECT_EQ(norm("你們怎麼亂扣錢"), "你们怎么乱扣钱");
  EXPECT_EQ(norm("退款進度查詢"), "退款进度查询");
}

TEST(Normalizer, VariantClassesMeetOnBothSides) {
  // 著/着 and 乾/干/幹 are one class each, whichever form either side uses.
  EXPECT_EQ(norm("著"), norm("着"));
  EXPECT_EQ(norm("乾"), norm("干"));
  EXPECT_EQ(norm("幹"), norm("干"));
  // 帳單 (Taiwan) and 账单 (mainland) are one word; OpenCC folds 帳 to 帐, not to 账.
  EXPECT_EQ(norm("帳單"), norm("账单"));
  EXPECT_EQ(norm("帳戶"), norm("賬戶"));
  EXPECT_EQ(norm("帐号"), "账号");
}

TEST(Normalizer, FoldsWidthAndCase) {
  EXPECT_EQ(norm("ＲＥＦＵＮＤ"), "refund");
  EXPECT_EQ(norm("Refund"), "refund");
  EXPECT_EQ(norm("１２３块"), "123块");
  EXPECT_EQ(norm("ﬁle"), "file");  // compatibility expansion
  EXPECT_EQ(norm("STRASSE"), norm("straße"));
}

TEST(Normalizer, VariantClassesFoldToTheCommonSimplifiedForm) {
  // 了/瞭, 借/藉, 仿/彷: the traditional character is also simplified in some words (瞭望),
  // but the class folds to the everyday form, which is what tools show users.
  EXPECT_EQ(norm("記錄下來了"), "记录下来了");
  EXPECT_EQ(norm("瞭解"), "了解");
  EXPECT_EQ(norm("藉口"), "借口");
  EXPECT_EQ(norm("彷彿"), "仿佛");
}

TEST(Normalizer, PunctuationAndSpacesSeparateTokensButVanishBetweenIdeographs) {
  EXPECT_EQ(norm("乱,扣 钱"), "乱扣钱");
  EXPECT_EQ(norm("乱，扣　钱！"), "乱扣钱");
  EXPECT_EQ(norm("calm   down!!"), "calm down");
  EXPECT_EQ(norm("我的refund什么时候到账"), "我的refund什么时候到账");
  EXPECT_EQ(norm("I want 退款 now"), "i want退款now");
  EXPECT_EQ(norm("...,,,  "), "");
  EXPECT_EQ(norm(""), "");
}

TEST(Normalizer, TokensAreIdeographsOrLetterDigitRuns) {
  EXPECT_THAT(tokens("100块钱refund2次"), testing::ElementsAre("100", "块", "钱", "refund2", "次"));
  EXPECT_THAT(tokens("don't"), testing::ElementsAre("dont"));  // as ASR writes it: dont
  EXPECT_THAT(tokens("don’t"), testing::ElementsAre("dont"));
  EXPECT_THAT(tokens("that's it"), testing::ElementsAre("thats", "it"));
  EXPECT_THAT(tokens("'quoted' rock''n"), testing::ElementsAre("quoted", "rock", "n"));
  EXPECT_THAT(tokens("dogs' 退款"), testing::ElementsAre("dogs", "退", "款"));
  // A combining mark after an apostrophe does not join (found by fuzzing: joining made the
  // mark compose with the letter before the apostrophe only when normalised a second time).
  const std::string once = norm("z'\u0301x");
  EXPECT_EQ(norm(once), once);
  // Nor does one left without a base: after an invalid byte (U+FFFD, a separator) the
  // half-width sound mark would compose with the katakana before it when normalised again.
  const std::string orphan = norm("\uFF8C\xA2\uFF9F");
  EXPECT_EQ(norm(orphan), orphan);
  EXPECT_EQ(orphan, "\u30D5");
  // The same for a Hangul vowel cut from its consonant by a control character.
  const std::string jamo = norm("\uFFB2\x1A\uFFD2");
  EXPECT_EQ(norm(jamo), jamo);
  EXPECT_THAT(tokens("ありがとう"), testing::ElementsAre("あ", "り", "が", "と", "う"));
  EXPECT_THAT(tokens("감사합니다"), testing::ElementsAre("감", "사", "합", "니", "다"));
  NormalizedText n = Normalizer::standard().normalize("退款 refund");
  ASSERT_EQ(n.tokens.size(), 3u);
  EXPECT_FALSE(n.tokens[0].is_word);
  EXPECT_TRUE(n.tokens[2].is_word);
}

TEST(Normalizer, DropsDefaultIgnorablesSoZeroWidthCannotSplitAWord) {
  for (const char* zw : {"\u200B", "\u200C", "\u200D", "\u00AD", "\uFE0F", "\u2060", "\uFEFF"}) {
    const std::string text = std::string("退") + zw + "款";
    EXPECT_EQ(norm(text), "退款") << "U+" << std::hex << zw;
    EXPECT_EQ(norm(std::string("re") + zw + "fund"), "refund");
  }
  // The span of a word covers the ignorable inside it.
  NormalizedText n = Normalizer::standard().normalize("a re\u200Bfund");
  ASSERT_EQ(n.tokens.size(), 2u);
  EXPECT_EQ(n.tokens[1].source_begin, 2u);
  EXPECT_EQ(n.tokens[1].source_end, 9u);
}

TEST(Normalizer, ComposesCombiningSequences) {
  EXPECT_EQ(norm("re\u0301fund"), norm("r\u00E9fund"));
  EXPECT_EQ(norm("e\u0301"), "\u00E9");
  NormalizedText n = Normalizer::standard().normalize("xe\u0301 y");
  ASSERT_EQ(n.tokens.size(), 2u);
  EXPECT_EQ(n.tokens[0].source_end, 3u);  // x, e, U+0301
  EXPECT_EQ(n.tokens[1].source_begin, 4u);
}

TEST(Normalizer, SpansCountCodePointsOfTheOriginal) {
  const std::string text = "😀 您好，ＲＥＦＵＮＤ 乱扣钱";
  NormalizedText n = Normalizer::standard().normalize(text);
  ASSERT_EQ(n.tokens.size(), 6u);
  EXPECT_EQ(n.source_code_points, 15u);
  EXPECT_EQ(n.tokens[0].source_begin, 2u);  // the emoji is one code point and a separator
  EXPECT_EQ(source_of(text, n.tokens[2]), "ＲＥＦＵＮＤ");
  EXPECT_EQ(n.tokens[2].source_begin, 5u);
  EXPECT_EQ(n.tokens[2].source_end, 11u);
  EXPECT_EQ(source_of(text, n.tokens[5]), "钱");
}

TEST(Normalizer, ReplacesInvalidUtf8AndNeverCrashes) {
  // Lone byte, overlong, surrogate, truncated at the end: each maximal subpart is one U+FFFD.
  for (const std::string& bad : {std::string("退\xFF款"), std::string("退\xC0\xAF款"),
                                 std::string("退\xED\xA0\x80款"), std::string("退款\xE4\xB8")}) {
    NormalizedText n = Normalizer::standard().normalize(bad);
    EXPECT_GE(n.replaced_sequences, 1u);
    EXPECT_EQ(n.text, "退款");
  }
  NormalizedText n = Normalizer::standard().normalize(
      "a\xFF"
      "b");
  EXPECT_EQ(n.replaced_sequences, 1u);
  EXPECT_EQ(n.source_code_points, 3u);
  EXPECT_EQ(n.text, "a b");
}

TEST(Normalizer, NulIsASeparatorNotAnEnd) {
  const std::string text("退\0款 refund", sizeof("退\0款 refund") - 1);
  EXPECT_EQ(norm(text), "退款refund");
}

TEST(Normalizer, ReusedBufferGivesTheSameResult) {
  NormalizedText buf;
  const Normalizer& n = Normalizer::standard();
  n.normalize("a much longer text with many words 还有中文", buf);
  n.normalize("短", buf);
  EXPECT_EQ(buf.text, "短");
  EXPECT_EQ(buf.tokens.size(), 1u);
  EXPECT_EQ(buf.source_code_points, 1u);
}

TEST(Normalizer, FoldIsPerCodePoint) {
  const Normalizer& n = Normalizer::standard();
  EXPECT_EQ(n.fold(U'錢'), U"钱");
  EXPECT_EQ(n.fold(U'Ｋ'), U"k");
  EXPECT_EQ(n.fold(U'\u200B'), U"");
  EXPECT_EQ(n.char_class(U'钱'), tact::CharClass::kSingle);
  EXPECT_EQ(n.char_class(U'k'), tact::CharClass::kWord);
  EXPECT_EQ(n.char_class(U'，'), tact::CharClass::kSeparator);
}

}  // namespace

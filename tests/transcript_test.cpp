#include "tact/transcript.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using tact::Speaker;

std::vector<std::pair<Speaker, std::string>> turns(std::string_view text,
                                                   const tact::SpeakerLabels& extra = {}) {
  tact::Result<tact::Call> call = tact::read_text_transcript(text, "call.txt", extra);
  EXPECT_TRUE(call.ok());
  std::vector<std::pair<Speaker, std::string>> out;
  for (const tact::Turn& t : call->turns) out.emplace_back(t.speaker, t.text);
  return out;
}

using P = std::pair<Speaker, std::string>;
constexpr Speaker kAgent = Speaker::kAgent;
constexpr Speaker kCustomer = Speaker::kCustomer;

TEST(TextTranscript, ReadsTheTrainingMaterialStyle) {
  const char* text =
      "下面是某通讯公司电话录音\n"
      "用户:喂,你们怎么乱扣钱啊\n"
      "(这时话务员要弄明白用户说的“乱扣钱”是什么意思)\n"
      "客服:请问您在哪里查到乱扣钱了?\n"
      "客户：“喂！您好！咱们××银行给我亏了15%的股本怎么办呢?”\n"
      "座席:“您好,请问有什么可以帮您?”（标准开头语）\n"
      "Customer: I was charged twice\n"
      "Agent: \"Sorry about that.\"\n";
  EXPECT_THAT(turns(text),
              testing::ElementsAre(
                  P{kCustomer, "喂,你们怎么乱扣钱啊"}, P{kAgent, "请问您在哪里查到乱扣钱了?"},
                  P{kCustomer, "喂！您好！咱们××银行给我亏了15%的股本怎么办呢?"},
                  P{kAgent, "您好,请问有什么可以帮您?"}, P{kCustomer, "I was charged twice"},
                  P{kAgent, "Sorry about that."}));
}

TEST(TextTranscript, SplitsAtTheFirstColonAndKeepsUnclosedQuotes) {
  EXPECT_THAT(turns("客户:时间是10:30\n客户:“喂\n"),
              testing::ElementsAre(P{kCustomer, "时间是10:30"}, P{kCustomer, "喂"}));
}

TEST(TextTranscript, SkipsNarrationUnknownLabelsAndCommentOnlyLines) {
  EXPECT_THAT(turns("注意:这是旁白\n质检员:不是通话\n座席:(沉默)\n\n   \n"), testing::IsEmpty());
}

TEST(TextTranscript, LineEndingsBomAndTheLastLine) {
  EXPECT_THAT(turns("\xEF\xBB\xBF客户:一\r\n座席:二\r座席:三"),
              testing::ElementsAre(P{kCustomer, "一"}, P{kAgent, "二"}, P{kAgent, "三"}));
}

TEST(TextTranscript, TraditionalLabels) {
  EXPECT_THAT(turns("用戶:你們怎麼亂扣錢\n話務員:您好\n客戶:好\n"),
              testing::ElementsAre(P{kCustomer, "你們怎麼亂扣錢"}, P{kAgent, "您好"},
                                   P{kCustomer, "好"}));
}

TEST(TextTranscript, ExtraLabelsFromPlaybooks) {
  EXPECT_THAT(turns("话务员:您好\n", {{"话务员", kAgent}}),
              testing::ElementsAre(P{kAgent, "您好"}));
  EXPECT_THAT(turns("AGENT: hi\n"),
              testing::ElementsAre(P{kAgent, "hi"}));  // ASCII case-insensitive
}

TEST(TextTranscript, InvalidUtf8IsReplacedNotFatal) {
  EXPECT_THAT(turns("客户:退\xFF款\n"), testing::ElementsAre(P{kCustomer, "退\xEF\xBF\xBD款"}));
}

TEST(JsonlTranscript, ReadsACall) {
  tact::Result<tact::Call> c = tact::read_jsonl_call(
      R"({"id": "c1", "turns": [{"speaker": "customer", "text": "我要退款", "start": 0.5, "end": 1.5},)"
      R"( {"speaker": "agent", "text": "好的"}]})");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->id, "c1");
  ASSERT_EQ(c->turns.size(), 2u);
  EXPECT_EQ(c->turns[0].speaker, kCustomer);
  EXPECT_EQ(c->turns[0].start, 0.5);
  EXPECT_EQ(c->turns[1].speaker, kAgent);
  EXPECT_FALSE(c->turns[1].end.has_value());
}

TEST(JsonlTranscript, FastAndCarefulParsersAgree) {
  // The fast path declines these; the careful one decides.
  tact::Result<tact::Call> numeric = tact::read_jsonl_call(R"({"id": 7, "turns": []})");
  ASSERT_TRUE(numeric.ok());
  EXPECT_EQ(numeric->id, "7");
  EXPECT_THAT(tact::read_jsonl_call(R"({"turns": []} {"turns": []})").status().message(),
              testing::HasSubstr("parse error"));
  tact::Result<tact::Call> escaped = tact::read_jsonl_call(
      R"({"turns": [{"text": "\u9000\u6b3e \"ok\"", "speaker": "customer", "start": null}]})");
  ASSERT_TRUE(escaped.ok());
  EXPECT_EQ(escaped->turns[0].text, "退款 \"ok\"");
  EXPECT_EQ(escaped->turns[0].speaker, Speaker::kCustomer);
  // Brackets inside strings are not nesting, whatever backslashes precede a quote; what
  // follows the object still counts.
  const std::string brackets(40, '[');
  tact::Result<tact::Call> quoted = tact::read_jsonl_call(
      R"({"turns": [{"speaker": "agent", "text": "\"\\)" + brackets + R"(\\\"\\"}]})");
  ASSERT_TRUE(quoted.ok()) << quoted.status().message();
  EXPECT_EQ(quoted->turns[0].text, "\"\\" + brackets + "\\\"\\");
  EXPECT_THAT(tact::read_jsonl_call(R"({"turns": [{"speaker": "agent", "text": "\\"}]} [)")
                  .status()
                  .message(),
              testing::HasSubstr("parse error"));
}

TEST(JsonlTranscript, ErrorsNameTheField) {
  auto error = [](std::string_view line) { return tact::read_jsonl_call(line).status().message(); };
  EXPECT_THAT(error(R"({"text": "abc)"), testing::StartsWith("parse error at line 1, column 14"));
  EXPECT_EQ(error(R"([1])"), "expected a JSON object for the call");
  EXPECT_EQ(error(R"({"id": "x"})"), "turns: expected an array of turns");
  EXPECT_EQ(error(R"({"turns": [{"speaker": "agent", "text": 42}]})"),
            "turns[0].text: expected a string");
  EXPECT_EQ(error(R"({"turns": [{"speaker": "agent", "text": "a", "start": "4.87"}]})"),
            "turns[0].start: expected a number of seconds");
  EXPECT_EQ(error(std::string(100000, '[')), "nested deeper than 16 levels");
  EXPECT_THAT(error(R"({"turns": [{"speaker": "agent", "text": "\ud800"}]})"),
              testing::HasSubstr("surrogate"));
}

}  // namespace

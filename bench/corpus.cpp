#include "corpus.hpp"

#include <random>
#include <set>

namespace tact::bench {
namespace {

// Words of the domain (billing, refunds, complaints), as speech recognition writes them.
const std::vector<std::string> kChineseWords = {
    "您好",     "请问",     "有什么", "可以",   "帮您", "我们",   "你们",     "怎么",   "乱扣钱",
    "扣费",     "话费",     "套餐",   "流量",   "充值", "一百块", "停机",     "退款",   "到账",
    "什么时候", "投诉",     "领导",   "经理",   "处理", "核实",   "查询",     "一下",   "系统",
    "显示",     "短信",     "清单",   "营业厅", "打印", "账单",   "费用",     "多扣",   "不会",
    "不可能",   "没有办法", "这个",   "那个",   "问题", "情况",   "非常抱歉", "对不起", "不好意思",
    "理解",     "您的心情", "别生气", "冷静",   "马上", "帮您",   "解决",     "申请",   "补偿",
    "赔偿",     "损失",     "股票",   "亏了",   "产品", "推荐",   "购买",     "后续",   "回复",
    "小时内",   "工作日",   "谢谢",   "再见",   "来电", "客户",   "账户",     "银行卡", "订单",
    "支付",     "失败",     "成功",   "已经",   "还是", "但是",   "因为",     "所以",   "就是",
    "然后",     "嗯",       "呃",     "那个",   "是的", "对",     "好的",     "明白",   "知道",
    "責任",     "這個",     "為什麼", "亂扣錢", "退費", "處理",   "帳單",     "時候",   "問題",
    "電話",
};
const std::vector<std::string> kEnglishWords = {
    "hello",       "thank",   "you",        "for",        "calling",      "how",
    "may",         "i",       "help",       "refund",     "refunds",      "charged",
    "twice",       "my",      "account",    "bill",       "billing",      "payment",
    "order",       "cancel",  "please",     "sorry",      "apologize",    "understand",
    "frustrating", "manager", "supervisor", "ridiculous", "unacceptable", "when",
    "will",        "get",     "money",      "back",       "days",         "business",
    "within",      "the",     "a",          "this",       "is",           "not",
    "fair",        "calm",    "down",       "policy",     "cannot",       "do",
    "anything",
};
const std::vector<std::string> kSeparators = {"", "", "", "，", "。", " ", "？", "！", "、", ","};

std::string pick(const std::vector<std::string>& v, std::mt19937& rng) {
  return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
}

// A pattern phrase: usually two words (a set of 10,000 patterns then rarely repeats itself, as
// a real rule set would not), sometimes one or three.
std::string phrase(std::mt19937& rng) {
  const bool english = rng() % 10 == 0;
  const std::vector<std::string>& words = english ? kEnglishWords : kChineseWords;
  const unsigned n = rng() % 10 == 0 ? 1 : rng() % 5 == 0 ? 3 : 2;
  std::string p;
  for (unsigned i = 0; i < n; ++i) p += (english && i ? " " : "") + pick(words, rng);
  return p;
}

}  // namespace

std::vector<std::string> utterances(std::size_t count, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::string u;
    const bool english = rng() % 10 == 0;
    const int words = 3 + static_cast<int>(rng() % 14);
    for (int w = 0; w < words; ++w) {
      if (english) {
        if (w) u += " ";
        std::string word = pick(kEnglishWords, rng);
        if (rng() % 20 == 0) word[0] = static_cast<char>(word[0] - 32);  // Capitalised
        u += word;
      } else {
        if (w) u += pick(kSeparators, rng);
        u += pick(kChineseWords, rng);
        if (rng() % 25 == 0) u += pick(kEnglishWords, rng);  // code-switching
      }
    }
    u += english ? "." : "。";
    out.push_back(std::move(u));
  }
  return out;
}

std::vector<std::string> patterns(std::size_t count, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::set<std::string> seen;
  std::vector<std::string> out;
  while (out.size() < count) {
    const std::string a = "\"" + phrase(rng) + "\"", b = "\"" + phrase(rng) + "\"";
    const unsigned kind = rng() % 20;
    std::string p = kind < 14   ? a
                    : kind < 17 ? a + " | " + b
                    : kind < 19 ? a + " NEAR/3 " + b
                                : a + " & !" + b;
    if (seen.insert(p).second) out.push_back(std::move(p));
  }
  return out;
}

std::string call_jsonl(std::size_t index, std::uint32_t seed) {
  static const std::vector<std::string> kCustomer = {
      "你们怎么乱扣钱啊", "我充了100块钱没两天就停机了", "太过分了，我要投诉", "让你们领导来接电话",
      "这不是你的责任吗", "why was I charged twice",     "我要退款",           "好的，谢谢"};
  static const std::vector<std::string> kAgent = {"您好，请问有什么可以帮您？",
                                                  "我们是不会乱扣钱的",
                                                  "您先别生气",
                                                  "非常抱歉给您带来困扰，我马上帮您查一下",
                                                  "请问您是在哪里看到这笔扣费的？",
                                                  "是呀",
                                                  "谢谢您的来电，再见",
                                                  "您可以到营业厅打印清单"};
  std::mt19937 rng(seed + static_cast<std::uint32_t>(index) * 7919u);
  static const std::vector<std::string> filler = utterances(4096, 11);
  const int turns = 4 + static_cast<int>(rng() % 13);
  std::string out = "{\"id\": \"call-" + std::to_string(index) + "\", \"turns\": [";
  for (int t = 0; t < turns; ++t) {
    const bool agent = t % 2 == 1;
    const std::string& text =
        rng() % 3 == 0 ? (agent ? kAgent : kCustomer)[rng() % 8] : filler[rng() % filler.size()];
    out += std::string(t ? ", " : "") + "{\"speaker\": \"" + (agent ? "agent" : "customer") +
           "\", \"text\": \"" + text + "\"}";
  }
  return out + "]}";
}

std::vector<std::string> phrases_of(const std::vector<std::string>& patterns) {
  std::set<std::string> out;
  for (const std::string& p : patterns) {
    for (std::size_t i = p.find('"'); i != std::string::npos; i = p.find('"', i + 1)) {
      const std::size_t j = p.find('"', i + 1);
      out.insert(p.substr(i + 1, j - i - 1));
      i = j;
    }
  }
  return {out.begin(), out.end()};
}

}  // namespace tact::bench

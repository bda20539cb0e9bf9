// The text transcript format of the training material: "客户:……" / "座席:“……”" lines.
#include <unicode/utf8.h>

#include <array>

#include "common/utf8.hpp"
#include "tact/transcript.hpp"

namespace tact {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Trims ASCII whitespace and the ideographic space U+3000.
std::string_view trim(std::string_view s) {
  for (;;) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
      s.remove_prefix(1);
    } else if (starts_with(s, "\xE3\x80\x80")) {
      s.remove_prefix(3);
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
      s.remove_suffix(1);
    } else if (ends_with(s, "\xE3\x80\x80")) {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  return s;
}

// Removes trainer comments: text in (…) or （…）, when the bracket closes on the line.
std::string strip_comments(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const bool ascii_open = s[i] == '(';
    const bool wide_open = starts_with(s.substr(i), "\xEF\xBC\x88");  // （
    if (ascii_open || wide_open) {
      std::size_t close = std::string_view::npos;
      for (std::size_t j = i + (ascii_open ? 1 : 3); j < s.size(); ++j) {
        if (s[j] == ')') {
          close = j + 1;
          break;
        }
        if (starts_with(s.substr(j), "\xEF\xBC\x89")) {  // ）
          close = j + 3;
          break;
        }
      }
      if (close != std::string_view::npos) {
        i = close;
        continue;
      }
    }
    out.push_back(s[i++]);
  }
  return out;
}

// Strips quotes around the speech: “…”, 「…」, "…" (an unclosed opening quote too).
std::string_view strip_quotes(std::string_view s) {
  for (std::string_view open : {"\xE2\x80\x9C", "\xE3\x80\x8C", "\""}) {  // “ 「 "
    if (starts_with(s, open)) {
      s.remove_prefix(open.size());
      break;
    }
  }
  for (std::string_view close : {"\xE2\x80\x9D", "\xE3\x80\x8D", "\""}) {  // ” 」 "
    if (ends_with(s, close)) {
      s.remove_suffix(close.size());
      break;
    }
  }
  return trim(s);
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

const char* speaker_name(Speaker s) {
  switch (s) {
    case Speaker::kAgent:
      return "agent";
    case Speaker::kCustomer:
      return "customer";
    case Speaker::kUnknown:
      break;
  }
  return "unknown";
}

Speaker speaker_from_label(std::string_view label, const SpeakerLabels& extra) {
  const std::string l = ascii_lower(trim(label));
  // Simplified and traditional forms (用戶, 話務員): transcripts from Taiwan and Hong Kong.
  static const std::array<std::pair<std::string_view, Speaker>, 17> kBuiltIn = {{
      {"客户", Speaker::kCustomer},
      {"用户", Speaker::kCustomer},
      {"顾客", Speaker::kCustomer},
      {"customer", Speaker::kCustomer},
      {"user", Speaker::kCustomer},
      {"caller", Speaker::kCustomer},
      {"座席", Speaker::kAgent},
      {"坐席", Speaker::kAgent},
      {"客服", Speaker::kAgent},
      {"话务员", Speaker::kAgent},
      {"agent", Speaker::kAgent},
      {"客服代表", Speaker::kAgent},
      {"顧客", Speaker::kCustomer},
      {"客戶", Speaker::kCustomer},
      {"用戶", Speaker::kCustomer},
      {"話務員", Speaker::kAgent},
      {"使用者", Speaker::kCustomer},
  }};
  for (const auto& [name, speaker] : kBuiltIn) {
    if (l == name) return speaker;
  }
  for (const auto& [name, speaker] : extra) {
    if (ascii_lower(trim(name)) == l) return speaker;
  }
  return Speaker::kUnknown;
}

Result<Call> read_text_transcript(std::string_view bytes, std::string id,
                                  const SpeakerLabels& extra) {
  if (starts_with(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
  const std::string text = internal::repair_utf8(bytes);
  Call call;
  call.id = std::move(id);
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = trim(std::string_view(text).substr(pos, end - pos));
    pos = end + 1;
    if (end < text.size() && text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n')
      ++pos;

    const std::size_t ascii = line.find(':');
    const std::size_t wide = line.find("\xEF\xBC\x9A");  // ：
    const std::size_t colon = std::min(ascii, wide);
    if (colon == std::string_view::npos) continue;  // narration
    const Speaker speaker = speaker_from_label(line.substr(0, colon), extra);
    if (speaker == Speaker::kUnknown) continue;  // narration that happens to contain a colon
    const std::size_t after = colon + (colon == wide ? 3 : 1);
    std::string speech(strip_quotes(trim(strip_comments(line.substr(after)))));
    if (speech.empty()) continue;  // only a comment
    call.turns.push_back({speaker, std::move(speech), std::nullopt, std::nullopt});
  }
  return call;
}

}  // namespace tact

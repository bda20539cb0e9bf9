#include "cli/json_output.hpp"

#include <simdjson.h>

#include <charconv>

#include "common/utf8.hpp"

namespace tact::cli {

void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ", ";
    first_.back() = false;
  }
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  out_ += '{';
  first_.push_back(true);
  return *this;
}
JsonWriter& JsonWriter::end_object() {
  out_ += '}';
  first_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::begin_array() {
  separate();
  out_ += '[';
  first_.push_back(true);
  return *this;
}
JsonWriter& JsonWriter::end_array() {
  out_ += ']';
  first_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::key(std::string_view k) {
  separate();
  out_ += '"';
  out_ += k;
  out_ += "\": ";
  after_key_ = true;
  return *this;
}

namespace {

// Non-ASCII text is validated in bulk only when longer than this: the SIMD validator has a
// fixed cost that the code-point walk below beats on short strings.
constexpr std::size_t kBulkCheckBytes = 48;

// Whether `s` goes between quotes as it is: no control character, quote or backslash, and valid
// UTF-8 — printable ASCII (keys, names, ids, English text) at once, longer non-ASCII strings
// (messages, advice, utterances) through the validator. The byte test is branch-free, a few
// instructions per byte, far less than the code-point walk.
bool needs_no_escaping(std::string_view s) {
  unsigned char special = 0, high = 0;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    special |= static_cast<unsigned char>((c < 0x20) | (c == '"') | (c == '\\'));
    high |= c;
  }
  if (special != 0) return false;
  if (high < 0x80) return true;
  return s.size() >= kBulkCheckBytes && simdjson::validate_utf8(s.data(), s.size());
}

}  // namespace

JsonWriter& JsonWriter::string(std::string_view s) {
  separate();
  out_ += '"';
  if (needs_no_escaping(s)) {
    out_ += s;
    out_ += '"';
    return *this;
  }
  std::size_t run = 0;  // start of the bytes not yet copied: copied in runs, not per character
  internal::for_each_code_point(s, [&](std::size_t begin, std::size_t end, UChar32 c) {
    if (c >= 0x20 && c != '"' && c != '\\') return true;
    out_.append(s.substr(run, begin - run));
    run = end;
    if (c < 0) {
      out_ += "\xEF\xBF\xBD";
    } else if (c == '"' || c == '\\') {
      out_ += '\\';
      out_ += static_cast<char>(c);
    } else {
      static const char* kHex = "0123456789abcdef";
      switch (c) {
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          out_ += "\\u00";
          out_ += kHex[c >> 4];
          out_ += kHex[c & 15];
      }
    }
    return true;
  });
  out_.append(s.substr(run));
  out_ += '"';
  return *this;
}

JsonWriter& JsonWriter::number(std::int64_t n) {
  separate();
  char digits[24];
  out_.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
  return *this;
}
JsonWriter& JsonWriter::null() {
  separate();
  out_ += "null";
  return *this;
}
JsonWriter& JsonWriter::boolean(bool b) {
  separate();
  out_ += b ? "true" : "false";
  return *this;
}
JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  out_ += json;
  return *this;
}

JsonWriter& JsonWriter::strings(const std::vector<std::string>& v) {
  begin_array();
  for (const std::string& s : v) string(s);
  return end_array();
}

void write_finding(JsonWriter& w, const Finding& f) {
  w.begin_object();
  w.key("kind").string(finding_kind_name(f.kind));
  w.key("rule").string(f.rule);
  w.key("tags").strings(f.tags);
  w.key("severity").string(severity_name(f.severity));
  w.key("turn");
  f.turn ? w.number(*f.turn) : w.null();
  w.key("speaker").string(speaker_name(f.speaker));
  w.key("evidence");
  f.evidence.empty() ? w.null() : w.string(f.evidence);
  w.key("span");
  f.span ? w.begin_array().number(f.span->begin).number(f.span->end).end_array() : w.null();
  w.key("message").string(f.message);
  w.key("instead");
  f.instead.empty() ? w.null() : w.string(f.instead);
  w.end_object();
}

std::string guidance_line(const std::string& call, const Guidance& g) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("call").string(call);
  w.key("turn").number(g.turn);
  w.key("speaker").string(speaker_name(g.speaker));
  w.key("intents").strings(g.intents);
  w.key("stage");
  g.stage.empty() ? w.null() : w.string(g.stage);
  w.key("recommendations").begin_array();
  for (const Recommendation& r : g.recommendations) {
    w.begin_object()
        .key("rule")
        .string(r.rule)
        .key("text")
        .string(r.text)
        .key("tags")
        .strings(r.tags)
        .end_object();
  }
  w.end_array();
  w.key("findings").begin_array();
  for (const Finding& f : g.findings) write_finding(w, f);
  w.end_array();
  w.end_object();
  return out;
}

std::string closing_line(const std::string& call, const CallReport& r) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("call").string(call);
  w.key("turn").null();
  w.key("speaker").null();
  w.key("intents").strings(r.intents);
  w.key("stage").null();
  w.key("recommendations").begin_array().end_array();
  w.key("findings").begin_array();
  for (const Finding& f : r.findings) {
    if (f.kind == FindingKind::kMissing) write_finding(w, f);
  }
  w.end_array();
  w.key("score").number(r.score);
  w.end_object();
  return out;
}

}  // namespace tact::cli

// One call per JSON line: {"id": "…", "turns": [{"speaker", "text", "start", "end"}]}.
//
// Lines are parsed with simdjson's on-demand API (the batch path of `tact qa` reads millions);
// a line it rejects is parsed again with nlohmann-json, whose errors say where the problem is.
#include <simdjson.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "tact/transcript.hpp"

namespace tact {
namespace {

constexpr int kMaxDepth = 16;  // calls are shallow; deeper input is malformed or hostile

Status bad(const std::string& what) { return Status(ErrorCode::kInvalidArgument, what); }

// Nesting depth outside strings, checked before nlohmann builds (and later copies) the tree; and
// whether the line holds one object and nothing after it (simdjson's on-demand parser stops at
// the end of the first value).
struct Shape {
  bool too_deep = false;
  bool one_object = false;
};

Shape shape_of(std::string_view s) {
  Shape shape;
  int depth = 0;
  bool in_string = false, closed = false;
  std::size_t first = s.find_first_not_of(" \t\r\n");
  shape.one_object = first != std::string_view::npos && s[first] == '{';
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (in_string) {
      // Strings are most of a line: jump to the next quote that an odd run of backslashes
      // does not escape.
      const auto* quote = static_cast<const char*>(std::memchr(s.data() + i, '"', s.size() - i));
      if (quote == nullptr) break;
      i = static_cast<std::size_t>(quote - s.data());
      std::size_t backslashes = 0;
      while (s[i - 1 - backslashes] == '\\') ++backslashes;
      in_string = backslashes % 2 == 1;
      continue;
    }
    const char c = s[i];
    if (closed && c != ' ' && c != '\t' && c != '\r' && c != '\n') shape.one_object = false;
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) {
        shape.too_deep = true;
        return shape;
      }
    } else if ((c == ']' || c == '}') && --depth == 0) {
      closed = true;
    }
  }
  return shape;
}

std::optional<double> time_field(const nlohmann::json& turn, const char* key, std::size_t index,
                                 Status& error) {
  auto it = turn.find(key);
  if (it == turn.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) {
    error = bad("turns[" + std::to_string(index) + "]." + key + ": expected a number of seconds");
    return std::nullopt;
  }
  return it->get<double>();
}

namespace od = simdjson::ondemand;

// Optional seconds: null or a number.
bool fast_time(od::value v, std::optional<double>& out) {
  bool is_null = false;
  if (v.is_null().get(is_null)) return false;
  if (is_null) return true;
  double d;
  if (v.get_double().get(d)) return false;
  out = d;
  return true;
}

bool fast_turn(od::value item, Turn& turn) {
  od::object t;
  if (item.get_object().get(t)) return false;
  bool speaker = false, text = false;
  for (auto field : t) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) return false;
    std::string_view s;
    if (key == "speaker") {
      if (v.get_string().get(s)) return false;
      turn.speaker = speaker_from_label(s);
      speaker = true;
    } else if (key == "text") {
      if (v.get_string().get(s)) return false;
      turn.text = s;
      text = true;
    } else if (key == "start" || key == "end") {
      if (!fast_time(v, key == "start" ? turn.start : turn.end)) return false;
    }
  }
  return speaker && text;
}

// The common case, without building a document tree. False on anything unusual: the careful
// parser then decides, and explains.
bool fast_call(std::string_view line, Call& call) {
  thread_local od::parser parser;
  const simdjson::padded_string padded(line);
  od::document doc;
  od::object obj;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(obj)) return false;
  bool have_turns = false;
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) return false;
    if (key == "id") {
      std::string_view id;
      if (v.get_string().get(id)) return false;  // numbers and errors: the careful path
      call.id = id;
    } else if (key == "turns") {
      od::array turns;
      if (v.get_array().get(turns)) return false;
      call.turns.clear();
      for (auto item : turns) {
        od::value value;
        if (item.get(value)) return false;
        Turn turn;
        if (!fast_turn(value, turn)) return false;
        call.turns.push_back(std::move(turn));
      }
      have_turns = true;
    }
  }
  return have_turns;
}

Result<Call> careful_call(std::string_view line);

}  // namespace

Result<Call> read_jsonl_call(std::string_view line) {
  const Shape shape = shape_of(line);
  if (shape.too_deep) return bad("nested deeper than " + std::to_string(kMaxDepth) + " levels");
  Call call;
  if (shape.one_object && fast_call(line, call)) return call;
  return careful_call(line);
}

namespace {

Result<Call> careful_call(std::string_view line) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line);
  } catch (const nlohmann::json::parse_error& e) {
    std::string msg = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 14: syntax error ..."
    if (auto at = msg.find("parse error"); at != std::string::npos) msg = msg.substr(at);
    return bad(msg);
  } catch (const nlohmann::json::exception& e) {
    return bad(e.what());
  }
  if (!j.is_object()) return bad("expected a JSON object for the call");
  Call call;
  if (auto id = j.find("id"); id != j.end()) {
    if (id->is_string()) {
      call.id = id->get<std::string>();
    } else if (id->is_number_integer()) {
      call.id = std::to_string(id->get<long long>());
    } else {
      return bad("id: expected a string");
    }
  }
  auto turns = j.find("turns");
  if (turns == j.end() || !turns->is_array()) return bad("turns: expected an array of turns");
  for (std::size_t i = 0; i < turns->size(); ++i) {
    const nlohmann::json& t = (*turns)[i];
    const std::string where = "turns[" + std::to_string(i) + "]";
    if (!t.is_object()) return bad(where + ": expected an object");
    Turn turn;
    auto speaker = t.find("speaker");
    if (speaker == t.end() || !speaker->is_string())
      return bad(where + ".speaker: expected a string");
    turn.speaker = speaker_from_label(speaker->get<std::string>());
    auto text = t.find("text");
    if (text == t.end() || !text->is_string()) return bad(where + ".text: expected a string");
    turn.text = text->get<std::string>();
    Status error;
    turn.start = time_field(t, "start", i, error);
    turn.end = time_field(t, "end", i, error);
    if (!error.ok()) return error;
    call.turns.push_back(std::move(turn));
  }
  return call;
}

}  // namespace
}  // namespace tact

// One call per JSON line: {"id": "…", "turns": [{"speaker", "text", "start", "end"}]}.
#include <nlohmann/json.hpp>

#include "tact/transcript.hpp"

namespace tact {
namespace {

constexpr int kMaxDepth = 16;  // calls are shallow; deeper input is malformed or hostile

Status bad(const std::string& what) { return Status(ErrorCode::kInvalidArgument, what); }

// Nesting depth outside strings, checked before nlohmann builds (and later copies) the tree.
bool too_deep(std::string_view s) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
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

}  // namespace

Result<Call> read_jsonl_call(std::string_view line) {
  if (too_deep(line)) return bad("nested deeper than " + std::to_string(kMaxDepth) + " levels");
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
    if (speaker == t.end() || !speaker->is_string()) return bad(where + ".speaker: expected a string");
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

}  // namespace tact

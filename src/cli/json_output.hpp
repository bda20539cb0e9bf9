// The JSON shapes of docs/output-format.md, written straight to text (no document tree: output
// is the hot path of `tact qa`). Strings are escaped per RFC 8259; invalid UTF-8 becomes U+FFFD.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tact/guidance.hpp"

namespace tact::cli {

/// Appends JSON to a string. Commas are placed automatically.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);  ///< one of our own field names: written as is
  JsonWriter& string(std::string_view s);
  JsonWriter& number(std::int64_t n);
  JsonWriter& null();
  JsonWriter& boolean(bool b);
  JsonWriter& strings(const std::vector<std::string>& v);
  JsonWriter& raw(std::string_view json);  ///< a value already written as JSON

 private:
  void separate();
  std::string& out_;
  std::vector<char> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

void write_finding(JsonWriter& w, const Finding& f);
/// {"call", "turn", "speaker", "intents", "stage", "recommendations", "findings"}
std::string guidance_line(const std::string& call, const Guidance& g);
/// Closes a call in `tact guide --format jsonl`: turn and speaker null, the missing steps as
/// findings, and the score.
std::string closing_line(const std::string& call, const CallReport& r);

}  // namespace tact::cli

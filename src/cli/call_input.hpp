// Reading calls for `tact guide` and `tact qa`: a text transcript is one call per file, a JSONL
// file one call per line; the format is chosen by --input-format or detected from the content.
// Reading and parsing are separate steps so that `tact qa` parses on its worker threads.
#pragma once

#include <functional>
#include <istream>
#include <string>

#include "tact/transcript.hpp"

namespace tact::cli {

enum class InputFormat { kAuto, kText, kJsonl };

/// The bytes of one call, not yet parsed.
struct RawCall {
  std::string source;      // "calls.jsonl:17" or "call.txt"
  std::string default_id;  // the id when the call names none: "calls:17", "call"
  InputFormat format = InputFormat::kText;
  std::string bytes;
  Status error;  // set when the bytes could not even be read (then nothing is parsed)
};

/// Parses a raw call. Errors: those of the readers, or the RawCall's own error.
Result<Call> parse_call(const RawCall& raw, const SpeakerLabels& labels);

/// Splits `in` (named `source`) into raw calls and hands each to `sink`, in order. Empty input
/// (only whitespace) of an undetected format holds no calls. Returns false only if the input
/// itself cannot be read.
bool read_raw_calls(std::istream& in, const std::string& source, InputFormat format,
                    const std::function<void(RawCall)>& sink);

}  // namespace tact::cli

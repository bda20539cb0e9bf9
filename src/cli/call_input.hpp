// Reading calls for `tact guide` and `tact qa`: a text transcript is one call per file, a JSONL
// file one call per line; the format is chosen by --input-format or detected from the content.
#pragma once

#include <functional>
#include <istream>
#include <string>

#include "tact/transcript.hpp"

namespace tact::cli {

enum class InputFormat { kAuto, kText, kJsonl };

/// One call read from an input, or why it could not be read.
struct CallInput {
  std::string source;  // "calls.jsonl:17" or "call.txt"
  Result<Call> call = Status(ErrorCode::kInternal, "unset");
};

/// Reads every call of `in` (named `source`) and hands each to `sink`, in order. A JSONL line
/// that cannot be read becomes a CallInput with the error; the rest go on. Returns false only if
/// the input itself cannot be read.
bool read_calls(std::istream& in, const std::string& source, InputFormat format,
                const SpeakerLabels& labels, const std::function<void(CallInput)>& sink);

}  // namespace tact::cli

// Turns of a call, and the readers that make them from files.
//
//   tact::Result<tact::Call> call = tact::read_text_transcript(bytes, "call.txt");
//   for (const tact::Turn& t : call->turns) ...   // 客户:你们怎么乱扣钱啊 -> {kCustomer,
//   "你们怎么乱扣钱啊"}
//
// Formats:
//   text   the training-material style: lines "客户:……" / "座席:“……”" / "用户:" / "客服:" /
//          "Customer:" / "Agent:" (full- or half-width colon, split at the first one; curly quotes
//          around the speech stripped). Text in parentheses, full-width or ASCII, is a trainer's
//          comment and removed; lines without a known speaker label are narration and skipped.
//          One call per file.
//   jsonl  one call per line: {"id": "…", "turns": [{"speaker": "agent"|"customer", "text": "…",
//          "start": 1.2, "end": 3.4}]}; a bad line is an error for that call only.
// Turns are numbered from 0 in the order read.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tact/status.hpp"

namespace tact {

enum class Speaker : std::uint8_t { kUnknown, kAgent, kCustomer };

/// "agent", "customer" or "unknown".
const char* speaker_name(Speaker s);

/// One finished utterance. Times are seconds from the start of the call, when known.
struct Turn {
  Speaker speaker = Speaker::kUnknown;
  std::string text;
  std::optional<double> start;
  std::optional<double> end;
};

struct Call {
  std::string id;
  std::vector<Turn> turns;
};

/// Speaker labels of the text format, beyond the built-in ones (客户 用户 顾客 Customer User /
/// 座席 坐席 客服 话务员 Agent). Keys are compared after trimming, case-insensitively for ASCII.
using SpeakerLabels = std::map<std::string, Speaker, std::less<>>;

/// Parses a text-format transcript. Invalid UTF-8 is replaced, never an error. Errors: none today
/// (a file with no speaker lines is an empty call); the Result leaves room for stricter modes.
Result<Call> read_text_transcript(std::string_view bytes, std::string id,
                                  const SpeakerLabels& extra_labels = {});

/// Parses one JSONL line into a call. Errors: kInvalidArgument naming the column and the field.
Result<Call> read_jsonl_call(std::string_view line);

/// Recognises a speaker label (客户, Agent, ...) or the JSON names "agent"/"customer".
Speaker speaker_from_label(std::string_view label, const SpeakerLabels& extra_labels = {});

}  // namespace tact

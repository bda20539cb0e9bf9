#include "cli/call_input.hpp"

#include <filesystem>
#include <sstream>

namespace tact::cli {
namespace {

constexpr std::size_t kMaxLineBytes = 64u << 20;  // one JSONL call; longer lines are errors

std::string stem(const std::string& source) {
  const std::string name = std::filesystem::path(source).stem().string();
  return name.empty() ? source : name;
}

}  // namespace

Result<Call> parse_call(const RawCall& raw, const SpeakerLabels& labels) {
  if (!raw.error.ok()) return raw.error;
  if (raw.format == InputFormat::kText)
    return read_text_transcript(raw.bytes, raw.default_id, labels);
  Result<Call> call = read_jsonl_call(raw.bytes);
  if (call.ok() && call->id.empty()) call->id = raw.default_id;
  return call;
}

bool read_raw_calls(std::istream& in, const std::string& source, InputFormat format,
                    const std::function<void(RawCall)>& sink) {
  if (format == InputFormat::kAuto) {
    const int c = (in >> std::ws).peek();
    if (c == std::char_traits<char>::eof()) return !in.bad();  // empty input: no calls
    format = c == '{' ? InputFormat::kJsonl : InputFormat::kText;
  }
  if (format == InputFormat::kText) {
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) return false;
    sink({source, stem(source), format, buf.str(), Status()});
    return true;
  }
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    RawCall raw{source + ":" + std::to_string(number), stem(source) + ":" + std::to_string(number),
                format, std::string(), Status()};
    if (line.size() > kMaxLineBytes) {
      raw.error = Status(ErrorCode::kLimit, "line longer than 64 MiB");
    } else {
      raw.bytes = std::move(line);
    }
    sink(std::move(raw));
  }
  return !in.bad();
}

}  // namespace tact::cli

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

bool read_calls(std::istream& in, const std::string& source, InputFormat format,
                const SpeakerLabels& labels, const std::function<void(CallInput)>& sink) {
  if (format == InputFormat::kAuto) {
    const int c = (in >> std::ws).peek();
    format = c == '{' ? InputFormat::kJsonl : InputFormat::kText;
  }
  if (format == InputFormat::kText) {
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) return false;
    sink({source, read_text_transcript(buf.str(), stem(source), labels)});
    return true;
  }
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = source + ":" + std::to_string(number);
    if (line.size() > kMaxLineBytes) {
      sink({where, Status(ErrorCode::kLimit, "line longer than 64 MiB")});
      continue;
    }
    Result<Call> call = read_jsonl_call(line);
    if (call.ok() && call->id.empty()) call->id = stem(source) + ":" + std::to_string(number);
    sink({where, std::move(call)});
  }
  return !in.bad();
}

}  // namespace tact::cli

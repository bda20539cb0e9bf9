#include "cli/lexicon_file.hpp"

#include <unicode/utf8.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

namespace tact::cli {
namespace {

constexpr std::size_t kMaxPlaybookBytes = 16u << 20;

Status error_at(const std::string& path, const YAML::Mark& m, const std::string& what) {
  return Status(ErrorCode::kPlaybook, what,
                {path, static_cast<std::uint32_t>(m.line + 1), static_cast<std::uint32_t>(m.column + 1)});
}

// yaml-cpp 0.7.0 neither validates UTF-8 nor rejects control characters (a raw 0x04 silently
// ends the document), so check the bytes first. Returns the first problem with its position.
Status check_bytes(const std::string& path, const std::string& data) {
  std::uint32_t line = 1, col = 1;
  const auto* p = reinterpret_cast<const std::uint8_t*>(data.data());
  const auto n = static_cast<int32_t>(data.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return Status(ErrorCode::kPlaybook, "invalid UTF-8", {path, line, col});
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "%04X", static_cast<unsigned>(c));
      return Status(ErrorCode::kPlaybook, std::string("control character U+") + hex + " not allowed",
                    {path, line, col});
    }
    if (c == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return Status();
}

}  // namespace

Result<Lexicons> load_lexicons(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIo, "cannot open playbook", {path, 0, 0});
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string data = buf.str();
  if (data.size() > kMaxPlaybookBytes) {
    return Status(ErrorCode::kLimit, "playbook is larger than 16 MiB", {path, 0, 0});
  }
  if (data.rfind("\xEF\xBB\xBF", 0) == 0) data.erase(0, 3);
  if (Status s = check_bytes(path, data); !s.ok()) return s;

  YAML::Node root;
  try {
    root = YAML::Load(data);  // never LoadAll: it hangs on malformed input in 0.7.0
  } catch (const YAML::Exception& e) {
    return error_at(path, e.mark, e.msg);
  }
  Lexicons out;
  if (!root.IsMap()) return out;
  const YAML::Node lexicons = root["lexicons"];
  if (!lexicons) return out;
  if (!lexicons.IsMap()) return error_at(path, lexicons.Mark(), "'lexicons' must be a mapping of name: [phrases]");
  for (auto it = lexicons.begin(); it != lexicons.end(); ++it) {
    const std::string name = it->first.as<std::string>("");
    if (out.count(name)) {
      return error_at(path, it->first.Mark(), "duplicate lexicon '" + name + "'");
    }
    const YAML::Node entries = it->second;
    std::vector<std::string> phrases;
    if (entries.IsScalar()) {
      phrases.push_back(entries.Scalar());
    } else if (entries.IsSequence()) {
      for (const YAML::Node& e : entries) {
        if (!e.IsScalar()) return error_at(path, e.Mark(), "lexicon '" + name + "': entries must be strings");
        phrases.push_back(e.Scalar());
      }
    } else {
      return error_at(path, entries.Mark(), "lexicon '" + name + "' must be a list of phrases");
    }
    out.emplace(name, std::move(phrases));
  }
  return out;
}

}  // namespace tact::cli

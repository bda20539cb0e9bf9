#include "playbook/yaml.hpp"

#include <unicode/utf8.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "common/utf8.hpp"

namespace tact::internal {
namespace {

// Byte offsets of line starts, to turn byte positions into line:column in code points.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) : text_(text) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }

  /// Whether a scalar starting at `offset` ends on the same line: not a block scalar (| or >)
  /// and no longer than the rest of the line (a plain scalar folded over lines is longer).
  bool single_line(std::size_t offset, const std::string& value, bool quoted) const {
    if (offset >= text_.size() || text_[offset] == '|' || text_[offset] == '>') return false;
    const std::size_t eol = text_.find('\n', offset);
    const std::size_t rest = (eol == std::string_view::npos ? text_.size() : eol) - offset;
    return value.find('\n') == std::string::npos && value.size() + (quoted ? 2 : 0) <= rest;
  }

  /// A quoted scalar starting at `offset` as written, from its opening quote to before its
  /// closing one (escapes and all), if it ends on that line; else empty.
  std::string_view quoted_source(std::size_t offset) const {
    if (offset >= text_.size() || (text_[offset] != '\'' && text_[offset] != '"')) return {};
    const char quote = text_[offset];
    for (std::size_t i = offset + 1; i < text_.size() && text_[i] != '\n'; ++i) {
      if (quote == '"' && text_[i] == '\\') {
        ++i;  // the escaped character cannot close the scalar
      } else if (text_[i] == quote) {
        if (quote == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
          ++i;  // '' is one quote
          continue;
        }
        return text_.substr(offset, i - offset);
      }
    }
    return {};
  }

  /// The lines of a scalar starting at `offset` that spans several lines, each matched to the
  /// run of `value` it became. YAML joins a scalar's lines with a space or line break and drops
  /// their indentation, so each line's text, trimmed, must appear in `value` right after the
  /// previous one's; the walk stops at the first line that does not (the scalar's end, or an
  /// escape that changed the text).
  std::vector<ScalarPiece> pieces(std::size_t offset, std::string_view value) const {
    std::vector<ScalarPiece> out;
    if (offset >= text_.size()) return out;
    const char first = text_[offset];
    const bool block = first == '|' || first == '>';
    const bool quoted = first == '\'' || first == '"';
    std::size_t line = offset + (quoted ? 1 : 0);
    if (block) {  // the header line holds no text
      line = text_.find('\n', offset);
      if (line == std::string_view::npos) return out;
      ++line;
    }
    std::size_t value_pos = 0;
    std::size_t slack = 0;         // value bytes that may separate one line's text from the next's
    std::uint32_t value_cps = 0;  // code points of value before value_pos
    while (line < text_.size() && value_pos < value.size()) {
      const std::size_t eol = std::min(text_.find('\n', line), text_.size());
      std::string_view content = text_.substr(line, eol - line);
      const std::size_t indent = std::min(content.find_first_not_of(" \t"), content.size());
      content.remove_prefix(indent);
      const std::size_t start = line + indent;
      if (!block) {
        // The closing quote, or a comment, ends a flow scalar's text on its last line.
        const std::size_t end =
            quoted ? content.find(first) : std::min(content.find(" #"), content.find("\t#"));
        if (end != std::string_view::npos) content = content.substr(0, end);
      }
      const std::size_t trailing = content.size() - (content.find_last_not_of(" \t\r") + 1);
      content.remove_suffix(trailing);
      line = eol + 1;
      if (content.empty()) {  // a blank line: one more line break in the value, at most
        slack += 1 + indent;
        continue;
      }
      std::size_t at = value_pos;
      const std::size_t last = std::min(value_pos + slack + indent + 1, value.size());
      while (at <= last && value.compare(at, content.size(), content) != 0) ++at;
      if (at > last) break;
      value_cps += code_points(value.substr(value_pos, at - value_pos));
      const auto length = code_points(content);
      out.push_back({value_cps, length, this->at(start)});
      value_cps += length;
      value_pos = at + content.size();
      slack = trailing + 1;
    }
    return out;
  }

  YamlPos at(std::size_t offset) const {
    offset = std::min(offset, text_.size());
    const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset) - 1;
    std::uint32_t column = 1;
    for (std::size_t i = *it; i < offset; ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    }
    return {static_cast<std::uint32_t>(it - starts_.begin() + 1), column};
  }

 private:
  static std::uint32_t code_points(std::string_view s) {
    std::uint32_t n = 0;
    for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
  }

  std::string_view text_;
  std::vector<std::size_t> starts_;
};

// Thrown from inside yaml-cpp's callbacks; located by byte offset, or by a position already
// converted (for nodes whose offset is gone).
struct YamlError {
  ErrorCode code;
  std::size_t offset;
  std::string message;
  std::optional<YamlPos> pos = std::nullopt;
};

// Checks bytes before yaml-cpp sees them. Returns the offset and message of the first problem.
std::optional<YamlError> check_bytes(std::string_view s) {
  std::optional<YamlError> error;
  for_each_code_point(s, [&](std::size_t begin, std::size_t, UChar32 c) {
    if (c < 0) {
      error = YamlError{ErrorCode::kPlaybook, begin, "invalid UTF-8"};
    } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "%04X", static_cast<unsigned>(c));
      error = YamlError{ErrorCode::kPlaybook, begin,
                        std::string("control character U+") + hex + " not allowed"};
    }
    return !error;
  });
  return error;
}

bool is_core_tag(const std::string& tag) {
  // "?" plain, "!" quoted (non-specific); explicit core-schema tags are harmless.
  static const std::set<std::string> kCore = {"?",
                                              "!",
                                              "tag:yaml.org,2002:str",
                                              "tag:yaml.org,2002:int",
                                              "tag:yaml.org,2002:float",
                                              "tag:yaml.org,2002:bool",
                                              "tag:yaml.org,2002:null",
                                              "tag:yaml.org,2002:seq",
                                              "tag:yaml.org,2002:map"};
  return tag.empty() || kCore.count(tag) > 0;
}

// Builds YamlNodes from yaml-cpp's parse events.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const LineIndex& lines, const YamlLimits& limits) : lines_(lines), limits_(limits) {}

  YamlNode take() { return std::move(root_); }
  bool has_document() const { return done_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override { done_ = true; }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YamlNode n;
    n.pos = pos(mark);
    add(std::move(n), anchor, mark);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_tag(tag, mark);
    if (value.find('\0') != std::string::npos) {  // from a "\0" or "\x00" escape
      throw YamlError{ErrorCode::kPlaybook, static_cast<std::size_t>(mark.pos),
                      "NUL character not allowed in text"};
    }
    YamlNode n;
    n.kind = YamlNode::Kind::kScalar;
    n.pos = pos(mark);
    n.scalar = value;
    n.quoted = tag == "!";
    const auto offset = static_cast<std::size_t>(std::max(mark.pos, 0));
    n.single_line = lines_.single_line(offset, value, n.quoted);
    if (n.quoted && n.single_line) {
      const std::string_view written = lines_.quoted_source(offset);
      if (!written.empty() && written.substr(1) != value) n.escaped = written;
    } else if (!n.single_line) {
      n.pieces = lines_.pieces(offset, value);
    }
    add(std::move(n), anchor, mark);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      throw YamlError{
          ErrorCode::kPlaybook, static_cast<std::size_t>(mark.pos),
          "alias *" + anchor_name(anchor) + " refers to a node that contains it (a cycle)"};
    }
    charge(count_nodes(it->second), mark, "alias *" + anchor_name(anchor));
    YamlNode copy = it->second;
    add(std::move(copy), 0, mark);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(YamlNode::Kind::kSequence, mark, tag, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(YamlNode::Kind::kMap, mark, tag, anchor);
  }
  void OnMapEnd() override {
    if (stack_.back().pending_key) {
      // A key without a value cannot happen in well-formed events; be safe.
      stack_.back().pending_key.reset();
    }
    close();
  }

  void OnAnchor(const YAML::Mark&, const std::string& name) override { next_anchor_name_ = name; }

 private:
  struct Open {
    YamlNode node;
    YAML::anchor_t anchor;
    std::optional<YamlNode> pending_key;  // maps: a key waiting for its value
    std::size_t key_offset = 0;
  };

  YamlPos pos(const YAML::Mark& m) const {
    return lines_.at(static_cast<std::size_t>(std::max(m.pos, 0)));
  }

  std::string anchor_name(YAML::anchor_t a) const {
    auto it = anchor_names_.find(a);
    return it == anchor_names_.end() ? std::to_string(a) : it->second;
  }

  void check_tag(const std::string& tag, const YAML::Mark& mark) const {
    if (!is_core_tag(tag)) {
      throw YamlError{ErrorCode::kPlaybook, static_cast<std::size_t>(mark.pos),
                      "unsupported tag '" + tag + "'"};
    }
  }

  void charge(std::size_t nodes, const YAML::Mark& mark, const std::string& what) {
    nodes_ += nodes;
    if (nodes_ > limits_.max_nodes) {
      throw YamlError{ErrorCode::kLimit, static_cast<std::size_t>(mark.pos),
                      "more than " + std::to_string(limits_.max_nodes) +
                          " nodes after alias expansion (at " + what + ")"};
    }
  }

  static std::size_t count_nodes(const YamlNode& n) {
    std::size_t c = 1;
    for (const YamlNode& i : n.items) c += count_nodes(i);
    for (const YamlEntry& e : n.entries) c += 1 + count_nodes(e.value);
    return c;
  }

  void remember_anchor(YAML::anchor_t anchor) {
    if (anchor != 0 && !next_anchor_name_.empty()) {
      anchor_names_[anchor] = next_anchor_name_;
      next_anchor_name_.clear();
    }
  }

  void open(YamlNode::Kind kind, const YAML::Mark& mark, const std::string& tag,
            YAML::anchor_t anchor) {
    check_tag(tag, mark);
    remember_anchor(anchor);
    if (stack_.size() >= limits_.max_depth) {
      throw YamlError{ErrorCode::kLimit, static_cast<std::size_t>(mark.pos),
                      "nesting deeper than " + std::to_string(limits_.max_depth) + " levels"};
    }
    charge(1, mark, "a collection");
    Open o{YamlNode{}, anchor, std::nullopt, static_cast<std::size_t>(mark.pos)};
    o.node.kind = kind;
    o.node.pos = pos(mark);
    stack_.push_back(std::move(o));
  }

  void close() {
    Open o = std::move(stack_.back());
    stack_.pop_back();
    finish(std::move(o.node), o.anchor);
  }

  void add(YamlNode n, YAML::anchor_t anchor, const YAML::Mark& mark) {
    remember_anchor(anchor);
    charge(1, mark, "a value");
    finish(std::move(n), anchor);
  }

  // Places a completed node into its parent (or as the root), and records it if anchored.
  void finish(YamlNode n, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = n;
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Open& parent = stack_.back();
    if (parent.node.kind == YamlNode::Kind::kSequence) {
      parent.node.items.push_back(std::move(n));
      return;
    }
    if (!parent.pending_key) {
      if (!n.is_scalar()) {
        throw YamlError{ErrorCode::kPlaybook, 0, "a mapping key must be plain text", n.pos};
      }
      if (n.scalar == "<<" && !n.quoted) {
        throw YamlError{ErrorCode::kPlaybook, 0,
                        "merge keys ('<<') are not supported; repeat the fields instead", n.pos};
      }
      for (const YamlEntry& e : parent.node.entries) {
        if (e.key == n.scalar) {
          throw YamlError{ErrorCode::kPlaybook, 0,
                          "duplicate key '" + n.scalar + "' (first at " +
                              std::to_string(e.key_pos.line) + ":" +
                              std::to_string(e.key_pos.column) + ")",
                          n.pos};
        }
      }
      parent.pending_key = std::move(n);
      return;
    }
    YamlEntry e{std::move(parent.pending_key->scalar), parent.pending_key->pos, std::move(n)};
    parent.pending_key.reset();
    parent.node.entries.push_back(std::move(e));
  }

  const LineIndex& lines_;
  const YamlLimits& limits_;
  std::vector<Open> stack_;
  YamlNode root_;
  bool done_ = false;
  std::map<YAML::anchor_t, YamlNode> anchors_;
  std::map<YAML::anchor_t, std::string> anchor_names_;
  std::string next_anchor_name_;
  std::size_t nodes_ = 0;
};

bool line_starts_with_tab(std::string_view text, std::uint32_t line) {
  std::size_t start = 0;
  for (std::uint32_t l = 1; l < line && start != std::string_view::npos; ++l) {
    start = text.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  return start != std::string_view::npos && start < text.size() && text[start] == '\t';
}

Status located(const std::string& file, YamlPos p, ErrorCode code, const std::string& message) {
  return Status(code, message, {file, p.line, p.column});
}

}  // namespace

namespace {

// The file column of code point `index` of a scalar written on one line.
std::uint32_t single_line_column(const YamlNode& n, std::uint32_t index) {
  const std::uint32_t first = n.pos.column + (n.quoted ? 1 : 0);
  if (n.escaped.empty()) return first + index;
  // Each code point of the text was written as one code point, or as an escape of several.
  const std::string& w = n.escaped;
  const bool double_quoted = w[0] == '"';
  std::uint32_t column = first;
  std::size_t k = 1;
  for (std::uint32_t i = 0; i < index && k < w.size(); ++i) {
    std::size_t written = 1;  // code points
    if (double_quoted && w[k] == '\\' && k + 1 < w.size()) {
      written = w[k + 1] == 'x' ? 4 : w[k + 1] == 'u' ? 6 : w[k + 1] == 'U' ? 10 : 2;
      k += written;  // escapes are ASCII
    } else if (!double_quoted && w[k] == '\'') {
      written = 2;  // ''
      k += 2;
    } else {
      ++k;
      while (k < w.size() && (static_cast<unsigned char>(w[k]) & 0xC0) == 0x80) ++k;
    }
    column += static_cast<std::uint32_t>(written);
  }
  return column;
}

}  // namespace

YamlPos scalar_position(const YamlNode& n, std::uint32_t index) {
  if (n.single_line) return {n.pos.line, single_line_column(n, index)};
  const auto after = std::upper_bound(
      n.pieces.begin(), n.pieces.end(), index,
      [](std::uint32_t i, const ScalarPiece& p) { return i < p.index; });
  if (after == n.pieces.begin()) return n.pos;
  const ScalarPiece& p = *(after - 1);
  // Past the run's end is the line break or space that joined it to the next line.
  return {p.pos.line, p.pos.column + std::min(index - p.index, p.length)};
}

const YamlEntry* YamlNode::find(std::string_view key) const {
  for (const YamlEntry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

Result<YamlNode> parse_yaml(std::string_view bytes, const std::string& file,
                            const YamlLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    char size[32];
    std::snprintf(size, sizeof size, "%.1f MiB", static_cast<double>(bytes.size()) / (1 << 20));
    return Status(ErrorCode::kLimit,
                  std::string("playbook is ") + size + ", limit " +
                      std::to_string(limits.max_bytes >> 20) + " MiB",
                  {file, 0, 0});
  }
  const auto starts_with = [&](std::string_view prefix) {
    return bytes.substr(0, prefix.size()) == prefix;
  };
  using namespace std::string_view_literals;  // ""sv keeps the embedded NULs
  if (starts_with("\xFF\xFE\x00\x00"sv) || starts_with("\x00\x00\xFE\xFF"sv)) {
    return Status(ErrorCode::kPlaybook, "playbook must be UTF-8 (found a UTF-32 byte-order mark)",
                  {file, 1, 1});
  }
  if (starts_with("\xFF\xFE"sv) || starts_with("\xFE\xFF"sv)) {
    return Status(ErrorCode::kPlaybook,
                  std::string("playbook must be UTF-8 (found a UTF-16") +
                      (bytes[0] == '\xFF' ? "LE" : "BE") + " byte-order mark)",
                  {file, 1, 1});
  }
  if (starts_with("\xEF\xBB\xBF"sv)) bytes.remove_prefix(3);
  const LineIndex lines(bytes);
  if (auto err = check_bytes(bytes))
    return located(file, lines.at(err->offset), err->code, err->message);

  std::istringstream in{std::string(bytes)};
  TreeBuilder builder(lines, limits);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
    // A second document is an error, found with one more bounded call (LoadAll may loop forever).
    struct Probe : YAML::EventHandler {
      YAML::Mark start;
      bool seen = false;
      void OnDocumentStart(const YAML::Mark& m) override {
        if (!seen) start = m;
        seen = true;
      }
      void OnDocumentEnd() override {}
      void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
      void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
      void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    const std::string&) override {}
      void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                           YAML::EmitterStyle::value) override {}
      void OnSequenceEnd() override {}
      void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                      YAML::EmitterStyle::value) override {}
      void OnMapEnd() override {}
    } probe;
    if (parser.HandleNextDocument(probe) && probe.seen) {
      const YamlPos p = lines.at(static_cast<std::size_t>(std::max(probe.start.pos, 0)));
      return located(file, p, ErrorCode::kPlaybook,
                     "exactly one YAML document expected (a second starts at " +
                         std::to_string(p.line) + ":" + std::to_string(p.column) + ")");
    }
  } catch (const YamlError& e) {
    const YamlPos p = e.pos ? *e.pos : lines.at(e.offset);
    return located(file, p, e.code, e.message);
  } catch (const YAML::Exception& e) {
    std::string msg = e.msg;
    if (msg == "bad file") msg = "nesting too deep";
    if (!msg.empty()) msg[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(msg[0])));
    const YamlPos p = lines.at(static_cast<std::size_t>(std::max(e.mark.pos, 0)));
    if (line_starts_with_tab(bytes, p.line))
      msg += " (a tab indents this line: YAML indents with spaces)";
    return located(file, p, ErrorCode::kPlaybook, "YAML syntax: " + msg);
  } catch (const std::bad_alloc&) {
    return Status(ErrorCode::kLimit, "out of memory while parsing YAML", {file, 0, 0});
  }
  return builder.take();
}

}  // namespace tact::internal

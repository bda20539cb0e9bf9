// Pattern::parse: checks that keep X3 safe (size, UTF-8, NUL, nesting depth), the grammar, then
// the checks the grammar cannot express; error messages with columns and carets.
#include "tact/pattern.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "common/utf8.hpp"
#include "pattern/grammar.hpp"

namespace tact {
namespace {

using Kind = PatternNode::Kind;

// 1-based code point column of a byte offset (bytes of invalid UTF-8 count one each).
std::uint32_t column_of(std::string_view s, std::size_t offset) {
  std::uint32_t col = 1;
  for (std::size_t i = 0; i < offset && i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++col;
  }
  return col;
}

Status syntax_error(std::string_view source, std::size_t offset, const std::string& what) {
  const std::uint32_t col = column_of(source, offset);
  std::string msg = "pattern error at column " + std::to_string(col) + ": " + what + "\n" +
                    caret_line(source, col);
  return Status(ErrorCode::kPatternSyntax, std::move(msg), {"", 0, col});
}

// The last few code points before `offset`, to show where the parser was.
std::string context_before(std::string_view s, std::size_t offset) {
  std::size_t begin = offset;
  for (int n = 0; begin > 0 && n < 24;) {
    --begin;
    if ((static_cast<unsigned char>(s[begin]) & 0xC0) != 0x80) ++n;
  }
  std::string_view ctx = s.substr(begin, offset - begin);
  if (const std::size_t eol = ctx.rfind('\n'); eol != std::string_view::npos) {
    ctx.remove_prefix(eol + 1);  // the error's own line of a pattern written over several
    begin = offset - ctx.size();
  }
  while (!ctx.empty() && (ctx.back() == ' ' || ctx.back() == '\t')) ctx.remove_suffix(1);
  while (!ctx.empty() && (ctx.front() == ' ' || ctx.front() == '\t')) ctx.remove_prefix(1);
  return std::string(begin > 0 ? "..." : "") + std::string(ctx);
}

// Deepest nesting of parentheses and prefix NOTs, outside quotes and regexes, and where it
// first exceeds `limit`; X3 recurses once per level, so this runs before it.
std::size_t too_deep_at(std::string_view s, std::uint32_t limit) {
  std::uint32_t parens = 0, nots = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"' || (c == '/' && !(i >= 4 && (s.substr(i - 4, 4) == "NEAR" ||
                                              (i >= 6 && s.substr(i - 6, 6) == "BEFORE"))))) {
      for (++i; i < s.size() && s[i] != c; ++i) {
        if (s[i] == '\\') ++i;
      }
      nots = 0;
      continue;
    }
    if (c == '(') {
      ++parens;
    } else if (c == ')') {
      if (parens > 0) --parens;
    } else if (c == '!' || s.substr(i, 4) == "NOT ") {
      ++nots;
    } else if (c != ' ' && c != '\t' && c != 'N' && c != 'O' && c != 'T') {
      nots = 0;
    }
    if (parens + nots > limit) return i;
  }
  return std::string_view::npos;
}

// NOT says "absent from the utterance": it has no position, so it cannot be adjacent to or near
// anything. Returns the offending node.
const PatternNode* misplaced_not(const PatternNode& n, bool positional_parent) {
  if (n.kind == Kind::kNot && positional_parent) return &n;
  const bool positional = n.kind == Kind::kSequence || n.kind == Kind::kNear ||
                          n.kind == Kind::kBefore || n.kind == Kind::kHomophone;
  for (const PatternNode& c : n.children) {
    if (const PatternNode* bad = misplaced_not(c, positional)) return bad;
  }
  return nullptr;
}

void offsets_to_columns(PatternNode& n, std::string_view source) {
  n.column = column_of(source, n.column);
  for (PatternNode& c : n.children) offsets_to_columns(c, source);
}

bool is_bare_word(const std::string& text) {
  if (text.empty() || text == "AND" || text == "OR" || text == "NOT" || text == "NEAR" ||
      text == "BEFORE") {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (std::string_view(" \t\r\n\f\v|&!()\"/@~*").find(c) != std::string_view::npos) return false;
    if (text.compare(i, 3, "\xE3\x80\x80") == 0) return false;
  }
  return true;
}

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

void render(const PatternNode& n, std::string& out) {
  auto join = [&](const char* sep) {
    out += "(";
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      if (i) out += sep;
      render(n.children[i], out);
    }
    out += ")";
  };
  switch (n.kind) {
    case Kind::kPhrase:
      out += is_bare_word(n.text) ? n.text : quote(n.text);
      if (n.prefix) out += "*";
      return;
    case Kind::kHomophone:
      out += "~" + (is_bare_word(n.text) ? n.text : quote(n.text));
      return;
    case Kind::kRegex:
      out += "/" + n.text + "/";
      return;
    case Kind::kLexicon:
      out += "@" + n.text;
      return;
    case Kind::kSequence:
      return join(" ");
    case Kind::kAnd:
      return join(" & ");
    case Kind::kOr:
      return join(" | ");
    case Kind::kNear:
      return join((" NEAR/" + std::to_string(n.distance) + " ").c_str());
    case Kind::kBefore:
      return join((" BEFORE/" + std::to_string(n.distance) + " ").c_str());
    case Kind::kNot:
      out += "!";
      render(n.children[0], out);
      return;
  }
}

}  // namespace

Result<Pattern> Pattern::parse(std::string_view source, const PatternLimits& limits) {
  if (source.size() > limits.max_bytes) {
    return Status(ErrorCode::kLimit, "pattern is " + std::to_string(source.size()) +
                                         " bytes, limit " + std::to_string(limits.max_bytes) +
                                         " (move long phrase lists into a lexicon)");
  }
  if (std::size_t at = internal::invalid_utf8_at(source); at != std::string_view::npos) {
    return syntax_error(source, at, "invalid UTF-8");
  }
  if (std::size_t at = source.find('\0'); at != std::string_view::npos) {
    return syntax_error(source, at, "NUL character not allowed");
  }
  if (source.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos) {
    return Status(ErrorCode::kPatternSyntax, "empty pattern");
  }
  if (std::size_t at = too_deep_at(source, limits.max_depth); at != std::string_view::npos) {
    Status s = syntax_error(source, at,
                            "nested deeper than " + std::to_string(limits.max_depth) + " levels");
    return Status(ErrorCode::kLimit, s.message(), s.where());
  }

  auto parsed = internal::parse_grammar(source, limits.max_distance);
  if (auto* err = std::get_if<internal::GrammarError>(&parsed)) {
    if (err->is_message) return syntax_error(source, err->offset, err->expected);
    std::size_t at = err->offset;
    while (at < source.size() &&
           std::string_view(" \t\r\n\f\v").find(source[at]) != std::string_view::npos) {
      ++at;
    }
    if (at >= source.size()) {
      return syntax_error(source, at,
                          "expected " + err->expected + " after '" + context_before(source, at) +
                              "', at end of pattern");
    }
    std::size_t len = 1;
    while (at + len < source.size() &&
           (static_cast<unsigned char>(source[at + len]) & 0xC0) == 0x80) {
      ++len;
    }
    const std::string found(source.substr(at, len));
    if (err->expected.empty()) return syntax_error(source, at, "unexpected '" + found + "'");
    if (at == 0)
      return syntax_error(source, at, "expected " + err->expected + ", found '" + found + "'");
    return syntax_error(source, at,
                        "expected " + err->expected + " after '" + context_before(source, at) +
                            "', found '" + found + "'");
  }

  PatternNode root = std::move(std::get<PatternNode>(parsed));
  offsets_to_columns(root, source);
  if (const PatternNode* bad = misplaced_not(root, false)) {
    std::string msg = "pattern error at column " + std::to_string(bad->column) +
                      ": NOT cannot be part of a phrase, NEAR or BEFORE (it has no position); "
                      "combine it with '&', as in 'a & !b'\n" +
                      caret_line(source, bad->column);
    return Status(ErrorCode::kPatternSyntax, std::move(msg), {"", 0, bad->column});
  }
  return Pattern(std::string(source), std::move(root));
}

std::string Pattern::to_string() const {
  std::string out;
  render(root_, out);
  return out;
}

std::string caret_line(std::string_view source, std::uint32_t column) {
  // A pattern written over several lines (a YAML block scalar) shows only the caret's line.
  if (column > 0 && source.find('\n') != std::string_view::npos) {
    std::size_t line_begin = 0;
    std::uint32_t line_column = 0;  // the column of line_begin's code point
    std::uint32_t col = 1;
    internal::for_each_code_point(source, [&](std::size_t begin, std::size_t, UChar32 c) {
      if (col == column) return false;
      ++col;
      if (c == '\n') {
        line_begin = begin + 1;
        line_column = col - 1;
      }
      return true;
    });
    std::string_view line = source.substr(line_begin);
    line = line.substr(0, line.find('\n'));
    return caret_line(line, column - line_column);
  }
  std::string out = "  ";
  std::size_t pad = 0;
  std::uint32_t col = 1;
  internal::for_each_code_point(source, [&](std::size_t begin, std::size_t end, UChar32 c) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    out.append(c == ' ' ? std::string_view(" ") : source.substr(begin, end - begin));
    if (col < column) {
      const int w = c < 0 ? 1 : u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
      pad += (w == U_EA_WIDE || w == U_EA_FULLWIDTH) ? 2 : 1;
    }
    ++col;
    return true;
  });
  if (column == 0) return out;
  return out + "\n  " + std::string(pad, ' ') + "^";
}

}  // namespace tact

// A safe YAML front end for playbooks: bytes in, tact's own immutable tree out, with 1-based
// line:column (columns in code points) on every node and every error. yaml-cpp 0.7.0 is used as
// an event parser only, and everything it gets wrong is checked here first or instead:
//   - bytes: size limit, UTF-8 only (UTF-16/32 byte-order marks named), no control characters
//     but TAB/LF/CR (a raw 0x04 silently ends yaml-cpp's input);
//   - exactly one document (never LoadAll, which hangs on malformed input);
//   - nesting depth limit (yaml-cpp's own guard says only "bad file", at 500);
//   - duplicate mapping keys (yaml-cpp keeps the first silently), merge keys `<<` (unsupported,
//     would silently become an ordinary key), explicit tags other than YAML's core ones;
//   - aliases: copied with a node budget (billion laughs), and an alias inside its own anchor is
//     a cycle error rather than a stack overflow.
// Nothing of yaml-cpp leaks out: callers see YamlNode and Status.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tact/status.hpp"

namespace tact::internal {

struct YamlPos {
  std::uint32_t line = 0;    // 1-based
  std::uint32_t column = 0;  // 1-based, in code points
};

struct YamlEntry;

/// A run of a multi-line scalar's text copied verbatim from one line of the file.
struct ScalarPiece {
  std::uint32_t index = 0;   // code point index in the scalar's text where the run starts
  std::uint32_t length = 0;  // in code points
  YamlPos pos;               // where the run starts in the file
};

struct YamlNode {
  enum class Kind : std::uint8_t { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  YamlPos pos;
  std::string scalar;              // kScalar: the text (YAML 1.1 booleans like `on` stay text)
  bool quoted = false;             // kScalar written in quotes
  bool single_line = false;        // kScalar written on one line (columns inside it map to the file)
  std::string escaped;             // kScalar quoted on one line with escapes ('', \"): as written,
                                   // from its opening quote
  std::vector<ScalarPiece> pieces;  // kScalar over several lines (| >, or folded): its lines
  std::vector<YamlNode> items;     // kSequence
  std::vector<YamlEntry> entries;  // kMap, in file order, keys unique

  bool is_null() const { return kind == Kind::kNull; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_sequence() const { return kind == Kind::kSequence; }
  bool is_map() const { return kind == Kind::kMap; }
  /// The entry with this key in a map, or nullptr.
  const YamlEntry* find(std::string_view key) const;
};

/// Where code point `index` (0-based) of a scalar's text is in the file: exact for a scalar on
/// one line (through quotes and escapes) and for the lines of a block or folded scalar that hold
/// its text verbatim; the scalar's own position when it cannot tell.
YamlPos scalar_position(const YamlNode& n, std::uint32_t index);

struct YamlEntry {
  std::string key;
  YamlPos key_pos;
  YamlNode value;
};

struct YamlLimits {
  std::size_t max_bytes = 16u << 20;
  std::uint32_t max_depth = 64;
  std::uint32_t max_nodes = 100000;  // after alias expansion
};

/// Parses one YAML document. Errors: kPlaybook or kLimit, located at `file`:line:column.
Result<YamlNode> parse_yaml(std::string_view bytes, const std::string& file,
                            const YamlLimits& limits = {});

}  // namespace tact::internal

// The Spirit X3 grammar of the pattern language (grammar.cpp is the only file that includes X3).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "tact/pattern.hpp"

namespace tact::internal {

/// Why the grammar stopped: a byte offset into the source and what it expected there.
struct GrammarError {
  std::size_t offset = 0;
  std::string expected;     ///< e.g. "')'"; empty when the text at offset was not expected at all
  bool is_message = false;  ///< `expected` is a complete message, not what was expected
};

/// Parses `source` into a tree whose `column` fields hold 0-based *byte offsets*; the caller
/// converts them. The caller has checked nesting depth, so recursion is bounded.
std::variant<PatternNode, GrammarError> parse_grammar(std::string_view source,
                                                      std::uint32_t max_distance);

}  // namespace tact::internal

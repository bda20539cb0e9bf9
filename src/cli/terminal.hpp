// Colour and highlighting for human-readable output, only when stdout is a terminal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tact/matcher.hpp"

namespace tact::cli {

struct Style {
  bool colour = false;
  std::string bold(std::string_view s) const;
  std::string green(std::string_view s) const;
  std::string red(std::string_view s) const;
  std::string dim(std::string_view s) const;
  /// The text with the code point spans underlined (colour) or bracketed with [ ] (plain).
  std::string highlight(std::string_view text, const std::vector<Span>& spans) const;
};

/// Colour when stdout is a terminal and NO_COLOR is unset.
Style style_for_stdout();

}  // namespace tact::cli

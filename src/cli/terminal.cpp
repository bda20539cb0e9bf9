#include "cli/terminal.hpp"

#include <unistd.h>

#include <cstdlib>

namespace tact::cli {
namespace {

std::string wrap(bool on, const char* code, std::string_view s) {
  if (!on) return std::string(s);
  return std::string("\x1b[") + code + "m" + std::string(s) + "\x1b[0m";
}

}  // namespace

std::string Style::bold(std::string_view s) const { return wrap(colour, "1", s); }
std::string Style::green(std::string_view s) const { return wrap(colour, "32", s); }
std::string Style::red(std::string_view s) const { return wrap(colour, "31", s); }
std::string Style::dim(std::string_view s) const { return wrap(colour, "2", s); }

std::string Style::highlight(std::string_view text, const std::vector<Span>& spans) const {
  const char* open = colour ? "\x1b[4;1;33m" : "[";
  const char* close = colour ? "\x1b[0m" : "]";
  std::string out;
  std::uint32_t cp = 0;
  std::size_t next = 0;  // spans are sorted; they may overlap, so only open one at a time
  std::uint32_t open_until = 0;
  bool is_open = false;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool boundary = i == text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (boundary) {
      if (is_open && cp == open_until) {
        out += close;
        is_open = false;
      }
      while (next < spans.size() && spans[next].end <= cp) ++next;
      if (!is_open && next < spans.size() && spans[next].begin <= cp && cp < spans[next].end) {
        open_until = spans[next].end;
        while (next + 1 < spans.size() && spans[next + 1].begin <= open_until) {
          open_until = std::max(open_until, spans[++next].end);
        }
        out += open;
        is_open = true;
      }
      if (i < text.size()) ++cp;
    }
    if (i < text.size()) out.push_back(text[i]);
  }
  if (is_open) out += close;
  return out;
}

Style style_for_stdout() {
  return Style{isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr};
}

}  // namespace tact::cli

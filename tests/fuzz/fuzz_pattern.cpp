// Pattern parser fuzzer: never crashes or hangs; a pattern that parses prints canonically and the
// canonical form parses back to itself; regex-free patterns compile and match.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tact/matcher.hpp"
#include "tact/pattern.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string src(reinterpret_cast<const char*>(data), size);
  tact::Result<tact::Pattern> p = tact::Pattern::parse(src);
  if (!p.ok()) return 0;
  const std::string canonical = p->to_string();
  tact::Result<tact::Pattern> again = tact::Pattern::parse(canonical, {1 << 16, 1 << 10, 1000});
  if (!again.ok() || again->to_string() != canonical) std::abort();
  // Hyperscan's compile time for arbitrary regexes is its own concern; exercise the rest.
  if (src.find('/') == std::string::npos) {
    tact::Result<tact::Matcher> m = tact::Matcher::compile({src}, {{"lex", {"退款", "refund*"}}});
    if (m.ok()) {
      tact::Result<tact::MatchResult> r = m->match(src);
      if (!r.ok()) std::abort();
    }
  }
  return 0;
}

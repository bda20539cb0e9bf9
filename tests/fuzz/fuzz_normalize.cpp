// Normaliser fuzzer: any bytes; output is valid UTF-8 with ordered, in-range tokens, and
// normalising the output again changes nothing.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tact/normalize.hpp"

namespace {

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const tact::Normalizer& n = tact::Normalizer::standard();
  const tact::NormalizedText once =
      n.normalize(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!valid_utf8(once.text)) std::abort();
  std::uint32_t prev_end = 0, prev_src = 0;
  for (const tact::Token& t : once.tokens) {
    if (t.begin < prev_end || t.end <= t.begin || t.end > once.text.size()) std::abort();
    if (t.source_begin < prev_src || t.source_end <= t.source_begin ||
        t.source_end > once.source_code_points) {
      std::abort();
    }
    prev_end = t.end;
    prev_src = t.source_begin;
  }
  if (n.normalize(once.text).text != once.text) std::abort();
  return 0;
}

#include "normalize/pinyin.hpp"

#include <algorithm>
#include <map>

#include "normalize/unicode_tables.hpp"
#include "tact/normalize.hpp"

namespace tact::internal {
namespace {

std::pair<const PinyinReading*, const PinyinReading*> readings_of(char32_t c) {
  const PinyinReading* begin = kPinyinReadings;
  const PinyinReading* end = begin + kPinyinReadingCount;
  auto lo = std::lower_bound(begin, end, c,
                             [](const PinyinReading& r, char32_t x) { return r.code_point < x; });
  auto hi = std::upper_bound(lo, end, c,
                             [](char32_t x, const PinyinReading& r) { return x < r.code_point; });
  return {lo, hi};
}

// syllable -> folded BMP characters with that reading, sorted and unique.
const std::vector<std::u32string>& characters_by_syllable() {
  static const std::vector<std::u32string> table = [] {
    std::vector<std::u32string> t(kPinyinSyllableCount);
    const Normalizer& n = Normalizer::standard();
    for (std::size_t i = 0; i < kPinyinReadingCount; ++i) {
      const PinyinReading& r = kPinyinReadings[i];
      if (r.code_point > 0xFFFF) continue;
      // A few compatibility ideographs fold to the supplementary planes (U+FA6C -> U+242EE):
      // left out, so that every homophone is three bytes and a ~pattern has a fixed length.
      std::u32string f = n.fold(r.code_point);
      if (f.size() == 1 && f[0] <= 0xFFFF) t[r.syllable].push_back(f[0]);
    }
    for (auto& chars : t) {
      std::sort(chars.begin(), chars.end());
      chars.erase(std::unique(chars.begin(), chars.end()), chars.end());
    }
    return t;
  }();
  return table;
}

}  // namespace

std::u32string homophones_of(char32_t c) {
  std::u32string out(1, c);
  auto [lo, hi] = readings_of(c);
  const auto& table = characters_by_syllable();
  for (auto* r = lo; r != hi; ++r) out += table[r->syllable];
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace tact::internal

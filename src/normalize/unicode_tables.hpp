// Data generated at build time from Debian's OpenCC dictionaries and Unihan readings
// (scripts/gen_unicode_tables.py). Both tables are sorted by code point.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tact::internal {

/// A Chinese character and the representative of its variant class (著 -> 着, 錢 -> 钱).
struct VariantFold {
  std::uint32_t code_point;
  std::uint32_t representative;
};
extern const VariantFold kVariantFolds[];
extern const std::size_t kVariantFoldCount;

/// Toneless Mandarin syllables ("qian", "lv"), sorted; indexed by PinyinReading::syllable.
extern const char* const kPinyinSyllables[];
extern const std::size_t kPinyinSyllableCount;

/// One reading of one character; a character with two readings has two rows.
struct PinyinReading {
  std::uint32_t code_point;
  std::uint16_t syllable;
};
extern const PinyinReading kPinyinReadings[];
extern const std::size_t kPinyinReadingCount;

}  // namespace tact::internal

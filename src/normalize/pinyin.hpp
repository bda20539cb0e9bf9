// Homophones for ASR-tolerant patterns (~乱扣钱): characters that share a toneless Mandarin
// reading, from Unihan's kMandarin field (generated into unicode_tables.cpp).
#pragma once

#include <string>
#include <vector>

namespace tact::internal {

/// Every character in the Basic Multilingual Plane that has a reading in common with `c`, in its
/// normalised (folded) form, sorted; `c` itself is always included. Thread-safe.
std::u32string homophones_of(char32_t c);

}  // namespace tact::internal

// Filler words (嗯, 呃, um) dropped from texts and patterns alike before matching.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tact/normalize.hpp"

namespace tact::internal {

/// A set of normalised one-token words, checked per token with a length and a last-byte test,
/// then a few integer compares: most tokens are rejected by the tests alone.
class FillerSet {
 public:
  void add(std::string word);
  bool empty() const { return words_.empty(); }
  bool contains(std::string_view token) const {  // inline: called for every token of a text
    if (token.empty()) return false;
    const auto last = static_cast<unsigned char>(token.back());
    return (last_bytes_[last >> 6] >> (last & 63) & 1) != 0 && contains_rest(token);
  }

  /// Removes filler tokens and rebuilds the text around the tokens that remain; `buffer` is
  /// scratch space. Tokens keep their source spans.
  void drop(NormalizedText& n, std::string& buffer) const;

 private:
  bool contains_rest(std::string_view token) const;  // after the last-byte test

  std::vector<std::string> words_;
  std::vector<std::uint64_t> packed_;  // the words of at most 7 bytes, as pack() makes them
  std::uint8_t short_lengths_ = 0;     // bit k: some word of k bytes (k <= 7)
  std::uint64_t last_bytes_[4] = {};   // bit b: some word ends with byte b (most ideographs
                                       // share their length with 嗯 but not their last byte)
  bool long_words_ = false;            // some word is longer than 7 bytes
};

}  // namespace tact::internal

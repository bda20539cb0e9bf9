// Filler words (嗯, 呃, um) dropped from texts and patterns alike before matching.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tact/normalize.hpp"

namespace tact::internal {

/// A set of normalised one-token words, checked per token with a length test and a few integer
/// compares: most tokens are rejected by their length alone.
class FillerSet {
 public:
  void add(std::string word);
  bool empty() const { return words_.empty(); }
  bool contains(std::string_view token) const;

  /// Removes filler tokens and rebuilds the text around the tokens that remain; `buffer` is
  /// scratch space. Tokens keep their source spans.
  void drop(NormalizedText& n, std::string& buffer) const;

 private:
  std::vector<std::string> words_;
  std::vector<std::uint64_t> packed_;  // the words of at most 7 bytes, as pack() makes them
  std::uint8_t short_lengths_ = 0;     // bit k: some word of k bytes (k <= 7)
  bool long_words_ = false;            // some word is longer than 7 bytes
};

}  // namespace tact::internal

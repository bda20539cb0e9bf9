#include "matcher/fillers.hpp"

#include <algorithm>

namespace tact::internal {
namespace {

constexpr std::size_t kMaxPacked = 7;

// A word of at most 7 bytes as one integer (its bytes and its length).
std::uint64_t pack(std::string_view s) {
  std::uint64_t v = s.size();
  for (unsigned char c : s) v = (v << 8) | c;
  return v;
}

}  // namespace

void FillerSet::add(std::string word) {
  if (word.empty()) return;
  const auto last = static_cast<unsigned char>(word.back());
  last_bytes_[last >> 6] |= std::uint64_t{1} << (last & 63);
  if (word.size() <= kMaxPacked) {
    packed_.push_back(pack(word));
    short_lengths_ |= static_cast<std::uint8_t>(1u << word.size());
  } else {
    long_words_ = true;
  }
  words_.push_back(std::move(word));
}

bool FillerSet::contains_rest(std::string_view token) const {
  if (token.size() > kMaxPacked) {
    return long_words_ && std::find(words_.begin(), words_.end(), token) != words_.end();
  }
  if ((short_lengths_ >> token.size() & 1u) == 0) return false;
  return std::find(packed_.begin(), packed_.end(), pack(token)) != packed_.end();
}

void FillerSet::drop(NormalizedText& n, std::string& buffer) const {
  if (words_.empty()) return;
  auto is_filler = [&](const Token& t) {
    return contains(std::string_view(n.text.data() + t.begin, t.end - t.begin));
  };
  const auto first = std::find_if(n.tokens.begin(), n.tokens.end(), is_filler);
  if (first == n.tokens.end()) return;
  buffer.clear();
  std::size_t kept = 0;
  for (auto t = n.tokens.begin(); t != n.tokens.end(); ++t) {
    if (t >= first && is_filler(*t)) continue;
    Token k = *t;
    if (kept > 0 && k.is_word && n.tokens[kept - 1].is_word) buffer += ' ';
    k.begin = static_cast<std::uint32_t>(buffer.size());
    buffer.append(n.text, t->begin, t->end - t->begin);
    k.end = static_cast<std::uint32_t>(buffer.size());
    n.tokens[kept++] = k;
  }
  n.tokens.resize(kept);
  n.text.swap(buffer);
}

}  // namespace tact::internal

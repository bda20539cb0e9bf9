// Walking UTF-8 the one way tact counts code points everywhere: ICU's U8_NEXT, where each
// maximal ill-formed subpart is one unit (as the normaliser, Python and browsers count it).
#pragma once

#include <unicode/utf8.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace tact::internal {

/// Calls f(begin, end, c) for each code point of `s`: its byte range and value, or c < 0 for an
/// ill-formed subpart. Stops early if f returns false.
template <typename F>
void for_each_code_point(std::string_view s, F&& f) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    const int32_t begin = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (!f(static_cast<std::size_t>(begin), static_cast<std::size_t>(i), c)) return;
  }
}

/// The part of `s` covering code points [begin, end) (an ill-formed subpart counts as one).
inline std::string code_point_slice(std::string_view s, std::uint32_t begin, std::uint32_t end) {
  std::size_t from = std::string_view::npos, to = s.size();
  std::uint32_t cp = 0;
  for_each_code_point(s, [&](std::size_t b, std::size_t, UChar32) {
    if (cp == begin) from = b;
    if (cp == end) to = b;
    return cp++ < end;
  });
  return from == std::string_view::npos ? std::string() : std::string(s.substr(from, to - from));
}

/// The code points of `s`, each ill-formed subpart as U+FFFD.
inline std::u32string decode_utf8(std::string_view s) {
  std::u32string out;
  for_each_code_point(s, [&](std::size_t, std::size_t, UChar32 c) {
    out.push_back(c < 0 ? 0xFFFD : static_cast<char32_t>(c));
    return true;
  });
  return out;
}

/// Appends code point `c` (a valid scalar value) to `s` as UTF-8.
inline void append_utf8(std::string& s, char32_t c) {
  char buf[4];
  int32_t n = 0;
  U8_APPEND_UNSAFE(buf, n, c);
  s.append(buf, static_cast<std::size_t>(n));
}

/// `s` with each ill-formed subpart replaced by U+FFFD.
inline std::string repair_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for_each_code_point(s, [&](std::size_t begin, std::size_t end, UChar32 c) {
    if (c < 0) {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(s.substr(begin, end - begin));
    }
    return true;
  });
  return out;
}

/// Byte offset of the first ill-formed subpart, or npos.
inline std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t at = std::string_view::npos;
  for_each_code_point(s, [&](std::size_t begin, std::size_t, UChar32 c) {
    if (c < 0) at = begin;
    return c >= 0;
  });
  return at;
}

}  // namespace tact::internal

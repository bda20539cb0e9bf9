// The normaliser: per-code-point tables built once from ICU (NFKC_Casefold, character classes)
// and the generated Chinese variant folds, then one pass per text with no allocation once the
// output buffer has grown.
#include "tact/normalize.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "normalize/unicode_tables.hpp"

namespace tact {
namespace {

// Code points below this get a precomputed entry; above it (rare CJK extensions, planes 3+)
// entries are computed on the fly with the same functions.
constexpr char32_t kTableSize = 0x30000;

// Layout of a fold entry: the low 21 bits are a code point, or an offset into the expansion pool;
// for a single code point, bits 21-22 hold its CharClass so the hot path needs one lookup.
constexpr std::uint32_t kValueMask = 0x1FFFFF;
constexpr int kClassShift = 21;
constexpr std::uint32_t kBeyondTable = 1u << 28;       // see fold_entry(): fold it on the fly
constexpr std::uint32_t kDropped = 1u << 29;           // folds to nothing (default-ignorable)
constexpr std::uint32_t kExpansion = 1u << 30;         // value is a pool offset: [length, cps...]
constexpr std::uint32_t kNoBoundaryBefore = 1u << 31;  // may combine with the previous code point

constexpr char32_t kReplacement = 0xFFFD;

const icu::Normalizer2& nfkc_casefold() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || n == nullptr) {
    throw std::runtime_error("ICU NFKC_Casefold data unavailable");  // broken ICU install
  }
  return *n;
}

char32_t variant_fold(char32_t c) {
  const internal::VariantFold* begin = internal::kVariantFolds;
  const internal::VariantFold* end = begin + internal::kVariantFoldCount;
  const auto* it = std::lower_bound(
      begin, end, c, [](const internal::VariantFold& v, char32_t x) { return v.code_point < x; });
  return (it != end && it->code_point == c) ? it->representative : c;
}

CharClass classify(char32_t c) {
  const std::int8_t type = u_charType(static_cast<UChar32>(c));
  const std::uint32_t mask = U_MASK(type);
  if ((mask & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) == 0) return CharClass::kSeparator;
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(static_cast<UChar32>(c), &status);
  const bool syllabic = script == USCRIPT_HAN || script == USCRIPT_HIRAGANA ||
                        script == USCRIPT_KATAKANA || script == USCRIPT_HANGUL;
  if (syllabic && (mask & U_GC_M_MASK) == 0) return CharClass::kSingle;
  return CharClass::kWord;
}

// NFKC_Casefold of a run of code points, then the variant fold of each output code point.
std::u32string fold_sequence(const icu::Normalizer2& n2, const char32_t* cps, std::size_t n) {
  icu::UnicodeString in;
  for (std::size_t i = 0; i < n; ++i) in.append(static_cast<UChar32>(cps[i]));
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString folded = n2.normalize(in, status);
  std::u32string out;
  if (U_FAILURE(status)) return out;
  for (int32_t i = 0; i < folded.length();) {
    UChar32 c = folded.char32At(i);
    out.push_back(variant_fold(static_cast<char32_t>(c)));
    i += U16_LENGTH(c);
  }
  return out;
}

}  // namespace

struct Normalizer::Tables {
  const icu::Normalizer2& n2 = nfkc_casefold();
  std::vector<std::uint32_t> fold;  // kTableSize entries
  std::vector<char32_t> pool;       // expansions
  std::vector<CharClass> cls;       // kTableSize entries

  Tables() : fold(kTableSize), cls(kTableSize) {
    for (char32_t c = 0; c < kTableSize; ++c) {
      cls[c] = classify(c);
      std::uint32_t entry;
      if (c >= 0xD800 && c <= 0xDFFF) {
        entry = kReplacement;  // never produced by the decoder
      } else {
        std::u32string f = n2.isInert(static_cast<UChar32>(c)) ? std::u32string(1, variant_fold(c))
                                                               : fold_sequence(n2, &c, 1);
        if (f.empty()) {
          entry = kDropped;
        } else if (f.size() == 1) {
          entry = f[0] | static_cast<std::uint32_t>(classify(f[0])) << kClassShift;
        } else {
          entry = kExpansion | static_cast<std::uint32_t>(pool.size());
          pool.push_back(static_cast<char32_t>(f.size()));
          pool.insert(pool.end(), f.begin(), f.end());
        }
        if (!n2.hasBoundaryBefore(static_cast<UChar32>(c))) entry |= kNoBoundaryBefore;
      }
      fold[c] = entry;
    }
  }

  // The table entry of `c`, looked up once per code point; beyond the table, only its boundary
  // flag (the fold is computed when it is emitted).
  std::uint32_t fold_entry(char32_t c) const {
    if (c < kTableSize) return fold[c];
    return kBeyondTable | (n2.hasBoundaryBefore(static_cast<UChar32>(c)) ? 0 : kNoBoundaryBefore);
  }

  bool boundary_before(char32_t c) const { return (fold_entry(c) & kNoBoundaryBefore) == 0; }

  CharClass char_class(char32_t c) const { return c < kTableSize ? cls[c] : classify(c); }
};

namespace {

// An apostrophe between two letters joins them: "don't" and "dont" (as speech recognition
// writes it) are both the word "dont".
bool is_apostrophe(char32_t c) { return c == U'\'' || c == 0x2019; }

// Appends folded code points to a NormalizedText, grouping them into tokens. Writes UTF-8
// straight into the text's buffer (std::string::append per code point was a tenth of the
// normaliser's time); finish() trims the buffer to what was written.
template <typename Combines>
class TokenWriter {
 public:
  // `combines(c)`: c has no normalisation boundary before it (it would compose with the
  // character written before it, were the output normalised again).
  TokenWriter(const Normalizer& n, Combines combines, NormalizedText& out, std::size_t size_hint)
      : n_(n), combines_(std::move(combines)), out_(out) {
    out_.text.resize(std::max<std::size_t>(size_hint, 64));
  }

  void emit(char32_t c, std::uint32_t src_begin, std::uint32_t src_end) {
    emit(c, n_.char_class(c), src_begin, src_end);
  }

  __attribute__((always_inline)) void emit(char32_t c, CharClass cls, std::uint32_t src_begin,
                                           std::uint32_t src_end) {
    const bool after_apostrophe = apostrophe_;
    apostrophe_ = false;
    switch (cls) {
      case CharClass::kSeparator:
        // Held open over one apostrophe, in case a letter follows.
        apostrophe_ = word_open_ && !after_apostrophe && is_apostrophe(c);
        word_open_ = apostrophe_;
        return;
      case CharClass::kSingle: {
        word_open_ = false;
        if (combines_(c)) return;  // see kWord below
        const std::uint32_t begin = size_;
        put(c);
        out_.tokens.push_back({begin, size_, src_begin, src_end, false});
        return;
      }
      case CharClass::kWord: {
        // Only a letter continues a word across an apostrophe: a combining mark after it would
        // join the letter before the apostrophe and compose differently when normalised again.
        if (after_apostrophe && (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_M_MASK) != 0)
          word_open_ = false;
        // A code point that would start a token but combines with what precedes it has lost
        // its base (to an invalid byte, a separator): it is dropped, or normalising the output
        // again would compose it with the character before it (found by fuzzing: ﾌ, an invalid
        // byte, ﾟ gave "フ" + U+309A -> "プ"; half-width ﾲ, a control, ﾒ gave ᄇ + ᅭ -> 뵤).
        if (!word_open_ && combines_(c)) return;
        if (word_open_) {
          put(c);
          Token& last = out_.tokens.back();
          last.end = size_;
          last.source_end = src_end;
          return;
        }
        if (!out_.tokens.empty() && out_.tokens.back().is_word) {
          reserve(1);
          out_.text[size_++] = ' ';
        }
        const std::uint32_t begin = size_;
        put(c);
        out_.tokens.push_back({begin, size_, src_begin, src_end, true});
        word_open_ = true;
        return;
      }
    }
  }

  void finish() { out_.text.resize(size_); }

 private:
  void reserve(std::size_t n) {
    if (size_ + n > out_.text.size()) out_.text.resize(2 * out_.text.size() + n);
  }

  void put(char32_t c) {
    reserve(4);
    char* p = out_.text.data();
    U8_APPEND_UNSAFE(p, size_, c);
  }

  const Normalizer& n_;
  Combines combines_;
  NormalizedText& out_;
  std::uint32_t size_ = 0;
  bool word_open_ = false;
  bool apostrophe_ = false;  // the last code point was an apostrophe right after a word
};

// Decodes UTF-8, replacing each maximal ill-formed subpart with U+FFFD.
struct Decoder {
  const std::uint8_t* s;
  int32_t length;
  int32_t i = 0;
  std::uint32_t replaced = 0;

  bool done() const { return i >= length; }
  char32_t next() {
    UChar32 c = s[i];
    if (c < 0x80) {
      ++i;
      return static_cast<char32_t>(c);
    }
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      ++replaced;
      return kReplacement;
    }
    return static_cast<char32_t>(c);
  }
};

}  // namespace

Normalizer::Normalizer() : tables_(new Tables()) {}
Normalizer::~Normalizer() { delete tables_; }

const Normalizer& Normalizer::standard() {
  static const Normalizer instance;
  return instance;
}

std::u32string Normalizer::fold(char32_t c) const {
  if (c >= kTableSize) return fold_sequence(tables_->n2, &c, 1);
  const std::uint32_t e = tables_->fold[c];
  if (e & kDropped) return {};
  if (e & kExpansion) {
    const char32_t* p = &tables_->pool[e & kValueMask];
    return std::u32string(p + 1, p + 1 + p[0]);
  }
  return std::u32string(1, static_cast<char32_t>(e & kValueMask));
}

CharClass Normalizer::char_class(char32_t c) const { return tables_->char_class(c); }

void Normalizer::normalize(std::string_view text, NormalizedText& out) const {
  out.clear();
  // Offsets are 32-bit; callers (the matcher) enforce far smaller limits on utterances.
  constexpr std::size_t kMaxBytes = std::numeric_limits<int32_t>::max() / 2;
  if (text.size() > kMaxBytes) text = text.substr(0, kMaxBytes);

  const Tables& t = *tables_;
  TokenWriter writer(
      *this, [&t](char32_t c) { return !t.boundary_before(c); }, out,
      text.size() + text.size() / 2 + 16);
  Decoder in{reinterpret_cast<const std::uint8_t*>(text.data()), static_cast<int32_t>(text.size())};
  std::uint32_t src = 0;  // code point index of `cur` in the original
  std::u32string segment;

  if (in.done()) {
    writer.finish();
    return;
  }
  char32_t cur = in.next();
  std::uint32_t cur_entry = t.fold_entry(cur);
  bool have_cur = true;
  while (have_cur) {
    const bool have_next = !in.done();
    const char32_t next = have_next ? in.next() : 0;
    const std::uint32_t next_entry = have_next ? t.fold_entry(next) : 0;
    if (next_entry & kNoBoundaryBefore) {
      // A combining sequence: compose it as a whole (e + U+0301 -> é), all from one source span.
      segment.assign(1, cur);
      segment.push_back(next);
      have_cur = false;
      while (!in.done()) {
        const char32_t c = in.next();
        const std::uint32_t entry = t.fold_entry(c);
        if ((entry & kNoBoundaryBefore) == 0) {
          cur = c;
          cur_entry = entry;
          have_cur = true;
          break;
        }
        segment.push_back(c);
      }
      // The output spans the segment less any code points at its ends that fold to nothing
      // (a zero-width space after 訴 is not part of the word).
      std::size_t first = 0, last = segment.size();
      while (first < last && fold(segment[first]).empty()) ++first;
      while (last > first && fold(segment[last - 1]).empty()) --last;
      const auto begin = src + static_cast<std::uint32_t>(first);
      const auto end = src + static_cast<std::uint32_t>(last);
      for (char32_t c : fold_sequence(t.n2, segment.data(), segment.size())) {
        writer.emit(c, begin, end);
      }
      src += static_cast<std::uint32_t>(segment.size());
      continue;
    }
    if ((cur_entry & kBeyondTable) == 0) {
      const std::uint32_t e = cur_entry;
      if ((e & (kDropped | kExpansion)) == 0) {
        writer.emit(static_cast<char32_t>(e & kValueMask),
                    static_cast<CharClass>((e >> kClassShift) & 3), src, src + 1);
      } else if (e & kExpansion) {
        const char32_t* p = &t.pool[e & kValueMask];
        for (char32_t k = 1; k <= p[0]; ++k) writer.emit(p[k], src, src + 1);
      }
    } else {
      for (char32_t c : fold_sequence(t.n2, &cur, 1)) writer.emit(c, src, src + 1);
    }
    ++src;
    cur = next;
    cur_entry = next_entry;
    have_cur = have_next;
  }
  writer.finish();
  out.source_code_points = src;
  out.replaced_sequences = in.replaced;
}

}  // namespace tact

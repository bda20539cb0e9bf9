// Normalisation: the one view of text that patterns and transcripts are both matched in.
//
// Speech recognisers and typists write the same words in many forms: full-width ＲＥＦＵＮＤ,
// traditional 亂扣錢, a zero-width space inside 退款, punctuation anywhere (乱,扣 钱). The
// Normalizer folds all of them to one form, in one pass, and splits it into tokens:
//
//   tact::NormalizedText n = tact::Normalizer::standard().normalize("你們怎麼亂,扣
//   錢？ＲＥＦＵＮＤ"); n.text                  // "你们怎么乱扣钱refund" n.tokens.size() // 8:
//   seven ideographs and one word n.tokens[7].source_begin, n.tokens[7].source_end   // 11, 17:
//   code points of the original
//
// Per code point: invalid UTF-8 becomes U+FFFD (maximal subparts, as Python and ICU do);
// NFKC with case folding and default-ignorable removal (ICU's NFKC_Casefold); traditional and
// variant Chinese forms fold to one representative (equivalence classes built from OpenCC's
// character dictionaries, so 乾/干/幹 and 著/着 meet on both sides). Then:
//   - a token is one ideograph, kana or hangul syllable, or a maximal run of letters/digits/marks
//     (a "word"); everything else (punctuation, whitespace, symbols, U+FFFD) separates tokens;
//   - `text` is the tokens in order with one space between two consecutive words and nothing
//     else, so separators inserted by speech recognition vanish between ideographs.
//
// Thread safety: a Normalizer is immutable; `standard()` is built once per process and may be used
// from any thread. A NormalizedText is a reusable output buffer owned by one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tact {

/// One token of a normalised text.
struct Token {
  std::uint32_t begin = 0;         ///< byte offset in NormalizedText::text
  std::uint32_t end = 0;           ///< byte offset one past the token in NormalizedText::text
  std::uint32_t source_begin = 0;  ///< first code point of the original text it came from
  std::uint32_t source_end = 0;    ///< one past the last original code point it came from
  bool is_word = false;            ///< a letter/digit run (true) or a single ideograph/syllable
};

/// The result of normalising one text. Reuse one across calls to avoid allocation.
struct NormalizedText {
  std::string text;
  std::vector<Token> tokens;
  std::uint32_t source_code_points = 0;  ///< length of the original in code points
  std::uint32_t replaced_sequences = 0;  ///< invalid UTF-8 sequences replaced by U+FFFD

  void clear() {
    text.clear();
    tokens.clear();
    source_code_points = 0;
    replaced_sequences = 0;
  }
};

/// Kinds of code point after folding, as the tokenizer sees them.
enum class CharClass : std::uint8_t { kSeparator, kSingle, kWord };

/// Folds and tokenizes text. Immutable after construction.
class Normalizer {
 public:
  /// The process-wide normaliser (tables built on first use, about 20 ms). Thread-safe.
  static const Normalizer& standard();

  /// Normalises `text` (any bytes; invalid UTF-8 is replaced) into `out`, replacing its contents.
  void normalize(std::string_view text, NormalizedText& out) const;
  NormalizedText normalize(std::string_view text) const {
    NormalizedText out;
    normalize(text, out);
    return out;
  }

  /// The folded form of one code point: empty when it is dropped (default-ignorable), several
  /// code points for compatibility expansions (ﬁ -> fi). Context-free: combining sequences are
  /// composed only by normalize().
  std::u32string fold(char32_t c) const;

  /// The tokenizer's view of an already-folded code point.
  CharClass char_class(char32_t c) const;

  Normalizer(const Normalizer&) = delete;
  Normalizer& operator=(const Normalizer&) = delete;
  ~Normalizer();

 private:
  Normalizer();
  struct Tables;
  const Tables* tables_;
};

}  // namespace tact

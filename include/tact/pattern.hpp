// The pattern language rule authors write. A pattern says which words must occur in one utterance,
// how close together and in which order:
//
//   乱扣钱  refund  "calm down"   a phrase: its tokens in order and adjacent; separators ignored
//   calm down                    juxtaposition is a phrase too
//   refund*                      prefix wildcard on a Latin word: refund, refunds, refunded
//   a | b      a OR b            either
//   a & b      a AND b           both, in any order
//   !a         NOT a             a does not occur (meaningful inside AND)
//   a NEAR/3 b                   both, at most 3 tokens between them, either order
//   a BEFORE/3 b                 a, then b, at most 3 tokens between them
//   ( ... )                      grouping
//   @apology                     a named lexicon, defined in a playbook
//   /\d+块钱/                    a regular expression over the normalised text (Hyperscan syntax)
//   ~乱扣钱                      homophones: any characters with the same toneless pinyin
//
// Precedence, tightest first: NOT, NEAR/BEFORE, juxtaposition, AND, OR. Operator words are upper
// case; `not` is an ordinary word. Distances and phrases count tokens (see normalize.hpp).
//
//   tact::Result<tact::Pattern> p = tact::Pattern::parse("(不会 | 不可能) NEAR/3 乱扣钱");
//   p->to_string();   // "((不会 | 不可能) NEAR/3 乱扣钱)"
//
// Errors carry the 1-based column (in code points) in Status::where().column and a message that
// shows the pattern with a caret under the problem.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tact/status.hpp"

namespace tact {

/// One node of a parsed pattern. Plain data: tools such as `tact explain` walk it.
struct PatternNode {
  enum class Kind : std::uint8_t {
    kPhrase,     ///< text: the words as written (normalised at compile time); prefix: ends in '*'
    kRegex,      ///< text: the expression between the slashes
    kHomophone,  ///< text: the words after '~'
    kLexicon,    ///< text: the lexicon's name, without '@'
    kSequence,   ///< children juxtaposed: adjacent and in order
    kNear,       ///< two children, distance: at most that many tokens between them, any order
    kBefore,     ///< two children, distance: the first, then the second
    kAnd,        ///< all children
    kOr,         ///< any child
    kNot,        ///< one child that must not occur
  };
  Kind kind = Kind::kPhrase;
  std::string text;
  bool prefix = false;
  std::uint32_t distance = 0;
  std::uint32_t column = 0;  ///< 1-based code point column of the node in the pattern source
  std::vector<PatternNode> children;
};

/// Limits that keep parsing linear and bounded. Exceeding one is an ErrorCode::kLimit error.
struct PatternLimits {
  std::uint32_t max_bytes = 16384;    ///< pattern source size
  std::uint32_t max_depth = 64;       ///< nesting of parentheses and NOTs
  std::uint32_t max_distance = 1000;  ///< n in NEAR/n and BEFORE/n
};

/// A parsed, validated pattern. Immutable value type; cheap to move.
class Pattern {
 public:
  /// Parses `source`. Errors: kPatternSyntax (with column), kLimit.
  static Result<Pattern> parse(std::string_view source, const PatternLimits& limits = {});

  const PatternNode& root() const { return root_; }
  const std::string& source() const { return source_; }

  /// A canonical, fully parenthesised rendering: operators upper case, phrases quoted only when
  /// needed. Parsing it again gives the same tree.
  std::string to_string() const;

 private:
  Pattern(std::string source, PatternNode root)
      : source_(std::move(source)), root_(std::move(root)) {}
  std::string source_;
  PatternNode root_;
};

/// Renders "  <source>\n  <spaces>^" pointing at a 1-based code point column (0: no caret).
std::string caret_line(std::string_view source, std::uint32_t column);

}  // namespace tact

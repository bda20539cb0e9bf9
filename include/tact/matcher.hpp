// The matcher: every pattern of a playbook compiled together, so one pass over an utterance finds
// which patterns match and where.
//
//   tact::Matcher::Builder b({{"apology", {"抱歉", "对不起", "sorry"}}});
//   tact::Result<std::uint32_t> id = b.add("(不会 | 不可能) NEAR/3 乱扣钱");   // pattern 0
//   tact::Result<tact::Matcher> m = std::move(b).build();
//   tact::Matcher::Scratch scratch = m->make_scratch();      // one per thread
//   tact::MatchResult r;
//   tact::Status s = m->match("我們是不會亂扣錢的", scratch, r);
//   r.matches[0].pattern;     // 0
//   r.spans_of(r.matches[0])[0];   // {3, 8}: 不會亂扣錢, code points of the original text
//
// How: text is normalised (normalize.hpp); all phrase atoms of all patterns (and regular
// expressions of fixed length) are found by one Hyperscan database, other regular expressions
// by a second one (kept apart: start-of-match tracking slows a database down), scanned only
// when a cheap probe of the same expressions without it finds one (phrases are compiled
// byte-escaped, so a NUL cannot truncate them). Homophones are matched on the tokens
// through an index of their first characters. The atoms of each OR are gathered into a group as
// they are found; only patterns whose atoms were hit, and the few that can match with no hit at
// all (`!a`), are then evaluated, on token positions. Subsets (Builder::add_subset) have their
// own databases, so patterns outside the subset cost nothing. Matching never backtracks: time is
// linear in the text plus the hits, and hits are capped per atom.
//
// Threading: a Matcher is immutable and may be shared by any number of threads (copies share
// the compiled databases). A Scratch belongs to one thread at a time and to the Matcher that made
// it; using it with another Matcher is an error, not a crash.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tact/normalize.hpp"
#include "tact/pattern.hpp"
#include "tact/status.hpp"

namespace tact {

/// Named phrase lists, usable in patterns as @name. Each entry is itself a pattern without
/// lexicon references (usually a phrase: 抱歉, "calm down", apologi*).
using Lexicons = std::map<std::string, std::vector<std::string>, std::less<>>;

/// Words to ignore wherever they occur, in patterns and texts alike: fillers that speech
/// recognition writes (嗯, 呃, um, uh). Each must normalise to one token.
using Fillers = std::vector<std::string>;

struct MatcherLimits {
  PatternLimits pattern;
  std::uint32_t max_text_bytes = 1 << 20;  ///< longer utterances are an ErrorCode::kLimit
  std::uint32_t max_hits_per_atom = 100;   ///< further hits of an atom in one text are ignored
};

/// A half-open range of code points in the original text.
struct Span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  friend bool operator==(const Span&, const Span&) = default;
};

/// One pattern that matched. Its evidence, where its positive parts occurred, is
/// MatchResult::spans_of(match): sorted, unique, and empty for a pattern that matched by absence
/// (!a). Spans live in one flat array so that matching does not allocate per match.
struct PatternMatch {
  std::uint32_t pattern = 0;
  std::uint32_t first_span = 0;
  std::uint32_t span_count = 0;
};

/// One occurrence of one atom (a phrase, regex or homophone), in tokens of the normalised text.
struct AtomHit {
  std::uint32_t atom = 0;
  std::uint32_t first_token = 0;
  std::uint32_t last_token = 0;
};

/// Everything one match() call found. Reuse one per thread to avoid allocation.
struct MatchResult {
  NormalizedText normalized;
  std::vector<PatternMatch> matches;  ///< sorted by pattern id
  std::vector<Span> spans;            ///< the spans of all matches; see spans_of()
  std::vector<AtomHit> atom_hits;     ///< every atom hit that passed the word-boundary checks
  bool truncated = false;             ///< some atom had more than max_hits_per_atom hits

  std::span<const Span> spans_of(const PatternMatch& m) const {
    return std::span<const Span>(spans).subspan(m.first_span, m.span_count);
  }
};

class Matcher {
 public:
  struct Impl;  // opaque: the compiled databases and rule tables (src/matcher/compiled.hpp)

  /// Collects patterns; validates each as it is added, so errors name the pattern at fault.
  class Builder {
   public:
    explicit Builder(Lexicons lexicons = {}, MatcherLimits limits = {}, Fillers fillers = {});
    Builder(Builder&&) noexcept;
    Builder& operator=(Builder&&) noexcept;
    ~Builder();

    /// Adds a pattern and returns its id (0, 1, 2... in order of addition). Errors:
    /// kPatternSyntax, kLimit (with the column), kPatternCompile (unknown lexicon, a phrase with
    /// no words after normalisation, a regular expression Hyperscan rejects).
    Result<std::uint32_t> add(std::string_view source);

    /// Declares a subset of the patterns added so far, to be matched on its own with
    /// match(text, scratch, out, subset): it gets its own scan databases, so the atoms of
    /// patterns outside it cost nothing. Returns the subset's id: 1, 2, ... (0 is every
    /// pattern). Each subset adds to build() time and memory. Error: kInvalidArgument for an
    /// id not yet added.
    Result<std::uint32_t> add_subset(std::vector<std::uint32_t> patterns);

    /// Compiles everything added. Errors: kPatternCompile naming the pattern id, or a filler
    /// that is not exactly one token.
    Result<Matcher> build() &&;

   private:
    std::unique_ptr<Impl> impl_;
  };

  /// Per-thread working memory for match(). Movable, not copyable.
  class Scratch {
   public:
    Scratch(Scratch&&) noexcept;
    Scratch& operator=(Scratch&&) noexcept;
    ~Scratch();

    struct State;  // opaque: Hyperscan scratch and reusable buffers

   private:
    friend class Matcher;
    explicit Scratch(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
  };

  /// Compiles a list of patterns at once; the id of each is its index.
  static Result<Matcher> compile(const std::vector<std::string>& patterns,
                                 const Lexicons& lexicons = {}, const MatcherLimits& limits = {});

  /// Allocates scratch space for this matcher. Errors: kInternal if Hyperscan cannot allocate.
  Result<Scratch> make_scratch() const;

  /// Whether `scratch` was made by this matcher (or a copy of it).
  bool owns(const Scratch& scratch) const;

  /// Matches one utterance (any bytes; invalid UTF-8 is replaced). Fills `out`, replacing its
  /// contents. With a `subset` (from Builder::add_subset), only that subset's patterns are
  /// matched, and only their atoms reported. Errors: kLimit (text too long), kInvalidArgument
  /// (scratch of another matcher, unknown subset).
  Status match(std::string_view text, Scratch& scratch, MatchResult& out,
               std::uint32_t subset = 0) const;

  /// Convenience for one-off calls: allocates a scratch and a result.
  Result<MatchResult> match(std::string_view text) const;

  /// Number of patterns.
  std::size_t size() const;
  /// Number of subsets declared with Builder::add_subset.
  std::size_t subsets() const;
  /// The parsed pattern with this id.
  const Pattern& pattern(std::uint32_t id) const;
  /// A readable description of an atom ("phrase 乱扣钱", "regex \\d+块钱"), for tools.
  std::string describe_atom(std::uint32_t atom) const;

 private:
  explicit Matcher(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace tact

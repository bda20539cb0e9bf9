// The compiled form of a pattern set, shared by compile.cpp (which builds it), evaluate.cpp and
// matcher.cpp (which read it). Private to src/.
#pragma once

#include <hs/hs.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "matcher/fillers.hpp"
#include "tact/matcher.hpp"

namespace tact::internal {

/// What an atom is, which decides how a Hyperscan hit is checked against token boundaries.
enum class AtomKind : std::uint8_t {
  kLiteral,    // whole tokens: starts where a token starts, ends where a token ends
  kPrefix,     // starts where a token starts; may end inside a word (refund*)
  kHomophone,  // like kLiteral, but a regular expression of character classes
  kRegex,      // anywhere; the tokens it overlaps
};

/// One token of a homophone atom: an ideograph that may be any of `ideographs` (sorted), or a
/// word that must be exactly `word`.
struct HomophonePosition {
  std::u32string ideographs;
  std::string word;
};

struct Atom {
  AtomKind kind;
  std::string expression;  // literal bytes of the normalised text (also of a homophone), or a
                           // Hyperscan expression
  std::string display;     // what the rule author wrote, for tools
  // kHomophone: its tokens, matched on the text's tokens rather than by Hyperscan (see
  // ScanSet::homophone_starts).
  std::vector<HomophonePosition> homophone;
  double chance = 1;  // occurrence_estimate(*this), set when the atom is registered
};

/// A run of tokens [first, last] of the normalised text.
struct Interval {
  std::uint32_t first;
  std::uint32_t last;
  friend bool operator==(const Interval&, const Interval&) = default;
  friend auto operator<=>(const Interval&, const Interval&) = default;
};

/// A 128-bit summary of a set of atoms (bit atom % 128): two sets that share no bit share no
/// atom. Used to skip, in one test, subtrees none of whose atoms occurred in the utterance.
struct AtomSignature {
  std::uint64_t bits[2] = {0, 0};
  void add(std::uint32_t atom) { bits[(atom >> 6) & 1] |= std::uint64_t{1} << (atom & 63); }
  void add(const AtomSignature& o) {
    bits[0] |= o.bits[0];
    bits[1] |= o.bits[1];
  }
  bool intersects(const AtomSignature& o) const {
    return (bits[0] & o.bits[0]) != 0 || (bits[1] & o.bits[1]) != 0;
  }
};

/// Exactly which atoms occurred in a text: one bit per atom. The clause tests read it for every
/// candidate node; at a bit per atom it stays in L1, where the atoms' hit vectors (24 bytes
/// each, thousands of them) do not.
struct AtomSet {
  std::vector<std::uint64_t> words;
  void resize(std::size_t atoms) { words.assign((atoms + 63) / 64, 0); }
  bool has(std::uint32_t atom) const { return (words[atom >> 6] >> (atom & 63)) & 1; }
  void add(std::uint32_t atom) { words[atom >> 6] |= std::uint64_t{1} << (atom & 63); }
  void remove(std::uint32_t atom) { words[atom >> 6] &= ~(std::uint64_t{1} << (atom & 63)); }
};

constexpr std::uint32_t kNoGroup = 0xffffffff;
constexpr std::uint32_t kNoNode = 0xffffffff;

/// One operator or atom of a compiled pattern; children are ranges of CompiledPattern::children.
struct Node {
  PatternNode::Kind kind = PatternNode::Kind::kPhrase;
  std::uint32_t atom = 0;
  std::uint32_t distance = 0;
  std::uint32_t children_begin = 0;
  std::uint32_t children_end = 0;
  AtomSignature atoms;    // every atom in the subtree
  bool nullable = false;  // may match with no atom occurring (contains a NOT that allows it)
  // kOr: the group holding its alternatives that are atoms (also those of nested ORs), whose
  // hits match() gathers as it finds them; the children are only the other alternatives.
  std::uint32_t group = kNoGroup;
  // A necessary condition, exact where the signature is not (a large subtree sets most of its
  // 128 bits): one of CompiledPattern::clause_atoms[clause_begin .. clause_end] must occur. The
  // node's rarest clause, if it is small and rare enough to be worth a test; else empty.
  std::uint32_t clause_begin = 0;
  std::uint32_t clause_end = 0;
};

struct CompiledPattern {
  std::vector<Node> nodes;  // nodes[root] is the whole pattern
  std::vector<std::uint32_t> children;
  std::uint32_t root = 0;
  std::uint32_t depth = 0;
  // Necessary conditions, checked before evaluating: for every clause, at least one of its
  // atoms occurred. Clause k is required_atoms[required_begin[k] .. required_begin[k + 1]].
  std::vector<std::uint32_t> required_atoms;
  std::vector<std::uint32_t> required_begin{0};
  std::vector<std::uint32_t> clause_atoms;  // of the nodes' clauses (Node::clause_begin)
  // The OR node of many alternatives that is evaluated from an index rather than by testing
  // them all (see index_alternatives), or kNoNode: its alternatives with a clause are
  // Matcher::Impl::alternatives[alternatives_begin .. alternatives_end), found through their
  // clauses' atoms; `walked` are its other alternatives (not atoms), tested one by one.
  std::uint32_t indexed_or = kNoNode;
  std::uint32_t alternatives_begin = 0;
  std::uint32_t alternatives_end = 0;
  std::vector<std::uint32_t> walked;
  bool indexed() const { return indexed_or != kNoNode; }

  bool may_match(const AtomSet& occurred) const {
    for (std::size_t k = 0; k + 1 < required_begin.size(); ++k) {
      bool any = false;
      for (std::uint32_t i = required_begin[k]; i < required_begin[k + 1] && !any; ++i)
        any = occurred.has(required_atoms[i]);
      if (!any) return false;
    }
    return true;
  }
};

/// Owns a Hyperscan database.
struct Database {
  hs_database_t* db = nullptr;
  Database() = default;
  Database(Database&& o) noexcept : db(o.db) { o.db = nullptr; }
  Database& operator=(Database&& o) noexcept {
    std::swap(db, o.db);
    return *this;
  }
  ~Database() { hs_free_database(db); }
};

/// What one match() scans for: the patterns of one subset (subset 0: all of them), the
/// databases of their atoms alone, and which of them use each atom.
struct ScanSet {
  // What a hit of atom a leads to, among the subset's patterns, as ranges of `links`: the
  // patterns using it [users, alternatives), the indexed alternatives (Matcher::Impl::
  // alternatives) whose clause holds it [alternatives, groups), the groups of alternatives it
  // belongs to [groups, end). One record and one run per atom: a hit costs two cache lines,
  // not six.
  struct AtomLinks {
    std::uint32_t users, alternatives, groups, end;
  };
  std::vector<AtomLinks> atom_links;
  std::vector<std::uint32_t> links;
  std::vector<std::uint32_t> match_without_hits;  // the subset's patterns true with no hit (!a)
  // Homophones are matched on the tokens, not by Hyperscan, whose character classes made them
  // half of its scanning time (and can take seconds to compile): the atoms each first
  // ideograph or first word may start, and a bitmap of those ideographs in the BMP that passes
  // most tokens by (an ideograph beyond it is looked up directly).
  std::unordered_map<char32_t, std::vector<std::uint32_t>> homophone_starts;
  std::unordered_map<std::string, std::vector<std::uint32_t>> homophone_word_starts;
  std::vector<std::uint64_t> homophone_first;
  Database literal_db;  // atoms of fixed length: literals, prefixes, fixed-length regexes
  // The regexes that need start-of-match tracking (apart: SOM slows the rest; one mixed
  // database made tact qa 25% slower here), and the same regexes without it, each reported
  // once: a cheap first scan that most texts fail, sparing them the costly one.
  Database regex_db;
  Database probe_db;
};

/// Per-depth buffers for evaluate(), sized once per scratch so that evaluation does not allocate.
using EvalBuffers = std::vector<std::vector<Interval>>;

/// The atoms of each group of alternatives (see Node::group), indexed by group id.
using GroupAtoms = std::vector<std::vector<std::uint32_t>>;

/// Moves the atom alternatives of each OR (flattening nested ORs) into a new group in
/// `groups`: a long list of phrases then costs evaluation nothing beyond its hits.
void group_alternatives(CompiledPattern& p, GroupAtoms& groups);

/// A rough chance that an utterance contains the atom, from its shape alone: one ideograph is
/// common, three are rare; a multi-word English phrase rarer than one word. Orders clauses.
double occurrence_estimate(const Atom& atom);

/// Fills each node's atom signature, nullable flag and clause, and the pattern's required
/// clauses, rarest first (children precede their parents).
void annotate(CompiledPattern& p, const GroupAtoms& groups, const std::vector<Atom>& atoms);

/// The hits of one text, in tokens: of each atom, and of each group (the union of its atoms'
/// hits, sorted, unique, capped).
struct Hits {
  const std::vector<std::vector<Interval>>& atoms;
  const std::vector<std::vector<Interval>>& groups;
  const AtomSet& occurred;  // the atoms whose hits are not empty
};

/// Evaluates a pattern given the hits and the signature of the atoms that occurred. Fills `out`
/// with the intervals of its positive parts; returns whether it matched. `buffers` holds
/// 2 * (depth + 1) vectors; `cap` bounds the intervals kept per node. For an indexed pattern,
/// `candidates` may list (as node ids) its indexed alternatives whose clause holds: the answer
/// is the same, without testing the others.
bool evaluate(const CompiledPattern& p, const Hits& hits, const AtomSignature& occurred,
              EvalBuffers& buffers, std::size_t cap, std::vector<Interval>& out,
              const std::vector<std::uint32_t>* candidates = nullptr);

/// An alternative that an index finds: node `node` of pattern `pattern`, whose clause
/// (Node::clause_begin) must hold for it to match.
struct IndexedAlternative {
  std::uint32_t pattern;
  std::uint32_t node;
};

/// Picks the OR of `p` (pattern `id`) with the most alternatives that have a clause and, if
/// there are enough, marks them to be found through their clauses' atoms, appending them to
/// `alternatives`.
void index_alternatives(CompiledPattern& p, std::uint32_t id,
                        std::vector<IndexedAlternative>& alternatives);

/// Sorts, removes duplicates and keeps the first `cap` intervals.
void sort_unique(std::vector<Interval>& v, std::size_t cap);

}  // namespace tact::internal

namespace tact {

struct Matcher::Impl {
  Lexicons lexicons;
  MatcherLimits limits;
  internal::FillerSet fillers;       // normalised, one token each
  Status setup_error;                // a bad filler; every add() and build() reports it
  std::vector<Pattern> patterns;
  std::vector<internal::CompiledPattern> compiled;
  std::vector<internal::Atom> atoms;
  std::unordered_map<std::string, std::uint32_t> atom_ids;   // kind + expression -> atom
  std::vector<std::vector<std::uint32_t>> patterns_of_atom;  // while building
  internal::GroupAtoms group_atoms;                          // per group of alternatives
  std::vector<std::uint32_t> group_pattern;                  // the pattern of each group
  std::vector<internal::IndexedAlternative> alternatives;    // of the indexed ORs
  std::vector<std::vector<std::uint32_t>> subsets;  // pattern ids of subsets 1, 2, ...
  std::vector<internal::ScanSet> subset_scans;      // after build(): subset k at [k - 1]
  // Every pattern's scan set (subset 0). build() makes it when there are no subsets; with
  // subsets, on first use (explaining a turn, a turn of an unknown speaker): their users
  // rarely need it, and building it up front would double the compile time.
  mutable std::once_flag all_once;
  mutable internal::ScanSet all_scan;
  mutable Status all_status;

  /// The scan set of `subset`, building subset 0 if needed; null with `error` set if that fails.
  const internal::ScanSet* scan_set(std::uint32_t subset, Status& error) const;
  std::vector<internal::AtomKind> atom_kind;  // atoms[a].kind, compact for the scan path
  std::vector<std::uint32_t> atom_length;     // bytes of every match of atom a; 0: it varies
  std::uint32_t max_depth = 0;
};

}  // namespace tact

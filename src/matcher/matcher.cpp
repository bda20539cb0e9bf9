// Matcher::match: normalise, find homophones on the tokens, scan the databases (the costly
// start-of-match one only when its probe fires), check each hit against token boundaries,
// evaluate the patterns whose atoms were hit.
#include <unicode/utf8.h>

#include <algorithm>

#include "matcher/compiled.hpp"

namespace tact {
namespace {

using internal::AtomKind;
using internal::Interval;

struct RawHit {
  std::uint32_t atom;
  std::uint32_t from;
  std::uint32_t to;
};

struct HsScratch {
  hs_scratch_t* s = nullptr;
  HsScratch() = default;
  HsScratch(const HsScratch&) = delete;
  HsScratch& operator=(const HsScratch&) = delete;
  ~HsScratch() { hs_free_scratch(s); }
};

// For every byte of the normalised text, the index of the token it belongs to (the space
// between two words belongs to the word before it), so each hit maps to tokens in O(1).
void index_tokens(const NormalizedText& n, std::vector<std::uint32_t>& token_of_byte) {
  token_of_byte.resize(n.text.size());
  std::uint32_t* out = token_of_byte.data();
  for (std::uint32_t t = 0; t < n.tokens.size(); ++t) {
    const std::uint32_t end = t + 1 < n.tokens.size() ? n.tokens[t + 1].begin : n.tokens[t].end;
    for (std::uint32_t b = n.tokens[t].begin; b < end; ++b) out[b] = t;
  }
}

}  // namespace

// Hyperscan scratch for the databases of one scan set.
struct SetScratch {
  HsScratch literal;
  HsScratch regex;
  HsScratch probe;
};

struct Matcher::Scratch::State {
  std::shared_ptr<const Matcher::Impl> owner;
  std::vector<SetScratch> sets;  // one per scan set
  std::vector<RawHit> raw;
  std::vector<std::uint32_t> token_of_byte;
  std::string filler_buffer;
  std::vector<std::uint32_t> raw_count;          // per atom, this text
  std::vector<std::vector<Interval>> atom_hits;  // per atom, this text
  std::vector<std::uint32_t> touched;            // atoms with raw hits
  internal::AtomSet present;                     // atoms with hits, this text
  std::vector<std::vector<Interval>> group_hits;  // per group of alternatives, this text
  std::vector<std::uint32_t> touched_groups;      // groups with hits
  std::vector<std::uint32_t> mixed_groups;        // groups with hits of several atoms
  std::vector<std::uint32_t> candidate_epoch;    // per pattern
  std::uint32_t epoch = 0;
  std::vector<std::uint32_t> candidates;
  std::vector<std::uint32_t> alternative_epoch;  // per indexed alternative
  std::vector<std::uint32_t> alternatives;       // indexed alternatives whose clause holds
  std::vector<std::uint32_t> alternative_nodes;  // those of one pattern, as node ids
  internal::EvalBuffers buffers;
  std::vector<Interval> result;
  std::uint32_t cap = 0;
  bool truncated = false;
};

Matcher::Scratch::Scratch(std::unique_ptr<State> state) : state_(std::move(state)) {}
Matcher::Scratch::Scratch(Scratch&&) noexcept = default;
Matcher::Scratch& Matcher::Scratch::operator=(Scratch&&) noexcept = default;
Matcher::Scratch::~Scratch() = default;

namespace {

// Each scratch is allocated for its own database (Hyperscan 5.4.0 crashes on a mismatch).
bool allocate(const internal::ScanSet& set, SetScratch& out) {
  for (auto [db, hs] :
       {std::pair{set.literal_db.db, &out.literal.s}, std::pair{set.regex_db.db, &out.regex.s},
        std::pair{set.probe_db.db, &out.probe.s}}) {
    if (db && *hs == nullptr && hs_alloc_scratch(db, hs) != HS_SUCCESS) return false;
  }
  return true;
}

}  // namespace

Result<Matcher::Scratch> Matcher::make_scratch() const {
  auto st = std::make_unique<Scratch::State>();
  st->owner = impl_;
  st->sets = std::vector<SetScratch>(impl_->subset_scans.size() + 1);
  for (std::uint32_t i = 0; i < st->sets.size(); ++i) {
    if (i == 0 && !impl_->subsets.empty()) continue;  // built on first use, scratch with it
    Status error;
    if (!allocate(*impl_->scan_set(i, error), st->sets[i])) {
      return Status(ErrorCode::kInternal, "cannot allocate Hyperscan scratch");
    }
  }
  st->raw_count.assign(impl_->atoms.size(), 0);
  st->atom_hits.resize(impl_->atoms.size());
  st->present.resize(impl_->atoms.size());
  st->group_hits.resize(impl_->group_atoms.size());
  st->candidate_epoch.assign(impl_->patterns.size(), 0);
  st->alternative_epoch.assign(impl_->alternatives.size(), 0);
  st->buffers.resize(2 * (impl_->max_depth + 1));
  st->cap = impl_->limits.max_hits_per_atom;
  return Scratch(std::move(st));
}

namespace {

void record_hit(Matcher::Scratch::State* st, std::uint32_t atom, std::uint32_t from,
                std::uint32_t to) {
  if (st->raw_count[atom]++ == 0) st->touched.push_back(atom);
  if (st->raw_count[atom] > st->cap) {
    st->truncated = true;
    return;
  }
  st->raw.push_back({atom, from, to});
}

// A probe hit: some start-of-match regex matches, so the regex database is worth scanning.
int on_probe(unsigned int, unsigned long long, unsigned long long, unsigned int, void* context) {
  *static_cast<bool*>(context) = true;
  return 1;  // one is enough: stop scanning
}

int on_hit(unsigned int id, unsigned long long from, unsigned long long to, unsigned int,
           void* context) {
  record_hit(static_cast<Matcher::Scratch::State*>(context), id, static_cast<std::uint32_t>(from),
             static_cast<std::uint32_t>(to));
  return 0;
}

// Homophones: a run of tokens that are, position by position, one of the ideographs the atom
// allows or exactly its word. The same hits as its regular expression would give.
void find_homophones(const NormalizedText& n, const internal::ScanSet& set,
                     const Matcher::Impl& impl, Matcher::Scratch::State* st) {
  const auto* text = reinterpret_cast<const std::uint8_t*>(n.text.data());
  const std::vector<Token>& tokens = n.tokens;
  auto ideograph = [&](const Token& t) -> char32_t {
    if (t.is_word) return 0;
    std::int32_t i = static_cast<std::int32_t>(t.begin);
    UChar32 c;
    U8_NEXT_UNSAFE(text, i, c);
    return static_cast<char32_t>(c);
  };
  auto word = [&](const Token& t) {
    return std::string_view(n.text.data() + t.begin, t.end - t.begin);
  };
  auto try_atoms = [&](std::size_t k, const std::vector<std::uint32_t>& atoms) {
    for (std::uint32_t atom : atoms) {
      const std::vector<internal::HomophonePosition>& positions = impl.atoms[atom].homophone;
      if (k + positions.size() > tokens.size()) continue;
      bool all = true;
      for (std::size_t j = 1; j < positions.size() && all; ++j) {
        const Token& t = tokens[k + j];
        const internal::HomophonePosition& p = positions[j];
        if (!p.word.empty()) {
          all = t.is_word && word(t) == p.word;
        } else {
          const char32_t d = ideograph(t);
          all = d != 0 && std::binary_search(p.ideographs.begin(), p.ideographs.end(), d);
        }
      }
      if (all) record_hit(st, atom, tokens[k].begin, tokens[k + positions.size() - 1].end);
    }
  };
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    if (tokens[k].is_word) {
      if (set.homophone_word_starts.empty()) continue;
      const auto starts = set.homophone_word_starts.find(std::string(word(tokens[k])));
      if (starts != set.homophone_word_starts.end()) try_atoms(k, starts->second);
      continue;
    }
    const char32_t c = ideograph(tokens[k]);
    if (set.homophone_first.empty() ||
        (c <= 0xFFFF && (set.homophone_first[c >> 6] >> (c & 63) & 1) == 0))
      continue;
    const auto starts = set.homophone_starts.find(c);
    if (starts != set.homophone_starts.end()) try_atoms(k, starts->second);
  }
}

// The token interval a hit covers, or false if it does not sit on token boundaries as its atom
// kind requires (so "refund" does not match inside "refunds").
bool hit_to_interval(AtomKind kind, RawHit h, const std::vector<Token>& tokens,
                     const std::vector<std::uint32_t>& token_of_byte, Interval& out) {
  if (h.to <= h.from) return false;
  std::uint32_t first = token_of_byte[h.from];
  const std::uint32_t last = token_of_byte[h.to - 1];
  if (kind == AtomKind::kRegex) {
    if (h.from >= tokens[first].end) ++first;  // started on the space between two words
    if (first > last) return false;
  } else {
    if (tokens[first].begin != h.from) return false;
    if (kind != AtomKind::kPrefix && tokens[last].end != h.to) return false;
  }
  out = {first, last};
  return true;
}

}  // namespace

Status Matcher::match(std::string_view text, Scratch& scratch, MatchResult& out,
                      std::uint32_t subset) const {
  Scratch::State* st = scratch.state_.get();
  if (st == nullptr || st->owner != impl_) {
    return Status(ErrorCode::kInvalidArgument, "scratch was made by a different matcher");
  }
  if (subset > impl_->subset_scans.size()) {
    return Status(ErrorCode::kInvalidArgument, "no pattern subset " + std::to_string(subset));
  }
  Status error;
  const internal::ScanSet* found = impl_->scan_set(subset, error);
  if (found == nullptr) return error;
  const internal::ScanSet& set = *found;
  SetScratch& hs_scratch = st->sets[subset];
  if (!allocate(set, hs_scratch))
    return Status(ErrorCode::kInternal, "cannot allocate Hyperscan scratch");
  out.matches.clear();
  out.spans.clear();
  out.atom_hits.clear();
  out.truncated = false;
  if (text.size() > impl_->limits.max_text_bytes) {
    out.normalized.clear();
    return Status(ErrorCode::kLimit, "text is " + std::to_string(text.size()) + " bytes, limit " +
                                         std::to_string(impl_->limits.max_text_bytes));
  }
  Normalizer::standard().normalize(text, out.normalized);
  impl_->fillers.drop(out.normalized, st->filler_buffer);
  const std::string& v = out.normalized.text;

  // Reset what the previous call left (also after an early return).
  for (std::uint32_t a : st->touched) {
    st->raw_count[a] = 0;
    st->atom_hits[a].clear();
    st->present.remove(a);
  }
  st->touched.clear();
  for (std::uint32_t g : st->touched_groups) st->group_hits[g].clear();
  st->touched_groups.clear();
  st->mixed_groups.clear();
  st->raw.clear();
  st->truncated = false;
  if (!set.homophone_starts.empty() || !set.homophone_word_starts.empty())
    find_homophones(out.normalized, set, *impl_, st);
  bool regex_may_match = false;
  if (set.probe_db.db != nullptr && !v.empty()) {
    const hs_error_t rc = hs_scan(set.probe_db.db, v.data(), static_cast<unsigned>(v.size()), 0,
                                  hs_scratch.probe.s, on_probe, &regex_may_match);
    if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED)
      return Status(ErrorCode::kInternal, "Hyperscan scan failed");
  }
  for (auto [db, hs] :
       {std::pair{set.literal_db.db, hs_scratch.literal.s},
        std::pair{regex_may_match ? set.regex_db.db : nullptr, hs_scratch.regex.s}}) {
    if (db == nullptr || v.empty()) continue;
    if (hs_scan(db, v.data(), static_cast<unsigned>(v.size()), 0, hs, on_hit, st) != HS_SUCCESS) {
      return Status(ErrorCode::kInternal, "Hyperscan scan failed");
    }
  }

  if (!st->raw.empty()) index_tokens(out.normalized, st->token_of_byte);
  for (RawHit h : st->raw) {
    const AtomKind kind = impl_->atom_kind[h.atom];
    if (impl_->atom_length[h.atom] != 0) h.from = h.to - impl_->atom_length[h.atom];
    Interval iv;
    if (hit_to_interval(kind, h, out.normalized.tokens, st->token_of_byte, iv)) {
      st->atom_hits[h.atom].push_back(iv);
    }
  }

  // Candidates: patterns using a hit atom, and those that match when nothing occurs.
  if (++st->epoch == 0) {
    std::fill(st->candidate_epoch.begin(), st->candidate_epoch.end(), 0);
    std::fill(st->alternative_epoch.begin(), st->alternative_epoch.end(), 0);
    st->epoch = 1;
  }
  st->candidates.clear();
  st->alternatives.clear();
  auto consider = [&](std::uint32_t p) {
    if (st->candidate_epoch[p] != st->epoch) {
      st->candidate_epoch[p] = st->epoch;
      st->candidates.push_back(p);
    }
  };
  internal::AtomSignature occurred;
  for (std::uint32_t a : st->touched) {
    auto& hits = st->atom_hits[a];
    if (!hits.empty()) {
      occurred.add(a);
      st->present.add(a);
    }
    if (hits.size() > 1) {
      std::sort(hits.begin(), hits.end());
      hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
    }
    for (const Interval& iv : hits) out.atom_hits.push_back({a, iv.first, iv.last});
    if (hits.empty()) continue;
    const internal::ScanSet::AtomLinks& links = set.atom_links[a];
    for (std::uint32_t i = links.users; i < links.alternatives; ++i) consider(set.links[i]);
    for (std::uint32_t i = links.alternatives; i < links.groups; ++i) {
      const std::uint32_t alt = set.links[i];
      if (st->alternative_epoch[alt] != st->epoch) {
        st->alternative_epoch[alt] = st->epoch;
        st->alternatives.push_back(alt);
      }
    }
    for (std::uint32_t i = links.groups; i < links.end; ++i) {
      const std::uint32_t g = set.links[i];
      std::vector<Interval>& group = st->group_hits[g];
      if (group.empty())
        st->touched_groups.push_back(g);
      else
        st->mixed_groups.push_back(g);  // hits of several atoms: sort them below
      group.insert(group.end(), hits.begin(), hits.end());
    }
  }
  // A group with one atom's hits has them sorted and unique already.
  for (std::uint32_t g : st->mixed_groups) {
    std::vector<Interval>& group = st->group_hits[g];
    const bool increasing =
        std::adjacent_find(group.begin(), group.end(), [](const Interval& a, const Interval& b) {
          return !(a < b);
        }) == group.end();
    if (!increasing || group.size() > st->cap) internal::sort_unique(group, st->cap);
  }
  for (std::uint32_t p : set.match_without_hits) consider(p);
  if (st->candidates.size() > 1) std::sort(st->candidates.begin(), st->candidates.end());
  // Numbered in pattern order, like the candidates: one pass hands each its own.
  if (st->alternatives.size() > 1) std::sort(st->alternatives.begin(), st->alternatives.end());
  std::size_t next_alternative = 0;

  const std::vector<Token>& tokens = out.normalized.tokens;
  const internal::Hits hits{st->atom_hits, st->group_hits, st->present};
  for (std::uint32_t p : st->candidates) {
    const internal::CompiledPattern& cp = impl_->compiled[p];
    const internal::Node& root = cp.nodes[cp.root];
    const std::vector<Interval>* intervals;
    using Kind = PatternNode::Kind;
    if (root.kind == Kind::kPhrase || root.kind == Kind::kRegex || root.kind == Kind::kHomophone) {
      intervals = &st->atom_hits[root.atom];  // a single atom: its hits are the answer
      if (intervals->empty()) continue;
    } else {
      if (cp.indexed()) {
        while (next_alternative < st->alternatives.size() &&
               st->alternatives[next_alternative] < cp.alternatives_begin)
          ++next_alternative;
        st->alternative_nodes.clear();
        for (; next_alternative < st->alternatives.size() &&
               st->alternatives[next_alternative] < cp.alternatives_end;
             ++next_alternative)
          st->alternative_nodes.push_back(
              impl_->alternatives[st->alternatives[next_alternative]].node);
      }
      if (!cp.may_match(st->present) ||
          !internal::evaluate(cp, hits, occurred, st->buffers, st->cap, st->result,
                              cp.indexed() ? &st->alternative_nodes : nullptr))
        continue;
      intervals = &st->result;
    }
    const auto first = static_cast<std::uint32_t>(out.spans.size());
    for (const Interval& iv : *intervals) {
      out.spans.push_back({tokens[iv.first].source_begin, tokens[iv.last].source_end});
    }
    // Intervals are sorted by token, so spans are sorted; distinct intervals may still map to
    // one span (a word and its prefix), hence unique.
    const auto end = std::unique(out.spans.begin() + first, out.spans.end());
    out.spans.erase(end, out.spans.end());
    out.matches.push_back({p, first, static_cast<std::uint32_t>(out.spans.size()) - first});
  }

  out.truncated = st->truncated;
  return Status();
}

Result<MatchResult> Matcher::match(std::string_view text) const {
  Result<Scratch> scratch = make_scratch();
  if (!scratch.ok()) return scratch.status();
  MatchResult out;
  if (Status s = match(text, *scratch, out); !s.ok()) return s;
  return out;
}

std::size_t Matcher::size() const { return impl_->patterns.size(); }

std::size_t Matcher::subsets() const { return impl_->subset_scans.size(); }

bool Matcher::owns(const Scratch& scratch) const {
  return scratch.state_ != nullptr && scratch.state_->owner == impl_;
}

const Pattern& Matcher::pattern(std::uint32_t id) const { return impl_->patterns.at(id); }

std::string Matcher::describe_atom(std::uint32_t atom) const {
  const internal::Atom& a = impl_->atoms.at(atom);
  switch (a.kind) {
    case AtomKind::kLiteral:
    case AtomKind::kPrefix:
      return "phrase " + a.display;
    case AtomKind::kHomophone:
      return "homophone " + a.display;
    case AtomKind::kRegex:
      return "regex " + a.display;
  }
  return a.display;
}

}  // namespace tact

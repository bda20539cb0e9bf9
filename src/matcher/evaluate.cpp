// Boolean and proximity structure of a pattern, on token intervals. Semantics:
//   atom        its hits
//   a | b       matched if either; intervals of both
//   a & b       matched if both; intervals of both
//   !a          matched if a did not; no intervals
//   a NEAR/n b  pairs at most n tokens apart (overlap counts as 0), either order; each pair
//               becomes the interval covering both, so NEARs nest
//   a BEFORE/n b  the same with a ending before b starts
//   a b c       BEFORE/0, left to right
#include <algorithm>
#include <cmath>

#include "matcher/compiled.hpp"

namespace tact::internal {

void sort_unique(std::vector<Interval>& v, std::size_t cap) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  if (v.size() > cap) v.resize(cap);
}

namespace {

using Kind = PatternNode::Kind;

bool is_atom(Kind k) { return k == Kind::kPhrase || k == Kind::kRegex || k == Kind::kHomophone; }

// Pairs of a and b within `distance` tokens; `ordered` requires a before b.
void pair_up(const std::vector<Interval>& a, const std::vector<Interval>& b, std::uint32_t distance,
             bool ordered, std::size_t cap, std::vector<Interval>& out) {
  out.clear();
  for (const Interval& x : a) {
    for (const Interval& y : b) {
      bool ok;
      if (x.last < y.first) {
        ok = y.first - x.last - 1 <= distance;
      } else if (ordered) {
        ok = false;
      } else if (y.last < x.first) {
        ok = x.first - y.last - 1 <= distance;
      } else {
        ok = true;  // overlapping
      }
      if (ok) out.push_back({std::min(x.first, y.first), std::max(x.last, y.last)});
    }
  }
  sort_unique(out, cap);
}

struct Evaluator {
  const CompiledPattern& p;
  const Hits& hits;
  const AtomSignature& occurred;
  EvalBuffers& buffers;
  std::size_t cap;
  const std::vector<std::uint32_t>* candidates;  // of p.indexed_or, if known

  // False if the node cannot match: it needs an atom and none of its subtree's occurred, or
  // none of its clause's did.
  bool may_hold(const Node& n) const {
    if (n.nullable) return true;
    if (!n.atoms.intersects(occurred)) return false;
    if (n.clause_begin == n.clause_end) return true;
    for (std::uint32_t i = n.clause_begin; i < n.clause_end; ++i) {
      if (hits.occurred.has(p.clause_atoms[i])) return true;
    }
    return false;
  }

  bool eval(std::uint32_t index, std::uint32_t depth, std::vector<Interval>& out) {
    const Node& n = p.nodes[index];
    // None of the subtree's atoms occurred, and it needs one: skip it without walking it.
    if (!may_hold(n)) {
      out.clear();
      return false;
    }
    const std::uint32_t* child = p.children.data() + n.children_begin;
    const std::uint32_t* child_end = p.children.data() + n.children_end;
    std::vector<Interval>& tmp = buffers[2 * depth];
    std::vector<Interval>& tmp2 = buffers[2 * depth + 1];
    out.clear();
    switch (n.kind) {
      case Kind::kPhrase:
      case Kind::kRegex:
      case Kind::kHomophone:
      case Kind::kLexicon:  // lexicons are expanded at compile time; never reached
        out = hits.atoms[n.atom];
        return !out.empty();
      case Kind::kOr: {
        // The atom alternatives' hits were gathered into the group as they were found; only
        // the others are evaluated, skipping those whose atoms did not occur without a call.
        bool any = false, merged = false;
        if (n.group != kNoGroup) {
          const std::vector<Interval>& g = hits.groups[n.group];
          any = !g.empty();
          out.assign(g.begin(), g.end());
        }
        auto alternative = [&](std::uint32_t c) {
          if (!may_hold(p.nodes[c]) || !eval(c, depth + 1, tmp)) return;
          any = merged = true;
          out.insert(out.end(), tmp.begin(), tmp.end());
        };
        if (candidates != nullptr && index == p.indexed_or) {
          for (std::uint32_t c : p.walked) alternative(c);
          for (std::uint32_t c : *candidates) alternative(c);
        } else {
          for (; child != child_end; ++child) alternative(*child);
        }
        if (merged && out.size() > 1) sort_unique(out, cap);
        return any;
      }
      case Kind::kAnd:
        for (; child != child_end; ++child) {
          if (!eval(*child, depth + 1, tmp)) {
            out.clear();
            return false;
          }
          out.insert(out.end(), tmp.begin(), tmp.end());
        }
        sort_unique(out, cap);
        return true;
      case Kind::kNot:
        return !eval(*child, depth + 1, tmp);
      case Kind::kNear:
      case Kind::kBefore:
        if (!eval(child[0], depth + 1, tmp) || !eval(child[1], depth + 1, tmp2)) return false;
        pair_up(tmp, tmp2, n.distance, n.kind == Kind::kBefore, cap, out);
        return !out.empty();
      case Kind::kSequence: {
        if (!eval(*child, depth + 1, out)) return false;
        for (++child; child != child_end; ++child) {
          if (!eval(*child, depth + 1, tmp2)) {
            out.clear();
            return false;
          }
          pair_up(out, tmp2, 0, true, cap, tmp);
          out.swap(tmp);
          if (out.empty()) return false;
        }
        return true;
      }
    }
    return false;
  }
};

}  // namespace

namespace {

// Clauses: sets of atoms of which at least one must occur for a node to match. Kept small: a
// few of the rarest clauses are enough to rule out most non-matching patterns, and they are
// tested rarest first.
struct Clause {
  std::vector<std::uint32_t> atoms;  // sorted
  double chance = 0;                 // that one of them occurs, roughly (a sum, capped at 1)
  friend bool operator==(const Clause& a, const Clause& b) { return a.atoms == b.atoms; }
};
constexpr std::size_t kMaxClauses = 6;
constexpr std::size_t kMaxClauseAtoms = 48;
// A node's own clause is tested at every evaluation of it, so it must be short and rare.
constexpr std::size_t kMaxNodeClauseAtoms = 12;
constexpr double kMaxNodeClauseChance = 0.5;

Clause make_clause(std::vector<std::uint32_t> atoms, const std::vector<Atom>& all) {
  std::sort(atoms.begin(), atoms.end());
  atoms.erase(std::unique(atoms.begin(), atoms.end()), atoms.end());
  double chance = 0;
  for (std::uint32_t a : atoms) chance += all[a].chance;
  return {std::move(atoms), std::min(chance, 1.0)};
}

void keep_rarest(std::vector<Clause>& clauses) {
  std::stable_sort(clauses.begin(), clauses.end(), [](const Clause& a, const Clause& b) {
    return a.chance != b.chance ? a.chance < b.chance : a.atoms.size() < b.atoms.size();
  });
  clauses.erase(std::unique(clauses.begin(), clauses.end()), clauses.end());
  if (clauses.size() > kMaxClauses) clauses.resize(kMaxClauses);
}

void required_clauses(CompiledPattern& p, const GroupAtoms& groups,
                      const std::vector<Atom>& atoms) {
  std::vector<std::vector<Clause>> of(p.nodes.size());
  p.clause_atoms.clear();
  for (std::size_t i = 0; i < p.nodes.size(); ++i) {
    Node& n = p.nodes[i];
    std::vector<Clause>& out = of[i];
    switch (n.kind) {
      case Kind::kPhrase:
      case Kind::kRegex:
      case Kind::kHomophone:
      case Kind::kLexicon:
        out.push_back(make_clause({n.atom}, atoms));
        break;
      case Kind::kNot:
        break;  // no requirement: it matches when its operand is absent
      case Kind::kOr: {
        // One of the alternatives: the union of each one's rarest clause.
        std::vector<std::uint32_t> all;
        if (n.group != kNoGroup) all = groups[n.group];
        bool bounded = !n.nullable;
        for (std::uint32_t c = n.children_begin; c < n.children_end && bounded; ++c) {
          const std::vector<Clause>& child = of[p.children[c]];
          if (child.empty()) bounded = false;
          else
            all.insert(all.end(), child.front().atoms.begin(), child.front().atoms.end());
        }
        Clause clause = make_clause(std::move(all), atoms);
        if (bounded && clause.atoms.size() <= kMaxClauseAtoms) out.push_back(std::move(clause));
        break;
      }
      case Kind::kAnd:
      case Kind::kNear:
      case Kind::kBefore:
      case Kind::kSequence:
        // Every operand: all of their requirements.
        for (std::uint32_t c = n.children_begin; c < n.children_end; ++c) {
          const std::vector<Clause>& child = of[p.children[c]];
          out.insert(out.end(), child.begin(), child.end());
        }
        keep_rarest(out);
        break;
    }
    // An atom's own hits decide it at once; a node's rarest clause is worth testing first.
    n.clause_begin = n.clause_end = static_cast<std::uint32_t>(p.clause_atoms.size());
    const bool atom = is_atom(n.kind) || n.kind == Kind::kLexicon;
    if (!atom && !out.empty() && out.front().atoms.size() <= kMaxNodeClauseAtoms &&
        out.front().chance <= kMaxNodeClauseChance) {
      p.clause_atoms.insert(p.clause_atoms.end(), out.front().atoms.begin(),
                            out.front().atoms.end());
      n.clause_end = static_cast<std::uint32_t>(p.clause_atoms.size());
    }
  }
  p.required_atoms.clear();
  p.required_begin.assign(1, 0);
  for (const Clause& c : of[p.root]) {
    p.required_atoms.insert(p.required_atoms.end(), c.atoms.begin(), c.atoms.end());
    p.required_begin.push_back(static_cast<std::uint32_t>(p.required_atoms.size()));
  }
}

// The atoms and the other alternatives of OR node `index`, looking through nested ORs.
void collect_alternatives(const CompiledPattern& p, std::uint32_t index,
                          std::vector<std::uint32_t>& atoms, std::vector<std::uint32_t>& others) {
  const Node& n = p.nodes[index];
  for (std::uint32_t i = n.children_begin; i < n.children_end; ++i) {
    const std::uint32_t c = p.children[i];
    const Node& child = p.nodes[c];
    if (is_atom(child.kind)) atoms.push_back(child.atom);
    else if (child.kind == Kind::kOr) collect_alternatives(p, c, atoms, others);
    else others.push_back(c);
  }
}

void group_below(CompiledPattern& p, std::uint32_t index, GroupAtoms& groups) {
  if (p.nodes[index].kind == Kind::kOr) {
    std::vector<std::uint32_t> atoms, others;
    collect_alternatives(p, index, atoms, others);
    Node& n = p.nodes[index];
    n.children_begin = static_cast<std::uint32_t>(p.children.size());
    p.children.insert(p.children.end(), others.begin(), others.end());
    n.children_end = static_cast<std::uint32_t>(p.children.size());
    if (!atoms.empty()) {
      std::sort(atoms.begin(), atoms.end());
      atoms.erase(std::unique(atoms.begin(), atoms.end()), atoms.end());
      n.group = static_cast<std::uint32_t>(groups.size());
      groups.push_back(std::move(atoms));
    }
  }
  const Node& n = p.nodes[index];
  for (std::uint32_t i = n.children_begin; i < n.children_end; ++i) {
    group_below(p, p.children[i], groups);
  }
}

}  // namespace

void group_alternatives(CompiledPattern& p, GroupAtoms& groups) {
  group_below(p, p.root, groups);
}

double occurrence_estimate(const Atom& atom) {
  if (atom.kind == AtomKind::kRegex) return 0.5;  // unknowable; assume common
  // Normalised text: ideographs are one token each, words are separated by spaces.
  std::size_t ideographs = 0, words = 0, letters = 0;
  bool in_word = false;
  for (std::size_t i = 0; i < atom.expression.size();) {
    const auto byte = static_cast<unsigned char>(atom.expression[i]);
    if (byte >= 0xE0) {  // three or four bytes: an ideograph (or kana, hangul: as rare)
      ++ideographs;
      in_word = false;
      i += byte >= 0xF0 ? 4 : 3;
      continue;
    }
    if (byte == ' ') {
      in_word = false;
    } else {
      if (!in_word) ++words;
      in_word = true;
      ++letters;
    }
    ++i;
  }
  double chance = 1;
  if (ideographs > 0) chance *= 0.3 * std::pow(0.1, static_cast<double>(ideographs - 1));
  if (words > 0) {
    chance *= (letters <= 3 * words ? 0.1 : 0.03) * std::pow(0.1, static_cast<double>(words - 1));
  }
  if (atom.kind == AtomKind::kPrefix) chance *= 3;
  if (atom.kind == AtomKind::kHomophone) chance *= 5;
  return std::min(chance, 1.0);
}

void annotate(CompiledPattern& p, const GroupAtoms& groups, const std::vector<Atom>& atoms) {
  for (Node& n : p.nodes) {
    n.atoms = AtomSignature{};
    if (n.group != kNoGroup) {
      for (std::uint32_t a : groups[n.group]) n.atoms.add(a);
    }
    bool all_nullable = true, any_nullable = false;
    for (std::uint32_t i = n.children_begin; i < n.children_end; ++i) {
      const Node& c = p.nodes[p.children[i]];
      n.atoms.add(c.atoms);
      all_nullable = all_nullable && c.nullable;
      any_nullable = any_nullable || c.nullable;
    }
    switch (n.kind) {
      case Kind::kPhrase:
      case Kind::kRegex:
      case Kind::kHomophone:
      case Kind::kLexicon:
        n.atoms.add(n.atom);
        n.nullable = false;
        break;
      case Kind::kNot:
        n.nullable = true;
        break;
      case Kind::kOr:
        n.nullable = any_nullable;
        break;
      case Kind::kAnd:
        n.nullable = all_nullable;
        break;
      case Kind::kNear:
      case Kind::kBefore:
      case Kind::kSequence:
        n.nullable = false;  // need positions, which only occurring atoms give
        break;
    }
  }
  required_clauses(p, groups, atoms);
}

bool evaluate(const CompiledPattern& p, const Hits& hits, const AtomSignature& occurred,
              EvalBuffers& buffers, std::size_t cap, std::vector<Interval>& out,
              const std::vector<std::uint32_t>* candidates) {
  if (buffers.size() < 2 * (p.depth + 1)) buffers.resize(2 * (p.depth + 1));
  return Evaluator{p, hits, occurred, buffers, cap, candidates}.eval(p.root, 0, out);
}

// Below this many alternatives with a clause, testing each costs less than the index.
constexpr std::size_t kMinIndexedAlternatives = 4;

void index_alternatives(CompiledPattern& p, std::uint32_t id,
                        std::vector<IndexedAlternative>& alternatives) {
  // Any OR will do: the index only spares testing clauses that do not hold.
  std::vector<std::uint32_t> best;
  for (std::uint32_t index = 0; index < p.nodes.size(); ++index) {
    const Node& n = p.nodes[index];
    if (n.kind != Kind::kOr) continue;
    std::vector<std::uint32_t> indexed;
    for (std::uint32_t i = n.children_begin; i < n.children_end; ++i) {
      const Node& c = p.nodes[p.children[i]];
      // Its clause is a necessary condition only when it cannot match without an atom.
      if (!c.nullable && c.clause_begin < c.clause_end) indexed.push_back(p.children[i]);
    }
    if (indexed.size() >= kMinIndexedAlternatives && indexed.size() > best.size()) {
      best = std::move(indexed);
      p.indexed_or = index;
    }
  }
  if (!p.indexed()) return;
  const Node& n = p.nodes[p.indexed_or];
  std::vector<std::uint32_t> sorted = best;
  std::sort(sorted.begin(), sorted.end());
  p.walked.clear();
  for (std::uint32_t i = n.children_begin; i < n.children_end; ++i) {
    if (!std::binary_search(sorted.begin(), sorted.end(), p.children[i]))
      p.walked.push_back(p.children[i]);
  }
  p.alternatives_begin = static_cast<std::uint32_t>(alternatives.size());
  for (std::uint32_t c : best) alternatives.push_back({id, c});
  p.alternatives_end = static_cast<std::uint32_t>(alternatives.size());
}

}  // namespace tact::internal

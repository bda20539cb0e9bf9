// Matcher::Builder: patterns -> atoms (deduplicated across all patterns) and node trees, then
// the two Hyperscan databases.

#include <algorithm>
#include <numeric>

#include "common/utf8.hpp"
#include "matcher/compiled.hpp"
#include "normalize/pinyin.hpp"

namespace tact {
namespace {

using internal::Atom;
using internal::AtomKind;
using internal::CompiledPattern;
using internal::Node;
using Kind = PatternNode::Kind;

constexpr unsigned kRegexFlags = HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST | HS_FLAG_CASELESS;

// Hyperscan flags of an atom's expression (homophones are matched on tokens, never here).
// Start-of-match tracking is costly (a database of SOM expressions scans slower), so a regex
// of fixed length goes without it and has its start computed from its end.
unsigned scan_flags(AtomKind kind, std::uint32_t fixed_length) {
  if (kind == AtomKind::kLiteral || kind == AtomKind::kPrefix) return 0;
  return fixed_length != 0 ? kRegexFlags & ~static_cast<unsigned>(HS_FLAG_SOM_LEFTMOST)
                           : kRegexFlags;
}

// The length in bytes of every match of an atom, or 0 if it varies.
std::uint32_t fixed_length(const Atom& a) {
  if (a.kind == AtomKind::kLiteral || a.kind == AtomKind::kPrefix)
    return static_cast<std::uint32_t>(a.expression.size());
  if (!a.homophone.empty()) return 0;  // matched on tokens, which give start and end
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_expression_info(a.expression.c_str(), scan_flags(a.kind, 0), &info, &err) != HS_SUCCESS) {
    hs_free_compile_error(err);
    return 0;  // compile_database reports it
  }
  const std::uint32_t length = info->min_width == info->max_width ? info->min_width : 0;
  std::free(info);
  return length;
}

Status compile_error(const Pattern& p, std::uint32_t column, const std::string& what) {
  return Status(ErrorCode::kPatternCompile,
                "pattern error at column " + std::to_string(column) + ": " + what + "\n" +
                    caret_line(p.source(), column),
                {"", 0, column});
}

// Non-ASCII characters in a regex are literals or class members: fold them as the text is
// folded (錢 -> 钱, Ｋ -> k), so that a regex written in traditional characters still matches.
std::string fold_regex(std::string_view source) {
  const Normalizer& n = Normalizer::standard();
  std::string out;
  for (char32_t c : internal::decode_utf8(source)) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    std::u32string f = n.fold(c);
    if (f.size() == 1) {
      internal::append_utf8(out, f[0]);
    } else if (!f.empty()) {
      internal::append_utf8(out, c);
    }
  }
  return out;
}

}  // namespace

// Lowers one parsed pattern into nodes, registering its atoms.
class PatternLowering {
 public:
  PatternLowering(Matcher::Impl& impl, const Pattern& pattern, std::uint32_t id)
      : impl_(impl), pattern_(pattern), id_(id) {}

  Result<CompiledPattern> run() {
    Result<std::uint32_t> root = lower(pattern_.root(), 0, pattern_);
    if (!root.ok()) return root.status();
    out_.root = *root;
    return std::move(out_);
  }

 private:
  Result<std::uint32_t> lower(const PatternNode& n, std::uint32_t depth, const Pattern& source) {
    out_.depth = std::max(out_.depth, depth);
    switch (n.kind) {
      case Kind::kPhrase:
        return phrase(n.text, n.prefix, n.column, source);
      case Kind::kHomophone:
        return homophone(n, source);
      case Kind::kRegex:
        return regex(n, source);
      case Kind::kLexicon:
        return lexicon(n, depth, source);
      case Kind::kSequence:
        return sequence(n, depth, source);
      default:
        break;
    }
    std::vector<std::uint32_t> kids;
    for (const PatternNode& c : n.children) {
      Result<std::uint32_t> k = lower(c, depth + 1, source);
      if (!k.ok()) return k.status();
      kids.push_back(*k);
    }
    return add_node(n.kind, 0, n.distance, kids);
  }

  // Patterns are normalised exactly as texts are, fillers dropped alike.
  NormalizedText normalize(std::string_view text) const {
    NormalizedText n = Normalizer::standard().normalize(text);
    std::string buffer;
    impl_.fillers.drop(n, buffer);
    return n;
  }

  std::uint32_t add_node(Kind kind, std::uint32_t atom, std::uint32_t distance,
                         const std::vector<std::uint32_t>& kids) {
    Node node;
    node.kind = kind;
    node.atom = atom;
    node.distance = distance;
    node.children_begin = static_cast<std::uint32_t>(out_.children.size());
    out_.children.insert(out_.children.end(), kids.begin(), kids.end());
    node.children_end = static_cast<std::uint32_t>(out_.children.size());
    out_.nodes.push_back(node);
    return static_cast<std::uint32_t>(out_.nodes.size() - 1);
  }

  std::uint32_t add_atom(AtomKind kind, std::string expression, std::string display) {
    std::string key(1, static_cast<char>('0' + static_cast<int>(kind)));
    key += expression;
    auto [it, inserted] =
        impl_.atom_ids.try_emplace(key, static_cast<std::uint32_t>(impl_.atoms.size()));
    if (inserted) {
      impl_.atoms.push_back({kind, std::move(expression), std::move(display), {}});
      impl_.atoms.back().chance = internal::occurrence_estimate(impl_.atoms.back());
      impl_.patterns_of_atom.emplace_back();
    }
    auto& users = impl_.patterns_of_atom[it->second];
    if (users.empty() || users.back() != id_) users.push_back(id_);
    return it->second;
  }

  Result<std::uint32_t> phrase(const std::string& text, bool prefix, std::uint32_t column,
                               const Pattern& source) {
    const NormalizedText norm = normalize(text);
    if (norm.tokens.empty()) {
      return compile_error(source, column,
                           "'" + text +
                               "' has no words after normalisation (only punctuation, "
                               "symbols or spaces), so it can never match");
    }
    if (prefix && !norm.tokens.back().is_word) {
      return compile_error(source, column,
                           "the wildcard '*' must follow a Latin word or number, as in refund*");
    }
    const AtomKind kind = prefix ? AtomKind::kPrefix : AtomKind::kLiteral;
    const std::string display = (prefix ? norm.text + "*" : norm.text);
    const std::uint32_t atom = add_atom(kind, norm.text, display);
    return add_node(Kind::kPhrase, atom, 0, {});
  }

  Result<std::uint32_t> homophone(const PatternNode& n, const Pattern& source) {
    const NormalizedText norm = normalize(n.text);
    if (norm.tokens.empty()) {
      return compile_error(source, n.column, "'~" + n.text + "' has no words after normalisation");
    }
    // The normalised text identifies the atom: it decides every position's alternatives.
    const std::uint32_t atom = add_atom(AtomKind::kHomophone, norm.text, "~" + norm.text);
    std::vector<internal::HomophonePosition>& positions = impl_.atoms[atom].homophone;
    if (!positions.empty()) return add_node(Kind::kHomophone, atom, 0, {});  // seen before
    for (const Token& t : norm.tokens) {
      const std::string_view token = std::string_view(norm.text).substr(t.begin, t.end - t.begin);
      if (t.is_word)
        positions.push_back({std::u32string(), std::string(token)});
      else
        positions.push_back(
            {internal::homophones_of(internal::decode_utf8(token)[0]), std::string()});
    }
    return add_node(Kind::kHomophone, atom, 0, {});
  }

  Result<std::uint32_t> regex(const PatternNode& n, const Pattern& source) {
    std::string expression = fold_regex(n.text);
    if (expression.empty()) return compile_error(source, n.column, "empty regular expression");
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_expression_info(expression.c_str(), kRegexFlags, &info, &err) != HS_SUCCESS) {
      std::string msg = err ? err->message : "rejected by Hyperscan";
      hs_free_compile_error(err);
      return compile_error(source, n.column, "regular expression /" + n.text + "/: " + msg);
    }
    const bool empty_ok = info->min_width == 0;
    std::free(info);
    if (empty_ok) {
      return compile_error(source, n.column,
                           "regular expression /" + n.text + "/ can match empty text");
    }
    const std::uint32_t atom = add_atom(AtomKind::kRegex, expression, "/" + n.text + "/");
    return add_node(Kind::kRegex, atom, 0, {});
  }

  Result<std::uint32_t> lexicon(const PatternNode& n, std::uint32_t depth, const Pattern& source) {
    auto it = impl_.lexicons.find(n.text);
    if (it == impl_.lexicons.end()) {
      std::string known;
      for (const auto& [name, entries] : impl_.lexicons)
        known += (known.empty() ? "" : ", @") + name;
      return compile_error(
          source, n.column,
          "unknown lexicon '@" + n.text + "'" +
              (known.empty() ? " (no lexicons are defined)" : " (known: @" + known + ")"));
    }
    if (it->second.empty())
      return compile_error(source, n.column, "lexicon '@" + n.text + "' is empty");
    std::vector<std::uint32_t> kids;
    for (std::size_t i = 0; i < it->second.size(); ++i) {
      Result<Pattern> entry = Pattern::parse(it->second[i], impl_.limits.pattern);
      if (!entry.ok()) {
        return compile_error(source, n.column,
                             "in lexicon '@" + n.text + "', entry " + std::to_string(i + 1) + " '" +
                                 it->second[i] + "': " + entry.status().message());
      }
      if (contains_lexicon(entry->root())) {
        return compile_error(
            source, n.column,
            "lexicon '@" + n.text + "' entry '" + it->second[i] + "' refers to another lexicon");
      }
      Result<std::uint32_t> k = lower(entry->root(), depth + 1, *entry);
      if (!k.ok()) {
        return compile_error(source, n.column,
                             "in lexicon '@" + n.text + "': " + k.status().message());
      }
      kids.push_back(*k);
    }
    return kids.size() == 1 ? kids[0] : add_node(Kind::kOr, 0, 0, kids);
  }

  static bool contains_lexicon(const PatternNode& n) {
    if (n.kind == Kind::kLexicon) return true;
    return std::any_of(n.children.begin(), n.children.end(), contains_lexicon);
  }

  // Adjacent plain phrases merge into one literal ("calm" "down" -> "calm down"); anything else
  // is joined by BEFORE/0.
  Result<std::uint32_t> sequence(const PatternNode& n, std::uint32_t depth, const Pattern& source) {
    std::vector<std::uint32_t> kids;
    std::string run;
    bool in_run = false;  // run may be empty text ("" "") and must still be reported
    std::uint32_t run_column = 0;
    auto flush = [&](bool prefix) -> Status {
      if (!in_run) return Status();
      Result<std::uint32_t> k = phrase(run, prefix, run_column, source);
      run.clear();
      in_run = false;
      if (!k.ok()) return k.status();
      kids.push_back(*k);
      return Status();
    };
    for (const PatternNode& c : n.children) {
      if (c.kind == Kind::kPhrase) {
        if (!in_run) run_column = c.column;
        run += (in_run ? " " : "") + c.text;
        in_run = true;
        if (c.prefix) {
          if (Status s = flush(true); !s.ok()) return s;
        }
        continue;
      }
      if (Status s = flush(false); !s.ok()) return s;
      Result<std::uint32_t> k = lower(c, depth + 1, source);
      if (!k.ok()) return k.status();
      kids.push_back(*k);
    }
    if (Status s = flush(false); !s.ok()) return s;
    return kids.size() == 1 ? kids[0] : add_node(Kind::kSequence, 0, 0, kids);
  }

  Matcher::Impl& impl_;
  const Pattern& pattern_;
  std::uint32_t id_;
  CompiledPattern out_;
};

Matcher::Builder::Builder(Lexicons lexicons, MatcherLimits limits, Fillers fillers)
    : impl_(std::make_unique<Impl>()) {
  impl_->lexicons = std::move(lexicons);
  impl_->limits = limits;
  for (const std::string& f : fillers) {
    const NormalizedText n = Normalizer::standard().normalize(f);
    if (n.tokens.size() != 1) {
      impl_->setup_error =
          Status(ErrorCode::kPatternCompile,
                 "filler '" + f + "' must be one word or character after normalisation");
      break;
    }
    impl_->fillers.add(n.text);
  }
}
Matcher::Builder::Builder(Builder&&) noexcept = default;
Matcher::Builder& Matcher::Builder::operator=(Builder&&) noexcept = default;
Matcher::Builder::~Builder() = default;

Result<std::uint32_t> Matcher::Builder::add(std::string_view source) {
  if (impl_ && !impl_->setup_error.ok()) return impl_->setup_error;
  if (!impl_) return Status(ErrorCode::kInvalidArgument, "builder already built");
  Result<Pattern> parsed = Pattern::parse(source, impl_->limits.pattern);
  if (!parsed.ok()) return parsed.status();
  const auto id = static_cast<std::uint32_t>(impl_->patterns.size());
  Result<internal::CompiledPattern> compiled = PatternLowering(*impl_, *parsed, id).run();
  if (!compiled.ok()) {
    // Atoms the failed pattern registered stay, unused (build() skips atoms without users).
    for (auto& users : impl_->patterns_of_atom) {
      if (!users.empty() && users.back() == id) users.pop_back();
    }
    return compiled.status();
  }
  internal::group_alternatives(*compiled, impl_->group_atoms);
  impl_->group_pattern.resize(impl_->group_atoms.size(), id);
  internal::annotate(*compiled, impl_->group_atoms, impl_->atoms);
  internal::index_alternatives(*compiled, id, impl_->alternatives);
  impl_->max_depth = std::max(impl_->max_depth, compiled->depth);
  impl_->patterns.push_back(std::move(*parsed));
  impl_->compiled.push_back(std::move(*compiled));
  return id;
}

namespace {

// Literals are compiled as fully escaped expressions (\xHH per byte) rather than with
// hs_compile_lit_multi: in Hyperscan 5.4.0 the pure-literal path fails at scan time with
// HS_UNKNOWN_ERROR for some literal sets (verified: {"zz", "xll" + 40 x "h"} scanning its own
// text), while the same literals as expressions work and compile as fast (10,000 in 0.26 s).
// Escaping every byte also keeps a NUL from ending a pattern early.
std::string escape_literal(const std::string& literal) {
  std::string out;
  out.reserve(literal.size() * 4);
  char buf[8];
  for (unsigned char c : literal) {
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
    out += buf;
  }
  return out;
}

// Which atoms a database holds (see ScanSet).
enum class DatabaseKind { kFixedLength, kStartOfMatch, kProbe };

// The database of the atoms that `used` marks as used, of `kind`.
Status compile_database(const Matcher::Impl& impl, const std::vector<bool>& used, DatabaseKind kind,
                        internal::Database& out) {
  std::vector<std::string> escaped;
  std::vector<unsigned> flags, ids;
  for (std::uint32_t i = 0; i < impl.atoms.size(); ++i) {
    const Atom& a = impl.atoms[i];
    const bool literal = a.kind == AtomKind::kLiteral || a.kind == AtomKind::kPrefix;
    if ((impl.atom_length[i] != 0) != (kind == DatabaseKind::kFixedLength) || !used[i]) continue;
    escaped.push_back(literal ? escape_literal(a.expression) : a.expression);
    flags.push_back(kind == DatabaseKind::kProbe
                        ? (kRegexFlags & ~static_cast<unsigned>(HS_FLAG_SOM_LEFTMOST)) |
                              HS_FLAG_SINGLEMATCH | HS_FLAG_PREFILTER
                        : scan_flags(a.kind, impl.atom_length[i]));
    ids.push_back(i);
  }
  if (escaped.empty()) return Status();
  std::vector<const char*> expressions;
  for (const std::string& e : escaped) expressions.push_back(e.c_str());
  hs_compile_error_t* err = nullptr;
  const hs_error_t rc = hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                                         static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK,
                                         nullptr, &out.db, &err);
  if (rc == HS_SUCCESS) return Status();
  std::string msg = err ? err->message : "unknown error";
  std::string which;
  if (err && err->expression >= 0) {
    const std::uint32_t atom = ids[static_cast<std::size_t>(err->expression)];
    which = "pattern " + std::to_string(impl.patterns_of_atom[atom].front()) + ": " +
            impl.atoms[atom].display + ": ";
  }
  hs_free_compile_error(err);
  return Status(ErrorCode::kPatternCompile, which + msg);
}

// The scan set of the patterns in `subset` (sorted ids): only their atoms are scanned for.
Result<internal::ScanSet> make_scan_set(const Matcher::Impl& impl,
                                        const std::vector<std::uint32_t>& subset) {
  internal::ScanSet set;
  auto in_subset = [&](std::uint32_t p) {
    return std::binary_search(subset.begin(), subset.end(), p);
  };
  std::vector<bool> used(impl.atoms.size(), false);
  std::vector<std::vector<std::uint32_t>> users_of_atom(impl.atoms.size());
  for (std::uint32_t a = 0; a < impl.atoms.size(); ++a) {
    for (std::uint32_t p : impl.patterns_of_atom[a]) {
      if (!in_subset(p)) continue;
      users_of_atom[a].push_back(p);
      used[a] = true;
    }
  }
  for (std::uint32_t a = 0; a < impl.atoms.size(); ++a) {
    const std::vector<internal::HomophonePosition>& positions = impl.atoms[a].homophone;
    if (!used[a] || positions.empty()) continue;
    used[a] = false;  // matched on tokens, not in the databases
    if (!positions.front().word.empty()) {
      set.homophone_word_starts[positions.front().word].push_back(a);
      continue;
    }
    if (set.homophone_first.empty()) set.homophone_first.assign(0x10000 / 64, 0);
    for (char32_t c : positions.front().ideographs) {
      set.homophone_starts[c].push_back(a);
      if (c <= 0xFFFF) set.homophone_first[c >> 6] |= std::uint64_t{1} << (c & 63);
    }
  }
  std::vector<std::vector<std::uint32_t>> groups_of_atom(impl.atoms.size());
  for (std::uint32_t g = 0; g < impl.group_atoms.size(); ++g) {
    if (!in_subset(impl.group_pattern[g])) continue;
    for (std::uint32_t a : impl.group_atoms[g]) groups_of_atom[a].push_back(g);
  }
  std::vector<std::vector<std::uint32_t>> alternatives_of_atom(impl.atoms.size());
  for (std::uint32_t k = 0; k < impl.alternatives.size(); ++k) {
    const internal::IndexedAlternative& alt = impl.alternatives[k];
    if (!in_subset(alt.pattern)) continue;
    const CompiledPattern& cp = impl.compiled[alt.pattern];
    const Node& n = cp.nodes[alt.node];
    for (std::uint32_t i = n.clause_begin; i < n.clause_end; ++i)
      alternatives_of_atom[cp.clause_atoms[i]].push_back(k);
  }
  auto append = [&](const std::vector<std::uint32_t>& v) {  // returns the end of the run
    set.links.insert(set.links.end(), v.begin(), v.end());
    return static_cast<std::uint32_t>(set.links.size());
  };
  for (std::uint32_t a = 0; a < impl.atoms.size(); ++a) {
    internal::ScanSet::AtomLinks l;
    l.users = static_cast<std::uint32_t>(set.links.size());
    l.alternatives = append(users_of_atom[a]);
    l.groups = append(alternatives_of_atom[a]);
    l.end = append(groups_of_atom[a]);
    set.atom_links.push_back(l);
  }
  if (Status s = compile_database(impl, used, DatabaseKind::kFixedLength, set.literal_db); !s.ok())
    return s;
  if (Status s = compile_database(impl, used, DatabaseKind::kStartOfMatch, set.regex_db); !s.ok())
    return s;
  if (Status s = compile_database(impl, used, DatabaseKind::kProbe, set.probe_db); !s.ok())
    return s;

  const std::vector<std::vector<internal::Interval>> no_atom_hits(impl.atoms.size());
  const std::vector<std::vector<internal::Interval>> no_group_hits(impl.group_atoms.size());
  internal::AtomSet none;
  none.resize(impl.atoms.size());
  const internal::Hits no_hits{no_atom_hits, no_group_hits, none};
  internal::EvalBuffers buffers;
  std::vector<internal::Interval> ignored;
  for (std::uint32_t p : subset) {
    if (internal::evaluate(impl.compiled[p], no_hits, internal::AtomSignature{}, buffers, 1,
                           ignored)) {
      set.match_without_hits.push_back(p);
    }
  }
  return set;
}

}  // namespace

Result<std::uint32_t> Matcher::Builder::add_subset(std::vector<std::uint32_t> patterns) {
  if (!impl_) return Status(ErrorCode::kInvalidArgument, "builder already built");
  std::sort(patterns.begin(), patterns.end());
  patterns.erase(std::unique(patterns.begin(), patterns.end()), patterns.end());
  if (!patterns.empty() && patterns.back() >= impl_->patterns.size()) {
    return Status(ErrorCode::kInvalidArgument,
                  "subset names pattern " + std::to_string(patterns.back()) + ", but only " +
                      std::to_string(impl_->patterns.size()) + " were added");
  }
  impl_->subsets.push_back(std::move(patterns));
  return static_cast<std::uint32_t>(impl_->subsets.size());
}

Result<Matcher> Matcher::Builder::build() && {
  if (impl_ && !impl_->setup_error.ok()) return impl_->setup_error;
  if (!impl_) return Status(ErrorCode::kInvalidArgument, "builder already built");
  for (const Atom& a : impl_->atoms) {
    impl_->atom_kind.push_back(a.kind);
    impl_->atom_length.push_back(fixed_length(a));
  }
  for (const std::vector<std::uint32_t>& subset : impl_->subsets) {
    Result<internal::ScanSet> set = make_scan_set(*impl_, subset);
    if (!set.ok()) return set.status();
    impl_->subset_scans.push_back(std::move(*set));
  }
  if (impl_->subsets.empty()) {
    Status error;
    if (impl_->scan_set(0, error) == nullptr) return error;
  }
  return Matcher(std::shared_ptr<const Impl>(std::move(impl_)));
}

const internal::ScanSet* Matcher::Impl::scan_set(std::uint32_t subset, Status& error) const {
  if (subset > 0) return &subset_scans[subset - 1];
  std::call_once(all_once, [&] {
    std::vector<std::uint32_t> all(patterns.size());
    std::iota(all.begin(), all.end(), 0u);
    Result<internal::ScanSet> set = make_scan_set(*this, all);
    if (set.ok()) all_scan = std::move(*set);
    all_status = set.status();
  });
  error = all_status;
  return all_status.ok() ? &all_scan : nullptr;
}

Result<Matcher> Matcher::compile(const std::vector<std::string>& patterns, const Lexicons& lexicons,
                                 const MatcherLimits& limits) {
  Builder b(lexicons, limits);
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    Result<std::uint32_t> id = b.add(patterns[i]);
    if (!id.ok()) {
      const Status s = id.status();
      return Status(s.code(), "pattern " + std::to_string(i) + ": " + s.message(), s.where());
    }
  }
  return std::move(b).build();
}

}  // namespace tact

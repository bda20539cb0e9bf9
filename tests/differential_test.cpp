// Differential test: random patterns over random utterances, checked against a deliberately
// simple reference evaluator that works on the token list the generator built (no normaliser,
// no Hyperscan, brute force over every position). Texts are written with traditional variants,
// upper case, full-width letters and random punctuation, so the matcher must undo all of that
// to agree with the reference.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tact/matcher.hpp"

namespace {

struct Word {
  std::string canonical;               // the token as normalised text reads
  std::vector<std::string> spellings;  // ways the transcript may write it
  bool latin;
};

const std::vector<Word>& vocabulary() {
  static const std::vector<Word> v = {
      {"退", {"退"}, false},
      {"款", {"款"}, false},
      {"投", {"投"}, false},
      {"诉", {"诉", "訴"}, false},
      {"乱", {"乱", "亂"}, false},
      {"扣", {"扣"}, false},
      {"钱", {"钱", "錢"}, false},
      {"不", {"不"}, false},
      {"会", {"会", "會"}, false},
      {"您", {"您"}, false},
      {"refund", {"refund", "Refund", "ＲＥＦＵＮＤ"}, true},
      {"refunds", {"refunds", "REFUNDS"}, true},
      {"calm", {"calm", "Calm", "ｃａｌｍ"}, true},
      {"down", {"down", "DOWN"}, true},
      {"ok", {"ok", "OK"}, true},
  };
  return v;
}

// A generated utterance: its text and, per token, the canonical form and source span.
struct Utterance {
  std::string text;
  std::vector<std::string> tokens;
  std::vector<tact::Span> spans;
};

std::uint32_t code_points(const std::string& s) {
  std::uint32_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

Utterance random_utterance(std::mt19937& rng) {
  const auto& vocab = vocabulary();
  const std::vector<std::string> separators = {" ", "，", ",", "！", "  ", "\u200B", "。"};
  Utterance u;
  const int n = std::uniform_int_distribution<int>(0, 14)(rng);
  bool last_latin = false;
  for (int i = 0; i < n; ++i) {
    const Word& w = vocab[std::uniform_int_distribution<std::size_t>(0, vocab.size() - 1)(rng)];
    // Latin words need a real separator from a neighbouring Latin word (a zero-width space would
    // join them, as it should); otherwise separators are random noise.
    if (i > 0 && (w.latin && last_latin)) {
      u.text += rng() % 2 ? " " : "，";
    } else if (i > 0 && rng() % 3 == 0) {
      std::string sep = separators[rng() % separators.size()];
      if (sep == "\u200B" && (w.latin || last_latin)) sep = " ";
      u.text += sep;
    }
    const std::string& spelling = w.spellings[rng() % w.spellings.size()];
    const std::uint32_t begin = code_points(u.text);
    u.text += spelling;
    u.tokens.push_back(w.canonical);
    u.spans.push_back({begin, begin + code_points(spelling)});
    last_latin = w.latin;
  }
  if (rng() % 4 == 0) u.text += "？";
  return u;
}

// ---- random patterns, kept as a small tree the reference can evaluate ----
struct Expr {
  enum Kind { kPhrase, kOr, kAnd, kNot, kNear, kBefore, kSeq } kind;
  std::vector<std::string> words;  // kPhrase
  bool prefix = false;             // kPhrase: last word is a prefix
  std::uint32_t distance = 0;
  std::vector<Expr> kids;
};

std::string render(const Expr& e) {
  switch (e.kind) {
    case Expr::kPhrase: {
      std::string s;
      for (std::size_t i = 0; i < e.words.size(); ++i) {
        if (i > 0) s += " ";
        s += e.words[i];
      }
      s += e.prefix ? "*" : "";
      // NEAR and BEFORE bind tighter than juxtaposition: group a multi-word phrase.
      return e.words.size() > 1 ? "(" + s + ")" : s;
    }
    case Expr::kNot:
      return "!(" + render(e.kids[0]) + ")";
    default:
      break;
  }
  const char* op = e.kind == Expr::kOr ? " | " : e.kind == Expr::kAnd ? " & " : " ";
  std::string sep = op;
  if (e.kind == Expr::kNear) sep = " NEAR/" + std::to_string(e.distance) + " ";
  if (e.kind == Expr::kBefore) sep = " BEFORE/" + std::to_string(e.distance) + " ";
  std::string s = "(";
  for (std::size_t i = 0; i < e.kids.size(); ++i) s += (i ? sep : "") + render(e.kids[i]);
  return s + ")";
}

Expr random_phrase(std::mt19937& rng) {
  const auto& vocab = vocabulary();
  Expr e{Expr::kPhrase, {}, false, 0, {}};
  const int n = 1 + static_cast<int>(rng() % 3);
  for (int i = 0; i < n; ++i) e.words.push_back(vocab[rng() % vocab.size()].canonical);
  const std::string& last = e.words.back();
  if (last.size() > 2 && last[0] >= 'a' && last[0] <= 'z' && rng() % 3 == 0) {
    e.words.back() = last.substr(0, 2 + rng() % (last.size() - 2));  // ref*, calm*, do*
    e.prefix = true;
  }
  // Juxtaposed words are one phrase; join CJK so the source reads naturally.
  return e;
}

Expr random_expr(std::mt19937& rng, int depth, bool positional) {
  const int choice = depth == 0 ? 0 : static_cast<int>(rng() % 7);
  switch (choice) {
    case 1:
    case 2: {
      Expr e{choice == 1 ? Expr::kOr : Expr::kAnd, {}, false, 0, {}};
      const int n = 2 + static_cast<int>(rng() % 2);
      for (int i = 0; i < n; ++i) e.kids.push_back(random_expr(rng, depth - 1, false));
      if (positional) {  // no NOT below a positional operator
        for (Expr& k : e.kids) {
          if (k.kind == Expr::kNot) k = random_phrase(rng);
        }
      }
      return e;
    }
    case 3:
      if (!positional) return Expr{Expr::kNot, {}, false, 0, {random_expr(rng, depth - 1, false)}};
      return random_phrase(rng);
    case 4:
    case 5: {
      Expr e{choice == 4 ? Expr::kNear : Expr::kBefore,
             {},
             false,
             static_cast<std::uint32_t>(rng() % 4),
             {}};
      e.kids.push_back(random_expr(rng, depth - 1, true));
      e.kids.push_back(random_expr(rng, depth - 1, true));
      return e;
    }
    case 6: {
      Expr e{Expr::kSeq, {}, false, 0, {}};
      e.kids.push_back(random_expr(rng, depth - 1, true));
      e.kids.push_back(random_expr(rng, depth - 1, true));
      return e;
    }
    default:
      return random_phrase(rng);
  }
}

// ---- the reference: brute force on token lists ----
using Interval = std::pair<std::uint32_t, std::uint32_t>;  // first, last token

struct RefResult {
  bool matched;
  std::set<Interval> intervals;
};

RefResult pairs(const RefResult& a, const RefResult& b, std::uint32_t distance, bool ordered) {
  RefResult r{false, {}};
  if (!a.matched || !b.matched) return r;
  for (const Interval& x : a.intervals) {
    for (const Interval& y : b.intervals) {
      bool ok;
      if (x.second < y.first)
        ok = y.first - x.second - 1 <= distance;
      else if (ordered)
        ok = false;
      else if (y.second < x.first)
        ok = x.first - y.second - 1 <= distance;
      else
        ok = true;
      if (ok) r.intervals.insert({std::min(x.first, y.first), std::max(x.second, y.second)});
    }
  }
  r.matched = !r.intervals.empty();
  return r;
}

// A phrase's tokens: Latin words are one token each; each ideograph is one token.
std::vector<std::string> phrase_tokens(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (const std::string& w : words) {
    if (static_cast<unsigned char>(w[0]) < 0x80) {
      out.push_back(w);
    } else {
      for (std::size_t i = 0; i < w.size(); i += 3) out.push_back(w.substr(i, 3));
    }
  }
  return out;
}

RefResult reference(const Expr& e, const std::vector<std::string>& tokens) {
  RefResult r{false, {}};
  switch (e.kind) {
    case Expr::kPhrase: {
      const std::vector<std::string> want = phrase_tokens(e.words);
      for (std::size_t i = 0; i + want.size() <= tokens.size(); ++i) {
        bool ok = true;
        for (std::size_t k = 0; k < want.size() && ok; ++k) {
          const bool last = k + 1 == want.size();
          ok = (e.prefix && last) ? tokens[i + k].rfind(want[k], 0) == 0 : tokens[i + k] == want[k];
        }
        if (ok) r.intervals.insert({i, i + want.size() - 1});
      }
      r.matched = !r.intervals.empty();
      return r;
    }
    case Expr::kOr:
      for (const Expr& k : e.kids) {
        RefResult c = reference(k, tokens);
        r.matched = r.matched || c.matched;
        r.intervals.insert(c.intervals.begin(), c.intervals.end());
      }
      return r;
    case Expr::kAnd:
      r.matched = true;
      for (const Expr& k : e.kids) {
        RefResult c = reference(k, tokens);
        if (!c.matched) return {false, {}};
        r.intervals.insert(c.intervals.begin(), c.intervals.end());
      }
      return r;
    case Expr::kNot:
      return {!reference(e.kids[0], tokens).matched, {}};
    case Expr::kNear:
    case Expr::kBefore:
      return pairs(reference(e.kids[0], tokens), reference(e.kids[1], tokens), e.distance,
                   e.kind == Expr::kBefore);
    case Expr::kSeq:
      return pairs(reference(e.kids[0], tokens), reference(e.kids[1], tokens), 0, true);
  }
  return r;
}

std::string describe(const std::vector<tact::Span>& spans) {
  std::string s;
  for (const tact::Span& sp : spans)
    s += "[" + std::to_string(sp.begin) + "," + std::to_string(sp.end) + ")";
  return s.empty() ? "(none)" : s;
}

// What a comparison run counted.
struct Tally {
  int checked = 0, matched = 0, failures = 0, subset_checked = 0;
};

// Compiles 20 patterns from `make` per round, declares a random subset of them, and compares
// matching 40 random utterances (all patterns, then the subset alone) with the reference:
// the subset must report exactly its own patterns that match, with the same spans.
Tally compare_with_reference(std::mt19937& rng, int rounds, Expr (*make)(std::mt19937&)) {
  Tally n;
  for (int round = 0; round < rounds && n.failures < 5; ++round) {
    std::vector<Expr> exprs;
    std::vector<std::string> sources;
    tact::Matcher::Builder builder;
    std::vector<std::uint32_t> subset;
    for (std::uint32_t i = 0; i < 20; ++i) {
      exprs.push_back(make(rng));
      sources.push_back(render(exprs.back()));
      const tact::Result<std::uint32_t> added = builder.add(sources.back());
      if (!added.ok()) {
        ADD_FAILURE() << sources.back() << ": " << added.status();
        return n;
      }
      if (rng() % 2) subset.push_back(i);
    }
    tact::Result<std::uint32_t> subset_id = builder.add_subset(subset);
    tact::Result<tact::Matcher> m = std::move(builder).build();
    if (!subset_id.ok() || !m.ok()) {
      ADD_FAILURE() << subset_id.status() << " " << m.status();
      return n;
    }
    tact::Result<tact::Matcher::Scratch> scratch = m->make_scratch();
    if (!scratch.ok()) {
      ADD_FAILURE() << scratch.status();
      return n;
    }
    tact::MatchResult result, subset_result;
    for (int t = 0; t < 40 && n.failures < 5; ++t) {
      const Utterance u = random_utterance(rng);
      EXPECT_TRUE(m->match(u.text, *scratch, result).ok());
      EXPECT_TRUE(m->match(u.text, *scratch, subset_result, *subset_id).ok());
      for (std::size_t p = 0; p < exprs.size(); ++p) {
        const RefResult want = reference(exprs[p], u.tokens);
        std::vector<tact::Span> want_spans;
        for (const Interval& iv : want.intervals) {
          want_spans.push_back({u.spans[iv.first].begin, u.spans[iv.second].end});
        }
        std::sort(want_spans.begin(), want_spans.end(), [](auto& a, auto& b) {
          return std::pair(a.begin, a.end) < std::pair(b.begin, b.end);
        });
        want_spans.erase(std::unique(want_spans.begin(), want_spans.end()), want_spans.end());
        const bool in_subset = std::binary_search(subset.begin(), subset.end(), p);
        for (const tact::MatchResult* r : {&result, &subset_result}) {
          const bool want_match = want.matched && (r == &result || in_subset);
          const auto it = std::find_if(r->matches.begin(), r->matches.end(),
                                       [&](const tact::PatternMatch& pm) { return pm.pattern == p; });
          const bool got = it != r->matches.end();
          std::vector<tact::Span> got_spans;
          if (got) {
            const auto s = r->spans_of(*it);
            got_spans.assign(s.begin(), s.end());
          }
          if (r == &result) {
            ++n.checked;
            n.matched += want.matched;
          } else {
            n.subset_checked += in_subset;
          }
          if (got != want_match || (got && got_spans != want_spans)) {
            ++n.failures;
            ADD_FAILURE() << (r == &result ? "all patterns" : in_subset ? "in the subset"
                                                                        : "outside the subset")
                          << "\npattern: " << sources[p] << "\ntext: " << u.text
                          << "\nexpected: " << (want_match ? "match " : "no match ")
                          << describe(want_spans) << "\nactual: " << (got ? "match " : "no match ")
                          << describe(got_spans);
          }
        }
      }
    }
  }
  return n;
}

Expr small_random_expr(std::mt19937& rng) { return random_expr(rng, 3, false); }

// A rule's long list of alternatives, most of them not single phrases: the shape the matcher
// finds through an index of the alternatives' rarest atoms instead of testing each one. Alone,
// with exceptions (`& !…`), or as an operand of NEAR.
Expr wide_random_or(std::mt19937& rng) {
  const int shape = static_cast<int>(rng() % 3);
  Expr e{Expr::kOr, {}, false, 0, {}};
  const int n = 4 + static_cast<int>(rng() % 9);
  for (int i = 0; i < n; ++i) e.kids.push_back(random_expr(rng, 2, shape == 2));
  if (shape == 1) {
    Expr unless{Expr::kNot, {}, false, 0, {random_expr(rng, 2, false)}};
    return Expr{Expr::kAnd, {}, false, 0, {std::move(e), std::move(unless)}};
  }
  if (shape == 2) {
    const auto distance = static_cast<std::uint32_t>(rng() % 4);
    return Expr{Expr::kNear, {}, false, distance, {random_expr(rng, 1, true), std::move(e)}};
  }
  return e;
}

// No disagreement, every comparison made, the subset exercised, and both outcomes common
// enough for the comparison to prove something.
void expect_agreement(const Tally& n, int rounds) {
  EXPECT_EQ(n.failures, 0);
  EXPECT_EQ(n.checked, rounds * 40 * 20);
  EXPECT_GT(n.subset_checked, n.checked / 3);
  EXPECT_GT(n.matched, n.checked / 10);
  EXPECT_LT(n.matched, n.checked * 9 / 10);
}

}  // namespace

TEST(Differential, RandomPatternsAgreeWithBruteForceReference) {
  std::mt19937 rng(20261125);
  expect_agreement(compare_with_reference(rng, 150, small_random_expr), 150);
}

TEST(Differential, WideAlternativesAgreeWithBruteForceReference) {
  std::mt19937 rng(20261128);
  expect_agreement(compare_with_reference(rng, 60, wide_random_or), 60);
}

// A learned cue: a logistic regression over the n-grams of one utterance, trained
// offline (scripts/train_model.py, scikit-learn) on labelled turns and shipped as a JSON file
// beside the playbooks. A signal may fire from it where no phrase of its pattern occurs
// (docs/models.md).
//
//   tact::Result<tact::TextModel> m = tact::TextModel::load("rules/models/anger.json");
//   tact::TextModel::Scratch scratch;
//   double p = m->score("凭什么让我先垫着？", scratch).probability;   // 0..1
//
// Several models reading one turn share its view: build it once with read(), then score it
// with each model and that model's own Scratch.
//
// What the model reads is the turn's `view`: every code point folded as the normaliser folds it
// (NFKC, case, width, traditional -> simplified), punctuation kept, whitespace runs as one
// space. Its features are the view's n-grams of code points ("analyzer": "char") or of words
// ("analyzer": "word": runs of letters and digits, for English, where three characters carry
// little meaning), weighted by TF-IDF (1 + ln tf, times the n-gram's idf, the vector scaled to
// unit length), as scikit-learn's TfidfVectorizer(sublinear_tf=True) computes them; n-grams the
// model never saw count nothing.
// A model trained on Chinese turns only says so ("script": "han") and scores 0 on a turn without
// an ideograph; one trained on the others only ("script": "no_han", English) scores 0 on a turn
// with one; one trained without the shortest turns says how short ("min_letters": 3) and
// scores 0 on a turn with fewer letters.
//
// Thread safety: a TextModel is immutable; a Scratch belongs to one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tact/status.hpp"

namespace tact {
namespace internal {

class TextModelSet;

// What a model's n-grams are made of.
enum class Analyzer : std::uint8_t { kChar, kWord };

// A known n-gram of a text: its value in a GramTable, how often it occurs, where it first
// occurs (code points of the view, end exclusive).
struct GramCount {
  std::uint32_t value = 0;
  std::uint32_t tf = 0;
  std::uint32_t position = 0;
  std::uint32_t end = 0;
};

// What GramTable::add() fills, reused from text to text (stamped with an epoch, so that
// nothing is cleared per text).
struct GramCounts {
  std::vector<GramCount> grams;  // each known n-gram once: by analyzer, length, first position
  std::vector<std::pair<std::uint32_t, std::uint32_t>> seen;  // per value: (epoch, its gram)
  std::vector<std::pair<std::uint32_t, std::uint32_t>> words;  // the text's words: [begin, end)
  std::uint32_t epoch = 0;
};

// N-gram keys to small integers: an open-addressing table with linear probing.
class GramTable {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;
  static constexpr std::uint32_t kMaxN = 3;  // three 21-bit code points fill a 64-bit key

  // An n-gram's key: each code point plus one in its own 21 bits (so no key is 0, the empty
  // slot, and the top bit is clear).
  static std::uint64_t key(const char32_t* cps, std::uint32_t n) {
    std::uint64_t k = 0;
    for (std::uint32_t j = 0; j < n; ++j) k |= std::uint64_t{cps[j] + 1u} << (21 * j);
    return k;
  }
  // A word n-gram's key: 64-bit FNV-1a of its words' code points, one space between words,
  // with the top bit set (never a code point n-gram's key, never 0).
  static constexpr std::uint64_t kWordBit = std::uint64_t{1} << 63;
  static constexpr std::uint64_t kFnvBasis = 14695981039346656037ull;
  static std::uint64_t fnv(std::uint64_t h, char32_t c) { return (h ^ c) * 1099511628211ull; }
  static std::uint64_t word_key(std::u32string_view joined) {
    std::uint64_t h = kFnvBasis;
    for (char32_t c : joined) h = fnv(h, c);
    return h | kWordBit;
  }
  /// True for the code points words are made of: Unicode categories L and N.
  static bool is_word_char(char32_t c);
  /// keys[i] finds i; keys are distinct and not 0.
  void build(const std::vector<std::uint64_t>& keys);
  /// Starts counting a new text into `out`.
  void start(GramCounts& out) const;
  /// Adds the n-grams of `text` of min_n to max_n code points (kChar) or words (kWord) that the
  /// table knows, with counts.
  void add(const std::u32string& text, Analyzer analyzer, std::uint32_t min_n, std::uint32_t max_n,
           GramCounts& out) const;
  std::uint32_t find(std::uint64_t key) const {
    const std::uint64_t h = mix(key);
    const std::uint64_t bit = h >> filter_shift_;
    if ((filter_[bit >> 6] >> (bit & 63) & 1) == 0) return kNone;
    for (std::size_t i = static_cast<std::size_t>(h >> shift_);; i = (i + 1) & mask_) {
      if (slots_[i].key == key) return slots_[i].value;
      if (slots_[i].key == 0) return kNone;
    }
  }

 private:
  struct Slot {  // key and value side by side: a lookup touches one cache line
    std::uint64_t key = 0;
    std::uint32_t value = kNone;
  };
  static std::uint64_t mix(std::uint64_t key) { return key * 0x9E3779B97F4A7C15ull; }  // Fibonacci
  std::size_t slot_of(std::uint64_t key) const {
    return static_cast<std::size_t>(mix(key) >> shift_);
  }
  std::vector<Slot> slots_ = std::vector<Slot>(2);  // empty: finds nothing
  std::size_t keys_ = 0;
  std::size_t mask_ = 1;
  int shift_ = 63;
  // One bit per hash prefix, set for the keys' prefixes (eight or more bits per key): most
  // n-grams of a turn are unknown, and this array, a sixteenth of the slots' size or less, stays in
  // cache where a slot (sixteen bytes, at most half full) would miss it.
  std::vector<std::uint64_t> filter_ = std::vector<std::uint64_t>(1);  // empty: all clear
  int filter_shift_ = 58;
};

}  // namespace internal

class TextModel {
 public:
  /// What models read of one turn: its view (above).
  struct View {
    std::u32string text;
    std::vector<std::uint32_t> source;  // per view code point: its code point in the original
    bool han = false;                   // holds an ideograph
    std::uint32_t letters = 0;          // code points of Unicode category L (ideographs too)
  };

  /// Reusable buffers for score(); one per thread and model (its counts are sized to the model).
  struct Scratch {
    View view;                    // score(text, …) builds the view here
    internal::GramCounts counts;  // the turn's known n-grams, valued by feature
  };

  /// One n-gram's part in a score: its weight in the sum before the logistic function.
  struct Contribution {
    std::string ngram;        ///< as the model reads it (folded), UTF-8
    double weight = 0;        ///< > 0 pushes the probability up
    std::uint32_t begin = 0;  ///< its first occurrence, in code points of the original text
    std::uint32_t end = 0;
  };

  struct Score {
    double probability = 0;
    /// The n-gram that raised the score most (its first occurrence), as code points of the
    /// original text: a finding's evidence. Empty (begin == end) when nothing raised it.
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
  };

  /// A sentence and the probability the trainer computed for it: load() checks that this
  /// implementation agrees (within 1e-9) before the model is used.
  struct Check {
    std::string text;
    double probability = 0;
  };

  /// Reads a model file. Errors: kIo, kPlaybook (file:line:col of malformed JSON; file and
  /// what is wrong for a model that is not one, or disagrees with its own checks).
  static Result<TextModel> load(const std::string& path);
  /// The same for a model given as text; `name` labels it in errors.
  static Result<TextModel> parse(std::string_view json, const std::string& name);

  Score score(std::string_view text, Scratch& scratch) const;
  /// The same for a view read() built, which any number of models may score.
  Score score(const View& view, Scratch& scratch) const;

  /// Builds the view of `text` into `out` (reusing its buffers).
  static void read(std::string_view text, View& out);

  /// The `k` n-grams that weigh most either way, heaviest first, for tools that explain a score.
  std::vector<Contribution> explain(std::string_view text, std::size_t k) const;

  /// What a model reads of `text`, as UTF-8 (for training scripts and for people).
  static std::string view(std::string_view text);

  const std::string& id() const { return id_; }
  const std::string& description() const { return description_; }
  std::size_t feature_count() const { return features_.size(); }
  const std::vector<Check>& checks() const { return checks_; }

 private:
  friend class internal::TextModelSet;  // scores hits it looked up for several models at once
  struct Feature {
    double idf = 0;
    double coefficient = 0;
    std::uint32_t length = 0;  // code points (words: with one space between words)
  };
  using Hit = internal::GramCount;  // a known n-gram: its value is the feature
  // False when the model does not read such a view (its script, too few letters).
  bool reads(const View& v) const {
    return (script_ == Script::kAny || v.han == (script_ == Script::kHan)) &&
           v.letters >= min_letters_;
  }
  // Sums the hits' weights (TF-IDF times coefficient, before scaling to unit length) into
  // `dot`, their squares into `norm2`; `best` indexes `hits` at the heaviest positive one
  // (hits.size() if none).
  void weigh(const std::vector<Hit>& hits,
             std::vector<std::pair<std::size_t, double>>* contributions, double& dot, double& norm2,
             std::size_t& best) const;
  // The probability, and the heaviest n-gram as evidence.
  Score total(const View& v, const std::vector<Hit>& hits) const;
  // The view's n-grams this model knows, with counts, into `out`.
  void count(const View& v, internal::GramCounts& out) const;

  std::string id_;
  std::string description_;
  internal::Analyzer analyzer_ = internal::Analyzer::kChar;  // "analyzer"
  std::uint32_t min_n_ = 1;                                  // "ngrams", in code points or words
  std::uint32_t max_n_ = 3;
  double intercept_ = 0;
  // "script": the turns the model reads: all, those with an ideograph, those without one.
  enum class Script : std::uint8_t { kAny, kHan, kNoHan };
  Script script_ = Script::kAny;
  std::uint32_t min_letters_ = 0;  // "min_letters": shorter turns score 0
  std::vector<Feature> features_;
  std::vector<std::uint64_t> keys_;  // per feature: its n-gram's key
  internal::GramTable table_;        // key -> feature
  std::vector<Check> checks_;
};

}  // namespace tact

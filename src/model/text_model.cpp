// Scoring a turn with a learned model: fold it into the model's view, count its n-grams, weigh
// the known ones by TF-IDF and sum their coefficients (the arithmetic of scikit-learn's
// TfidfVectorizer and LogisticRegression, which trained it).
#include "tact/text_model.hpp"

#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/utf8.hpp"
#include "tact/normalize.hpp"

namespace tact {
namespace {

using internal::GramTable;
constexpr double kCheckTolerance = 1e-9;

// Unicode's White_Space property (PropList.txt; stable since 6.3), without a call into ICU.
bool is_white_space(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// The ideograph blocks: CJK Unified Ideographs with extension A, compatibility ideographs,
// and the supplementary ideographic planes (scripts/train_model.py tests the same ranges).
bool is_han(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

// The words of a word n-gram as a model file spells it ("you should have"), or 0 when it is
// not one: words of letters and digits, one space between them.
std::uint32_t word_count(const std::u32string& cps) {
  std::uint32_t words = 0;
  bool in_word = false;
  for (char32_t c : cps) {
    if (c == U' ') {
      if (!in_word) return 0;  // a leading or doubled space
      in_word = false;
    } else if (GramTable::is_word_char(c)) {
      if (!in_word) ++words;
      in_word = true;
    } else {
      return 0;
    }
  }
  return in_word ? words : 0;
}

Status model_error(const std::string& name, const std::string& what) {
  return Status(ErrorCode::kPlaybook, "model: " + what, {name, 0, 0});
}

}  // namespace

// The model's view of `text`: each code point folded on its own, whitespace runs as one space
// (none at either end); `source` maps each view code point to its code point in the original.
void TextModel::read(std::string_view text, View& out) {
  std::u32string& view = out.text;
  std::vector<std::uint32_t>& source = out.source;
  view.clear();
  source.clear();
  out.han = false;
  out.letters = 0;
  const Normalizer& norm = Normalizer::standard();
  bool space = false;
  std::uint32_t space_src = 0;  // the run's first whitespace code point
  std::uint32_t src = 0;        // the code point being folded
  internal::for_each_code_point(text, [&](std::size_t, std::size_t, UChar32 c) {
    const char32_t cp = c < 0 ? U'\uFFFD' : static_cast<char32_t>(c);
    for (char32_t f : norm.fold(cp)) {
      if (is_white_space(f)) {
        if (!space) space_src = src;
        space = true;
        continue;
      }
      if (space && !view.empty()) {
        view.push_back(U' ');
        source.push_back(space_src);
      }
      space = false;
      out.han = out.han || is_han(f);
      out.letters += u_isalpha(static_cast<UChar32>(f)) ? 1 : 0;
      view.push_back(f);
      source.push_back(src);
    }
    ++src;
    return true;
  });
}

namespace internal {

void GramTable::build(const std::vector<std::uint64_t>& keys) {
  std::size_t slots = 16;
  int bits = 4;
  while (slots < 2 * keys.size()) {
    slots *= 2;
    ++bits;
  }
  slots_.assign(slots, Slot{});
  keys_ = keys.size();
  mask_ = slots - 1;
  shift_ = 64 - bits;
  std::size_t filter_bits = 64;
  filter_shift_ = 58;
  while (filter_bits < 8 * keys.size()) {
    filter_bits *= 2;
    --filter_shift_;
  }
  filter_.assign(filter_bits / 64, 0);
  for (std::uint32_t v = 0; v < keys.size(); ++v) {
    const std::uint64_t bit = mix(keys[v]) >> filter_shift_;
    filter_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
    std::size_t i = slot_of(keys[v]);
    while (slots_[i].key != 0) i = (i + 1) & mask_;
    slots_[i] = {keys[v], v};
  }
}

bool GramTable::is_word_char(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return (U_GET_GC_MASK(static_cast<UChar32>(c)) & (U_GC_L_MASK | U_GC_N_MASK)) != 0;
}

void GramTable::start(GramCounts& out) const {
  if (out.seen.size() != keys_ || ++out.epoch == 0) {
    out.seen.assign(keys_, {0, 0});
    out.epoch = 1;
  }
  out.grams.clear();
}

void GramTable::add(const std::u32string& text, Analyzer analyzer, std::uint32_t min_n,
                    std::uint32_t max_n, GramCounts& out) const {
  auto tally = [&](std::uint64_t k, std::uint32_t begin, std::uint32_t end) {
    const std::uint32_t v = find(k);
    if (v == kNone) return;
    if (out.seen[v].first != out.epoch) {
      out.seen[v] = {out.epoch, static_cast<std::uint32_t>(out.grams.size())};
      out.grams.push_back({v, 0, begin, end});
    }
    ++out.grams[out.seen[v].second].tf;
  };
  const auto len = static_cast<std::uint32_t>(text.size());
  if (analyzer == Analyzer::kChar) {
    for (std::uint32_t n = min_n; n <= max_n; ++n) {
      for (std::uint32_t i = 0; i + n <= len; ++i) tally(key(&text[i], n), i, i + n);
    }
    return;
  }
  auto& words = out.words;
  words.clear();
  for (std::uint32_t i = 0; i < len;) {
    if (!is_word_char(text[i])) {
      ++i;
      continue;
    }
    std::uint32_t j = i + 1;
    while (j < len && is_word_char(text[j])) ++j;
    words.emplace_back(i, j);
    i = j;
  }
  const auto count = static_cast<std::uint32_t>(words.size());
  for (std::uint32_t n = min_n; n <= max_n; ++n) {
    for (std::uint32_t w = 0; w + n <= count; ++w) {
      std::uint64_t h = kFnvBasis;
      for (std::uint32_t k = w; k < w + n; ++k) {
        if (k > w) h = fnv(h, U' ');
        for (std::uint32_t c = words[k].first; c < words[k].second; ++c) h = fnv(h, text[c]);
      }
      tally(h | kWordBit, words[w].first, words[w + n - 1].second);
    }
  }
}

}  // namespace internal

void TextModel::weigh(const std::vector<Hit>& hits,
                      std::vector<std::pair<std::size_t, double>>* contributions, double& dot,
                      double& norm2, std::size_t& best) const {
  // Summed in locals: through the references, each step would store and reload them.
  double sum = 0, sum2 = 0;
  best = hits.size();
  double best_weight = 0;
  for (std::size_t a = 0; a < hits.size(); ++a) {
    const Feature& feature = features_[hits[a].value];
    const double tf = hits[a].tf;
    const double tf_idf = (tf == 1 ? 1.0 : 1.0 + std::log(tf)) * feature.idf;
    sum2 += tf_idf * tf_idf;
    const double weight = tf_idf * feature.coefficient;
    sum += weight;
    // Heaviest first; of n-grams that always occur together (equal weights), the longest.
    const bool tie = best < hits.size() && std::abs(weight - best_weight) <= 1e-12 &&
                     feature.length > features_[hits[best].value].length;
    if (weight > best_weight + 1e-12 || tie) {
      best_weight = std::max(weight, best_weight);
      best = a;
    }
    if (contributions) contributions->emplace_back(a, weight);
  }
  dot = sum;
  norm2 = sum2;
}

TextModel::Score TextModel::total(const View& v, const std::vector<Hit>& hits) const {
  double dot = 0, norm2 = 0;
  std::size_t best = 0;
  weigh(hits, nullptr, dot, norm2, best);
  Score out;
  const double z = intercept_ + (norm2 > 0 ? dot / std::sqrt(norm2) : 0.0);
  out.probability = 1.0 / (1.0 + std::exp(-z));
  if (best < hits.size()) {
    out.begin = v.source[hits[best].position];
    out.end = v.source[hits[best].end - 1] + 1;
  }
  return out;
}

TextModel::Score TextModel::score(std::string_view text, Scratch& s) const {
  read(text, s.view);
  return score(s.view, s);
}

TextModel::Score TextModel::score(const View& v, Scratch& s) const {
  if (!reads(v)) return {};  // probability 0
  count(v, s.counts);
  return total(v, s.counts.grams);
}

void TextModel::count(const View& v, internal::GramCounts& out) const {
  table_.start(out);
  table_.add(v.text, analyzer_, min_n_, max_n_, out);
}

std::vector<TextModel::Contribution> TextModel::explain(std::string_view text,
                                                        std::size_t k) const {
  Scratch s;
  std::vector<std::pair<std::size_t, double>> parts;
  double dot = 0, norm2 = 0;
  std::size_t best = 0;
  read(text, s.view);
  if (!reads(s.view)) return {};
  count(s.view, s.counts);
  const std::vector<Hit>& hits = s.counts.grams;
  weigh(hits, &parts, dot, norm2, best);
  const double scale = norm2 > 0 ? 1.0 / std::sqrt(norm2) : 0.0;
  std::stable_sort(parts.begin(), parts.end(), [](const auto& x, const auto& y) {
    return std::abs(x.second) > std::abs(y.second);
  });
  if (parts.size() > k) parts.resize(k);
  std::vector<Contribution> out;
  for (const auto& [index, weight] : parts) {
    const std::uint32_t pos = hits[index].position, end = hits[index].end;
    Contribution c;
    for (std::uint32_t j = pos; j < end; ++j) internal::append_utf8(c.ngram, s.view.text[j]);
    c.weight = weight * scale;
    c.begin = s.view.source[pos];
    c.end = s.view.source[end - 1] + 1;
    out.push_back(std::move(c));
  }
  return out;
}

std::string TextModel::view(std::string_view text) {
  View v;
  read(text, v);
  std::string out;
  for (char32_t c : v.text) internal::append_utf8(out, c);
  return out;
}

Result<TextModel> TextModel::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIo, "cannot open model file", {path, 0, 0});
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse(buf.str(), path);
}

Result<TextModel> TextModel::parse(std::string_view json, const std::string& name) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json.begin(), json.end());
  } catch (const nlohmann::json::parse_error& e) {
    // The byte where parsing failed, as a 1-based line and a column in code points.
    const std::size_t at = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, json.size());
    std::uint32_t line = 1, column = 1;
    for (std::size_t i = 0; i < at; ++i) {
      if (json[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(json[i]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    std::string what = e.what();
    if (const auto p = what.find("syntax error"); p != std::string::npos) what = what.substr(p);
    return Status(ErrorCode::kPlaybook, "model: invalid JSON: " + what, {name, line, column});
  }
  if (!j.is_object()) return model_error(name, "expected a JSON object");
  if (j.value("tact_model", 0) != 1)
    return model_error(name,
                       "missing \"tact_model\": 1 (the model format version this tact reads)");
  TextModel m;
  try {
    m.id_ = j.at("id").get<std::string>();
    m.description_ = j.value("description", "");
    const std::string analyzer = j.value("analyzer", "char");
    if (analyzer == "word")
      m.analyzer_ = internal::Analyzer::kWord;
    else if (analyzer != "char")
      return model_error(name,
                         "\"analyzer\": expected \"char\" or \"word\", found '" + analyzer + "'");
    const auto& ngrams = j.at("ngrams");
    m.min_n_ = ngrams.at(0).get<std::uint32_t>();
    m.max_n_ = ngrams.at(1).get<std::uint32_t>();
    if (ngrams.size() != 2 || m.min_n_ < 1 || m.min_n_ > m.max_n_ || m.max_n_ > GramTable::kMaxN)
      return model_error(name, "\"ngrams\": expected [min, max] with 1 <= min <= max <= 3");
    m.intercept_ = j.at("intercept").get<double>();
    const std::string script = j.value("script", "any");
    if (script == "han")
      m.script_ = Script::kHan;
    else if (script == "no_han")
      m.script_ = Script::kNoHan;
    else if (script != "any")
      return model_error(
          name, "\"script\": expected \"any\", \"han\" or \"no_han\", found '" + script + "'");
    m.min_letters_ = j.value("min_letters", 0u);
    const auto& features = j.at("features");
    if (!features.is_array()) return model_error(name, "\"features\": expected a list");
    m.features_.reserve(features.size());
    std::set<std::uint64_t> seen;
    for (std::size_t i = 0; i < features.size(); ++i) {
      const auto& f = features[i];
      const std::string where = "feature " + std::to_string(i + 1);
      if (!f.is_array() || f.size() != 3)
        return model_error(name, where + ": expected [n-gram, idf, coefficient]");
      const std::u32string cps = internal::decode_utf8(f[0].get<std::string>());
      const std::uint32_t n = m.analyzer_ == internal::Analyzer::kWord
                                  ? word_count(cps)
                                  : static_cast<std::uint32_t>(cps.size());
      if (n < m.min_n_ || n > m.max_n_)
        return model_error(name, where + ": '" + f[0].get<std::string>() +
                                     "' is not an n-gram of the model's lengths");
      const auto length = static_cast<std::uint32_t>(cps.size());
      const Feature feature{f[1].get<double>(), f[2].get<double>(), length};
      if (!std::isfinite(feature.idf) || !std::isfinite(feature.coefficient) || feature.idf <= 0)
        return model_error(name, where + ": idf must be positive, both numbers finite");
      const std::uint64_t key = m.analyzer_ == internal::Analyzer::kWord
                                    ? GramTable::word_key(cps)
                                    : GramTable::key(cps.data(), length);
      if (!seen.insert(key).second)
        return model_error(name, where + ": '" + f[0].get<std::string>() + "' is listed twice");
      m.features_.push_back(feature);
      m.keys_.push_back(key);
    }
    m.table_.build(m.keys_);
    if (j.contains("checks")) {
      for (const auto& c : j.at("checks"))
        m.checks_.push_back({c.at(0).get<std::string>(), c.at(1).get<double>()});
    }
  } catch (const nlohmann::json::exception& e) {
    return model_error(name, std::string("malformed: ") + e.what());
  }
  if (!std::isfinite(m.intercept_)) return model_error(name, "\"intercept\" must be finite");
  Scratch s;
  for (std::size_t i = 0; i < m.checks_.size(); ++i) {
    const double p = m.score(m.checks_[i].text, s).probability;
    if (std::abs(p - m.checks_[i].probability) > kCheckTolerance) {
      std::ostringstream msg;
      msg.precision(12);
      msg << "check " << i + 1 << " ('" << m.checks_[i].text << "') scores " << p << " here but "
          << m.checks_[i].probability << " when trained";
      return model_error(name, msg.str());
    }
  }
  return m;
}

}  // namespace tact

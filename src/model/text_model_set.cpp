#include "model/text_model_set.hpp"

#include <algorithm>
#include <unordered_map>

namespace tact::internal {

TextModelSet::TextModelSet(std::vector<TextModel> models) : models_(std::move(models)) {
  std::unordered_map<std::uint64_t, std::uint32_t> entries;
  std::vector<std::uint64_t> keys;
  for (const TextModel& m : models_) {
    Lengths& n = lengths_[static_cast<std::size_t>(m.analyzer_)];
    n.min = std::min(n.min, m.min_n_);
    n.max = std::max(n.max, m.max_n_);
    for (std::uint64_t k : m.keys_) {
      if (entries.emplace(k, static_cast<std::uint32_t>(keys.size())).second) keys.push_back(k);
    }
  }
  table_.build(keys);
  for (const TextModel& m : models_) {
    std::vector<std::uint32_t>& feature = feature_.emplace_back(keys.size(), GramTable::kNone);
    for (std::uint32_t f = 0; f < m.keys_.size(); ++f) feature[entries.at(m.keys_[f])] = f;
  }
}

void TextModelSet::read(std::string_view text, Scratch& s) const {
  TextModel::read(text, s.view);
  table_.start(s.counts);
  // N-grams of an analyzer are counted only for a turn some model of it reads (English word
  // models skip Chinese turns): one pass over the models finds which.
  bool read[2] = {false, false};  // by Analyzer
  for (const TextModel& m : models_) {
    bool& r = read[static_cast<std::size_t>(m.analyzer_)];
    r = r || m.reads(s.view);
  }
  for (Analyzer a : {Analyzer::kChar, Analyzer::kWord}) {
    const Lengths& n = lengths_[static_cast<std::size_t>(a)];
    if (read[static_cast<std::size_t>(a)]) table_.add(s.view.text, a, n.min, n.max, s.counts);
  }
}

TextModel::Score TextModelSet::score(std::size_t m, Scratch& s) const {
  const TextModel& model = models_[m];
  if (!model.reads(s.view)) return {};  // probability 0
  // The model's own features among the grams, in the order its own count() finds them (by
  // length, then position), so that ties for the evidence break the same way.
  const std::vector<std::uint32_t>& feature = feature_[m];
  s.hits.clear();
  for (const GramCount& g : s.counts.grams) {
    const std::uint32_t f = feature[g.value];
    if (f != GramTable::kNone) s.hits.push_back({f, g.tf, g.position, g.end});
  }
  return model.total(s.view, s.hits);
}

}  // namespace tact::internal

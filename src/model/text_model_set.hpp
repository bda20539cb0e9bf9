// The learned models of a playbook, read together: one table holds every n-gram any of them
// knows, so each n-gram of a turn is looked up once however many models score the turn (the
// agent's models read the same turns, and their vocabularies are mostly the same words).
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "tact/text_model.hpp"

namespace tact::internal {

class TextModelSet {
 public:
  TextModelSet() = default;
  explicit TextModelSet(std::vector<TextModel> models);

  /// A turn as every model reads it; one per thread.
  struct Scratch {
    TextModel::View view;
    GramCounts counts;            // the turn's known n-grams, valued by entry
    std::vector<GramCount> hits;  // one model's among them, valued by its feature
  };

  /// Reads `text` for every model: its view and each known n-gram with its count.
  void read(std::string_view text, Scratch& s) const;
  /// Model `m`'s score of the turn read() last read into `s`: as models_[m].score(text).
  TextModel::Score score(std::size_t m, Scratch& s) const;
  /// False when model `m` gives that turn 0 unread (its script, too few letters).
  bool reads(std::size_t m, const Scratch& s) const { return models_[m].reads(s.view); }

  std::size_t size() const { return models_.size(); }
  const TextModel& operator[](std::size_t m) const { return models_[m]; }

 private:
  std::vector<TextModel> models_;
  GramTable table_;                                  // n-gram key -> entry
  std::vector<std::vector<std::uint32_t>> feature_;  // per model, per entry: feature or kNone
  struct Lengths {  // the n-gram lengths the models of one analyzer count; none when min > max
    std::uint32_t min = GramTable::kMaxN + 1;
    std::uint32_t max = 0;
  };
  Lengths lengths_[2];  // by Analyzer
};

}  // namespace tact::internal

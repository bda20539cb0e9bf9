// tact score -m MODEL [TEXT...]: what a learned model (docs/models.md) makes of these texts — the
// probability, and the n-grams that weighed most. `--view` prints only what the model reads,
// for training scripts. Exit 0 if any text scored at least --above, 1 if none did, 2 on usage,
// 3 when the model cannot be read, 4 when it is invalid.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/terminal.hpp"
#include "tact/text_model.hpp"

namespace tact::cli {
namespace {

struct ScoreOptions {
  std::string model;
  std::vector<std::string> texts;
  double above = 0.5;
  std::size_t top = 5;
  bool json = false;
  bool view = false;
};

std::string fixed(double x, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

int run_score(const ScoreOptions& o) {
  if (o.view) {  // the view does not depend on the model
    for_each_text(o.texts,
                  [](const std::string& text) { std::cout << TextModel::view(text) << "\n"; });
    return kExitOk;
  }
  if (o.model.empty()) {
    std::cerr << "tact: score needs a model (-m FILE), or --view\n";
    return kExitUsage;
  }
  Result<TextModel> m = TextModel::load(o.model);
  if (!m.ok()) {
    std::cerr << "tact: " << m.status() << "\n";
    return m.status().code() == ErrorCode::kIo ? kExitIo : kExitConfig;
  }
  const Style style = o.json ? Style{} : style_for_stdout();
  TextModel::Scratch scratch;
  bool any = false;
  auto one = [&](const std::string& text) {
    const TextModel::Score s = m->score(text, scratch);
    const bool above = s.probability >= o.above;
    any = any || above;
    const auto parts = m->explain(text, o.top);
    if (o.json) {
      std::string line;
      JsonWriter w(line);
      w.begin_object().key("text").string(text).key("probability").raw(fixed(s.probability, 6));
      w.key("above").boolean(above).key("ngrams").begin_array();
      for (const auto& c : parts) {
        w.begin_object().key("ngram").string(c.ngram).key("weight").raw(fixed(c.weight, 6));
        w.key("span").begin_array().number(c.begin).number(c.end).end_array().end_object();
      }
      w.end_array().end_object();
      std::cout << line << "\n";
      return;
    }
    std::vector<Span> evidence;
    if (above && s.end > s.begin) evidence.push_back({s.begin, s.end});
    std::cout << (above ? style.green(fixed(s.probability, 2)) : style.dim(fixed(s.probability, 2)))
              << "  " << style.highlight(text, evidence) << "\n";
    for (const auto& c : parts)
      std::cout << style.dim("      " + (c.weight >= 0 ? std::string("+") : std::string()) +
                             fixed(c.weight, 3) + "  ")
                << c.ngram << "\n";
  };
  for_each_text(o.texts, one);
  std::cout.flush();
  return any ? kExitOk : kExitNoMatch;
}

}  // namespace

Runner add_score_command(CLI::App& app) {
  auto o = std::make_shared<ScoreOptions>();
  CLI::App* cmd = app.add_subcommand(
      "score",
      "Try a learned model (docs/models.md) on texts: the probability it gives each, and the\n"
      "n-grams that weighed most (+ raises it). Reads texts from standard input, one per line,\n"
      "when none are given.\n"
      "Exit status: 0 if any text scored at least --above (always with --view), 1 if none did,\n"
      "2 on usage, 3 if the model cannot be read, 4 if it is invalid.");
  cmd->add_option("-m,--model", o->model, "The model file, e.g. rules/models/anger.json");
  cmd->add_option("texts", o->texts, "Texts to score (default: lines of standard input)");
  cmd->add_option("--above", o->above, "The threshold that counts (default 0.5)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--top", o->top, "How many n-grams to show per text (default 5)");
  cmd->add_flag("--json", o->json,
                "One JSON object per text: {\"text\", \"probability\", \"above\", \"ngrams\": "
                "[{\"ngram\", \"weight\", \"span\"}...]}");
  cmd->add_flag("--view", o->view,
                "Print only what the model reads of each text (folded, one line each)");
  return [o] { return run_score(*o); };
}

}  // namespace tact::cli

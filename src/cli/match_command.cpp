// tact match [-p PLAYBOOK] PATTERN [TEXT...]: does a pattern match these texts, and where?
// For rule authors trying a pattern. Exit 0 if any text matched, 1 if none did, 2 on a bad
// pattern or usage, 3 when a playbook cannot be read.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/playbook_option.hpp"
#include "cli/terminal.hpp"
#include "tact/matcher.hpp"

namespace tact::cli {
namespace {

struct MatchOptions {
  std::string playbook;
  std::string pattern;
  std::vector<std::string> texts;
  bool json = false;
};

int run_match(const MatchOptions& o) {
  Lexicons lexicons;
  if (!o.playbook.empty()) {
    Result<Playbook> pb = Playbook::load({o.playbook});
    if (!pb.ok()) return report_load_error(pb.status());
    lexicons = pb->lexicons();
  }
  Result<Matcher> m = Matcher::compile({o.pattern}, lexicons);
  if (!m.ok()) {
    std::string msg = m.status().message();
    if (msg.rfind("pattern 0: ", 0) == 0) msg.erase(0, 11);
    std::cerr << "tact: " << msg << "\n";
    return kExitUsage;
  }
  Result<Matcher::Scratch> scratch = m->make_scratch();
  if (!scratch.ok()) {
    std::cerr << "tact: " << scratch.status() << "\n";
    return 70;
  }

  const Style style = o.json ? Style{} : style_for_stdout();
  bool any = false;
  MatchResult r;
  auto one = [&](const std::string& text) {
    Status s = m->match(text, *scratch, r);
    const bool matched = s.ok() && !r.matches.empty();
    any = any || matched;
    std::vector<Span> spans;
    if (matched) {
      const auto s0 = r.spans_of(r.matches[0]);
      spans.assign(s0.begin(), s0.end());
    }
    if (o.json) {
      std::string line;
      JsonWriter w(line);
      w.begin_object()
          .key("text")
          .string(text)
          .key("match")
          .boolean(matched)
          .key("spans")
          .begin_array();
      for (const Span& sp : spans) w.begin_array().number(sp.begin).number(sp.end).end_array();
      w.end_array();
      if (!s.ok()) w.key("error").string(s.message());
      w.end_object();
      std::cout << line << "\n";
      return;
    }
    if (!s.ok()) {
      std::cout << style.red("error ") << s.message() << "\n";
      return;
    }
    std::cout << (matched ? style.green("match    ") : style.dim("no match "))
              << style.highlight(text, spans);
    for (const Span& sp : spans)
      std::cout << style.dim("  [" + std::to_string(sp.begin) + "," + std::to_string(sp.end) + ")");
    std::cout << "\n";
  };
  for_each_text(o.texts, one);
  std::cout.flush();
  return any ? kExitOk : kExitNoMatch;
}

}  // namespace

Runner add_match_command(CLI::App& app) {
  auto o = std::make_shared<MatchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "match",
      "Try a pattern on texts: whether each matches and where (spans in code points).\n"
      "Reads texts from standard input, one per line, when none are given.\n"
      "Exit status: 0 if any text matched, 1 if none did, 2 on a bad pattern or usage,\n"
      "3 if the playbook cannot be read, 4 if it is invalid.");
  cmd->add_option("-p,--playbook", o->playbook,
                  "Playbook file or directory whose lexicons (@name) the pattern may use");
  cmd->add_option("pattern", o->pattern, "The pattern, e.g. '(不会 | 不可能) NEAR/3 乱扣钱'")
      ->required();
  cmd->add_option("texts", o->texts, "Texts to match (default: lines of standard input)");
  cmd->add_flag("--json", o->json,
                "One JSON object per text: {\"text\", \"match\", \"spans\": [[start, end]...]}");
  return [o] { return run_match(*o); };
}

}  // namespace tact::cli

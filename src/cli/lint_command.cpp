// `tact lint PLAYBOOK…`: problems in playbooks found without a transcript, as text, JSON or
// SARIF 2.1.0 (for code-review tools). Exit 1 when any problem is an error.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/lint.hpp"
#include "cli/terminal.hpp"

namespace tact::cli {
namespace {

void print_text(const std::vector<LintProblem>& problems) {
  const Style style = style_for_stdout();
  for (const LintProblem& p : problems) {
    std::string where = p.file;
    if (p.line) where += ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
    const std::string severity = p.severity == "error" ? style.red("error") : style.bold("warning");
    std::cout << where << ": " << severity << " [" << p.check << "]: " << p.message << "\n";
    if (!p.hint.empty()) std::cout << style.dim("  hint: " + p.hint) << "\n";
  }
}

void write_problem(JsonWriter& w, const LintProblem& p) {
  w.begin_object();
  w.key("file").string(p.file);
  w.key("line").number(p.line);
  w.key("column").number(p.column);
  w.key("severity").string(p.severity);
  w.key("check").string(p.check);
  w.key("rule").string(p.rule);
  w.key("message").string(p.message);
  w.key("hint").string(p.hint);
  w.end_object();
}

std::string json(const std::vector<LintProblem>& problems) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  for (const LintProblem& p : problems) write_problem(w, p);
  w.end_array();
  return out;
}

std::string sarif(const std::vector<LintProblem>& problems) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("$schema").string("https://json.schemastore.org/sarif-2.1.0.json");
  w.key("version").string("2.1.0");
  w.key("runs").begin_array().begin_object();
  w.key("tool").begin_object().key("driver").begin_object();
  w.key("name").string("tact lint");
  w.key("informationUri").string("https://github.com/tact/tact/blob/main/docs/lint.md");
  w.key("rules").begin_array();
  for (const LintCheck& c : lint_checks()) {
    w.begin_object();
    w.key("id").string(c.id);
    w.key("shortDescription").begin_object().key("text").string(c.description).end_object();
    w.key("defaultConfiguration").begin_object().key("level").string(c.severity).end_object();
    w.end_object();
  }
  w.end_array();
  w.end_object().end_object();
  w.key("results").begin_array();
  for (const LintProblem& p : problems) {
    w.begin_object();
    w.key("ruleId").string(p.check);
    w.key("level").string(p.severity);
    w.key("message").begin_object().key("text").string(p.message + (p.hint.empty() ? "" : " (hint: " + p.hint + ")")).end_object();
    w.key("locations").begin_array().begin_object();
    w.key("physicalLocation").begin_object();
    w.key("artifactLocation").begin_object().key("uri").string(p.file).end_object();
    if (p.line) {
      w.key("region").begin_object();
      w.key("startLine").number(p.line);
      if (p.column) w.key("startColumn").number(p.column);
      w.end_object();
    }
    w.end_object();
    w.end_object().end_array();
    if (!p.rule.empty()) {
      w.key("properties").begin_object().key("rule").string(p.rule).end_object();
    }
    w.end_object();
  }
  w.end_array();
  w.end_object().end_array();
  w.end_object();
  return out;
}

}  // namespace

Runner add_lint_command(CLI::App& app) {
  struct Options {
    std::vector<std::string> paths;
    std::string format = "text";
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("lint", "Find problems in playbooks without a transcript");
  std::string checks = "Checks:\n";
  for (const LintCheck& c : lint_checks())
    checks += "  " + std::string(c.id) + " (" + c.severity + "): " + c.description + "\n";
  cmd->footer(checks +
              "Exit codes: 0 no errors (warnings allowed), 1 an error was found, 2 usage.\n"
              "Reference: docs/lint.md");
  cmd->add_option("paths", o->paths, "Playbook files or directories")->required();
  cmd->add_option("--format", o->format, "text, json or sarif (SARIF 2.1.0)")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  return [o]() -> int {
    const std::vector<LintProblem> problems = lint_playbooks(o->paths);
    if (o->format == "json") {
      std::cout << json(problems) << "\n";
    } else if (o->format == "sarif") {
      std::cout << sarif(problems) << "\n";
    } else {
      print_text(problems);
      std::size_t errors = 0;
      for (const LintProblem& p : problems) errors += p.severity == "error" ? 1 : 0;
      const std::size_t warnings = problems.size() - errors;
      std::cerr << errors << (errors == 1 ? " error, " : " errors, ") << warnings
                << (warnings == 1 ? " warning\n" : " warnings\n");
    }
    for (const LintProblem& p : problems) {
      if (p.severity == "error") return kExitNoMatch;
    }
    return kExitOk;
  };
}

}  // namespace tact::cli

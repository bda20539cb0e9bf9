// The subcommands of `tact`. Each registers its options on the app and returns the function that
// runs it; the function returns the process exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

namespace tact::cli {

/// Exit codes every command shares. Commands add their own meanings for 0 and 1.
enum ExitCode : int {
  kExitOk = 0,
  kExitNoMatch = 1,
  kExitUsage = 2,
  kExitIo = 3,      // an input or playbook file cannot be read
  kExitConfig = 4,  // a playbook is invalid
};

using Runner = std::function<int()>;

/// Calls `f` on each of `texts`, or on each line of standard input (CR stripped) when there are
/// none: how `tact match` and `tact score` read what they try.
inline void for_each_text(const std::vector<std::string>& texts,
                          const std::function<void(const std::string&)>& f) {
  if (!texts.empty()) {
    for (const std::string& t : texts) f(t);
    return;
  }
  for (std::string line; std::getline(std::cin, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    f(line);
  }
}

Runner add_match_command(CLI::App& app);
Runner add_guide_command(CLI::App& app);
Runner add_qa_command(CLI::App& app);
Runner add_test_command(CLI::App& app);
Runner add_explain_command(CLI::App& app);
Runner add_lint_command(CLI::App& app);
Runner add_score_command(CLI::App& app);

}  // namespace tact::cli

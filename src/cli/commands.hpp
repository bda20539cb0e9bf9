// The subcommands of `tact`. Each registers its options on the app and returns the function that
// runs it; the function returns the process exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

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

Runner add_match_command(CLI::App& app);
Runner add_guide_command(CLI::App& app);
Runner add_qa_command(CLI::App& app);
Runner add_test_command(CLI::App& app);
Runner add_explain_command(CLI::App& app);
Runner add_lint_command(CLI::App& app);
Runner add_score_command(CLI::App& app);

}  // namespace tact::cli

// `tact lint`: what can be wrong in playbooks without a transcript. Each problem is located at
// file:line:col, names its rule and carries a one-line fix hint. The checks are documented in
// docs/lint.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tact::cli {

struct LintProblem {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string severity;  // "error" | "warning"
  std::string check;     // "load", "unused-lexicon", "contradiction", ...
  std::string rule;      // the rule (or lexicon, stage) concerned; may be empty
  std::string message;
  std::string hint;
};

/// Lints the playbook files (directories expand as for loading). Problems come sorted by file
/// and position. An I/O failure is a problem of check "io".
std::vector<LintProblem> lint_playbooks(const std::vector<std::string>& paths);

/// The checks, for --help and SARIF: id and one-line description.
struct LintCheck {
  const char* id;
  const char* severity;
  const char* description;
};
const std::vector<LintCheck>& lint_checks();

}  // namespace tact::cli

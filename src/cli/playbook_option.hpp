// The -p/--playbook option shared by guide and qa.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "tact/playbook.hpp"

namespace tact::cli {

struct PlaybookOption {
  std::vector<std::string> paths;
  void add_to(CLI::App* cmd) {
    cmd->add_option("-p,--playbook", paths, "Playbook file or directory (repeat -p for more)")
        ->required()
        ->allow_extra_args(false);  // -p takes one path; the positionals are the inputs
  }
  Result<Playbook> load() const { return Playbook::load(paths); }
};

/// Prints a playbook loading error and returns the exit code for it.
int report_load_error(const Status& s);

/// Whether standard output is a terminal (human output) or a pipe (JSON lines).
bool stdout_is_terminal();

}  // namespace tact::cli

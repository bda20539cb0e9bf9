#include "cli/playbook_option.hpp"

#include <unistd.h>

#include <iostream>

#include "cli/commands.hpp"

namespace tact::cli {

int report_load_error(const Status& s) {
  std::cerr << "tact: " << s << "\n";
  return s.code() == ErrorCode::kIo ? kExitIo : kExitConfig;
}

bool stdout_is_terminal() { return isatty(STDOUT_FILENO) == 1; }

}  // namespace tact::cli

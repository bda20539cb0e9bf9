// Reads the `lexicons:` section of a playbook file, for `tact match -p`. The full playbook loader
// (intents, rules) will replace this; the checks before yaml-cpp sees the bytes stay.
#pragma once

#include <string>

#include "tact/matcher.hpp"
#include "tact/status.hpp"

namespace tact::cli {

/// Errors: kIo (unreadable), kPlaybook with file:line:col (invalid UTF-8, control characters,
/// YAML syntax, duplicate lexicon names, entries that are not strings).
Result<Lexicons> load_lexicons(const std::string& path);

}  // namespace tact::cli

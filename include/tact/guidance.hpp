// What a Session says: after each turn a Guidance, at the end of the call a CallReport.
// These are plain values; the JSON field names in docs/output-format.md mirror them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tact/matcher.hpp"
#include "tact/transcript.hpp"

namespace tact {

enum class FindingKind : std::uint8_t {
  kViolation,  ///< the agent said something it must not
  kMissing,    ///< a required step never happened
  kSignal,     ///< something about the customer's state (anger, escalation request)
};
const char* finding_kind_name(FindingKind k);  // "violation", "missing", "signal"

enum class Severity : std::uint8_t { kInfo, kMinor, kMajor, kCritical };
const char* severity_name(Severity s);  // "info", "minor", "major", "critical"

struct Finding {
  FindingKind kind = FindingKind::kViolation;
  std::string rule;               ///< rule id, unique in the loaded playbooks
  std::vector<std::string> tags;  ///< from the taxonomy (shared/TAXONOMY.md) and the playbook
  Severity severity = Severity::kMajor;
  std::optional<std::uint32_t> turn;  ///< empty for kMissing
  Speaker speaker = Speaker::kUnknown;
  std::string evidence;      ///< the matched text, as written in the turn
  std::optional<Span> span;  ///< code points of the turn's text; empty for kMissing
  std::string message;       ///< why it matters (the rule's `reason`)
  std::string instead;       ///< what to say instead, when the rule offers it
};

struct Recommendation {
  std::string rule;
  std::string text;
  std::vector<std::string> tags;
};

/// The guidance after one turn.
struct Guidance {
  std::uint32_t turn = 0;
  Speaker speaker = Speaker::kUnknown;
  std::vector<std::string> intents;  ///< active intents, in the order they were detected
  std::string stage;                 ///< current stage of the first active intent; empty if none
  std::vector<Recommendation> recommendations;  ///< reactive first, then the stage's
  std::vector<Finding> findings;                ///< violations and signals of this turn
};

/// The whole call, after Session::finish().
struct CallReport {
  std::vector<std::string> intents;
  std::vector<Finding> findings;  ///< every turn's findings, then the missing steps
  int score = 100;                ///< 100 minus penalties by severity (see docs/output-format.md)
};

}  // namespace tact

// Playbook test cases for `tact test`: read from *.test.yaml files or from the `tests:` key of a
// playbook, and run against a loaded Playbook. The format is documented in docs/testing.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tact/guidance.hpp"
#include "tact/playbook.hpp"
#include "tact/status.hpp"
#include "tact/transcript.hpp"

namespace tact::cli {

/// One expected (or forbidden) finding. Unset parts match anything.
struct FindingExpectation {
  std::optional<std::uint32_t> turn;
  std::optional<FindingKind> kind;
  std::string rule;
  std::string tag;
  std::uint32_t line = 0;  // where it is written, for messages

  bool matches(const Finding& f) const;
  std::string describe() const;  // "turn 3 tag deflect", "missing closing"
};

struct RecommendationExpectation {
  std::uint32_t after = 0;  // the turn after which it is recommended
  std::string rule;
  std::string tag;
  std::uint32_t line = 0;

  bool matches(const Recommendation& r) const;
  std::string describe() const;
};

struct TestCase {
  std::string name;
  std::string file;  // the test file (or playbook) it is written in
  std::uint32_t line = 0;
  Call call;
  std::string transcript;  // the transcript file, when the turns come from one
  std::optional<std::vector<std::string>> intents;  // exactly these intents, any order
  std::uint32_t intents_line = 0;
  std::vector<std::pair<std::string, std::uint32_t>> intents_by;  // detected by this turn
  std::vector<FindingExpectation> findings;
  std::vector<FindingExpectation> absent;
  std::vector<RecommendationExpectation> recommendations;
  bool exact = false;  // every finding must be expected
  std::string known_miss;  // why this case is known to fail today; it then fails no run
};

/// Reads the cases of one file: a test file (`tests:` and optional `exact:` at the top) or a
/// playbook (only its `tests:` key is read). Transcript paths are relative to the file.
/// Errors name file:line:col.
Result<std::vector<TestCase>> read_test_cases(const std::string& file, bool is_playbook,
                                              const SpeakerLabels& labels);

/// Counts for precision and recall, over exact cases only. A reported finding counts once per
/// tag, as the pair (tag, turn); it is correct when an expectation matches it. An expectation is
/// found when some finding matches it. Intents are counted the same way, by id.
struct Tally {
  std::size_t expected = 0;
  std::size_t found = 0;
  std::size_t reported = 0;
  std::size_t correct = 0;
  void add(const Tally& o) {
    expected += o.expected;
    found += o.found;
    reported += o.reported;
    correct += o.correct;
  }
  double precision() const { return reported ? double(correct) / double(reported) : 1.0; }
  double recall() const { return expected ? double(found) / double(expected) : 1.0; }
};

struct CaseResult {
  std::vector<std::string> failures;  // empty: passed; each starts with '-', '+' or '!'
  std::vector<std::string> intents_reported;
  std::vector<Finding> reported;
  Status error;                       // the case could not run
  std::set<std::string> exercised;    // rules that fired (see docs/testing.md, coverage)
  Tally findings;
  Tally intents;
  std::map<std::string, Tally> by_tag;  // per tag (or rule, when an expectation names no tag)
  double seconds = 0;
};

/// "violation deny_charge [deflect] at turn 1 "不会乱扣"", for messages.
std::string describe_finding(const Finding& f);

CaseResult run_test_case(const Playbook& playbook, const TestCase& test);

}  // namespace tact::cli

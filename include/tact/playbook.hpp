// A Playbook: YAML rule files, validated and compiled once into an immutable object that any
// number of threads share. Sessions (one per call) are started from it.
//
//   tact::Result<tact::Playbook> pb = tact::Playbook::load({"rules/"});
//   if (!pb.ok()) { std::cerr << pb.status() << "\n"; return 2; }   // file:line:col: rule x: ...
//   tact::Session s = pb->start_session();
//
// The format is documented in docs/playbook-format.md. Loading never half-succeeds: any error in
// any file fails the whole load and names the file, line, column and rule.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tact/matcher.hpp"
#include "tact/status.hpp"
#include "tact/transcript.hpp"

namespace tact {

class Session;

class Playbook {
 public:
  struct Impl;  // opaque: rules and the compiled matcher (src/playbook/model.hpp)

  /// Loads playbook files; a directory loads its *.yaml and *.yml files (sorted, not recursive;
  /// *.test.yaml files are skipped). Errors: kIo, kPlaybook, kPatternSyntax, kPatternCompile,
  /// kLimit, each located as file:line:col.
  static Result<Playbook> load(const std::vector<std::string>& paths);

  /// Every error load() would stop at, and more: loading goes on past an error in one rule (or
  /// in one file's structure) to report the rest. Empty when load() succeeds. For lint tools.
  static std::vector<Status> check(const std::vector<std::string>& paths);
  /// The same for playbooks given as text, as parse() takes them.
  static std::vector<Status> check(
      const std::vector<std::pair<std::string, std::string>>& named_texts);

  /// The files load() reads for `paths`: files as given, directories expanded. Errors: kIo.
  static Result<std::vector<std::string>> files(const std::vector<std::string>& paths);

  /// Compiles playbooks given as text; `names` label them in errors. For tests and embedding.
  static Result<Playbook> parse(
      const std::vector<std::pair<std::string, std::string>>& named_texts);

  /// A new, empty session for one call. Cheap; thread-safe (sessions share this playbook).
  Session start_session() const;

  /// Speaker labels the playbooks add for the text transcript format.
  const SpeakerLabels& speaker_labels() const;

  /// The lexicons of all loaded playbooks, for tools that compile their own patterns.
  const Lexicons& lexicons() const;

  /// Ids of all intents, and the number of rules, for tools.
  std::vector<std::string> intent_ids() const;
  std::size_t rule_count() const;

  /// One rule of the loaded playbooks, for tools (coverage, lint): `kind` is "signal", "forbid",
  /// "require", "recommend" or "intent"; `file` and `line` say where it is written.
  struct RuleSummary {
    std::string id;
    std::string kind;
    std::vector<std::string> tags;
    std::string file;
    std::uint32_t line = 0;
    bool reported = true;  ///< false for signals with `report: false` (never a finding)
  };
  /// Every rule, in file order per kind (stage recommendations after their intent).
  std::vector<RuleSummary> rules() const;

 private:
  friend Result<struct TurnTrace> explain_turn(const Playbook&, const std::vector<Turn>&,
                                               const Turn&);
  explicit Playbook(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace tact

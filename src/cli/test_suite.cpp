#include "cli/test_suite.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "playbook/schema.hpp"
#include "playbook/yaml.hpp"
#include "tact/session.hpp"

namespace tact::cli {
namespace {

using internal::Fields;
using internal::SchemaError;
using internal::YamlNode;

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::optional<std::string> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

const std::vector<YamlNode>& list_of(const YamlNode& n, const std::string& what) {
  if (!n.is_sequence()) throw SchemaError{n.pos, what + ": expected a list"};
  return n.items;
}

std::uint32_t turn_number(const Fields& f, std::string_view key) {
  return static_cast<std::uint32_t>(*f.integer(key, 0, 1'000'000));
}

FindingExpectation finding_expectation(const YamlNode& n) {
  Fields f(n, "expected finding", {"turn", "kind", "rule", "tag", "missing"});
  FindingExpectation e;
  e.line = n.pos.line;
  if (f.get("turn")) e.turn = turn_number(f, "turn");
  e.rule = f.text("rule").value_or("");
  e.tag = f.text("tag").value_or("");
  if (auto kind = f.text("kind")) {
    if (*kind == "violation") e.kind = FindingKind::kViolation;
    else if (*kind == "missing") e.kind = FindingKind::kMissing;
    else if (*kind == "signal") e.kind = FindingKind::kSignal;
    else
      throw SchemaError{f.get("kind")->pos,
                        "kind: expected violation, missing or signal, found '" + *kind + "'"};
  }
  if (auto missing = f.text("missing")) {
    if (!e.tag.empty() || e.kind)
      throw SchemaError{n.pos, "expected finding: 'missing: TAG' stands for kind and tag; "
                               "do not also give 'tag' or 'kind'"};
    e.kind = FindingKind::kMissing;
    e.tag = *missing;
  }
  if (e.kind == FindingKind::kMissing && e.turn)
    throw SchemaError{n.pos, "expected finding: a missing step has no turn"};
  if (e.rule.empty() && e.tag.empty())
    throw SchemaError{n.pos, "expected finding: give 'rule', 'tag' or 'missing'"};
  return e;
}

RecommendationExpectation recommendation_expectation(const YamlNode& n) {
  Fields f(n, "expected recommendation", {"after", "rule", "tag"});
  RecommendationExpectation e;
  e.line = n.pos.line;
  if (!f.get("after")) throw SchemaError{n.pos, "expected recommendation: missing 'after: TURN'"};
  e.after = turn_number(f, "after");
  e.rule = f.text("rule").value_or("");
  e.tag = f.text("tag").value_or("");
  if (e.rule.empty() && e.tag.empty())
    throw SchemaError{n.pos, "expected recommendation: give 'rule' or 'tag'"};
  return e;
}

Turn inline_turn(const YamlNode& n, const SpeakerLabels& labels) {
  if (n.is_map() && n.entries.size() == 1 && n.entries[0].key != "text" &&
      n.entries[0].key != "speaker") {
    // The short form: {customer: 你们怎么乱扣钱啊}
    const auto& e = n.entries[0];
    const Speaker who = speaker_from_label(e.key, labels);
    if (who == Speaker::kUnknown)
      throw SchemaError{e.key_pos, "turn: unknown speaker '" + e.key + "' (use agent or customer)"};
    return Turn{who, internal::scalar_of(e.value, "turn text"), std::nullopt, std::nullopt};
  }
  Fields f(n, "turn", {"speaker", "text", "start", "end"});
  Turn t;
  const std::string who = f.required_text("speaker");
  t.speaker = speaker_from_label(who, labels);
  if (t.speaker == Speaker::kUnknown)
    throw SchemaError{f.get("speaker")->pos, "turn: unknown speaker '" + who + "'"};
  t.text = f.required_text("text");
  t.start = f.number("start", 0);
  t.end = f.number("end", 0);
  return t;
}

Call transcript_call(const YamlNode& n, const std::filesystem::path& base,
                     const SpeakerLabels& labels, std::string& shown_path) {
  const std::string& rel = internal::scalar_of(n, "call");
  const std::filesystem::path path = base / rel;
  shown_path = path.lexically_normal().string();
  std::optional<std::string> bytes = read_bytes(path);
  if (!bytes) throw SchemaError{n.pos, "call: cannot read transcript '" + shown_path + "'"};
  Result<Call> call = Status(ErrorCode::kInvalidArgument, "empty transcript");
  if (path.extension() == ".jsonl") {
    const std::string line = bytes->substr(0, bytes->find('\n'));
    call = read_jsonl_call(line);
  } else {
    call = read_text_transcript(*bytes, path.stem().string(), labels);
  }
  if (!call.ok())
    throw SchemaError{n.pos, "call: transcript '" + shown_path + "': " + call.status().message()};
  return std::move(*call);
}

TestCase test_case(const YamlNode& n, const std::string& file, bool default_exact,
                   const SpeakerLabels& labels) {
  Fields f(n, "test",
           {"name", "call", "turns", "intents", "findings", "absent", "recommendations", "exact",
            "known_miss"});
  TestCase t;
  t.file = file;
  t.line = n.pos.line;
  const YamlNode* call = f.get("call");
  const YamlNode* turns = f.get("turns");
  if (!call == !turns) throw SchemaError{n.pos, "test: give either 'call: FILE' or 'turns: [...]'"};
  if (call) {
    t.call = transcript_call(*call, std::filesystem::path(file).parent_path(), labels,
                             t.transcript);
  } else {
    for (const YamlNode& turn : list_of(*turns, "turns"))
      t.call.turns.push_back(inline_turn(turn, labels));
  }
  t.name = f.text("name").value_or(call ? std::filesystem::path(t.transcript).stem().string()
                                        : "line " + std::to_string(t.line));
  if (const YamlNode* intents = f.get("intents")) {
    t.intents_line = intents->pos.line;
    if (intents->is_map()) {
      for (const auto& e : intents->entries) {
        const std::string& turn = internal::scalar_of(e.value, "intents: detected by turn");
        char* end = nullptr;
        const long v = std::strtol(turn.c_str(), &end, 10);
        if (turn.empty() || *end != '\0' || v < 0)
          throw SchemaError{e.value.pos, "intents: expected a turn number, found '" + turn + "'"};
        t.intents_by.emplace_back(e.key, static_cast<std::uint32_t>(v));
      }
    } else {
      t.intents = f.text_list("intents");
    }
  }
  if (const YamlNode* fs = f.get("findings")) {
    for (const YamlNode& e : list_of(*fs, "findings")) t.findings.push_back(finding_expectation(e));
  }
  if (const YamlNode* fs = f.get("absent")) {
    for (const YamlNode& e : list_of(*fs, "absent")) t.absent.push_back(finding_expectation(e));
  }
  if (const YamlNode* rs = f.get("recommendations")) {
    for (const YamlNode& e : list_of(*rs, "recommendations"))
      t.recommendations.push_back(recommendation_expectation(e));
  }
  t.known_miss = f.text("known_miss").value_or("");
  t.exact = default_exact;
  if (auto exact = f.text("exact")) {
    if (*exact != "true" && *exact != "false")
      throw SchemaError{f.get("exact")->pos, "exact: expected true or false"};
    t.exact = *exact == "true";
  }
  return t;
}

std::string quoted_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (const auto& s : v) out += (out.size() > 1 ? ", " : "") + s;
  return out + "]";
}

}  // namespace

std::string describe_finding(const Finding& f) {
  std::string out = std::string(finding_kind_name(f.kind)) + " " + f.rule + " " +
                    quoted_list(f.tags);
  if (f.turn) out += " at turn " + std::to_string(*f.turn);
  if (!f.evidence.empty()) out += " \"" + f.evidence + "\"";
  return out;
}

bool FindingExpectation::matches(const Finding& f) const {
  if (turn && f.turn != turn) return false;
  if (kind && f.kind != *kind) return false;
  if (!rule.empty() && f.rule != rule) return false;
  if (!tag.empty() && !contains(f.tags, tag)) return false;
  return true;
}

std::string FindingExpectation::describe() const {
  std::string out;
  if (kind == FindingKind::kMissing) {
    out = "missing";
  } else {
    out = kind ? finding_kind_name(*kind) : "finding";
  }
  if (!rule.empty()) out += " rule " + rule;
  if (!tag.empty()) out += " tag " + tag;
  if (turn) out += " at turn " + std::to_string(*turn);
  return out;
}

bool RecommendationExpectation::matches(const Recommendation& r) const {
  if (!rule.empty() && r.rule != rule) return false;
  if (!tag.empty() && !contains(r.tags, tag)) return false;
  return true;
}

std::string RecommendationExpectation::describe() const {
  std::string out = "recommendation";
  if (!rule.empty()) out += " rule " + rule;
  if (!tag.empty()) out += " tag " + tag;
  return out + " after turn " + std::to_string(after);
}

Result<std::vector<TestCase>> read_test_cases(const std::string& file, bool is_playbook,
                                              const SpeakerLabels& labels) {
  std::optional<std::string> bytes = read_bytes(file);
  if (!bytes) return Status(ErrorCode::kIo, "cannot read test file", {file, 0, 0});
  Result<YamlNode> root = internal::parse_yaml(*bytes, file);
  if (!root.ok()) return root.status();
  std::vector<TestCase> cases;
  try {
    const YamlNode* tests = nullptr;
    bool exact = false;
    if (is_playbook) {
      const internal::YamlEntry* e = root->is_map() ? root->find("tests") : nullptr;
      if (!e) return cases;
      tests = &e->value;
    } else {
      Fields f(*root, "test file", {"tests", "exact"});
      tests = &f.required("tests");
      if (auto x = f.text("exact")) {
        if (*x != "true" && *x != "false")
          throw SchemaError{f.get("exact")->pos, "exact: expected true or false"};
        exact = *x == "true";
      }
    }
    for (const YamlNode& n : list_of(*tests, "tests"))
      cases.push_back(test_case(n, file, exact, labels));
  } catch (const SchemaError& e) {
    return Status(e.code, e.message, {file, e.pos.line, e.pos.column});
  }
  return cases;
}

CaseResult run_test_case(const Playbook& playbook, const TestCase& test) {
  CaseResult r;
  const auto started = std::chrono::steady_clock::now();
  Session session = playbook.start_session();
  std::vector<Guidance> guidance;
  for (const Turn& turn : test.call.turns) {
    Result<Guidance> g = session.feed(turn);
    if (!g.ok()) {
      r.error = g.status();
      return r;
    }
    guidance.push_back(std::move(*g));
  }
  Result<CallReport> report = session.finish();
  if (!report.ok()) {
    r.error = report.status();
    return r;
  }
  const std::vector<Finding>& findings = report->findings;

  // What fired, for coverage.
  for (const Finding& f : findings) r.exercised.insert(f.rule);
  for (const Guidance& g : guidance) {
    for (const Recommendation& rec : g.recommendations) r.exercised.insert(rec.rule);
  }
  for (const std::string& id : report->intents) r.exercised.insert(id);

  // Failures read like a diff: "-" expected but absent, "+" reported but not expected.
  auto fail = [&r](char sign, std::uint32_t line, std::string what) {
    r.failures.push_back(std::string(1, sign) + " " +
                         (line ? "line " + std::to_string(line) + ": " : std::string()) +
                         std::move(what));
  };

  if (test.intents) {
    std::vector<std::string> want = *test.intents, got = report->intents;
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    if (want != got)
      fail('!', test.intents_line, "intents: expected " + quoted_list(want) + ", got " + quoted_list(got));
  }
  for (const auto& [intent, by] : test.intents_by) {
    std::optional<std::uint32_t> first;
    for (const Guidance& g : guidance) {
      if (contains(g.intents, intent)) {
        first = g.turn;
        break;
      }
    }
    if (!first)
      fail('-', test.intents_line, "intent " + intent + ": expected by turn " + std::to_string(by) +
                          ", never detected");
    else if (*first > by)
      fail('!', test.intents_line, "intent " + intent + ": expected by turn " + std::to_string(by) +
                          ", detected at turn " + std::to_string(*first));
  }
  for (const FindingExpectation& e : test.findings) {
    const bool found = std::any_of(findings.begin(), findings.end(),
                                   [&](const Finding& f) { return e.matches(f); });
    if (!found) fail('-', e.line, "expected " + e.describe() + ": not reported");
    if (test.exact) {  // for precision and recall, by tag (or rule)
      for (Tally* t : {&r.findings, &r.by_tag[e.tag.empty() ? e.rule : e.tag]}) {
        ++t->expected;
        t->found += found ? 1 : 0;
      }
    }
  }
  for (const FindingExpectation& e : test.absent) {
    for (const Finding& f : findings) {
      if (e.matches(f)) fail('+', e.line, "must not report " + e.describe() + ": got " +
                                         describe_finding(f));
    }
  }
  if (test.exact) {
    for (const Finding& f : findings) {
      if (std::none_of(test.findings.begin(), test.findings.end(),
                       [&](const FindingExpectation& e) { return e.matches(f); }))
        fail('+', 0, "unexpected " + describe_finding(f));
    }
  }
  for (const RecommendationExpectation& e : test.recommendations) {
    if (e.after >= guidance.size()) {
      fail('!', e.line, "expected " + e.describe() + ": the call has " +
                       std::to_string(guidance.size()) + " turns");
      continue;
    }
    const auto& recs = guidance[e.after].recommendations;
    if (std::none_of(recs.begin(), recs.end(),
                     [&](const Recommendation& rec) { return e.matches(rec); }))
      fail('-', e.line, "expected " + e.describe() + ": not recommended");
  }

  if (test.exact) {
    // Distinct (tag, turn) pairs: two rules with one tag on one turn are one reported finding.
    std::map<std::pair<std::string, std::int64_t>, bool> pairs;  // -> correct
    for (const Finding& f : findings) {
      for (const std::string& tag : f.tags) {
        const bool correct = std::any_of(
            test.findings.begin(), test.findings.end(), [&](const FindingExpectation& e) {
              return e.matches(f) && (e.tag.empty() || e.tag == tag);
            });
        bool& c = pairs[{tag, f.turn ? std::int64_t(*f.turn) : -1}];
        c = c || correct;
      }
    }
    for (const auto& [pair, correct] : pairs) {
      for (Tally* t : {&r.findings, &r.by_tag[pair.first]}) {
        ++t->reported;
        t->correct += correct ? 1 : 0;
      }
    }
    if (test.intents) {
      for (const std::string& id : *test.intents) {
        ++r.intents.expected;
        r.intents.found += contains(report->intents, id) ? 1 : 0;
      }
      for (const std::string& id : report->intents) {
        ++r.intents.reported;
        r.intents.correct += contains(*test.intents, id) ? 1 : 0;
      }
    }
  }
  r.intents_reported = report->intents;
  r.reported = std::move(report->findings);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return r;
}

}  // namespace tact::cli

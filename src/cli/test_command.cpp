// `tact test [PATHS…]`: runs the test cases written beside playbooks (*.test.yaml files and the
// `tests:` key of playbooks) and reports each case, a summary, optionally JUnit XML, rule
// coverage and precision/recall. Exit 0 only if every case passed.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "cli/commands.hpp"
#include "cli/playbook_option.hpp"
#include "cli/terminal.hpp"
#include "cli/test_suite.hpp"

namespace tact::cli {
namespace {

namespace fs = std::filesystem;

bool ends_with(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
bool is_yaml(const std::string& name) { return ends_with(name, ".yaml") || ends_with(name, ".yml"); }
bool is_test_file(const std::string& name) {
  return ends_with(name, ".test.yaml") || ends_with(name, ".test.yml");
}

struct Inputs {
  std::vector<std::string> playbooks;
  std::vector<std::string> test_files;
};

/// Sorts PATHS into playbooks and test files; directories contribute their YAML files.
Status discover(const std::vector<std::string>& paths, Inputs& in) {
  for (const std::string& p : paths) {
    std::error_code ec;
    std::vector<std::string> files;
    if (fs::is_directory(p, ec)) {
      for (const auto& e : fs::directory_iterator(p, ec)) {
        if (e.is_regular_file() && is_yaml(e.path().filename().string()))
          files.push_back(e.path().string());
      }
      std::sort(files.begin(), files.end());
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      return Status(ErrorCode::kIo, "no such file or directory", {p, 0, 0});
    }
    for (std::string& f : files)
      (is_test_file(fs::path(f).filename().string()) ? in.test_files : in.playbooks)
          .push_back(std::move(f));
  }
  return Status();
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

struct Ran {
  const TestCase* test = nullptr;
  CaseResult result;
};

struct FileError {
  std::string file;
  Status status;
};

bool write_junit(const std::string& path, const std::vector<Ran>& ran,
                 const std::vector<FileError>& errors) {
  std::ofstream out(path);
  if (!out) return false;
  std::map<std::string, std::vector<const Ran*>> by_file;
  for (const Ran& r : ran) by_file[r.test->file].push_back(&r);
  std::size_t failures = 0, errs = errors.size();
  double total = 0;
  for (const Ran& r : ran) {
    failures += !r.result.error.ok() ? 0 : (r.result.failures.empty() ? 0 : 1);
    errs += r.result.error.ok() ? 0 : 1;
    total += r.result.seconds;
  }
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.6f", total);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tact test\" tests=\""
      << ran.size() + errors.size() << "\" failures=\"" << failures << "\" errors=\"" << errs
      << "\" time=\"" << seconds << "\">\n";
  for (const auto& [file, cases] : by_file) {
    std::size_t f = 0, e = 0;
    for (const Ran* r : cases) {
      e += r->result.error.ok() ? 0 : 1;
      f += r->result.error.ok() && !r->result.failures.empty() ? 1 : 0;
    }
    out << "  <testsuite name=\"" << xml_escape(file) << "\" tests=\"" << cases.size()
        << "\" failures=\"" << f << "\" errors=\"" << e << "\">\n";
    for (const Ran* r : cases) {
      std::snprintf(seconds, sizeof seconds, "%.6f", r->result.seconds);
      out << "    <testcase classname=\"" << xml_escape(file) << "\" name=\""
          << xml_escape(r->test->name) << "\" file=\"" << xml_escape(file) << "\" line=\""
          << r->test->line << "\" time=\"" << seconds << "\"";
      if (!r->result.error.ok()) {
        out << ">\n      <error message=\"" << xml_escape(r->result.error.to_string())
            << "\"/>\n    </testcase>\n";
      } else if (!r->result.failures.empty()) {
        std::string body;
        for (const std::string& f : r->result.failures) body += f + "\n";
        out << ">\n      <failure message=\"" << xml_escape(r->result.failures.front()) << "\">"
            << xml_escape(body) << "</failure>\n    </testcase>\n";
      } else {
        out << "/>\n";
      }
    }
    out << "  </testsuite>\n";
  }
  for (const FileError& e : errors) {
    out << "  <testsuite name=\"" << xml_escape(e.file)
        << "\" tests=\"1\" failures=\"0\" errors=\"1\">\n    <testcase classname=\""
        << xml_escape(e.file) << "\" name=\"(load)\">\n      <error message=\""
        << xml_escape(e.status.to_string()) << "\"/>\n    </testcase>\n  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return static_cast<bool>(out);
}

std::string percent(std::size_t part, std::size_t whole) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", whole ? 100.0 * double(part) / double(whole) : 100.0);
  return buf;
}

std::string ratio(double value, std::size_t part, std::size_t whole) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3f (%zu/%zu)", value, part, whole);
  return buf;
}

/// Prints coverage per playbook file; returns the covered share of all rules, in percent.
double print_coverage(const Playbook& playbook, const std::set<std::string>& exercised) {
  struct PerFile {
    std::size_t total = 0, fired = 0;
    std::vector<std::string> missed;
  };
  std::map<std::string, PerFile> files;
  std::size_t total = 0, fired = 0;
  for (const Playbook::RuleSummary& r : playbook.rules()) {
    if (!r.reported) continue;  // a `report: false` signal is never seen firing
    PerFile& f = files[r.file];
    ++f.total;
    ++total;
    if (exercised.count(r.id)) {
      ++f.fired;
      ++fired;
    } else {
      f.missed.push_back(r.kind + " " + r.id + " (line " + std::to_string(r.line) + ")");
    }
  }
  std::cout << "\nrule coverage: " << fired << " of " << total << " rules fired ("
            << percent(fired, total) << ")\n";
  for (const auto& [file, f] : files) {
    std::cout << "  " << file << ": " << f.fired << "/" << f.total << " ("
              << percent(f.fired, f.total) << ")\n";
    for (const std::string& m : f.missed) std::cout << "    never fired: " << m << "\n";
  }
  return total ? 100.0 * double(fired) / double(total) : 100.0;
}

void print_metrics(const std::vector<Ran>& ran) {
  Tally findings, intents;
  std::map<std::string, Tally> by_tag;
  std::size_t exact = 0;
  for (const Ran& r : ran) {
    if (!r.test->exact || !r.result.error.ok()) continue;
    ++exact;
    findings.add(r.result.findings);
    intents.add(r.result.intents);
    for (const auto& [tag, t] : r.result.by_tag) by_tag[tag].add(t);
  }
  std::cout << "\nprecision and recall over " << exact << " exact cases (a finding is its tag "
            << "and turn):\n";
  std::cout << "  findings  precision " << ratio(findings.precision(), findings.correct,
                                                  findings.reported)
            << "  recall " << ratio(findings.recall(), findings.found, findings.expected) << "\n";
  std::cout << "  intents   precision " << ratio(intents.precision(), intents.correct,
                                                  intents.reported)
            << "  recall " << ratio(intents.recall(), intents.found, intents.expected) << "\n";
  for (const auto& [tag, t] : by_tag) {
    std::cout << "    " << tag << std::string(tag.size() < 24 ? 24 - tag.size() : 1, ' ')
              << "precision " << ratio(t.precision(), t.correct, t.reported) << "  recall "
              << ratio(t.recall(), t.found, t.expected) << "\n";
  }
}

void print_call(const CaseResult& r, const Style& style) {
  std::string intents;
  for (const auto& i : r.intents_reported) intents += (intents.empty() ? "" : ", ") + i;
  std::cout << style.dim("      reported: intents [" + intents + "]") << "\n";
  for (const Finding& f : r.reported)
    std::cout << style.dim("        " + describe_finding(f)) << "\n";
}

}  // namespace

Runner add_test_command(CLI::App& app) {
  struct Options {
    std::vector<std::string> paths;
    std::vector<std::string> playbooks;
    std::string junit;
    bool coverage = false;
    double min_coverage = -1;
    bool metrics = false;
    bool quiet = false;
    std::string filter;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "test",
      "Run playbook tests (*.test.yaml files and `tests:` in playbooks); exit 0 if all pass");
  cmd->footer(
      "PATHS are playbooks, test files or directories holding both (default: the current "
      "directory). Every case runs against all the playbooks found and given with -p.\n"
      "Exit codes: 0 all passed, 1 a case failed (or coverage below --min-coverage), 2 usage, "
      "3 a file cannot be read, 4 a playbook is invalid.\nFormat: docs/testing.md");
  cmd->add_option("paths", o->paths, "Playbooks, *.test.yaml files, directories");
  cmd->add_option("-p,--playbook", o->playbooks, "More playbooks (file or directory)")
      ->allow_extra_args(false);
  cmd->add_option("--junit", o->junit, "Also write JUnit XML to FILE");
  cmd->add_flag("--coverage", o->coverage, "Report which rules no test ever fired");
  cmd->add_option("--min-coverage", o->min_coverage,
                  "Fail when under P percent of the rules fired (implies --coverage)")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_flag("--metrics", o->metrics,
                "Report precision and recall of findings and intents over the exact cases");
  cmd->add_option("-k,--filter", o->filter, "Run only cases whose name contains TEXT");
  cmd->add_flag("-q,--quiet", o->quiet, "Print failures and the summary only");

  return [o]() -> int {
    Inputs in;
    if (Status s = discover(o->paths.empty() ? std::vector<std::string>{"."} : o->paths, in);
        !s.ok()) {
      std::cerr << "tact test: " << s << "\n";
      return kExitIo;
    }
    for (const std::string& p : o->playbooks) in.playbooks.push_back(p);
    if (in.playbooks.empty()) {
      std::cerr << "tact test: no playbooks among the paths; give them as paths or with -p\n";
      return kExitUsage;
    }
    Result<Playbook> playbook = Playbook::load(in.playbooks);
    if (!playbook.ok()) return report_load_error(playbook.status());

    std::vector<TestCase> cases;
    std::vector<FileError> errors;
    auto read = [&](const std::string& file, bool is_playbook) {
      if (fs::is_directory(file)) return;  // -p directories: their playbooks hold no tests here
      Result<std::vector<TestCase>> got =
          read_test_cases(file, is_playbook, playbook->speaker_labels());
      if (!got.ok()) {
        errors.push_back({file, got.status()});
        return;
      }
      for (TestCase& t : *got) {
        if (o->filter.empty() || t.name.find(o->filter) != std::string::npos)
          cases.push_back(std::move(t));
      }
    };
    for (const std::string& f : in.playbooks) read(f, true);
    for (const std::string& f : in.test_files) read(f, false);

    const Style style = style_for_stdout();
    for (const FileError& e : errors)
      std::cout << style.red("ERROR ") << e.status << "\n";
    std::vector<Ran> ran;
    std::size_t passed = 0, failed = 0, known = 0;
    std::set<std::string> exercised;
    for (const TestCase& t : cases) {
      Ran r{&t, run_test_case(*playbook, t)};
      const std::string where = t.file + ":" + std::to_string(t.line);
      if (!r.result.error.ok()) {
        ++failed;
        std::cout << style.red("ERROR ") << where << "  " << t.name << "\n      "
                  << r.result.error << "\n";
      } else if (!r.result.failures.empty() && !t.known_miss.empty()) {
        ++known;
        if (!o->quiet)
          std::cout << style.dim("MISS  " + where + "  " + t.name + " (known: " + t.known_miss +
                                 ")")
                    << "\n";
      } else if (!r.result.failures.empty()) {
        ++failed;
        std::cout << style.red("FAIL  ") << where << "  " << style.bold(t.name) << "\n";
        for (const std::string& f : r.result.failures) std::cout << "      " << f << "\n";
        print_call(r.result, style);
      } else {
        ++passed;
        if (!t.known_miss.empty())
          std::cout << style.green("FIXED ") << where << "  " << t.name
                    << " passes now: remove its known_miss\n";
        else if (!o->quiet)
          std::cout << style.green("PASS  ") << where << "  " << t.name << "\n";
      }
      exercised.insert(r.result.exercised.begin(), r.result.exercised.end());
      ran.push_back(std::move(r));
    }

    int code = kExitOk;
    if (failed || !errors.empty()) code = kExitNoMatch;
    if (cases.empty() && errors.empty()) {
      std::cerr << "tact test: no test cases found\n";
      code = kExitNoMatch;
    }
    if (o->metrics) print_metrics(ran);
    if (o->coverage || o->min_coverage >= 0) {
      const double covered = print_coverage(*playbook, exercised);
      if (o->min_coverage >= 0 && covered + 1e-9 < o->min_coverage) {
        std::printf("coverage %.1f%% is under --min-coverage %.1f%%\n", covered, o->min_coverage);
        std::fflush(stdout);
        code = kExitNoMatch;
      }
    }
    std::string summary = std::to_string(passed) + " passed, " + std::to_string(failed) +
                          " failed";
    if (known) summary += ", " + std::to_string(known) + " known misses";
    if (!errors.empty()) summary += ", " + std::to_string(errors.size()) + " files with errors";
    std::cout << "\n" << (code == kExitOk ? style.green(summary) : style.red(summary)) << "\n";
    if (!o->junit.empty() && !write_junit(o->junit, ran, errors)) {
      std::cerr << "tact test: cannot write " << o->junit << "\n";
      return kExitIo;
    }
    return code;
  };
}

}  // namespace tact::cli

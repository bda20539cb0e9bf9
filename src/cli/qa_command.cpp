// tact qa -p PLAYBOOK... FILES...: whole calls in, one record per call out. A call that cannot be
// read gets a record with its error and the batch goes on. Calls are processed by a pool of
// threads in batches; output keeps input order, so -j1 and -j8 print the same bytes.
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <thread>

#include "cli/call_input.hpp"
#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/playbook_option.hpp"
#include "tact/playbook.hpp"
#include "tact/session.hpp"

namespace tact::cli {
namespace {

constexpr std::size_t kBatch = 4096;

struct QaOptions {
  PlaybookOption playbooks;
  std::vector<std::string> inputs;
  std::string format = "auto";  // jsonl | json | csv
  std::string input_format = "auto";
  unsigned jobs = 1;
};

struct Outcome {
  RawCall raw;
  std::string id;
  CallReport report;
  std::string error;
  bool read = false;      // the call could be parsed (it has a report)
  bool findings = false;  // violations or missing steps
};

void process(const Playbook& pb, Outcome& o) {
  const Result<Call> call = parse_call(o.raw, pb.speaker_labels());
  o.raw.bytes = std::string();  // free the text early: batches hold thousands of calls
  if (!call.ok()) {
    o.id = o.raw.source;
    o.error = call.status().message();
    return;
  }
  o.id = call->id;
  o.read = true;
  thread_local Guidance guidance;  // reused across turns and calls
  Session session = pb.start_session();
  for (const Turn& t : call->turns) {
    if (Status s = session.feed(t, guidance); !s.ok())
      o.error += (o.error.empty() ? "" : "; ") + s.message();
  }
  o.report = std::move(*session.finish());
  for (const Finding& f : o.report.findings)
    o.findings = o.findings || f.kind != FindingKind::kSignal;
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

class Writer {
 public:
  explicit Writer(std::string format) : format_(std::move(format)) {
    if (format_ == "csv")
      std::cout << "call,source,intents,score,violations,missing,signals,rules,error\n";
    if (format_ == "json") std::cout << "[";
  }
  ~Writer() {
    if (format_ == "json") std::cout << (first_ ? "]\n" : "\n]\n");
  }

  void write(const Outcome& o) {
    line_.clear();
    if (format_ == "csv") {
      csv(o);
    } else {
      if (format_ == "json") line_ += first_ ? "\n" : ",\n";
      json(o);
      if (format_ != "json") line_ += '\n';
    }
    std::cout << line_;
    first_ = false;
  }

 private:
  void json(const Outcome& o) {
    const bool ok = o.read;
    JsonWriter w(line_);
    w.begin_object();
    w.key("call").string(o.id);
    w.key("source").string(o.raw.source);
    w.key("intents").strings(o.report.intents);
    w.key("findings").begin_array();
    for (const Finding& f : o.report.findings) write_finding(w, f);
    w.end_array();
    w.key("score");
    ok ? w.number(o.report.score) : w.null();
    w.key("error");
    o.error.empty() ? w.null() : w.string(o.error);
    w.end_object();
  }

  void csv(const Outcome& o) {
    int counts[3] = {0, 0, 0};
    std::string rules, intents;
    for (const Finding& f : o.report.findings) {
      counts[static_cast<int>(f.kind)]++;
      rules += (rules.empty() ? "" : " ") + f.rule;
    }
    for (const std::string& i : o.report.intents) intents += (intents.empty() ? "" : " ") + i;
    line_ += csv_field(o.id) + "," + csv_field(o.raw.source) + "," + csv_field(intents) + "," +
             (o.read ? std::to_string(o.report.score) : "") + "," + std::to_string(counts[0]) +
             "," + std::to_string(counts[1]) + "," + std::to_string(counts[2]) + "," +
             csv_field(rules) + "," + csv_field(o.error) + "\n";
  }

  std::string format_;
  std::string line_;
  bool first_ = true;
};

int run_qa(const QaOptions& o) {
  Result<Playbook> pb = o.playbooks.load();
  if (!pb.ok()) return report_load_error(pb.status());
  const std::string format = o.format != "auto" ? o.format : "jsonl";
  const InputFormat input_format = o.input_format == "jsonl"  ? InputFormat::kJsonl
                                   : o.input_format == "text" ? InputFormat::kText
                                                              : InputFormat::kAuto;
  const unsigned jobs = std::max(1u, o.jobs);
  const bool progress = isatty(STDERR_FILENO) == 1;

  Writer writer(format);
  std::vector<Outcome> batch;
  std::size_t done = 0;
  bool any_findings = false, any_error = false;
  auto flush = [&] {
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      for (std::size_t i; (i = next++) < batch.size();) process(*pb, batch[i]);
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < jobs && t < batch.size(); ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    for (const Outcome& out : batch) {
      writer.write(out);
      any_findings = any_findings || out.findings;
      any_error = any_error || !out.error.empty();
    }
    done += batch.size();
    batch.clear();
    if (progress) std::cerr << "\rtact qa: " << done << " calls" << std::flush;
  };
  auto sink = [&](RawCall raw) {
    batch.push_back({std::move(raw), std::string(), CallReport{}, std::string(), false, false});
    if (batch.size() >= kBatch) flush();
  };
  for (const std::string& path : o.inputs) {
    std::ifstream file;
    if (path != "-") file.open(path, std::ios::binary);
    if (path != "-" && !file) {
      sink({path, path, InputFormat::kText, std::string(),
            Status(ErrorCode::kIo, "cannot open file")});
      continue;
    }
    if (!read_raw_calls(path == "-" ? std::cin : file, path == "-" ? "stdin" : path, input_format,
                        sink)) {
      sink({path, path, InputFormat::kText, std::string(), Status(ErrorCode::kIo, "read error")});
    }
  }
  flush();
  if (progress) std::cerr << "\n";
  std::cout.flush();
  return any_error ? kExitUsage : any_findings ? kExitNoMatch : kExitOk;
}

}  // namespace

Runner add_qa_command(CLI::App& app) {
  auto o = std::make_shared<QaOptions>();
  CLI::App* cmd = app.add_subcommand(
      "qa",
      "Check whole calls for script compliance: one record per call with its intents, findings and "
      "score.\nExit status: 0 no findings, 1 some call had violations or missing steps, 2 some "
      "call "
      "could not be read (the others are still processed).");
  o->playbooks.add_to(cmd);
  cmd->add_option("inputs", o->inputs,
                  "Transcript files (text: one call each; JSONL: one call per line); - for stdin")
      ->required();
  cmd->add_option("--format", o->format, "jsonl (default), json or csv")
      ->check(CLI::IsMember({"auto", "jsonl", "json", "csv"}));
  cmd->add_option("--input-format", o->input_format, "auto (default), text or jsonl")
      ->check(CLI::IsMember({"auto", "text", "jsonl"}));
  cmd->add_option("-j,--jobs", o->jobs, "Worker threads")->capture_default_str();
  return [o] { return run_qa(*o); };
}

}  // namespace tact::cli

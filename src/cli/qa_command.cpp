// tact qa -p PLAYBOOK... FILES...: whole calls in, one record per call out. A call that cannot be
// read gets a record with its error and the batch goes on. Calls are processed by a pool of
// threads in batches; output keeps input order, so -j1 and -j8 print the same bytes.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
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
  std::string record;     // the call's output: a JSON object or a CSV line, no separator
  bool findings = false;  // violations or missing steps
  bool error = false;     // the call could not be read, or a turn failed
};

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string json_record(const std::string& id, const std::string& source, bool read,
                        const CallReport& report, const std::string& error) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("call").string(id);
  w.key("source").string(source);
  w.key("intents").strings(report.intents);
  w.key("findings").begin_array();
  for (const Finding& f : report.findings) write_finding(w, f);
  w.end_array();
  w.key("score");
  read ? w.number(report.score) : w.null();
  w.key("error");
  error.empty() ? w.null() : w.string(error);
  w.end_object();
  return out;
}

std::string csv_record(const std::string& id, const std::string& source, bool read,
                       const CallReport& report, const std::string& error) {
  int counts[3] = {0, 0, 0};
  std::string rules, intents;
  for (const Finding& f : report.findings) {
    counts[static_cast<int>(f.kind)]++;
    rules += (rules.empty() ? "" : " ") + f.rule;
  }
  for (const std::string& i : report.intents) intents += (intents.empty() ? "" : " ") + i;
  return csv_field(id) + "," + csv_field(source) + "," + csv_field(intents) + "," +
         (read ? std::to_string(report.score) : "") + "," + std::to_string(counts[0]) + "," +
         std::to_string(counts[1]) + "," + std::to_string(counts[2]) + "," + csv_field(rules) +
         "," + csv_field(error) + "\n";
}

// Reads, checks and formats one call (on a worker thread: formatting is a tenth of the work).
void process(const Playbook& pb, const std::string& format, Outcome& o) {
  const Result<Call> call = parse_call(o.raw, pb.speaker_labels());
  o.raw.bytes = std::string();  // free the text early: batches hold thousands of calls
  std::string error;
  CallReport report;
  if (call.ok()) {
    Session session = pb.start_session();
    for (const Turn& t : call->turns) {
      if (Status s = session.observe(t); !s.ok())
        error += (error.empty() ? "" : "; ") + s.message();
    }
    report = std::move(*session.finish());
    for (const Finding& f : report.findings)
      o.findings = o.findings || f.kind != FindingKind::kSignal;
  } else {
    error = call.status().message();
  }
  const std::string& id = call.ok() ? call->id : o.raw.source;
  o.record = format == "csv" ? csv_record(id, o.raw.source, call.ok(), report, error)
                             : json_record(id, o.raw.source, call.ok(), report, error);
  o.error = !error.empty();
}

// Prints records in input order with the format's header, separators and footer.
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
    if (format_ == "json") std::cout << (first_ ? "\n" : ",\n");
    std::cout << o.record;
    if (format_ == "jsonl") std::cout << '\n';
    first_ = false;
  }

 private:
  std::string format_;
  bool first_ = true;
};

// Checks batches of calls on `jobs` threads. With more than one job, a batch is checked while
// the next one is read and the previous one printed, so reading does not leave cores idle.
class Pipeline {
 public:
  // `input_bytes`: the size of all input, for progress (0: unknown, as for stdin).
  Pipeline(const Playbook& pb, std::string format, unsigned jobs, std::uintmax_t input_bytes)
      : pb_(pb),
        format_(std::move(format)),
        jobs_(jobs),
        input_bytes_(input_bytes),
        writer_(format_) {}
  ~Pipeline() { wait(); }

  void add(RawCall raw) {
    filling_bytes_ += raw.bytes.size() + 1;  // and its newline, near enough
    filling_.push_back({std::move(raw), std::string(), false, false});
    if (filling_.size() >= kBatch) flush();
  }

  // Checks and prints everything added so far.
  void finish() {
    flush();
    wait();
  }

  bool any_findings() const { return any_findings_; }
  bool any_error() const { return any_error_; }

 private:
  void flush() {
    wait();
    checking_.swap(filling_);
    filling_.clear();
    checking_bytes_ = filling_bytes_;
    filling_bytes_ = 0;
    next_ = 0;
    if (jobs_ == 1) {
      work();
      print();
      return;
    }
    for (unsigned t = 0; t < jobs_ && t < checking_.size(); ++t)
      pool_.emplace_back([this] { work(); });
  }

  void work() {
    for (std::size_t i; (i = next_++) < checking_.size();) process(pb_, format_, checking_[i]);
  }

  // Waits for the batch being checked, then prints it.
  void wait() {
    if (pool_.empty()) return;
    for (std::thread& t : pool_) t.join();
    pool_.clear();
    print();
  }

  void print() {
    for (const Outcome& o : checking_) {
      writer_.write(o);
      any_findings_ = any_findings_ || o.findings;
      any_error_ = any_error_ || o.error;
    }
    done_ += checking_.size();
    done_bytes_ += checking_bytes_;
    checking_.clear();
    if (progress_) show_progress();
  }

  // "tact qa: 40960 calls, 41/101 MB (40%), 9120 calls/s" on one line, rewritten.
  void show_progress() const {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const auto mb = [](std::uintmax_t bytes) { return (bytes + 500000) / 1000000; };
    std::cerr << "\rtact qa: " << done_ << " calls, " << mb(done_bytes_);
    if (input_bytes_ > 0) {
      std::cerr << "/" << mb(input_bytes_) << " MB ("
                << std::min<std::uintmax_t>(100, 100 * done_bytes_ / input_bytes_) << "%)";
    } else {
      std::cerr << " MB";
    }
    if (seconds > 0) std::cerr << ", " << static_cast<long long>(done_ / seconds) << " calls/s";
    std::cerr << "   " << std::flush;
  }

  const Playbook& pb_;
  const std::string format_;
  const unsigned jobs_;
  const std::uintmax_t input_bytes_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::uintmax_t filling_bytes_ = 0, checking_bytes_ = 0, done_bytes_ = 0;  // of raw calls
  const bool progress_ = isatty(STDERR_FILENO) == 1;
  Writer writer_;
  std::vector<Outcome> filling_;   // being read
  std::vector<Outcome> checking_;  // being checked (then printed)
  std::atomic<std::size_t> next_{0};
  std::vector<std::thread> pool_;
  std::size_t done_ = 0;
  bool any_findings_ = false;
  bool any_error_ = false;
};

int run_qa(const QaOptions& o) {
  Result<Playbook> pb = o.playbooks.load();
  if (!pb.ok()) return report_load_error(pb.status());
  const std::string format = o.format != "auto" ? o.format : "jsonl";
  const InputFormat input_format = o.input_format == "jsonl"  ? InputFormat::kJsonl
                                   : o.input_format == "text" ? InputFormat::kText
                                                              : InputFormat::kAuto;
  std::uintmax_t input_bytes = 0;
  for (const std::string& path : o.inputs) {
    std::error_code error;
    const std::uintmax_t size = std::filesystem::file_size(path, error);
    if (path == "-" || error) {
      input_bytes = 0;  // unknown: progress shows no percentage
      break;
    }
    input_bytes += size;
  }
  Pipeline pipeline(*pb, format, std::max(1u, o.jobs), input_bytes);
  auto sink = [&](RawCall raw) { pipeline.add(std::move(raw)); };
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
  pipeline.finish();
  if (isatty(STDERR_FILENO) == 1) std::cerr << "\n";
  std::cout.flush();
  return pipeline.any_error() ? kExitUsage : pipeline.any_findings() ? kExitNoMatch : kExitOk;
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

// tact guide -p PLAYBOOK... [FILE|-]: feeds turns as they come and prints the guidance after each.
// Text transcripts are processed line by line, so typing a conversation on standard input works.
#include <fstream>
#include <iostream>

#include "cli/call_input.hpp"
#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/playbook_option.hpp"
#include "cli/terminal.hpp"
#include "tact/playbook.hpp"
#include "tact/session.hpp"

namespace tact::cli {
namespace {

struct GuideOptions {
  PlaybookOption playbooks;
  std::string input = "-";
  std::string format = "auto";  // text | jsonl
  std::string input_format = "auto";
};

class GuidePrinter {
 public:
  GuidePrinter(bool json, Style style) : json_(json), style_(style) {}

  void turn(const std::string& call, const Turn& t, const Guidance& g) {
    if (json_) {
      std::cout << guidance_line(call, g) << "\n";
    } else {
      std::vector<Span> spans;
      for (const Finding& f : g.findings) {
        if (f.span && f.kind == FindingKind::kViolation) spans.push_back(*f.span);
      }
      std::cout << style_.bold("#" + std::to_string(g.turn) + " " + speaker_name(g.speaker)) << "  "
                << style_.highlight(t.text, spans) << "\n";
      if (!g.intents.empty()) {
        std::string intents;
        for (const auto& i : g.intents) intents += (intents.empty() ? "" : ", ") + i;
        std::cout << style_.dim("   intent: " + intents +
                                (g.stage.empty() ? "" : "   stage: " + g.stage))
                  << "\n";
      }
      for (const Finding& f : g.findings) finding(f);
      for (const Recommendation& r : g.recommendations) {
        std::cout << "   " << style_.green("→ " + r.text) << style_.dim(tags(r.tags)) << "\n";
      }
    }
    std::cout.flush();
  }

  void end(const std::string& call, const CallReport& r) {
    if (json_) {
      std::cout << closing_line(call, r) << "\n";
    } else {
      for (const Finding& f : r.findings) {
        if (f.kind == FindingKind::kMissing) finding(f);
      }
      std::cout << style_.bold("score " + std::to_string(r.score)) << "\n";
    }
    std::cout.flush();
  }

 private:
  static std::string tags(const std::vector<std::string>& tags) {
    std::string s;
    for (const auto& t : tags) s += (s.empty() ? " [" : ", ") + t;
    return s.empty() ? s : s + "]";
  }

  void finding(const Finding& f) {
    std::string head;
    switch (f.kind) {
      case FindingKind::kViolation:
        head = style_.red("✗ " + f.rule);
        break;
      case FindingKind::kMissing:
        head = style_.red("∅ missing " + f.rule);
        break;
      case FindingKind::kSignal:
        head = style_.bold("! " + f.rule);
        break;
    }
    std::cout << "   " << head << style_.dim(tags(f.tags) + " " + severity_name(f.severity));
    if (!f.evidence.empty()) std::cout << ": “" << f.evidence << "”";
    if (!f.message.empty()) std::cout << style_.dim(" — " + f.message);
    if (!f.instead.empty()) std::cout << "\n     " << style_.green("instead: " + f.instead);
    std::cout << "\n";
  }

  bool json_;
  Style style_;
};

int run_guide(const GuideOptions& o) {
  Result<Playbook> pb = o.playbooks.load();
  if (!pb.ok()) return report_load_error(pb.status());
  const bool json = o.format == "jsonl" || (o.format == "auto" && !stdout_is_terminal());
  GuidePrinter out(json, json ? Style{} : style_for_stdout());

  std::ifstream file;
  if (o.input != "-") {
    file.open(o.input, std::ios::binary);
    if (!file) {
      std::cerr << "tact: " << o.input << ": cannot open\n";
      return kExitIo;
    }
  }
  std::istream& in = o.input == "-" ? std::cin : file;
  InputFormat format = o.input_format == "jsonl"  ? InputFormat::kJsonl
                       : o.input_format == "text" ? InputFormat::kText
                                                  : InputFormat::kAuto;
  if (format == InputFormat::kAuto)
    format = (in >> std::ws).peek() == '{' ? InputFormat::kJsonl : InputFormat::kText;
  const std::string source = o.input == "-" ? "stdin" : o.input;
  int rc = kExitOk;

  if (format == InputFormat::kText) {  // live: one line, one turn
    Session session = pb->start_session();
    const std::string call = source;
    for (std::string line; std::getline(in, line);) {
      Result<Call> c = read_text_transcript(line, call, pb->speaker_labels());
      for (const Turn& t : c->turns) {
        Result<Guidance> g = session.feed(t);
        if (!g.ok()) {
          std::cerr << "tact: " << source << ": " << g.status() << "\n";
          rc = kExitUsage;
          continue;
        }
        out.turn(call, t, *g);
      }
    }
    out.end(call, *session.finish());
    return rc;
  }
  read_raw_calls(in, source, InputFormat::kJsonl, [&](RawCall raw) {
    const Result<Call> call = parse_call(raw, pb->speaker_labels());
    if (!call.ok()) {
      std::cerr << "tact: " << raw.source << ": " << call.status() << "\n";
      rc = kExitUsage;
      return;
    }
    Session session = pb->start_session();
    for (const Turn& t : call->turns) {
      Result<Guidance> g = session.feed(t);
      if (g.ok()) out.turn(call->id, t, *g);
    }
    out.end(call->id, *session.finish());
  });
  return rc;
}

}  // namespace

Runner add_guide_command(CLI::App& app) {
  auto o = std::make_shared<GuideOptions>();
  CLI::App* cmd = app.add_subcommand(
      "guide",
      "Follow a call turn by turn: after each turn, the intent and stage, what to say next and "
      "what "
      "went wrong; at the end, the required steps that never happened.\n"
      "Reads a transcript file, or standard input line by line (type '客户:……' / '座席:……').");
  o->playbooks.add_to(cmd);
  cmd->add_option("input", o->input, "Transcript file, or - for standard input")
      ->capture_default_str();
  cmd->add_option("--format", o->format, "Output: text (default on a terminal) or jsonl")
      ->check(CLI::IsMember({"auto", "text", "jsonl"}));
  cmd->add_option("--input-format", o->input_format, "auto (default), text or jsonl")
      ->check(CLI::IsMember({"auto", "text", "jsonl"}));
  return [o] { return run_guide(*o); };
}

}  // namespace tact::cli

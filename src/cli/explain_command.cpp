// `tact explain -p PLAYBOOK… [--speaker agent] TEXT` or `--call FILE --turn N`: the turn as the
// patterns see it (normalised text, tokens, every atom hit) and, for each rule, whether it fired
// and which condition failed.
#include <fstream>
#include <iostream>
#include <map>

#include "cli/call_input.hpp"
#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/playbook_option.hpp"
#include "cli/terminal.hpp"
#include "common/utf8.hpp"
#include "tact/explain.hpp"

namespace tact::cli {
namespace {

struct ExplainOptions {
  PlaybookOption playbooks;
  std::string text;
  std::string speaker = "agent";
  std::string call;
  int turn = -1;
  std::string rule;
  bool all = false;
  bool json = false;
};

std::string shorten(const std::string& s, std::size_t max_code_points) {
  std::string out;
  std::size_t n = 0;
  bool cut_short = false;
  internal::for_each_code_point(s, [&](std::size_t b, std::size_t e, int c) {
    if (n++ == max_code_points) {
      cut_short = true;
      return false;
    }
    out.append(c == '\n' ? std::string_view(" ") : std::string_view(s).substr(b, e - b));
    return true;
  });
  return cut_short ? out + "…" : out;
}

struct Hit {
  std::string atom;
  Span span;
  std::string text;
};

std::vector<Hit> atom_hits(const TurnTrace& t, const std::string& text) {
  std::vector<Hit> out;
  const auto& tokens = t.match.normalized.tokens;
  for (std::size_t i = 0; i < t.match.atom_hits.size(); ++i) {
    const AtomHit& h = t.match.atom_hits[i];
    if (h.first_token >= tokens.size() || h.last_token >= tokens.size()) continue;
    const Span span{tokens[h.first_token].source_begin, tokens[h.last_token].source_end};
    out.push_back({t.hit_atoms[i], span, internal::code_point_slice(text, span.begin, span.end)});
  }
  return out;
}

bool came_close(const RuleTrace& r) {
  if (r.fired) return false;
  for (const ConditionCheck& c : r.checks) {
    // A condition that held beyond the speaker and bookkeeping: the rule was close to firing.
    if (c.held && c.what.rfind("speaker is", 0) != 0 && c.what.rfind("not ", 0) != 0 &&
        c.what.rfind("due ", 0) != 0)
      return true;
  }
  return false;
}

void print_json(const TurnTrace& t, const std::string& text, const std::vector<Hit>& hits,
                const std::map<std::string, std::string>& where) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("text").string(text);
  w.key("normalized").string(t.match.normalized.text);
  w.key("tokens").begin_array();
  for (const Token& tok : t.match.normalized.tokens) {
    w.begin_object();
    w.key("text").string(std::string_view(t.match.normalized.text).substr(tok.begin, tok.end - tok.begin));
    w.key("span").begin_array().number(tok.source_begin).number(tok.source_end).end_array();
    w.end_object();
  }
  w.end_array();
  w.key("hits").begin_array();
  for (const Hit& h : hits) {
    w.begin_object();
    w.key("atom").string(h.atom);
    w.key("text").string(h.text);
    w.key("span").begin_array().number(h.span.begin).number(h.span.end).end_array();
    w.end_object();
  }
  w.end_array();
  w.key("rules").begin_array();
  for (const RuleTrace& r : t.rules) {
    w.begin_object();
    w.key("rule").string(r.rule);
    w.key("kind").string(r.kind);
    auto it = where.find(r.rule);
    w.key("where").string(it == where.end() ? "" : it->second);
    w.key("fired").boolean(r.fired);
    w.key("checks").begin_array();
    for (const ConditionCheck& c : r.checks) {
      w.begin_object();
      w.key("condition").string(c.what);
      w.key("held").boolean(c.held);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("guidance").raw(guidance_line("", t.guidance));
  w.end_object();
  std::cout << out << "\n";
}

}  // namespace

Runner add_explain_command(CLI::App& app) {
  auto o = std::make_shared<ExplainOptions>();
  CLI::App* cmd = app.add_subcommand(
      "explain", "Show how a turn is normalised and matched, and why each rule fired or not");
  cmd->footer(
      "Examples:\n"
      "  tact explain -p rules '您先别生气，这个我们也没有办法'\n"
      "  tact explain -p rules --call tests/calls/seed_billing_bad.txt --turn 5\n"
      "  tact explain -p rules --rule deny_charge --speaker agent '我们是不会乱扣钱的'\n"
      "A single TEXT is the first turn of a call; use --call and --turn to see a turn in the\n"
      "context of the turns before it (conditions on earlier turns, signals, intents, stages).\n"
      "Exit codes: 0 some rule fired, 1 none did, 2 usage or an unreadable call, 3 a file\n"
      "cannot be read, 4 a playbook is invalid.");
  o->playbooks.add_to(cmd);
  cmd->add_option("text", o->text, "The utterance to explain");
  cmd->add_option("--speaker", o->speaker, "Who says TEXT")
      ->check(CLI::IsMember({"agent", "customer"}));
  cmd->add_option("--call", o->call, "A transcript (text or JSONL: its first call)");
  cmd->add_option("--turn", o->turn, "The turn of --call to explain (from 0)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--rule", o->rule, "Explain only this rule, with its full pattern");
  cmd->add_flag("--all", o->all, "List every rule, also those whose pattern did not hit");
  cmd->add_flag("--json", o->json, "One JSON object: tokens, hits, every rule with its checks");

  return [o]() -> int {
    if (o->call.empty() == o->text.empty()) {
      std::cerr << "tact explain: give either TEXT or --call FILE --turn N\n";
      return kExitUsage;
    }
    if (!o->call.empty() && o->turn < 0) {
      std::cerr << "tact explain: --call needs --turn N\n";
      return kExitUsage;
    }
    Result<Playbook> pb = o->playbooks.load();
    if (!pb.ok()) return report_load_error(pb.status());

    std::vector<Turn> earlier;
    Turn turn;
    std::string origin;
    if (o->call.empty()) {
      turn = Turn{o->speaker == "agent" ? Speaker::kAgent : Speaker::kCustomer, o->text,
                  std::nullopt, std::nullopt};
      origin = "first turn of a call";
    } else {
      std::ifstream in(o->call, std::ios::binary);
      if (!in) {
        std::cerr << "tact explain: cannot read " << o->call << "\n";
        return kExitIo;
      }
      std::optional<RawCall> first;
      read_raw_calls(in, o->call, InputFormat::kAuto, [&](RawCall raw) {
        if (!first) first = std::move(raw);
      });
      if (!first) {
        std::cerr << "tact explain: " << o->call << " holds no call\n";
        return kExitUsage;
      }
      Result<Call> call = parse_call(*first, pb->speaker_labels());
      if (!call.ok()) {
        std::cerr << "tact explain: " << first->source << ": " << call.status() << "\n";
        return kExitUsage;
      }
      const auto n = static_cast<std::size_t>(o->turn);
      if (n >= call->turns.size()) {
        std::cerr << "tact explain: " << o->call << " has " << call->turns.size()
                  << " turns (0 to " << (call->turns.empty() ? 0 : call->turns.size() - 1)
                  << "); --turn " << o->turn << " is not one of them\n";
        return kExitUsage;
      }
      earlier.assign(call->turns.begin(), call->turns.begin() + static_cast<std::ptrdiff_t>(n));
      turn = call->turns[n];
      origin = "turn " + std::to_string(n) + " of " + o->call;
    }

    Result<TurnTrace> trace = explain_turn(*pb, earlier, turn);
    if (!trace.ok()) {
      std::cerr << "tact explain: " << trace.status() << "\n";
      return kExitUsage;
    }
    std::map<std::string, std::string> where;
    for (const Playbook::RuleSummary& r : pb->rules())
      where[r.id] = r.file + ":" + std::to_string(r.line);
    if (!o->rule.empty() && !where.count(o->rule)) {
      std::cerr << "tact explain: no rule '" << o->rule << "' in the loaded playbooks\n";
      return kExitUsage;
    }
    std::vector<Hit> hits = atom_hits(*trace, turn.text);
    bool any_fired = false;
    for (const RuleTrace& r : trace->rules) any_fired = any_fired || r.fired;

    if (o->json) {
      print_json(*trace, turn.text, hits, where);
      return any_fired ? kExitOk : kExitNoMatch;
    }

    const Style style = style_for_stdout();
    const auto& norm = trace->match.normalized;
    std::string tokens;
    for (const Token& t : norm.tokens)
      tokens += (tokens.empty() ? "" : " ") + norm.text.substr(t.begin, t.end - t.begin);
    std::cout << style.dim("turn        ") << speaker_name(turn.speaker) << ", " << origin << "\n"
              << style.dim("text        ") << turn.text << "\n"
              << style.dim("normalised  ") << norm.text << "\n"
              << style.dim("tokens      ") << tokens << style.dim("  (" + std::to_string(norm.tokens.size()) + ")")
              << "\n"
              << style.dim("hits        ");
    if (hits.empty()) std::cout << "none";
    for (std::size_t i = 0; i < hits.size(); ++i) {
      std::cout << (i ? "\n            " : "") << hits[i].text << " [" << hits[i].span.begin
                << "," << hits[i].span.end << ")  " << style.dim(hits[i].atom);
    }
    std::cout << "\n";

    auto print_rule = [&](const RuleTrace& r, bool full) {
      const std::string mark = r.fired ? style.green("✓") : style.red("✗");
      std::cout << "  " << mark << " " << r.kind << " " << style.bold(r.rule) << "  "
                << style.dim(where[r.rule]) << "\n";
      for (const ConditionCheck& c : r.checks) {
        std::cout << "      " << (c.held ? style.green("✓") : style.red("✗")) << " "
                  << (full ? c.what : shorten(c.what, 90)) << "\n";
      }
    };
    if (!o->rule.empty()) {
      for (const RuleTrace& r : trace->rules) {
        if (r.rule == o->rule) print_rule(r, true);
      }
      return any_fired ? kExitOk : kExitNoMatch;
    }
    std::size_t quiet = 0;
    std::cout << "\n" << style.bold("fired") << "\n";
    for (const RuleTrace& r : trace->rules) {
      if (r.fired) print_rule(r, false);
    }
    std::cout << "\n" << style.bold("not fired") << "\n";
    for (const RuleTrace& r : trace->rules) {
      if (r.fired) continue;
      if (o->all || came_close(r))
        print_rule(r, false);
      else
        ++quiet;
    }
    if (quiet) {
      std::cout << style.dim("  … and " + std::to_string(quiet) +
                             " rules whose pattern did not hit this turn (--all lists them)")
                << "\n";
    }
    return any_fired ? kExitOk : kExitNoMatch;
  };
}

}  // namespace tact::cli

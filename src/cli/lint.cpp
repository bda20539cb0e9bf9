#include "cli/lint.hpp"

#include <algorithm>
#include <deque>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "playbook/yaml.hpp"
#include "tact/explain.hpp"
#include "tact/playbook.hpp"

namespace tact::cli {
namespace {

using internal::YamlEntry;
using internal::YamlNode;
using internal::YamlPos;

const YamlNode* get(const YamlNode& map, std::string_view key) {
  if (!map.is_map()) return nullptr;
  const YamlEntry* e = map.find(key);
  return e ? &e->value : nullptr;
}

std::string text_of(const YamlNode* n) { return n && n->is_scalar() ? n->scalar : std::string(); }

/// A canonical one-line rendering of a node, to compare conditions.
std::string canonical(const YamlNode* n) {
  if (!n) return "~";
  switch (n->kind) {
    case YamlNode::Kind::kNull:
      return "~";
    case YamlNode::Kind::kScalar: {
      std::string out;
      bool space = false;
      for (char c : n->scalar) {
        if (c == ' ' || c == '\n' || c == '\t') {
          space = !out.empty();
        } else {
          if (space) out += ' ';
          space = false;
          out += c;
        }
      }
      return out;
    }
    case YamlNode::Kind::kSequence: {
      std::string out = "[";
      for (const YamlNode& i : n->items) out += canonical(&i) + ",";
      return out + "]";
    }
    case YamlNode::Kind::kMap: {
      std::vector<std::string> parts;
      for (const YamlEntry& e : n->entries) parts.push_back(e.key + ":" + canonical(&e.value));
      std::sort(parts.begin(), parts.end());
      std::string out = "{";
      for (const std::string& p : parts) out += p + ",";
      return out + "}";
    }
  }
  return "";
}

struct Text {
  YamlNode node;  // the scalar: its text, position and how it was written
  std::string file;
  const std::string& text() const { return node.scalar; }
  const YamlPos& pos() const { return node.pos; }
  // A warning about byte `i` of the scalar, located in the file.
  LintProblem warning_at(std::size_t i, std::string check, std::string message,
                         std::string hint) const {
    const YamlPos at = position_of(i);
    return {file, at.line, at.column, "warning", std::move(check), "", std::move(message),
            std::move(hint)};
  }
  YamlPos position_of(std::size_t i) const {
    std::uint32_t cps = 0;
    for (std::size_t k = 0; k < i && k < text().size(); ++k)
      cps += (static_cast<unsigned char>(text()[k]) & 0xC0) != 0x80 ? 1 : 0;
    return internal::scalar_position(node, cps);
  }
};

struct Rule {
  std::string kind;  // signal, forbid, require, recommend
  std::string id;
  std::string file;
  YamlPos pos;
  std::string intent;     // the intent it belongs to, if any
  std::string condition;  // canonical condition, to find shadowed rules
  bool has_tags = false;
  bool fired_by_intent = false;   // a signal with no condition of its own, never a finding
  std::vector<Text> suggestions;  // `say` and `instead`: what agents are told to say
};

struct Stage {
  std::string intent;
  std::string id;
  std::string file;
  YamlPos pos;
  const YamlNode* done = nullptr;
};

struct Walk {
  std::vector<Rule> rules;
  std::vector<Stage> stages;
  std::map<std::string, std::pair<std::string, YamlPos>> lexicons;  // name -> where
  std::vector<Text> fillers;
  std::vector<Text> pattern_texts;  // every pattern, with its position
  std::string file;                 // the file being walked
};

constexpr std::string_view kConditionKeys[] = {"speaker", "match", "after", "signal",
                                               "intent",  "stage", "position"};

void add_pattern(const YamlNode& n, Walk& w) {
  if (!n.is_scalar()) return;
  w.pattern_texts.push_back({n, w.file});
}

/// The patterns under `n`: values of `match` and `done_when` keys at any depth (not `say`,
/// `reason` and other prose).
void collect_patterns(const YamlNode& n, Walk& w) {
  for (const YamlNode& i : n.items) collect_patterns(i, w);
  for (const YamlEntry& e : n.entries) {
    if (e.key == "match" || e.key == "done_when")
      add_pattern(e.value, w);
    else
      collect_patterns(e.value, w);
  }
}

void walk_rules(const YamlNode* list, const std::string& kind, const std::string& file,
                const std::string& intent, Walk& w) {
  if (!list || !list->is_sequence()) return;
  for (const YamlNode& n : list->items) {
    if (!n.is_map()) continue;
    Rule r;
    r.kind = kind;
    r.file = file;
    r.intent = intent;
    const YamlNode* id = get(n, "id");
    r.id = text_of(id);
    r.pos = id ? id->pos : n.pos;
    r.has_tags = get(n, "tags") != nullptr;
    r.fired_by_intent = kind == "signal" && get(n, "fired_by") != nullptr;
    std::string condition = kind + "|" + intent;
    for (std::string_view key : kConditionKeys) {
      const YamlNode* direct = get(n, key);
      const YamlNode* when = get(n, "when");
      const YamlNode* nested = when ? get(*when, key) : nullptr;
      condition += "|" + std::string(key) + "=" + canonical(direct ? direct : nested);
    }
    if (kind == "require") condition += "|by=" + canonical(get(n, "by"));
    condition += "|model=" + canonical(get(n, "model"));  // a learned cue fires a rule too
    r.condition = condition;
    for (const char* key : {"say", "instead"}) {
      if (const YamlNode* s = get(n, key); s && s->is_scalar()) r.suggestions.push_back({*s, file});
    }
    w.rules.push_back(std::move(r));
  }
}

void walk_file(const YamlNode& root, const std::string& file, Walk& w) {
  if (!root.is_map()) return;
  w.file = file;
  if (const YamlNode* lex = get(root, "lexicons"); lex && lex->is_map()) {
    for (const YamlEntry& e : lex->entries) {
      w.lexicons.emplace(e.key, std::make_pair(file, e.key_pos));
      add_pattern(e.value, w);  // a single entry
      for (const YamlNode& entry : e.value.items) add_pattern(entry, w);
    }
  }
  if (const YamlNode* norm = get(root, "normalize")) {
    if (const YamlNode* fillers = get(*norm, "fillers"); fillers && fillers->is_sequence()) {
      for (const YamlNode& f : fillers->items) {
        if (f.is_scalar()) w.fillers.push_back({f, file});
      }
    }
  }
  for (const char* key : {"signals", "forbid", "require", "recommend"}) {
    const std::string kind = std::string(key) == "signals" ? "signal" : key;
    walk_rules(get(root, key), kind, file, "", w);
  }
  for (const char* key : {"signals", "forbid", "require", "recommend"}) {
    if (const YamlNode* n = get(root, key)) collect_patterns(*n, w);
  }
  const YamlNode* intent = get(root, "intent");
  if (!intent || !intent->is_map()) return;
  collect_patterns(*intent, w);
  std::string id = text_of(get(*intent, "id"));
  if (id.empty()) id = text_of(get(root, "id"));
  for (const char* key : {"forbid", "require", "recommend"}) walk_rules(get(*intent, key), key, file, id, w);
  const YamlNode* stages = get(*intent, "stages");
  if (!stages || !stages->is_sequence()) return;
  for (const YamlNode& s : stages->items) {
    if (!s.is_map()) continue;
    Stage st{id, text_of(get(s, "id")), file, s.pos, get(s, "done_when")};
    if (const YamlNode* sid = get(s, "id")) st.pos = sid->pos;
    w.stages.push_back(st);
    const YamlNode* recs = get(s, "recommend");
    if (!recs || !recs->is_sequence()) continue;
    std::size_t k = 0;
    for (const YamlNode& r : recs->items) {
      ++k;
      if (!r.is_map()) continue;
      Rule rule;
      rule.kind = "recommend";
      rule.file = file;
      rule.intent = id;
      const YamlNode* rid = get(r, "id");
      rule.id = rid ? text_of(rid) : id + "." + st.id + "." + std::to_string(k);
      rule.pos = rid ? rid->pos : r.pos;
      rule.has_tags = get(r, "tags") != nullptr;
      rule.condition = "stage-recommend|" + id + "|" + st.id + "|" + std::to_string(k);
      if (const YamlNode* say = get(r, "say"); say && say->is_scalar())
        rule.suggestions.push_back({*say, file});
      w.rules.push_back(std::move(rule));
    }
  }
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// Whether `word` (ASCII) occurs in `text` as a whole word, ignoring ASCII case.
bool has_word(const std::string& text, const std::string& word) {
  for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
    std::size_t k = 0;
    while (k < word.size() && lower(text[i + k]) == lower(word[k])) ++k;
    if (k < word.size()) continue;
    const bool start = i == 0 || !is_name_char(text[i - 1]);
    const std::size_t e = i + word.size();
    const bool end = e == text.size() || (!is_name_char(text[e]) && text[e] != '*');
    if (start && end) return true;
  }
  return false;
}

void check_lexicons(const Walk& w, std::vector<LintProblem>& out) {
  std::set<std::string> used;
  for (const Text& pattern : w.pattern_texts) {
    const std::string& p = pattern.text();
    for (std::size_t at = p.find('@'); at != std::string::npos; at = p.find('@', at + 1)) {
      std::size_t e = at + 1;
      while (e < p.size() && is_name_char(p[e])) ++e;
      used.insert(p.substr(at + 1, e - at - 1));
    }
  }
  for (const auto& [name, where] : w.lexicons) {
    if (used.count(name)) continue;
    out.push_back({where.first, where.second.line, where.second.column, "warning", "unused-lexicon",
                   name, "lexicon '" + name + "' is never used",
                   "refer to it as @" + name + " in a pattern, or delete it"});
  }
}

// A filler is dropped from patterns too: one that is part of a word in some pattern (额 in 全额)
// silently changes that pattern.
void check_fillers(const Walk& w, std::vector<LintProblem>& out) {
  for (const Text& f : w.fillers) {
    if (f.text().empty()) continue;
    // A Latin filler counts as a whole word; an ideograph anywhere in a longer phrase.
    const bool latin = static_cast<unsigned char>(f.text()[0]) < 0x80;
    for (const Text& p : w.pattern_texts) {
      if (p.text() == f.text()) continue;
      if (latin ? !has_word(p.text(), f.text()) : p.text().find(f.text()) == std::string::npos)
        continue;
      out.push_back(
          {p.file, p.pos().line, p.pos().column, "warning", "filler-in-pattern", f.text(),
           "filler '" + f.text() + "' is also dropped from this pattern, which contains it",
           "remove '" + f.text() + "' from normalize.fillers (" + f.file + ":" +
               std::to_string(f.pos().line) + "), or rewrite the pattern"});
    }
  }
}

// Calls f(i, quote) for each byte i of pattern text `t` that neither opens nor closes a quoted
// phrase or /regex/ nor is escaped inside one: `quote` is '"' inside a phrase, '/' inside a
// regex, 0 outside. Stops when f returns false.
template <typename F>
void for_each_char(const std::string& t, F f) {
  char quote = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (quote) {
      if (c == '\\') {
        ++i;
        continue;
      }
      if (c == quote) {
        quote = 0;
        continue;
      }
    } else {
      const bool distance = c == '/' && ((i >= 4 && t.compare(i - 4, 4, "NEAR") == 0) ||
                                         (i >= 6 && t.compare(i - 6, 6, "BEFORE") == 0));
      if (c == '"' || (c == '/' && !distance)) {
        quote = c;
        continue;
      }
    }
    if (!f(i, quote)) return;
  }
}

// For each pattern text, a warning at the first character `found(t, i, quote)` picks (quote as
// in for_each_char), made by `warn(text, i)`: one per pattern is enough to point at the habit.
template <typename Found, typename Warn>
void warn_at_first(const Walk& w, std::vector<LintProblem>& out, Found found, Warn warn) {
  for (const Text& p : w.pattern_texts) {
    const std::string& t = p.text();
    for_each_char(t, [&](std::size_t i, char quote) {
      if (!found(t, i, quote)) return true;
      out.push_back(warn(p, i));
      return false;
    });
  }
}

// Outside quotes and /regexes/, '?' and '+' are separators like any symbol, so "(你们)? 总部"
// means 你们总部, not an optional 你们: the habit of regular expressions misleads here.
void check_regex_habits(const Walk& w, std::vector<LintProblem>& out) {
  warn_at_first(
      w, out,
      [](const std::string& t, std::size_t i, char quote) {
        return !quote && (t[i] == '?' || t[i] == '+') && i > 0 && t[i - 1] != ' ';
      },
      [](const Text& p, std::size_t i) {
        const char c = p.text()[i];
        return p.warning_at(i, "regex-habit",
                            std::string("'") + c + "' is not an operator here: outside quotes " +
                                "it only separates words, so the part before it is required",
                            c == '?' ? "for an optional part write both forms: (找 | 找你们) 总部"
                                     : "for repetition, use a /regular expression/");
      });
}

// Inside quotes a '*' is a symbol like any other, a separator, not a prefix: "auto-renew*"
// matches "auto renew" but never "auto-renewed".
void check_quoted_stars(const Walk& w, std::vector<LintProblem>& out) {
  warn_at_first(
      w, out,
      [](const std::string& t, std::size_t i, char quote) { return quote == '"' && t[i] == '*'; },
      [](const Text& p, std::size_t i) {
        return p.warning_at(i, "quoted-star",
                            "'*' inside quotes is no prefix: like any symbol there it only "
                            "separates words, so the word before it must be whole",
                            "put the prefix outside the quotes: \"auto\" renew*, or auto-renew*");
      });
}

// YAML keeps a '# ...' line inside a block scalar (match: >-) as text, so a comment written
// there becomes words of the pattern, which must then occur too: the pattern quietly stops
// matching. Outside quotes a '#' has no other use.
void check_hash_comments(const Walk& w, std::vector<LintProblem>& out) {
  warn_at_first(
      w, out,
      [](const std::string& t, std::size_t i, char quote) { return !quote && t[i] == '#'; },
      [](const Text& p, std::size_t i) {
        return p.warning_at(i, "hash-in-pattern",
                            "'#' is no comment inside a pattern: in a block scalar (>-, |) YAML "
                            "keeps the line as text, so its words become part of the pattern",
                            "move the comment above the key (match:, done_when:)");
      });
}

// Normalisation joins letters across an apostrophe (we'll -> well), so a phrase in which an
// apostrophe starts or ends a word ("'ll definitely", "dogs' ") looks for a word that never
// occurs.
void check_apostrophes(const Walk& w, std::vector<LintProblem>& out) {
  auto letter = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c & 0x80) != 0;
  };
  for (const Text& p : w.pattern_texts) {
    const std::string& t = p.text();
    for (std::size_t i = 0; i < t.size(); ++i) {
      std::size_t width = 0;
      if (t[i] == '\'')
        width = 1;
      else if (t.compare(i, 3, "\u2019") == 0)
        width = 3;
      if (width == 0) continue;
      const bool before = i > 0 && letter(t[i - 1]) && t[i - 1] != '\'';
      const bool after = i + width < t.size() && letter(t[i + width]);
      if (before == after) continue;
      out.push_back(p.warning_at(i, "apostrophe",
                                 "an apostrophe that starts or ends a word never matches: text is "
                                 "normalised with letters joined across apostrophes (we'll "
                                 "becomes well)",
                                 "write whole words: \"we'll definitely\", not \"'ll "
                                 "definitely\""));
      break;
    }
  }
}

void check_tags(const Walk& w, std::vector<LintProblem>& out) {
  for (const Rule& r : w.rules) {
    if (r.has_tags || r.kind == "recommend" || r.fired_by_intent) continue;
    out.push_back({r.file, r.pos.line, r.pos.column, "warning", "no-tags", r.id,
                   r.kind + " " + r.id + " has no tags",
                   "add tags from shared/TAXONOMY.md, e.g. tags: [deflect]; QA reports group findings by tag"});
  }
}

void check_shadowed(const Walk& w, std::vector<LintProblem>& out) {
  std::map<std::string, const Rule*> first;
  for (const Rule& r : w.rules) {
    if (r.kind == "recommend" || r.fired_by_intent) continue;  // the intents that fire it differ
    auto [it, inserted] = first.emplace(r.condition, &r);
    if (inserted) continue;
    const Rule& a = *it->second;
    out.push_back({r.file, r.pos.line, r.pos.column, "warning", "shadowed", r.id,
                   r.kind + " " + r.id + " has the same condition as " + a.id + " (" + a.file + ":" +
                       std::to_string(a.pos.line) + "), so it fires exactly when " + a.id + " does",
                   "merge the two rules, or change the condition of one"});
  }
}

bool only_negation(const std::string& pattern) {
  const auto b = pattern.find_first_not_of(" \t\n");
  if (b == std::string::npos) return false;
  const bool negated = pattern[b] == '!' || pattern.compare(b, 4, "NOT ") == 0;
  return negated && pattern.find('&') == std::string::npos &&
         pattern.find('|') == std::string::npos && pattern.find(" AND ") == std::string::npos &&
         pattern.find(" OR ") == std::string::npos;
}

void check_stages(const Walk& w, std::vector<LintProblem>& out) {
  for (std::size_t i = 0; i < w.stages.size(); ++i) {
    const Stage& s = w.stages[i];
    const bool last = i + 1 == w.stages.size() || w.stages[i + 1].intent != s.intent ||
                      w.stages[i + 1].file != s.file;
    if (!s.done && !last) {
      out.push_back({s.file, s.pos.line, s.pos.column, "error", "stage-never-done", s.intent + "/" + s.id,
                     "stage " + s.id + " of " + s.intent +
                         " has no done_when, so the stages after it can never become current",
                     "give it a done_when pattern (what the agent says to complete it)"});
      continue;
    }
    if (!s.done) continue;
    const std::string text = canonical(s.done);
    if (s.done->is_scalar() && only_negation(s.done->scalar)) {
      out.push_back({s.file, s.done->pos.line, s.done->pos.column, "warning", "stage-done-too-easily",
                     s.intent + "/" + s.id,
                     "stage " + s.id + " of " + s.intent +
                         " is done by a pattern that is only a negation: almost any agent turn completes it",
                     "say what the agent must say, e.g. 请问 NEAR/8 (哪里 | 什么时候)"});
    }
    for (std::size_t j = 0; j < i; ++j) {
      const Stage& earlier = w.stages[j];
      if (earlier.intent != s.intent || earlier.file != s.file || !earlier.done) continue;
      if (canonical(earlier.done) != text) continue;
      out.push_back({s.file, s.done->pos.line, s.done->pos.column, "warning", "stage-never-current",
                     s.intent + "/" + s.id,
                     "stage " + s.id + " of " + s.intent + " is done by the same pattern as stage " +
                         earlier.id + ", so it completes together with it and is never current",
                     "give each stage its own done_when"});
      break;
    }
  }
}

void check_contradictions(const Playbook& pb, const Walk& w, std::vector<LintProblem>& out) {
  std::map<std::string, const Rule*> forbids;
  for (const Rule& r : w.rules) {
    if (r.kind == "forbid") forbids.emplace(r.id, &r);
  }
  for (const Rule& r : w.rules) {
    for (const Text& say : r.suggestions) {
      Result<TurnTrace> t =
          explain_turn(pb, {}, Turn{Speaker::kAgent, say.text(), std::nullopt, std::nullopt});
      if (!t.ok()) continue;
      for (const RuleTrace& f : t->rules) {
        if (f.kind != "forbid") continue;
        const bool matched = std::any_of(f.checks.begin(), f.checks.end(), [](const ConditionCheck& c) {
          return c.held && c.what.rfind("match ", 0) == 0;
        });
        if (!matched) continue;
        auto it = forbids.find(f.rule);
        const std::string where =
            it == forbids.end() ? "" : " (" + it->second->file + ":" + std::to_string(it->second->pos.line) + ")";
        out.push_back(
            {r.file, say.pos().line, say.pos().column, "error", "contradiction", r.id,
             r.kind + " " + r.id + " tells agents to say what forbid " + f.rule + where + " flags",
             "reword the suggestion, or narrow forbid " + f.rule + " with & !(...)"});
      }
    }
  }
}

std::string read(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

const std::vector<LintCheck>& lint_checks() {
  static const std::vector<LintCheck> checks = {
      {"load", "error",
       "the playbooks do not load: YAML, schema, ids, lexicon references, patterns"},
      {"io", "error", "a playbook file cannot be read"},
      {"contradiction", "error",
       "a recommendation or an `instead` suggestion that a forbid rule flags"},
      {"stage-never-done", "error",
       "a stage without done_when before other stages: they are unreachable"},
      {"stage-never-current", "warning", "a stage done by the same pattern as an earlier stage"},
      {"stage-done-too-easily", "warning", "a stage done by a pattern that is only a negation"},
      {"shadowed", "warning", "a rule with the same condition as an earlier rule of its kind"},
      {"unused-lexicon", "warning", "a lexicon no pattern refers to"},
      {"no-tags", "warning", "a signal, forbid or require rule without tags"},
      {"filler-in-pattern", "warning",
       "a filler word that also occurs inside a pattern, which loses it"},
      {"regex-habit", "warning",
       "'?' or '+' outside quotes and /regexes/, where it is no operator"},
      {"apostrophe", "warning", "an apostrophe starting or ending a word, which never matches"},
      {"quoted-star", "warning", "a '*' inside a quoted phrase, which is no prefix there"},
      {"hash-in-pattern", "warning", "a '#' outside quotes in a pattern: a comment kept as text"},
  };
  return checks;
}

std::vector<LintProblem> lint_playbooks(const std::vector<std::string>& paths) {
  std::vector<LintProblem> out;
  Result<std::vector<std::string>> found = Playbook::files(paths);
  if (!found.ok()) {
    const SourceLocation& at = found.status().where();
    out.push_back({at.file, 0, 0, "error", "io", "", found.status().message(), ""});
    return out;
  }
  const std::vector<std::string>& files = *found;
  // Each file is read once: its tree feeds the checks here, its text the loader's.
  std::vector<std::pair<std::string, std::string>> texts;
  for (const std::string& f : files) {
    bool ok = false;
    std::string bytes = read(f, ok);
    if (ok)
      texts.emplace_back(f, std::move(bytes));
    else
      out.push_back({f, 0, 0, "error", "io", "", "cannot read the file", ""});
  }
  Walk walk;
  std::deque<YamlNode> roots;  // the walk points into the trees
  for (const auto& [file, bytes] : texts) {
    Result<YamlNode> root = internal::parse_yaml(bytes, file);
    if (!root.ok()) continue;  // reported by the load check below, with its position
    walk_file(roots.emplace_back(std::move(*root)), file, walk);
  }
  // Compile once; only when that fails, go through again collecting every error. With a file
  // unread (reported above) the loader's verdict would be about the others only: skip it.
  const bool all_read = texts.size() == files.size();
  Result<Playbook> pb = Playbook::parse(texts);
  if (all_read && !pb.ok()) {
    for (const Status& e : Playbook::check(texts)) {
      const SourceLocation& at = e.where();
      out.push_back({at.file, at.line, at.column, "error", "load", "", e.message(),
                     "tact cannot load the playbooks until this is fixed"});
    }
  }
  check_lexicons(walk, out);
  check_tags(walk, out);
  check_fillers(walk, out);
  check_regex_habits(walk, out);
  check_apostrophes(walk, out);
  check_quoted_stars(walk, out);
  check_hash_comments(walk, out);
  check_shadowed(walk, out);
  check_stages(walk, out);
  if (all_read && pb.ok()) check_contradictions(*pb, walk, out);
  std::stable_sort(out.begin(), out.end(), [](const LintProblem& a, const LintProblem& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
  return out;
}

}  // namespace tact::cli

// Playbook files -> Playbook::Impl. Two passes over the parsed YAML: first the names every file
// may refer to (lexicons, signals, intents and their stages, speaker labels), then the rules,
// whose patterns all go into one Matcher. Any error fails the whole load.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <type_traits>

#include "playbook/model.hpp"
#include "playbook/relevance.hpp"
#include "playbook/schema.hpp"
#include "playbook/yaml.hpp"
#include "tact/normalize.hpp"
#include "tact/playbook.hpp"
#include "tact/session.hpp"

namespace tact {
namespace {

using namespace internal;

struct Document {
  std::string file;
  YamlNode root;
};

const std::vector<std::string_view> kConditionKeys = {"speaker", "match", "after",   "signal",
                                                      "intent",  "stage", "position"};

Severity parse_severity(const Fields& f, Severity fallback) {
  const std::optional<std::string> s = f.text("severity");
  if (!s) return fallback;
  if (*s == "info") return Severity::kInfo;
  if (*s == "minor") return Severity::kMinor;
  if (*s == "major") return Severity::kMajor;
  if (*s == "critical") return Severity::kCritical;
  throw SchemaError{
      f.get("severity")->pos,
      f.what() + " severity: expected info, minor, major or critical, found '" + *s + "'"};
}

Speaker parse_speaker(const YamlNode& n, std::string_view what) {
  const std::string& s = scalar_of(n, what);
  if (s == "agent") return Speaker::kAgent;
  if (s == "customer") return Speaker::kCustomer;
  if (s == "any") return Speaker::kUnknown;
  throw SchemaError{n.pos,
                    std::string(what) + ": expected agent, customer or any, found '" + s + "'"};
}

Window parse_window(const YamlNode& n, std::string_view what) {
  Fields f(n, std::string(what), {"turns", "seconds"});
  Window w;
  if (auto t = f.integer("turns", 0, 1000000)) w.turns = static_cast<std::int32_t>(*t);
  if (auto s = f.number("seconds", 0)) w.seconds = *s;
  if (w.turns < 0 && w.seconds < 0)
    throw SchemaError{n.pos, std::string(what) + ": give turns or seconds"};
  return w;
}

class Loader {
 public:
  Status add(std::string file, std::string_view text) {
    Result<YamlNode> root = parse_yaml(text, file);
    if (!root.ok()) return root.status();
    docs_.push_back({std::move(file), std::move(*root)});
    return Status();
  }

  /// In checking mode an error in one rule is recorded and loading goes on with the next rule
  /// (or the next file, for an error in a file's structure), to report as many as possible.
  void collect_errors(std::vector<Status>* errors) { errors_ = errors; }

  Result<std::shared_ptr<const Playbook::Impl>> finish() {
    try {
      std::vector<bool> named(docs_.size(), true);
      for (std::size_t i = 0; i < docs_.size(); ++i) {
        file_ = docs_[i].file;
        named[i] = guarded([&] { collect_names(docs_[i].root); });
      }
      builder_.emplace(lexicons_, MatcherLimits{}, fillers_);
      for (std::size_t i = 0; i < docs_.size(); ++i) {
        file_ = docs_[i].file;
        if (named[i]) guarded([&] { build_rules(docs_[i].root); });
      }
    } catch (const SchemaError& e) {
      return located(e);
    }
    if (errors_ && !errors_->empty()) return errors_->front();
    if (Status s = add_speaker_subsets(); !s.ok()) return s;
    Result<Matcher> m = std::move(*builder_).build();
    if (!m.ok()) return m.status();
    impl_->matcher.emplace(std::move(*m));
    impl_->lexicons = std::move(lexicons_);
    impl_->models = internal::TextModelSet(std::move(models_));
    return std::shared_ptr<const Playbook::Impl>(std::move(impl_));
  }

 private:
  // Each speaker's turns are matched against the patterns they can make a difference to.
  Status add_speaker_subsets() {
    internal::SpeakerSubsets subsets = internal::speaker_subsets(*impl_, patterns_.size());
    Result<std::uint32_t> agent = builder_->add_subset(std::move(subsets.agent));
    if (!agent.ok()) return agent.status();
    Result<std::uint32_t> customer = builder_->add_subset(std::move(subsets.customer));
    if (!customer.ok()) return customer.status();
    impl_->agent_subset = *agent;
    impl_->customer_subset = *customer;
    return Status();
  }

  // ---- pass 1: names ----
  void collect_names(const YamlNode& root) {
    Fields f(root, "playbook",
             {"tact", "id", "title", "description", "normalize", "speakers", "lexicons", "models",
              "signals", "forbid", "require", "recommend", "intent", "tests"});
    const std::int64_t version = f.integer("tact", 1, 1000).value_or(0);
    if (version != 1) {
      const YamlNode* v = f.get("tact");
      throw SchemaError{v ? v->pos : root.pos,
                        version == 0
                            ? "playbook: missing required key 'tact' (the format version: tact: 1)"
                            : "playbook: format version " + std::to_string(version) +
                                  " is not supported (this tact reads version 1)"};
    }
    f.required_text("id");
    if (const YamlNode* norm = f.get("normalize")) {
      Fields nf(*norm, "normalize", {"fillers"});
      if (const YamlNode* list = nf.get("fillers")) {
        const std::vector<std::string> words = nf.text_list("fillers");
        for (std::size_t i = 0; i < words.size(); ++i) {
          if (Normalizer::standard().normalize(words[i]).tokens.size() != 1) {
            const YamlPos at = list->is_sequence() ? list->items[i].pos : list->pos;
            throw SchemaError{at, "normalize fillers: '" + words[i] +
                                      "' must be one word or character after normalisation"};
          }
          if (std::find(fillers_.begin(), fillers_.end(), words[i]) == fillers_.end()) {
            fillers_.push_back(words[i]);
          }
        }
      }
    }
    if (const YamlNode* lex = f.get("lexicons")) {
      if (!lex->is_map())
        throw SchemaError{lex->pos, "lexicons: expected a mapping of name: [phrases]"};
      for (const YamlEntry& e : lex->entries) {
        if (lexicons_.count(e.key))
          throw SchemaError{e.key_pos, "lexicon '" + e.key + "' is defined twice"};
        std::vector<std::string> phrases;
        if (e.value.is_scalar()) {
          phrases.push_back(e.value.scalar);
        } else if (e.value.is_sequence()) {
          for (const YamlNode& p : e.value.items)
            phrases.push_back(scalar_of(p, "lexicon '" + e.key + "'"));
        } else {
          throw SchemaError{e.value.pos, "lexicon '" + e.key + "': expected a list of phrases"};
        }
        lexicons_.emplace(e.key, std::move(phrases));
      }
    }
    if (const YamlNode* models = f.get("models")) load_models(*models);
    if (const YamlNode* sp = f.get("speakers")) {
      Fields s(*sp, "speakers", {"agent", "customer"});
      for (const std::string& label : s.text_list("agent")) impl_->labels[label] = Speaker::kAgent;
      for (const std::string& label : s.text_list("customer"))
        impl_->labels[label] = Speaker::kCustomer;
    }
    if (const YamlNode* signals = f.get("signals")) {
      for (const YamlNode& s : list(*signals, "signals")) {
        const YamlEntry* id = s.is_map() ? s.find("id") : nullptr;
        if (!id) throw SchemaError{s.pos, "signal: missing required key 'id'"};
        signal_ids_.emplace(scalar_of(id->value, "signal id"),
                            static_cast<std::int32_t>(signal_ids_.size()));
      }
    }
    if (const YamlNode* intent = f.get("intent")) {
      const YamlEntry* id = intent->is_map() ? intent->find("id") : nullptr;
      const std::string name = id ? scalar_of(id->value, "intent id") : f.required_text("id");
      if (intent_ids_.count(name))
        throw SchemaError{intent->pos, "intent '" + name + "' is defined twice"};
      intent_ids_.emplace(name, static_cast<std::int32_t>(intent_ids_.size()));
      if (intent->is_map() && intent->find("yields_to")) yielding_.insert(name);
      std::map<std::string, std::int32_t> stages;
      if (const YamlEntry* st = intent->is_map() ? intent->find("stages") : nullptr) {
        for (const YamlNode& s : list(st->value, "stages")) {
          const YamlEntry* sid = s.is_map() ? s.find("id") : nullptr;
          if (!sid) throw SchemaError{s.pos, "stage: missing required key 'id'"};
          const std::string& stage = scalar_of(sid->value, "stage id");
          if (!stages.emplace(stage, static_cast<std::int32_t>(stages.size())).second) {
            throw SchemaError{sid->value.pos,
                              "stage '" + stage + "' is defined twice in intent '" + name + "'"};
          }
        }
      }
      stage_ids_.push_back(std::move(stages));
    }
  }

  // `models: {anger: models/anger.json}`: learned cues, their files relative to the playbook's.
  void load_models(const YamlNode& models) {
    if (!models.is_map())
      throw SchemaError{models.pos, "models: expected a mapping of name: model file"};
    for (const YamlEntry& e : models.entries) {
      if (model_ids_.count(e.key))
        throw SchemaError{e.key_pos, "model '" + e.key + "' is defined twice"};
      const std::string& file = scalar_of(e.value, "model '" + e.key + "'");
      std::filesystem::path path(file);
      if (path.is_relative()) path = std::filesystem::path(file_).parent_path() / path;
      Result<TextModel> m = TextModel::load(path.string());
      if (!m.ok()) {
        // A model that cannot be read is the playbook's error; a malformed one, the model's.
        if (m.status().code() == ErrorCode::kIo)
          throw SchemaError{e.value.pos, "model '" + e.key + "': cannot open " + path.string(),
                            ErrorCode::kIo};
        const Status& s = m.status();
        throw SchemaError{
            {s.where().line, s.where().column}, s.message(), s.code(), s.where().file};
      }
      model_ids_.emplace(e.key, static_cast<std::int32_t>(models_.size()));
      models_.push_back(std::move(*m));
    }
  }

  // A signal or forbid rule fires from its `match`, its `model`, or both; it needs one.
  // `model:` is one cue or a list of them (`[{id: anger, above: 0.8}, anger_en]`).
  void match_or_model(const Fields& f, const YamlNode& rule, const std::string& what,
                      const Condition& when, std::vector<LearnedCue>& cues) {
    if (const YamlNode* m = f.get("model")) {
      cues = one_or_list(*m, what + ": model: expected at least one model",
                         [&](const YamlNode& n) { return learned_cue(n); });
    }
    if (when.pattern == kNone && cues.empty())
      throw SchemaError{rule.pos, what + ": missing required key 'match' (or 'model')"};
  }

  // `model: anger` or `model: {id: anger, above: 0.7}`.
  LearnedCue learned_cue(const YamlNode& n) {
    LearnedCue r;
    const YamlNode* id = &n;
    if (n.is_map()) {
      Fields mf(n, "model", {"id", "above"});
      id = &mf.required("id");
      if (auto above = mf.number("above", 0)) {
        if (*above > 1)
          throw SchemaError{mf.get("above")->pos,
                            "model above: expected a probability from 0 to 1"};
        r.above = *above;
      }
    }
    const std::string& name = scalar_of(*id, "model");
    auto it = model_ids_.find(name);
    if (it == model_ids_.end())
      throw SchemaError{id->pos, "rule " + current_rule_ + ": unknown model '" + name +
                                     "' (declare it under models:)"};
    r.model = it->second;
    return r;
  }

  // ---- pass 2: rules ----
  // Rules at a playbook's top level apply to every call; those inside `intent:` only while
  // that intent is active.
  void build_rules(const YamlNode& root) {
    if (const YamlEntry* s = root.find("signals")) {
      for (const YamlNode& n : list(s->value, "signals")) guarded([&] { signal_rule(n); });
    }
    const YamlEntry* intent = root.find("intent");
    if (intent && !intent->value.is_null())
      intent_rule(intent->value, scalar_of(root.find("id")->value, "id"));
    for (const char* key : {"forbid", "require", "recommend"}) {
      if (const YamlEntry* e = root.find(key)) {
        for (const YamlNode& n : list(e->value, key)) rule_of_kind(key, n, kNone);
      }
    }
  }

  // Runs one step; in checking mode records its error and reports whether it succeeded.
  template <typename Step>
  bool guarded(Step step) {
    if (!errors_) {
      step();
      return true;
    }
    try {
      step();
      return true;
    } catch (const SchemaError& e) {
      errors_->push_back(located(e));
      return false;
    }
  }

  // An error in the file being read, unless it names its own (a model file).
  Status located(const SchemaError& e) const {
    return Status(e.code, e.message, {e.file.empty() ? file_ : e.file, e.pos.line, e.pos.column});
  }

  void rule_of_kind(std::string_view kind, const YamlNode& n, std::int32_t intent) {
    guarded([&] {
      if (kind == "forbid")
        forbid_rule(n, intent);
      else if (kind == "require")
        require_rule(n, intent);
      else
        recommend_rule(n, intent, nullptr);
    });
  }

  // `x` or `[x, y]`, each item read by `read`; a list may not be empty.
  template <typename Read>
  static auto one_or_list(const YamlNode& n, const std::string& empty_error, Read read)
      -> std::vector<std::invoke_result_t<Read, const YamlNode&>> {
    std::vector<std::invoke_result_t<Read, const YamlNode&>> out;
    if (!n.is_sequence()) {
      out.push_back(read(n));
      return out;
    }
    if (n.items.empty()) throw SchemaError{n.pos, empty_error};
    for (const YamlNode& item : n.items) out.push_back(read(item));
    return out;
  }

  static const std::vector<YamlNode>& list(const YamlNode& n, std::string_view what) {
    if (!n.is_sequence()) throw SchemaError{n.pos, std::string(what) + ": expected a list"};
    return n.items;
  }

  RuleInfo rule_info(const Fields& f) {
    RuleInfo info;
    const YamlNode& id = f.required("id");
    info.id = scalar_of(id, f.what() + " id");
    info.tags = f.text_list("tags");
    info.file = file_;
    info.line = f.node().pos.line;
    auto [it, inserted] = rule_ids_.emplace(
        info.id, file_ + ":" + std::to_string(id.pos.line) + ":" + std::to_string(id.pos.column));
    if (!inserted)
      throw SchemaError{id.pos, "duplicate rule id '" + info.id + "' (also at " + it->second + ")"};
    current_rule_ = info.id;
    return info;
  }

  // Adds a pattern to the matcher; its errors point into the YAML scalar.
  std::int32_t pattern(const YamlNode& n) {
    const std::string& source = scalar_of(n, "rule " + current_rule_ + " match");
    auto known = patterns_.find(source);
    if (known != patterns_.end()) return known->second;
    Result<std::uint32_t> id = builder_->add(source);
    if (!id.ok()) {
      const Status& s = id.status();
      // The pattern's column maps into the file: on its line, or on the line of a block scalar.
      const YamlPos at =
          s.where().column > 0 ? internal::scalar_position(n, s.where().column - 1) : n.pos;
      // The file position replaces the pattern's own column, which would only confuse.
      std::string what = s.message();
      const std::string column = "pattern error at column " + std::to_string(s.where().column);
      if (what.rfind(column + ": ", 0) == 0) what = "pattern error" + what.substr(column.size());
      throw SchemaError{at, "rule " + current_rule_ + ": " + what, s.code()};
    }
    patterns_.emplace(source, static_cast<std::int32_t>(*id));
    return static_cast<std::int32_t>(*id);
  }

  std::int32_t memory(Speaker speaker, std::int32_t pat) {
    for (std::size_t i = 0; i < impl_->memories.size(); ++i) {
      if (impl_->memories[i].speaker == speaker && impl_->memories[i].pattern == pat)
        return static_cast<std::int32_t>(i);
    }
    impl_->memories.push_back({speaker, pat});
    return static_cast<std::int32_t>(impl_->memories.size() - 1);
  }

  std::int32_t signal_index(const YamlNode& n) {
    const std::string& name = scalar_of(n, "signal");
    auto it = signal_ids_.find(name);
    if (it == signal_ids_.end())
      throw SchemaError{n.pos, "rule " + current_rule_ + ": unknown signal '" + name + "'"};
    return it->second;
  }

  // `anger` or `[complaint, request]`: any one of them will do.
  std::vector<std::int32_t> signal_indexes(const YamlNode& n) {
    return one_or_list(n, "signal: expected at least one signal",
                       [&](const YamlNode& item) { return signal_index(item); });
  }

  // `after: {speaker, match | signal, within}`: sets either a memory or a signal on `c`.
  void after(const YamlNode& n, Condition& c, Window default_window) {
    Fields f(n, "after", {"speaker", "match", "signal", "within"});
    const Window w =
        f.get("within") ? parse_window(*f.get("within"), "after within") : default_window;
    if (const YamlNode* s = f.get("signal")) {
      if (f.get("match")) throw SchemaError{n.pos, "after: give either match or signal, not both"};
      c.signals = signal_indexes(*s);
      c.signal_within = w;
      return;
    }
    const Speaker speaker =
        f.get("speaker") ? parse_speaker(*f.get("speaker"), "after speaker") : Speaker::kUnknown;
    c.memory = memory(speaker, pattern(f.required("match")));
    c.memory_within = w;
  }

  // `yields_to: loss_complaint` or a list. A session checks the intents that yield after all the
  // others on each turn, which is well defined one step deep only: an intent yielded to may not
  // yield itself.
  std::vector<std::int32_t> yields_to(const YamlNode& n, const std::string& intent_id) {
    return one_or_list(
        n, "intent " + intent_id + ": yields_to: expected at least one intent",
        [&](const YamlNode& item) {
          const std::string& name = scalar_of(item, "yields_to");
          auto it = intent_ids_.find(name);
          if (it == intent_ids_.end())
            throw SchemaError{item.pos,
                              "intent " + intent_id + ": yields_to: unknown intent '" + name + "'"};
          if (name == intent_id || yielding_.count(name))
            throw SchemaError{item.pos, "intent " + intent_id + ": yields_to: '" + name +
                                            "' has yields_to itself; an intent "
                                            "yields only to intents that do not"};
          return it->second;
        });
  }

  // The condition keys of a rule, at its top level or under `when:`.
  void condition(const Fields& f, Condition& c, std::int32_t scope_intent) {
    const Fields* sources[2] = {&f, nullptr};
    std::optional<Fields> when;
    if (const YamlNode* w = f.get("when")) {
      when.emplace(*w, "when", kConditionKeys);
      sources[1] = &*when;
    }
    c.intent = scope_intent;
    for (const Fields* s : sources) {
      if (s == nullptr) continue;
      if (const YamlNode* n = s->get("speaker")) c.speaker = parse_speaker(*n, "speaker");
      if (const YamlNode* n = s->get("match")) c.pattern = pattern(*n);
      if (const YamlNode* n = s->get("after")) after(*n, c, Window{1, -1});
      if (const YamlNode* n = s->get("signal")) {
        if (n->is_map()) {
          Fields sf(*n, "signal", {"id", "within"});
          c.signals = signal_indexes(sf.required("id"));
          c.signal_within =
              sf.get("within") ? parse_window(*sf.get("within"), "signal within") : Window{};
        } else {
          c.signals = signal_indexes(*n);
          c.signal_within = Window{};
        }
      }
      if (const YamlNode* n = s->get("intent")) {
        const std::string& name = scalar_of(*n, "intent");
        auto it = intent_ids_.find(name);
        if (it == intent_ids_.end())
          throw SchemaError{n->pos, "rule " + current_rule_ + ": unknown intent '" + name + "'"};
        c.intent = it->second;
      }
      if (const YamlNode* n = s->get("stage")) {
        const std::string& name = scalar_of(*n, "stage");
        if (c.intent == kNone)
          throw SchemaError{
              n->pos, "rule " + current_rule_ +
                          ": 'stage' needs an intent (give 'intent:' or put the rule inside one)"};
        const auto& stages = stage_ids_[static_cast<std::size_t>(c.intent)];
        auto it = stages.find(name);
        if (it == stages.end())
          throw SchemaError{n->pos, "rule " + current_rule_ + ": unknown stage '" + name + "'"};
        c.stage = it->second;
      }
      if (const YamlNode* n = s->get("position")) {
        const std::string& p = scalar_of(*n, "position");
        if (p == "first_agent_turn")
          c.position = Position::kFirstAgentTurn;
        else if (p == "first_customer_turn")
          c.position = Position::kFirstCustomerTurn;
        else
          throw SchemaError{
              n->pos,
              "position: expected first_agent_turn or first_customer_turn, found '" + p + "'"};
      }
    }
  }

  void signal_rule(const YamlNode& n) {
    Fields f(n, "signal",
             {"id", "tags", "severity", "message", "report", "fired_by", "when", "speaker", "match",
              "model", "after", "signal", "intent", "stage", "position"});
    SignalRule r;
    r.info = rule_info(f);
    r.severity = parse_severity(f, Severity::kInfo);
    r.message = f.text("message").value_or("");
    if (auto report = f.text("report")) {
      if (*report != "true" && *report != "false")
        throw SchemaError{
            f.get("report")->pos,
            "signal " + r.info.id + " report: expected true or false, found '" + *report + "'"};
      r.report = *report == "true";
    }
    if (const YamlNode* by = f.get("fired_by")) {
      intents_only_signal(f, *by, r);
    } else {
      r.when.speaker = Speaker::kCustomer;
      condition(f, r.when, kNone);
      match_or_model(f, n, "signal " + r.info.id, r.when, r.learned);
    }
    impl_->signals.push_back(std::move(r));
  }

  // `fired_by: intent`: a name for "one of the intents that name it in `fires` was detected",
  // with no pattern, model or condition of its own, and never a finding.
  void intents_only_signal(const Fields& f, const YamlNode& by, SignalRule& r) {
    const std::string what = "signal " + r.info.id;
    if (scalar_of(by, what + " fired_by") != "intent")
      throw SchemaError{by.pos, what + " fired_by: expected 'intent', found '" + by.scalar + "'"};
    std::vector<std::string_view> conditions = kConditionKeys;
    conditions.insert(conditions.end(), {"when", "model"});
    for (const std::string_view key : conditions) {
      if (const YamlNode* k = f.get(key))
        throw SchemaError{k->pos, what + ": a signal fired_by intent takes no '" +
                                      std::string(key) + "' (an intent's 'fires' fires it)"};
    }
    if (f.get("report") && r.report)
      throw SchemaError{f.get("report")->pos,
                        what + ": a signal fired_by intent is never a finding (report: false)"};
    r.report = false;
    r.intents_only = true;
  }

  void forbid_rule(const YamlNode& n, std::int32_t intent) {
    Fields f(n, "forbid rule",
             {"id", "tags", "severity", "reason", "instead", "when", "speaker", "match", "model",
              "after", "signal", "intent", "stage", "position"});
    ForbidRule r;
    r.info = rule_info(f);
    r.when.speaker = Speaker::kAgent;
    condition(f, r.when, intent);
    match_or_model(f, n, "forbid rule " + r.info.id, r.when, r.learned);
    r.severity = parse_severity(f, Severity::kMajor);
    r.reason = f.text("reason").value_or("");
    r.instead = f.text("instead").value_or("");
    impl_->forbids.push_back(std::move(r));
  }

  void require_rule(const YamlNode& n, std::int32_t intent) {
    Fields f(
        n, "required step",
        {"id", "tags", "severity", "message", "speaker", "match", "by", "after", "within", "once"});
    RequireRule r;
    r.info = rule_info(f);
    if (auto once = f.text("once")) {
      if (*once != "true" && *once != "false")
        throw SchemaError{
            f.get("once")->pos,
            "required step " + r.info.id + " once: expected true or false, found '" + *once + "'"};
      r.once = *once == "true";
    }
    r.intent = intent;
    if (const YamlNode* s = f.get("speaker")) r.speaker = parse_speaker(*s, "speaker");
    r.pattern = pattern(f.required("match"));
    r.severity = parse_severity(f, Severity::kMajor);
    r.message = f.text("message").value_or("");
    if (const YamlNode* w = f.get("within")) {
      Fields wf(*w, "within", {"agent_turns"});
      r.agent_turns = static_cast<std::int32_t>(wf.integer("agent_turns", 1, 100000).value_or(2));
    }
    const std::optional<std::string> by = f.text("by");
    const YamlNode* trigger = f.get("after");
    if (by && trigger)
      throw SchemaError{n.pos,
                        "required step " + r.info.id + ": give either 'by' or 'after', not both"};
    if (by) {
      if (*by == "first_agent_turn")
        r.by = RequireRule::By::kFirstAgentTurn;
      else if (*by == "end")
        r.by = RequireRule::By::kEnd;
      else
        throw SchemaError{f.get("by")->pos, "required step " + r.info.id +
                                                " by: expected first_agent_turn or end, found '" +
                                                *by + "'"};
    } else if (trigger) {
      r.by = RequireRule::By::kAfter;
      Condition c;
      after(*trigger, c, Window{});
      r.trigger_memory = c.memory;
      r.trigger_signals = c.signals;
    } else {
      throw SchemaError{
          n.pos,
          "required step " + r.info.id +
              ": say when it is due with 'by: first_agent_turn', 'by: end' or 'after: {...}'"};
    }
    impl_->requirements.push_back(std::move(r));
  }

  const std::string& intent_id_of(std::int32_t index) const {
    return impl_->intents.at(static_cast<std::size_t>(index)).info.id;
  }

  void recommend_rule(const YamlNode& n, std::int32_t intent, Stage* stage) {
    Fields f(n, "recommendation",
             {"id", "tags", "say", "done_when", "when", "speaker", "match", "after", "signal",
              "intent", "stage", "position"});
    RecommendRule r;
    if (stage && !f.get("id")) {
      r.info.id = intent_id_of(intent) + "." + stage->id + "." +
                  std::to_string(stage->recommend.size() + 1);
      r.info.tags = f.text_list("tags");
      r.info.file = file_;
      r.info.line = n.pos.line;
    } else {
      r.info = rule_info(f);
    }
    r.say = f.required_text("say");
    if (!stage) {
      condition(f, r.when, intent);
    } else if (f.get("when") || f.get("match") || f.get("signal") || f.get("after")) {
      throw SchemaError{n.pos,
                        "a stage's recommendation applies while its stage is current; move "
                        "conditional ones to the intent's 'recommend'"};
    }
    if (const YamlNode* d = f.get("done_when"))
      r.done_pattern = pattern(*d);
    else if (stage)
      r.done_pattern = stage->done_pattern;
    if (r.done_pattern != kNone) r.said_flag = impl_->said_flags++;
    if (stage)
      stage->recommend.push_back(std::move(r));
    else
      impl_->recommends.push_back(std::move(r));
  }

  void intent_rule(const YamlNode& n, const std::string& playbook_id) {
    Fields f(n, "intent",
             {"id", "title", "detect", "fires", "yields_to", "stages", "forbid", "require",
              "recommend"});
    const std::string intent_id = f.text("id").value_or(playbook_id);
    current_rule_ = intent_id;
    const std::int32_t index = intent_ids_.at(intent_id);
    // The intent takes its place first: when checking goes on past a broken intent, the
    // intents after it keep their indexes.
    const auto at = static_cast<std::size_t>(index);
    if (impl_->intents.size() <= at) impl_->intents.resize(at + 1);
    Intent& in = impl_->intents[at];
    in.info.id = intent_id;
    in.info.file = file_;
    in.info.line = n.pos.line;
    std::vector<std::string_view> detect_keys = kConditionKeys;
    detect_keys.push_back("model");
    Fields detect(f.required("detect"), "intent detect", detect_keys);
    in.detect.speaker = Speaker::kCustomer;
    condition(detect, in.detect, kNone);
    match_or_model(detect, *f.get("detect"), "intent " + intent_id + " detect", in.detect,
                   in.learned);
    if (const YamlNode* fires = f.get("fires")) in.fires = signal_index(*fires);
    if (const YamlNode* yields = f.get("yields_to")) in.yields_to = yields_to(*yields, intent_id);
    if (const YamlNode* stages = f.get("stages")) {
      for (const YamlNode& s : list(*stages, "stages")) {
        Fields sf(s, "stage", {"id", "done_when", "recommend"});
        Stage stage;
        stage.id = sf.required_text("id");
        current_rule_ = intent_id + "/" + stage.id;
        if (const YamlNode* d = sf.get("done_when")) stage.done_pattern = pattern(*d);
        if (const YamlNode* recs = sf.get("recommend")) {
          for (const YamlNode& r : list(*recs, "recommend"))
            guarded([&] { recommend_rule(r, index, &stage); });
        }
        impl_->intents[static_cast<std::size_t>(index)].stages.push_back(std::move(stage));
      }
    }
    for (const char* key : {"forbid", "require", "recommend"}) {
      if (const YamlNode* rules = f.get(key)) {
        for (const YamlNode& r : list(*rules, key)) rule_of_kind(key, r, index);
      }
    }
  }

  std::vector<Document> docs_;
  std::vector<Status>* errors_ = nullptr;
  std::string file_;
  std::string current_rule_;
  Lexicons lexicons_;
  Fillers fillers_;
  std::map<std::string, std::int32_t> signal_ids_;
  std::map<std::string, std::int32_t> model_ids_;
  std::vector<TextModel> models_;  // by model id; the playbook reads them as one set
  std::map<std::string, std::int32_t> intent_ids_;
  std::set<std::string> yielding_;  // intents with `yields_to`
  std::vector<std::map<std::string, std::int32_t>> stage_ids_;
  std::map<std::string, std::string> rule_ids_;
  std::map<std::string, std::int32_t> patterns_;
  std::optional<Matcher::Builder> builder_;
  std::unique_ptr<Playbook::Impl> impl_ = std::make_unique<Playbook::Impl>();
};

Status read_file(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIo, "cannot open playbook", {path.string(), 0, 0});
  std::ostringstream buf;
  buf << in.rdbuf();
  out = buf.str();
  return Status();
}

bool is_playbook_file(const std::filesystem::path& p) {
  const std::string name = p.filename().string();
  const auto ends = [&](std::string_view s) {
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  return (ends(".yaml") || ends(".yml")) && !ends(".test.yaml") && !ends(".test.yml");
}

}  // namespace

Result<Playbook> Playbook::parse(
    const std::vector<std::pair<std::string, std::string>>& named_texts) {
  Loader loader;
  for (const auto& [name, text] : named_texts) {
    if (Status s = loader.add(name, text); !s.ok()) return s;
  }
  auto impl = loader.finish();
  if (!impl.ok()) return impl.status();
  return Playbook(std::move(*impl));
}

Result<std::vector<std::string>> Playbook::files(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::filesystem::path> found;
      for (const auto& entry : std::filesystem::directory_iterator(p, ec)) {
        if (entry.is_regular_file() && is_playbook_file(entry.path()))
          found.push_back(entry.path());
      }
      std::sort(found.begin(), found.end());
      if (found.empty())
        return Status(ErrorCode::kIo, "no playbook files (*.yaml, *.yml) in directory", {p, 0, 0});
      for (const auto& f : found) files.push_back(f.string());
    } else if (!std::filesystem::exists(p, ec)) {
      return Status(ErrorCode::kIo, "no such file or directory", {p, 0, 0});
    } else {
      files.emplace_back(p);
    }
  }
  return files;
}

std::vector<Status> Playbook::check(const std::vector<std::string>& paths) {
  Result<std::vector<std::string>> files = Playbook::files(paths);
  if (!files.ok()) return {files.status()};
  std::vector<Status> errors;
  std::vector<std::pair<std::string, std::string>> named_texts;
  for (const std::string& f : *files) {
    std::string text;
    if (Status s = read_file(f, text); !s.ok())
      errors.push_back(s);
    else
      named_texts.emplace_back(f, std::move(text));
  }
  if (!errors.empty()) return errors;
  return check(named_texts);
}

std::vector<Status> Playbook::check(
    const std::vector<std::pair<std::string, std::string>>& named_texts) {
  std::vector<Status> errors;
  Loader loader;
  loader.collect_errors(&errors);
  for (const auto& [name, text] : named_texts) {
    if (Status s = loader.add(name, text); !s.ok()) errors.push_back(s);  // YAML: one per file
  }
  if (!errors.empty()) return errors;
  auto impl = loader.finish();
  if (!impl.ok() && errors.empty()) errors.push_back(impl.status());
  return errors;
}

Result<Playbook> Playbook::load(const std::vector<std::string>& paths) {
  Result<std::vector<std::string>> files = Playbook::files(paths);
  if (!files.ok()) return files.status();
  Loader loader;
  for (const std::string& f : *files) {
    std::string text;
    if (Status s = read_file(f, text); !s.ok()) return s;
    if (Status s = loader.add(f, text); !s.ok()) return s;
  }
  auto impl = loader.finish();
  if (!impl.ok()) return impl.status();
  return Playbook(std::move(*impl));
}

const SpeakerLabels& Playbook::speaker_labels() const { return impl_->labels; }

const Lexicons& Playbook::lexicons() const { return impl_->lexicons; }

std::vector<std::string> Playbook::intent_ids() const {
  std::vector<std::string> out;
  for (const auto& i : impl_->intents) out.push_back(i.info.id);
  return out;
}

std::size_t Playbook::rule_count() const {
  std::size_t stages = 0;
  for (const auto& i : impl_->intents) {
    for (const auto& s : i.stages) stages += s.recommend.size();
  }
  return impl_->signals.size() + impl_->intents.size() + impl_->forbids.size() +
         impl_->requirements.size() + impl_->recommends.size() + stages;
}

std::vector<Playbook::RuleSummary> Playbook::rules() const {
  std::vector<RuleSummary> out;
  auto add = [&out](const internal::RuleInfo& info, const char* kind) {
    out.push_back({info.id, kind, info.tags, info.file, info.line});
  };
  for (const auto& r : impl_->signals) {
    add(r.info, "signal");
    out.back().reported = r.report;
  }
  for (const auto& r : impl_->forbids) add(r.info, "forbid");
  for (const auto& r : impl_->requirements) add(r.info, "require");
  for (const auto& r : impl_->recommends) add(r.info, "recommend");
  for (const auto& i : impl_->intents) {
    add(i.info, "intent");
    for (const auto& s : i.stages) {
      for (const auto& r : s.recommend) add(r.info, "recommend");
    }
  }
  return out;
}

}  // namespace tact

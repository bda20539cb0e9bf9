#include "cli/json_output.hpp"

namespace tact::cli {

Json to_json(const Finding& f) {
  Json j;
  j["kind"] = finding_kind_name(f.kind);
  j["rule"] = f.rule;
  j["tags"] = f.tags;
  j["severity"] = severity_name(f.severity);
  j["turn"] = f.turn ? Json(*f.turn) : Json(nullptr);
  j["speaker"] = speaker_name(f.speaker);
  j["evidence"] = f.evidence.empty() ? Json(nullptr) : Json(f.evidence);
  j["span"] = f.span ? Json::array({f.span->begin, f.span->end}) : Json(nullptr);
  j["message"] = f.message;
  j["instead"] = f.instead.empty() ? Json(nullptr) : Json(f.instead);
  return j;
}

Json to_json(const Recommendation& r) {
  Json j;
  j["rule"] = r.rule;
  j["text"] = r.text;
  j["tags"] = r.tags;
  return j;
}

Json guidance_json(const std::string& call, const Guidance& g) {
  Json j;
  j["call"] = call;
  j["turn"] = g.turn;
  j["speaker"] = speaker_name(g.speaker);
  j["intents"] = g.intents;
  j["stage"] = g.stage.empty() ? Json(nullptr) : Json(g.stage);
  j["recommendations"] = Json::array();
  for (const Recommendation& r : g.recommendations) j["recommendations"].push_back(to_json(r));
  j["findings"] = Json::array();
  for (const Finding& f : g.findings) j["findings"].push_back(to_json(f));
  return j;
}

Json closing_json(const std::string& call, const CallReport& r) {
  Json j;
  j["call"] = call;
  j["turn"] = nullptr;
  j["speaker"] = nullptr;
  j["intents"] = r.intents;
  j["stage"] = nullptr;
  j["recommendations"] = Json::array();
  j["findings"] = Json::array();
  for (const Finding& f : r.findings) {
    if (f.kind == FindingKind::kMissing) j["findings"].push_back(to_json(f));
  }
  j["score"] = r.score;
  return j;
}

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace tact::cli

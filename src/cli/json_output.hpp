// The JSON shapes of docs/output-format.md: findings, per-turn guidance, per-call QA records.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tact/guidance.hpp"

namespace tact::cli {

using Json = nlohmann::ordered_json;

Json to_json(const Finding& f);
Json to_json(const Recommendation& r);
/// {"call", "turn", "speaker", "intents", "stage", "recommendations", "findings"}
Json guidance_json(const std::string& call, const Guidance& g);
/// The record that closes a call in `tact guide --format jsonl`: turn and speaker null, the
/// missing steps as findings.
Json closing_json(const std::string& call, const CallReport& r);
/// One line of JSON, invalid UTF-8 replaced.
std::string dump(const Json& j);

}  // namespace tact::cli

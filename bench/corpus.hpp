// A deterministic corpus of call-centre utterances (mostly Chinese, about 10% English, with the
// noise speech recognition adds) and pattern sets drawn from the same vocabulary, so benchmarks
// and the Python baselines see identical input on every run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tact::bench {

/// `count` utterances; the same seed gives the same corpus.
std::vector<std::string> utterances(std::size_t count, std::uint32_t seed = 1);

/// `count` patterns: about 70% phrases, 15% `a | b`, 10% `a NEAR/3 b`, 5% `a & !b`.
std::vector<std::string> patterns(std::size_t count, std::uint32_t seed = 2);

/// The phrases (literals) those patterns are built from, for raw-scan and Python baselines.
std::vector<std::string> phrases_of(const std::vector<std::string>& patterns);

/// Call `index` of a corpus of whole calls, as one JSONL line: 4 to 16 turns alternating
/// customer and agent, made of utterances() sentences plus the complaint, denial, apology and
/// greeting lines a contact centre hears, so that playbooks find something to say.
std::string call_jsonl(std::size_t index, std::uint32_t seed = 3);

}  // namespace tact::bench

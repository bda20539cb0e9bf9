// The patterns that turns of each speaker can make a difference to (see relevance.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "playbook/model.hpp"

namespace tact::internal {

struct SpeakerSubsets {
  std::vector<std::uint32_t> agent;     // patterns an agent's turn needs matched
  std::vector<std::uint32_t> customer;  // patterns a customer's turn needs matched
};

/// Pattern ids (sorted) read on agent turns and on customer turns; a turn of an unknown speaker
/// needs the patterns of rules without a speaker, a subset of both.
SpeakerSubsets speaker_subsets(const Playbook::Impl& pb, std::size_t patterns);

}  // namespace tact::internal

// The raw Hyperscan scan of the same text `tact qa` reads: every turn of CALLS.jsonl, normalised
// beforehand (not timed), scanned for the phrases of PHRASES (one per line, as
// bench/qa_baseline.py --phrases extracts them from the playbooks), one hs_scan per turn as a
// session must, then one per call. No word boundaries, no rules: the practical ceiling for qa.
//
//   tact_raw_scan PHRASES CALLS.jsonl   -> one JSON line per mode
#include <hs/hs.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "literal_db.hpp"
#include "tact/normalize.hpp"
#include "tact/transcript.hpp"

namespace {

// Best of three passes over `texts`, in seconds.
double best_scan(const hs_database_t* db, hs_scratch_t* scratch,
                 const std::vector<std::string>& texts, std::size_t& hits) {
  double best = 1e30;
  for (int pass = 0; pass < 3; ++pass) {
    hits = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const std::string& t : texts) {
      if (hs_scan(db, t.data(), static_cast<unsigned>(t.size()), 0, scratch, tact::bench::count_hit,
                  &hits) != HS_SUCCESS) {
        return -1;
      }
    }
    best = std::min(
        best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: tact_raw_scan PHRASES CALLS.jsonl\n";
    return 2;
  }
  const tact::Normalizer& norm = tact::Normalizer::standard();
  std::vector<std::string> literals;
  std::ifstream phrases(argv[1]);
  for (std::string line; std::getline(phrases, line);) {
    std::string n = norm.normalize(line).text;
    if (!n.empty()) literals.push_back(std::move(n));
  }
  std::vector<std::string> turns, calls;
  std::size_t text_bytes = 0;
  std::ifstream in(argv[2]);
  for (std::string line; std::getline(in, line);) {
    tact::Result<tact::Call> call = tact::read_jsonl_call(line);
    if (!call.ok()) continue;
    calls.emplace_back();
    for (const tact::Turn& t : call->turns) {
      text_bytes += t.text.size();
      turns.push_back(norm.normalize(t.text).text);
      calls.back() += turns.back() + "\n";
    }
  }
  std::string error;
  hs_database_t* db = tact::bench::compile_literals(literals, error);
  if (db == nullptr) {
    std::cerr << "tact_raw_scan: " << error << "\n";
    return 1;
  }
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) return 1;
  for (const auto& [mode, texts] : {std::pair{"per_turn", &turns}, std::pair{"per_call", &calls}}) {
    std::size_t hits = 0;
    const double s = best_scan(db, scratch, *texts, hits);
    if (s < 0) return 1;
    std::cout << "{\"mode\": \"" << mode << "\", \"phrases\": " << literals.size()
              << ", \"turns\": " << turns.size()
              << ", \"transcript_mb_per_s\": " << static_cast<double>(text_bytes) / s / 1e6
              << ", \"hits_per_turn\": "
              << static_cast<double>(hits) / static_cast<double>(turns.size()) << "}\n";
  }
  hs_free_scratch(scratch);
  hs_free_database(db);
  return 0;
}

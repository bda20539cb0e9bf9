// tact's matcher next to its baselines, on one corpus, in one run:
//   Normalize          normalisation alone
//   RawHyperscanScan   Hyperscan scanning the already-normalised text for the patterns' phrases
//                      (the practical ceiling: no normalisation, no boundary checks, no rules)
//   TactMatch          the whole job: normalise + scan + boundary checks + rule evaluation
//   TactMatchLatency   per-utterance latency percentiles of TactMatch
//   TactCompile        compiling N patterns
// Throughput is bytes of the *original* transcript text per second for all of them.
// The Python peers (pyahocorasick, re) run from bench/run.sh on the same corpus.
#include <benchmark/benchmark.h>
#include <hs/hs.h>

#include <algorithm>
#include <chrono>

#include "corpus.hpp"
#include "literal_db.hpp"
#include "tact/matcher.hpp"

namespace {

constexpr std::size_t kUtterances = 20000;

const std::vector<std::string>& corpus() {
  static const std::vector<std::string> c = tact::bench::utterances(kUtterances);
  return c;
}

std::int64_t corpus_bytes() {
  std::int64_t n = 0;
  for (const std::string& u : corpus()) n += static_cast<std::int64_t>(u.size());
  return n;
}

const tact::Matcher& matcher(std::size_t n) {
  static std::map<std::size_t, tact::Matcher> cache;
  auto it = cache.find(n);
  if (it == cache.end()) {
    tact::Result<tact::Matcher> m = tact::Matcher::compile(tact::bench::patterns(n));
    if (!m.ok()) {
      std::fprintf(stderr, "%s\n", m.status().to_string().c_str());
      std::abort();
    }
    it = cache.emplace(n, std::move(*m)).first;
  }
  return it->second;
}

void Normalize(benchmark::State& state) {
  tact::NormalizedText out;
  const tact::Normalizer& n = tact::Normalizer::standard();
  for (auto _ : state) {
    for (const std::string& u : corpus()) {
      n.normalize(u, out);
      benchmark::DoNotOptimize(out.tokens.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * corpus_bytes());
}
BENCHMARK(Normalize)->Unit(benchmark::kMillisecond);

// Scans the normalised corpus for the phrases of n patterns, `batch` utterances per hs_scan
// (joined by '\n'), and reports throughput in bytes of the original utterances.
void raw_scan(benchmark::State& state, std::size_t n, std::size_t batch) {
  // The literals as they appear in normalised text.
  std::vector<std::string> literals;
  for (const std::string& p : tact::bench::phrases_of(tact::bench::patterns(n))) {
    literals.push_back(tact::Normalizer::standard().normalize(p).text);
  }
  std::string error;
  hs_database_t* db = tact::bench::compile_literals(literals, error);
  if (db == nullptr) {
    state.SkipWithError(error.c_str());
    return;
  }
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(db, &scratch);
  std::vector<std::string> normalised;
  for (std::size_t i = 0; i < corpus().size(); ++i) {
    const std::string t = tact::Normalizer::standard().normalize(corpus()[i]).text;
    if (i % batch == 0) normalised.emplace_back();
    normalised.back() += t + "\n";
  }
  std::size_t hits = 0;
  for (auto _ : state) {
    for (const std::string& t : normalised) {
      if (hs_scan(db, t.data(), static_cast<unsigned>(t.size()), 0, scratch, tact::bench::count_hit,
                  &hits) != HS_SUCCESS) {
        state.SkipWithError("hs_scan failed");
        break;
      }
    }
  }
  state.SetBytesProcessed(state.iterations() * corpus_bytes());
  state.counters["hits_per_utterance"] =
      static_cast<double>(hits) / static_cast<double>(state.iterations() * corpus().size());
  hs_free_scratch(scratch);
  hs_free_database(db);
}

void RawHyperscanScan(benchmark::State& state) {
  raw_scan(state, static_cast<std::size_t>(state.range(0)), 1);
}
BENCHMARK(RawHyperscanScan)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// The same scan with ten utterances per hs_scan call, as one scan per call would do: how much
// of the per-utterance cost is Hyperscan's fixed cost per call.
void RawHyperscanScanTenPerCall(benchmark::State& state) {
  raw_scan(state, static_cast<std::size_t>(state.range(0)), 10);
}
BENCHMARK(RawHyperscanScanTenPerCall)->Arg(1000)->Unit(benchmark::kMillisecond);

void TactMatch(benchmark::State& state) {
  const tact::Matcher& m = matcher(static_cast<std::size_t>(state.range(0)));
  tact::Matcher::Scratch scratch = *m.make_scratch();
  tact::MatchResult r;
  std::size_t matched = 0;
  for (auto _ : state) {
    for (const std::string& u : corpus()) {
      if (!m.match(u, scratch, r).ok()) std::abort();
      matched += r.matches.size();
    }
  }
  state.SetBytesProcessed(state.iterations() * corpus_bytes());
  state.counters["matches_per_utterance"] =
      static_cast<double>(matched) / static_cast<double>(state.iterations() * corpus().size());
}
BENCHMARK(TactMatch)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void TactMatchLatency(benchmark::State& state) {
  const tact::Matcher& m = matcher(static_cast<std::size_t>(state.range(0)));
  tact::Matcher::Scratch scratch = *m.make_scratch();
  tact::MatchResult r;
  std::vector<double> ns;
  ns.reserve(corpus().size());
  for (auto _ : state) {
    ns.clear();
    for (const std::string& u : corpus()) {
      const auto start = std::chrono::steady_clock::now();
      if (!m.match(u, scratch, r).ok()) std::abort();
      ns.push_back(
          std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
              .count());
    }
  }
  std::sort(ns.begin(), ns.end());
  state.counters["p50_us"] = ns[ns.size() / 2] / 1000;
  state.counters["p99_us"] = ns[ns.size() * 99 / 100] / 1000;
  state.counters["max_us"] = ns.back() / 1000;
}
BENCHMARK(TactMatchLatency)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(3);

void TactCompile(benchmark::State& state) {
  const std::vector<std::string> patterns =
      tact::bench::patterns(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    tact::Result<tact::Matcher> m = tact::Matcher::compile(patterns);
    if (!m.ok()) std::abort();
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(TactCompile)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace

int main(int argc, char** argv) {
  // Build the corpus and the normaliser's tables before any timing starts.
  benchmark::DoNotOptimize(corpus_bytes());
  benchmark::DoNotOptimize(tact::Normalizer::standard().normalize("预热").tokens.size());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

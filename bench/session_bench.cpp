// Session::feed on generated calls with the example playbooks: throughput, per-turn latency
// percentiles, and the memory an idle session costs; and what the shipped learned models cost
// on the same turns.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "corpus.hpp"
#include "model/text_model_set.hpp"
#include "tact/playbook.hpp"
#include "tact/session.hpp"
#include "tact/text_model.hpp"

namespace {

const tact::Playbook& playbook() {
  static const tact::Playbook pb = *tact::Playbook::load({TACT_SOURCE_DIR "/rules"});
  return pb;
}

const std::vector<tact::Call>& calls() {
  static const std::vector<tact::Call> c = [] {
    std::vector<tact::Call> out;
    for (std::size_t i = 0; i < 5000; ++i)
      out.push_back(*tact::read_jsonl_call(tact::bench::call_jsonl(i)));
    return out;
  }();
  return c;
}

void SessionFeed(benchmark::State& state) {
  std::int64_t bytes = 0, turns = 0;
  for (const auto& c : calls()) {
    for (const auto& t : c.turns) bytes += static_cast<std::int64_t>(t.text.size()), ++turns;
  }
  std::vector<double> ns;
  ns.reserve(static_cast<std::size_t>(turns));
  for (auto _ : state) {
    ns.clear();
    for (const tact::Call& c : calls()) {
      tact::Session s = playbook().start_session();
      for (const tact::Turn& t : c.turns) {
        const auto start = std::chrono::steady_clock::now();
        tact::Result<tact::Guidance> g = s.feed(t);
        ns.push_back(
            std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
                .count());
        benchmark::DoNotOptimize(g);
      }
      benchmark::DoNotOptimize(s.finish());
    }
  }
  std::sort(ns.begin(), ns.end());
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["p50_us"] = ns[ns.size() / 2] / 1000;
  state.counters["p99_us"] = ns[ns.size() * 99 / 100] / 1000;
}
BENCHMARK(SessionFeed)->Unit(benchmark::kMillisecond)->Iterations(3);

// The shipped agent models on every agent turn of the calls. ModelScore: Arg(0) reads each
// turn's view only; Arg(n) reads it once and scores it with the first n models, each looking
// up the turn's n-grams in its own table. ModelSetScore: every shipped model in one table, as a
// session holds them (internal::TextModelSet); Arg(0) reads each agent turn only (its view and
// the n-grams any model knows), Arg(1) also scores it with every model that reads it.
std::vector<tact::TextModel> load_models(std::vector<std::string> names) {
  std::vector<tact::TextModel> out;
  for (const std::string& name : names)
    out.push_back(*tact::TextModel::load(TACT_SOURCE_DIR "/rules/models/" + name + ".json"));
  return out;
}

std::vector<tact::TextModel> agent_models() {
  return load_models({"deflect", "blame_customer", "shift_responsibility"});
}

std::vector<tact::TextModel> shipped_models() {
  return load_models({"anger", "anger_en", "deflect", "deflect_en", "blame_customer",
                      "blame_customer_en", "shift_responsibility", "shift_responsibility_en",
                      "no_solution_en", "burden_customer_en"});
}

std::int64_t agent_bytes() {
  std::int64_t bytes = 0;
  for (const auto& c : calls())
    for (const auto& t : c.turns)
      if (t.speaker == tact::Speaker::kAgent) bytes += static_cast<std::int64_t>(t.text.size());
  return bytes;
}

void ModelScore(benchmark::State& state) {
  static const std::vector<tact::TextModel> models = agent_models();
  const auto n = static_cast<std::size_t>(state.range(0));
  tact::TextModel::View view;
  std::vector<tact::TextModel::Scratch> scratch(models.size());
  for (auto _ : state) {
    for (const tact::Call& c : calls()) {
      for (const tact::Turn& t : c.turns) {
        if (t.speaker != tact::Speaker::kAgent) continue;
        tact::TextModel::read(t.text, view);
        for (std::size_t m = 0; m < n; ++m)
          benchmark::DoNotOptimize(models[m].score(view, scratch[m]).probability);
      }
    }
  }
  state.SetBytesProcessed(state.iterations() * agent_bytes());
}
BENCHMARK(ModelScore)->Arg(0)->Arg(1)->Arg(3)->Unit(benchmark::kMillisecond);

void ModelSetScore(benchmark::State& state) {
  static const tact::internal::TextModelSet set(shipped_models());
  const bool score = state.range(0) != 0;
  tact::internal::TextModelSet::Scratch scratch;
  for (auto _ : state) {
    for (const tact::Call& c : calls()) {
      for (const tact::Turn& t : c.turns) {
        if (t.speaker != tact::Speaker::kAgent) continue;
        set.read(t.text, scratch);
        for (std::size_t m = 0; score && m < set.size(); ++m)
          benchmark::DoNotOptimize(set.score(m, scratch).probability);
      }
    }
  }
  state.SetBytesProcessed(state.iterations() * agent_bytes());
}
BENCHMARK(ModelSetScore)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Heap bytes per idle session, from malloc's own accounting over 100,000 sessions.
void IdleSessionMemory(benchmark::State& state) {
  constexpr std::size_t kSessions = 100000;
  for (auto _ : state) {
    const std::size_t before = mallinfo2().uordblks;
    std::vector<tact::Session> sessions;
    sessions.reserve(kSessions);
    const std::size_t reserved = mallinfo2().uordblks;
    for (std::size_t i = 0; i < kSessions; ++i) sessions.push_back(playbook().start_session());
    const std::size_t after = mallinfo2().uordblks;
    state.counters["bytes_per_session"] =
        static_cast<double>(after - reserved + (reserved - before)) / kSessions;
  }
}
BENCHMARK(IdleSessionMemory)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
  benchmark::DoNotOptimize(calls().size());
  benchmark::DoNotOptimize(playbook().rule_count());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

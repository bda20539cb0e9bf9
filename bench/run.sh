#!/usr/bin/env bash
# Reproduces the table in bench/README.md: tact's matcher, normalisation, a raw Hyperscan scan
# and the Python peers, on one generated corpus, in one run. Takes about three minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target tact_bench tact_bench_corpus

out=build/release/bench/results
mkdir -p "$out"
build/release/bench/tact_bench_corpus "$out" 20000
build/release/bench/tact_bench --benchmark_min_time=1 --benchmark_repetitions=3 --benchmark_report_aggregates_only=true --benchmark_out="$out/gbench.json" \
  --benchmark_out_format=json
: > "$out/python.jsonl"
for n in 100 1000 10000; do
  for tool in ahocorasick re; do
    /usr/bin/python3 bench/baseline.py "$tool" "$out/utterances.txt" "$out/phrases-$n.txt" \
      >> "$out/python.jsonl"
  done
done
/usr/bin/python3 bench/report.py "$out/gbench.json" "$out/python.jsonl"

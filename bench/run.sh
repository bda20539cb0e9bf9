#!/usr/bin/env bash
# Reproduces the table in bench/README.md: tact's matcher, normalisation, a raw Hyperscan scan
# and the Python peers, on one generated corpus, in one run; then sessions and `tact qa` on
# 100,000 generated calls next to a Python script doing the same job and the raw Hyperscan scan
# of the same turns. About three minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target tact_bench tact_bench_corpus tact_session_bench tact_raw_scan tact_cli

out=build/release/bench/results
mkdir -p "$out"
build/release/bench/tact_bench_corpus "$out" 20000 100000
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

echo
echo "== sessions and tact qa (100,000 calls, the shipped playbooks in rules/)"
build/release/bench/tact_session_bench 2>/dev/null | grep -E '^(SessionFeed|IdleSession)'
calls="$out/calls.jsonl"
mb=$(stat -c %s "$calls")
text_mb=$(/usr/bin/python3 -c "import json,sys; print(sum(len(t['text'].encode()) for l in open(sys.argv[1]) for t in json.loads(l)['turns']))" "$calls")
for j in 1 2; do
  start=$(date +%s.%N)
  build/release/tact qa -j "$j" -p rules "$calls" > /dev/null || true
  end=$(date +%s.%N)
  /usr/bin/python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'tact qa -j{sys.argv[5]}: {s:.2f} s, {int(sys.argv[3])/s/1e6:.1f} MB/s of JSONL, {int(sys.argv[4])/s/1e6:.1f} MB/s of transcript text')" "$start" "$end" "$mb" "$text_mb" "$j"
done
/usr/bin/python3 bench/qa_baseline.py rules "$calls"
# The raw Hyperscan scan of the same turns for the same phrases: the ceiling qa is measured against.
/usr/bin/python3 bench/qa_baseline.py --phrases rules > "$out/phrases-shipped.txt"
build/release/bench/tact_raw_scan "$out/phrases-shipped.txt" "$calls"

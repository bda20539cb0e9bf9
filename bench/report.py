#!/usr/bin/env python3
"""Turns a tact_bench JSON file and the Python baselines' JSON lines into the markdown table of
bench/README.md. Usage: report.py GBENCH.json PYTHON.jsonl"""
import json
import sys


def main():
    with open(sys.argv[1]) as f:
        # With repetitions, keep the medians and name them as the plain runs.
        rows = json.load(f)["benchmarks"]
        bench = {b["run_name"]: b for b in rows if b.get("aggregate_name", "median") == "median"}
    with open(sys.argv[2]) as f:
        python = [json.loads(line) for line in f if line.strip()]

    def mbps(name):
        b = bench.get(name)
        return b["bytes_per_second"] / 1e6 if b else float("nan")

    py = {}
    for row in python:
        py.setdefault(row["tool"], []).append(row["mb_per_s"])

    print("| patterns | tact match | raw Hyperscan scan | tact / raw | pyahocorasick | Python re | tact / pyahocorasick |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for i, n in enumerate([100, 1000, 10000]):
        tact, raw = mbps(f"TactMatch/{n}"), mbps(f"RawHyperscanScan/{n}")
        aho = py.get("ahocorasick", [float("nan")] * 3)[i]
        rx = py.get("re", [float("nan")] * 3)[i]
        print(f"| {n:,} | {tact:.0f} MB/s | {raw:.0f} MB/s | {tact / raw:.0%} | {aho:.1f} MB/s | "
              f"{rx:.1f} MB/s | {tact / aho:.1f}x |")
    print()
    print(f"Normalisation alone: {mbps('Normalize'):.0f} MB/s.")
    for n in [1000, 10000]:
        b = bench.get(f"TactMatchLatency/{n}/iterations:3")
        if b:
            print(f"Per-utterance latency at {n:,} patterns: p50 {b['p50_us']:.1f} µs, "
                  f"p99 {b['p99_us']:.1f} µs.")
    for n in [1000, 10000]:
        b = bench.get(f"TactCompile/{n}/iterations:2")
        if b:
            print(f"Compiling {n:,} patterns: {b['real_time']:.0f} ms.")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""What a QA team would otherwise write: find the phrases in each utterance with Python.

  baseline.py ahocorasick UTTERANCES PHRASES   pyahocorasick (Debian's python3-ahocorasick)
  baseline.py re UTTERANCES PHRASES            one alternation of all phrases, re.finditer

Both lower-case each utterance first and nothing more (no traditional/simplified folding, no
width folding, no word boundaries, no rules), so they do less than tact. Prints one JSON line:
{"tool", "phrases", "mb_per_s", "hits_per_utterance"}; throughput is over the UTF-8 bytes of the
utterances, best of three runs.
"""
import json
import re
import sys
import time


def main():
    tool, utterances_path, phrases_path = sys.argv[1:4]
    with open(utterances_path, encoding="utf-8") as f:
        utterances = [line.rstrip("\n") for line in f]
    with open(phrases_path, encoding="utf-8") as f:
        phrases = [line.rstrip("\n").lower() for line in f if line.strip()]
    total_bytes = sum(len(u.encode("utf-8")) for u in utterances)

    if tool == "ahocorasick":
        import ahocorasick
        automaton = ahocorasick.Automaton()
        for i, p in enumerate(phrases):
            automaton.add_word(p, i)
        automaton.make_automaton()

        def scan(text):
            return sum(1 for _ in automaton.iter(text))
    elif tool == "re":
        rx = re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))

        def scan(text):
            return sum(1 for _ in rx.finditer(text))
    else:
        sys.exit(f"unknown tool {tool}")

    best = float("inf")
    hits = 0
    for _ in range(3):
        start = time.perf_counter()
        hits = sum(scan(u.lower()) for u in utterances)
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"tool": tool, "phrases": len(phrases),
                      "mb_per_s": total_bytes / best / 1e6,
                      "hits_per_utterance": hits / len(utterances)}))


if __name__ == "__main__":
    main()

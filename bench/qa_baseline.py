#!/usr/bin/env python3
"""The job `tact qa` does, as a QA team would script it in Python: read JSONL calls, lower-case
each agent and customer turn, find the playbook's phrases with pyahocorasick, write one JSON
record per call. It does less than tact (no normalisation of scripts or width, no word
boundaries, no NEAR/BEFORE, no stages or required steps), so the comparison flatters it.

Usage: qa_baseline.py PLAYBOOK_DIR CALLS.jsonl   -> prints {"mb_per_s", "transcript_mb_per_s", "calls"}
"""
import glob
import json
import re
import sys
import time

import ahocorasick


def phrases(playbook_dir):
    """The literal words of every `match:`/`done_when:` pattern and lexicon in the playbooks."""
    words = set()
    for path in glob.glob(f"{playbook_dir}/*.yaml"):
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = re.search(r"(match|done_when):\s*(.*)$", line) or re.match(r"\s+\w+:\s*\[(.*)\]", line)
                if not m:
                    continue
                text = m.group(m.lastindex)
                for w in re.split(r"[|&()!~@\"/\[\],]|NEAR/\d+|BEFORE/\d+|\\\\d\+|\^|\$", text):
                    w = w.strip().strip("*").lower()
                    if w and not w.startswith("{"):
                        words.add(w)
    return sorted(words)


def main():
    playbook_dir, calls_path = sys.argv[1:3]
    automaton = ahocorasick.Automaton()
    for i, p in enumerate(phrases(playbook_dir)):
        automaton.add_word(p, (i, p))
    automaton.make_automaton()
    with open(calls_path, encoding="utf-8") as f:
        lines = f.readlines()
    total = sum(len(l.encode("utf-8")) for l in lines)
    text_bytes = 0
    start = time.perf_counter()
    out = []
    for line in lines:
        call = json.loads(line)
        findings = []
        for n, turn in enumerate(call["turns"]):
            text_bytes += len(turn["text"].encode("utf-8"))
            for end, (i, p) in automaton.iter(turn["text"].lower()):
                findings.append({"rule": p, "turn": n, "speaker": turn["speaker"], "span": [end - len(p) + 1, end + 1]})
        out.append(json.dumps({"call": call.get("id"), "findings": findings}, ensure_ascii=False))
    seconds = time.perf_counter() - start
    print(json.dumps({"mb_per_s": total / seconds / 1e6, "transcript_mb_per_s": text_bytes / seconds / 1e6,
                      "calls": len(lines), "seconds": seconds}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The job `tact qa` does, as a QA team would script it in Python: read JSONL calls, lower-case
each agent and customer turn, find the playbook's phrases with pyahocorasick, write one JSON
record per call. It does less than tact (no normalisation of scripts or width, no word
boundaries, no NEAR/BEFORE, no stages or required steps), so the comparison flatters it.

Usage: qa_baseline.py PLAYBOOK_DIR CALLS.jsonl   -> prints {"mb_per_s", "transcript_mb_per_s", "calls"}
       qa_baseline.py --phrases PLAYBOOK_DIR       -> the phrases it looks for, one per line
"""
import glob
import json
import re
import sys
import time

import ahocorasick
import yaml


def patterns(node, key=None):
    """Every pattern text in a playbook: values of match/done_when keys and lexicon entries."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "lexicons" and isinstance(v, dict):
                for entries in v.values():
                    yield from (str(e) for e in (entries if isinstance(entries, list) else [entries]))
            elif k in ("match", "done_when") and not isinstance(v, (dict, list)):
                yield str(v)
            else:
                yield from patterns(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from patterns(v, key)


def phrases(playbook_dir):
    """The literal words of every pattern and lexicon entry in the playbooks."""
    words = set()
    for path in glob.glob(f"{playbook_dir}/*.yaml"):
        if path.endswith(".test.yaml"):
            continue
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        for text in patterns(doc):
            for w in re.split(r"[|&()!~@\"/\[\],]|NEAR/\d+|BEFORE/\d+|\\d\+|\^|\$|\s{2,}|\n", text):
                w = w.strip().strip("*").lower()
                if w and not any(c in w for c in "?+\\[]{}^$-") and w not in ("and", "or", "not"):
                    words.add(w)
    return sorted(words)


def main():
    if sys.argv[1] == "--phrases":  # the phrase list alone, for the raw Hyperscan scan
        print("\n".join(phrases(sys.argv[2])))
        return
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

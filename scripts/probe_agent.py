#!/usr/bin/python3
"""Measures the playbooks on agent probe lines (rules/models/probes/agent_en.tsv, agent_zh.tsv).

    scripts/probe_agent.py [--tact build/release/tact] [-p rules] [PROBES.tsv]

Each probe becomes a short call, in Chinese when the agent's line has a Chinese character and
in English otherwise: a greeting, a customer who says they want to complain (so the
complaint is open, as it is by then in a real call), the agent's "what happened?", the probe's
customer line, and the probe's agent line. `tact qa` checks the calls; only the findings on the
probe's agent line count. Prints, per tag, what the probes labelled with it raised (recall),
the violations raised on lines labelled "-" (false findings), and tags raised on labelled lines
beyond their labels. Imports train_model.py (for has_han), so it needs the same Debian packages
(python3-sklearn, python3-yaml).
"""

import argparse
import collections
import json
import subprocess
import sys

from train_model import has_han  # the models' own test for a Chinese turn

VIOLATIONS = {"deflect", "blame_customer", "shift_responsibility", "dismiss_emotion", "no_solution",
              "upsell_during_complaint", "unauthorized_promise", "burden_customer", "rude"}


def read_probes(path):
    out = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 3:
            sys.exit(f"{path}:{n}: expected three tab-separated columns")
        tags = set() if cols[0] == "-" else set(cols[0].split(","))
        out.append((tags, cols[1], cols[2]))
    return out


FRAMES = {
    "en": ("Hello, thanks for calling. How can I help you today?", "I'd like to make a complaint.",
           "Of course. What happened?"),
    "zh": ("您好，很高兴为您服务，请问有什么可以帮您？", "我要投诉。", "好的，您请说，具体是什么情况？"),
}


def call(i, customer, agent):
    greeting, complaint, question = FRAMES["zh" if has_han(agent) else "en"]
    turns = [("agent", greeting),
             ("customer", complaint),
             ("agent", question),
             ("customer", customer),
             ("agent", agent)]
    return {"id": f"probe{i}", "turns": [{"speaker": s, "text": t} for s, t in turns]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tact", default="build/release/tact")
    ap.add_argument("-p", "--playbooks", default="rules")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss and false finding")
    ap.add_argument("probes", nargs="?", default="rules/models/probes/agent_en.tsv")
    a = ap.parse_args()

    probes = read_probes(a.probes)
    lines = "".join(json.dumps(call(i, c, g), ensure_ascii=False) + "\n" for i, (_, c, g) in enumerate(probes))
    r = subprocess.run([a.tact, "qa", "-p", a.playbooks, "--format", "jsonl", "-"], input=lines,
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"tact qa failed ({r.returncode}): {r.stderr}")
    raised = {}
    for rec in map(json.loads, r.stdout.splitlines()):
        i = int(rec["call"][len("probe"):])
        raised[i] = {f["tags"][0] for f in rec["findings"]
                     if f.get("turn") == 4 and f["kind"] == "violation" and f["tags"][0] in VIOLATIONS}

    found, total, extra = collections.Counter(), collections.Counter(), collections.Counter()
    false_on_calm = []
    for i, (tags, customer, agent) in enumerate(probes):
        got = raised.get(i, set())
        for t in tags:
            total[t] += 1
            if t in got:
                found[t] += 1
            elif a.verbose:
                print(f"  miss {t}: {agent}")
        if not tags and got:
            false_on_calm.append((agent, got))
        for t in got - tags if tags else ():
            extra[t] += 1
            if a.verbose:
                print(f"  extra {t}: {agent}")
    for agent, got in false_on_calm if a.verbose else ():
        print(f"  false {','.join(sorted(got))}: {agent}")
    calm = sum(1 for t, _, _ in probes if not t)
    for t in sorted(total):
        print(f"{t:22} {found[t]:3}/{total[t]:<3} found")
    print(f"{'all labelled':22} {sum(found.values()):3}/{sum(total.values()):<3} found")
    print(f"{'harmless lines':22} {len(false_on_calm):3}/{calm:<3} with a violation")
    print(f"{'labelled lines':22} {sum(extra.values()):3} violations beyond their labels "
          f"({', '.join(f'{t} {n}' for t, n in sorted(extra.items())) or 'none'})")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Replays the held-out sets' first runs with the models' thresholds moved (docs/models.md).

    scripts/replay_first_runs.py 40                       # sets 40 on, thresholds as shipped then
    scripts/replay_first_runs.py 40 --shift -0.3 --models refund,loss_complaint
    scripts/replay_first_runs.py 90 --tags                # and each tag's totals, most missed first

Each held-out set was merged into main from its own branch (`git log --merges`): the merge's
first parent holds the playbooks and models as they were before the set was seen, its second
parent the set's calls and labels as first written. This runs each set with those playbooks,
every `{id: M, above: X}` whose M contains one of --models (all of them without it) moved by
--shift, and prints precision and recall of findings and intents summed over the sets. With no
shift it gives back the first runs rules/README.md reports. Run from the repository root after a
release build; it reads git history only, and writes to a temporary directory.

The models' self-checks are dropped before loading: a model is checked against the normaliser
that trained it, and the normaliser has changed since some sets were run (帳 and 账 became one
class after set 113). Views with neither character read as they did.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

TACT = os.path.join("build", "release", "tact")
MERGE = re.compile(r"[Hh]eld-out set (\d+)")
THRESHOLD = re.compile(r"\{id: ([a-z_]+), above: ([0-9.]+)\}")
METRIC = r"{}\s+precision [0-9.]+ \((\d+)/(\d+)\)\s+recall [0-9.]+ \((\d+)/(\d+)\)"
TAG_METRIC = re.compile("^    " + METRIC.format(r"(\w+)") + "$", re.M)  # a tag's line of --metrics


def add(total, m, first_group):
    """Adds a metric line's right, reported and labelled counts to `total`."""
    right, reported, _, labelled = (int(m.group(first_group + i)) for i in range(4))
    total[0] += right
    total[1] += reported
    total[2] += labelled


def held_out_merges(first):
    log = subprocess.run(["git", "log", "--merges", "--format=%P %s"], capture_output=True,
                         text=True, check=True).stdout
    for line in log.splitlines():
        before, blind, subject = line.split(" ", 2)
        m = MERGE.search(subject)
        if m and int(m.group(1)) >= first:
            yield int(m.group(1)), before, blind


def extract(commit, path, into):
    archive = subprocess.run(["git", "archive", commit, path], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", into], input=archive.stdout, check=True)


def shift_thresholds(rules, shift, models):
    for name in os.listdir(rules):
        if not name.endswith(".yaml"):
            continue
        path = os.path.join(rules, name)
        with open(path, encoding="utf-8") as f:
            text = f.read()

        def moved(m):
            if models and not any(x in m.group(1) for x in models):
                return m.group(0)
            above = min(0.99, max(0.05, float(m.group(2)) + shift))
            return "{id: %s, above: %.2f}" % (m.group(1), above)

        with open(path, "w", encoding="utf-8") as f:
            f.write(THRESHOLD.sub(moved, text))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("first", type=int, help="the first held-out set to replay")
    ap.add_argument("--shift", type=float, default=0.0, help="added to each threshold moved")
    ap.add_argument("--models", default="", help="comma-separated model id parts (default: all)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each set's numbers")
    ap.add_argument("--tags", action="store_true", help="also print each tag's totals")
    ap.add_argument("--tact", default=TACT, help=f"the tact binary (default: {TACT})")
    args = ap.parse_args()
    models = [m for m in args.models.split(",") if m]
    totals = {"findings": [0, 0, 0], "intents": [0, 0, 0]}  # right, reported, labelled
    tags = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n, before, blind in held_out_merges(args.first):
            root = os.path.join(tmp, str(n))
            os.makedirs(root)
            extract(before, "rules", root)
            extract(blind, "tests/calls/holdout", root)
            shift_thresholds(os.path.join(root, "rules"), args.shift, models)
            if os.path.isdir(os.path.join(root, "rules", "models")):
                subprocess.run([sys.executable, os.path.join("scripts", "drop_model_checks.py"),
                                os.path.join(root, "rules", "models")], check=True)
            labels = os.path.join(root, "tests", "calls", "holdout", f"holdout{n}.test.yaml")
            out = subprocess.run([args.tact, "test", labels, "-p", os.path.join(root, "rules"), "-q",
                                  "--metrics"], capture_output=True, text=True).stdout
            for what, t in totals.items():
                m = re.search(METRIC.format(what), out)
                if not m:
                    sys.exit(f"set {n}: no {what} metrics in tact test's output:\n{out}")
                add(t, m, 1)
                if args.verbose:
                    print(f"set {n} {m.group(0)}")
            for m in TAG_METRIC.finditer(out):
                add(tags.setdefault(m.group(1), [0, 0, 0]), m, 2)
    rows = list(totals.items())
    if args.tags:
        rows += sorted(tags.items(), key=lambda kv: kv[1][2] - kv[1][0], reverse=True)
    for what, (right, reported, labelled) in rows:
        print(f"{what:20} precision {right / max(reported, 1):.3f} ({right}/{reported})  "
              f"recall {right / max(labelled, 1):.3f} ({right}/{labelled})")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""What the learned intent cues add on the held-out sets' first runs (docs/models.md).

    scripts/measure_intent_cues.py 51 64            # sets 51 to 64, threshold 0.8

For each held-out set K: the playbooks as they were when the set was committed (its first run,
from git), run by `tact qa` on the set's calls, give the intents the rules found; models
trained as scripts/train_model.py --intent trains them, on the sets before K only (phrasebook
left out: it was written from later sets' misses), add the calls where a customer turn scores
at the threshold or more. Prints each intent the models add (right or wrong) and each one both
miss, then precision and recall of the intents (billing_dispute and refund unless --intents)
over the calls, for the rules
alone and for rules or models. Run from the repository root after a release build.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_model as tm  # noqa: E402

INTENTS = ["billing_dispute", "refund"]
SCRIPTS = {"han": "char", "no_han": "word"}  # as the shipped intent models read them


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("first", type=int)
    ap.add_argument("last", type=int)
    ap.add_argument("--above", type=float, default=0.8)
    ap.add_argument("--intents", default=",".join(INTENTS), help="comma-separated intent ids")
    ap.add_argument("--tact", default="build/release/tact")
    a = ap.parse_args()
    intents = a.intents.split(",")

    examples = {i: tm.intent_examples(["tests/calls"], i, a.tact, "rules") for i in intents}
    calls = []  # (set, call file, path, labelled intents, customer texts)
    for tf in sorted(tm.glob.glob("tests/calls/holdout/holdout*.test.yaml")):
        k = tm.set_number(tf)
        if not a.first <= k <= a.last:
            continue
        for case in (tm.yaml.safe_load(open(tf, encoding="utf-8")) or {}).get("tests") or []:
            path = os.path.join(os.path.dirname(tf), case["call"])
            texts = [t for who, t in tm.read_turns(path) if who == "customer"]
            calls.append((k, case["call"], path, set(case.get("intents") or []), texts))
    # Every text the models read or are trained on, viewed once.
    texts = sorted({t for c in calls for t in c[4]} | {e[0] for ex in examples.values() for e in ex})
    views = dict(zip(texts, tm.views(a.tact, texts)))

    def fit(intent, script, k):
        tm.ANALYZER = SCRIPTS[script]
        keep = [e for e in examples[intent] if e[2] is not None and e[2] < k and
                tm.has_han(e[0]) == (script == "han") and tm.letters(views[e[0]]) >= tm.MIN_LETTERS]
        return tm.fit([views[e[0]] for e in keep], [e[1] for e in keep])

    stats = {"rules": [0, 0, 0], "rules or models": [0, 0, 0]}  # true, false, missed
    with tempfile.TemporaryDirectory() as tmp:
        for k in sorted({c[0] for c in calls}):
            sha = subprocess.run(["git", "log", "--diff-filter=A", "--format=%H", "--",
                                  f"tests/calls/holdout/holdout{k}.test.yaml"],
                                 capture_output=True, text=True, check=True).stdout.split()[-1]
            rules = os.path.join(tmp, str(k))
            tarfile.open(fileobj=io.BytesIO(subprocess.run(["git", "archive", sha, "rules"], capture_output=True,
                                                           check=True).stdout)).extractall(rules)
            mine = [c for c in calls if c[0] == k]
            r = subprocess.run([a.tact, "qa", "-p", os.path.join(rules, "rules"), "--format", "jsonl",
                                *[c[2] for c in mine]], capture_output=True, text=True)
            found = {os.path.basename(json.loads(line)["source"]): set(json.loads(line)["intents"])
                     for line in r.stdout.splitlines()}
            for intent in intents:
                models = {s: fit(intent, s, k) for s in SCRIPTS}
                for _, name, _, labelled, texts in mine:
                    best = 0.0
                    for s, (vec, clf) in models.items():
                        tm.ANALYZER = SCRIPTS[s]
                        v = [views[t] for t in texts if tm.has_han(t) == (s == "han") and
                             tm.letters(views[t]) >= tm.MIN_LETTERS]
                        if v:
                            best = max(best, max(clf.predict_proba(vec.transform(v))[:, 1]))
                    truth, by_rules, by_model = intent in labelled, intent in found.get(name, set()), best >= a.above
                    for what, said in (("rules", by_rules), ("rules or models", by_rules or by_model)):
                        st = stats[what]
                        st[0] += said and truth
                        st[1] += said and not truth
                        st[2] += truth and not said
                    if by_model and not by_rules:
                        print(f"  models add {intent} on set {k} {name} ({best:.2f}): {'right' if truth else 'WRONG'}")
                    elif truth and not by_rules:
                        print(f"  both miss {intent} on set {k} {name} (model {best:.2f})")
    for what, (right, wrong, missed) in stats.items():
        print(f"{what}, sets {a.first}-{a.last}, first runs: precision {right}/{right + wrong}, "
              f"recall {right}/{right + missed}")


if __name__ == "__main__":
    main()

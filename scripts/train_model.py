#!/usr/bin/python3
"""Trains a learned cue (docs/models.md) for one tag or intent from the labelled test calls.

    scripts/train_model.py --tag anger -o rules/models/anger.json
    scripts/train_model.py --tag anger --forward 28      # how it does on sets it has not seen
    scripts/train_model.py --intent refund --script han -o rules/models/refund.json

Examples are the turns of one speaker (customers for anger) in every `exact: true` test file
under the given directories, positive where the file labels the tag on that turn, and the
phrasebook's single utterances that expect the tag or its absence (and --calm / --lines files).
The model reads each turn as `tact score --view` prints it; the features are its n-grams of 1 to
3 code points (or, with --analyzer word, of 1 to 2 words), weighted by TF-IDF; the classifier is scikit-learn's logistic regression (Debian: python3-sklearn,
needed only here: tact itself reads the JSON it writes).

With --intent, the examples are customer turns too, but a call is labelled with intents, not
turns: in a call that has the intent, the first customer turn its `detect` pattern matches
(`tact match`, the playbooks' lexicons) is the positive, the turns before it negative and the
turns after it left out (they may restate it); a call the pattern does not find is left out;
in a call without the intent every customer turn is negative. The phrasebook's cases that list
intents add their customer turns.

--forward N measures what the model adds on held-out sets it was not trained on: for each set
holdoutK.test.yaml with K >= N, a model trained on the earlier sets only (the phrasebook left
out: it was written from later sets' misses; --calm lines kept in) scores set K. Prints
precision and recall.

--before K writes the model as it could have been at set K's first run: trained on the calls
outside holdout/ and the held-out sets before K (the phrasebook left out, as for --forward;
--calm and --lines kept). Dropped into the playbooks of that set's commit (`git archive`), it
replays the first run.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import unicodedata

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

NGRAMS = {"char": (1, 3), "word": (1, 2)}  # code points, or words
ANALYZER = "char"
C = 64.0  # little regularisation: the shipped tests hold every training turn to its label
CUSTOMER = {"客户", "用户", "顾客", "customer", "user", "caller", "顧客", "客戶", "用戶", "使用者"}
AGENT = {"座席", "坐席", "客服", "话务员", "agent", "客服代表", "話務員"}


def strip_comments(s):
    """Text in (…) or （…） closed on the line is a trainer's comment (as text_reader.cpp)."""
    out, i = [], 0
    while i < len(s):
        if s[i] in "(（":
            j = i + 1
            while j < len(s) and s[j] not in ")）":
                j += 1
            if j < len(s):
                i = j + 1
                continue
        out.append(s[i])
        i += 1
    return "".join(out)


def read_turns(path):
    """(speaker, text) of a text transcript, as src/transcript/text_reader.cpp reads it."""
    turns = []
    for line in open(path, encoding="utf-8-sig"):
        line = line.strip(" \t\u3000\r\n")
        colons = [c for c in (line.find(":"), line.find("：")) if c >= 0]
        if not colons:
            continue
        c = min(colons)
        label = line[:c].strip(" \t\u3000").lower()
        speaker = "customer" if label in CUSTOMER else "agent" if label in AGENT else None
        if speaker is None:
            continue
        text = strip_comments(line[c + 1:]).strip(" \t\u3000")
        for q in ("“", "「", '"'):
            if text.startswith(q):
                text = text[len(q):]
                break
        for q in ("”", "」", '"'):
            if text.endswith(q):
                text = text[: -len(q)]
                break
        text = text.strip(" \t\u3000")
        if text:
            turns.append((speaker, text))
    return turns


def set_number(test_file):
    """holdoutK.test.yaml -> K (holdout.test.yaml is 1); the first sets, by intent, are 0."""
    m = re.match(r"holdout(\d*)\.test\.ya?ml$", os.path.basename(test_file))
    return (int(m.group(1) or 1)) if m else 0


def test_cases(dirs):
    """(test file, whether the file is exact, case) for every case of the test files under dirs."""
    files = sorted(f for d in dirs for f in glob.glob(os.path.join(d, "**", "*.test.yaml"), recursive=True))
    for tf in files:
        doc = yaml.safe_load(open(tf, encoding="utf-8")) or {}
        for case in doc.get("tests") or []:
            yield tf, bool(doc.get("exact")), case


def examples(dirs, tag, speaker):
    """[(text, label, set number or None for the phrasebook, name)]"""
    out = []
    for tf, exact, case in test_cases(dirs):
        if "call" in case and exact:
            turns = read_turns(os.path.join(os.path.dirname(tf), case["call"]))
            labelled = {f["turn"] for f in case.get("findings") or [] if f.get("tag") == tag and "turn" in f}
            for i, (who, text) in enumerate(turns):
                if who == speaker:
                    out.append((text, i in labelled, set_number(tf), f"{case['call']}:{i}"))
        elif "turns" in case:
            for i, turn in enumerate(case["turns"]):
                if speaker not in turn:
                    continue
                pos = any(f.get("turn") == i and f.get("tag") == tag for f in case.get("findings") or [])
                neg = any(isinstance(a, dict) and a.get("tag") == tag and a.get("turn", i) == i
                          for a in case.get("absent") or [])
                if pos or neg:
                    out.append((turn[speaker], pos, None, case.get("name", "")))
    return out


def detect_pattern(playbooks, intent):
    """The `detect: match:` of the intent with this id in the playbooks' YAML files."""
    for path in sorted(glob.glob(os.path.join(playbooks, "*.yaml"))):
        doc = yaml.safe_load(open(path, encoding="utf-8")) or {}
        found = doc.get("intent") or {}
        if found.get("id", doc.get("id")) == intent:
            return found["detect"]["match"]
    sys.exit(f"train_model: no intent {intent!r} in {playbooks}")


def matches(tact, playbooks, pattern, texts):
    """Whether the pattern matches each text (tact match --json)."""
    r = subprocess.run([tact, "match", "-p", playbooks, "--json", pattern], input="\n".join(texts) + "\n",
                       capture_output=True, text=True)
    if r.returncode > 1:
        sys.exit(f"train_model: tact match failed: {r.stderr.strip()}")
    out = [json.loads(line)["match"] for line in r.stdout.splitlines()]
    if len(out) != len(texts):
        sys.exit("train_model: tact match returned the wrong number of lines")
    return out


def intent_examples(dirs, intent, tact, playbooks):
    """[(text, label, set number or None for the phrasebook, name)] for a learned intent cue."""
    calls, phrasebook = [], []
    for tf, exact, case in test_cases(dirs):
        if "call" in case and exact:
            turns = read_turns(os.path.join(os.path.dirname(tf), case["call"]))
            customer = [(i, text) for i, (who, text) in enumerate(turns) if who == "customer"]
            calls.append((customer, intent in (case.get("intents") or []), set_number(tf), case["call"]))
        elif "turns" in case and "intents" in case:
            for turn in case["turns"]:
                if "customer" in turn:
                    phrasebook.append((turn["customer"], intent in case["intents"], None, case.get("name", "")))
    texts = sorted({text for customer, *_ in calls for _, text in customer})
    found = dict(zip(texts, matches(tact, playbooks, detect_pattern(playbooks, intent), texts)))
    out = []
    for customer, has, k, name in calls:
        first = next((j for j, (_, text) in enumerate(customer) if found[text]), None) if has else len(customer)
        if first is None:
            continue  # the pattern does not find it: which turn says it is unknown
        out += [(text, j == first, k, f"{name}:{i}") for j, (i, text) in enumerate(customer) if j <= first]
    return out + phrasebook


def calm_lines(path):
    """Extra negative examples: one utterance per line, # comments."""
    return [(line.strip(), False, None, "calm")
            for line in open(path, encoding="utf-8") if line.strip() and not line.startswith("#")]


def labelled_lines(path, tag):
    """Extra examples of one speaker: `tags<TAB>text` per line ("-" for no tag), # comments."""
    out = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) != 2:
            sys.exit(f"{path}:{n}: expected tags, a tab, and the text")
        tags = set() if cols[0] == "-" else set(cols[0].split(","))
        out.append((cols[1], tag in tags, None, "calm"))
    return out


def known_before(example, k):
    """Whether an example could be trained on at set K's first run: a call of an earlier set (the
    calls outside holdout/ are set 0), or a --calm / --lines line; not the phrasebook, which was
    written from later sets' misses."""
    return (example[2] is not None and example[2] < k) or example[3] == "calm"


MIN_LETTERS = 3


def letters(view):
    """Code points of Unicode category L (ideographs too), as TextModel::read counts them."""
    return sum(1 for c in view if unicodedata.category(c).startswith("L"))


def has_han(text):
    """As is_han() in src/model/text_model.cpp."""
    return any(0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or
               0x20000 <= o <= 0x3FFFF for o in map(ord, text))


def views(tact, texts):
    """What the model reads of each text, from tact itself (folding as the normaliser does)."""
    for t in texts:
        if "\n" in t or "\r" in t:
            sys.exit(f"train_model: a turn holds a line break: {t!r}")
    r = subprocess.run([tact, "score", "--view"], input="\n".join(texts) + "\n",
                       capture_output=True, text=True, check=True)
    out = r.stdout.split("\n")[: len(texts)]
    if len(out) != len(texts):
        sys.exit("train_model: tact score --view returned the wrong number of lines")
    return out


def words(view):
    """Runs of letters and digits (Unicode categories L and N), as TextModel reads words."""
    out, cur = [], []
    for c in view:
        if unicodedata.category(c)[0] in "LN":
            cur.append(c)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def ngrams(view):
    lo, hi = NGRAMS[ANALYZER]
    if ANALYZER == "word":
        w = words(view)
        return [" ".join(w[i:i + n]) for n in range(lo, hi + 1) for i in range(len(w) - n + 1)]
    return [view[i:i + n] for n in range(lo, hi + 1) for i in range(len(view) - n + 1)]


def fit(view_list, labels):
    vec = TfidfVectorizer(analyzer=ngrams, min_df=2, sublinear_tf=True)
    x = vec.fit_transform(view_list)
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=10000)
    clf.fit(x, np.array(labels))
    return vec, clf


def write_model(path, tag, vec, clf, texts, view_list, description, script):
    names = vec.get_feature_names_out()
    coef = clf.coef_[0]
    features = sorted((str(n), float(vec.idf_[i]), float(coef[i])) for i, n in enumerate(names))
    # Checks: every 25th training text with the probability scikit-learn gives it; tact refuses
    # a model its own arithmetic disagrees with.
    picks = list(range(0, len(texts), 25))
    probs = clf.predict_proba(vec.transform([view_list[i] for i in picks]))[:, 1]
    lines = ["{",
             f'  "tact_model": 1,',
             f'  "id": {json.dumps(os.path.splitext(os.path.basename(path))[0])},',
             f'  "description": {json.dumps(description, ensure_ascii=False)},',
             f'  "analyzer": {json.dumps(ANALYZER)},',
             f'  "ngrams": [{NGRAMS[ANALYZER][0]}, {NGRAMS[ANALYZER][1]}],',
             f'  "script": {json.dumps(script)},',
             f'  "min_letters": {MIN_LETTERS},',
             f'  "intercept": {float(clf.intercept_[0])!r},',
             '  "checks": [']
    lines += [f"    [{json.dumps(texts[i], ensure_ascii=False)}, {float(p)!r}]" + ("," if k + 1 < len(picks) else "")
              for k, (i, p) in enumerate(zip(picks, probs))]
    lines += ["  ],", '  "features": [']
    lines += [f"    [{json.dumps(n, ensure_ascii=False)}, {idf!r}, {c!r}]" + ("," if k + 1 < len(features) else "")
              for k, (n, idf, c) in enumerate(features)]
    lines += ["  ]", "}"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return len(features)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    what = ap.add_mutually_exclusive_group()
    what.add_argument("--tag", help="a tag of findings (default: anger)")
    what.add_argument("--intent", help="an intent of the playbooks (customer turns)")
    ap.add_argument("-p", "--playbooks", default="rules", help="with --intent: where its detect pattern is")
    ap.add_argument("--speaker", default="customer", choices=["customer", "agent"])
    ap.add_argument("--tact", default="build/release/tact")
    ap.add_argument("--above", type=float, default=0.5, help="threshold for --forward")
    ap.add_argument("-o", "--output", help="the model file to write")
    ap.add_argument("--forward", type=int, metavar="N", help="evaluate on held-out sets N and later")
    ap.add_argument("--before", type=int, metavar="K",
                    help="train on held-out sets before K only (with --calm / --lines): the model as it "
                         "could have been at set K's first run, for replaying it")
    ap.add_argument("--calm", metavar="FILE", help="more turns that are not the tag, one per line")
    ap.add_argument("--lines", metavar="FILE", action="append", default=[],
                    help="more turns, each labelled: tags (or -), a tab, the text")
    ap.add_argument("--script", choices=["any", "han", "no_han"], default="any",
                    help="han: train on, and score, only turns with a Chinese character; "
                         "no_han: only turns without one (English)")
    ap.add_argument("--analyzer", choices=["char", "word"], default="char",
                    help="char: n-grams of 1 to 3 code points (any language); word: of 1 to 2 "
                         "words, runs of letters and digits (for English)")
    ap.add_argument("dirs", nargs="*", default=["tests/calls"])
    a = ap.parse_args()
    global ANALYZER
    ANALYZER = a.analyzer

    if a.intent:
        a.tag, a.speaker = a.intent, "customer"
        ex = intent_examples(a.dirs, a.intent, a.tact, a.playbooks)
    else:
        a.tag = a.tag or "anger"
        ex = examples(a.dirs, a.tag, a.speaker)
    calm = calm_lines(a.calm) if a.calm else []
    for path in a.lines:
        calm += labelled_lines(path, a.tag)
    print(f"{len(ex)} {a.speaker} turns, {sum(e[1] for e in ex)} labelled {a.tag}; "
          f"{len(calm)} extra lines, {sum(e[1] for e in calm)} of them {a.tag}", file=sys.stderr)
    ex += calm
    if a.before is not None:
        ex = [e for e in ex if known_before(e, a.before)]
    if a.script == "han":
        ex = [e for e in ex if has_han(e[0])]
        print(f"{len(ex)} of them with a Chinese character ({sum(e[1] for e in ex)} {a.tag})",
              file=sys.stderr)
    elif a.script == "no_han":
        ex = [e for e in ex if not has_han(e[0])]
        print(f"{len(ex)} of them without a Chinese character ({sum(e[1] for e in ex)} {a.tag})",
              file=sys.stderr)
    view_list = views(a.tact, [e[0] for e in ex])
    # A reply as short as 是呀 or "No." takes its meaning from the turn before it, which the model
    # does not see: labelled in context, it would teach the model that 是 is a disclaimer. Such
    # turns are left out, and the model scores them 0 ("min_letters").
    keep = [i for i, v in enumerate(view_list) if letters(v) >= MIN_LETTERS]
    short = [e for e, v in zip(ex, view_list) if letters(v) < MIN_LETTERS]
    print(f"{len(short)} turns of fewer than {MIN_LETTERS} letters left out "
          f"({sum(e[1] for e in short)} labelled {a.tag})", file=sys.stderr)
    ex = [ex[i] for i in keep]
    view_list = [view_list[i] for i in keep]
    texts = [e[0] for e in ex]
    labels = [e[1] for e in ex]

    if a.forward is not None:
        sets = sorted({e[2] for e in ex if e[2] is not None and e[2] >= a.forward})
        tp = fp = fn = 0
        for k in sets:
            train = [i for i, e in enumerate(ex) if known_before(e, k)]
            test = [i for i, e in enumerate(ex) if e[2] == k]
            vec, clf = fit([view_list[i] for i in train], [labels[i] for i in train])
            p = clf.predict_proba(vec.transform([view_list[i] for i in test]))[:, 1] >= a.above
            for i, pred in zip(test, p):
                tp += pred and labels[i]
                fp += pred and not labels[i]
                fn += (not pred) and labels[i]
        print(f"forward, sets {sets[0]}-{sets[-1]}: precision {tp / max(1, tp + fp):.2f} ({tp}/{tp + fp}), "
              f"recall {tp / max(1, tp + fn):.2f} ({tp}/{tp + fn})")
        return

    if not a.output:
        ap.error("give -o FILE to write the model, or --forward N to evaluate")
    vec, clf = fit(view_list, labels)
    wrong = [e for e, p in zip(ex, clf.predict(vec.transform(view_list))) if bool(p) != e[1]]
    description = (f"{a.tag} in {a.speaker} turns: logistic regression over n-grams "
                   f"{NGRAMS[ANALYZER][0]}-{NGRAMS[ANALYZER][1]} ({ANALYZER}s) of {len(ex)} labelled turns ({sum(labels)} {a.tag}) "
                   f"of tests/calls; written by scripts/train_model.py")
    n = write_model(a.output, a.tag, vec, clf, texts, view_list, description, a.script)
    print(f"wrote {a.output}: {n} features; {len(wrong)} training turns scored against their label",
          file=sys.stderr)
    for e in wrong:
        print(f"  {'+' if e[1] else '-'} {e[3]}: {e[0]}", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""`tact lint`: one failing fixture per check (tests/lint/), each with its exact message and
position; JSON and SARIF output; exit codes; the shipped playbooks lint clean.

Usage: test_lint.py PATH_TO_TACT SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import unittest

TACT = SOURCE = None

# fixture -> (exit code, first line of the report)
EXPECTED = {
    "load_unknown_key.yaml": (1, "tests/lint/load_unknown_key.yaml:6:5: error [load]: forbid rule: unknown key 'sevrity' (did you mean 'severity'?)"),
    "load_punctuation_pattern.yaml": (1, "tests/lint/load_punctuation_pattern.yaml:5:13: error [load]: rule f: pattern error: '！！' has no words after normalisation (only punctuation, symbols or spaces), so it can never match"),
    "load_unknown_lexicon.yaml": (1, "tests/lint/load_unknown_lexicon.yaml:5:13: error [load]: rule f: pattern error: unknown lexicon '@nope' (no lexicons are defined)"),
    "load_duplicate_id.yaml": (1, "tests/lint/load_duplicate_id.yaml:5:10: error [load]: duplicate rule id 'f' (also at tests/lint/load_duplicate_id.yaml:4:10)"),
    "contradiction.yaml": (1, "tests/lint/contradiction.yaml:6:14: error [contradiction]: forbid no_way tells agents to say what forbid no_way (tests/lint/contradiction.yaml:4) flags"),
    "stage_never_done.yaml": (1, "tests/lint/stage_never_done.yaml:6:11: error [stage-never-done]: stage soothe of a has no done_when, so the stages after it can never become current"),
    "stage_never_current.yaml": (0, "tests/lint/stage_never_current.yaml:9:18: warning [stage-never-current]: stage clarify of a is done by the same pattern as stage soothe, so it completes together with it and is never current"),
    "stage_done_too_easily.yaml": (0, "tests/lint/stage_done_too_easily.yaml:7:18: warning [stage-done-too-easily]: stage soothe of a is done by a pattern that is only a negation: almost any agent turn completes it"),
    "shadowed.yaml": (0, "tests/lint/shadowed.yaml:5:10: warning [shadowed]: forbid calm_down_again has the same condition as calm_down (tests/lint/shadowed.yaml:4), so it fires exactly when calm_down does"),
    "unused_lexicon.yaml": (0, "tests/lint/unused_lexicon.yaml:5:3: warning [unused-lexicon]: lexicon 'unused' is never used"),
    "no_tags.yaml": (0, "tests/lint/no_tags.yaml:4:10: warning [no-tags]: signal anger has no tags"),
    "regex_habit.yaml": (0, "tests/lint/regex_habit.yaml:5:18: warning [regex-habit]: '?' is not an operator here: outside quotes it only separates words, so the part before it is required"),
    "apostrophe.yaml": (0, "tests/lint/apostrophe.yaml:5:14: warning [apostrophe]: an apostrophe that starts or ends a word never matches: text is normalised with letters joined across apostrophes (we'll becomes well)"),
    "quoted_star.yaml": (0, "tests/lint/quoted_star.yaml:5:24: warning [quoted-star]: '*' inside quotes is no prefix: like any symbol there it only separates words, so the word before it must be whole"),
    "hash_in_pattern.yaml": (0, "tests/lint/hash_in_pattern.yaml:7:7: warning [hash-in-pattern]: '#' is no comment inside a pattern: in a block scalar (>-, |) YAML keeps the line as text, so its words become part of the pattern"),
    "filler_in_pattern.yaml": (0, "tests/lint/filler_in_pattern.yaml:6:26: warning [filler-in-pattern]: filler '额' is also dropped from this pattern, which contains it"),
}


def lint(*args):
    p = subprocess.run([TACT, "lint", *args], capture_output=True, cwd=SOURCE,
                       env={**os.environ, "NO_COLOR": "1"})
    return p.returncode, p.stdout.decode(), p.stderr.decode()


class Lint(unittest.TestCase):
    def test_every_check_has_a_fixture_with_its_exact_message(self):
        fixtures = sorted(f for f in os.listdir(os.path.join(SOURCE, "tests", "lint"))
                          if f not in ("clean.yaml", "load_many_errors.yaml"))
        self.assertEqual(fixtures, sorted(EXPECTED))
        for fixture, (code, first) in EXPECTED.items():
            rc, out, _ = lint("tests/lint/" + fixture)
            self.assertEqual(rc, code, fixture)
            lines = out.splitlines()
            self.assertEqual(lines[0], first, fixture)
            self.assertTrue(lines[-1].startswith("  hint: "), fixture)

    def test_every_broken_rule_is_reported_not_just_the_first(self):
        rc, out, _ = lint("tests/lint/load_many_errors.yaml")
        self.assertEqual(rc, 1)
        errors = [l for l in out.splitlines() if " error [load]: " in l]
        self.assertEqual(errors, [
            "tests/lint/load_many_errors.yaml:5:15: error [load]: rule a: pattern error: expected ')' after '(退款', at end of pattern",
            "tests/lint/load_many_errors.yaml:8:5: error [load]: forbid rule: unknown key 'sevrity' (did you mean 'severity'?)",
            "tests/lint/load_many_errors.yaml:10:9: error [load]: duplicate rule id 'a' (also at tests/lint/load_many_errors.yaml:4:9)",
        ])

    def test_every_documented_check_is_exercised(self):
        _, out, _ = lint("--help")
        checks = [line.split()[0] for line in out.split("Checks:\n")[1].split("Exit codes")[0].splitlines()]
        covered = {first.split("[")[1].split("]")[0] for _, first in EXPECTED.values()} | {"io"}
        self.assertEqual(set(checks), covered)

    def test_a_clean_playbook_and_the_shipped_ones(self):
        for path in ("tests/lint/clean.yaml", "rules", "examples/playbooks"):
            rc, out, err = lint(path)
            self.assertEqual((rc, out), (0, ""), path)
            self.assertIn("0 errors, 0 warnings", err)

    def test_json(self):
        rc, out, _ = lint("--format", "json", "tests/lint/shadowed.yaml", "tests/lint/contradiction.yaml")
        self.assertEqual(rc, 1)
        problems = json.loads(out)
        self.assertEqual([(p["file"], p["line"], p["column"], p["severity"], p["check"], p["rule"]) for p in problems], [
            ("tests/lint/contradiction.yaml", 6, 14, "error", "contradiction", "no_way"),
            ("tests/lint/shadowed.yaml", 5, 10, "warning", "shadowed", "calm_down_again"),
        ])
        self.assertTrue(all(p["hint"] for p in problems))

    def test_sarif(self):
        rc, out, _ = lint("--format", "sarif", "tests/lint/stage_never_done.yaml", "tests/lint/no_tags.yaml")
        self.assertEqual(rc, 1)
        log = json.loads(out)
        self.assertEqual(log["version"], "2.1.0")
        (run,) = log["runs"]
        rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
        self.assertIn("stage-never-done", rule_ids)
        results = run["results"]
        self.assertEqual([(r["ruleId"], r["level"]) for r in results],
                         [("no-tags", "warning"), ("stage-never-done", "error")])
        loc = results[1]["locations"][0]["physicalLocation"]
        self.assertEqual(loc["artifactLocation"]["uri"], "tests/lint/stage_never_done.yaml")
        self.assertEqual((loc["region"]["startLine"], loc["region"]["startColumn"]), (6, 11))
        self.assertIn("hint:", results[1]["message"]["text"])

    def test_usage_and_missing_files(self):
        self.assertEqual(lint()[0], 2)
        self.assertEqual(lint("--format", "xml", "rules")[0], 2)
        rc, out, _ = lint("nope.yaml")
        self.assertEqual(rc, 1)
        self.assertIn("nope.yaml: error [io]: no such file or directory", out)


if __name__ == "__main__":
    TACT = os.path.abspath(sys.argv.pop(1))
    SOURCE = os.path.abspath(sys.argv.pop(1))
    unittest.main()

#!/usr/bin/env python3
"""`tact test`: passing and failing suites, the diff, exit codes, JUnit parsed back, coverage,
precision/recall, known misses and broken test files.

Usage: test_test_command.py PATH_TO_TACT SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest
import xml.etree.ElementTree as ET

TACT = SOURCE = None

PLAYBOOK = """\
tact: 1
id: shop
signals:
  - {id: anger, match: 太过分 | ridiculous, tags: [anger]}
forbid:
  - {id: calm_down, match: 别生气 | "calm down", tags: [dismiss_emotion]}
  - {id: never_fires, match: 绝不会出现的句子, tags: [rude]}
require:
  - {id: greeting, match: 您好 | hello, by: first_agent_turn, tags: [greeting]}
recommend:
  - {id: soothe, when: {signal: anger}, say: 非常抱歉, done_when: 抱歉, tags: [apology]}
intent:
  id: refund
  detect: {match: 退款 | refund}
"""


class Suite:
    """A temporary directory with a playbook, a transcript and a test file."""

    def __init__(self, tests, playbook=PLAYBOOK):
        self.dir = tempfile.TemporaryDirectory()
        self.path = self.dir.name
        self.write("shop.yaml", playbook)
        self.write("call.txt", "客服:您好\n用户:我要退款，太过分了\n客服:您别生气\n")
        self.write("shop.test.yaml", textwrap.dedent(tests))

    def __del__(self):
        self.dir.cleanup()

    def write(self, name, text):
        with open(os.path.join(self.path, name), "w", encoding="utf-8") as f:
            f.write(text)

    def run(self, *args):
        p = subprocess.run([TACT, "test", self.path, *args], capture_output=True, cwd=self.path,
                           env={**os.environ, "NO_COLOR": "1"})
        return p.returncode, p.stdout.decode(), p.stderr.decode()


PASSING = """\
    tests:
      - name: angry refund
        call: call.txt
        intents: [refund]
        exact: true
        findings:
          - {turn: 1, tag: anger}
          - {turn: 2, rule: calm_down}
        recommendations:
          - {after: 1, rule: soothe}
      - name: inline
        turns:
          - agent: hello
          - customer: ridiculous, I want a refund
        intents: {refund: 1}
        absent:
          - {tag: dismiss_emotion}
"""


class TestCommand(unittest.TestCase):
    def test_a_passing_suite_exits_0(self):
        rc, out, _ = Suite(PASSING).run()
        self.assertEqual(rc, 0, out)
        self.assertIn("PASS", out)
        self.assertIn("angry refund", out)
        self.assertTrue(out.rstrip().endswith("2 passed, 0 failed"), out)

    def test_a_failing_case_shows_a_diff_and_exits_1(self):
        rc, out, _ = Suite("""\
            tests:
              - name: wrong expectations
                call: call.txt
                intents: [billing]
                exact: true
                findings:
                  - {turn: 1, tag: deflect}
                  - {turn: 2, tag: dismiss_emotion}
        """).run()
        self.assertEqual(rc, 1)
        self.assertIn("FAIL  ", out)
        self.assertIn("! line 4: intents: expected [billing], got [refund]", out)
        self.assertIn("- line 7: expected finding tag deflect at turn 1: not reported", out)
        self.assertIn('+ unexpected signal anger [anger] at turn 1 "太过分"', out)
        self.assertIn("reported: intents [refund]", out)
        self.assertIn("0 passed, 1 failed", out)

    def test_absent_findings_and_missing_recommendations_fail(self):
        rc, out, _ = Suite("""\
            tests:
              - call: call.txt
                absent: [{tag: dismiss_emotion}]
                recommendations: [{after: 0, rule: soothe}, {after: 9, rule: soothe}]
        """).run()
        self.assertEqual(rc, 1)
        self.assertIn("+ line 3: must not report finding tag dismiss_emotion: got violation calm_down", out)
        self.assertIn("- line 4: expected recommendation rule soothe after turn 0: not recommended", out)
        self.assertIn("! line 4: expected recommendation rule soothe after turn 9: the call has 3 turns", out)

    def test_junit_is_valid_xml_with_failures_and_positions(self):
        suite = Suite(PASSING.replace("intents: [refund]", "intents: []"))
        junit = os.path.join(suite.path, "out.xml")
        rc, _, _ = suite.run("--junit", junit)
        self.assertEqual(rc, 1)
        root = ET.parse(junit).getroot()
        self.assertEqual(root.tag, "testsuites")
        self.assertEqual((root.get("tests"), root.get("failures"), root.get("errors")), ("2", "1", "0"))
        cases = root.findall("./testsuite/testcase")
        self.assertEqual([c.get("name") for c in cases], ["angry refund", "inline"])
        self.assertEqual(cases[0].get("line"), "2")
        failure = cases[0].find("failure")
        self.assertIn("intents: expected [], got [refund]", failure.text)
        self.assertIsNone(cases[1].find("failure"))

    def test_coverage_names_rules_never_fired_and_min_coverage_fails(self):
        suite = Suite(PASSING)
        rc, out, _ = suite.run("--coverage")
        self.assertEqual(rc, 0)
        # a required step counts when a case saw it missing, not when it was merely satisfied
        self.assertIn("rule coverage: 4 of 6 rules fired (66.7%)", out)
        self.assertIn("never fired: forbid never_fires (line 7)", out)
        self.assertIn("never fired: require greeting (line 9)", out)
        rc, out, _ = suite.run("--min-coverage", "90")
        self.assertEqual(rc, 1)
        self.assertIn("coverage 66.7% is under --min-coverage 90.0%", out)

    def test_metrics_count_tag_and_turn_pairs(self):
        rc, out, _ = Suite("""\
            exact: true
            tests:
              - call: call.txt
                intents: [refund]
                findings:
                  - {turn: 1, tag: anger}
                  - {turn: 1, tag: deflect}
        """).run("--metrics")
        self.assertEqual(rc, 1)
        # reported: anger@1 (expected), dismiss_emotion@2 (not); expected: anger@1, deflect@1
        self.assertIn("findings  precision 0.500 (1/2)  recall 0.500 (1/2)", out)
        self.assertIn("intents   precision 1.000 (1/1)  recall 1.000 (1/1)", out)

    def test_known_miss_does_not_fail_and_fixed_is_announced(self):
        rc, out, _ = Suite("""\
            tests:
              - call: call.txt
                known_miss: the playbook cannot see this yet
                findings: [{turn: 0, tag: rude}]
              - call: call.txt
                known_miss: stale
                findings: [{turn: 1, tag: anger}]
        """).run()
        self.assertEqual(rc, 0, out)
        self.assertIn("MISS", out)
        self.assertIn("FIXED", out)
        self.assertIn("1 passed, 0 failed, 1 known misses", out)

    def test_a_broken_test_file_is_an_error_with_its_position_and_others_still_run(self):
        suite = Suite(PASSING)
        suite.write("broken.test.yaml", "tests:\n  - call: call.txt\n    findigns: []\n")
        rc, out, _ = suite.run()
        self.assertEqual(rc, 1)
        self.assertIn("broken.test.yaml:3:5: test: unknown key 'findigns' (did you mean 'findings'?)", out)
        self.assertIn("2 passed, 0 failed, 1 files with errors", out)

    def test_bad_expectations_are_located(self):
        for body, message in [
            ("  - {call: nope.txt}\n", "1:... call: cannot read transcript"),
            ("  - {call: call.txt, findings: [{turn: 1}]}\n", "expected finding: give 'rule', 'tag' or 'missing'"),
            ("  - {call: call.txt, findings: [{missing: closing, turn: 1}]}\n", "a missing step has no turn"),
            ("  - {turns: [{boss: hi}]}\n", "turn: unknown speaker 'boss'"),
            ("  - {call: call.txt, turns: []}\n", "give either 'call: FILE' or 'turns: [...]'"),
        ]:
            suite = Suite(PASSING)
            suite.write("bad.test.yaml", "tests:\n" + body)
            rc, out, _ = suite.run()
            self.assertEqual(rc, 1, body)
            self.assertIn("bad.test.yaml:2:", out, body)
            self.assertIn(message.split("...")[-1], out, body)

    def test_tests_key_in_a_playbook_runs(self):
        playbook = PLAYBOOK + textwrap.dedent("""\
            tests:
              - turns: [{customer: 我要退款}]
                intents: [refund]
        """)
        suite = Suite("tests: []\n", playbook=playbook)
        rc, out, _ = suite.run()
        self.assertEqual(rc, 0, out)
        self.assertIn("shop.yaml:", out)
        self.assertIn("1 passed, 0 failed", out)

    def test_usage_errors(self):
        suite = Suite(PASSING)
        os.remove(os.path.join(suite.path, "shop.yaml"))
        rc, _, err = suite.run()
        self.assertEqual(rc, 2)
        self.assertIn("no playbooks", err)
        rc, _, err = Suite(PASSING).run("--min-coverage", "120")
        self.assertEqual(rc, 2)
        p = subprocess.run([TACT, "test", "/nonexistent"], capture_output=True)
        self.assertEqual(p.returncode, 3)

    def test_an_invalid_playbook_exits_4(self):
        rc, _, err = Suite(PASSING, playbook="tact: 1\nid: x\nforbid: [{id: a, match: '(退款'}]\n").run()
        self.assertEqual(rc, 4)
        self.assertIn("shop.yaml:3:", err)


if __name__ == "__main__":
    TACT = os.path.abspath(sys.argv.pop(1))
    SOURCE = os.path.abspath(sys.argv.pop(1))
    unittest.main()

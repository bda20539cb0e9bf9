#!/usr/bin/env python3
"""`tact explain` end to end with the shipped playbooks.

Usage: test_explain.py PATH_TO_TACT SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import unittest

TACT = SOURCE = None


def run(*args):
    p = subprocess.run([TACT, "explain", "-p", "rules", *args], capture_output=True, cwd=SOURCE,
                       env={**os.environ, "NO_COLOR": "1"})
    return p.returncode, p.stdout.decode(), p.stderr.decode()


class Explain(unittest.TestCase):
    def test_text_shows_normalisation_hits_and_rules(self):
        rc, out, _ = run("您先別生氣，這個我們也沒有辦法")
        self.assertEqual(rc, 0)
        self.assertIn("normalised  您先别生气这个我们也没有办法", out)
        self.assertIn("tokens      您 先 别 生 气 这 个 我 们 也 没 有 办 法  (14)", out)
        self.assertIn("別生氣 [2,5)  phrase 别生气", out)
        fired = out.split("\nfired\n")[1].split("\nnot fired\n")[0]
        self.assertIn("✓ forbid dismiss_emotion  rules/etiquette.yaml:", fired)
        self.assertIn("✓ forbid no_solution", fired)
        self.assertIn("rules whose pattern did not hit this turn (--all lists them)", out)

    def test_a_rule_that_did_not_fire_says_which_condition_failed(self):
        # A denial outside a billing dispute: deny_charge belongs to the intent.
        rc, out, _ = run("--rule", "deny_charge", "我们是不会乱扣钱的")
        self.assertEqual(rc, 1)  # nothing fired on this turn
        self.assertIn("✗ forbid deny_charge", out)
        self.assertIn("✓ speaker is agent", out)
        self.assertIn("✗ intent billing_dispute is active", out)

    def test_a_turn_in_the_context_of_its_call(self):
        rc, out, _ = run("--call", "tests/calls/seed_billing_bad.txt", "--turn", "1", "--rule", "deny_charge")
        self.assertEqual(rc, 0)
        self.assertIn("turn        agent, turn 1 of tests/calls/seed_billing_bad.txt", out)
        self.assertIn("✓ forbid deny_charge", out)
        self.assertIn("✓ intent billing_dispute is active", out)

    def test_json(self):
        rc, out, _ = run("--json", "--speaker", "customer", "你们怎么乱扣前啊")
        self.assertEqual(rc, 0)
        doc = json.loads(out)
        self.assertEqual(doc["normalized"], "你们怎么乱扣前啊")
        self.assertEqual(len(doc["tokens"]), 8)
        self.assertIn({"atom": "homophone ~乱扣钱", "text": "乱扣前", "span": [4, 7]}, doc["hits"])
        intent = next(r for r in doc["rules"] if r["rule"] == "billing_dispute")
        self.assertTrue(intent["fired"])
        self.assertEqual(intent["kind"], "intent")
        self.assertTrue(intent["where"].startswith("rules/billing_dispute.yaml:"))
        self.assertEqual(doc["guidance"]["intents"], ["billing_dispute"])

    def test_errors(self):
        self.assertEqual(run()[0], 2)
        self.assertEqual(run("--call", "tests/calls/seed_billing_bad.txt")[0], 2)
        rc, _, err = run("--call", "tests/calls/seed_billing_bad.txt", "--turn", "99")
        self.assertEqual(rc, 2)
        self.assertIn("has 7 turns (0 to 6); --turn 99 is not one of them", err)
        rc, _, err = run("--rule", "nope", "x")
        self.assertEqual(rc, 2)
        self.assertIn("no rule 'nope'", err)
        self.assertEqual(run("--call", "nope.txt", "--turn", "0")[0], 3)


if __name__ == "__main__":
    TACT = os.path.abspath(sys.argv.pop(1))
    SOURCE = os.path.abspath(sys.argv.pop(1))
    unittest.main()

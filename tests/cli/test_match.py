#!/usr/bin/env python3
"""`tact match` as rule authors and scripts use it: output, JSON, exit codes, errors.

Usage: test_match.py PATH_TO_TACT
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

TACT = None


def run(*args, stdin=None):
    p = subprocess.run([TACT, *args], input=stdin, capture_output=True,
                       env={**os.environ, "NO_COLOR": "1"})
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


class MatchCommand(unittest.TestCase):
    def test_exit_0_when_any_text_matches_and_spans_are_bracketed(self):
        rc, out, _ = run("match", "(不会 | 不可能) NEAR/3 乱扣钱", "我們是不會亂扣錢的", "你好")
        self.assertEqual(rc, 0)
        self.assertEqual(out.splitlines(), [
            "match    我們是[不會亂扣錢]的  [3,8)",
            "no match 你好",
        ])

    def test_exit_1_when_nothing_matches(self):
        rc, out, _ = run("match", "退款", "你好", "hello")
        self.assertEqual(rc, 1)
        self.assertEqual(len(out.splitlines()), 2)

    def test_json_lines_in_code_points(self):
        rc, out, _ = run("match", "--json", "refund*", "😀 ＲＥＦＵＮＤＳ now", "nope")
        self.assertEqual(rc, 0)
        lines = [json.loads(line) for line in out.splitlines()]
        self.assertEqual(lines, [
            {"text": "😀 ＲＥＦＵＮＤＳ now", "match": True, "spans": [[2, 9]]},
            {"text": "nope", "match": False, "spans": []},
        ])
        self.assertEqual(list(lines[0].keys()), ["text", "match", "spans"])

    def test_reads_texts_from_stdin(self):
        rc, out, _ = run("match", "--json", "退款", stdin="我要退款\r\n你好\n退\u200b款".encode())
        self.assertEqual(rc, 0)
        self.assertEqual([json.loads(l)["match"] for l in out.splitlines()], [True, False, True])

    def test_invalid_utf8_text_is_replaced_not_fatal(self):
        rc, out, _ = run("match", "--json", "退款", stdin=b"\xff\xfe\xe9\x80\x80\xe6\xac\xbe\n")
        self.assertEqual(rc, 0)
        obj = json.loads(out)
        self.assertTrue(obj["match"])

    def test_bad_pattern_exits_2_with_column_and_caret(self):
        rc, out, err = run("match", "(乱扣钱 | 多扣", "x")
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertEqual(err.splitlines(), [
            "tact: pattern error at column 10: expected ')' after '(乱扣钱 | 多扣', at end of pattern",
            "  (乱扣钱 | 多扣",
            "                ^",
        ])

    def test_unknown_lexicon_exits_2(self):
        rc, _, err = run("match", "@apology", "x")
        self.assertEqual(rc, 2)
        self.assertIn("unknown lexicon '@apology'", err)

    def test_usage_errors_exit_2(self):
        self.assertEqual(run("match")[0], 2)
        self.assertEqual(run("frobnicate")[0], 2)
        self.assertEqual(run("match", "--frobnicate", "a", "b")[0], 2)
        self.assertEqual(run()[0], 2)

    def test_help_on_every_command(self):
        rc, out, _ = run("--help")
        self.assertEqual(rc, 0)
        self.assertIn("match", out)
        rc, out, _ = run("match", "--help")
        self.assertEqual(rc, 0)
        self.assertIn("Exit status", out)

    def test_playbook_lexicons(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as f:
            f.write("tact: 1\nid: lex\nlexicons:\n  apology: [抱歉, 对不起, \"so sorry\", apologi*]\n")
        try:
            rc, out, _ = run("match", "--json", "-p", f.name, "@apology", "非常抱歉", "We apologise", "sorry")
            self.assertEqual(rc, 0)
            self.assertEqual([json.loads(l)["match"] for l in out.splitlines()], [True, True, False])
        finally:
            os.unlink(f.name)

    def test_playbook_errors_name_file_line_and_column(self):
        with tempfile.NamedTemporaryFile("wb", suffix=".yaml", delete=False) as f:
            f.write(b"tact: 1\nid: x\nlexicons:\n  a: [x]\n  b: [y, \x04z]\n")
        try:
            rc, _, err = run("match", "-p", f.name, "x", "x")
            self.assertEqual(rc, 4)
            self.assertEqual(err.strip(), f"tact: {f.name}:5:10: control character U+0004 not allowed")
        finally:
            os.unlink(f.name)
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as f:
            f.write("lexicons:\n  a: [x]\n  a: [y]\n")
        try:
            rc, _, err = run("match", "-p", f.name, "@a", "x")
            self.assertEqual(rc, 4)
            self.assertEqual(err.strip(), f"tact: {f.name}:3:3: duplicate key 'a' (first at 2:3)")
        finally:
            os.unlink(f.name)

    def test_missing_playbook_exits_3(self):
        rc, _, err = run("match", "-p", "/nonexistent/rules.yaml", "x", "x")
        self.assertEqual(rc, 3)
        self.assertIn("/nonexistent/rules.yaml", err)



TINY_MODEL = '{"tact_model": 1, "id": "t", "ngrams": [1, 2], "intercept": -1, "features": [["ab", 2.0, 1.5]]}'


class ScoreCommand(unittest.TestCase):
    """`tact score`: a learned model on texts (docs/models.md)."""

    def model(self, text=TINY_MODEL):
        f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        f.write(text)
        f.close()
        self.addCleanup(os.unlink, f.name)
        return f.name

    def test_probability_and_evidence_exit_0_when_any_reaches_the_threshold(self):
        rc, out, _ = run("score", "-m", self.model(), "--top", "1", "x ＡＢ", "zz")
        self.assertEqual(rc, 0)
        # sigmoid(-1 + 1.5) = 0.62: above 0.5, the evidence bracketed in the original text
        self.assertEqual(out.splitlines(), ["0.62  x [ＡＢ]", "      +1.500  ab", "0.27  zz"])

    def test_exit_1_when_none_does_and_json(self):
        rc, out, _ = run("score", "-m", self.model(), "--above", "0.7", "--json", "ab")
        self.assertEqual(rc, 1)
        line = json.loads(out)
        self.assertEqual((line["above"], round(line["probability"], 4)), (False, 0.6225))
        self.assertEqual(line["ngrams"], [{"ngram": "ab", "weight": 1.5, "span": [0, 2]}])

    def test_view_needs_no_model(self):
        rc, out, _ = run("score", "--view", stdin="憑什麼  ＲＥＦＵＮＤ！\n".encode())
        self.assertEqual((rc, out), (0, "凭什么 refund!\n"))

    def test_errors(self):
        self.assertEqual(run("score", "x")[0], 2)                      # no model
        rc, _, err = run("score", "-m", "/nonexistent/m.json", "x")
        self.assertEqual(rc, 3)
        self.assertIn("/nonexistent/m.json: cannot open model file", err)
        rc, _, err = run("score", "-m", self.model("{\n  oops"), "x")
        self.assertEqual(rc, 4)
        self.assertIn(":2:3: model: invalid JSON", err)

if __name__ == "__main__":
    TACT = sys.argv.pop(1)
    unittest.main(verbosity=2)

#!/usr/bin/env python3
"""`tact guide` and `tact qa` end to end, on the calls under tests/calls/ (including the real
calls of the seed documents) with the example playbooks.

Usage: test_guide_qa.py PATH_TO_TACT SOURCE_DIR
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

TACT = SOURCE = None


def run(*args, stdin=None):
    p = subprocess.run([TACT, *args], input=stdin, capture_output=True, cwd=SOURCE,
                       env={**os.environ, "NO_COLOR": "1"})
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def qa(*files, extra=()):
    rc, out, err = run("qa", "-p", "examples/playbooks", *extra, *files)
    return rc, [json.loads(line) for line in out.splitlines()], err


def summary(record):
    return [(f["kind"], f["rule"], f["turn"]) for f in record["findings"]]


class Qa(unittest.TestCase):
    def test_seed_billing_call_handled_badly(self):
        rc, records, _ = qa("tests/calls/seed_billing_bad.txt")
        self.assertEqual(rc, 1)
        (r,) = records
        self.assertEqual(r["call"], "seed_billing_bad")
        self.assertEqual(r["intents"], ["billing_dispute"])
        self.assertEqual(summary(r), [
            ("violation", "deny_charge", 1),
            ("signal", "anger", 4),
            ("violation", "dismiss_emotion", 5),
            ("signal", "escalation_request", 6),
            ("missing", "greeting", None),
            ("missing", "closing", None),
            ("missing", "apology_after_anger", None),
        ])
        deny = r["findings"][0]
        self.assertEqual(deny["evidence"], "不会乱扣")
        self.assertEqual(deny["span"], [6, 10])
        self.assertEqual(deny["tags"], ["deflect"])
        self.assertEqual(deny["speaker"], "agent")
        self.assertEqual(list(deny.keys()), ["kind", "rule", "tags", "severity", "turn", "speaker",
                                             "evidence", "span", "message", "instead"])
        self.assertEqual(r["score"], 50)

    def test_seed_billing_call_handled_well_is_clean(self):
        rc, (r,), _ = qa("tests/calls/seed_billing_good.txt")
        self.assertEqual(rc, 0)
        self.assertEqual(summary(r), [])
        self.assertEqual(r["score"], 100)

    def test_seed_securities_calls(self):
        rc, records, _ = qa("tests/calls/seed_loss_complaint.txt",
                            "tests/calls/seed_callback_not_responsible.txt")
        self.assertEqual(rc, 1)
        loss, callback = records
        self.assertEqual(summary(loss), [
            ("violation", "dismiss_emotion", 27),
            ("signal", "escalation_request", 28),
            ("missing", "closing", None),
        ])
        # 客户: 你的意思就是说这不是你的责任啦? 座席: 是呀。
        self.assertEqual(summary(callback), [
            ("violation", "agrees_not_responsible", 13),
            ("missing", "greeting", None),
            ("missing", "closing", None),
        ])
        self.assertEqual(callback["findings"][0]["evidence"], "是呀")

    def test_a_bad_call_is_reported_and_the_batch_goes_on(self):
        lines = [
            json.dumps({"id": "a", "turns": [{"speaker": "agent", "text": "您先别生气"}]}, ensure_ascii=False),
            '{"id": "b", "turns": [',
            json.dumps({"id": "c", "turns": [{"speaker": "agent", "text": "您好，再见"}]}, ensure_ascii=False),
        ]
        rc, out, _ = run("qa", "-p", "examples/playbooks", "-", stdin="\n".join(lines).encode())
        records = [json.loads(l) for l in out.splitlines()]
        self.assertEqual(rc, 2)
        self.assertEqual([r["call"] for r in records], ["a", "stdin:2", "c"])
        self.assertIsNone(records[0]["error"])
        self.assertIn("parse error", records[1]["error"])
        self.assertEqual(summary(records[2]), [])

    def test_output_escapes_quotes_and_control_characters(self):
        call = {"id": 'q"1', "turns": [{"speaker": "agent", "text": '您先别生气\t"好吗"\n\u0001'}]}
        rc, out, _ = run("qa", "-p", "examples/playbooks", "-", stdin=json.dumps(call).encode())
        (record,) = [json.loads(l) for l in out.splitlines()]
        self.assertEqual(record["call"], 'q"1')
        self.assertEqual(record["findings"][0]["evidence"], "您先别生气")

    def test_missing_file_is_a_record_not_a_crash(self):
        rc, records, _ = qa("tests/calls/nope.txt", "tests/calls/seed_billing_good.txt")
        self.assertEqual(rc, 2)
        self.assertEqual(records[0]["error"], "cannot open file")
        self.assertEqual(records[1]["score"], 100)

    def test_an_empty_input_holds_no_calls(self):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl") as f:
            f.write("\n  \n")
            f.flush()
            rc, records, _ = qa(f.name)
        self.assertEqual((rc, records), (0, []))

    def test_threads_do_not_change_the_output(self):
        calls = [os.path.join("tests/calls", f) for f in sorted(os.listdir(os.path.join(SOURCE, "tests/calls")))]
        one = run("qa", "-p", "examples/playbooks", "-j", "1", *calls)
        four = run("qa", "-p", "examples/playbooks", "-j", "4", *calls)
        self.assertEqual(one, four)

    def test_csv_and_json_formats(self):
        rc, out, _ = run("qa", "-p", "examples/playbooks", "--format", "csv",
                         "tests/calls/seed_billing_bad.txt", "tests/calls/seed_billing_good.txt")
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual([r["call"] for r in rows], ["seed_billing_bad", "seed_billing_good"])
        self.assertEqual(rows[0]["violations"], "2")
        self.assertEqual(rows[0]["missing"], "3")
        self.assertEqual(rows[0]["signals"], "2")
        self.assertEqual(rows[0]["score"], "50")
        rc, out, _ = run("qa", "-p", "examples/playbooks", "--format", "json", "tests/calls/seed_billing_good.txt")
        self.assertEqual(len(json.loads(out)), 1)

    def test_playbook_errors_exit_4_with_position(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as f:
            f.write("tact: 1\nid: x\nforbid:\n  - id: a\n    match: (退款\n")
        try:
            rc, out, err = run("qa", "-p", f.name, "tests/calls/seed_billing_good.txt")
            self.assertEqual(rc, 4)
            self.assertEqual(out, "")
            self.assertTrue(err.startswith(f"tact: {f.name}:5:15: rule a: pattern error: expected ')'"), err)
        finally:
            os.unlink(f.name)
        rc, _, err = run("qa", "-p", "/nonexistent", "x")
        self.assertEqual(rc, 3)


class Guide(unittest.TestCase):
    def test_jsonl_after_every_turn_then_the_missing_steps(self):
        rc, out, _ = run("guide", "-p", "examples/playbooks", "--format", "jsonl",
                         stdin="客户:你们怎么乱扣钱啊\n(旁白)\n座席:我们是不会乱扣钱的\n".encode())
        self.assertEqual(rc, 0)
        lines = [json.loads(l) for l in out.splitlines()]
        self.assertEqual(len(lines), 3)
        first, second, end = lines
        self.assertEqual(list(first.keys()), ["call", "turn", "speaker", "intents", "stage",
                                              "recommendations", "findings"])
        self.assertEqual((first["turn"], first["speaker"], first["intents"], first["stage"]),
                         (0, "customer", ["billing_dispute"], "soothe"))
        self.assertEqual(first["recommendations"][0]["tags"], ["apology"])
        self.assertEqual([f["rule"] for f in second["findings"]], ["deny_charge"])
        self.assertIsNone(end["turn"])
        self.assertEqual([f["rule"] for f in end["findings"]], ["greeting", "closing"])

    def test_human_output_underlines_the_evidence(self):
        rc, out, _ = run("guide", "-p", "examples/playbooks", "--format", "text",
                         stdin="座席:您先别生气\n".encode())
        self.assertEqual(rc, 0)
        self.assertIn("[您先别生气]", out)
        self.assertIn("instead: 非常理解您的心情", out)
        self.assertIn("missing greeting", out)

    def test_help(self):
        for cmd in ("guide", "qa"):
            rc, out, _ = run(cmd, "--help")
            self.assertEqual(rc, 0)
            self.assertIn("--playbook", out)


if __name__ == "__main__":
    TACT, SOURCE = sys.argv.pop(1), sys.argv.pop(1)
    unittest.main(verbosity=2)

#!/usr/bin/env python3
"""docs/playbook.schema.json, kept in sync with the loader: every shipped and example playbook
and every test file validates, and on small playbooks the schema and tact's own loader agree
(a differential test: where the schema says invalid, `tact` must refuse to load, and back).

Usage: test_schema.py PATH_TO_TACT SOURCE_DIR
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

import jsonschema
import yaml

TACT = SOURCE = None


def load_schema():
    with open(os.path.join(SOURCE, "docs", "playbook.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    return schema


def errors(schema, document):
    return list(jsonschema.Draft7Validator(schema).iter_errors(document))


class Schema(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.schema = load_schema()

    def playbooks(self):
        files = sorted(glob.glob(os.path.join(SOURCE, "rules", "*.yaml")) +
                       glob.glob(os.path.join(SOURCE, "examples", "playbooks", "*.yaml")))
        return [f for f in files if not f.endswith(".test.yaml")]

    def test_every_shipped_and_example_playbook_validates(self):
        files = self.playbooks()
        self.assertGreaterEqual(len(files), 6)
        for path in files:
            with open(path, encoding="utf-8") as f:
                doc = yaml.safe_load(f)
            self.assertEqual(errors(self.schema, doc), [], path)

    def test_every_test_file_validates(self):
        test_file = {
            "type": "object", "additionalProperties": False, "required": ["tests"],
            "properties": {"exact": {"$ref": "#/definitions/flag"},
                           "tests": {"type": "array", "items": {"$ref": "#/definitions/test_case"}}},
            "definitions": self.schema["definitions"],
        }
        files = glob.glob(os.path.join(SOURCE, "tests", "calls", "**", "*.test.yaml"), recursive=True)
        self.assertGreaterEqual(len(files), 6)
        for path in files:
            with open(path, encoding="utf-8") as f:
                self.assertEqual(errors(test_file, yaml.safe_load(f)), [], path)

    def test_schema_and_loader_agree(self):
        # Each snippet is a whole playbook; its structure alone decides whether it is valid.
        snippets = {
            "minimal": ("tact: 1\nid: a\n", True),
            "lexicon and forbid": ("tact: 1\nid: a\nlexicons: {x: [a, b]}\n"
                                   "forbid: [{id: f, match: '@x', severity: minor, tags: t}]\n", True),
            "condition under when": ("tact: 1\nid: a\nrecommend: [{id: r, say: hi, when: {speaker: agent, match: x}}]\n", True),
            "after with window": ("tact: 1\nid: a\nforbid: [{id: f, match: x, after: {speaker: customer, match: y, within: {turns: 2, seconds: 5}}}]\n", True),
            "signal condition mapping": ("tact: 1\nid: a\nsignals: [{id: s, match: x, report: false}]\n"
                                         "recommend: [{id: r, say: hi, signal: {id: s, within: {turns: 0}}}]\n", True),
            "require by end": ("tact: 1\nid: a\nrequire: [{id: c, match: bye, by: end, within: {agent_turns: 3}}]\n", True),
            "require once": ("tact: 1\nid: a\nsignals: [{id: s, match: x}]\n"
                             "require: [{id: c, match: bye, after: {signal: s}, once: true}]\n", True),
            "intent with stages": ("tact: 1\nid: a\nintent:\n  detect: {match: x}\n  stages:\n"
                                   "    - {id: one, done_when: y, recommend: [{say: hi, tags: [t]}]}\n", True),
            "tests key": ("tact: 1\nid: a\ntests: [{turns: [{customer: x}], intents: []}]\n", True),
            "no version": ("id: a\n", False),
            "wrong version": ("tact: 2\nid: a\n", False),
            "unknown top key": ("tact: 1\nid: a\nforbids: []\n", False),
            "unknown rule key": ("tact: 1\nid: a\nforbid: [{id: f, match: x, sevrity: major}]\n", False),
            "bad severity": ("tact: 1\nid: a\nforbid: [{id: f, match: x, severity: huge}]\n", False),
            "bad speaker": ("tact: 1\nid: a\nforbid: [{id: f, match: x, speaker: boss}]\n", False),
            "bad position": ("tact: 1\nid: a\nforbid: [{id: f, match: x, position: last}]\n", False),
            "require without by or after": ("tact: 1\nid: a\nrequire: [{id: c, match: bye}]\n", False),
            "require with both": ("tact: 1\nid: a\nsignals: [{id: s, match: x}]\n"
                                  "require: [{id: c, match: bye, by: end, after: {signal: s}}]\n", False),
            "bad by": ("tact: 1\nid: a\nrequire: [{id: c, match: bye, by: never}]\n", False),
            "recommend without say": ("tact: 1\nid: a\nrecommend: [{id: r, match: x}]\n", False),
            "stage without id": ("tact: 1\nid: a\nintent:\n  detect: {match: x}\n  stages: [{done_when: y}]\n", False),
            "intent without detect": ("tact: 1\nid: a\nintent: {stages: []}\n", False),
            "detect without match or model": ("tact: 1\nid: a\nintent: {detect: {speaker: customer}}\n", False),
            "unknown detect key": ("tact: 1\nid: a\nintent: {detect: {match: x, modle: m}}\n", False),
            "unknown window key": ("tact: 1\nid: a\nforbid: [{id: f, match: x, after: {match: y, within: {minutes: 2}}}]\n", False),
            "unknown normalize key": ("tact: 1\nid: a\nnormalize: {filler: [um]}\n", False),
            "signal list": ("tact: 1\nid: a\nsignals: [{id: s, match: x}, {id: t, fired_by: intent}]\n"
                            "forbid: [{id: f, match: y, signal: [s, t]}]\n"
                            "require: [{id: c, match: bye, after: {signal: [s, t]}}]\n"
                            "intent: {detect: {match: z}, fires: t}\n", True),
            "empty signal list": ("tact: 1\nid: a\nsignals: [{id: s, match: x}]\n"
                                  "forbid: [{id: f, match: y, signal: []}]\n", False),
            "fired_by with a pattern": ("tact: 1\nid: a\nsignals: [{id: t, fired_by: intent, match: x}]\n", False),
            "fired_by reported": ("tact: 1\nid: a\nsignals: [{id: t, fired_by: intent, report: true}]\n", False),
            "fired_by other": ("tact: 1\nid: a\nsignals: [{id: t, fired_by: rule}]\n", False),
            "bad report flag": ("tact: 1\nid: a\nsignals: [{id: s, match: x, report: maybe}]\n", False),
        }
        with tempfile.TemporaryDirectory() as tmp:
            for name, (text, valid) in snippets.items():
                schema_ok = errors(self.schema, yaml.safe_load(text)) == []
                path = os.path.join(tmp, "p.yaml")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                p = subprocess.run([TACT, "test", path, "-q"], capture_output=True)
                # exit 4: the playbook did not load; anything else: it loaded
                loader_ok = p.returncode != 4
                self.assertEqual(schema_ok, valid, f"schema on '{name}'")
                self.assertEqual(loader_ok, valid, f"loader on '{name}': {p.stderr.decode()}")

    def test_docs_show_the_editor_line(self):
        with open(os.path.join(SOURCE, "docs", "playbook-format.md"), encoding="utf-8") as f:
            self.assertIn("# yaml-language-server: $schema=", f.read())


if __name__ == "__main__":
    TACT = os.path.abspath(sys.argv.pop(1))
    SOURCE = os.path.abspath(sys.argv.pop(1))
    unittest.main()

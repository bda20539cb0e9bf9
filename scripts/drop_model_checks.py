#!/usr/bin/python3
"""Empties the self-checks of every model file in a directory (a copy of rules/models, never
the shipped files): a model's checks hold its scores under the normaliser that trained it, so
after a change to the normaliser the old models refuse to load until they are retrained, and
retraining the intents needs the playbooks loaded (scripts/retrain_models.sh), as does replaying
an old set (scripts/replay_first_runs.py).

    scripts/drop_model_checks.py DIR
"""
import json
import pathlib
import sys

for path in pathlib.Path(sys.argv[1]).glob("*.json"):
    model = json.loads(path.read_text(encoding="utf-8"))
    model["checks"] = []
    path.write_text(json.dumps(model, ensure_ascii=False), encoding="utf-8")

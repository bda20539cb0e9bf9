#!/usr/bin/env bash
# Installs dependencies, builds tact, and runs the main job on the shipped sample: guidance after
# every turn of examples/sample-call.txt, with the shipped playbooks (rules/).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release

echo
echo "\$ build/release/tact guide -p rules examples/sample-call.txt"
build/release/tact guide -p rules --format text examples/sample-call.txt

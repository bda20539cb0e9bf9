#!/usr/bin/env bash
# Installs dependencies, builds tact, and runs the main job on the shipped sample: a pattern
# tried on sample call-centre lines with `tact match`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release

pattern='(不会 | 不可能 | 没有) NEAR/3 (~乱扣钱 | 多扣 | 扣错) | "charged twice" | overcharg*'
echo
echo "\$ build/release/tact match '$pattern' < examples/sample-lines.txt"
build/release/tact match "$pattern" < examples/sample-lines.txt || true

#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test: the release build, the same tests under
# AddressSanitizer + UndefinedBehaviorSanitizer (a debug build, so library assertions are on),
# and a short run of each libFuzzer target. Idempotent; incremental when already built.
#
#   scripts/test.sh            everything (what CI runs)
#   scripts/test.sh --quick    the release build's tests only
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
[ "${1:-}" = "--quick" ] && quick=1

scripts/install-deps.sh

echo "== release build and tests"
cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release -j2

[ $quick = 1 ] && exit 0

echo "== ASan + UBSan build and tests"
cmake --preset sanitize >/dev/null
cmake --build --preset sanitize
ctest --preset sanitize -j2

echo "== fuzz targets (brief)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
for target in fuzz_pattern fuzz_normalize fuzz_playbook; do
  corpus=tests/fuzz/corpus/${target#fuzz_}
  work=$(mktemp -d)
  # A crash prints its stack and the input (also saved as ./crash-*), then fails the run.
  if ! build/fuzz/tests/fuzz/$target -max_total_time="${TACT_FUZZ_SECONDS:-30}" -max_len=4096 \
    -timeout=5 -rss_limit_mb=2048 -print_final_stats=0 "$work" "$corpus" > "$work.log" 2>&1; then
    tail -n 60 "$work.log"
    echo "fuzz: $target failed"
    exit 1
  fi
  tail -n 2 "$work.log"
  rm -rf "$work" "$work.log"
done
echo "fuzz: 3 passed, 0 failed"

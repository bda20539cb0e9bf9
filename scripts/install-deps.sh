#!/usr/bin/env bash
# Installs tact's build and test dependencies from Debian 12's packages. Idempotent: when every
# package is already installed it only checks, in well under a second.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config python3
  libhyperscan-dev        # multi-pattern matching (vectorscan on non-x86: libvectorscan-dev)
  libboost-dev            # Spirit X3, the pattern grammar
  libicu-dev              # NFKC case folding, character properties
  opencc libopencc-dev    # traditional -> simplified dictionaries (read at build time)
  unicode-data            # Unihan readings (pinyin) and NormalizationTest.txt
  libyaml-cpp-dev         # playbooks
  libcli11-dev            # the command line
  nlohmann-json3-dev      # JSON with precise error positions
  libsimdjson-dev         # fast JSONL reading in tact qa
  librange-v3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev   # libFuzzer targets
  python3-ahocorasick     # the Python baseline in bench/
  python3-jsonschema python3-yaml   # docs/playbook.schema.json is validated against the playbooks
  bzip2
)

if [ "$(uname -m)" != "x86_64" ]; then
  packages=("${packages[@]/libhyperscan-dev/libvectorscan-dev}")
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

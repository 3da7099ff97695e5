#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages only) and builds iommusim
# (Release) in build/. Idempotent: quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# python3-matplotlib: the Debian package `iommusim plot` (tools/plot.py) draws sweep plots with.
PACKAGES=(g++ make cmake pkg-config libsystemc-dev libyaml-cpp-dev libboost-test-dev libbenchmark-dev verilator acpica-tools python3-matplotlib)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

JOBS=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$JOBS"

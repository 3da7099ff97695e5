#!/usr/bin/env bash
# Quick start 1: install what is missing, build, and run the default platform.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
./build/iommusim run "${1:-configs/default.yaml}" --out "${2:-iommusim-out}"

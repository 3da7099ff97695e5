#!/usr/bin/env bash
# Quick start 2: install what is missing, build, and run the whole test suite
# through ctest: every unit and SystemC bench (Release build), then the pure
# C++ units again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
JOBS=$(nproc 2>/dev/null || echo 2)
(cd build && ctest -j"$JOBS" --output-on-failure)

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DIOMMUSIM_PURE_ONLY=ON -DIOMMUSIM_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$JOBS"
(cd build-asan && ctest -j"$JOBS" --output-on-failure)

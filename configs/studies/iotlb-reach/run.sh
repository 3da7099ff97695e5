#!/usr/bin/env bash
# Study 1, IOTLB reach: the sweep and the three plots (README.md).
# Usage: bash configs/studies/iotlb-reach/run.sh [OUT_DIR]   (from the repository root, after building)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
bin="${IOMMUSIM:-$root/build/iommusim}"
out="${1:-results/iotlb-reach}"
"$bin" sweep "$here/platform.yaml" \
    --vary devices.dev.page_size=4KiB,2MiB \
    --vary devices.dev.traffic.window=4KiB,16KiB,64KiB,256KiB,512KiB,1MiB,2MiB,4MiB,16MiB,64MiB \
    --out "$out"
csv="$out/sweep.csv"
x=devices.dev.traffic.window
s=devices.dev.page_size
"$bin" plot "$csv" --x $x --series $s --logx --y devices.dev.latency_ns.mean \
    --title "IOTLB reach: mean latency of random 64 B reads (128-entry IOTLB)" --out "$here/latency.png"
"$bin" plot "$csv" --x $x --series $s --logx --y iommus.smmu0.iotlb.hit_rate \
    --title "IOTLB hit rate" --out "$here/hit_rate.png"
"$bin" plot "$csv" --x $x --series $s --logx --y devices.dev.bandwidth_gbps \
    --title "Bandwidth (GB/s, 4 outstanding 64 B reads)" --out "$here/bandwidth.png"

#!/usr/bin/env bash
# Study 3, IOTLB geometry: two sweeps and their plots (README.md).
# Usage: bash configs/studies/iotlb-geometry/run.sh [OUT_DIR]   (from the repository root, after building)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
bin="${IOMMUSIM:-$root/build/iommusim}"
out="${1:-results/iotlb-geometry}"
entries=iommus.smmu0.iotlb.entries
"$bin" sweep "$here/platform.yaml" --set iommus.smmu0.iotlb.ways=4 \
    --vary iommus.smmu0.iotlb.policy=lru,plru,fifo,random \
    --vary $entries=16,32,64,128,256,512 --out "$out/policy"
"$bin" sweep "$here/platform.yaml" --set iommus.smmu0.iotlb.policy=lru \
    --vary iommus.smmu0.iotlb.ways=1,2,4,8,16 \
    --vary $entries=16,32,64,128,256,512 --out "$out/ways"
"$bin" plot "$out/policy/sweep.csv" --x $entries --series iommus.smmu0.iotlb.policy --logx \
    --y iommus.smmu0.iotlb.hit_rate --title "IOTLB hit rate by replacement policy (4 ways, Zipf 1.0 over 1024 pages)" \
    --out "$here/hit_rate_by_policy.png"
"$bin" plot "$out/ways/sweep.csv" --x $entries --series iommus.smmu0.iotlb.ways --logx \
    --y iommus.smmu0.iotlb.hit_rate --title "IOTLB hit rate by associativity (LRU, Zipf 1.0 over 1024 pages)" \
    --out "$here/hit_rate_by_ways.png"
"$bin" plot "$out/policy/sweep.csv" --x $entries --series iommus.smmu0.iotlb.policy --logx \
    --y devices.dev.latency_ns.mean --title "Mean DMA latency by replacement policy (4 ways)" \
    --out "$here/latency_by_policy.png"

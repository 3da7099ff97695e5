#!/usr/bin/env bash
# Study 2, strict vs deferred unmap on the ring generator: the sweep and the plots (README.md).
# Usage: bash configs/studies/strict-vs-deferred/run.sh [OUT_DIR]   (from the repository root, after building)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
bin="${IOMMUSIM:-$root/build/iommusim}"
out="${1:-results/strict-vs-deferred}"
"$bin" sweep "$here/platform.yaml" \
    --vary devices.nic.traffic.unmap_policy=strict,deferred,none \
    --vary devices.nic.traffic.packet_size=256,1500,4096,9000,16384,65536 \
    --out "$out"
csv="$out/sweep.csv"
x=devices.nic.traffic.packet_size
s=devices.nic.traffic.unmap_policy
"$bin" plot "$csv" --x $x --series $s --logx --logy --y devices.nic.ring.latency_ns.mean \
    --title "Per-packet time (map + DMA + unmap), ns" --out "$here/packet_latency.png"
"$bin" plot "$csv" --x $x --series $s --logx --y devices.nic.ring.unmap_ns.mean \
    --title "Driver time per unmap (invalidation + sync), ns" --out "$here/unmap_ns.png"
"$bin" plot "$csv" --x $x --series $s --logx --y devices.nic.bandwidth_gbps \
    --title "Achieved bandwidth, GB/s" --out "$here/bandwidth.png"

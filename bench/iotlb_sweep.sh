#!/bin/sh
# bench/iotlb_sweep.sh [MRIOVSIM]: pcie-bench's IOTLB experiment in mriovsim. One Gen3 x8
# device issues 64-B DMA reads at random addresses over a window from 4 KiB to 64 MiB, 4 KiB
# pages, no ATS: the root complex's IOMMU translates every read. Prints window, IOTLB hit
# ratio, read throughput and mean latency (docs/validation.md).
set -eu
bin=${1:-build/mriovsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/t.yaml" <<'Y'
name: iotlb-sweep
run: {duration: 2ms, warmup: 200us, seed: 1}
hosts: [{name: h, memory_latency: 100ns, iommu: {page_size: 4KiB, iotlb_entries: 64, walk_latency: 250ns, walkers: 4}}]
devices: [{name: d, total_vfs: 1}]
links: [{a: h, b: d, gen: 3, width: 8}]
assign: [{host: h, device: d, vfs: 1}]
workloads: [{host: h, device: d, op: read, size: 64B, outstanding: 32, pattern: random, footprint: 4KiB}]
Y
# throughput with 32 reads in flight; latency of one read at a time (unloaded)
printf "%-9s %9s %10s %16s\n" window hit_ratio gbps_32_out lat_1_out_ns
for w in 4KiB 16KiB 64KiB 128KiB 256KiB 512KiB 1MiB 4MiB 16MiB 64MiB; do
  "$bin" run "$tmp/t.yaml" --quiet --no-plots --out "$tmp/r" --set workloads.w0.footprint=$w
  "$bin" run "$tmp/t.yaml" --quiet --no-plots --out "$tmp/l" --set workloads.w0.footprint=$w \
    --set workloads.w0.outstanding=1
  lat=$(awk -F, 'NR==2 {print $5}' "$tmp/l/hosts.csv")
  awk -F, -v w=$w -v lat="$lat" 'NR==2 {h=$8; m=$9; printf "%-9s %9.4f %10.3f %16.1f\n", w, h/(h+m), $3, lat}' "$tmp/r/hosts.csv"
done

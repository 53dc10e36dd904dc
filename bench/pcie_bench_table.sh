#!/bin/sh
# bench/pcie_bench_table.sh [MRIOVSIM]: saturated throughput of mriovsim next to the
# pcie-bench figures of domain.md §4.5 (host - switch - device, one VH, MRRS 512, no IOMMU
# cost). Prints link, size, op, simulated Gb/s, pcie-bench Gb/s, error.
set -eu
bin=${1:-build/mriovsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { # gen width mps size op expected
  cat > "$tmp/t.yaml" <<Y
name: sat
run: {duration: 400us, warmup: 40us}
pcie: {mps: $3, mrrs: 512}
hosts: [{name: h, iommu: {page_size: 1GiB}}]
switches: [{name: s}]
devices: [{name: d, total_vfs: 8}]
links: [{a: h, b: s, gen: $1, width: $2}, {a: s, b: d, gen: $1, width: $2}]
assign: [{host: h, device: d, vfs: 8}]
workloads: [{host: h, device: d, op: $5, size: $4, outstanding: 256, footprint: 64MiB}]
Y
  "$bin" run "$tmp/t.yaml" --quiet --no-plots --out "$tmp/r"
  awk -F, -v l="Gen$1 x$2 MPS $3" -v s="$4" -v o="$5" -v x="$6" 'NR==2 {
    printf "%-18s %6s %-5s %10.2f %10.1f %+7.2f%%\n", l, s, o, $3, x, 100 * ($3 / x - 1) }' \
    "$tmp/r/hosts.csv"
}
printf "%-18s %6s %-5s %10s %10s %8s\n" link size op simulated pcie-bench error
for row in "3 8 256 64 42.1 44.1" "3 8 256 256 52.9 53.7" "3 8 256 1500 52.8 53.6" \
           "3 8 256 4096 52.9 53.7" "4 16 256 64 165.4 173.3" "4 16 256 256 207.9 210.9" \
           "4 16 256 1500 207.5 210.6" "4 16 256 4096 207.9 210.9" "5 16 512 64 333.5 349.3" \
           "5 16 512 256 419.2 425.3" "5 16 512 1500 437.5 440.9" "5 16 512 4096 438.0 441.3"; do
  set -- $row
  run "$1" "$2" "$3" "$4" write "$5"
  run "$1" "$2" "$3" "$4" read "$6"
done

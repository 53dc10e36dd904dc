#!/bin/sh
# cli_calibration.sh MRIOVSIM: the calibrated profiles (contract §12) against the
# measurements they were fitted on (tests/data/pcie-bench/, copied from pcie-bench/data), and
# the rules of profiles: a key in the file or on the command line beats its profile, in any
# order; check names where each value came from. The errors of every size are in
# docs/validation.md (bench/calibrate.sh); this test holds the targets where they are met.
cd "$(dirname "$0")" || exit 1
. ./testlib.sh
top=..
data=data/pcie-bench

# run TOPOLOGY COLUMN --set...: COLUMN of the first workload (summed over all workloads)
run() {
  topo=$1 column=$2
  shift 2
  sets=""
  for s in "$@"; do sets="$sets --set $s"; done
  # shellcheck disable=SC2086
  "$bin" run "$top/topologies/$topo.yaml" $sets --quiet --no-plots --out "$tmp/r" >/dev/null \
    2>"$tmp/err" || { cat "$tmp/err"; echo "nan"; return; }
  awk -F, -v n="$column" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
                          { s += $c } END { print s + 0 }' "$tmp/r/workloads.csv"
}

# measured FILE X: the measured value at size (or window) X
measured() { awk -v x="$2" '!/^#/ && $1 == x { print $2 }' "$data/$1"; }

# within NAME SIM MEAS PERCENT
within() {
  check "$1: simulated $2, measured $3, tolerance $4 %" \
    "awk -v s='$2' -v m='$3' -v t='$4' 'BEGIN { e = 100 * (s / m - 1); exit !(e <= t && e >= -t) }'"
}

for h in hsw-e5-2620v3 bdw-e5-2630v4 snb-e5-2630; do
  # latency medians: every size of lat_dma_sizes.dat within 3 % (the target)
  for s in $(awk '!/^#/ { print $1 }' "$data/$h.lat_rd.dat"); do
    v=$(run pcie-bench-latency lat_p50_ns "hosts.h0.profile=$h" "workloads.lat.size=$s")
    within "$h LAT_DMA_RD $s B" "$v" "$(measured "$h.lat_rd.dat" "$s")" 3
  done
  # read bandwidth at the sizes that are whole cache lines, 64 B to 2 KiB: within 5 % (the
  # target), except the Haswell and Sandy Bridge hosts' reads of 768 B and 1 KiB, 7-10 %
  # below the Broadwell host's on the same device, where the model is within 11 % and 8 %
  # (docs/validation.md: no host term fits them without breaking 512 B and 2 KiB)
  for s in 64 128 256 512 768 1024 1536 2048; do
    tol=5
    case $h.$s in
      hsw-*.768 | snb-*.768) tol=11 ;;
      hsw-*.1024 | snb-*.1024) tol=8 ;;
    esac
    v=$(run pcie-bench-bandwidth throughput_gbps "hosts.h0.profile=$h" "workloads.dma.size=$s")
    within "$h BW_DMA_RD $s B" "$v" "$(measured "$h.bw_rd.dat" "$s")" "$tol"
  done
  # write bandwidth at every size of the sweep, 64 B to 2 KiB, the sizes that end inside a
  # 128-byte block too: within 5 % (the target)
  for s in $(awk '!/^#/ { print $1 }' "$data/$h.bw_wr.dat"); do
    v=$(run pcie-bench-bandwidth throughput_gbps "hosts.h0.profile=$h" \
      "workloads.dma.size=$s" workloads.dma.op=write)
    within "$h BW_DMA_WR $s B" "$v" "$(measured "$h.bw_wr.dat" "$s")" 5
  done
done

# ---- the data mover's blocks, against analysis ----
# Only write_block_cost 100 ns per 128-byte block (no other engine cost): the mover is the
# bottleneck (a Gen3 x8 link carries a 129 B write in about 25 ns), so 129 B writes (two
# blocks) go at 5 M/s = 5.16 Gb/s and 128 B writes (one) at 10 M/s = 10.24 Gb/s; reads with
# read_block_cost 50 ns per 64-byte line: 65 B reads at 10 M/s = 5.2 Gb/s, 64 B reads at
# 20 M/s = 10.24 Gb/s. Tolerance 1 % (a 400 us window holds 2000 to 8000 DMAs).
cat > "$tmp/blocks.yaml" <<'Y'
name: blocks
run: {duration: 500us, warmup: 100us}
hosts:
  - {name: h0, iommu: {enabled: false}}
devices:
  - {name: d, total_vfs: 1, write_block: 128B, write_block_cost: 100ns, read_block: 64B,
     read_block_cost: 50ns}
links:
  - {a: h0, b: d, gen: 3, width: 8}
assign:
  - {host: h0, device: d, vfs: 1}
workloads:
  - {name: dma, host: h0, device: d, op: write, size: 64, outstanding: 64}
Y
for c in "write 129 5.16" "write 128 10.24" "read 65 5.2" "read 64 10.24"; do
  # shellcheck disable=SC2086
  set -- $c
  "$bin" run "$tmp/blocks.yaml" --set "workloads.dma.op=$1" --set "workloads.dma.size=$2" \
    --quiet --no-plots --out "$tmp/b" >/dev/null 2>&1
  v=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "throughput_gbps") c = i; next }
               { print $c }' "$tmp/b/workloads.csv")
  within "$1 $2 B, one block cost per block begun" "$v" "$3" 1
done

# remote memory: the 64 B latency was fitted (3 %); the other sizes are predictions (10 %)
for s in 64 256 1024 2048; do
  tol=10
  [ "$s" = 64 ] && tol=3
  v=$(run pcie-bench-latency lat_p50_ns hosts.h0.profile=bdw-e5-2630v4 hosts.h0.numa=remote \
    "workloads.lat.size=$s")
  within "remote LAT_DMA_RD $s B" "$v" "$(measured bdw-e5-2630v4-remote.lat_rd.dat "$s")" "$tol"
done
# remote-memory read bandwidth, a prediction: 64 B within 10 %
v=$(run pcie-bench-remote throughput_gbps workloads.dma.size=64)
within "remote BW_DMA_RD 64 B" "$v" "$(measured bdw-e5-2630v4-remote.bw_rd.dat 64)" 10

# the IOMMU window sweep the host profile was fitted on: every window within 5 %
for w in $(awk '!/^#/ { print $1 }' "$data/hsw-e5-2620v3-iommu.win_rd_64.dat"); do
  v=$(run pcie-bench-iommu-window throughput_gbps "workloads.dma.footprint=$w")
  within "IOMMU window $w B" "$v" "$(measured hsw-e5-2620v3-iommu.win_rd_64.dat "$w")" 5
done

# ---- a key in the file or on the command line beats its profile ----

# one read at a time: a DMA's latency is the sum of its parts, so lowering dma_latency by
# 267.5 ns (367.5 in nfp6000 -> 100 ns) lowers the median by exactly that (to 0.1 ns)
base=$(run pcie-bench-latency lat_p50_ns)
low=$(run pcie-bench-latency lat_p50_ns devices.nfp.dma_latency=100ns)
check "--set dma_latency beats the profile: $base - $low = 267.5 ns" \
  "awk 'BEGIN { d = $base - $low - 267.5; exit !(d < 0.1 && d > -0.1) }'"
# numa: remote adds remote_latency (107 ns in the profile) to every read; a file key set
# before or after profile: wins over it
sed 's/profile: hsw-e5-2620v3, numa: local/remote_latency: 50ns, profile: hsw-e5-2620v3, numa: remote/' \
  "$top/topologies/pcie-bench-latency.yaml" > "$tmp/before.yaml"
sed 's/profile: hsw-e5-2620v3, numa: local/profile: hsw-e5-2620v3, numa: remote, remote_latency: 50ns/' \
  "$top/topologies/pcie-bench-latency.yaml" > "$tmp/after.yaml"
for f in before after; do
  "$bin" run "$tmp/$f.yaml" --quiet --no-plots --out "$tmp/$f" >/dev/null 2>&1
  v=$(awk -F, 'NR == 2 { print $9 }' "$tmp/$f/workloads.csv")
  check "remote_latency $f profile: wins ($v - $base = 50 ns)" \
    "awk 'BEGIN { d = $v - $base - 50; exit !(d < 0.1 && d > -0.1) }'"
done
"$bin" check "$tmp/before.yaml" --set devices.nfp.dma_concurrency=8 > "$tmp/check.out" 2>&1
check "check: numa from the file" "grep -q 'numa remote (file)' '$tmp/check.out'"
check "check: remote_latency from the file" "grep -q 'remote_latency 50ns (file)' '$tmp/check.out'"
check "check: memory_latency from the profile" \
  "grep -q 'memory_latency 100ns (profile)' '$tmp/check.out'"
check "check: dma_concurrency from --set" "grep -q 'dma_concurrency 8 (--set)' '$tmp/check.out'"
check "check: the profile and its data" \
  "grep -q 'host h0: profile hsw-e5-2620v3 (fitted on nfp6000-1.2GHz_hsw' '$tmp/check.out'"
"$bin" check "$top/topologies/pcie-bench-bandwidth.yaml" --set devices.nfp.read_block=128B \
  > "$tmp/blocks.out" 2>&1
check "check: write_block from the profile" "grep -q 'write_block 128B (profile)' '$tmp/blocks.out'"
check "check: write_block_cost from the profile" \
  "grep -q 'write_block_cost 13ns (profile)' '$tmp/blocks.out'"
check "check: read_block from --set" "grep -q 'read_block 128B (--set)' '$tmp/blocks.out'"
# without a profile nothing changes and check prints no calibration lines
"$bin" check "$top/topologies/blade8-mriov.yaml" > "$tmp/plain.out" 2>&1
check "check: no calibration lines without a profile" "! grep -q 'profile' '$tmp/plain.out'"
# an unknown profile is an error with a suggestion (tests/bad has the exact messages)
sed 's/profile: nfp6000/profile: nfp-6000/' "$top/topologies/pcie-bench-latency.yaml" \
  > "$tmp/unknown.yaml"
"$bin" check "$tmp/unknown.yaml" > /dev/null 2> "$tmp/unknown.err"
rc=$?
check "unknown profile: exit 2" "[ $rc -eq 2 ]"
check "unknown profile: suggestion" "grep -q \"did you mean 'nfp6000'\" '$tmp/unknown.err'"

finish

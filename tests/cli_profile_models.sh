#!/bin/sh
# cli_profile_models.sh MRIOVSIM: the DMA engine keys of contract §12 on a device driven by a
# model (contract §6). The NIC and NVMe models build their TLPs without the DMA engine
# (models/nic*.c, nvme*.c); only raw DMA workloads (op) on the device use it (models/dev.c,
# dev_dma.c). So `check` marks the keys "not used" (no raw DMA workload) or "raw DMA only",
# a key the file or --set writes where nothing uses it draws a warning (contract §13), and a
# raw DMA device with the profile gets neither. The runs show the marking is true: the
# profile changes nothing on a model's own traffic, max_rate does (it paces everything the
# device sends), and a raw DMA workload beside the model does use the profile.
set -u
cd "$(dirname "$0")" || exit 1
. ./testlib.sh
top=..
nic=$top/topologies/nic-smallpkt.yaml
prof=devices.nic0.profile=nfp6000

# same NAME FILE TEXT: FILE holds exactly TEXT (and a final newline).
same() {
  printf '%s\n' "$3" >"$tmp/want"
  if diff -u "$tmp/want" "$2" >"$tmp/diff"; then ok; else bad "$1"; cat "$tmp/diff"; fi
}

# device NAME: the lines of `check` about device NAME's calibration (from $tmp/out)
device() { awk -v d="device $1:" 'index($0, d) == 1 { on = 1; next } on && /^    / { print; next } { on = 0 }' "$tmp/out"; }

# ---- check: the marking ----
"$bin" check "$nic" --set "$prof" >"$tmp/out" 2>"$tmp/err"
check "check with the profile on the nic model's device exits 0" '[ $? -eq 0 ]'
check "a profile's values draw no warning" '[ ! -s "$tmp/err" ]'
device nic0 >"$tmp/dev"
same "the profile's values on a model device without raw DMA are not used" "$tmp/dev" \
"    the nic model does not use the DMA engine, and no raw DMA workload (op) runs on nic0: these values are not used
    dma_latency 367.5ns (profile; not used), write_interval 21.1ns (profile; not used)
    read_interval 16ns (profile; not used), dma_cost 5.5ns (profile; not used)
    dma_byte_cost 0.04ns (profile; not used), write_block 128B (profile; not used)
    write_block_cost 13ns (profile; not used), read_block 64B (profile; not used)
    read_block_cost 6.4ns (profile; not used), dma_concurrency 34 (profile; not used)"

# a key written with --set on it: marked, and warned about at its place
"$bin" check "$nic" --set "$prof" --set devices.nic0.dma_latency=100ns >"$tmp/out" 2>"$tmp/err"
check "check with the warning exits 0" '[ $? -eq 0 ]'
same "a --set engine key on a model device without raw DMA is warned about" "$tmp/err" \
"command line:2:26: warning: dma_latency: the nic model of device nic0 does not use the DMA engine, and no raw DMA workload (op) runs on nic0: this value has no effect"
check "check marks the --set value not used" \
  "grep -q 'dma_latency 100ns (--set; not used), write_interval 21.1ns (profile; not used)' '$tmp/out'"

# with a raw DMA workload beside the packets: the keys time it only, and no warning
mixed='workloads=[{name: rx, host: blade0, device: nic0, packets: rx, size: 64B, rate: 1Mpps}, {name: dma, host: blade0, device: nic0, op: read, size: 64B, outstanding: 4}]'
"$bin" check "$nic" --set "$prof" --set devices.nic0.dma_latency=100ns --set "$mixed" \
  >"$tmp/out" 2>"$tmp/err"
check "a key a raw DMA workload uses draws no warning" '[ ! -s "$tmp/err" ]'
device nic0 >"$tmp/dev"
same "with a raw DMA workload the values are marked raw DMA only" "$tmp/dev" \
"    the nic model does not use the DMA engine: these values time the 1 raw DMA workload (op) on nic0 only
    dma_latency 100ns (--set; raw DMA only), write_interval 21.1ns (profile; raw DMA only)
    read_interval 16ns (profile; raw DMA only), dma_cost 5.5ns (profile; raw DMA only)
    dma_byte_cost 0.04ns (profile; raw DMA only), write_block 128B (profile; raw DMA only)
    write_block_cost 13ns (profile; raw DMA only), read_block 64B (profile; raw DMA only)
    read_block_cost 6.4ns (profile; raw DMA only), dma_concurrency 34 (profile; raw DMA only)"

# the nvme model, keys in the file
cat >"$tmp/ssd.yaml" <<'Y'
name: ssd
hosts: [{name: h0}]
devices:
  - {name: ssd, nvme: {}, write_interval: 30ns, dma_concurrency: 8}
links: [{a: h0, b: ssd, gen: 4, width: 4}]
assign: [{host: h0, device: ssd, vfs: 1}]
workloads: [{host: h0, device: ssd, io: read, size: 4KiB, depth: 4}]
Y
"$bin" check "$tmp/ssd.yaml" >"$tmp/out" 2>"$tmp/err"
same "file keys on the nvme model's device are warned about" "$tmp/err" \
"$tmp/ssd.yaml:4:43: warning: write_interval: the nvme model of device ssd does not use the DMA engine, and no raw DMA workload (op) runs on ssd: this value has no effect
$tmp/ssd.yaml:4:66: warning: dma_concurrency: the nvme model of device ssd does not use the DMA engine, and no raw DMA workload (op) runs on ssd: this value has no effect"
check "check marks the file's values not used" \
  "grep -q 'the nvme model does not use the DMA engine' '$tmp/out' && grep -q 'write_interval 30ns (file; not used)' '$tmp/out'"

# the negative case: a raw DMA device with the profile, no marking and no warning
"$bin" check "$top/topologies/pcie-bench-bandwidth.yaml" --set devices.nfp.dma_latency=100ns \
  >"$tmp/out" 2>"$tmp/err"
check "a raw DMA device's keys draw no warning" '[ ! -s "$tmp/err" ]'
device nfp >"$tmp/dev"
same "a raw DMA device's keys are not marked" "$tmp/dev" \
"    dma_latency 100ns (--set), write_interval 21.1ns (profile), read_interval 16ns (profile)
    dma_cost 5.5ns (profile), dma_byte_cost 0.04ns (profile), write_block 128B (profile)
    write_block_cost 13ns (profile), read_block 64B (profile), read_block_cost 6.4ns (profile)
    dma_concurrency 34 (profile)"

# ---- runs: what the marking says is what the model does ----
# run NAME --set...: results of a 60 us run of nic-smallpkt into $tmp/NAME (its own --set
# arguments are the third and after)
run() {
  name=$1
  shift
  for s in "$@"; do set -- "$@" --set "$s"; shift; done
  "$bin" run "$nic" --set run.duration=60us --set run.warmup=10us "$@" --quiet --no-plots \
    --out "$tmp/$name" >/dev/null 2>"$tmp/$name.err"
}
# results NAME: the results that depend on the timing, in one file
results() { cat "$tmp/$1/workloads.csv" "$tmp/$1/links.csv" "$tmp/$1/hosts.csv" "$tmp/$1/functions.csv"; }
run plain
run prof "$prof"
run capped devices.nic0.max_rate=20Gbps
results plain >"$tmp/plain.all"
results prof >"$tmp/prof.all"
results capped >"$tmp/capped.all"
check "the profile leaves the nic model's results byte-identical" '[ -s "$tmp/plain.all" ] && cmp -s "$tmp/plain.all" "$tmp/prof.all"'
check "max_rate changes them (the model's TLPs are paced: not marked)" \
  '! cmp -s "$tmp/plain.all" "$tmp/capped.all"'
run warned devices.nic0.dma_latency=100ns
check "run prints the warning" \
  'grep -q "^command line:3:26: warning: dma_latency: the nic model of device nic0" "$tmp/warned.err"'
check "warnings.csv has it as kind lint" \
  'grep -q "^lint,\"command line:3:26\",\"dma_latency: the nic model of device nic0 does not use the DMA engine" "$tmp/warned/warnings.csv"'
# the raw DMA workload beside the model reads 64 B, four at a time (read_interval 16 ns does
# not bind): the profile adds dma_latency + dma_cost + 64 x dma_byte_cost + one read block,
# 367.5 + 5.5 + 2.56 + 6.4 = 381.96 ns, to each read's latency; tolerance 2 ns (the packets
# beside it could shift a queue a little)
p50() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "lat_p50_ns") c = i; next }
                 $1 == "dma" { print $c }' "$tmp/$1/workloads.csv"; }
run mixed "$mixed"
run mixedprof "$mixed" "$prof"
a=$(p50 mixed) b=$(p50 mixedprof)
check "a raw DMA workload on the model's device uses the profile: p50 $a -> $b ns (+381.96)" \
  "awk 'BEGIN { d = $b - $a - 381.96; exit !(d < 2 && d > -2) }'"

finish

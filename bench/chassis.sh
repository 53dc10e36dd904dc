#!/bin/sh
# bench/chassis.sh [BUILD_DIR] [RUNS]: how the cost of a TLP-hop grows with the chassis.
# For each chassis of bench/gen_chassis.sh, RUNS (default 5) `bench_engine hop` runs, each
# printing TLP-hops/s, bare SimGrid sleeps/s of the same invocation, their ratio, µs per
# TLP-hop and peak RSS; the median run by ratio is printed last as "median" (last: three
# chassis whose VFs all have work waiting, two behind the calibrated DMA engine of
# an NFP-6000, two with wrr or shared buffers on the switch, four with NIC and NVMe
# models, two on the vswitch path and two with runtime events, docs/performance.md).
# Prints numbers; record them in docs/performance.md.
set -eu
cd "$(dirname "$0")/.."
b=${1:-build}/bench_engine
runs=${2:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

one() { # name file [SET...]
  name=$1; shift
  i=0
  while [ $i -lt "$runs" ]; do
    "$b" hop "$@" | tr '\n' ' ' | sed -E 's/.* ([0-9]+) TLP-hops \(([0-9.]+) M\/s\).*peak RSS ([0-9.]+) MiB.*sleeps: ([0-9.]+) M\/s; TLP-hops per bare sleep: ([0-9.]+).*/\5 \2 \4 \3 \1/'
    echo
    i=$((i + 1))
  done | sort -n | awk -v n="$name" '{r[NR]=$0} END {
    split(r[int((NR+1)/2)], m, " ");
    printf "%-16s median of %d: %s hops/sleep, %s M hops/s, %s M sleeps/s, %.2f us/hop, %s MiB, %s hops (ratio range %s-%s)\n",
      n, NR, m[1], m[2], m[3], 1 / m[2], m[4], m[5], substr(r[1], 1, index(r[1], " ") - 1),
      substr(r[NR], 1, index(r[NR], " ") - 1) }'
}

echo "== default chassis (device models), its raw-DMA twin and the saturated reference"
one blade8-mriov topologies/blade8-mriov.yaml
one blade8-rawdma topologies/blade8-rawdma.yaml
one saturated bench/saturated.yaml

# the simulated time of each chassis gives it about 250 000 TLP-hops, so that the small ones
# do not measure only start-up and noise
echo "== hosts x 4 VFs sharing one device link, same load per host"
for hd in "8 16ms" "16 8ms" "32 4ms" "64 2ms" "128 1ms"; do
  set -- $hd
  sh bench/gen_chassis.sh $1 4 > "$tmp/h$1.yaml"
  one "${1}x4" "$tmp/h$1.yaml" run.duration=$2
done

echo "== 8 hosts, 1 to 64 busy VFs each (the host's load spread over them), 16 ms"
for v in 1 4 16 64; do
  sh bench/gen_chassis.sh 8 $v > "$tmp/v$v.yaml"
  one "8x$v" "$tmp/v$v.yaml" run.duration=16ms
done

echo "== 255 hosts x 64 VFs, 1 ms"
sh bench/gen_chassis.sh 255 64 > "$tmp/big.yaml"
one 255x64 "$tmp/big.yaml"

echo "== 10 Gb/s of writes per host into Gen3 x1 blade links: 16 hosts are bound by their"
echo "   blade links (every VF of a host waits for its credits), 64 and 255 overload the"
echo "   device link (2.5x and 10x its ~252 Gb/s: every VF has a TLP ready at each decision)"
sh bench/gen_chassis.sh 16 64 100Mbps 10Gbps 3 1 4 16 > "$tmp/cb16.yaml"
one cb16x64 "$tmp/cb16.yaml"
sh bench/gen_chassis.sh 64 16 100Mbps 10Gbps 3 1 4 16 > "$tmp/cb64.yaml"
one cb64x16 "$tmp/cb64.yaml"
sh bench/gen_chassis.sh 255 16 100Mbps 10Gbps 3 1 4 16 > "$tmp/cb255.yaml"
one cb255x16 "$tmp/cb255.yaml"

echo "== the calibrated DMA engine of an NFP-6000 (profile nfp6000: 34 DMAs in flight per"
echo "   operation) shared by 64 hosts x 16 VFs, and by 255 hosts x 64 VFs (its slots the"
echo "   bottleneck: ~32 000 DMAs arrive in 1 ms, ~400 complete)"
sh bench/gen_chassis.sh 64 16 | sed 's/max_vhs: 255}/max_vhs: 255, profile: nfp6000}/' > "$tmp/nfp64.yaml"
one nfp64x16 "$tmp/nfp64.yaml"
sh bench/gen_chassis.sh 255 64 | sed 's/max_vhs: 255}/max_vhs: 255, profile: nfp6000}/' > "$tmp/nfp255.yaml"
one nfp255x64 "$tmp/nfp255.yaml"

echo "== 255 hosts x 64 VFs with wrr on the switch, and with its buffers shared by the VHs"
echo "   (flow_control: shared): its egress port to the NIC weighs 255 VHs at each decision"
sh bench/gen_chassis.sh 255 64 | sed 's/latency: 150ns}\]/latency: 150ns, arbitration: {policy: wrr}}]/' > "$tmp/wrr255.yaml"
one wrr255x64 "$tmp/wrr255.yaml"
sh bench/gen_chassis.sh 255 64 | sed 's/latency: 150ns}\]/latency: 150ns, flow_control: shared}]/' > "$tmp/shared255.yaml"
one shared255x64 "$tmp/shared255.yaml"
echo "   and those shared buffers of 2 KiB: the NIC's port waits on the switch's one credit set"
sh bench/gen_chassis.sh 255 64 | sed 's/latency: 150ns}\]/latency: 150ns, flow_control: shared, buffer: 2KiB}]/' > "$tmp/sh2k255.yaml"
one shared2k255x64 "$tmp/sh2k255.yaml"
echo "   the same with wrr on the NIC: its port weighs the waiters of the one credit set"
sh bench/gen_chassis.sh 255 64 | sed 's/latency: 150ns}\]/latency: 150ns, flow_control: shared, buffer: 2KiB}]/; s/max_vhs: 255}/max_vhs: 255, arbitration: {policy: wrr}}/' > "$tmp/dwrr2k255.yaml"
one devwrr2k255x64 "$tmp/dwrr2k255.yaml"
sh bench/gen_models.sh nic 255 64 | sed 's/latency: 150ns}\]/latency: 150ns, flow_control: shared, buffer: 2KiB}]/' > "$tmp/nicsh2k255.yaml"
one nicshared2k255x64 "$tmp/nicsh2k255.yaml"
sh bench/gen_models.sh nic 255 64 | sed 's/latency: 150ns}\]/latency: 150ns, flow_control: shared, buffer: 2KiB}]/; s/max_vhs: 255,/max_vhs: 255, arbitration: {policy: wrr},/' > "$tmp/nicdwrr2k255.yaml"
one nicdevwrr2k255x64 "$tmp/nicdwrr2k255.yaml"

echo "== the same chassis with the device driven by a model (bench/gen_models.sh): a NIC's"
echo "   queues and an NVMe drive's, 8 hosts x 4 VFs (16 ms) and 255 hosts x 64 VFs (1 ms)"
for m in nic nvme; do
  sh bench/gen_models.sh $m 8 4 > "$tmp/${m}8.yaml"
  one "${m}8x4" "$tmp/${m}8.yaml" run.duration=16ms
  sh bench/gen_models.sh $m 255 64 > "$tmp/${m}255.yaml"
  one "${m}255x64" "$tmp/${m}255.yaml"
done

echo "== the vswitch path (contract §11) on 255 hosts x 4 and x 64 VFs with the NIC model:"
echo "   every host's received frames through its software switch (4 cores of 2.5 GHz, 2 000"
echo "   cycles a frame), each a SimGrid execution of a worker actor (docs/performance.md)"
vsw='s/^  - {name: \(b[0-9]*\)}$/  - {name: \1, cpu: {cores: 16, frequency: 2.5GHz}, vswitch: {cycles_per_packet: 2000, cycles_per_byte: 0.5, cores: 4}}/
s/packets: rx, size: 1500B, rate: 1Gbps}/packets: rx, size: 1500B, rate: 1Gbps, path: vswitch}/'
for v in 4 64; do
  sh bench/gen_models.sh nic 255 $v | sed "$vsw" > "$tmp/vsw255x$v.yaml"
  one "vsw255x$v" "$tmp/vsw255x$v.yaml"
done

echo "== runtime events (a host's link down for 100 us: the ports run in one actor beside the"
echo "   events' actor) on 255 hosts x 64 VFs, and the shipped blade8-failover"
{ sh bench/gen_chassis.sh 255 64; printf 'events:\n  - {at: 500us, link_down: b3-sw0}\n  - {at: 600us, link_up: b3-sw0}\n'; } > "$tmp/ev255.yaml"
one ev255x64 "$tmp/ev255.yaml"
one blade8-failover topologies/blade8-failover.yaml

#!/bin/sh
# bench/compare.sh OLD_BENCH NEW_BENCH [RUNS]: the chassis of bench/chassis.sh run with two
# bench_engine binaries (say, main before and after a change), alternated run by run so
# that the machine's other load falls on both alike; prints per chassis and binary the
# median TLP-hops per bare sleep in CPU time (its range; the wall-clock ratio when the
# binary prints no CPU time), the wall-clock ratio of that run, the median µs of CPU per
# TLP-hop (of all runs, on its own), peak RSS and TLP-hops.
# ONLY="name ..." runs those chassis only (names of the list below: cb16x64, 8x4, ...).
set -eu
cd "$(dirname "$0")/.."
ob=$1; nb=$2; runs=${3:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sh bench/gen_chassis.sh 16 64 100Mbps 10Gbps 3 1 4 16 > "$tmp/cb16.yaml"
sh bench/gen_chassis.sh 64 16 100Mbps 10Gbps 3 1 4 16 > "$tmp/cb64.yaml"
sh bench/gen_chassis.sh 255 16 100Mbps 10Gbps 3 1 4 16 > "$tmp/cb255.yaml"
sh bench/gen_chassis.sh 255 64 > "$tmp/big.yaml"
for h in 8 16 32 64 128; do sh bench/gen_chassis.sh $h 4 > "$tmp/h$h.yaml"; done
for v in 1 64; do sh bench/gen_chassis.sh 8 $v > "$tmp/v$v.yaml"; done
sh bench/gen_chassis.sh 64 16 | sed 's/max_vhs: 255}/max_vhs: 255, profile: nfp6000}/' > "$tmp/nfp64.yaml"
sh bench/gen_chassis.sh 255 64 | sed 's/max_vhs: 255}/max_vhs: 255, profile: nfp6000}/' > "$tmp/nfp255.yaml"
sh bench/gen_chassis.sh 255 64 | sed 's/latency: 150ns}\]/latency: 150ns, arbitration: {policy: wrr}}]/' > "$tmp/wrr255.yaml"
sh bench/gen_chassis.sh 255 64 | sed 's/latency: 150ns}\]/latency: 150ns, flow_control: shared}]/' > "$tmp/shared255.yaml"
sh bench/gen_chassis.sh 255 64 | sed 's/latency: 150ns}\]/latency: 150ns, flow_control: shared, buffer: 2KiB}]/' > "$tmp/sh2k255.yaml"
sh bench/gen_chassis.sh 255 64 | sed 's/latency: 150ns}\]/latency: 150ns, flow_control: shared, buffer: 2KiB}]/; s/max_vhs: 255}/max_vhs: 255, arbitration: {policy: wrr}}/' > "$tmp/dwrr2k255.yaml"
{ sh bench/gen_chassis.sh 255 64; printf 'events:\n  - {at: 500us, link_down: b3-sw0}\n  - {at: 600us, link_up: b3-sw0}\n'; } > "$tmp/ev255.yaml"
# the vswitch path (§11): every host's RX frames through its switch (bench/chassis.sh)
vsw='s/^  - {name: \(b[0-9]*\)}$/  - {name: \1, cpu: {cores: 16, frequency: 2.5GHz}, vswitch: {cycles_per_packet: 2000, cycles_per_byte: 0.5, cores: 4}}/
s/packets: rx, size: 1500B, rate: 1Gbps}/packets: rx, size: 1500B, rate: 1Gbps, path: vswitch}/'
for v in 4 64; do sh bench/gen_models.sh nic 255 $v | sed "$vsw" > "$tmp/vsw255x$v.yaml"; done
for m in nic nvme; do
  sh bench/gen_models.sh $m 8 4 > "$tmp/${m}8.yaml"
  sh bench/gen_models.sh $m 255 64 > "$tmp/${m}255.yaml"
done
sh bench/gen_models.sh nic 255 64 | sed 's/latency: 150ns}\]/latency: 150ns, flow_control: shared, buffer: 2KiB}]/' > "$tmp/nicsh2k255.yaml"
sh bench/gen_models.sh nic 255 64 | sed 's/latency: 150ns}\]/latency: 150ns, flow_control: shared, buffer: 2KiB}]/; s/max_vhs: 255,/max_vhs: 255, arbitration: {policy: wrr},/' > "$tmp/nicdwrr2k255.yaml"

list="blade8-mriov:topologies/blade8-mriov.yaml: blade8-rawdma:topologies/blade8-rawdma.yaml:
saturated:bench/saturated.yaml: 8x4:$tmp/h8.yaml:run.duration=16ms
16x4:$tmp/h16.yaml:run.duration=8ms 32x4:$tmp/h32.yaml:run.duration=4ms
64x4:$tmp/h64.yaml:run.duration=2ms 128x4:$tmp/h128.yaml:run.duration=1ms
8x1:$tmp/v1.yaml:run.duration=16ms 8x64:$tmp/v64.yaml:run.duration=16ms 255x64:$tmp/big.yaml:
cb16x64:$tmp/cb16.yaml: cb64x16:$tmp/cb64.yaml: cb255x16:$tmp/cb255.yaml:
nfp64x16:$tmp/nfp64.yaml: nfp255x64:$tmp/nfp255.yaml:
wrr255x64:$tmp/wrr255.yaml: shared255x64:$tmp/shared255.yaml:
shared2k255x64:$tmp/sh2k255.yaml: nicshared2k255x64:$tmp/nicsh2k255.yaml:
devwrr2k255x64:$tmp/dwrr2k255.yaml: nicdevwrr2k255x64:$tmp/nicdwrr2k255.yaml:
nic8x4:$tmp/nic8.yaml:run.duration=16ms nic255x64:$tmp/nic255.yaml:
nvme8x4:$tmp/nvme8.yaml:run.duration=16ms nvme255x64:$tmp/nvme255.yaml:
ev255x64:$tmp/ev255.yaml: blade8-failover:topologies/blade8-failover.yaml:
vsw255x4:$tmp/vsw255x4.yaml: vsw255x64:$tmp/vsw255x64.yaml:"
for item in $list; do
  name=${item%%:*}; rest=${item#*:}; f=${rest%%:*}; set=${rest#*:}
  case " ${ONLY:-$name} " in *" $name "*) ;; *) continue ;; esac
  : > "$tmp/$name.old"; : > "$tmp/$name.new"
  k=0
  while [ $k -lt "$runs" ]; do
    for b in old new; do
      bin=$ob; [ $b = new ] && bin=$nb
      # shellcheck disable=SC2086
      "$bin" hop "$f" $set 2>/dev/null | awk '
        /TLP-hops \(/ { for (i = 1; i <= NF; i++) { if ($i == "TLP-hops") hops = $(i - 1);
                         if ($i == "RSS") rss = $(i + 1) } }
        /^bare SimGrid sleeps/ { ratio = $NF }
        /^CPU time/ { cus = $3; cratio = $NF }
        END { if (ratio != "") print (cratio != "" ? cratio : ratio), ratio, (cus != "" ? cus : "-"), rss, hops }' >> "$tmp/$name.$b"
    done
    k=$((k + 1))
  done
  for b in old new; do
    # the µs per hop: their own median (the run of the median ratio need not have it)
    us=$(awk '{print $3}' "$tmp/$name.$b" | sort -n | awk '{v[NR]=$0} END {print v[int((NR+1)/2)]}')
    grep . "$tmp/$name.$b" | sort -n | awk -v n="$name" -v b=$b -v us="$us" '{r[NR]=$0} END {
      split(r[int((NR+1)/2)], m, " "); split(r[1], lo, " "); split(r[NR], hi, " ");
      printf "%-13s %s: %s hops/sleep in CPU time (%s-%s), %s wall, %s us/hop CPU (median), %s MiB, %s hops\n",
        n, b, m[1], lo[1], hi[1], m[2], us, m[4], m[5] }'
  done
done

#!/bin/sh
# cli_events_move.sh MRIOVSIM: `reassign` (contract §10) of device-model VFs. A NIC VF and an
# NVMe controller move from h0 to h1 at 400 us (FLR 100 us): what they carried goes from the
# old host to the new one as each host's workloads are split over the VFs it has; what the
# old queue pair or controller had under way fails, counted exactly; the new one starts
# empty, its interrupts go to the new host (whose interrupt entry cache it starts cold in)
# one per completion as the driver's moderation says.
cd "$(dirname "$0")" || exit 1
. ./testlib.sh
. ./eventlib.sh

# col FILE FUNCTION HOST COLUMN: a column of the row of FUNCTION serving HOST
col() { awk -F, -v f="$2" -v h="$3" -v c="$4" '$1 == f && $3 == h { print $c }' "$1"; }
# hcol FILE HOST COLUMN: a column of HOST's row of hosts.csv
hcol() { awk -F, -v h="$2" -v c="$3" '$1 == h { print $c }' "$1"; }

# --- NIC: VF 1 of d0 moves from h0 to h1 -------------------------------------------------
# constant arrivals; each packet workload's rate is split evenly over the VFs that serve
# its host at each moment: h0's rx 6 + tx 4 Gb/s on VFs 0 and 1, on VF 0 alone from 400 us;
# h1's rx 3 + tx 2 on VF 2, on VFs 2 and 1 from the end of the FLR (500 us)
run reassign-nic nm && run reassign-nic nmno --set 'events=[]' || { finish; exit; }
fc=$tmp/nm/functions.csv
# frame bits over the 1 ms window (1 %: one 1518 B frame in 1 ms is 0.012 Gb/s): VF 0 5 Gb/s
# then 10: 8.0; VF 1 in h0's VH 5 for 400 us: 2.0; in h1's 2.5 for 500 us: 1.25; VF 2 5 then
# 2.5: 3.75
check "NIC: the moved VF's Gb/s go from h0 (2.0) to h1 (1.25), the others' follow (8.0, 3.75)" \
  'near "$(col $fc d0.vf1 h0 4)" 2.0 0.01 && near "$(col $fc d0.vf1 h1 4)" 1.25 0.01 &&
   near "$(col $fc d0.vf0 h0 4)" 8.0 0.01 && near "$(col $fc d0.vf2 h1 4)" 3.75 0.01'
# frames offered to VF 1 in h0's VH before 400 us: RX every 4.048 us from 2.024 us (99),
# TX every 6.072 us from 3.036 us (66); in h1's from 500 us: RX every 8.096 us from 504.048
# (62 by 1 ms), TX every 12.144 us from 506.072 (41); a frame takes ~1.5 us, so the last
# one before 1 ms is done, and every frame offered is done or failed
failed=$(sed -n 2p "$tmp/nm/events.csv" | cut -d, -f5)
check "NIC: VF 1's frames in h0's VH: done + failed at the move = 165 offered (got $(col $fc d0.vf1 h0 14) + $failed)" \
  '[ "$(awk -v a="$(col $fc d0.vf1 h0 14)" -v b="$(col $fc d0.vf1 h0 15)" -v c="$failed" "BEGIN { print a + b + c }")" = 165 ]'
check "NIC: VF 1 in h1's VH carries h1's share from the end of the FLR: 103 frames" \
  '[ "$(col $fc d0.vf1 h1 14)" = 103 ] && [ "$(col $fc d0.vf1 h1 15)" = 0 ]'
# the kernel preset interrupts every 32 frames per direction: floor(99/32) + floor(66/32) = 5
# in h0's VH, floor(62/32) + floor(41/32) = 2 in h1's
check "NIC: the moved VF's MSI-X go to its host of the moment (5 to h0, 2 to h1)" \
  '[ "$(col $fc d0.vf1 h0 17)" = 5 ] && [ "$(col $fc d0.vf1 h1 17)" = 2 ]'
# h1's interrupt entry cache (64 entries, nothing evicted) misses once per (function, vector):
# VF 2's RX and TX vectors, and the moved VF's two, keyed by its function in h1's VH: it
# never finds an entry of h0's
check "NIC: the moved VF's two vectors miss h1's interrupt entry cache (4 misses, 2 without the move)" \
  '[ "$(hcol $tmp/nm/hosts.csv h1 17)" = 4 ] && [ "$(hcol $tmp/nmno/hosts.csv h1 17)" = 2 ]'
# with 1 GiB IOMMU pages a queue pair's rings and RX buffers are in one page and its TX
# buffers in another (nic.c's layout: 0, 16 MiB, 256 MiB; 8 GiB): 2 IOTLB entries per
# function, keyed by it; the moved VF misses h1's IOTLB on both (4, 2 without the move),
# never finding a translation h0's VH had
pg="--set hosts.h0.iommu.page_size=1GiB --set hosts.h1.iommu.page_size=1GiB"
run reassign-nic npg $pg && run reassign-nic npg0 $pg --set 'events=[]' &&
  check "NIC: the moved VF's translations start cold in h1's IOTLB (4 misses, 2 without)" \
    '[ "$(hcol $tmp/npg/hosts.csv h1 9)" = 4 ] && [ "$(hcol $tmp/npg0/hosts.csv h1 9)" = 2 ] &&
     [ "$(hcol $tmp/npg/hosts.csv h0 9)" = 4 ]'
# each host is carried at its offered load throughout (3 %: bins of 10 us hold 4-8 frames)
ts=$tmp/nm/timeseries.csv
check "NIC: h0 carries 10 Gb/s and h1 5 before, during and after the move" \
  'all=1; for r in "100 400" "410 500" "510 1000"; do
     near "$(mean $ts h0 $r)" 10 0.03 && near "$(mean $ts h1 $r)" 5 0.03 || all=0; done
   [ "$all" = 1 ]'
# with TX tail writes per 32 frames (and a 1 ms doorbell timeout), 66 = 2 x 32 + 2 of VF 1's
# TX frames were posted by 400 us: the last 2 wait in its ring for a tail write and fail at
# the move, with at most one RX frame in flight
run reassign-nic n32 --set devices.d0.nic.tx_doorbell=32 --set devices.d0.nic.doorbell_timeout=1ms && {
  failed=$(sed -n 2p "$tmp/n32/events.csv" | cut -d, -f5)
  done=$(col "$tmp/n32/functions.csv" d0.vf1 h0 14)
  check "NIC: frames under way at the move fail, counted: 2 or 3 ($failed), done + failed = 165 ($done)" \
    '[ "$failed" -ge 2 ] && [ "$failed" -le 3 ] && [ "$(awk -v a="$done" -v c="$failed" "BEGIN { print a + c }")" = 165 ] &&
     [ "$(hcol $tmp/n32/hosts.csv h0 18)" = "$failed" ]'
}
# a reset of h0 after the move resets only what h0 still has: h1 keeps the moved VF and its
# 5 Gb/s (3 %); h0 is back at 10 Gb/s after its FLR
run reassign-nic nmr --set 'events=[{at: 400us, reassign: {device: d0, vfs: [1], to: h1}}, {at: 600us, reset: h0}]' &&
  check "NIC: a reset after the move leaves the moved VF with h1" \
    'near "$(mean $tmp/nmr/timeseries.csv h1 610 1000)" 5 0.03 &&
     [ "$(mean $tmp/nmr/timeseries.csv h0 610 700)" = "0.000000" ] &&
     near "$(mean $tmp/nmr/timeseries.csv h0 710 1000)" 10 0.03'
# a workload that has stopped before a VF joins its host stays stopped: h1's frames before
# 300 us, RX every 4.048 us from 0 (75) and TX every 6.072 us from 0 (50), none on VF 1
run reassign-nic nst --set workloads.rx1.stop=300us --set workloads.tx1.stop=300us &&
  check "NIC: a workload stopped before the move does not start again on the moved VF" \
    '[ "$(col $tmp/nst/functions.csv d0.vf2 h1 14)" = 125 ] &&
     [ "$(col $tmp/nst/functions.csv d0.vf1 h1 14)" = 0 ]'
# the same for raw DMA: h1's 2 Gb/s of 1500 B writes, one every 6 us from 0, stop at 300 us
# (50 DMAs) and do not come back when VF 1 joins h1 at 500 us
run reassign-open ost --set workloads.w1.stop=300us &&
  check "raw DMA: a workload stopped before the move does not start again (50 DMAs)" \
    '[ "$(awk -F, "\$1 == \"w1\" { print \$7 }" $tmp/ost/workloads.csv)" = 50 ]'
# h0's link drops at 300 us (its queue pairs are cut: what they had under way fails, their
# arrivals are dropped), VF 1 moves to h1 at 400 us, the link is back at 700 us: h0's 10 Gb/s
# come back on VF 0 alone (3 %), and the VF that left is not brought back in h0's VH by the
# link_up: its row keeps the 123 frames it carried before 300 us (74 RX, 49 TX)
ldm='events=[{at: 300us, link_down: h0-s0}, {at: 400us, reassign: {device: d0, vfs: [1], to: h1}}, {at: 700us, link_up: h0-s0}]'
run reassign-nic nld --set "$ldm" &&
  check "NIC: a link_up after the move brings h0 back on the VF it kept" \
    'near "$(mean $tmp/nld/timeseries.csv h0 720 1000)" 10 0.03 &&
     [ "$(col $tmp/nld/functions.csv d0.vf1 h0 14)" = 123 ] &&
     [ "$(col $tmp/nld/functions.csv d0.vf1 h1 14)" = 103 ] &&
     near "$(mean $tmp/nld/timeseries.csv h1 310 1000)" 5 0.03'
# a VF that joins h1 while h1's link is down (300-700 us) is cut until the link is back:
# it carries h1's share from link_up + retrain (710 us): RX every 8.096 us and TX every
# 12.144 us over 290 us, 35.8 + 23.9 frames (+-2: the phases)
run reassign-nic njd --set 'events=[{at: 300us, link_down: h1-s0}, {at: 400us, reassign: {device: d0, vfs: [1], to: h1}}, {at: 700us, link_up: h1-s0}]' && {
  n=$(col "$tmp/njd/functions.csv" d0.vf1 h1 14)
  check "NIC: a VF that joins a host whose link is down carries from the link_up ($n frames)" \
    '[ "$n" -ge 58 ] && [ "$n" -le 62 ] && [ "$(mean $tmp/njd/timeseries.csv h1 310 700)" = "0.000000" ]'
}
run reassign-nic nm2 && check "NIC: a move is deterministic" \
  'cmp -s $tmp/nm/events.csv $tmp/nm2/events.csv && cmp -s $fc $tmp/nm2/functions.csv'

# --- NVMe: controller VF 1 of d0 (8 reads in flight) moves from h0 to h1 -------------------
# reads are latency-bound (8 in flight per controller, 20 us of media, 64 channels, links
# used to ~10 %): every controller carries the same rate X; h0 goes from 2X to X, h1 from X
# to 2X after the FLR (8 %: a controller's 8 reads are issued together and complete
# together every ~22 us, 0.26 Mbit at once, which is 7 % of X over a window of 300 us)
run reassign-nvme vm && run reassign-nvme vmno --set 'events=[]' || { finish; exit; }
ts=$tmp/vm/timeseries.csv fc=$tmp/vm/functions.csv
x=$(mean "$ts" h1 100 400)
x2=$(awk -v x="$x" 'BEGIN { print 2 * x }')
check "NVMe: h0 carries 2X, then X; h1 X, then 2X (X = $x Gb/s)" \
  'near "$(mean $ts h0 100 400)" "$x2" 0.08 && near "$(mean $ts h0 510 1000)" "$x" 0.08 &&
   near "$(mean $ts h1 410 500)" "$x" 0.08 && near "$(mean $ts h1 510 1000)" "$x2" 0.08'
# the same per controller, over the time each served (3 %): commands per us of VF 1 in h0's
# VH (400 us), in h1's (500 us), and of VF 0 (1 ms)
per() { awk -v n="$1" -v t="$2" 'BEGIN { print n / t }'; }
v0=$(per "$(col $fc d0.vf0 h0 16)" 1000)
check "NVMe: the moved controller's IOPS go from h0 to h1 at VF 0's rate ($v0 per us)" \
  'near "$(per $(col $fc d0.vf1 h0 16) 400)" "$v0" 0.03 && near "$(per $(col $fc d0.vf1 h1 16) 500)" "$v0" 0.03'
# what the controller had under way fails: its 8 reads; its writes (every 100 us from 50 us,
# each done in ~6 us) have none in flight at 400 us
check "NVMe: the move fails the 8 reads in flight, counted against h0" \
  '[ "$(sed -n 2p $tmp/vm/events.csv | cut -d, -f1-5)" = "400.000,reassign,d0,h0 h1,8" ] &&
   [ "$(hcol $tmp/vm/hosts.csv h0 18)" = 8 ] && [ "$(hcol $tmp/vm/hosts.csv h1 18)" = 0 ]'
# one MSI-X per completion entry (irq_coalesce 1), each delivered to the controller's host of
# the moment
check "NVMe: every controller's MSI-X count equals its completions, in each VH" \
  '[ "$(awk -F, "NR > 1 && \$16 != \$17" $fc | wc -l)" = 0 ] && [ "$(col $fc d0.vf1 h1 17)" -gt 0 ]'
# the same with the NVMe drive: after the link_up h0 carries X on VF 0 alone (8 %, as
# above: X from h1's VF 2 before the move), and the controller that left starts no loop in
# h0's VH again: it completed no more than VF 0's rate allows in the 300 us before the link
# went down
run reassign-nvme vld --set "$ldm" &&
  check "NVMe: a link_up after the move brings h0 back on the controller it kept" \
    'near "$(mean $tmp/vld/timeseries.csv h0 720 1000)" "$x" 0.08 &&
     awk -v n="$(col $tmp/vld/functions.csv d0.vf1 h0 16)" -v r="$v0" "BEGIN { exit !(n > 0 && n <= r * 300) }"'
# the same for a controller's queues and data (nvme.c and nvme_host.c's layout: SQ, CQ, PRP
# lists below 1 GiB, data buffers at 8 GiB)
run reassign-nvme vpg $pg &&
  check "NVMe: the moved controller's translations start cold in h1's IOTLB (4 misses)" \
    '[ "$(hcol $tmp/vpg/hosts.csv h1 9)" = 4 ] && [ "$(hcol $tmp/vpg/hosts.csv h0 9)" = 4 ]'
# h1's writes (10 Kiops on VF 2, one every 100 us from 0) stop at 300 us: 3, none later
run reassign-nvme vst --set workloads.wr1.stop=300us &&
  check "NVMe: an open loop stopped before the move does not start again (3 writes)" \
    '[ "$(awk -F, "\$1 == \"wr1\" { print \$7 }" $tmp/vst/workloads.csv)" = 3 ]'
check "NVMe: the moved controller's vector misses h1's interrupt entry cache (2 misses, 1 without)" \
  '[ "$(hcol $tmp/vm/hosts.csv h1 17)" = 2 ] && [ "$(hcol $tmp/vmno/hosts.csv h1 17)" = 1 ]'
"$bin" check "$data/reassign-nvme.yaml" >"$tmp/vm.check" 2>&1
check "NVMe: check gives the moved controller a routing ID in h1's VH from the end of the FLR" \
  'grep -q "d0.vf1 03:00.2 (until 400us)" $tmp/vm.check &&
   grep -q "d0.pf2 03:00.0, d0.vf2 03:00.1, d0.vf1 03:00.2 (from 500us)" $tmp/vm.check'
# --- a host on the vswitch path (§11) gives its idle VFs away and gets one ----------------
# blade0's frames take its PF queue pair and software switch, its VFs idle: moving them
# fails nothing and leaves its frames to the vswitch (2 %: the other hosts' frames share
# the NIC's wire and link in another order); blade1 serves its 8 VFs and the 2 moved in
vsw="--set hosts.blade0.vswitch.acl=true --set run.duration=1ms"
"$bin" run ../topologies/vswitch-acl.yaml --out "$tmp/vs" --quiet --no-plots $vsw \
  --set 'events=[{at: 400us, reassign: {device: nic0, vfs: [0, 1], to: blade1}}, {at: 600us, reassign: {device: nic0, vfs: [8], to: blade0}}]' \
  >/dev/null 2>&1 || bad "run vswitch-acl with moves"
"$bin" run ../topologies/vswitch-acl.yaml --out "$tmp/vs0" --quiet --no-plots $vsw >/dev/null 2>&1 ||
  bad "run vswitch-acl"
check "vswitch host: VFs move out and in, nothing under way fails, its frames stay on the vswitch" \
  '[ "$(cut -d, -f5 $tmp/vs/events.csv | tr "\n" " ")" = "dmas_failed 0 0 " ] &&
   [ "$(grep -c ",blade1," $tmp/vs/functions.csv)" = 10 ] &&
   near "$(hcol $tmp/vs/hosts.csv blade0 3)" "$(hcol $tmp/vs0/hosts.csv blade0 3)" 0.02'

# --- the shipped failover chassis (docs/capacity-planning.md's numbers) --------------------
# blade3 (12 + 8 Gb/s, Poisson) loses its link at 300 us; its 8 VFs move to the standby
# blade7 (no VF before) at 350 us, FLR 100 us; blade7 runs the same 20 Gb/s on what it has
fo=../topologies/blade8-failover.yaml
"$bin" run $fo --out "$tmp/fo" --quiet --no-plots >/dev/null 2>&1 || bad "run blade8-failover"
# the same chassis without the failover: no event, no standby workloads
sed '/name: [rt]x7,/d; /^events:/,$d' $fo >"$tmp/fono.yaml"
"$bin" run "$tmp/fono.yaml" --out "$tmp/fono" --quiet --no-plots >/dev/null 2>&1 || bad "run blade8-failover without it"
ts=$tmp/fo/timeseries.csv
check "failover: blade3 carries nothing after it fails, blade7 nothing before the FLR ends" \
  '[ "$(mean $ts blade3 310 2000)" = "0.000000" ] && [ "$(mean $ts blade7 0 450)" = "0.000000" ]'
check "failover: blade7's first frames land in the bin of the FLR's end (450 us)" \
  'awk -F, "\$2 == \"blade7\" && \$1 == 450 && \$3 > 0 { f = 1 } END { exit !f }" $ts'
# 20 Gb/s of 1518 B frames over 1.54 ms is ~2540 Poisson arrivals (sigma 2 %): 6 %
check "failover: blade7 carries the 20 Gb/s blade3 carried, from the first bin after the FLR" \
  'near "$(mean $ts blade7 460 2000)" 20 0.06 && near "$(mean $ts blade3 0 300)" 20 0.06'
check "failover: the 8 moved VFs serve blade7 and carry all of its frames" \
  '[ "$(grep -c "^nic0.vf\(2[4-9]\|3[01]\),nic0,blade7," $tmp/fo/functions.csv)" -eq 8 ] &&
   [ "$(awk -F, "\$3 == \"blade7\" { s += \$14 } END { print s }" $tmp/fo/functions.csv)" = \
     "$(awk -F, "\$2 == \"blade7\" { s += \$7 } END { print s }" $tmp/fo/workloads.csv)" ]'
# a standby workload offers only while its host has a VF: 12 Gb/s x 1550 of 2000 us
check "failover: rx7 is offered 9.3 Gb/s over the window (the time blade7 has VFs)" \
  '[ "$(awk -F, "\$1 == \"rx7\" { print \$5 }" $tmp/fo/workloads.csv)" = 9.3000 ]'
# the link_down fails what blade3's queue pairs had under way (a frame takes ~1.1 us: a few)
# and drops its arrivals until the move, 20 Gb/s of 1518 B frames for 50 us: 82 Poisson
# (3 sigma: 27); the move finds nothing under way (the cut emptied the queue pairs)
lost=$(sed -n 2p "$tmp/fo/events.csv" | cut -d, -f5)
check "failover: blade3's link_down fails its frames until the move ($lost), the move none" \
  '[ "$(sed -n 2p $tmp/fo/events.csv | cut -d, -f1-4)" = "300.000,link_down,blade3-mra0,blade3" ] &&
   [ "$lost" -ge 55 ] && [ "$lost" -le 120 ] && [ "$(hcol $tmp/fo/hosts.csv blade3 18)" = "$lost" ] &&
   [ "$(sed -n 3p $tmp/fo/events.csv | cut -d, -f1-6)" = "350.000,reassign,nic0,blade3 blade7,0,0" ]'
# the others' arrivals are their own streams: the same frames with and without the failover;
# blade7's frames add to the NIC link's load, so their latency may grow (by under 1 %)
for h in blade0 blade4 blade6; do
  check "failover: $h carries the same frames with and without the failover, latency within 1 %" \
    '[ "$(rows $tmp/fo/hosts.csv 1 $h | cut -d, -f1-4)" = "$(rows $tmp/fono/hosts.csv 1 $h | cut -d, -f1-4)" ] &&
     near "$(rows $tmp/fo/hosts.csv 1 $h | cut -d, -f5)" "$(rows $tmp/fono/hosts.csv 1 $h | cut -d, -f5)" 0.01'
done
finish

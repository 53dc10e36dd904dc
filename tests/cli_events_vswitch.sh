#!/bin/sh
# cli_events_vswitch.sh MRIOVSIM: a reset (contract §10) of a host whose frames take the
# vswitch path (§11): its PF queue pair and its software switch's frames in flight fail,
# its VMs' frames during the FLR are dropped and counted, nothing of another host changes
# (byte-identical rows when hosts share nothing), it comes back as it started, every frame
# is counted once (done, dropped or failed), its CPU columns count the work its cores did,
# and on a device link shared under rr the others' shares go from 1/3 to 1/2 and back after
# the FLR. A link down on the path cuts the PF queue pair and the switch's frames the same
# way until link_up + retrain; a removal of the NIC for good, without a hang.
cd "$(dirname "$0")" || exit 1
. ./testlib.sh
. ./eventlib.sh

col() { # col FILE HOST COLUMN: HOST's value in hosts.csv's COLUMN (by name)
  awk -F, -v h="$2" -v n="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
    $1 == h { print $c }' "$1"
}

# --- isolation: every host on its own NIC, all through their vswitches --------------------
# (functions.csv: each host's PF, which carries its frames, and its two idle VFs)
others="h1-s0 h2-s0 s0-d1 s0-d2"
isolated reset-isolated-vswitch ev noev 6 || { finish; exit; }
# constant arrivals on the PF queue pair: RX 10 Gb/s (one 1518 B frame per 1.2144 us, k =
# 248..411 in the FLR [300, 500) us: 164) and TX 6 Gb/s (one per 2.024 us, k = 149..247:
# 99) are dropped, 263; in flight at 300 us are the frames that arrived less than a latency
# before (polling: RX ~3.0 us, p99 3.3: at most 3; TX ~4.9 us, p99 5.5: at most 3), one
# more per direction for a latency above its p99: at most 8
h0_failed ev 263 271 "frames: 263 dropped during the FLR and at most 8 in flight"

# the CPU across the reset: cpu_utilization counts every execution the cores ran (one that
# was under way at the reset runs to its end and counts; its frame does not), and
# vswitch_packets the frames switched. Without the event h0 switched N; with it, N less the
# frames that failed, plus those that failed after their CPU work (TX frames switched and
# not yet read by the NIC: at most the 3 TX frames in flight)
n=$(col $tmp/noev/hosts.csv h0 vswitch_packets) m=$(col $tmp/ev/hosts.csv h0 vswitch_packets)
check "vswitch_packets: $m with the reset, $n without, $failed failed" \
  '[ "$m" -ge $((n - failed)) ] && [ "$m" -le $((n - failed + 3)) ]'
# every frame is 1518 B, the same work: utilization per frame switched is the same with and
# without the reset (1 %: a dropped execution's work, two at most, in ~1000 frames)
u=$(col $tmp/noev/hosts.csv h0 cpu_utilization) v=$(col $tmp/ev/hosts.csv h0 cpu_utilization)
check "cpu_utilization: $v with the reset, $u without, in proportion to the frames switched" \
  'near "$(awk -v v="$v" -v m="$m" "BEGIN { print v / m }")" "$(awk -v u="$u" -v n="$n" "BEGIN { print u / n }")" 0.01'
check "cpu_cores_busy is cpu_utilization x 8 cores (4 decimals)" \
  'awk -v u="$v" -v c="$(col $tmp/ev/hosts.csv h0 cpu_cores_busy)" "BEGIN { d = u * 8 - c; exit !(d < 1e-4 && d > -1e-4) }"'
run reset-isolated-vswitch ev2 && check "vswitch resets are deterministic" \
  'cmp -s $tmp/ev/events.csv $tmp/ev2/events.csv && cmp -s $tmp/ev/timeseries.csv $tmp/ev2/timeseries.csv &&
   cmp -s $tmp/ev/hosts.csv $tmp/ev2/hosts.csv'

# --- with interrupts (the kernel driver: an MSI-X per 32 frames) ---------------------------
# RX frames wait for their interrupt before the switch: in flight at the reset are those of
# the last ~39 us (p99 40.5 us: at most 34) and TX ones of the last 25.3 us (p99: at most 13)
run reset-isolated-vswitch k --set devices.d0.nic.driver=kernel &&
  run reset-isolated-vswitch kno --set devices.d0.nic.driver=kernel --set 'events=[]' &&
  check "kernel: h1 and h2 are the same with and without the reset" \
    '[ "$(rows $tmp/k/hosts.csv 1 h1 h2)" = "$(rows $tmp/kno/hosts.csv 1 h1 h2)" ] &&
     [ "$(rows $tmp/k/hosts.csv 1 h1 h2)" = "$(rows $tmp/noev/hosts.csv 1 h1 h2)" ]'
h0_failed k 263 310 "frames with interrupts: 263 dropped and at most 47 in flight"
check "kernel: h0 carries nothing while its functions reset" \
  '[ "$(mean $tmp/k/timeseries.csv h0 310 500)" = "0.000000" ]'

# --- a CPU-bound switch, reset with frames queued for its core ------------------------------
# one core of 2 GHz at 2000 + 0.5 x 1514 cycles a frame (1.3785 us) switches 0.725 Mpps of
# the 1.317 offered (RX 10 Gb/s, one frame per 1.2144 us; TX 6 Gb/s, one per 2.024 us, both
# constant from 0 to 600 us: 495 + 297 = 792 frames): by 300 us its VMs' TX ring and the PF's
# RX frames hold a backlog of ~180 frames, which fail with the reset; an MSI-X per 32 frames
# or 10 us; everything left drains by 2.5 ms. Exact, every frame counted once:
# failed = arrivals in the FLR [300, 400) us (RX k = 248..329: 82, TX k = 149..197: 49)
#        + arrivals before 300 us (RX 248, TX 149) - frames done before 300 us (timeseries)
# cpu_bound OUT WHAT: those checks on run OUT
cpu_bound() {
  f=$(col $tmp/$1/hosts.csv h0 dmas_failed)
  done300=$(awk -F, 'NR > 1 && $1 < 300 { s += $3 } END { printf "%.0f", s * 10000 / 12144 }' $tmp/$1/timeseries.csv)
  check "CPU-bound, $2: $f failed = 131 arrivals in the FLR + 397 before the reset - $done300 done by then" \
    '[ "$f" -eq $((131 + 397 - done300)) ] && [ $((397 - done300)) -gt 100 ]'
  # packets and drops: workloads.csv's 6th and 5th columns from the end (its verdicts hold commas)
  pd=$(awk -F, 'NR > 1 { s += $(NF - 5) + $(NF - 4) } END { print s }' $tmp/$1/workloads.csv)
  check "CPU-bound, $2: every frame is done, dropped or failed ($pd + $f of 792)" '[ $((pd + f)) -eq 792 ]'
  # busy core-seconds / 1.3785 us are the executions the core ran: the frames switched, and
  # the one under way at the reset (it runs to its end, its frame failed): 0.05 for the
  # rounding of cpu_utilization's 6 decimals
  sw=$(col $tmp/$1/hosts.csv h0 vswitch_packets)
  x=$(awk -v u="$(col $tmp/$1/hosts.csv h0 cpu_utilization)" 'BEGIN { print u * 8 * 2500 / 1.3785 }')
  check "CPU-bound, $2: $x executions of the core: the $sw frames switched and one cut by the reset" \
    'awk -v x="$x" -v n="$sw" "BEGIN { exit !(x > n + 1 - 0.05 && x < n + 1 + 0.05) }"'
}
run reset-cpu-bound-vswitch cb && cpu_bound cb "RX and TX"
# the same arrivals all TX (the 10 Gb/s stream too): the frame under way is a TX one
run reset-cpu-bound-vswitch cbtx --set workloads.rx.packets=tx && cpu_bound cbtx "TX only"

# --- a NIC's device link shared under rr: shares 1/3 -> 1/2 -> 1/3 -------------------------
# h0's frames take its vswitch (its PF queue pair, alone on port 0), h1's and h2's their
# VFs (ports 1 and 2); each offers 20 Gb/s of RX frames and the Gen3 x4 device link carries
# ~25: work-conserving rr gives each busy VH an equal share; h0's 4 cores switch far more
# than its share (0.8 cores busy). Polling keeps the frames' delivery smooth (interrupts
# would hand the switch 32 at a time, lumps of 10 us bins); 3 %: bins of 10 us hold ~7
# frames per host, means over 19-50 bins
run reset-shared-vswitch sh || { finish; exit; }
rr_shares "$tmp/sh/timeseries.csv"
check "shared: recovery_us 10 from the end of the FLR" \
  '[ "$(sed -n 2p $tmp/sh/events.csv | cut -d, -f8)" = "10.000" ]'
check "shared: events.csv's failures are h0's" \
  '[ "$(sed -n 2p $tmp/sh/events.csv | cut -d, -f1-5)" = "300.000,reset,h0,h0,$(col $tmp/sh/hosts.csv h0 dmas_failed)" ]'
# --- a link down on the vswitch path's PF queues (contract §10 on §11) --------------------
# h0 through its switch, h1 on its VF, over the MR-Link s0-d0: down at 300 us, up at 400,
# retraining 10 us. Both VHs carry nothing from the link_down to link_up + retrain, and
# then what they carried before (3 %: bins of 10 us hold 13 frames per host; means over 20
# and 58 bins)
run link-down-vswitch ld || { finish; exit; }
ts=$tmp/ld/timeseries.csv
check "link down: h0 (vswitch) and h1 (SR-IOV) carry nothing until link_up + retrain" \
  '[ "$(mean $ts h0 310 410)" = "0.000000" ] && [ "$(mean $ts h1 310 410)" = "0.000000" ]'
check "link down: both carry what they carried before once the link is back (3 %)" \
  'near "$(mean $ts h0 420 1000)" "$(mean $ts h0 100 300)" 0.03 &&
   near "$(mean $ts h1 420 1000)" "$(mean $ts h1 100 300)" 0.03'
# h0's PF queue pair is cut: constant RX 10 Gb/s (k = 248..337 in [300, 410) us: 90) and TX
# 6 Gb/s (k = 149..202: 54) are dropped, 144, and the frames under way at 300 us fail:
# polling, RX ~3.2 us and TX ~4.7 us (p99 3.3 and 5.5: at most 3 each), one more per
# direction for a latency above its p99: at most 8
f=$(col $tmp/ld/hosts.csv h0 dmas_failed)
check "link down: h0's failed frames: 144 of the outage and at most 8 under way (got $f)" \
  '[ "$f" -ge 144 ] && [ "$f" -le 152 ]'
check "link down: events.csv counts what both hosts failed and timed out" \
  '[ "$(sed -n 2p $tmp/ld/events.csv | cut -d, -f5)" = $((f + $(col $tmp/ld/hosts.csv h1 dmas_failed))) ] &&
   [ "$(sed -n 2p $tmp/ld/events.csv | cut -d, -f7)" = $(( $(col $tmp/ld/hosts.csv h0 completion_timeouts) + $(col $tmp/ld/hosts.csv h1 completion_timeouts) )) ]'
check "link down: recovery_us 120 from the link_down, 20 from the link_up" \
  '[ "$(sed -n 2p $tmp/ld/events.csv | cut -d, -f1-4,8)" = "300.000,link_down,s0-d0,h0 h1,120.000" ] &&
   [ "$(sed -n 3p $tmp/ld/events.csv | cut -d, -f1-4,8)" = "400.000,link_up,s0-d0,h0 h1,20.000" ]'
# the CPU: the VMs' TX frames go on through h0's switch while the link is down (their CPU
# work counts) and are dropped at the PF's ring (counted in f); its RX frames do not arrive.
# Without the event it switched N frames; with it N less those that failed, plus the 54 TX
# frames of the outage that it switched before the PF dropped them (constant 6 Gb/s of
# 1518-B frames, one per 2.024 us: k = 149..202 in [300, 410) us), plus at most the 3 TX
# frames switched before the cut
run link-down-vswitch ldno --set 'events=[]' &&
  n=$(col $tmp/ldno/hosts.csv h0 vswitch_packets) m=$(col $tmp/ld/hosts.csv h0 vswitch_packets) &&
  check "link down: vswitch_packets $m with the outage, $n without, $f failed, 54 TX switched in it" \
    '[ "$m" -ge $((n - f + 54)) ] && [ "$m" -le $((n - f + 54 + 3)) ]'
# h0's own link: only h0 is cut, the same frames fail
run link-down-vswitch ldh --set 'events=[{at: 300us, link_down: h0-s0}, {at: 400us, link_up: h0-s0}]' &&
  check "link down of h0-s0: only h0 is affected, the same frames fail, back as before" \
    '[ "$(sed -n 2p $tmp/ldh/events.csv | cut -d, -f1-5,8)" = "300.000,link_down,h0-s0,h0,$f,120.000" ] &&
     [ "$(mean $tmp/ldh/timeseries.csv h0 310 410)" = "0.000000" ] &&
     near "$(mean $tmp/ldh/timeseries.csv h0 420 1000)" "$(mean $tmp/ldh/timeseries.csv h0 100 300)" 0.03'
run link-down-vswitch ldx --set 'events=[{at: 300us, link_down: s0-d0}]' &&
  check "link down for good: the run ends normally, h0 carries nothing after, recovery_us empty" \
    '[ "$(sed -n 2p $tmp/ldx/events.csv | cut -d, -f8)" = "" ] &&
     [ "$(mean $tmp/ldx/timeseries.csv h0 310 1000)" = "0.000000" ]'
run link-down-vswitch ld2 && check "vswitch link faults are deterministic" \
  'cmp -s $tmp/ld/events.csv $tmp/ld2/events.csv && cmp -s $ts $tmp/ld2/timeseries.csv'

# --- surprise removal of the NIC h0 uses through its switch --------------------------------
# the frames under way at 300 us fail (at most 8, as above); the driver stops using the NIC,
# so the VMs' frames after it are nobody's (not counted); the VMs' TX frames still go
# through the switch (CPU work) and are dropped at the PF: vswitch_packets are the frames
# done before 300 us (from the time series: throughput x 10 us / 12144 bits per bin), plus
# the 346 TX frames of [300, 1000) us (one per 2.024 us: k = 149..494), plus at most the 3
# TX frames switched and then failed
run link-down-vswitch rm --set 'events=[{at: 300us, remove: d0}]' || { finish; exit; }
f=$(col $tmp/rm/hosts.csv h0 dmas_failed)
d300=$(awk -F, 'NR > 1 && $2 == "h0" && $1 < 300 { s += $3 } END { printf "%.0f", s * 10000 / 12144 }' $tmp/rm/timeseries.csv)
sw=$(col $tmp/rm/hosts.csv h0 vswitch_packets)
check "remove: the run goes to run.duration (bins to 990 us), no deadlock report" \
  '! grep -qi deadlock $tmp/rm.err && [ "$(rows $tmp/rm/timeseries.csv 2 h0 | grep -c "^990")" = 1 ]'
check "remove: h0 and h1 carry nothing on it from then on" \
  '[ "$(mean $tmp/rm/timeseries.csv h0 310 1000)" = "0.000000" ] &&
   [ "$(mean $tmp/rm/timeseries.csv h1 310 1000)" = "0.000000" ]'
check "remove: h0's failed frames are those under way (got $f)" '[ "$f" -ge 1 ] && [ "$f" -le 8 ]'
check "remove: h0's switch switched the $d300 frames done before, the 346 TX frames after and at most 3 more (got $sw)" \
  '[ "$sw" -ge $((d300 + 346)) ] && [ "$sw" -le $((d300 + 346 + 3)) ]'
check "remove: events.csv row (hosts, failures, recovery empty)" \
  '[ "$(sed -n 2p $tmp/rm/events.csv | cut -d, -f1-5,8)" = "300.000,remove,d0,h0 h1,$((f + $(col $tmp/rm/hosts.csv h1 dmas_failed)))," ]'
finish

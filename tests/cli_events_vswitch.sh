#!/bin/sh
# cli_events_vswitch.sh MRIOVSIM: a reset (contract §10) of a host whose frames take the
# vswitch path (§11): its PF queue pair and its software switch's frames in flight fail,
# its VMs' frames during the FLR are dropped and counted, nothing of another host changes
# (byte-identical rows when hosts share nothing), it comes back as it started, every frame
# is counted once (done, dropped or failed), its CPU columns count the work its cores did,
# and on a device link shared under rr the others' shares go from 1/3 to 1/2 and back after
# the FLR.
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
finish

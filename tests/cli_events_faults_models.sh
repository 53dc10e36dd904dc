#!/bin/sh
# cli_events_faults_models.sh MRIOVSIM: link faults (contract §10) on the device models'
# traffic. A function of a NIC or NVMe drive whose path uses a link that goes down is cut:
# its frames or commands under way fail (dmas_failed), its arrivals during the outage are
# dropped and counted, the reads whose completions can no longer arrive end by completion
# timeout (counted exactly against a trace of the requests in flight), its VH carries
# nothing until link_up + retrain, and then what it carried before; recovery_us follows.
cd "$(dirname "$0")" || exit 1
. ./testlib.sh
. ./eventlib.sh

# lost TRACE FUNCTIONS FIRST_HOP DOWN_HOP HOST_HOPS: reads whose completions the link down
# from 300 us loses, from the trace of [0, 400 us] (lostreqs.py says how)
lost() { python3 ./lostreqs.py "$@"; }
# regs TRACE HOP FN FROM TO: register-read completions of function FN (any: "") that started
# on HOP ("s0->h0") in [FROM, TO) us, per us
regs() {
  python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
hop, fn, a, b = sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
tid = [e["tid"] for e in d["traceEvents"] if e.get("name") == "thread_name" and
       e["args"]["name"].endswith("(" + hop + ")")][0]
n = sum(e.get("ph") == "X" and e["tid"] == tid and e["name"] == "CplD" and
        e["args"]["purpose"] == "register" and fn in ("", e["args"]["function"]) and
        a <= e["ts"] < b for e in d["traceEvents"])
print(n / (b - a))' "$@"
}
col() { awk -F, -v h="$2" -v c="$3" '$1 == h { print $c }' "$1"; } # col FILE HOST COLUMN
lat_ok() { # lat_ok WORKLOADS.CSV REGEX: the mean latency of the workloads named so is 1-10 us
  awk -F, -v re="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "lat_mean_ns") c = i; next }
    $1 ~ re { n++; if ($c < 1000 || $c > 10000) bad = 1 } END { exit bad || !n }' "$1"
}

# --- NIC: the MR-Link s0-d0 between the switch and the NIC, both hosts' VHs on it ------------
run link-down-nic ldn --trace "$tmp/ldn.json" --trace-window 0:400us || { finish; exit; }
ts=$tmp/ldn/timeseries.csv
check "NIC: both VHs carry nothing from the link_down to link_up + retrain" \
  '[ "$(mean $ts h0 310 410)" = "0.000000" ] && [ "$(mean $ts h1 310 410)" = "0.000000" ]'
# constant arrivals: bins of 10 us hold 7 or 8 frames per host (1518 B, so frames/s are the
# throughput / 12144 bits); the means over 20 and 58 bins agree to 3 %
check "NIC: packets/s return after link_up + retrain (3 %)" \
  'near "$(mean $ts h0 420 1000)" "$(mean $ts h0 100 300)" 0.03 &&
   near "$(mean $ts h1 420 1000)" "$(mean $ts h1 100 300)" 0.03'
to=$(sed -n 2p "$tmp/ldn/events.csv" | cut -d, -f7)
want=$(lost "$tmp/ldn.json" 400 d0.vf0,d0.vf1,d0.vf2,d0.vf3 'd0->s0' 's0->d0' 'h0->s0,h1->s0')
# descriptor and frame-data reads of the 4 VFs (256 tags each) and the hosts' head-register
# reads (16 mmio_tags each; mmio_latency 10 us keeps a burst of them in flight)
check "NIC: the reads in flight end by completion timeout ($to, $want in the trace)" \
  '[ "$to" = "$want" ] && [ "$to" -gt 0 ] && [ "$to" -le $((4 * 256 + 2 * 16)) ] &&
   [ $(( $(col $tmp/ldn/hosts.csv h0 19) + $(col $tmp/ldn/hosts.csv h1 19) )) = "$to" ]'
# per VF, RX 5 Gb/s (a frame per 2.4288 us) and TX 4 Gb/s (per 3.036 us): the 110 us without
# a path drop 45-46 + 36-37 arrivals; a frame's latency (1.5-2.1 us) is below both periods,
# so at most one frame per VF and direction was under way: 162-166 + at most 4 per host
for h in h0 h1; do
  f=$(col "$tmp/ldn/hosts.csv" $h 18)
  check "NIC: $h's failed frames: arrivals of the outage and those under way (got $f)" \
    '[ "$f" -ge 162 ] && [ "$f" -le 170 ]'
done
check "NIC: events.csv counts what the hosts failed" \
  '[ "$(sed -n 2p $tmp/ldn/events.csv | cut -d, -f5)" = $(( $(col $tmp/ldn/hosts.csv h0 18) + $(col $tmp/ldn/hosts.csv h1 18) )) ]'
# link_up + retrain at 410 us; the first frames then take their latency (1-10 us) to be
# written back, so the bin at 410 us is short of 10 % and the one at 420 us is whole
check "NIC: recovery_us 120 from the link_down, 20 from the link_up" \
  'lat_ok $tmp/ldn/workloads.csv . &&
   [ "$(sed -n 2p $tmp/ldn/events.csv | cut -d, -f1-4,8)" = "300.000,link_down,s0-d0,h0 h1,120.000" ] &&
   [ "$(sed -n 3p $tmp/ldn/events.csv | cut -d, -f1-4,8)" = "400.000,link_up,s0-d0,h0 h1,20.000" ]'
# the hosts' register reads go on after the link_up: with the 21-22 tags of the lost ones
# kept, each host's 16 would all be taken and its driver could read no register again
run link-down-nic ldnt --trace "$tmp/ldnt.json" --trace-window 420us:1000us &&
  for h in h0 h1; do
    check "NIC: $h reads its registers after link_up as before, its tags back (10 %)" \
      'near "$(regs $tmp/ldnt.json "s0->$h" "" 420 1000)" "$(regs $tmp/ldn.json "s0->$h" "" 0 300)" 0.10'
  done
run link-down-nic ldn2 && check "NIC link faults are deterministic" \
  'cmp -s $tmp/ldn/events.csv $tmp/ldn2/events.csv && cmp -s $ts $tmp/ldn2/timeseries.csv'
run link-down-nic ldnx --set 'events=[{at: 300us, link_down: s0-d0}]' &&
  check "NIC: a link that stays down: the run ends normally, recovery_us empty" \
    '[ "$(sed -n 2p $tmp/ldnx/events.csv | cut -d, -f8)" = "" ] &&
     [ "$(mean $tmp/ldnx/timeseries.csv h0 310 1000)" = "0.000000" ]'

# --- NVMe: h0's own link h0-s0 (the blade's link), h1 on the same drive ---------------------
run link-down-nvme ldv --trace "$tmp/ldv.json" --trace-window 0:400us || { finish; exit; }
ts=$tmp/ldv/timeseries.csv
check "NVMe: h0 carries nothing from the link_down to link_up + retrain" \
  '[ "$(mean $ts h0 310 410)" = "0.000000" ]'
# constant arrivals, one period per bin: 8 reads and 1 write per VF in each 10 us bin (so
# IOPS are proportional to the throughput); 2 %
check "NVMe: h0's IOPS return after link_up + retrain (2 %)" \
  'near "$(mean $ts h0 420 1000)" "$(mean $ts h0 100 300)" 0.02'
check "NVMe: h1, whose path does not use h0-s0, goes on as before (2 %), nothing of it fails" \
  'near "$(mean $ts h1 310 410)" "$(mean $ts h1 100 300)" 0.02 &&
   [ "$(col $tmp/ldv/hosts.csv h1 18),$(col $tmp/ldv/hosts.csv h1 19)" = "0,0" ]'
to=$(sed -n 2p "$tmp/ldv/events.csv" | cut -d, -f7)
want=$(lost "$tmp/ldv.json" 400 d0.vf0,d0.vf1 'd0->s0' 'h0->s0' 'h0->s0')
check "NVMe: SQ-entry, PRP-list and data reads in flight end by timeout ($to, $want in the trace)" \
  '[ "$to" = "$want" ] && [ "$to" -gt 0 ] && [ "$to" -le $((2 * 256)) ] &&
   [ "$(col $tmp/ldv/hosts.csv h0 19)" = "$to" ]'
# per VF, reads every 1.25 us and writes every 10 us: 88 + 11 (+-1 each) arrivals in the
# 110 us without a path; under way at 300 us at most 6 reads (5.5 us of latency) and 2 writes
f=$(col "$tmp/ldv/hosts.csv" h0 18)
check "NVMe: h0's failed commands: arrivals of the outage and those under way (got $f)" \
  '[ "$f" -ge 194 ] && [ "$f" -le 216 ] && [ "$(sed -n 2p $tmp/ldv/events.csv | cut -d, -f5)" = "$f" ]'
# the same with the reads' latency (a write's data reaches the drive before its command ends)
check "NVMe: recovery_us 120 from the link_down, 20 from the link_up" \
  'lat_ok $tmp/ldv/workloads.csv ^rd &&
   [ "$(sed -n 2p $tmp/ldv/events.csv | cut -d, -f1-4,8)" = "300.000,link_down,h0-s0,h0,120.000" ] &&
   [ "$(sed -n 3p $tmp/ldv/events.csv | cut -d, -f1-4,8)" = "400.000,link_up,h0-s0,h0,20.000" ]'
# --- the other way round: the NIC's traffic on h0's own link, the drive's on the MR-Link ----
# swap TOPOLOGY OUT LINK DOWN_HOP FUNCTIONS HOSTS_ON_IT [SET]: the link LINK down 300-400 us
# (back at 410 us): the VHs on it carry nothing, then what they carried (3 %), the others go
# on (3 %), and the timeouts are the reads in flight of the trace. A register read still
# queued at its root port when the port's own link drops is lost without a trace entry
# (it times out too): the NIC's hosts get tags enough for none to wait for one (SET)
swap() {
  st=$1 so=$2 sl=$3 sd=$4 sf=$5 son=$6 # named: check evaluates with its own $1, $2
  run "$st" "$so" --set "events=[{at: 300us, link_down: $sl}, {at: 400us, link_up: $sl}]" \
    --trace "$tmp/$so.json" --trace-window 0:400us ${7:+--set "$7"} || return
  for h in h0 h1; do
    sts=$tmp/$so/timeseries.csv
    if echo " $son " | grep -q " $h "; then
      check "$st, $sl down: $h carries nothing, then what it carried (3 %)" \
        '[ "$(mean $sts $h 310 410)" = "0.000000" ] && near "$(mean $sts $h 420 1000)" "$(mean $sts $h 100 300)" 0.03'
    else
      check "$st, $sl down: $h, whose path does not use it, goes on (3 %)" \
        'near "$(mean $sts $h 310 410)" "$(mean $sts $h 100 300)" 0.03'
    fi
  done
  sto=$(sed -n 2p "$tmp/$so/events.csv" | cut -d, -f7)
  swant=$(lost "$tmp/$so.json" 400 "$sf" 'd0->s0' "$sd" 'h0->s0,h1->s0')
  check "$st, $sl down: the reads in flight end by timeout ($sto, $swant in the trace)" \
    '[ "$sto" = "$swant" ] && [ "$sto" -gt 0 ]'
}
swap link-down-nic ldnh h0-s0 'h0->s0' d0.vf0,d0.vf1 h0 hosts.h0.mmio_tags=1024
swap link-down-nvme ldvm s0-d0 's0->d0' d0.vf0,d0.vf1,d0.vf2,d0.vf3 "h0 h1"

# a link fault during an FLR (reset at 300 us, FLR until 500 us; the link down 320-350 us,
# back at 360 us): h0 is back when the FLR ends, not with the link; its 1.8 arrivals per us
# (1.6 reads and 0.2 writes) are dropped, those of 320-360 us charged to the link_down
# (72 +- 4) and the others to the reset (36 + 252 + at most 16 under way at 300 us)
run link-down-nvme ldvr --set pcie.flr=200us \
  --set 'events=[{at: 300us, reset: h0}, {at: 320us, link_down: h0-s0}, {at: 350us, link_up: h0-s0}]' && {
  ts=$tmp/ldvr/timeseries.csv
  check "NVMe: a link fault during an FLR: h0 is back at the end of the FLR" \
    '[ "$(mean $ts h0 310 500)" = "0.000000" ] && near "$(mean $ts h0 510 1000)" "$(mean $ts h0 100 300)" 0.02'
  r=$(sed -n 2p "$tmp/ldvr/events.csv" | cut -d, -f5) l=$(sed -n 3p "$tmp/ldvr/events.csv" | cut -d, -f5)
  check "NVMe: the arrivals of the outage are the link_down's ($l), the others the reset's ($r)" \
    '[ "$l" -ge 68 ] && [ "$l" -le 76 ] && [ "$r" -ge 284 ] && [ "$r" -le 308 ]'
}
# and a reset during the outage (link down 300-400 us, reset at 350 us with a 100 us FLR):
# back at 450 us, after the link (410 us); the arrivals of 410-450 us are the reset's (72 +- 4)
run link-down-nvme ldvr2 --set pcie.flr=100us \
  --set 'events=[{at: 300us, link_down: h0-s0}, {at: 350us, reset: h0}, {at: 400us, link_up: h0-s0}]' && {
  ts=$tmp/ldvr2/timeseries.csv r=$(sed -n 3p "$tmp/ldvr2/events.csv" | cut -d, -f2,5)
  check "NVMe: a reset during the outage: h0 is back at the end of its FLR, after the link ($r)" \
    '[ "$(mean $ts h0 310 450)" = "0.000000" ] && near "$(mean $ts h0 460 1000)" "$(mean $ts h0 100 300)" 0.02 &&
     [ "${r%,*}" = reset ] && [ "${r#*,}" -ge 68 ] && [ "${r#*,}" -le 76 ]'
}

# --- a reassign into a cut path: blade3's 8 NIC VFs move to blade7 at 350 us (FLR until
# 450 us) while blade7's own link is down (400-500 us, back at 510 us): they start with the
# link, and then carry blade7's traffic as they do without the fault (2 %: means over 148
# bins); the arrivals of 450-510 us are dropped and counted
fo=../topologies/blade8-failover.yaml mv='{at: 350us, reassign: {device: nic0, vfs: [24, 25, 26, 27, 28, 29, 30, 31], to: blade7}}'
if "$bin" run $fo --out "$tmp/fo" --quiet --no-plots >/dev/null 2>&1 &&
   "$bin" run $fo --out "$tmp/foc" --quiet --no-plots \
     --set "events=[$mv, {at: 400us, link_down: blade7-mra0}, {at: 500us, link_up: blade7-mra0}]" >/dev/null 2>&1; then
  check "reassign into a cut path: the moved VFs start at link_up + retrain" \
    '[ "$(mean $tmp/foc/timeseries.csv blade7 300 510)" = "0.000000" ] &&
     near "$(mean $tmp/foc/timeseries.csv blade7 520 2000)" "$(mean $tmp/fo/timeseries.csv blade7 520 2000)" 0.02'
  # the same seeds draw the same arrivals in both runs: the frames blade7 carries less are
  # those the link_down dropped (+-2: frames under way at the end of the window)
  pk() { python3 -c 'import csv, sys
print(sum(int(r["packets"]) for r in csv.DictReader(open(sys.argv[1])) if r["workload"] in sys.argv[2:]))' \
    "$tmp/$1/workloads.csv" rx7 tx7; }
  less=$(( $(pk fo) - $(pk foc) ))
  f=$(sed -n 3p "$tmp/foc/events.csv" | cut -d, -f5)
  check "reassign into a cut path: the link_down counts the arrivals of 450-510 us ($f, $less)" \
    '[ "$f" -gt 0 ] && [ "$f" -ge $((less - 2)) ] && [ "$f" -le $((less + 2)) ]'
else
  bad "run blade8-failover with a link fault of blade7"
fi

# --- the vswitch path (contract §11): h0's frames through its software switch and its PF ---
# every host on its own NIC (reset-isolated-vswitch, its events replaced): h0's device link
# s0-d0 down 300-400 us cuts h0's PF queue pair; h1 and h2 share nothing with it (mps 512:
# and TX descriptors fetched one by one: one completion per read, for lostreqs.py)
vs=reset-isolated-vswitch
run $vs vsl --set 'events=[{at: 300us, link_down: s0-d0}, {at: 400us, link_up: s0-d0}]' \
  --set pcie.mps=512 --set devices.d0.nic.tx_fetch=1 --trace "$tmp/vsl.json" --trace-window 0:400us &&
  run $vs vsl0 --set 'events=[]' --set pcie.mps=512 --set devices.d0.nic.tx_fetch=1 && {
  ts=$tmp/vsl/timeseries.csv
  check "vswitch: h0 carries nothing during the outage, then what it carried (3 %)" \
    '[ "$(mean $ts h0 310 410)" = "0.000000" ] && near "$(mean $ts h0 420 1000)" "$(mean $ts h0 100 300)" 0.03'
  for f in hosts:1 functions:3 workloads:2 timeseries:2; do
    check "vswitch: ${f%:*}.csv rows of h1 and h2 are the same with and without the fault" \
      '[ -n "$(rows $tmp/vsl/${f%:*}.csv ${f#*:} h1 h2)" ] &&
       [ "$(rows $tmp/vsl/${f%:*}.csv ${f#*:} h1 h2)" = "$(rows $tmp/vsl0/${f%:*}.csv ${f#*:} h1 h2)" ]'
  done
  # constant arrivals on the PF: RX one 1518 B frame per 1.2144 us (90-91 in the 110 us) and
  # TX one per 2.024 us (54-55): 144-146 dropped; under way at 300 us at most 8 (as for a
  # reset, cli_events_vswitch.sh). The VMs' TX frames of the outage still take their CPU
  # work (the switch does not know the link is down): the PF's ring drops them
  f=$(col "$tmp/vsl/hosts.csv" h0 18)
  check "vswitch: h0's failed frames: the outage's and those under way (got $f)" \
    '[ "$f" -ge 144 ] && [ "$f" -le 154 ] && [ "$(sed -n 2p $tmp/vsl/events.csv | cut -d, -f5)" = "$f" ]'
  # so the switch switched all of them but the RX frames of the outage (90-91) and at most
  # the 8 under way
  vp=$(( $(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "vswitch_packets") c = i }
    $1 == "h0" { print $c }' $tmp/vsl0/hosts.csv) - $(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++)
    if ($i == "vswitch_packets") c = i } $1 == "h0" { print $c }' $tmp/vsl/hosts.csv) ))
  check "vswitch: the switch goes on with the VMs' TX frames during the outage ($vp fewer switched)" \
    '[ "$vp" -ge 90 ] && [ "$vp" -le 99 ]'
  to=$(sed -n 2p "$tmp/vsl/events.csv" | cut -d, -f7)
  want=$(lost "$tmp/vsl.json" 400 d0.pf1 'd0->s0' 's0->d0' 'h0->s0')
  check "vswitch: the PF's reads in flight end by timeout ($to, $want in the trace)" \
    '[ "$to" = "$want" ] && [ "$to" -gt 0 ]'
  check "vswitch: recovery_us 120 from the link_down, 20 from the link_up" \
    '[ "$(sed -n 2p $tmp/vsl/events.csv | cut -d, -f8)" = "120.000" ] &&
     [ "$(sed -n 3p $tmp/vsl/events.csv | cut -d, -f8)" = "20.000" ]'
}
# removal of h0's NIC: what its PF had under way fails (at most 8 frames), nothing after
run $vs vsr --set 'events=[{at: 300us, remove: d0}]' --set pcie.mps=512 --set devices.d0.nic.tx_fetch=1 && {
  f=$(col "$tmp/vsr/hosts.csv" h0 18)
  check "vswitch: removal of h0's NIC: nothing after it, the frames under way failed ($f)" \
    '[ "$(mean $tmp/vsr/timeseries.csv h0 310 1000)" = "0.000000" ] && [ "$f" -ge 1 ] && [ "$f" -le 8 ] &&
     ! grep -qi deadlock $tmp/vsr.err && [ "$(rows $tmp/vsr/hosts.csv 1 h1 h2)" = "$(rows $tmp/vsl0/hosts.csv 1 h1 h2)" ]'
}

# --- remove: surprise removal of a NIC (h0 and h1 share it; h0 also has d2, h2 its own d1) --
removed() { # removed OUT: the run ended normally, no deadlock report, h2 byte-identical
  ro=$1 # named: check evaluates its expression with its own $1
  check "$ro: the run goes to run.duration (bins to 990 us), no deadlock report" \
    '! grep -qi deadlock $tmp/$ro.err && [ "$(rows $tmp/$ro/timeseries.csv 2 h2 | grep -c "^990")" = 1 ]'
  check "$ro: the removed device's hosts carry nothing on it from then on" \
    '[ "$(mean $tmp/$ro/timeseries.csv h1 310 1000)" = "0.000000" ]'
  for f in functions:3 workloads:2 timeseries:2; do
    check "$ro: h2 on its own device sees nothing of it (${f%:*}.csv, byte for byte)" \
      '[ -n "$(rows $tmp/$ro/${f%:*}.csv ${f#*:} h2)" ] &&
       [ "$(rows $tmp/$ro/${f%:*}.csv ${f#*:} h2)" = "$(rows $tmp/${ro}0/${f%:*}.csv ${f#*:} h2)" ]'
  done
}
run remove-nic rmn --trace "$tmp/rmn.json" && run remove-nic rmn0 --set 'events=[]' || { finish; exit; }
removed rmn
to=$(sed -n 2p "$tmp/rmn/events.csv" | cut -d, -f7)
want=$(lost "$tmp/rmn.json" 1000 d0.vf0,d0.vf1,d0.vf2,d0.vf3 'd0->s0' 's0->d0' 'h0->s0,h1->s0')
check "remove NIC: every read to or from it ends by completion timeout, register reads too ($to, $want)" \
  '[ "$to" = "$want" ] && [ "$to" -gt 0 ] &&
   [ $(( $(col $tmp/rmn/hosts.csv h0 19) + $(col $tmp/rmn/hosts.csv h1 19) )) = "$to" ]'
# h0 lost 21 register reads to d0: with their tags kept, its 16 mmio_tags would be gone and
# its driver could read no register of d2 any more
check "remove NIC: h0 reads d2's registers after the removal as before (10 %)" \
  'near "$(regs $tmp/rmn.json "s0->h0" d2.vf0 310 1000)" "$(regs $tmp/rmn.json "s0->h0" d2.vf0 0 300)" 0.10'
# what was under way at 300 us failed (at most a frame per VF and direction, as above); the
# driver stops using the NIC: the arrivals after it are nobody's and not counted
for h in h0 h1; do
  f=$(col "$tmp/rmn/hosts.csv" $h 18)
  check "remove NIC: $h's failed frames are those under way (got $f)" '[ "$f" -le 4 ]'
done
check "remove NIC: events.csv row (hosts, failures, recovery empty)" \
  '[ "$(sed -n 2p $tmp/rmn/events.csv | cut -d, -f1-5,8)" = "300.000,remove,d0,h0 h1,$(( $(col $tmp/rmn/hosts.csv h0 18) + $(col $tmp/rmn/hosts.csv h1 18) ))," ] &&
   [ "$(sed -n 2p $tmp/rmn/events.csv | cut -d, -f5)" -gt 0 ]'

# --- remove: surprise removal of an NVMe drive ---------------------------------------------
run remove-nvme rmv --trace "$tmp/rmv.json" && run remove-nvme rmv0 --set 'events=[]' || { finish; exit; }
removed rmv
to=$(sed -n 2p "$tmp/rmv/events.csv" | cut -d, -f7)
want=$(lost "$tmp/rmv.json" 1000 d0.vf0,d0.vf1,d0.vf2,d0.vf3 'd0->s0' 's0->d0' 'h0->s0,h1->s0')
check "remove NVMe: its SQ-entry, PRP-list and data reads end by completion timeout ($to, $want)" \
  '[ "$to" = "$want" ] && [ "$to" -gt 0 ]'
# per host the closed loops' 2 VFs x 8 reads, and at most 2 writes per VF (one per 10 us,
# ~11 us each) were under way
for h in h0 h1; do
  f=$(col "$tmp/rmv/hosts.csv" $h 18)
  check "remove NVMe: $h's failed commands: its 16 reads and at most 4 writes (got $f)" \
    '[ "$f" -ge 16 ] && [ "$f" -le 20 ]'
done
finish

#!/bin/sh
# cli_events.sh MRIOVSIM: runtime events (contract §10) end to end. A reset of one host
# leaves every other host's results byte-identical to the run without the event when each
# host has its own device; on a shared device link under rr the others' shares go from 1/3
# to 1/2 while the reset host is down and back after its FLR; events.csv, the hosts.csv
# columns, summary.json and the report follow; the same run twice gives the same events.
cd "$(dirname "$0")" || exit 1
. ./testlib.sh
. ./eventlib.sh

# --- isolation: every host on its own device, h0 reset at 300 us --------------------------
others="h1-s0 h2-s0 s0-d1 s0-d2"
run reset-isolated ev && run reset-isolated noev --set 'events=[]' || { finish; exit; }
check "the rows compared are there" \
  '[ -n "$(rows $tmp/ev/functions.csv 3 h1 h2)" ] && [ "$(rows $tmp/ev/links.csv 1 $others | wc -l)" -eq 8 ]'
check "hosts.csv rows of h1 and h2 are the same with and without the reset" \
  '[ "$(NCOLS=17 rows $tmp/ev/hosts.csv 1 h1 h2)" = "$(NCOLS=17 rows $tmp/noev/hosts.csv 1 h1 h2)" ]'
check "functions.csv rows of h1 and h2 are the same" \
  '[ "$(rows $tmp/ev/functions.csv 3 h1 h2)" = "$(rows $tmp/noev/functions.csv 3 h1 h2)" ]'
check "workloads.csv rows of h1 and h2 are the same" \
  '[ "$(rows $tmp/ev/workloads.csv 2 h1 h2)" = "$(rows $tmp/noev/workloads.csv 2 h1 h2)" ]'
check "timeseries.csv rows of h1 and h2 are the same" \
  '[ "$(rows $tmp/ev/timeseries.csv 2 h1 h2)" = "$(rows $tmp/noev/timeseries.csv 2 h1 h2)" ]'

check "links.csv rows of the other hosts' links are the same" \
  '[ "$(rows $tmp/ev/links.csv 1 $others)" = "$(rows $tmp/noev/links.csv 1 $others)" ]'
check "overhead.csv rows of the other hosts' links are the same" \
  '[ "$(rows $tmp/ev/overhead.csv 1 $others)" = "$(rows $tmp/noev/overhead.csv 1 $others)" ]'
# the reset did something: h0 carried nothing from 310 us until its FLR ended at 500 us
check "h0 carries nothing while its functions reset" \
  '[ "$(mean $tmp/ev/timeseries.csv h0 310 500)" = "0.000000" ]'
check "h0 carries traffic before and after" \
  'near "$(mean $tmp/ev/timeseries.csv h0 510 1000)" "$(mean $tmp/noev/timeseries.csv h0 510 1000)" 0.10'
# contract §10: the columns are there in every run (a sweep mixes runs with and without
# events); without events each host failed nothing
noev_hosts=$(awk -F, 'NR > 1' "$tmp/noev/hosts.csv" | wc -l)
noev_failed=$(awk -F, 'NR > 1 && ($18 != 0 || $19 != 0)' "$tmp/noev/hosts.csv" | wc -l)
check "hosts.csv has dmas_failed and completion_timeouts, 0 without events" \
  'head -1 $tmp/ev/hosts.csv | grep -q ",dmas_failed,completion_timeouts" &&
   head -1 $tmp/noev/hosts.csv | grep -q ",dmas_failed,completion_timeouts" &&
   [ "$noev_hosts" -ge 2 ] && [ "$noev_failed" = 0 ]'
# 2 VFs x 8 closed-loop reads fail, and the 5 Gb/s of 1500 B writes that arrive during the
# 200 us FLR are dropped: 83 +- 3 sigma of a Poisson count (sqrt(83) = 9)
failed=$(awk -F, '$1 == "h0" { print $18 }' "$tmp/ev/hosts.csv")
check "h0's failed DMAs: 16 reads and about 83 dropped writes (got $failed)" \
  '[ "$failed" -ge 72 ] && [ "$failed" -le 126 ]'
check "events.csv: one row, the reset of h0 with its failures" \
  '[ "$(sed -n 2p $tmp/ev/events.csv | cut -d, -f1-5)" = "300.000,reset,h0,h0,$failed" ]'
check "events.csv header" \
  '[ "$(head -1 $tmp/ev/events.csv)" = "time_us,event,subject,hosts_affected,dmas_failed,tlps_lost,timeouts,recovery_us" ]'
check "summary.json events" \
  "python3 -c \"import json,sys; e=json.load(open('$tmp/ev/summary.json'))['events']; sys.exit(not (len(e)==1 and e[0]['event']=='reset' and e[0]['hosts_affected']==['h0'] and e[0]['dmas_failed']==$failed))\""
check "summary.json's events is an empty list without them" \
  "python3 -c \"import json,sys; sys.exit(json.load(open('$tmp/noev/summary.json'))['events'] != [])\""
# the report: an Events section, and a labelled vertical line per event on the time series
"$bin" report "$tmp/ev" >/dev/null 2>&1
check "report.html has the Events section with the reset" \
  'grep -q "<h2 id=\"events\">Events</h2>" $tmp/ev/report.html &&
   grep -q ">reset</td>" $tmp/ev/report.html'
check "the time-series plot marks the event" \
  'grep -q "set arrow from 300.000, graph 0 to 300.000, graph 1" $tmp/ev/report.gp &&
   grep -q "set label .reset h0. at 300.000" $tmp/ev/report.gp'
check "no Events section without events" '"$bin" report "$tmp/noev" >/dev/null 2>&1 &&
  ! grep -q "id=\"events\"" $tmp/noev/report.html && ! grep -q "set arrow" $tmp/noev/report.gp'
run reset-isolated ev2 && check "events are deterministic" \
  'cmp -s $tmp/ev/events.csv $tmp/ev2/events.csv && cmp -s $tmp/ev/timeseries.csv $tmp/ev2/timeseries.csv'
# --set moves the FLR's end: 50 us of outage instead of 200
run reset-isolated flr50 --set pcie.flr=50us &&
  check "pcie.flr=50us: h0 back from 350 us" \
    '[ "$(mean $tmp/flr50/timeseries.csv h0 310 350)" = "0.000000" ] &&
     near "$(mean $tmp/flr50/timeseries.csv h0 360 500)" "$(mean $tmp/noev/timeseries.csv h0 360 500)" 0.10'

# --- shared device link under rr: shares 1/3 -> 1/2 -> 1/3 ----------------------------------
# the Gen3 x4 device link is the bottleneck; work-conserving rr gives each busy host an
# equal share of it (3 % tolerance: bins of 10 us hold ~34 TLPs per host)
run reset-shared sh || { finish; exit; }
rr_shares "$tmp/sh/timeseries.csv"
# recovery: h0's closed loop restarts at 500 us and its first writes land within ~1 us,
# so the first 10 us bin after the FLR is already within 10 % of before
check "events.csv: recovery_us 0 from the end of the FLR, 64 DMAs failed (2 VFs x 32)" \
  '[ "$(sed -n 2p $tmp/sh/events.csv | cut -d, -f1-5,8)" = "300.000,reset,h0,h0,64,0.000" ]'

# --- link_down / link_up on the MR-Link s0-d0 (both VHs on it) -----------------------------
run link-down ld || { finish; exit; }
ts=$tmp/ld/timeseries.csv
check "both VHs carry nothing from the link_down to link_up + retrain" \
  '[ "$(mean $ts h0 310 410)" = "0.000000" ] && [ "$(mean $ts h1 310 410)" = "0.000000" ]'
check "throughput returns after link_up + retrain" \
  'near "$(mean $ts h0 410 1000)" "$(mean $ts h0 100 300)" 0.05 &&
   near "$(mean $ts h1 410 1000)" "$(mean $ts h1 100 300)" 0.05'
# h0's reads are tag-bound (2 VFs x 16 tags): the requests whose completions were lost end
# by completion timeout and give their tags back; with the tags leaked h0 could not recover
t0=$(awk -F, '$1 == "h0" { print $19 }' "$tmp/ld/hosts.csv")
check "h0's lost reads end by completion timeout (got $t0, at most 32 tags)" \
  '[ "$t0" -gt 0 ] && [ "$t0" -le 32 ]'
# h1's open-loop writes (5 Gb/s of 1500 B) have no path for 110 us: 45.8 arrivals dropped,
# +- 3 sigma; its closed loop waits (nothing of it fails)
f1=$(awk -F, '$1 == "h1" { print $18 }' "$tmp/ld/hosts.csv")
check "h1's arrivals without a path are dropped and counted (got $f1)" \
  '[ "$f1" -ge 25 ] && [ "$f1" -le 66 ]'
# recovery_us: link_down at 300 us, link_up at 400 us, retrain 10 us; 10 us bins: the
# first bin after the retraining is within 10 % of before (a DMA latency is ~2 us)
check "events.csv: link_down row (hosts, timeouts, recovery 110 us)" \
  '[ "$(sed -n 2p $tmp/ld/events.csv | cut -d, -f1-4,7,8)" = "300.000,link_down,s0-d0,h0 h1,$t0,110.000" ]'
check "events.csv: link_up row (recovery = retrain)" \
  '[ "$(sed -n 3p $tmp/ld/events.csv | cut -d, -f1-4,8)" = "400.000,link_up,s0-d0,h0 h1,10.000" ]'
run link-down ld30 --set pcie.retrain=30us &&
  check "pcie.retrain=30us: recovery_us 30 after link_up" \
    '[ "$(sed -n 3p $tmp/ld30/events.csv | cut -d, -f8)" = "30.000" ] &&
     [ "$(mean $tmp/ld30/timeseries.csv h0 400 430)" = "0.000000" ]'
# the same with ATS: translations and invalidations lost on the link end by timeout (their
# tags and ITags come back), the DMAs that waited for them fail and are replaced
run link-down-ats lda && {
  ts=$tmp/lda/timeseries.csv
  check "ATS: nothing crosses the link while it is down" \
    '[ "$(mean $ts h0 310 410)" = "0.000000" ] && [ "$(mean $ts h1 310 410)" = "0.000000" ]'
  check "ATS: throughput returns after link_up + retrain (5 %: random pages)" \
    'near "$(mean $ts h0 420 1000)" "$(mean $ts h0 100 300)" 0.05 &&
     near "$(mean $ts h1 420 1000)" "$(mean $ts h1 100 300)" 0.05'
  check "ATS: what was lost ended by timeout" \
    '[ "$(sed -n 2p $tmp/lda/events.csv | cut -d, -f7)" -gt 0 ]'
}
# a link that never comes back: nothing hangs, the run is no deadlock, recovery is empty
run link-down ldx --set 'events=[{at: 300us, link_down: s0-d0}]' &&
  check "a link that stays down: the run ends normally, recovery_us empty" \
    '[ "$(sed -n 2p $tmp/ldx/events.csv | cut -d, -f8)" = "" ] &&
     [ "$(mean $tmp/ldx/timeseries.csv h0 310 1000)" = "0.000000" ]'

# --- reassign: VF 1 of d0 moves from h0 to h1 at 400 us (FLR 100 us) ------------------------
# each VF's reads are latency-bound (outstanding 1, 1 us of memory latency) on links used
# to ~2 %, so every VF carries the same rate X: h0 goes from 2X to X, h1 from X to 2X
run reassign mv || { finish; exit; }
ts=$tmp/mv/timeseries.csv
x=$(mean "$ts" h1 100 400)
x2=$(awk -v x="$x" 'BEGIN { print 2 * x }')
check "before the move: h0 carries 2X, h1 X (X = $x Gb/s)" 'near "$(mean $ts h0 100 400)" "$x2" 0.03'
check "after the FLR: h0 carries X, h1 2X" \
  'near "$(mean $ts h0 510 1000)" "$x" 0.03 && near "$(mean $ts h1 510 1000)" "$x2" 0.03'
check "during the FLR the VF serves nobody: h0 X, h1 X" \
  'near "$(mean $ts h0 410 500)" "$x" 0.03 && near "$(mean $ts h1 410 500)" "$x" 0.03'
check "functions.csv: one row per (VF, host) served" \
  '[ "$(grep -c "^d0.vf1,d0," $tmp/mv/functions.csv)" -eq 2 ] &&
   grep -q "^d0.vf1,d0,h0," $tmp/mv/functions.csv && grep -q "^d0.vf1,d0,h1," $tmp/mv/functions.csv'
# the device's ATC is shared by its VFs: entries are keyed by function, and those of the VF
# in h0's VH are invalidated when it leaves; so in h1's VH it starts cold: its 64 KiB
# footprint misses once per 4 KiB page (16), and never hits an entry h0 filled
miss=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "atc_misses") c = i; next }
  $1 == "d0.vf1" && $3 == "h1" { print $c }' "$tmp/mv/functions.csv")
check "the moved VF's ATC starts cold in h1's VH (16 misses, got $miss)" '[ "$miss" = 16 ]'
"$bin" check "$data/reassign.yaml" >"$tmp/mv.check" 2>&1
check "check: the isolation proof holds before and after; VF 1 gets a routing ID in VH 2" \
  'grep -q "d0.vf1 03:00.2 (until 400us)" $tmp/mv.check &&
   grep -A1 "^VH 2" $tmp/mv.check | grep -q "host h1" &&
   grep -q "d0.pf2 03:00.0, d0.vf2 03:00.1, d0.vf1 03:00.2 (from 500us)" $tmp/mv.check'
# a reset of h0 after the move resets only what h0 still has: the VF that left stays gone
run reassign mvr --set 'events=[{at: 400us, reassign: {device: d0, vfs: [1], to: h1}}, {at: 600us, reset: h0}]' &&
  check "a reset after the move leaves the moved VF with h1" \
    'near "$(mean $tmp/mvr/timeseries.csv h0 710 1000)" "$x" 0.03 &&
     near "$(mean $tmp/mvr/timeseries.csv h1 710 1000)" "$x2" 0.03'
check "check lists the events with the hosts they affect" \
  'grep -q "^  at 400us: reassign d0, hosts h0 h1; VFs 1 to h1$" $tmp/mv.check'
# open loops: a workload's rate is split over the VFs it has at each moment (constant
# arrivals, so the figures are exact to a DMA): h0's 4 Gb/s on 2 VFs, then on VF 0 alone
# from 400 us; h1's 2 Gb/s on VF 2, then on VFs 2 and 1 from 500 us (window 1 ms)
run reassign-open mvo && {
  fn() { awk -F, -v f="$1" -v h="$2" '$1 == f && $3 == h { print $4 }' "$tmp/mvo/functions.csv"; }
  check "open loops: VF 0 carries 2 Gb/s, then 4: 3.2 on average (2 %)" 'near "$(fn d0.vf0 h0)" 3.2 0.02'
  check "open loops: VF 1 in h0's VH 0.8, in h1's 0.5 (2 %)" \
    'near "$(fn d0.vf1 h0)" 0.8 0.02 && near "$(fn d0.vf1 h1)" 0.5 0.02'
  check "open loops: VF 2 carries 2 Gb/s, then 1: 1.5 (2 %)" 'near "$(fn d0.vf2 h1)" 1.5 0.02'
  check "open loops: each host is carried at its offered rate throughout, nothing failed" \
    'near "$(awk -F, "\$1 == \"h0\" { print \$3 }" $tmp/mvo/hosts.csv)" 4 0.01 &&
     near "$(awk -F, "\$1 == \"h1\" { print \$3 }" $tmp/mvo/hosts.csv)" 2 0.01 &&
     [ "$(sed -n 2p $tmp/mvo/events.csv | cut -d, -f5)" = 0 ]'
}
check "events.csv: the reassign row" \
  '[ "$(sed -n 2p $tmp/mv/events.csv | cut -d, -f1-4)" = "400.000,reassign,d0,h0 h1" ]'

# --- remove: d0 (ATS, its host unmapping 200 000 pages/s) is removed at 300 us ------------
run remove rm && run remove rmno --set 'events=[]' || { finish; exit; }
ts=$tmp/rm/timeseries.csv
check "remove: the run ends normally (no deadlock) and h0's traffic on d0 stops" \
  '[ "$(mean $ts h0 310 1000)" = "0.000000" ]'
check "remove: h1 on its own device sees nothing of it (byte for byte)" \
  '[ "$(rows $ts 2 h1)" = "$(rows $tmp/rmno/timeseries.csv 2 h1)" ] &&
   [ "$(rows $tmp/rm/workloads.csv 2 h1)" = "$(rows $tmp/rmno/workloads.csv 2 h1)" ]'
# every unmap after 300 us sends an invalidation to d0 that is lost and ends by timeout
# (50 us), freeing its ITag: 200 000/s x 700 us = 140 (+- 3 sigma: 36), plus at most 16
# reads (2 VFs x 8 tags); with the ITags kept, at most 2 x 32 could ever be sent
to=$(sed -n 2p "$tmp/rm/events.csv" | cut -d, -f7)
check "remove: lost invalidations and reads end by timeout ($to; ITags come back)" \
  '[ "$to" -ge 100 ] && [ "$to" -le 192 ]'
check "remove: events.csv row (hosts, 2 VFs x 8 reads failed, recovery empty)" \
  '[ "$(sed -n 2p $tmp/rm/events.csv | cut -d, -f1-5,8)" = "300.000,remove,d0,h0,16," ]'
# a device without a link (no host uses it) may be removed too
sed 's/^devices: \[/devices: [{name: spare}, /; s/^  - {at: 300us, remove: d0}/  - {at: 300us, remove: spare}/' \
  "$data/remove.yaml" >"$tmp/spare.yaml"
check "remove: an unlinked device" \
  '"$bin" run "$tmp/spare.yaml" --out "$tmp/spare" --quiet --no-plots >/dev/null 2>&1 &&
   [ "$(sed -n 2p $tmp/spare/events.csv | cut -d, -f2-5)" = "remove,spare,,0" ]'
finish

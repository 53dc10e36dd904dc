# eventlib.sh - shared by the event tests (cli_events*.sh): `. ./eventlib.sh` after
# testlib.sh. Gives data (their topologies), run TOPOLOGY OUT [ARGS...], rows, mean, near,
# rr_shares, isolated and h0_failed.
data=data/events

run() { # run TOPOLOGY OUT [ARGS...]
  topo=$1 out=$2
  shift 2
  "$bin" run "$data/$topo.yaml" --out "$tmp/$out" --quiet --no-plots "$@" >/dev/null \
    2>"$tmp/$out.err" || { bad "run $topo $*: $(cat "$tmp/$out.err")"; return 1; }
}

# rows FILE COLUMN VALUES...: the rows of FILE whose COLUMN is one of VALUES, their first
# NCOLS columns (hosts.csv gains two with events: only the ones both runs have count)
rows() {
  f=$1 col=$2
  shift 2
  awk -F, -v c="$col" -v n="${NCOLS:-999}" -v keep="$*" '
    BEGIN { split(keep, k, " "); for (i in k) want[k[i]] = 1 }
    NR > 1 && ($c in want) { s = $1; for (i = 2; i <= n && i <= NF; i++) s = s "," $i; print s }' "$f"
}

# mean TIMESERIES HOST FROM TO: mean throughput of HOST over the bins starting in [FROM, TO)
mean() {
  awk -F, -v h="$2" -v a="$3" -v b="$4" 'NR > 1 && $2 == h && $1 >= a && $1 < b { s += $3; n++ }
    END { printf "%.6f\n", n ? s / n : -1 }' "$1"
}
near() { awk -v x="$1" -v y="$2" -v t="$3" 'BEGIN { exit !(x >= y * (1 - t) && x <= y * (1 + t)) }'; }


# rr_shares TIMESERIES: h0 is reset at 300 us with a 200 us FLR while h0-h2 saturate a link
# under rr (tolerance 3 %, the callers say why): 1/3 of what the three carry before, 1/2 for
# h1 and h2 (and nothing for h0) during the FLR, 1/3 again after
rr_shares() {
  ts=$1
  b1=$(mean "$ts" h1 100 300) b2=$(mean "$ts" h2 100 300) b0=$(mean "$ts" h0 100 300)
  total=$(awk -v a="$b0" -v b="$b1" -v c="$b2" 'BEGIN { print a + b + c }')
  third=$(awk -v t="$total" 'BEGIN { print t / 3 }') half=$(awk -v t="$total" 'BEGIN { print t / 2 }')
  check "before: each host has 1/3 of the link ($b0 $b1 $b2 of $total)" \
    'near "$b0" "$third" 0.03 && near "$b1" "$third" 0.03 && near "$b2" "$third" 0.03'
  d1=$(mean "$ts" h1 310 500) d2=$(mean "$ts" h2 310 500)
  check "during the reset: h1 and h2 have 1/2 each ($d1 $d2 of $total)" \
    'near "$d1" "$half" 0.03 && near "$d2" "$half" 0.03 && [ "$(mean $ts h0 310 500)" = "0.000000" ]'
  a0=$(mean "$ts" h0 510 1000) a1=$(mean "$ts" h1 510 1000) a2=$(mean "$ts" h2 510 1000)
  check "after the FLR: 1/3 each again ($a0 $a1 $a2)" \
    'near "$a0" "$third" 0.03 && near "$a1" "$third" 0.03 && near "$a2" "$third" 0.03'
}

# isolated TOPOLOGY EV NOEV [NFN]: every host on its own device, h0 reset at 300 us for a
# 200 us FLR ($others: the other hosts' links; NFN: functions.csv rows of h1 and h2, 4 unless
# told): the other hosts' rows are byte-identical to the run without the event; h0 carries
# nothing during the FLR, and after it what h0 carried in the first 500 us of the run
# without the event (its rings or queues, IOTLB and loops start as at time 0: 1 %, the phase
# of its arrivals on the wire may differ by a frame)
isolated() {
  itopo=$1 iev=$2 inoev=$3 infn=${4:-4} # named: check evaluates its expression with its own $1
  run "$itopo" "$iev" && run "$itopo" "$inoev" --set 'events=[]' || return 1
  check "$itopo: the rows compared are there" \
    '[ "$(rows $tmp/$iev/functions.csv 3 h1 h2 | wc -l)" -eq "$infn" ] &&
     [ "$(rows $tmp/$iev/links.csv 1 $others | wc -l)" -eq 8 ]'
  for f in hosts:1 functions:3 workloads:2 timeseries:2 links:1 overhead:1; do
    file=${f%:*} col=${f#*:} keep="h1 h2"
    [ "$col" = 1 ] && [ "$file" != hosts ] && keep=$others
    check "$itopo: $file.csv rows of the other hosts are the same with and without the reset" \
      '[ -n "$(rows $tmp/$iev/$file.csv $col $keep)" ] &&
       [ "$(rows $tmp/$iev/$file.csv $col $keep)" = "$(rows $tmp/$inoev/$file.csv $col $keep)" ]'
  done
  check "$itopo: h0 carries nothing while its functions reset" \
    '[ "$(mean $tmp/$iev/timeseries.csv h0 310 500)" = "0.000000" ]'
  check "$itopo: h0 after its FLR carries what it carried from time 0 without the event" \
    'near "$(mean $tmp/$iev/timeseries.csv h0 500 1000)" "$(mean $tmp/$inoev/timeseries.csv h0 0 500)" 0.01'
  check "$itopo: without events nothing failed" \
    '[ "$(awk -F, '"'"'NR > 1 && ($18 != 0 || $19 != 0)'"'"' $tmp/$inoev/hosts.csv | wc -l)" = 0 ]'
}

# h0_failed OUT LO HI WHAT: h0's dmas_failed in hosts.csv is in [LO, HI], and events.csv's
# row of the reset says the same
h0_failed() {
  fout=$1 flo=$2 fhi=$3 # named: check evaluates its expression with its own $1, $2
  failed=$(awk -F, '$1 == "h0" { print $18 }' "$tmp/$fout/hosts.csv")
  check "h0's failed $4 (got $failed)" '[ "$failed" -ge "$flo" ] && [ "$failed" -le "$fhi" ]'
  check "$fout: events.csv's row of the reset has its failures" \
    '[ "$(sed -n 2p $tmp/$fout/events.csv | cut -d, -f1-5)" = "300.000,reset,h0,h0,$failed" ]'
}

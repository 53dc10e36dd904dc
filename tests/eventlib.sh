# eventlib.sh - shared by the event tests (cli_events*.sh): `. ./eventlib.sh` after
# testlib.sh. Gives data (their topologies), run TOPOLOGY OUT [ARGS...], rows, mean and near.
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

#!/bin/sh
# cli_studies.sh MRIOVSIM: `mriovsim capacity` and `mriovsim interference` (contract §9)
# against analysis, with their diagnostics, outputs, reuse and interruption.
set -u
. "$(dirname "$0")/testlib.sh"

# Saturated payload rate of 1500-B writes on a Gen3 link of W lanes, MPS 256 (pcie-bench's
# formula, domain.md §4.5): raw 8 GT/s x 128/130 x W, less 8/AckLimit + 8/UpdateFCLimit +
# 4/1538 (both limits 214 symbols at x4, 203 at x8), times 1500 / (1500 + 6 x 24).
cap() { awk -v w="$1" 'BEGIN { lim = (w == 4) ? 214 : 203;
  printf "%.6f", 8 * 128 / 130 * w * (1 - 16 / lim - 4 / 1538) * 1500 / 1644 }'; }
c4=$(cap 4) c8=$(cap 8)

# two hosts, each on its own link and device; constant arrivals, so that the only limit is
# the link (5 Gb/s each at factor 1)
cat > "$tmp/cap.yaml" <<'Y'
name: cap
run: {duration: 300us, warmup: 30us}
hosts: [{name: h0, iommu: {page_size: 1GiB}}, {name: h1, iommu: {page_size: 1GiB}}]
devices: [{name: d0, total_vfs: 4}, {name: d1, total_vfs: 4}]
links: [{a: h0, b: d0, gen: 3, width: 4}, {a: h1, b: d1, gen: 3, width: 8}]
assign: [{host: h0, device: d0, vfs: 4}, {host: h1, device: d1, vfs: 4}]
workloads:
  - {name: w0, host: h0, device: d0, op: write, size: 1500B, rate: 5Gbps, arrival: constant}
  - {name: w1, host: h1, device: d1, op: write, size: 1500B, rate: 5Gbps, arrival: constant}
Y
near() { # value expected relative-tolerance
  awk -v v="$1" -v e="$2" -v t="$3" 'BEGIN { d = v / e - 1; exit !(d <= t && d >= -t) }'; }

"$bin" capacity "$tmp/cap.yaml" --slo 'throughput>=99%' --seeds 2 --jobs 2 --out "$tmp/c1" \
  >"$tmp/c1.out" 2>"$tmp/c1.err"
check "capacity exits 0" '[ $? -eq 0 ]'
f=$(sed -n 's/^capacity: \([0-9.e+-]*\).*/\1/p' "$tmp/c1.out")
want=$(awk -v c="$c4" 'BEGIN { printf "%.6f", c / (0.99 * 5) }')
check "factor = C / (0.99 x offered) on the narrower link ($f vs $want, 1 % precision + 1 %)" \
  'near "$f" "$want" 0.02'
check "the binding SLO and host are named" 'grep -q "bound by throughput>=99% on h0" "$tmp/c1.out"'
check "capacity.csv: header" '[ "$(head -1 "$tmp/c1/capacity.csv")" = "factor,seed,host,throughput_gbps,offered_gbps,lat_mean_ns,lat_p99_ns,drops,ok" ]'
check "capacity.csv: one row per probe, seed and host" '[ $(( ($(wc -l < "$tmp/c1/capacity.csv") - 1) % 4 )) -eq 0 ] && [ "$(awk -F, "NR > 1 {print \$1}" "$tmp/c1/capacity.csv" | sort -u | wc -l)" -ge 5 ]'
# the answer's probe (the factor printed to 4 digits) holds on every host and seed
rows=$(awk -F, -v f="$f" 'NR > 1 && ($1 / f - 1) ^ 2 < 1e-6 {print $9}' "$tmp/c1/capacity.csv" | sort | uniq -c | tr -s " ")
check "the answer's probe holds everywhere ($rows)" '[ "$rows" = " 4 yes" ]'
if command -v gnuplot >/dev/null; then
  check "capacity.svg" 'grep -q "<svg" "$tmp/c1/capacity.svg" && grep -q "load factor" "$tmp/c1/capacity.svg"'
fi

# an SLO scoped to a host binds only that host: h1's link is the wider one
"$bin" capacity "$tmp/cap.yaml" --slo 'h1:throughput>=99%' --seeds 1 --out "$tmp/c2" >"$tmp/c2.out" 2>&1
f=$(sed -n 's/^capacity: \([0-9.e+-]*\).*/\1/p' "$tmp/c2.out")
want=$(awk -v c="$c8" 'BEGIN { printf "%.6f", c / (0.99 * 5) }')
check "h1:throughput binds on h1's link ($f vs $want)" 'near "$f" "$want" 0.02'
# --workloads scales only the named ones: h1 alone grows
"$bin" capacity "$tmp/cap.yaml" --slo 'throughput>=99%' --workloads w1 --seeds 1 --out "$tmp/c3" >"$tmp/c3.out" 2>&1
f=$(sed -n 's/^capacity: \([0-9.e+-]*\).*/\1/p' "$tmp/c3.out")
check "--workloads w1: h1's link binds ($f vs $want)" 'near "$f" "$want" 0.02'

# a latency SLO already violated at the lowest factor: exit 1 (w1 is not scaled, so h1
# completes DMAs at every factor, each slower than 1 ns)
"$bin" capacity "$tmp/cap.yaml" --slo 'h1:p99<1ns' --workloads w0 --seeds 1 --out "$tmp/c4" >/dev/null 2>"$tmp/c4.err"
check "violated at the lowest factor: exit 1" '[ $? -eq 1 ] && grep -q "fail even at factor 0.001: h1:p99<1ns on h1" "$tmp/c4.err"'
check "  and the lowest factor was probed" 'grep -q "^0.001,1,h1," "$tmp/c4/capacity.csv"'
# everything holds at --max: the answer is --max, said so
"$bin" capacity "$tmp/cap.yaml" --slo 'p99<1s' --max 2 --seeds 1 --out "$tmp/c5" >"$tmp/c5.out" 2>&1
check "holding at --max: capacity 2" 'grep -q "^capacity: 2 (every SLO holds at --max 2" "$tmp/c5.out"'

# bad input: exit 2 with a diagnostic
"$bin" capacity "$tmp/cap.yaml" --slo 'p99<50us' --slo 'p99<<5us' >/dev/null 2>"$tmp/e1"
check "bad SLO: command line:N:COL" '[ $? -eq 2 ] && grep -q "^command line:2:5: error: --slo .p99<<5us.: expected one operator" "$tmp/e1"'
"$bin" capacity "$tmp/cap.yaml" --slo 'p99<' >/dev/null 2>"$tmp/e1b"
check "SLO without a value" '[ $? -eq 2 ] && grep -q "^command line:1:5: error: --slo .p99<.: expected a value after the operator" "$tmp/e1b"'
"$bin" capacity "$tmp/cap.yaml" --slo 'mean<5' --seeds 1 --out "$tmp/c7" >/dev/null 2>"$tmp/e1c"
check "latency without a unit is seconds: accepted" '[ $? -ne 2 ]'
"$bin" capacity "$tmp/cap.yaml" --slo 'p99<150%' >/dev/null 2>"$tmp/e1d"
check "a percentage for a latency" '[ $? -eq 2 ] && grep -q "a percentage applies to throughput and drops only" "$tmp/e1d"'
"$bin" capacity "$tmp/cap.yaml" --slo 'p98<5us' >/dev/null 2>"$tmp/e2"
check "unknown metric" '[ $? -eq 2 ] && grep -q "^command line:1:1: error: .* expected a metric" "$tmp/e2"'
"$bin" capacity "$tmp/cap.yaml" --slo 'h9:p99<5us' >/dev/null 2>"$tmp/e3"
check "unknown SLO host" '[ $? -eq 2 ] && grep -q "no host named .h9." "$tmp/e3"'
sed 's/rate: 5Gbps, arrival: constant/outstanding: 4/' "$tmp/cap.yaml" > "$tmp/closed.yaml"
"$bin" capacity "$tmp/closed.yaml" --slo 'p99<5us' >/dev/null 2>"$tmp/e4"
check "no open-loop workload: exit 2" '[ $? -eq 2 ] && grep -q "no open-loop workload" "$tmp/e4"'
"$bin" capacity "$tmp/cap.yaml" >/dev/null 2>"$tmp/e5"
check "no --slo: exit 2" '[ $? -eq 2 ]'

# reuse: the same study again starts no run; other SLOs on the same chassis reuse its runs;
# another chassis (--set) into the same DIR is refused
touch "$tmp/marker"; sleep 1
"$bin" capacity "$tmp/cap.yaml" --slo 'throughput>=99%' --seeds 2 --out "$tmp/c1" >/dev/null 2>&1
check "rerun: exit 0, no run started" '[ $? -eq 0 ] && [ "$(find "$tmp/c1/runs" -name "*.log" -newer "$tmp/marker" | wc -l)" -eq 0 ]'
"$bin" capacity "$tmp/cap.yaml" --set links.h0-d0.width=8 --slo 'throughput>=99%' --seeds 2 \
  --out "$tmp/c1" >/dev/null 2>&1
check "another chassis into the same DIR: exit 2" '[ $? -eq 2 ]'

# interrupted: exit 130, complete runs only
sed 's/duration: 300us/duration: 4ms/' "$tmp/cap.yaml" > "$tmp/long.yaml"
"$bin" capacity "$tmp/long.yaml" --slo 'throughput>=99%' --seeds 2 --jobs 1 --out "$tmp/c6" \
  >/dev/null 2>&1 &
pid=$!
i=0; while [ -z "$(ls "$tmp"/c6/runs/*/summary.json 2>/dev/null)" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
kill -INT $pid; wait $pid
check "interrupted capacity exits 130" '[ $? -eq 130 ]'
incomplete=0
for d in "$tmp"/c6/runs/*/; do [ -e "$d/summary.json" ] || incomplete=1; done
check "only complete run directories remain" '[ $incomplete -eq 0 ]'
check "and no capacity.csv" '[ ! -e "$tmp/c6/capacity.csv" ]'

# ---- interference ----

# a and b share the device link d-s (Gen3 x4) with saturating closed loops of writes; c has
# a device of its own. The device arbitrates its egress: rr, then wrr 3:1.
cat > "$tmp/int.yaml" <<'Y'
name: int
run: {duration: 300us, warmup: 30us}
hosts: [{name: a}, {name: b}, {name: c}]
switches: [{name: s}]
devices: [{name: d, total_vfs: 8}, {name: e, total_vfs: 4}]
links: [{a: a, b: s, gen: 4, width: 16}, {a: b, b: s, gen: 4, width: 16},
        {a: c, b: s, gen: 4, width: 16}, {a: s, b: d, gen: 3, width: 4},
        {a: s, b: e, gen: 3, width: 4}]
assign: [{host: a, device: d, vfs: 2}, {host: b, device: d, vfs: 2}, {host: c, device: e, vfs: 2}]
workloads:
  - {name: wa, host: a, device: d, op: write, size: 1500B, outstanding: 8}
  - {name: wb, host: b, device: d, op: write, size: 1500B, outstanding: 8}
  - {name: wc, host: c, device: e, op: write, size: 1500B, outstanding: 8}
Y
"$bin" interference "$tmp/int.yaml" --jobs 2 --out "$tmp/i1" >"$tmp/i1.out" 2>"$tmp/i1.err"
check "interference exits 0" '[ $? -eq 0 ]'
check "interference.csv header" '[ "$(head -1 "$tmp/i1/interference.csv")" = "host,alone_gbps,all_gbps,slowdown,alone_p99_ns,all_p99_ns,lat_slowdown,alone_p50_ns,all_p50_ns,with_p99_ns" ]'
check "interference_matrix.csv: n(n-1) rows" '[ "$(tail -n +2 "$tmp/i1/interference_matrix.csv" | wc -l)" -eq 6 ] && head -1 "$tmp/i1/interference_matrix.csv" | grep -q "^host,with,slowdown,"'
sd() { awk -F, -v h="$2" -v w="$3" '$1 == h && $2 == w {print $3}' "$1"; }
s=$(sd "$tmp/i1/interference_matrix.csv" a b)
check "rr on a shared link: a with b slows down 2.0 ($s, 5 %)" 'near "$s" 2 0.05'
s=$(awk -F, '$1 == "c" {print $4}' "$tmp/i1/interference.csv")
check "c on its own device: slowdown 1.0 with all ($s, 3 %)" 'near "$s" 1 0.03'
s=$(sd "$tmp/i1/interference_matrix.csv" c a)
check "c with a: 1.0 ($s, 3 %)" 'near "$s" 1 0.03'
check "stdout names the worst pair" 'grep -Eq "^worst pair: (a slows b|b slows a) down" "$tmp/i1.out"'
if command -v gnuplot >/dev/null; then
  check "heat map" 'grep -q "<svg" "$tmp/i1/interference.svg"'
fi
# wrr 3:1 at the device: a keeps 3/4 of the link, b gets 1/4
"$bin" interference "$tmp/int.yaml" --set 'devices.d.arbitration={policy: wrr, weights: {a: 3}}' \
  --out "$tmp/i2" >/dev/null 2>&1
sa=$(sd "$tmp/i2/interference_matrix.csv" a b) sb=$(sd "$tmp/i2/interference_matrix.csv" b a)
check "wrr 3:1: a slows down 4/3 ($sa), b 4 ($sb), 5 %" 'near "$sa" 1.3333 0.05 && near "$sb" 4 0.05'
# by workload: the same study with workloads as subjects
"$bin" interference "$tmp/int.yaml" --by workload --out "$tmp/i3" >"$tmp/i3.out" 2>&1
check "--by workload" '[ $? -eq 0 ] && head -1 "$tmp/i3/interference.csv" | grep -q "^workload," && grep -q "^wa,wb," "$tmp/i3/interference_matrix.csv" && grep -q "^worst latency: " "$tmp/i3.out"'
s=$(sd "$tmp/i3/interference_matrix.csv" wa wb)
check "wa with wb: 2.0 ($s)" 'near "$s" 2 0.05'
# reuse, and bad input
touch "$tmp/marker2"; sleep 1
"$bin" interference "$tmp/int.yaml" --out "$tmp/i1" >/dev/null 2>&1
check "rerun reuses every run" '[ $? -eq 0 ] && [ "$(find "$tmp/i1/runs" -name "*.log" -newer "$tmp/marker2" | wc -l)" -eq 0 ]'
"$bin" interference "$tmp/int.yaml" --by device >/dev/null 2>&1
check "--by device: exit 2" '[ $? -eq 2 ]'
"$bin" interference "$tmp/int.yaml" --set 'workloads=[{host: a, device: d, op: write, size: 1500B, outstanding: 8}]' \
  --out "$tmp/i4" >/dev/null 2>"$tmp/i4.err"
check "one host with traffic: exit 2" '[ $? -eq 2 ] && grep -q "fewer than two hosts" "$tmp/i4.err"'

# --emit-jobs: the 7 runs (3 alone, 3 pairs, all) as commands; run by hand, then collected
"$bin" interference "$tmp/int.yaml" --emit-jobs --out "$tmp/i5" >"$tmp/jobs.txt"
check "emit: 7 commands" '[ $? -eq 0 ] && [ "$(wc -l < "$tmp/jobs.txt")" -eq 7 ] && grep -q -- "--only-workloads wa,wb" "$tmp/jobs.txt"'
sh "$tmp/jobs.txt" >/dev/null 2>&1
"$bin" interference "$tmp/int.yaml" --out "$tmp/i5" >/dev/null 2>&1
check "collects the emitted runs, running none" '[ $? -eq 0 ] && [ -s "$tmp/i5/interference.csv" ] && [ "$(find "$tmp/i5/runs" -name "*.log" | wc -l)" -eq 0 ]'
# interrupted: complete runs only, no interference.csv
sed 's/duration: 300us/duration: 3ms/' "$tmp/int.yaml" > "$tmp/intlong.yaml"
"$bin" interference "$tmp/intlong.yaml" --jobs 1 --out "$tmp/i6" >/dev/null 2>&1 &
pid=$!
i=0; while [ -z "$(ls "$tmp"/i6/runs/*/summary.json 2>/dev/null)" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
kill -INT $pid; wait $pid
check "interrupted interference exits 130" '[ $? -eq 130 ]'
incomplete=0
for d in "$tmp"/i6/runs/*/; do [ -e "$d/summary.json" ] || incomplete=1; done
check "only complete run directories remain, no interference.csv" '[ $incomplete -eq 0 ] && [ ! -e "$tmp/i6/interference.csv" ]'

finish

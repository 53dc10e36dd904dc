#!/bin/sh
# cli_sweep.sh MRIOVSIM: `mriovsim sweep` (contract §2): sweep.csv rows and columns, a
# parameter with a known effect, failed runs marked, --emit-jobs through GNU parallel, reuse
# of complete runs, interrupts.
set -u
. "$(dirname "$0")/testlib.sh"

# h0 sits behind its own link: its write throughput follows that link's width
cat > "$tmp/t.yaml" <<'Y'
name: sw
run: {duration: 60us, warmup: 10us, seed: 3}
hosts: [{name: h0}, {name: h1}]
switches: [{name: s}]
devices: [{name: d, total_vfs: 4}]
links: [{a: h0, b: s, gen: 3, width: 1, name: up0}, {a: h1, b: s, gen: 3, width: 8}, {a: s, b: d, gen: 3, width: 16}]
assign: [{host: h0, device: d, vfs: 2}, {host: h1, device: d, vfs: 2}]
workloads:
  - {host: h0, device: d, op: write, size: 1500B, outstanding: 8}
  - {host: h1, device: d, op: write, size: 1500B, rate: 5Gbps}
Y

out="$tmp/s1"
"$bin" sweep "$tmp/t.yaml" --vary links.up0.width=1,4,16 --vary pcie.mps=128,256 --seeds 2 \
  --jobs 2 --out "$out" >"$tmp/stdout" 2>"$tmp/stderr"
check "sweep exits 0" '[ $? -eq 0 ]'
check "header" '[ "$(head -1 "$out/sweep.csv")" = "run,links.up0.width,pcie.mps,seed,host,throughput_gbps,lat_mean_ns,lat_p99_ns,throughput_ci95,lat_mean_ci95,status" ]'
check "intervals in every ok row" '[ "$(awk -F, "NR > 1 && \$9 != \"\" && \$10 != \"\"" "$out/sweep.csv" | wc -l)" -eq 24 ]'
check "sweep_workloads.csv: a row per (run, workload)" '[ "$(head -1 "$out/sweep_workloads.csv")" = "run,links.up0.width,pcie.mps,seed,workload,host,throughput_gbps,throughput_ci95,lat_mean_ns,lat_mean_ci95,lat_p99_ns,status" ] && [ "$(tail -n +2 "$out/sweep_workloads.csv" | wc -l)" -eq 24 ]'
check "sweep_summary.csv: a row per (combination, host)" '[ "$(head -1 "$out/sweep_summary.csv")" = "combination,links.up0.width,pcie.mps,host,seeds,throughput_gbps,throughput_ci95,lat_mean_ns,lat_mean_ci95,lat_p99_ns" ] && [ "$(tail -n +2 "$out/sweep_summary.csv" | wc -l)" -eq 12 ]'
# the summary's mean is the mean of the two seeds' rows, computed here independently
m=$(awk -F, '$2==4 && $3==256 && $5=="h1" {s += $6; n++} END {printf "%.4f", s / n}' "$out/sweep.csv")
check "summary mean = mean over seeds ($m)" 'awk -F, -v m="$m" "\$2==4 && \$3==256 && \$4==\"h1\" {d = \$6 - m; exit !(d < 0.0002 && d > -0.0002 && \$5 == 2)}" "$out/sweep_summary.csv"'
# the 95 % interval over two seeds: t(0.975, 1) = 12.706 times |x1 - x2| / 2
c=$(awk -F, '$2==4 && $3==256 && $5=="h1" {x[n++] = $6} END {d = x[0] - x[1]; if (d < 0) d = -d; printf "%.4f", 12.7062 * d / 2}' "$out/sweep.csv")
check "summary interval = t(0.975,1) s / sqrt(2) ($c)" 'awk -F, -v c="$c" "\$2==4 && \$3==256 && \$4==\"h1\" {d = \$7 - c; exit !(d < 0.0005 + c * 0.001 && d > -0.0005 - c * 0.001)}" "$out/sweep_summary.csv"'
check "one row per (run, host): 3 x 2 x 2 runs x 2 hosts" '[ "$(tail -n +2 "$out/sweep.csv" | wc -l)" -eq 24 ]'
check "a results directory per run" '[ "$(ls -d "$out"/runs/*/ | wc -l)" -eq 12 ] && [ -s "$out/runs/11/hosts.csv" ]'
check "seeds are run.seed and run.seed+1" '[ "$(cut -d, -f4 "$out/sweep.csv" | tail -n +2 | sort -u | tr "\n" " ")" = "3 4 " ]'
check "varied values in their columns" 'grep -q "^0,1,128,3,h0," "$out/sweep.csv" && grep -q "^11,16,256,4,h1," "$out/sweep.csv"'
# the known effect: h0's throughput grows with its link width (MPS 256, seed 3)
t1=$(awk -F, '$2==1 && $3==256 && $4==3 && $5=="h0" {print $6}' "$out/sweep.csv")
t4=$(awk -F, '$2==4 && $3==256 && $4==3 && $5=="h0" {print $6}' "$out/sweep.csv")
t16=$(awk -F, '$2==16 && $3==256 && $4==3 && $5=="h0" {print $6}' "$out/sweep.csv")
check "wider link, more throughput ($t1 < $t4 < $t16)" 'awk -v a="$t1" -v b="$t4" -v c="$t16" "BEGIN{exit !(a < b && b < c)}"'
check "x1 carries about a quarter of x4 (Gen3: 7.2 vs 28.9 Gb/s of TLPs)" 'awk -v a="$t1" -v b="$t4" "BEGIN{r=a/b; exit !(r > 0.23 && r < 0.27)}"'
if command -v gnuplot >/dev/null; then
  check "sweep.svg" 'grep -q "<svg" "$out/sweep.svg" && grep -q "links.up0.width" "$out/sweep.svg"'
fi

# running the same sweep again reuses every run
touch "$tmp/marker"
sleep 1
"$bin" sweep "$tmp/t.yaml" --vary links.up0.width=1,4,16 --vary pcie.mps=128,256 --seeds 2 \
  --out "$out" >/dev/null 2>&1
check "rerun succeeds" '[ $? -eq 0 ]'
check "rerun starts no run" '[ "$(find "$out/runs" -name "*.log" -newer "$tmp/marker" | wc -l)" -eq 0 ]'
# another sweep into the same directory is refused
"$bin" sweep "$tmp/t.yaml" --vary links.up0.width=2 --out "$out" >/dev/null 2>&1
check "another sweep into the same DIR exits 2" '[ $? -eq 2 ]'

# a failing run is reported with its parameters, marked, and does not stop the others
"$bin" sweep "$tmp/t.yaml" --vary switches.s.buffer=16KiB,8B,32KiB --out "$tmp/s2" \
  >/dev/null 2>"$tmp/stderr2"
check "a failed run gives status 1" '[ $? -eq 1 ]'
check "it is reported with its parameters" 'grep -q "run 1 (switches.s.buffer=8B seed=3) failed" "$tmp/stderr2"'
check "no sweep_summary.csv with one seed" '[ ! -e "$tmp/s2/sweep_summary.csv" ]'
check "sweep.csv marks it" 'grep -q "^1,8B,3,,,,,,,failed" "$tmp/s2/sweep.csv"'
check "the others ran" '[ "$(grep -c ",ok$" "$tmp/s2/sweep.csv")" -eq 4 ]'
if command -v gnuplot >/dev/null 2>&1; then # one seed: the plot's title has no quote in it
  check "sweep.svg with one seed" 'grep -q "<svg" "$tmp/s2/sweep.svg"'
fi

# --seeds without --vary: a replication study of the chassis as it is
"$bin" sweep "$tmp/t.yaml" --seeds 3 --out "$tmp/rep" >/dev/null 2>&1
check "replication study exits 0" '[ $? -eq 0 ]'
check "replication: seeds 3, 4, 5, two hosts each" '[ "$(head -1 "$tmp/rep/sweep.csv")" = "run,seed,host,throughput_gbps,lat_mean_ns,lat_p99_ns,throughput_ci95,lat_mean_ci95,status" ] && [ "$(cut -d, -f2 "$tmp/rep/sweep.csv" | tail -n +2 | sort -u | tr "\n" " ")" = "3 4 5 " ]'
check "replication: one summary row per host" '[ "$(tail -n +2 "$tmp/rep/sweep_summary.csv" | wc -l)" -eq 2 ]'
"$bin" sweep "$tmp/t.yaml" --out "$tmp/none" >/dev/null 2>"$tmp/stderr_none"
check "neither --vary nor --seeds N > 1: exit 2" '[ $? -eq 2 ] && grep -q "replication study" "$tmp/stderr_none"'

# an invalid combination is refused before anything runs
"$bin" sweep "$tmp/t.yaml" --vary links.up0.width=4,3 --out "$tmp/s3" >/dev/null 2>"$tmp/stderr3"
check "invalid value exits 2" '[ $? -eq 2 ]'
check "invalid value: its diagnostic" 'grep -q "command line:1:.*width" "$tmp/stderr3"'
check "invalid value: no run" '[ ! -e "$tmp/s3/runs/0" ]'

# --emit-jobs: one command per run, nothing run; GNU parallel runs them; sweep collects
"$bin" sweep "$tmp/t.yaml" --vary links.up0.width=1,4 --seeds 2 --out "$tmp/s4" --emit-jobs \
  >"$tmp/jobs.txt"
check "emit: one line per run" '[ "$(wc -l < "$tmp/jobs.txt")" -eq 4 ]'
check "emit: nothing run" '[ ! -e "$tmp/s4/runs/0/hosts.csv" ]'
check "emit: complete command lines" 'grep -q "^/.*mriovsim run /.*t.yaml --out /.*/runs/0 --set links.up0.width=1 --seed 3" "$tmp/jobs.txt"'
if command -v parallel >/dev/null; then
  parallel --will-cite -j 2 < "$tmp/jobs.txt"
  check "parallel ran every job" '[ $? -eq 0 ] && [ -s "$tmp/s4/runs/3/summary.json" ]'
  "$bin" sweep "$tmp/t.yaml" --vary links.up0.width=1,4 --seeds 2 --out "$tmp/s4" >/dev/null 2>&1
  check "sweep collects the emitted runs" '[ $? -eq 0 ] && [ "$(tail -n +2 "$tmp/s4/sweep.csv" | wc -l)" -eq 8 ]'
  check "and ran none itself" '[ "$(find "$tmp/s4/runs" -name "*.log" | wc -l)" -eq 0 ]'
else
  bad "GNU parallel is not installed (.ci/deps test installs it)"
fi

# an interrupt leaves complete run directories only, and the rerun completes them
"$bin" sweep "$tmp/t.yaml" --vary run.duration=3ms,3ms,3ms,3ms,3ms,3ms --jobs 1 --out "$tmp/s5" \
  >/dev/null 2>&1 &
pid=$!
i=0; while [ ! -e "$tmp/s5/runs/1/summary.json" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -INT $pid; wait $pid
check "interrupted sweep exits 130" '[ $? -eq 130 ]'
incomplete=0
for d in "$tmp"/s5/runs/*/; do [ -e "$d/summary.json" ] || incomplete=1; done
check "only complete run directories remain" '[ $incomplete -eq 0 ]'
"$bin" sweep "$tmp/t.yaml" --vary run.duration=3ms,3ms,3ms,3ms,3ms,3ms --jobs 2 --out "$tmp/s5" \
  >/dev/null 2>&1
check "the rerun completes the sweep" '[ $? -eq 0 ] && [ "$(ls -d "$tmp"/s5/runs/*/ | wc -l)" -eq 6 ]'

finish

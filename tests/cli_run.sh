#!/bin/sh
# cli_run.sh MRIOVSIM: end-to-end tests of `mriovsim run` and `mriovsim report` (contract
# §2, §3): files and columns, options, exit statuses, plots, a stuck fabric.
set -u
. "$(dirname "$0")/testlib.sh"

small="$tmp/small.yaml"
cat > "$small" <<'Y'
name: small
run: {duration: 50us, warmup: 5us}
hosts: [{name: h0}, {name: h1}]
switches: [{name: s}]
devices: [{name: d, total_vfs: 4}]
links: [{a: h0, b: s, gen: 3, width: 8}, {a: h1, b: s, gen: 3, width: 8}, {a: s, b: d, gen: 3, width: 8}]
assign: [{host: h0, device: d, vfs: 2}, {host: h1, device: d, vfs: 1}]
workloads:
  - {name: rx, host: h0, device: d, op: write, size: 1500B, rate: 10Gbps}
  - {name: tx, host: h1, device: d, op: read, size: 4KiB, outstanding: 2}
Y

# a full run: every file with the contract's columns, in order
out="$tmp/r1"
"$bin" run "$small" --out "$out" >"$tmp/stdout" 2>"$tmp/stderr"
check "run exits 0" '[ $? -eq 0 ]'
check "hosts.csv header" 'head -1 "$out/hosts.csv" | grep -q "^host,vh,throughput_gbps,dmas,lat_mean_ns,lat_p50_ns,lat_p99_ns,iotlb_hits,iotlb_misses"'
check "functions.csv header" 'head -1 "$out/functions.csv" | grep -q "^function,device,host,throughput_gbps,dmas,lat_mean_ns,lat_p50_ns,lat_p99_ns,atc_hits,atc_misses"'
check "workloads.csv header" 'head -1 "$out/workloads.csv" | grep -q "^workload,host,device,op,offered_gbps,throughput_gbps,dmas,lat_mean_ns,lat_p50_ns,lat_p99_ns,"'
check "contract 1.1 columns (§4, §7)" 'for f in hosts functions workloads; do head -1 "$out/$f.csv" | grep -q "throughput_ci95,lat_mean_ci95" || exit 1; done; head -1 "$out/links.csv" | grep -q ",tlps"'
check "stdout summary: intervals and workload verdicts" 'grep -q " ± " "$tmp/stdout" && grep -q "^  workload " "$tmp/stdout"'
check "summary.json has warnings" 'grep -q "\"warnings\": \[" "$out/summary.json" && grep -q "\"throughput_ci95\"" "$out/summary.json"'
check "links.csv header" 'head -1 "$out/links.csv" | grep -q "^link,from,to,utilization,payload_gbps,wire_gbps"'
check "timeseries.csv header" '[ "$(head -1 "$out/timeseries.csv")" = "time_us,host,throughput_gbps" ]'
check "interrupt columns (§7)" 'head -1 "$out/hosts.csv" | grep -q ",lat_mean_ci95,interrupts,irq_remap_misses,dmas_failed,completion_timeouts" && head -1 "$out/functions.csv" | grep -q ",lat_mean_ci95,packets,drops,ios,interrupts,irq_lat_mean_ns,pps,iops$"'
check "raw DMA raises no interrupt" 'awk -F, "NR > 1 && (\$16 != 0 || \$17 != 0) { exit 1 }" "$out/hosts.csv" && awk -F, "NR > 1 && (\$14 \$15 \$16 != \"\" || \$17 != 0 || \$18 != \"\") { exit 1 }" "$out/functions.csv"'
check "overhead.csv header" '[ "$(head -1 "$out/overhead.csv")" = "link,from,to,purpose,tlps,wire_gbps" ]'
check "overhead.csv: raw DMA is all data" '[ -z "$(tail -n +2 "$out/overhead.csv" | cut -d, -f4 | grep -v "^data$")" ]'
# over the purposes of a direction, tlps and wire_gbps add up to links.csv's (contract §7)
check "overhead.csv adds up to links.csv" 'awk -F, "FNR == 1 { next } NR == FNR { k = \$1 FS \$2 FS \$3; n[k] += \$5; w[k] += \$6; next }
  { k = \$1 FS \$2 FS \$3; if (n[k] != \$10 || w[k] - \$6 > 0.0005 || \$6 - w[k] > 0.0005) bad = 1 } END { exit bad }" "$out/overhead.csv" "$out/links.csv"'
check "one row per host" '[ "$(wc -l < "$out/hosts.csv")" -eq 3 ]'
check "one row per VF with traffic" '[ "$(wc -l < "$out/functions.csv")" -eq 4 ]'
check "two rows per link" '[ "$(wc -l < "$out/links.csv")" -eq 7 ]'
check "100 time bins per host" '[ "$(wc -l < "$out/timeseries.csv")" -eq 201 ]'
check "closed loop has no offered load" 'grep -q "^tx,h1,d,read,," "$out/workloads.csv"'
check "summary.json has the arrays" 'for k in hosts functions workloads links run bottleneck wall_s events; do grep -q "\"$k\"" "$out/summary.json" || exit 1; done'
check "summary table on stdout" 'grep -q "^h0 " "$tmp/stdout" && grep -q "^h1: " "$tmp/stdout"'
check "no temporary files left" '[ -z "$(ls "$out" | grep tmp)" ]'
if command -v gnuplot >/dev/null; then
  check "plots drawn" '[ -s "$out/throughput.svg" ] && [ -s "$out/timeseries.svg" ]'
  check "plots are SVG" 'grep -q "<svg" "$out/throughput.svg"'
  check "where the bytes go: drawn, in the report" '[ -s "$out/bytes.svg" ] && grep -q "bytes.svg" "$out/report.html"'
  # one row per link direction; raw DMA: all of a direction's wire rate is data
  check "bytes.csv: a row per direction, data = wire" '[ "$(wc -l < "$out/bytes.csv")" -eq 7 ] && paste -d, "$out/bytes.csv" "$out/links.csv" | awk -F, "NR > 1 { d = \$2 - \$15; if (d > 0.0005 || d < -0.0005) exit 1 }"'
  rm -f "$out"/*.svg
  "$bin" report "$out" >/dev/null 2>&1
  check "report redraws the plots" '[ $? -eq 0 ] && [ -s "$out/timeseries.svg" ]'
fi

# a NIC (contract §6): packet workloads' columns in the CSV files and summary.json
cat > "$tmp/nic.yaml" <<'Y'
name: nicrun
run: {duration: 100us, warmup: 10us}
hosts: [{name: h}]
devices: [{name: n, total_vfs: 2, nic: {driver: kernel, port_rate: 10Gbps}}]
links: [{a: h, b: n, gen: 3, width: 8}]
assign: [{host: h, device: n, vfs: 2}]
workloads:
  - {name: in, host: h, device: n, packets: rx, size: 64B, rate: 20Mpps}
  - {name: out, host: h, device: n, packets: tx, size: 1518B, rate: line}
Y
"$bin" run "$tmp/nic.yaml" --out "$tmp/rn" --quiet --no-plots 2>/dev/null
check "nic run exits 0" '[ $? -eq 0 ]'
# workloads.csv ends with packets,drops,ios,pps,iops,path
check "packet workloads: op rx/tx, packets counted, path sriov" 'awk -F, "\$1 == \"in\" && \$4 == \"rx\" && \$(NF-5) > 0 && \$(NF-2) > 0 && \$NF == \"sriov\" { a = 1 } \$1 == \"out\" && \$4 == \"tx\" && \$(NF-5) > 0 { b = 1 } END { exit !(a && b) }" "$tmp/rn/workloads.csv"'
check "summary.json has packets and drops" 'grep -q "\"packets\": [0-9]" "$tmp/rn/summary.json" && grep -q "\"drops\": [0-9]" "$tmp/rn/summary.json"'
check "overhead.csv: descriptors, write-backs, doorbells, interrupts" 'for p in descriptor writeback doorbell register interrupt data; do grep -q ",$p," "$tmp/rn/overhead.csv" || exit 1; done'
check "functions.csv: interrupts and their latency" 'awk -F, "NR > 1 && \$17 > 0 && \$18 > 0 { ok = 1 } END { exit !ok }" "$tmp/rn/functions.csv"'

# an NVMe drive (contract §6): io workloads' commands and their rate in the CSV files,
# summary.json and the summary
cat > "$tmp/nvme.yaml" <<'Y'
name: nvmerun
run: {duration: 500us, warmup: 100us}
hosts: [{name: h}]
devices: [{name: d, total_vfs: 2, nvme: {channels: 8, read_latency: 50us}}]
links: [{a: h, b: d, gen: 4, width: 4}]
assign: [{host: h, device: d, vfs: 2}]
workloads:
  - {name: rd, host: h, device: d, io: read, size: 4KiB, depth: 8, pattern: random, footprint: 1GiB}
  - {name: wr, host: h, device: d, io: write, size: 64KiB, rate: 20Kiops}
Y
"$bin" run "$tmp/nvme.yaml" --out "$tmp/rv" --no-plots >"$tmp/stdout" 2>/dev/null
check "nvme run exits 0" '[ $? -eq 0 ]'
check "io workloads: op io-read/io-write, ios and iops" 'awk -F, "\$1 == \"rd\" && \$4 == \"io-read\" && \$(NF-3) > 0 && \$(NF-1) > 0 && \$NF == \"\" { a = 1 } \$1 == \"wr\" && \$4 == \"io-write\" && \$(NF-3) > 0 { b = 1 } END { exit !(a && b) }" "$tmp/rv/workloads.csv"'
check "summary.json has ios and iops" 'grep -q "\"ios\": [0-9]" "$tmp/rv/summary.json" && grep -q "\"iops\": [0-9]" "$tmp/rv/summary.json"'
check "stdout summary: IOPS next to Gb/s" 'grep -q "^  workload rd (h, closed loop, 16 in flight): [0-9.]* Gb/s, [0-9]* IOPS;" "$tmp/stdout"'

# options
"$bin" run "$small" --out "$tmp/r2" --quiet --no-plots --duration 20us --warmup 0 --seed 9 >"$tmp/stdout" 2>/dev/null
check "--quiet prints nothing" '[ ! -s "$tmp/stdout" ]'
check "--no-plots draws nothing" '[ ! -e "$tmp/r2/throughput.svg" ]'
check "--duration and --seed reach the run" 'grep -q "\"seed\": 9, \"duration_s\": 2e-05" "$tmp/r2/summary.json"'
"$bin" run "$small" --out "$tmp/r3" --quiet --no-plots --set workloads.rx.rate=1Gbps
check "--set reaches the run" 'grep -q "^rx,h0,d,write,1.0000," "$tmp/r3/workloads.csv"'

# without gnuplot: results still written, a notice says how to get the plots
PATH=/nonexistent "$bin" run "$small" --out "$tmp/r4" --quiet 2>"$tmp/stderr"
check "no gnuplot: exit 0" '[ $? -eq 0 ]'
check "no gnuplot: notice" 'grep -q "gnuplot not found" "$tmp/stderr"'
check "no gnuplot: results" '[ -s "$tmp/r4/hosts.csv" ]'

# bad input: exit 2, nothing written
"$bin" run "$small" --out "$tmp/r5" --set links.s-d.gen=9 >"$tmp/stdout" 2>"$tmp/stderr"
check "invalid topology exits 2" '[ $? -eq 2 ]'
check "invalid topology: no results directory" '[ ! -e "$tmp/r5" ]'
check "invalid topology: nothing on stdout" '[ ! -s "$tmp/stdout" ]'
"$bin" run "$small" --bogus >/dev/null 2>&1
check "unknown option exits 2" '[ $? -eq 2 ]'

# a stuck fabric (a buffer smaller than one TLP) fails with status 1
cat > "$tmp/stuck.yaml" <<'Y'
name: stuck
run: {duration: 100us}
hosts: [{name: h}]
switches: [{name: s, buffer: 8B}]
devices: [{name: d, total_vfs: 1}]
links: [{a: h, b: s, gen: 3, width: 8}, {a: s, b: d, gen: 3, width: 8}]
assign: [{host: h, device: d, vfs: 1}]
workloads: [{host: h, device: d, op: write, size: 256B, outstanding: 4}]
Y
"$bin" run "$tmp/stuck.yaml" --out "$tmp/r6" --no-plots >"$tmp/stdout" 2>"$tmp/stderr"
check "stuck fabric exits 1" '[ $? -eq 1 ]'
check "stuck fabric says so" 'grep -q "deadlocked" "$tmp/stderr"'
check "stuck fabric writes no results" '[ ! -e "$tmp/r6/hosts.csv" ]'

# the default chassis runs from any directory
(cd "$tmp" && "$bin" run --quiet --no-plots --duration 20us --warmup 0)
check "default chassis" '[ -s "$tmp/results/blade8-mriov/hosts.csv" ]'

"$bin" report "$tmp/nowhere" >/dev/null 2>&1
check "report on a non-results directory exits 2" '[ $? -eq 2 ]'

finish

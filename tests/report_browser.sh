#!/bin/sh
# report_browser.sh MRIOVSIM: a run's report.html opens in a real headless browser (Debian's
# chromium) without script errors, and every plot in it loads; PNG and SVG plots exist with
# their labels; without gnuplot the report says how to get the plots.
set -u
. "$(dirname "$0")/testlib.sh"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "FAIL: chromium is not installed (.ci/deps test installs it)"
  echo "0 passed, 1 failed"
  exit 1
fi
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir=$tmp/profile --allow-file-access-from-files --virtual-time-budget=5000"

cat > "$tmp/t.yaml" <<'Y'
name: report-test
description: two hosts, an ATS device, a shared link
run: {duration: 100us, warmup: 10us}
hosts: [{name: h0}, {name: h1}]
switches: [{name: s}]
devices: [{name: d, total_vfs: 4, atc: {entries: 8}}]
links: [{a: h0, b: s, gen: 3, width: 8}, {a: h1, b: s, gen: 3, width: 4}, {a: s, b: d, gen: 3, width: 8}]
assign: [{host: h0, device: d, vfs: 2}, {host: h1, device: d, vfs: 2}]
workloads:
  - {host: h0, device: d, op: write, size: 1500B, rate: 20Gbps, pattern: random, footprint: 256KiB}
  - {host: h1, device: d, op: read, size: 4KiB, outstanding: 4}
Y
"$bin" run "$tmp/t.yaml" --out "$tmp/r" --quiet
check "run exits 0" '[ $? -eq 0 ]'
for p in throughput timeseries latency_cdf links translation bytes; do
  check "$p.svg is SVG" 'grep -q "<svg" "$tmp/r/$p.svg"'
  check "$p.png is PNG" '[ "$(head -c 4 "$tmp/r/$p.png" | tail -c 3)" = "PNG" ]'
done
check "throughput plot labels" 'grep -q "throughput (Gb/s, payload)" "$tmp/r/throughput.svg" && grep -q ">h1<" "$tmp/r/throughput.svg"'
check "latency plot labels" 'grep -q "latency (ns, log scale)" "$tmp/r/latency_cdf.svg"'
check "translation plot legend" 'grep -q "device ATC" "$tmp/r/translation.svg"'
check "where the bytes go: legend" 'grep -q ">translation<" "$tmp/r/bytes.svg" && grep -q ">data<" "$tmp/r/bytes.svg"'

"$browser" $flags --dump-dom "file://$tmp/r/report.html" >"$tmp/dom.html" 2>"$tmp/browser.log"
check "the browser loads the report" '[ -s "$tmp/dom.html" ]'
check "every plot loaded" 'grep -q "data-images=\"ok\"" "$tmp/dom.html"'
check "six plots shown" '[ "$(grep -o "<img " "$tmp/dom.html" | wc -l)" -eq 6 ]'
check "no script errors" '! grep -q "Uncaught" "$tmp/browser.log"'
check "summary table" 'grep -q "<td>h0</td>" "$tmp/dom.html"'
check "bottlenecks" 'grep -q "<b>h1</b>: " "$tmp/dom.html"'
check "run parameters" 'grep -q "<th>seed</th><td>1</td>" "$tmp/dom.html"'
# contract §4: intervals in the tables, error bars in the plot, warnings on top
check "interval columns" '[ "$(grep -o "<th>± 95% CI</th>" "$tmp/dom.html" | wc -l)" -ge 4 ]'
check "workload verdicts" 'grep -q "closed loop, 8 in flight" "$tmp/dom.html" && grep -q "workload <b>w0</b>: " "$tmp/dom.html"'
check "error bars in the throughput plot" 'grep -q "achieved (95% CI)" "$tmp/r/throughput.svg"'
"$bin" run "$tmp/t.yaml" --out "$tmp/short" --quiet --duration 15us --warmup 5us 2>"$tmp/short.err"
"$browser" $flags --dump-dom "file://$tmp/short/report.html" >"$tmp/dom3.html" 2>/dev/null
check "a 10 us window warns, on stderr and at the top of the report" 'grep -q "^warning: workload w1 completed" "$tmp/short.err" && grep -q "id=\"warnings\"" "$tmp/dom3.html" && grep -q "too few for its latency statistics" "$tmp/dom3.html" && [ "$(grep -n "id=\"warnings\"" "$tmp/dom3.html" | head -1 | cut -d: -f1)" -lt "$(grep -n "<h2>Run</h2>" "$tmp/dom3.html" | cut -d: -f1)" ]'
check "no warnings block on the 100 us run" '! grep -q "id=\"warnings\"" "$tmp/dom.html"'
"$bin" run "$tmp/t.yaml" --out "$tmp/long" --quiet --duration 2ms --no-plots 2>"$tmp/long.err"
# (AddressSanitizer's own notes about SimGrid's context switches are not mriovsim's)
check "no warning on a long stable run" '! grep -v -e "^==[0-9]*==" -e "^False positive error reports may follow" -e "^For details see https://github.com/google/sanitizers" "$tmp/long.err" | grep -q . && [ "$(wc -l < "$tmp/long/warnings.csv")" -eq 1 ]'
"$bin" report "$tmp/long" 2>/dev/null
check "no warnings block then" '! grep -q "id=\"warnings\"" "$tmp/long/report.html"'

# a plot that disappears is reported on the page
rm "$tmp/r/links.svg"
"$browser" $flags --dump-dom "file://$tmp/r/report.html" >"$tmp/dom2.html" 2>/dev/null
check "a missing plot is flagged" 'grep -q "data-images=\"missing\"" "$tmp/dom2.html" && grep -q "did not load: links.svg" "$tmp/dom2.html"'

# without gnuplot: results, and a report that says how to get the plots
PATH=/nonexistent "$bin" run "$tmp/t.yaml" --out "$tmp/n" --quiet 2>/dev/null
check "no gnuplot: report written" 'grep -q "gnuplot was not found" "$tmp/n/report.html"'
check "no gnuplot: no images" '! grep -q "<img" "$tmp/n/report.html"'

finish

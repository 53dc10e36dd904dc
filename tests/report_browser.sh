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
for p in throughput timeseries latency_cdf links translation; do
  check "$p.svg is SVG" 'grep -q "<svg" "$tmp/r/$p.svg"'
  check "$p.png is PNG" '[ "$(head -c 4 "$tmp/r/$p.png" | tail -c 3)" = "PNG" ]'
done
check "throughput plot labels" 'grep -q "throughput (Gb/s, payload)" "$tmp/r/throughput.svg" && grep -q ">h1<" "$tmp/r/throughput.svg"'
check "latency plot labels" 'grep -q "latency (ns, log scale)" "$tmp/r/latency_cdf.svg"'
check "translation plot legend" 'grep -q "device ATC" "$tmp/r/translation.svg"'

"$browser" $flags --dump-dom "file://$tmp/r/report.html" >"$tmp/dom.html" 2>"$tmp/browser.log"
check "the browser loads the report" '[ -s "$tmp/dom.html" ]'
check "every plot loaded" 'grep -q "data-images=\"ok\"" "$tmp/dom.html"'
check "five plots shown" '[ "$(grep -o "<img " "$tmp/dom.html" | wc -l)" -eq 5 ]'
check "no script errors" '! grep -q "Uncaught" "$tmp/browser.log"'
check "summary table" 'grep -q "<td>h0</td>" "$tmp/dom.html"'
check "bottlenecks" 'grep -q "<b>h1</b>: " "$tmp/dom.html"'
check "run parameters" 'grep -q "<th>seed</th><td>1</td>" "$tmp/dom.html"'

# a plot that disappears is reported on the page
rm "$tmp/r/links.svg"
"$browser" $flags --dump-dom "file://$tmp/r/report.html" >"$tmp/dom2.html" 2>/dev/null
check "a missing plot is flagged" 'grep -q "data-images=\"missing\"" "$tmp/dom2.html" && grep -q "did not load: links.svg" "$tmp/dom2.html"'

# without gnuplot: results, and a report that says how to get the plots
PATH=/nonexistent "$bin" run "$tmp/t.yaml" --out "$tmp/n" --quiet 2>/dev/null
check "no gnuplot: report written" 'grep -q "gnuplot was not found" "$tmp/n/report.html"'
check "no gnuplot: no images" '! grep -q "<img" "$tmp/n/report.html"'

finish

#!/bin/sh
# bench_trace.sh MRIOVSIM [RUNS]: the cost of `run --trace` on the raw-DMA blade chassis
# (topologies/blade8-rawdma.yaml, the default chassis until issue 12: 1 ms, about 550,000 TLPs): wall time of RUNS runs (default 5) without and with the trace, the
# medians, and the trace's size. Prints numbers; passes or fails nothing.
set -eu
bin=$1
runs=${2:-5}
topo=$(dirname "$0")/../topologies/blade8-rawdma.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
wall() { # the wall time of one command, in seconds
  s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
  echo "$s $e" | awk '{ printf "%.3f\n", $2 - $1 }'
}
for i in $(seq "$runs"); do
  wall "$bin" run "$topo" --out "$tmp/r" --no-plots --quiet >>"$tmp/plain"
  wall "$bin" run "$topo" --out "$tmp/r" --no-plots --quiet --trace "$tmp/t.json" >>"$tmp/traced"
done
events=$(grep -c '"ph": "X"' "$tmp/t.json")
echo "runs: $runs; TLPs traced: $events; trace size: $(du -m "$tmp/t.json" | cut -f1) MiB"
echo "median wall time without --trace: $(median <"$tmp/plain") s"
echo "median wall time with --trace:    $(median <"$tmp/traced") s"

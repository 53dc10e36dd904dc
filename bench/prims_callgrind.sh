#!/bin/sh
# bench/prims_callgrind.sh [BUILD_DIR] [OPS] [--cfg=...]: instructions per call of each
# SimGrid primitive of bench/bench_prims.c (callgrind, counted inside simgrid_run only, so
# exact and independent of the machine's load), with 1, 16 and 256 actors (or pairs), on
# one host and on a host each, and their ratio to a bare sleep (one actor). Prints a
# markdown table for docs/performance.md.
set -eu
b=${1:-build}/bench_prims
ops=${2:-20000}
shift 2 2>/dev/null || shift $#
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ir() { # PRIM ACTORS MANY_HOSTS: instructions per call
  valgrind --tool=callgrind --collect-atstart=no --toggle-collect=simgrid_run \
    --callgrind-out-file="$tmp/out" "$b" one "$1" "$2" "$3" "$ops" "$@" >/dev/null 2>"$tmp/err"
  n=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/err")
  # a pair's hand-off counts each actor's wake: 2 * ACTORS calls in all
  echo "$n $ops" | awk '{printf "%.0f", $1 / $2}'
}

bare=$(ir 0 1 0 "$@")
echo "bare sleep (1 actor): $bare instructions"
echo "| primitive | actors | one host: instr/call | vs bare sleep | a host each: instr/call | vs bare sleep |"
echo "|---|---|---|---|---|---|"
i=0
for name in "sleep_for, staggered" "sleep_for, aligned (k wake at once)" \
  "sleep_until, staggered" "sem_acquire_timeout timing out, staggered" \
  "sem_acquire_timeout timing out, aligned" "cond_wait_for timing out, staggered" \
  "sem_acquire released by another actor" "sem_acquire_timeout released before it" \
  "suspend(self) + resume by another actor" "mailbox put/get (0 B, same host)"; do
  for n in 1 16 256; do
    a=$(ir $i $n 0 "$@")
    if [ $i -eq 9 ]; then m=-; else m=$(ir $i $n 1 "$@"); fi
    unit=""; [ $i -ge 6 ] && unit=" pairs"
    echo "$a $m $bare" | awk -v name="$name" -v n="$n$unit" '{
      printf "| %s | %s | %d | %.2f | ", name, n, $1, $1 / $3
      if ($2 == "-") printf "- | - |\n"; else printf "%d | %.2f |\n", $2, $2 / $3 }'
  done
  i=$((i + 1))
done

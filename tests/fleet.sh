#!/bin/sh
# fleet.sh MRIOVSIM: fleets (contract §8). Every tests/fleet/NAME.expanded.yaml is the
# hand-expanded twin of a fleet file (topologies/NAME.yaml, or tests/fleet/NAME.yaml): both
# must validate to the same VHs and functions and run to byte-identical results (all but
# the wall-clock time and the file name). --set addresses an expanded item by its own name.
set -u
. "$(dirname "$0")/testlib.sh"
here=$(cd "$(dirname "$0")" && pwd)

# results without what may differ between two runs of one chassis from two files
strip() { grep -v '^wall_s,\|^file,' "$1" | sed 's/"wall_s": [0-9.e+-]*//'; }

for twin in "$here"/fleet/*.expanded.yaml; do
  name=$(basename "$twin" .expanded.yaml)
  fleet="$here/../topologies/$name.yaml"
  [ -f "$fleet" ] || fleet="$here/fleet/$name.yaml"
  "$bin" check "$fleet" >"$tmp/c1" 2>&1
  check "$name: the fleet file is valid" '[ $? -eq 0 ]'
  "$bin" check "$twin" >"$tmp/c2" 2>&1
  check "$name: check prints the same VHs and functions" 'cmp -s "$tmp/c1" "$tmp/c2"'
  # cascade-2switch starts a workload at 300us: run past it
  for f in "$fleet" "$twin"; do
    rm -rf "$tmp/r-$(basename "$f")"
    "$bin" run "$f" --duration 400us --warmup 20us --no-plots --quiet \
      --out "$tmp/r-$(basename "$f")" 2>>"$tmp/err"
    check "$name: $(basename "$f") runs" '[ $? -eq 0 ]'
  done
  n=0
  for a in "$tmp/r-$(basename "$fleet")"/*; do
    b="$tmp/r-$(basename "$twin")/$(basename "$a")"
    strip "$a" >"$tmp/s1"
    strip "$b" >"$tmp/s2" 2>/dev/null
    check "$name: $(basename "$a") is identical" 'cmp -s "$tmp/s1" "$tmp/s2"'
    n=$((n + 1))
  done
  check "$name: results were compared" '[ "$n" -ge 8 ]'
done

# --set reaches one item of a fleet by its expanded name, and only that one
b8="$here/../topologies/blade8-mriov.yaml"
"$bin" check "$b8" --set links.blade3-mra0.width=4 --set hosts.blade5.memory_latency=50ns \
  >"$tmp/s1" 2>&1
check "--set on expanded names is accepted" '[ $? -eq 0 ]'
check "--set changed blade3's link" 'grep -q "blade3 -(blade3-mra0, Gen4 x4)" "$tmp/s1"'
check "--set left blade2's link alone" 'grep -q "blade2 -(blade2-mra0, Gen4 x8)" "$tmp/s1"'
"$bin" check "$here/fleet/blade8-mriov.expanded.yaml" --set links.blade3-mra0.width=4 \
  --set hosts.blade5.memory_latency=50ns >"$tmp/s2" 2>&1
check "--set on a fleet is --set on its twin" 'cmp -s "$tmp/s1" "$tmp/s2"'
"$bin" check "$b8" --set 'links.blade[0-7]-mra0.width=4' >/dev/null 2>"$tmp/e"
check "--set does not take a range" '[ $? -eq 2 ] && grep -q "error" "$tmp/e"'
finish

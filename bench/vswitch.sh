#!/bin/sh
# bench/vswitch.sh [BUILD_DIR] [RUNS]: what the vswitch path (contract §11) costs the
# simulator: topologies/vswitch-acl.yaml with blade0 on SR-IOV and on its vswitch (ACLs
# on), its CPU-bound variant (1 switch core) and a switch of 16 cores (mostly idle workers,
# each waiting for the next frame), wall seconds as the median of RUNS runs
# (default 5) and the frames the switch executed. Prints numbers; docs/performance.md
# records them.
set -eu
cd "$(dirname "$0")/.."
bin=${1:-build}/mriovsim
runs=${2:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# case NAME --set...: median wall seconds and the vswitch's frames of blade0
case_() {
  name=$1
  shift
  : >"$tmp/walls"
  i=0
  while [ "$i" -lt "$runs" ]; do
    "$bin" run topologies/vswitch-acl.yaml "$@" --no-plots --quiet --out "$tmp/r" 2>/dev/null
    sed -n 's/^wall_s,//p' "$tmp/r/run.csv" >>"$tmp/walls"
    i=$((i + 1))
  done
  wall=$(sort -g "$tmp/walls" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  frames=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "vswitch_packets") c = i }
                    $1 == "blade0" { print $c }' "$tmp/r/hosts.csv")
  printf '%-28s wall %6.3f s (median of %d)  vswitch frames %s\n' "$name" "$wall" "$runs" \
    "${frames:-0}"
}

case_ "SR-IOV"
case_ "vswitch, 4 cores" --set hosts.blade0.vswitch.acl=true
case_ "vswitch, 1 core (CPU-bound)" --set hosts.blade0.vswitch.acl=true \
  --set hosts.blade0.vswitch.cores=1
case_ "vswitch, 16 cores" --set hosts.blade0.vswitch.acl=true \
  --set hosts.blade0.vswitch.cores=16

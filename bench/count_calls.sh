#!/bin/sh
# bench/count_calls.sh [BUILD_DIR] FILE [PATH=VALUE...]: the SimGrid blocking calls of one
# `mriovsim run` of FILE (bench/count_calls.c, preloaded), per TLP-hop of the run: by kind,
# then by actor (a port actor is named after its link and direction: "a-b.fwd" sends from
# a to b). Counts, so independent of the machine's load. Needs `--target bench`.
set -eu
build=${1:-build}; shift
file=$1; shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in "$@"; do set -- "$@" --set "$s"; shift; done
LD_PRELOAD="$build/libcount_calls.so" COUNT_CALLS_OUT="$tmp/calls" \
  "$build/mriovsim" run "$file" --out "$tmp/res" --no-plots --quiet "$@" 2>/dev/null
hops=$(sed -n 's/^tlp_hops,//p' "$tmp/res/run.csv")
awk -v hops="$hops" '
  NR == 1 { nk = NF - 1; for (k = 2; k <= NF; k++) kn[k] = $k; next }
  /^#dates/ { dates = $2; next }
  { na++; name[na] = $1; for (k = 2; k <= NF; k++) { c[na, k] = $k; tot[k] += $k } }
  END {
    printf "%d TLP-hops, %d actors; per TLP-hop:\n", hops, na
    for (k = 2; k <= nk + 1; k++) {
      printf "  %-14s %.3f\n", kn[k], tot[k] / hops
      if (kn[k] != "release") block += tot[k]
    }
    printf "  %-14s %.3f (every kind but release)\n", "blocking", block / hops
    printf "  %-14s %.3f (distinct dates at which a blocking call returned)\n", "dates", dates / hops
    printf "| actor |"; for (k = 2; k <= nk + 1; k++) printf " %s |", kn[k]; printf "\n|---|"
    for (k = 2; k <= nk + 1; k++) printf "---|"; printf "\n"
    for (i = 1; i <= na; i++) {
      printf "| %s |", name[i]; for (k = 2; k <= nk + 1; k++) printf " %.3f |", c[i, k] / hops
      printf "\n"
    }
  }' "$tmp/calls"

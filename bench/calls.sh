#!/bin/sh
# bench/calls.sh [BUILD_DIR] FILE [SET...]: bench_calls on FILE, with the call chains of the
# releases resolved to functions and lines (addr2line, inlined frames joined by "<").
set -eu
b=${1:-build}; shift
"$b/bench_calls" "$@" | while IFS= read -r line; do
  case $line in
    "  "[0-9]*%*:*)
      head=${line%%:*}; addrs=${line#*:}
      chain=$(for a in $addrs; do
        addr2line -f -i -s -e "$b/bench_calls" "$a" | paste -sd' ' | awk '{s=""; for (i=1;i<=NF;i+=2) s=s (s?"<":"") $i "(" $(i+1) ")"; print s}'
      done | paste -sd' ' | sed 's/ / <- /g')
      echo "$head: $chain" ;;
    *) echo "$line" ;;
  esac
done

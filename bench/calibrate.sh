#!/bin/sh
# bench/calibrate.sh [MRIOVSIM [OUTDIR]]: every pcie-bench experiment of contract §12 for
# every shipped profile, next to the measurements in tests/data/pcie-bench/ (copied from
# pcie-bench/data; its README names the source of each file). Prints one line per data
# point: experiment, calibration (cal) or prediction (pred), size or window, simulated,
# measured, error; then the largest error of each experiment. OUTDIR (default
# build/calibrate) receives one .tsv per experiment, tables.md (the tables of
# docs/validation.md, by bench/calibrate_md.sh) and, when gnuplot is installed, one .svg of
# both curves per experiment. docs/validation.md shows the output.
set -eu
cd "$(dirname "$0")/.."
bin=${1:-build/mriovsim}
out=${2:-build/calibrate}
data=tests/data/pcie-bench
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# column NAME of the first data row of CSV (by its header)
col() {
  awk -F, -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
                     { s += $c } END { printf "%.4f", s }' "$2"
}

# sim TOPOLOGY COLUMN --set...: run it and print COLUMN summed over its workloads
sim() {
  topo=$1 column=$2
  shift 2
  "$bin" run "topologies/$topo.yaml" "$@" --quiet --no-plots --out "$tmp/r" >/dev/null 2>&1 ||
    { echo "calibrate: $topo $* failed" >&2; exit 1; }
  col "$column" "$tmp/r/workloads.csv"
}

# experiment NAME FILE KIND TOPOLOGY COLUMN CALSIZES SETS...: one line per point of FILE;
# a size in CALSIZES ("all", "none" or a list) is calibration, any other a prediction.
# In SETS, @ stands for the point's size or window.
experiment() {
  name=$1 file=$data/$2 kind=$3 topo=$4 column=$5 cal=$6
  shift 6
  : > "$out/$name.tsv"
  grep -v '^#' "$file" | while read -r x meas; do
    sets=""
    for s in "$@"; do sets="$sets --set $(echo "$s" | sed "s/@/$x/g")"; done
    # shellcheck disable=SC2086
    v=$(sim "$topo" "$column" $sets)
    case " $cal " in
      *" all "* | *" $x "*) set_kind=cal ;;
      *) set_kind=pred ;;
    esac
    printf "%s\t%s\t%s\t%s\t%s\n" "$x" "$v" "$meas" "$set_kind" "$kind" >> "$out/$name.tsv"
    awk -v n="$name" -v k="$set_kind" -v x="$x" -v v="$v" -v m="$meas" 'BEGIN {
      printf "%-28s %-4s %9s %10.2f %10.2f %+7.1f%%\n", n, k, x, v, m, 100 * (v / m - 1) }'
  done
}

printf "%-28s %-4s %9s %10s %10s %8s\n" experiment set x simulated measured error
for h in hsw-e5-2620v3 bdw-e5-2630v4 snb-e5-2630; do
  experiment "$h.bw_rd" "$h.bw_rd.dat" gbps pcie-bench-bandwidth throughput_gbps all \
    "hosts.h0.profile=$h" workloads.dma.size=@
  experiment "$h.bw_wr" "$h.bw_wr.dat" gbps pcie-bench-bandwidth throughput_gbps all \
    "hosts.h0.profile=$h" workloads.dma.size=@ workloads.dma.op=write
  experiment "$h.lat_rd" "$h.lat_rd.dat" ns pcie-bench-latency lat_p50_ns all \
    "hosts.h0.profile=$h" workloads.lat.size=@
  experiment "$h.bw_rw" "$h.bw_rw.dat" gbps pcie-bench-alternating throughput_gbps none \
    "hosts.h0.profile=$h" workloads.rd.size=@ workloads.wr.size=@
done
r=bdw-e5-2630v4-remote
experiment "$r.lat_rd" "$r.lat_rd.dat" ns pcie-bench-latency lat_p50_ns 64 \
  hosts.h0.profile=bdw-e5-2630v4 hosts.h0.numa=remote workloads.lat.size=@
experiment "$r.bw_rd" "$r.bw_rd.dat" gbps pcie-bench-remote throughput_gbps none \
  workloads.dma.size=@
experiment "$r.bw_wr" "$r.bw_wr.dat" gbps pcie-bench-remote throughput_gbps none \
  workloads.dma.size=@ workloads.dma.op=write
experiment "$r.bw_rw" "$r.bw_rw.dat" gbps pcie-bench-alternating throughput_gbps none \
  hosts.h0.profile=bdw-e5-2630v4 hosts.h0.numa=remote workloads.rd.size=@ workloads.wr.size=@
i=hsw-e5-2620v3-iommu
experiment "$i.win_rd_64" "$i.win_rd_64.dat" gbps pcie-bench-iommu-window throughput_gbps all \
  workloads.dma.footprint=@
experiment "$i.win_wr_64" "$i.win_wr_64.dat" gbps pcie-bench-iommu-window throughput_gbps none \
  workloads.dma.footprint=@ workloads.dma.op=write
i=bdw-e5-2630v4-iommu
experiment "$i.win_rd_64" "$i.win_rd_64.dat" gbps pcie-bench-iommu-window throughput_gbps none \
  hosts.h0.profile=bdw-e5-2630v4 workloads.dma.footprint=@
i=hsw-e5-2620v3-iommu
for s in 128 256 512; do
  experiment "$i.win_rd_$s" "$i.win_rd_$s.dat" gbps pcie-bench-iommu-window throughput_gbps \
    none workloads.dma.footprint=@ workloads.dma.size=$s
done

echo
echo "largest error of each experiment (calibration and prediction apart)"
for f in "$out"/*.tsv; do
  awk -v n="$(basename "$f" .tsv)" -F'\t' '
    { e = 100 * ($2 / $3 - 1); a = e < 0 ? -e : e
      if (a > worst[$4]) { worst[$4] = a; at[$4] = $1; sig[$4] = e }
      cnt[$4]++; if (a > ($5 == "ns" ? 3 : ($4 == "cal" ? 5 : 10))) miss[$4]++ }
    END { for (k in cnt) printf "%-28s %-4s %3d points, worst %+6.1f%% at %s, %d beyond target\n",
          n, k, cnt[k], sig[k], at[k], miss[k] + 0 }' "$f"
done

# the tables of docs/validation.md
sh bench/calibrate_md.sh "$out" > "$out/tables.md"
echo
echo "tables for docs/validation.md: $out/tables.md"

command -v gnuplot >/dev/null 2>&1 || exit 0
for f in "$out"/*.tsv; do
  n=$(basename "$f" .tsv)
  case $n in *lat*) y="median latency (ns)" ;; *) y="throughput (Gb/s)" ;; esac
  case $n in
    *win*) x="window (KiB)" logx="set logscale x 2" div=1024 ;;
    *) x="DMA size (bytes)" logx="" div=1 ;;
  esac
  gnuplot <<G
set terminal svg size 640,400 dynamic font "sans,11"
set output "$out/$n.svg"
set title "$n: mriovsim against pcie-bench"
set xlabel "$x"
set ylabel "$y"
$logx
set key bottom right
set grid
plot "$f" using (\$1/$div):3 with linespoints title "measured (pcie-bench/data)", \
     "$f" using (\$1/$div):2 with linespoints title "mriovsim"
G
done

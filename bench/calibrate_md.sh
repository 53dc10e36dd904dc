#!/bin/sh
# bench/calibrate_md.sh [OUTDIR]: the tables of docs/validation.md ("Summary" and "Every
# point") from the .tsv files bench/calibrate.sh wrote into OUTDIR (default
# build/calibrate). Each .tsv line: size or window, simulated, measured, cal or pred, unit.
# Targets: 3 % for a calibration latency, 5 % for a calibration bandwidth, 10 % for a
# prediction; a point beyond its target is marked **miss**.
set -eu
cd "$(dirname "$0")/.."
out=${1:-build/calibrate}

# cells TSV: "x<TAB>sim / meas | error" per line, the error marked when beyond its target
cells() {
  awk -F'\t' '{ e = 100 * ($2 / $3 - 1); a = e < 0 ? -e : e
                t = $4 == "pred" ? 10 : ($5 == "ns" ? 3 : 5)
                mark = (a > t) ? " **miss**" : ""
                printf "%s\t%.2f / %.2f | %+.1f %%%s\n", $1, $2, $3, e, mark }' "$1"
}

# table HEADER TSV...: one row per point of the first TSV, a pair of columns per TSV
table() {
  head=$1
  shift
  echo "$head"
  echo "$head" | awk -F'|' '{ s = "|"; for (i = 2; i < NF; i++) s = s "---|"; print s }'
  first=$1
  shift
  cells "$first" > "$out/.t0"
  for f in "$@"; do
    cells "$f" | cut -f2 > "$out/.t1"
    paste -d'|' "$out/.t0" "$out/.t1" > "$out/.t2"
    mv "$out/.t2" "$out/.t0"
  done
  awk -F'\t' '{ x = $1; if (x >= 1048576 && x % 1048576 == 0) x = x / 1048576 " MiB"
                else if (x >= 1048576) x = x / 1048576 " MiB"
                else if (x >= 4096 && x % 1024 == 0) x = x / 1024 " KiB"
                v = $2; gsub(/ *[|] */, " | ", v); printf "| %s | %s |\n", x, v }' "$out/.t0"
  rm -f "$out/.t0" "$out/.t1"
}

# summary TSV SET LABEL: worst error, its point, and the points beyond target, over all
# points and over those that are whole 64-byte lines
summary() {
  awk -F'\t' -v lab="$3" -v set="$2" '
    function upd(k, e) { a = e < 0 ? -e : e; if (a > w[k]) { w[k] = a; s[k] = e; at[k] = $1 } }
    { e = 100 * ($2 / $3 - 1); t = $4 == "pred" ? 10 : ($5 == "ns" ? 3 : 5); n++
      upd("all", e); if ((e < 0 ? -e : e) > t) m++
      if ($1 % 64 == 0 && $1 <= 2048) { upd("line", e); if ((e < 0 ? -e : e) > t) ml++ } }
    function lbl(x) { return x >= 1048576 ? x / 1048576 " MiB" : (x >= 4096 ? x / 1024 " KiB" : x " B") }
    END { printf "| %s | %s | %d | %+.1f %% (%s) | %d | %s | %s |\n", lab, set, n, s["all"],
          lbl(at["all"]), m, "line" in s ? sprintf("%+.1f %%", s["line"]) : "", "line" in s ? ml + 0 : "" }
  ' "$1"
}

echo "| experiment | set | points | worst | beyond target | whole lines: worst | beyond target |"
echo "|---|---|---|---|---|---|---|"
for h in hsw-e5-2620v3 bdw-e5-2630v4 snb-e5-2630; do
  summary "$out/$h.lat_rd.tsv" calibration "${h%%-*} LAT_DMA_RD"
  summary "$out/$h.bw_rd.tsv" calibration "${h%%-*} BW_DMA_RD"
  summary "$out/$h.bw_wr.tsv" calibration "${h%%-*} BW_DMA_WR"
done
summary "$out/hsw-e5-2620v3-iommu.win_rd_64.tsv" calibration "hsw IOMMU window, 64 B reads"
r=$out/bdw-e5-2630v4-remote
grep -P '\tcal\t' "$r.lat_rd.tsv" > "$out/.cal" || true
grep -P '\tpred\t' "$r.lat_rd.tsv" > "$out/.pred" || true
summary "$out/.cal" calibration "remote LAT_DMA_RD 64 B"
for h in hsw-e5-2620v3 bdw-e5-2630v4 snb-e5-2630; do
  summary "$out/$h.bw_rw.tsv" prediction "${h%%-*} alternating read/write"
done
summary "$out/.pred" prediction "remote LAT_DMA_RD, 128-2048 B"
rm -f "$out/.cal" "$out/.pred"
summary "$r.bw_rd.tsv" prediction "remote BW_DMA_RD"
summary "$r.bw_wr.tsv" prediction "remote BW_DMA_WR"
summary "$r.bw_rw.tsv" prediction "remote alternating read/write"
summary "$out/bdw-e5-2630v4-iommu.win_rd_64.tsv" prediction \
  "bdw IOMMU window, 64 B reads (hsw's IOMMU values)"
for s in wr_64 rd_128 rd_256 rd_512; do
  op=reads
  [ "${s%_*}" = wr ] && op=writes
  summary "$out/hsw-e5-2620v3-iommu.win_$s.tsv" prediction "IOMMU window, ${s#*_} B $op"
done

bw="| size (B) | read | error | write | error | alternating | error |"
lat="| size (B) | median | error |"
for h in "hsw-e5-2620v3:Haswell Xeon E5-2620 v3:nfp6000-1.2GHz_hsw-Xeon-E5-2620v3_dell-t630" \
  "bdw-e5-2630v4:Broadwell Xeon E5-2630 v4:nfp6000-1.2GHz_bdw-Xeon-E5-2630v4-dell-t430-s0-s0-s0" \
  "snb-e5-2630:Sandy Bridge Xeon E5-2630:nfp6000-1.2GHz_snb-Xeon-E5-2630_dell-t620"; do
  p=${h%%:*} rest=${h#*:}
  echo
  echo "#### ${rest%%:*}: \`$p\`, directory ${rest#*:}"
  echo
  echo "Bandwidth, simulated / measured (Gb/s). Reads and writes are the calibration set" \
    "(target 5 %); alternating read/write (the sum of both workloads) is a prediction" \
    "(target 10 %)."
  echo
  table "$bw" "$out/$p.bw_rd.tsv" "$out/$p.bw_wr.tsv" "$out/$p.bw_rw.tsv"
  echo
  echo "LAT_DMA_RD median, simulated / measured (ns): calibration, target 3 %."
  echo
  table "$lat" "$out/$p.lat_rd.tsv"
done
echo
echo "#### Broadwell Xeon E5-2630 v4 with remote memory: \`bdw-e5-2630v4\` and" \
  "\`numa: remote\`, directory ...-s0-s1-s1"
echo
echo "Bandwidth, simulated / measured (Gb/s). All three columns are predictions (target 10 %)."
echo
table "$bw" "$r.bw_rd.tsv" "$r.bw_wr.tsv" "$r.bw_rw.tsv"
echo
echo "LAT_DMA_RD median, simulated / measured (ns). 64 B is calibration (remote_latency," \
  "target 3 %); the other sizes are predictions (target 10 %)."
echo
table "$lat" "$r.lat_rd.tsv"
echo
echo "#### IOMMU on, 4 KiB pages: \`hsw-e5-2620v3\`, directory" \
  "nfp6000-1.2GHz_hsw-Xeon-E5-2620v3_dell-t630-iommu-nosp"
echo
echo "Bandwidth against the DMA window, simulated / measured (Gb/s). 64 B reads are" \
  "calibration (target 5 %); the other columns are predictions (target 10 %)."
echo
i=$out/hsw-e5-2620v3-iommu
table "| window | 64 B read | error | 64 B write | error | 128 B read | error | 256 B read | error | 512 B read | error |" \
  "$i.win_rd_64.tsv" "$i.win_wr_64.tsv" "$i.win_rd_128.tsv" "$i.win_rd_256.tsv" "$i.win_rd_512.tsv"
echo
echo "#### IOMMU on, 4 KiB pages: \`bdw-e5-2630v4\`, directory" \
  "nfp6000-1.2GHz_bdw-Xeon-E5-2630v4-dell-t430-s0-s0-s0-iommu-nosp"
echo
echo "64 B reads against the DMA window, simulated / measured (Gb/s): a prediction (the" \
  "Broadwell profile carries the IOMMU values fitted on the Haswell host), target 10 %."
echo
table "| window | 64 B read | error |" "$out/bdw-e5-2630v4-iommu.win_rd_64.tsv"

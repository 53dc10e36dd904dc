#!/bin/sh
# cli_vswitch.sh MRIOVSIM: SR-IOV or the software path (contract §11) end to end. The SR-IOV
# path does not depend on the host's CPU: other cpu and vswitch values give byte-identical
# results; without cpu, vswitch and path keys the files are those of before §11 less the
# CPU columns; acl: true moves every workload of the host to the vswitch path and check says
# why; `mriovsim schema` lists the keys.
set -u
. "$(dirname "$0")/testlib.sh"
topo=$(cd "$(dirname "$0")/.." && pwd)/topologies/vswitch-acl.yaml

# results without what differs between two runs of one chassis (the wall-clock time)
strip() { grep -v '^wall_s,' "$1" | sed 's/"wall_s": [0-9.e+-]*//'; }
run() {
  out=$1
  shift
  "$bin" run "$topo" --duration 600us --warmup 100us --no-plots --quiet --out "$tmp/$out" \
    "$@" 2>>"$tmp/err"
  check "run $out" '[ $? -eq 0 ]'
}

# 1. blade0 on SR-IOV with three different CPUs and switches: every file identical
run a
run b --set hosts.blade0.cpu.cores=64 --set hosts.blade0.cpu.frequency=4.2GHz \
  --set hosts.blade0.vswitch.cycles_per_packet=9000 --set hosts.blade0.vswitch.cores=32
run c --set hosts.blade0.cpu.frequency=800MHz --set hosts.blade0.vswitch.cycles_per_byte=7
n=0
for f in "$tmp"/a/*; do
  for o in b c; do
    strip "$f" >"$tmp/s1"
    strip "$tmp/$o/$(basename "$f")" >"$tmp/s2"
    check "sriov: $(basename "$f") does not depend on the CPU ($o)" 'cmp -s "$tmp/s1" "$tmp/s2"'
  done
  n=$((n + 1))
done
check "sriov: the results were compared" '[ "$n" -ge 10 ]'

# 2. the same chassis without any §11 key: the same numbers, the CPU columns empty
sed -e '/cpu: {cores/d' -e '/vswitch: {cycles/d' -e 's/^  - name: blade0$/  - {name: blade0}/' \
  "$topo" >"$tmp/plain.yaml"
"$bin" run "$tmp/plain.yaml" --duration 600us --warmup 100us --no-plots --quiet \
  --out "$tmp/p" 2>>"$tmp/err"
check "plain: runs" '[ $? -eq 0 ]'
check "plain: hosts.csv's CPU columns are there (the same header)" \
  '[ "$(head -1 "$tmp/p/hosts.csv")" = "$(head -1 "$tmp/a/hosts.csv")" ]'
check "plain: no host has processors: cpu_utilization,vswitch_packets,cpu_cores_busy empty" \
  '[ "$(tail -n +2 "$tmp/p/hosts.csv" | cut -d, -f20-22 | sort -u)" = ",," ]'
check "plain: workloads.csv's path is sriov for every packet workload" \
  '[ "$(awk -F, "NR > 1 && \$NF != \"sriov\"" "$tmp/p/workloads.csv" | wc -l)" = 0 ]'
cut -d, -f1-19 "$tmp/a/hosts.csv" >"$tmp/h1"
cut -d, -f1-19 "$tmp/p/hosts.csv" >"$tmp/h2"
check "plain: hosts.csv is the same less the CPU columns" 'cmp -s "$tmp/h1" "$tmp/h2"'
for f in functions.csv links.csv overhead.csv timeseries.csv latency_cdf.csv; do
  check "plain: $f is identical" 'cmp -s "$tmp/a/$f" "$tmp/p/$f"'
done

# 3. acl: every workload of blade0 on the vswitch path, its cores busy, and check says why
run acl --set hosts.blade0.vswitch.acl=true
col() { awk -F, -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
                          { print $1 "=" $c }' "$1"; }
# path is workloads.csv's last column (its quoted texts hold commas)
path() { awk -F, 'NR == 1 { if ($NF != "path") print "no path column" } NR > 1 { print $1 "=" $NF }' "$1"; }
check "acl: blade0's workloads take the vswitch path" \
  '[ "$(path "$tmp/acl/workloads.csv" | grep -c "^vm-.*=vswitch$")" -eq 3 ]'
check "acl: the others stay on SR-IOV" \
  '[ "$(path "$tmp/acl/workloads.csv" | grep -c "^rx.=sriov$")" -eq 3 ]'
check "acl: blade0's vswitch switched frames" \
  '[ "$(col "$tmp/acl/hosts.csv" vswitch_packets | sed -n "s/^blade0=//p")" -gt 1000 ]'
check "acl: summary.json has the path" 'grep -q "\"path\": \"vswitch\"" "$tmp/acl/summary.json"'
"$bin" check "$topo" --set hosts.blade0.vswitch.acl=true >"$tmp/check" 2>&1
check "acl: check names the reason" \
  'grep -q "^  blade0 on nic0: SR-IOV not in use (IovSupportReasons: ACLs are enabled on the host.s virtual switch)" "$tmp/check"'
check "acl: check prints NumVFs and NumAllocatedVFs" \
  'grep -q "^  nic0: NumVFs 32, NumAllocatedVFs 32$" "$tmp/check"'
check "acl: the other blades keep SR-IOV" '[ "$(grep -c "SR-IOV in use (8 VFs)" "$tmp/check")" -eq 3 ]'

# the report puts both paths side by side: one workload on the vswitch, five on SR-IOV
run both --set workloads.vm-req.path=vswitch
"$bin" report "$tmp/both" >/dev/null 2>>"$tmp/err"
check "report: draws" '[ $? -eq 0 ]'
check "report: a table of both paths" 'grep -q "<h2>SR-IOV and the vswitch path</h2>" "$tmp/both/report.html"'
check "report: SR-IOV carries five workloads" \
  'grep -q "<tr><td>sriov</td><td class=\"n\">5</td>" "$tmp/both/report.html"'
check "report: the vswitch one, with its cores" \
  'grep "<tr><td>vswitch</td><td class=\"n\">1</td>" "$tmp/both/report.html" | grep -qv "0.00</td></tr>"'
"$bin" report "$tmp/a" >/dev/null 2>>"$tmp/err"
check "report: no such table with one path" \
  '[ -s "$tmp/a/report.html" ] && ! grep -q "vswitch path</h2>" "$tmp/a/report.html"'

# 4. a host without VFs on a device it reaches: its reason
sed 's/^  - {host: .blade\[0-3\]., device: nic0, vfs: 8}$/  - {host: '"'"'blade[1-3]'"'"', device: nic0, vfs: 8}/' \
  "$topo" | grep -v 'host: blade0, device' >"$tmp/novf.yaml"
"$bin" check "$tmp/novf.yaml" >"$tmp/check2" 2>&1
check "no VFs: check names the reason" \
  'grep -q "^  blade0 on nic0: SR-IOV not in use (IovSupportReasons: no VFs of this device are assigned to the host)$" "$tmp/check2"'

# 5. the keys are in the JSON Schema
"$bin" schema >"$tmp/schema.json"
for k in cpu vswitch cycles_per_packet cycles_per_byte frequency acl path; do
  check "schema lists $k" 'grep -q "\"$k\"" "$tmp/schema.json"'
done
[ "$fail" -gt 0 ] && cat "$tmp/err"
finish

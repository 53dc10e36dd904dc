#!/bin/sh
# cli_diag.sh MRIOVSIM: the diagnostics a user sees (contract §13), from any directory: on a
# pipe one line per error or warning, on a pseudo-terminal (on_pty.py) each followed by its
# source line and a caret; suggestions for misspelt names (hosts in weights, list items in
# --set paths, command-line options); command-line values named as the user gave them, in
# their units; warnings on stderr from check and run with the exit status unchanged, and as
# kind "lint" in summary.json.
set -u
umask 022

: "${1:?usage: sh cli_diag.sh PATH_TO_MRIOVSIM}"
. "$(dirname "$0")/testlib.sh"
trap 'exit 130' INT TERM
pty="python3 $(dirname "$0")/on_pty.py"
qos=$(cd "$(dirname "$0")/.." && pwd)/topologies/nic-qos.yaml

# same NAME FILE TEXT: FILE holds exactly TEXT (and a final newline).
same() {
	printf '%s\n' "$3" >"$tmp/want"
	if diff -u "$tmp/want" "$2" >"$tmp/diff"; then ok; else bad "$1"; cat "$tmp/diff"; fi
}

cat >"$tmp/w.yaml" <<'Y'
name: w
hosts: [{name: blade0}, {name: blade1}, {name: blade2}, {name: blade3}]
switches: [{name: mra0, latency: 120ns}]
run: {duration: 1ms, warmup: 200us}
devices:
  - name: nic0
    arbitration: {policy: wrr, weights: {blade4: 2}}
links:
  - {a: blade0, b: mra0, gen: 4, width: 8}
  - {a: blade1, b: mra0, gen: 4, width: 8}
  - {a: blade2, b: mra0, gen: 4, width: 8}
  - {a: blade3, b: mra0, gen: 4, width: 8}
  - {a: mra0, b: nic0, gen: 4, width: 16}
Y
f=$tmp/w.yaml

# a host in weights: on a pipe, then on a terminal
"$bin" check "$f" >/dev/null 2>"$tmp/err"
check "unknown host in weights exits 2" '[ $? -eq 2 ]'
same "unknown host in weights, pipe" "$tmp/err" \
"$f:7:42: error: weights: no host named 'blade4'; did you mean 'blade0'?"
$pty "$bin" check "$f" >"$tmp/err"
check "unknown host in weights exits 2 on a terminal" '[ $? -eq 2 ]'
same "unknown host in weights, terminal" "$tmp/err" \
"$f:7:42: error: weights: no host named 'blade4'; did you mean 'blade0'?
      arbitration: {policy: wrr, weights: {blade4: 2}}
                                           ^"

# a list item in a --set path
ok_set="devices.nic0.arbitration.weights={blade0: 3}"
"$bin" check "$f" --set "$ok_set" --set links.mra0-nic.width=4 >/dev/null 2>"$tmp/err"
same "list item in --set, pipe" "$tmp/err" \
"command line:2:7: error: --set links.mra0-nic.width: no item 'mra0-nic' in links; did you mean 'mra0-nic0'?"
$pty "$bin" check "$f" --set "$ok_set" --set links.mra0-nic.width=4 >"$tmp/err"
same "list item in --set, terminal" "$tmp/err" \
"command line:2:7: error: --set links.mra0-nic.width: no item 'mra0-nic' in links; did you mean 'mra0-nic0'?
  links.mra0-nic.width=4
        ^"

# a command-line option
"$bin" run "$f" --durtion 10us >/dev/null 2>"$tmp/err"
check "misspelt option exits 2" '[ $? -eq 2 ]'
same "misspelt option" "$tmp/err" \
"mriovsim: run: unknown option '--durtion'; did you mean '--duration'?
Try 'mriovsim --help'."
"$bin" check "$f" --plaform x.xml >/dev/null 2>"$tmp/err"
same "misspelt check option" "$tmp/err" \
"mriovsim: check: unknown option '--plaform'; did you mean '--platform'?
Try 'mriovsim --help'."

# names given to options
"$bin" run "$qos" --only-workloads gw,rx9 --out "$tmp/r2" >/dev/null 2>"$tmp/err"
same "misspelt workload in --only-workloads" "$tmp/err" \
"mriovsim: run: --only-workloads: no workload named 'rx9' in nic-qos; did you mean 'rx1'?"
"$bin" capacity "$qos" --slo 'blade9:p99<50us' --out "$tmp/c" >/dev/null 2>"$tmp/err"
same "misspelt host in --slo" "$tmp/err" \
"mriovsim: capacity: --slo 'blade9:p99<50us': nic-qos has no host named 'blade9'; did you mean 'blade0'?"

# a command-line value against one in the file, in the user's units
"$bin" run "$f" --set "$ok_set" --duration 10us --out "$tmp/r0" >/dev/null 2>"$tmp/err"
check "duration shorter than the warmup exits 2" '[ $? -eq 2 ]'
same "duration shorter than the warmup, pipe" "$tmp/err" \
"command line:2:12: error: --duration 10us is shorter than the warmup 200us of $f:4:30"
$pty "$bin" run "$f" --set "$ok_set" --duration 10us --out "$tmp/r0" >"$tmp/err"
same "duration shorter than the warmup, terminal" "$tmp/err" \
"command line:2:12: error: --duration 10us is shorter than the warmup 200us of $f:4:30
  --duration=10us
             ^"
"$bin" run "$f" --set "$ok_set" --warmup 2ms --out "$tmp/r0" >/dev/null 2>"$tmp/err"
same "warmup not shorter than the duration" "$tmp/err" \
"command line:2:10: error: --warmup 2ms is not shorter than the duration 1ms of $f:4:17"

# warnings: stderr from check and run, exit 0, kind lint in summary.json
# slow RUNNER CMD ARGS...: CMD on the chassis with a 120 s switch latency (meant: 120ns) in
# a 100 us run; RUNNER is the program, or on_pty.py and the program (split on blanks)
slow() {
	runner=$1 cmd=$2
	shift 2
	# shellcheck disable=SC2086
	$runner "$cmd" "$f" --set "$ok_set" --set switches.mra0.latency=120 \
		--set run.duration=100us --set run.warmup=0 "$@"
}
warn="command line:2:23: warning: latency: 120 is 120 s (a bare number is seconds); did you mean 120ns?"
slow "$bin" check >/dev/null 2>"$tmp/err"
check "check with a warning exits 0" '[ $? -eq 0 ]'
same "check prints the warning" "$tmp/err" "$warn"
slow "$pty $bin" check >"$tmp/out"
check "check on a terminal shows the warning's source" \
	'grep -qx "  switches.mra0.latency=120" "$tmp/out" && grep -qx "                        ^" "$tmp/out"'
# a run with that switch: TLPs in flight when it ends, not a deadlock
slow "$bin" run --set 'assign=[{host: blade0, device: nic0, vfs: 1}]' \
	--set 'workloads=[{host: blade0, device: nic0, op: write, size: 1500B, rate: 10Gbps}]' \
	--out "$tmp/r1" --no-plots --quiet >/dev/null 2>"$tmp/err"
check "a 120 s switch latency runs to its end (exit 0)" '[ $? -eq 0 ]'
check "no deadlock verdict" '! grep -q deadlock "$tmp/err"'
check "run prints the warning first" '[ "$(head -1 "$tmp/err")" = "$warn" ]'
check "summary.json has it as kind lint" \
	'grep -q "\"kind\": \"lint\", \"subject\": \"command line:2:23\", \"message\": \"latency: 120 is 120 s" "$tmp/r1/summary.json"'

finish

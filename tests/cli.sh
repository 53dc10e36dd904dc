#!/bin/sh
# cli.sh MRIOVSIM: end-to-end tests of the command line (contract §2), run from tests/:
# --help, --version, check on every shipped chassis, bad command lines, --platform, SimGrid
# options. Prints every failed check and a final "N passed, N failed" line (testlib.sh);
# exits non-zero on failure. run, report and sweep are cli_run.sh's and cli_sweep.sh's.
set -u
umask 022

: "${1:?usage: sh cli.sh PATH_TO_MRIOVSIM}"
. "$(dirname "$0")/testlib.sh"
trap 'exit 130' INT TERM
out=$tmp/stdout
err=$tmp/stderr

# fail_run MESSAGE: a failure about the last run, shown with the start of its output.
fail_run() {
	bad "$1"
	if [ -s "$out" ]; then echo "  stdout:"; sed -n '1,5s/^/    /p' "$out"; fi
	if [ -s "$err" ]; then echo "  stderr:"; sed -n '1,5s/^/    /p' "$err"; fi
}

# run ARGS...: run the program, keeping its exit status in $rc.
run() {
	"$bin" "$@" >"$out" 2>"$err"
	rc=$?
}

# expect WHAT STATUS [stdout|nostdout] [stderr|nostderr]
expect() {
	what=$1 want=$2
	shift 2
	if [ "$rc" -ne "$want" ]; then
		fail_run "$what: exit status $rc, expected $want"
		return
	fi
	for cond in "$@"; do
		case $cond in
		stdout) [ -s "$out" ] || { fail_run "$what: nothing on stdout"; return; } ;;
		nostdout) [ ! -s "$out" ] || { fail_run "$what: stdout is not empty"; return; } ;;
		stderr) [ -s "$err" ] || { fail_run "$what: nothing on stderr"; return; } ;;
		nostderr) [ ! -s "$err" ] || { fail_run "$what: stderr is not empty"; return; } ;;
		esac
	done
	ok
}

# others_in DIR NAME: the names of the entries of DIR other than NAME, on one line.
others_in() {
	for p in "$1"/* "$1"/.[!.]*; do
		[ -e "$p" ] || continue
		[ "${p##*/}" = "$2" ] || printf '%s ' "${p##*/}"
	done
}

# Number of hosts in a topology file: the items of its top-level "hosts" list, written
# either as a block list or as a one-line flow list.
count_hosts() {
	# a host item with a fleet range [N-M] (contract §8) is M - N + 1 hosts
	awk '
	function hosts(line,  r, lo, hi) {
		if (!match(line, /\[[0-9]+-[0-9]+\]/)) return 1
		r = substr(line, RSTART + 1, RLENGTH - 2)
		split(r, b, "-")
		return b[2] - b[1] + 1
	}
	/^hosts:[ \t]*\[/ { n += gsub(/name:/, ""); next }
	/^hosts:/ { inside = 1; next }
	inside && /^[^ \t#]/ { inside = 0 }
	inside && /^[ \t]*-[ \t]/ { n += hosts($0) }
	END { print n + 0 }' "$1"
}

# --help, --version, missing and unknown commands

run --help
expect "--help" 0 stdout nostderr
if ! grep -q '^usage: mriovsim' "$out"; then bad "--help: no 'usage: mriovsim' line"; else ok; fi
for cmd in run check report sweep capacity interference; do
	if grep -q "mriovsim $cmd" "$out"; then ok; else bad "--help: does not mention '$cmd'"; fi
done

run --version
expect "--version" 0 stdout nostderr
if grep -Eq '^mriovsim [0-9]+\.[0-9]+\.[0-9]+$' "$out" && [ "$(wc -l <"$out")" -eq 1 ]; then
	ok
else
	bad "--version: expected one line 'mriovsim X.Y.Z'"
fi

run
expect "no command" 2 nostdout stderr

run frobnicate
expect "unknown command" 2 nostdout stderr
if grep -q frobnicate "$err"; then ok; else bad "unknown command: the message does not name it"; fi

# check on every shipped topology and every example of the contract

ntopo=0
for f in ../topologies/*.yaml ../../shared/spec/examples/*.yaml; do
	[ -f "$f" ] || continue # also skips the examples when they are absent
	ntopo=$((ntopo + 1))
	run check "$f"
	expect "check $f" 0 stdout nostderr
	hosts=$(count_hosts "$f")
	vhs=$(grep -c '^VH [0-9][0-9]*:' "$out")
	if [ "$hosts" -gt 0 ] && [ "$vhs" -eq "$hosts" ]; then
		ok
	else
		bad "check $f: $vhs 'VH N:' lines for $hosts hosts"
	fi
	i=1
	while [ "$i" -le "$hosts" ]; do
		grep -q "^VH $i:" "$out" || { bad "check $f: no line 'VH $i:'"; break; }
		i=$((i + 1))
	done
	[ "$i" -gt "$hosts" ] && ok
done
if [ "$ntopo" -gt 0 ]; then ok; else bad "no topology found in ../topologies"; fi

# check without TOPOLOGY: the built-in default chassis

run check
expect "check (default chassis)" 0 stdout nostderr
if grep -q '^VH 1:' "$out"; then ok; else bad "check (default chassis): no 'VH 1:' line"; fi

# bad command lines and files

run check --no-such-option ../topologies/blade8-mriov.yaml
expect "check with an unknown option" 2 nostdout stderr

run check ../topologies/blade8-mriov.yaml extra-argument
expect "check with two topologies" 2 nostdout stderr

run check "$tmp/does-not-exist.yaml"
expect "check of a missing file" 2 nostdout stderr
if grep -q 'cannot open' "$err"; then ok; else bad "check of a missing file: no 'cannot open' on stderr"; fi

run check --set
expect "check --set without PATH=VALUE" 2 nostdout stderr

# --platform FILE

mkdir "$tmp/plat"
run check ../topologies/blade8-mriov.yaml --platform "$tmp/plat/chassis.xml"
expect "check --platform" 0 stdout nostderr
xml=$tmp/plat/chassis.xml
if [ -s "$xml" ]; then
	ok
	if head -n 1 "$xml" | grep -q '^<?xml '; then ok; else bad "--platform: no XML declaration"; fi
	if grep -q '<platform' "$xml" && [ "$(grep -v '^[[:space:]]*$' "$xml" | tail -n 1)" = "</platform>" ]; then
		ok
	else
		bad "--platform: the file is not one <platform> element closed at its end"
	fi
	routes=$(grep -c '<route' "$xml")
	if [ "$routes" -gt 0 ]; then ok; else bad "--platform: no <route> element"; fi
	opened=$(grep -o '<route ' "$xml" | wc -l)
	closed=$(grep -o '</route>' "$xml" | wc -l)
	if [ "$opened" -eq "$closed" ]; then ok; else bad "--platform: $opened <route> but $closed </route>"; fi
	if command -v xmllint >/dev/null 2>&1; then
		if xmllint --noout --nonet "$xml" 2>"$err"; then ok; else bad "--platform: xmllint rejects the file"; fi
	fi
	# written through a temporary name, it still gets the mode of a newly created file
	# shellcheck disable=SC2012 # the mode string is all that is read
	mode=$(ls -l "$xml" | cut -c1-10)
	if [ "$mode" = "-rw-r--r--" ]; then ok; else bad "--platform: file mode $mode, expected -rw-r--r-- (umask 022)"; fi
else
	bad "--platform: $xml was not written"
fi
leftover=$(others_in "$tmp/plat" chassis.xml)
if [ -z "$leftover" ]; then ok; else bad "--platform: left behind: $leftover"; fi

# writing over an existing file replaces it whole
echo "old content" >"$xml"
run check ../topologies/blade8-mriov.yaml --platform "$xml"
expect "check --platform over an existing file" 0 stdout nostderr
if ! grep -q 'old content' "$xml" && grep -q '</platform>' "$xml"; then ok; else bad "--platform: existing file not replaced"; fi

run check ../topologies/blade8-mriov.yaml --platform "$tmp/no-such-dir/chassis.xml"
expect "check --platform into a missing directory" 1 stderr
if [ ! -e "$tmp/no-such-dir" ]; then ok; else bad "--platform into a missing directory created something"; fi

# --platform is not written when the topology is invalid
run check bad/link-gen-out-of-range.yaml --platform "$tmp/plat/invalid.xml"
expect "check --platform of an invalid topology" 2 nostdout stderr
if [ -z "$(others_in "$tmp/plat" chassis.xml)" ]; then ok; else bad "--platform of an invalid topology wrote a file"; fi

# SimGrid's --cfg= and --log= are accepted anywhere on the line

cfg=--cfg=network/model:CM02
log=--log=root.thres:critical
run "$cfg" "$log" check ../topologies/blade8-mriov.yaml
expect "check with --cfg/--log before the command" 0 stdout nostderr
run check "$cfg" ../topologies/blade8-mriov.yaml "$log"
expect "check with --cfg/--log around the topology" 0 stdout nostderr
run check ../topologies/blade8-mriov.yaml --set run.seed=3 "$log" "$cfg"
expect "check with --cfg/--log at the end" 0 stdout nostderr
run "$log" check "$cfg"
expect "check (default chassis) with --cfg/--log" 0 stdout nostderr

finish

#!/bin/sh
# run_bad.sh MRIOVSIM NAME: bad/NAME.yaml must be rejected with exit status 2, exactly the
# diagnostics of bad/NAME.err on stderr, and nothing on stdout. A first line
# "# args: ..." in the YAML adds command-line arguments (for --set cases).
set -u
bin=$1
name=$2
yaml=bad/$name.yaml
args=$(sed -n '1s/^# args: //p' "$yaml")
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
# shellcheck disable=SC2086
"$bin" check "$yaml" $args >"$out" 2>"$err"
rc=$?
fail=0
if [ "$rc" -ne 2 ]; then echo "exit status $rc, expected 2"; fail=1; fi
if [ -s "$out" ]; then echo "stdout is not empty:"; cat "$out"; fail=1; fi
if ! diff -u "bad/$name.err" "$err"; then echo "stderr differs from bad/$name.err"; fail=1; fi
exit $fail

# testlib.sh - shared by the shell tests: `. testlib.sh` after setting bin from $1.
# Gives tmp (removed on exit), ok and bad MESSAGE (count a check), check NAME EXPR (0 when it
# holds), and finish (prints "N passed, N failed" and fails when any check did).
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# check's status is the check's (a caller may stop at a failed one: `f || { finish; exit; }`)
check() {
  if eval "$2"; then ok; [ -z "${VERBOSE:-}" ] || echo "ok: $1"; else bad "$1"; return 1; fi
}
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}

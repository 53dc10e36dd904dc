#!/bin/sh
# install.sh MRIOVSIM BUILD_DIR: `cmake --install BUILD --prefix P` (contract §9) puts the
# program, its manual page, bash completion, the shipped topologies and the JSON Schema of
# topology files under P; the page
# renders without warnings and documents every command and option of --help; the
# completion parses and completes; the installed program runs the default chassis from
# another directory; cpack makes a .deb holding the same files.
set -u
. "$(dirname "$0")/testlib.sh"
build=$2
top=$(cd "$(dirname "$0")/.." && pwd)
p="$tmp/prefix"

cmake --install "$build" --prefix "$p" >"$tmp/install.log" 2>&1
check "cmake --install succeeds" '[ $? -eq 0 ]'
for f in bin/mriovsim share/man/man1/mriovsim.1 share/bash-completion/completions/mriovsim; do
  check "installs $f" '[ -s "$p/$f" ]'
done
check "the program is executable" '[ -x "$p/bin/mriovsim" ]'
n=0
for f in "$top"/topologies/*.yaml; do
  n=$((n + 1))
  check "installs topology $(basename "$f")" 'cmp -s "$f" "$p/share/mriovsim/topologies/$(basename "$f")"'
done
check "there are topologies" '[ "$n" -ge 6 ]'
"$p/bin/mriovsim" schema >"$tmp/schema.json"
check "installs the JSON Schema that mriovsim schema prints" \
  'cmp -s "$tmp/schema.json" "$p/share/mriovsim/mriovsim.schema.json"'

# the manual page: man-db renders it, groff has nothing to say, it knows the whole --help
MANWIDTH=80 man --warnings=all -l "$p/share/man/man1/mriovsim.1" >"$tmp/man.txt" 2>"$tmp/man.err"
check "man -l renders the page" '[ $? -eq 0 ] && grep -q "^SYNOPSIS" "$tmp/man.txt"'
check "groff gives no warnings" '[ ! -s "$tmp/man.err" ]'
"$p/bin/mriovsim" --help >"$tmp/help.txt"
for w in $(grep -o -- '--[a-z][a-z-]*' "$tmp/help.txt" | sort -u) \
    $(sed -n 's/^ *\(usage:\)\{0,1\} *mriovsim \([a-z][a-z]*\).*/\2/p' "$tmp/help.txt" | sort -u); do
  check "the page documents $w" 'grep -q -- "$w" "$tmp/man.txt"'
done

# bash completion: parses, completes commands, options and installed topologies
comp="$p/share/bash-completion/completions/mriovsim"
check "bash parses the completion" 'bash -n "$comp"'
complete_words() { # WORDS...: what the completion offers for the last word
  PATH="$p/bin:$PATH" bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
    _mriovsim; printf "%s\n" "${COMPREPLY[@]}"' sh "$comp" "$@"
}
check "completes commands" '[ "$(complete_words mriovsim r | sort | tr "\n" " ")" = "report run " ]'
check "completes run options" 'complete_words mriovsim run --tr | grep -qx -- --trace-window'
check "completes sweep options" 'complete_words mriovsim sweep --em | grep -qx -- --emit-jobs'
check "completes capacity options" 'complete_words mriovsim capacity --sl | grep -qx -- --slo'
check "completes --by values" '[ "$(complete_words mriovsim interference --by "" | sort | tr "\n" " ")" = "host workload " ]'
for c in $(sed -n 's/^ *\(usage:\)\{0,1\} *mriovsim \([a-z][a-z]*\).*/\2/p' "$tmp/help.txt"); do
  check "completes the command $c" 'complete_words mriovsim "" | grep -qx "$c"'
done
check "completes installed topologies" \
  'complete_words mriovsim run "" | grep -q "share/mriovsim/topologies/blade8-mriov.yaml$"'
mkdir -p "$tmp/here" && touch "$tmp/here/mine.yaml" "$tmp/here/notes.txt"
check "completes topology files here" \
  '(cd "$tmp/here" && complete_words mriovsim check m) | grep -qx mine.yaml'
check "offers no other files as topologies" \
  '! (cd "$tmp/here" && complete_words mriovsim check n) | grep -q notes.txt'

# the installed program, from another directory, on its default chassis and the topologies
mkdir -p "$tmp/elsewhere"
(cd "$tmp/elsewhere" && "$p/bin/mriovsim" run --duration 50us --warmup 5us --no-plots --quiet \
  >"$tmp/run.out" 2>"$tmp/run.err")
check "the installed program runs the default chassis elsewhere" \
  '[ $? -eq 0 ] && [ -s "$tmp/elsewhere/results/blade8-mriov/hosts.csv" ]'
for f in "$p"/share/mriovsim/topologies/*.yaml; do
  check "the installed $(basename "$f") is valid" '"$p/bin/mriovsim" check "$f" >/dev/null'
done

# a Debian package of the same files
if command -v cpack >/dev/null && command -v dpkg-deb >/dev/null; then
  (cd "$build" && cpack -G DEB -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1)
  check "cpack makes a .deb" '[ $? -eq 0 ] && ls "$tmp"/pkg/*.deb >/dev/null 2>&1'
  dpkg-deb -c "$tmp"/pkg/*.deb >"$tmp/deb.txt" 2>/dev/null
  for f in bin/mriovsim share/man/man1/mriovsim.1 share/bash-completion/completions/mriovsim \
           share/mriovsim/topologies/blade8-mriov.yaml share/mriovsim/mriovsim.schema.json; do
    check "the .deb holds $f" 'grep -q "/usr/$f\$" "$tmp/deb.txt"'
  done
  check "the .deb depends on SimGrid" 'dpkg-deb -f "$tmp"/pkg/*.deb Depends | grep -q simgrid'
else
  bad "cpack or dpkg-deb is missing (.ci/deps installs cmake and build-essential)"
fi
finish

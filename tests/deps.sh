#!/usr/bin/env bash
# deps.sh: every probe of grader/lib/deps.sh fails when its package is
# missing (a probe that passes anyway leaves a fresh machine without the
# package, and the README's first command broken).
#
# Usage: tests/deps.sh
#
# For each command the grader and the suite need, runs deps.sh in dry-run
# mode (DEPS_DRY_RUN=1: it prints "missing: PACKAGE..." and installs
# nothing) with a PATH of stand-ins for every probed command: with them
# all it must say nothing is missing (a probe that always fails is caught
# too), without one exactly that command's package. The list below must
# name every `want` of deps.sh. Then libc6-dev and tcl-dev (stdio.h and
# tcl.h, through the DEPS_INCLUDE_DIR seam) and tcllib: a tclsh that cannot find it,
# and no tclsh at all. Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$(mktemp -d /tmp/deps-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
part=deps
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"

# COMMAND PACKAGE MODE, as deps.sh probes them
probes="cc gcc grade
make make grade
valgrind valgrind grade
expect expect grade
unshare util-linux grade
ipcs util-linux grade
flock util-linux grade
timeout coreutils grade
strace strace grade
kill procps grade
unzip unzip grade
bwrap bubblewrap grade
patch patch test
shellcheck shellcheck test
clang-format clang-format test
file file test
pgrep procps test
zip zip test
python3 python3 test
python3 python3 mutants
patch patch mutants
unifdef unifdef test
unifdef unifdef starters
gnuplot gnuplot-nox bench"

# A folder for PATH with every command deps.sh may look for, but those
# named (the machine's own folders would give them back): what deps.sh runs
# itself is linked to the real command, each probed command is a stand-in
# (deps.sh only looks it up), so the machine need not have it.
fake_path() {
    local dir=$1 c
    shift
    rm -rf "$dir"
    mkdir -p "$dir"
    for c in bash sh sort id cat tclsh $(echo "$probes" | awk '{print $1}' | sort -u); do
        [[ " $* " == *" $c "* ]] && continue
        case $c in
            bash | sh | sort | id | cat | tclsh) ln -s "$(type -P "$c")" "$dir/$c" ;;
            *) printf '#!/bin/sh\nexit 0\n' >"$dir/$c" && chmod +x "$dir/$c" ;;
        esac
    done
    echo "$dir"
}

dry() { # dry MODE PATH: what deps.sh says is missing
    DEPS_DRY_RUN=1 PATH=$2 "$top/grader/lib/deps.sh" "$1" 2>&1
}

# The machine itself (after the suite's own install) lacks nothing but,
# perhaps, the benchmark's gnuplot
said=$(dry test "$PATH")
[ -z "$said" ]
result $? "nothing is missing here once installed (deps.sh test said: ${said:-nothing})"

# Every probe of deps.sh (want COMMAND PACKAGE) is in the list above, with
# its mode
: >"$scratch/unlisted"
while read -r cmd pkg; do
    grep -q "^$cmd $pkg " <<<"$probes" || echo "want $cmd $pkg" >>"$scratch/unlisted"
done < <(sed -n 's/^ *want \([^ ]*\) \([^ ]*\).*/\1 \2/p' "$top/grader/lib/deps.sh" | grep -v '^tclsh ')
[ ! -s "$scratch/unlisted" ]
result $? "the list of probes names every want of grader/lib/deps.sh" "$scratch/unlisted"

# With every command, nothing is missing in any mode
for mode in grade test starters mutants bench; do
    said=$(dry "$mode" "$(fake_path "$scratch/bin-all")")
    [ -z "$said" ]
    result $? "with every command there, deps.sh $mode installs nothing (it said: ${said:-nothing})"
done

while read -r cmd pkg mode; do
    said=$(dry "$mode" "$(fake_path "$scratch/bin-$cmd" "$cmd")")
    [ "$said" = "missing: $pkg" ]
    result $? "without $cmd, deps.sh $mode installs $pkg, nothing else (it said: ${said:-nothing})"
done <<<"$probes"

# libc6-dev and tcl-dev: deps.sh looks for stdio.h and tcl.h (where, a
# seam: DEPS_INCLUDE_DIR)
mkdir -p "$scratch/include/tcl8.6" "$scratch/no-stdio/tcl8.6" "$scratch/no-tcl"
: >"$scratch/include/stdio.h"
: >"$scratch/include/tcl8.6/tcl.h"
: >"$scratch/no-stdio/tcl8.6/tcl.h"
: >"$scratch/no-tcl/stdio.h"
said=$(DEPS_INCLUDE_DIR=$scratch/no-stdio dry grade "$(fake_path "$scratch/bin-all")")
[ "$said" = "missing: libc6-dev" ]
result $? "without stdio.h, deps.sh installs libc6-dev, nothing else (it said: ${said:-nothing})"
said=$(DEPS_INCLUDE_DIR=$scratch/no-tcl dry grade "$(fake_path "$scratch/bin-all")")
[ "$said" = "missing: tcl-dev" ]
result $? "without tcl.h, deps.sh installs tcl-dev, nothing else (it said: ${said:-nothing})"
said=$(DEPS_INCLUDE_DIR=$scratch/include dry grade "$(fake_path "$scratch/bin-all")")
[ -z "$said" ]
result $? "with stdio.h and tcl.h there, deps.sh installs nothing (it said: ${said:-nothing})"

# tcllib: a tclsh that cannot find it (its packages' folders out of reach)
dir=$(fake_path "$scratch/bin-tcllib" tclsh)
real=$(type -P tclsh)
printf '#!/bin/sh\n{ echo "set auto_path {}; set tcl_pkgPath {}"; cat; } | %s "$@"\n' "$real" >"$dir/tclsh"
chmod +x "$dir/tclsh"
said=$(dry grade "$dir")
[ "$said" = "missing: tcllib" ]
result $? "with Tcl but without tcllib, deps.sh installs tcllib (it said: ${said:-nothing})"

# no tclsh at all: both
said=$(dry grade "$(fake_path "$scratch/bin-tcl" tclsh)")
[ "$said" = "missing: tcl tcllib" ]
result $? "without tclsh, deps.sh installs tcl and tcllib (it said: ${said:-nothing})"

summary

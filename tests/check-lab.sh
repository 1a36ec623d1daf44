#!/usr/bin/env bash
# check-lab.sh: prove the grader on one lab.
#
# Usage: tests/check-lab.sh LAB
#
# For lab LAB: the solution builds with -Werror and gets full marks (under
# valgrind, and again under AddressSanitizer+UBSan); the untouched starter
# fails exactly the tests listed in tests/expected/labLAB-starter.fails; and
# each broken copy of the solution (tests/fixtures/labLAB/NAME.patch) fails
# exactly the tests listed in NAME.fails (a line "? TEST" there: TEST may
# pass or fail, its outcome left to a race in the broken code). Prints one "ok"/"FAIL" line per
# check and ends with "N passed, N failed"; exit status 1 on any failure.
set -u
lab=${1:?usage: tests/check-lab.sh LAB}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$(mktemp -d "/tmp/check-lab$lab.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
passed=0
failed=0

# Checks run in parallel (GRADER_JOBS, default the number of cores); each
# writes its verdict to a file, and the verdicts are printed in order at the end.
jobs=${GRADER_JOBS:-$(nproc)}
mkdir -p "$scratch/verdicts"
seq=0
ok() { echo "ok   lab$lab $1" >"$verdict"; }
bad() {
    {
        echo "FAIL lab$lab $1"
        [ -n "${2:-}" ] && sed 's/^/       /' "$2" | head -60
    } >"$verdict"
}
# spawn CHECK ARGS...: run a check in the background, at most $jobs at once.
spawn() {
    seq=$((seq + 1))
    verdict=$(printf '%s/verdicts/%03d' "$scratch" "$seq")
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    "$@" &
}

# The names of the tests that failed in a results.json, one per line, sorted.
failing() {
    tclsh <<TCL
package require json
set f [open {$1}]
set doc [json::json2dict [read \$f]]
close \$f
foreach t [lsort -index 1 [lmap t [dict get \$doc tests] {list x [dict get \$t name] [dict get \$t status]}]] {
    if {[lindex \$t 2] ne "passed"} { puts [lindex \$t 1] }
}
TCL
}

# expect_failures NAME DIR EXPECTED-FILE [grade options]
expect_failures() {
    local name=$1 dir=$2 expected=$3
    shift 3
    local out="$scratch/$name"
    mkdir -p "$out"
    "$top/grader/grade" "$lab" "$dir" --no-explain --out "$out/grade" --json "$out/results.json" "$@" >"$out/report" 2>&1
    local rc=$?
    if [ ! -s "$out/results.json" ]; then
        bad "$name: the grader wrote no results.json (exit $rc)" "$out/report"
        return
    fi
    # A line "? TEST" names a test whose outcome the broken copy leaves to a
    # race (say, a hang that happens only sometimes): it may pass or fail.
    sed -n 's/^? *//p' "$expected" | sort >"$out/either"
    failing "$out/results.json" | grep -vxFf "$out/either" >"$out/got"
    grep -v '^[#?]' "$expected" | sed '/^[[:space:]]*$/d' | sort >"$out/want"
    if diff -u "$out/want" "$out/got" >"$out/diff"; then
        ok "$name: fails exactly $(wc -l <"$out/want") test(s) as expected (grader exit $rc)"
    else
        { echo "--- tests that should fail / +++ tests that did fail"; cat "$out/diff"; echo; cat "$out/report"; } >"$out/why"
        bad "$name" "$out/why"
    fi
}

# 1. The solution compiles with the strict flags.
sol="$top/solutions/lab$lab"
seq=$((seq + 1))
verdict=$(printf '%s/verdicts/%03d' "$scratch" "$seq")
# (in a copy: the repository is never written to while the suite runs; the
# attacks, running beside this part, check that nothing in it changes)
cp -r "$sol" "$scratch/build"
if make -s -C "$scratch/build" clean all CFLAGS="-std=c11 -Wall -Wextra -Werror -g" >"$scratch/make.log" 2>&1; then
    ok "solution builds with -Wall -Wextra -Werror"
else
    bad "solution builds with -Wall -Wextra -Werror" "$scratch/make.log"
fi
rm -rf "$scratch/build"

# 2. Full marks for the solution, under valgrind and under the sanitizers.
: >"$scratch/none"
spawn expect_failures "solution (valgrind)" "$sol" "$scratch/none"
spawn expect_failures "solution (ASan+UBSan)" "$sol" "$scratch/none" --sanitize

# 3. The untouched starter fails what it should and nothing else.
spawn expect_failures "starter" "$top/labs/lab$lab" "$top/tests/expected/lab$lab-starter.fails"

# 4. Each broken copy of the solution loses exactly its tests.
for patch in "$top"/tests/fixtures/lab"$lab"/*.patch; do
    [ -e "$patch" ] || continue
    name=$(basename "$patch" .patch)
    copy="$scratch/src-$name"
    cp -r "$sol" "$copy"
    if ! patch -s -p1 -d "$copy" <"$patch" >"$scratch/patch-$name.log" 2>&1; then
        seq=$((seq + 1))
        verdict=$(printf '%s/verdicts/%03d' "$scratch" "$seq")
        bad "fixture $name: the patch does not apply" "$scratch/patch-$name.log"
        continue
    fi
    # (with its own copies of the files the lab gives complete: a fixture
    # may break those to prove the tests of them; a student's are not graded)
    spawn expect_failures "fixture $name" "$copy" "${patch%.patch}.fails" --given "$copy"
done

wait

# 5. The untouched starter earns at most a tenth of the lab's points (the
# usage line and a clean compile, which the starter gives): the rest is the
# student's work.
seq=$((seq + 1))
verdict=$(printf '%s/verdicts/%03d' "$scratch" "$seq")
if [ -s "$scratch/starter/results.json" ]; then
    read -r got max < <(tclsh <<TCL
package require json
set f [open {$scratch/starter/results.json}]
set doc [json::json2dict [read \$f]]
close \$f
set got 0; set max 0
foreach t [dict get \$doc tests] { set got [expr {\$got + [dict get \$t score]}]; set max [expr {\$max + [dict get \$t max_score]}] }
puts "[expr {int(\$got)}] [expr {int(\$max)}]"
TCL
    )
    what="starter: earns $got of $max points untouched ($(awk -v g="$got" -v m="$max" 'BEGIN { printf "%.1f", 100 * g / m }')%), at most 10%"
    if [ "$max" -gt 0 ] && [ $((10 * got)) -le "$max" ]; then ok "$what"; else bad "$what"; fi
else
    bad "starter: no results.json to count its points"
fi

for v in "$scratch"/verdicts/*; do
    cat "$v"
    case $(head -c 2 "$v") in
        ok) passed=$((passed + 1)) ;;
        *) failed=$((failed + 1)) ;;
    esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

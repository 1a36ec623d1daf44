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
# pass or fail, its outcome left to a race in the broken code). Each grade
# must run every test of `grade LAB --list`, exit 0 or 1 as its results
# say, and never report the grader itself failed; each list must name
# tests of the lab, and have its patch; the
# untouched starter earns at most a tenth of the points. Prints one
# "ok"/"FAIL" line per check (tests/lib.sh) and ends with "N passed, N
# failed"; exit status 1 on any failure.
set -u
lab=${1:?usage: tests/check-lab.sh LAB}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$(mktemp -d "/tmp/check-lab$lab.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
part=lab$lab
detail_lines=60
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"

# Checks run in parallel (GRADER_JOBS, default the number of cores); each
# writes its verdict to a file ("STATUS<tab>DESCRIPTION", the details beside
# it), and the verdicts are counted in order at the end: a check that wrote
# none fails.
jobs=${GRADER_JOBS:-$(nproc)}
mkdir -p "$scratch/verdicts"
checks=0
# next: the verdict file of the next check
next() {
    checks=$((checks + 1))
    verdict=$(printf '%s/verdicts/%03d' "$scratch" "$checks")
}
ok() { printf '0\t%s\n' "$1" >"$verdict"; }
bad() {
    [ -n "${2:-}" ] && cp "$2" "$verdict.why"
    printf '1\t%s\n' "$1" >"$verdict"
}
# spawn CHECK ARGS...: run a check in the background, at most $jobs at once.
spawn() {
    next
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    "$@" &
}

# Every test of the lab, sorted: what each results.json must hold
"$top/grader/grade" "$lab" --list >"$scratch/list.out" 2>&1
list_rc=$?
awk 'NF >= 2 && $2 ~ /^[0-9]+$/ { print $1 }' "$scratch/list.out" | sort >"$scratch/tests"

# NAME STATUS of every test in a results.json, one per line, sorted by name.
statuses() {
    tclsh <<TCL
package require json
set f [open {$1}]
set doc [json::json2dict [read \$f]]
close \$f
foreach t [lsort -index 0 [lmap t [dict get \$doc tests] {list [dict get \$t name] [dict get \$t status]}]] {
    puts [join \$t " "]
}
TCL
}

# expect_failures NAME DIR EXPECTED-FILE [grade options]
expect_failures() {
    local name=$1 dir=$2 expected=$3
    shift 3
    local out="$scratch/$name"
    mkdir -p "$out"
    if [ ! -f "$expected" ]; then
        echo "no list of the tests it must fail: $expected" >"$out/why"
        bad "$name" "$out/why"
        return
    fi
    "$top/grader/grade" "$lab" "$dir" --no-explain --out "$out/grade" --json "$out/results.json" "$@" >"$out/report" 2>&1
    local rc=$?
    if [ ! -s "$out/results.json" ]; then
        bad "$name: the grader wrote no results.json (exit $rc)" "$out/report"
        return
    fi
    if ! statuses "$out/results.json" >"$out/statuses" 2>&1; then
        bad "$name: its results.json cannot be read" "$out/statuses"
        return
    fi
    # Every test ran (a grader that could not run writes a results.json
    # without tests: no test fails there), and the exit status agrees
    : >"$out/why"
    cut -d' ' -f1 "$out/statuses" | sort | diff -u "$scratch/tests" - >"$out/ran" ||
        { echo "--- the lab's tests (grade --list) / +++ the tests in results.json"; cat "$out/ran"; } >>"$out/why"
    [ -s "$scratch/tests" ] || echo "grade $lab --list named no test (exit $list_rc)" >>"$out/why"
    # whatever the submission does, the grader does not fail itself
    grep -m3 'the grader itself failed' "$out/report" >>"$out/why"
    case $rc:$(grep -cv ' passed$' "$out/statuses") in
        0:0 | 1:[1-9]*) ;;
        *) echo "grader exit $rc with $(grep -cv ' passed$' "$out/statuses") failed test(s) (0 when all pass, 1 when some fail)" >>"$out/why" ;;
    esac
    # A line "? TEST" names a test whose outcome the broken copy leaves to a
    # race (say, a hang that happens only sometimes): it may pass or fail.
    sed -n 's/^? *//p' "$expected" | sort >"$out/either"
    grep -v ' passed$' "$out/statuses" | cut -d' ' -f1 | grep -vxFf "$out/either" | sort >"$out/got"
    grep -v '^[#?]' "$expected" | sed '/^[[:space:]]*$/d' | sort >"$out/want"
    # every test the list names (either way) is one of the lab's
    sort -u "$out/want" "$out/either" | grep -vxFf "$scratch/tests" | sed "s/^/$(basename "$expected") names no test of the lab: /" >>"$out/why"
    if ! diff -u "$out/want" "$out/got" >"$out/diff"; then
        { echo "--- tests that should fail / +++ tests that did fail"; cat "$out/diff"; } >>"$out/why"
    fi
    if [ ! -s "$out/why" ]; then
        ok "$name: fails exactly $(wc -l <"$out/want") test(s) as expected (grader exit $rc)"
    else
        { echo; cat "$out/report"; } >>"$out/why"
        bad "$name" "$out/why"
    fi
}

# 1. The solution compiles with the strict flags.
sol="$top/solutions/lab$lab"
next
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
        next
        bad "fixture $name: the patch does not apply" "$scratch/patch-$name.log"
        continue
    fi
    # (with its own copies of the files the lab gives complete: a fixture
    # may break those to prove the tests of them; a student's are not graded)
    spawn expect_failures "fixture $name" "$copy" "${patch%.patch}.fails" --given "$copy"
done
# (a list without its patch is a fixture that never runs)
next
: >"$scratch/orphans"
for fails in "$top"/tests/fixtures/lab"$lab"/*.fails; do
    [ -e "$fails" ] && [ ! -e "${fails%.fails}.patch" ] && echo "${fails#"$top"/} has no .patch" >>"$scratch/orphans"
done
if [ -s "$scratch/orphans" ]; then bad "fixtures: every .fails has its .patch" "$scratch/orphans"; else ok "fixtures: every .fails has its .patch"; fi

wait

# 5. The untouched starter earns at most a tenth of the lab's points (the
# usage line and a clean compile, which the starter gives): the rest is the
# student's work.
# (the lab's points from grade --list, not from the results.json: a
# results.json short of tests would lower the bar)
next
max=$(awk 'NF >= 2 && $2 ~ /^[0-9]+$/ { m += $2 } END { print m + 0 }' "$scratch/list.out")
got=""
[ -s "$scratch/starter/results.json" ] && got=$(tclsh <<TCL
package require json
set f [open {$scratch/starter/results.json}]
set doc [json::json2dict [read \$f]]
close \$f
puts [tcl::mathop::+ 0 {*}[lmap t [dict get \$doc tests] { dict get \$t score }]]
TCL
)
if [[ $got =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
    what="starter: earns $got of $max points untouched ($(awk -v g="$got" -v m="$max" 'BEGIN { printf "%.1f", m ? 100 * g / m : 0 }')%), at most 10%"
    if awk -v g="$got" -v m="$max" 'BEGIN { exit !(m > 0 && 10 * g <= m) }'; then ok "$what"; else bad "$what"; fi
else
    bad "starter: no points to count in its results.json (\"$got\")"
fi

for n in $(seq 1 "$checks"); do
    v=$(printf '%s/verdicts/%03d' "$scratch" "$n")
    if [ -s "$v" ]; then
        IFS=$'\t' read -r status what <"$v"
        if [ -e "$v.why" ]; then result "$status" "$what" "$v.why"; else result "$status" "$what"; fi
    else
        result 1 "check $n wrote no verdict"
    fi
done
summary

#!/usr/bin/env bash
# unit.sh: the grader library's unit tests (tests/unit/*.test, tcltest).
#
# Usage: tests/unit.sh
#
# Each .test file runs in an interpreter of its own (tcltest's `test` is not
# the grader library's), fed recorded and damaged inputs: valgrind's XML,
# strace's records, programs' files (hang.tcl), verdicts (result.tcl). One
# ok/FAIL line per test case (a skipped case fails), one per file: it ran
# to its end, exit status 0, with the cases counted here; then "N passed,
# N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
part=unit
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
scratch=$(mktemp -d /tmp/unit.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

for t in "$top"/tests/unit/*.test; do
    name=$(basename "$t")
    part="unit ${name%.test}"
    out="$scratch/$name.out"
    (cd "$scratch" && tclsh "$t" -verbose pes -tmpdir "$scratch") >"$out" 2>&1
    rc=$?
    passes=0
    fails=0
    while IFS= read -r line; do
        case $line in
            "++++ "*" PASSED") result 0 "${line:5:${#line}-12}"; passes=$((passes + 1)) ;;
            "++++ "*" SKIPPED: "*) # a case that did not run is not a pass
                echo "$line" >"$scratch/why"
                result 1 "${line#++++ }" "$scratch/why"
                ;;
        esac
    done <"$out"
    # a failed case: its whole block (contents, result, expected)
    while IFS= read -r case; do
        sed -n "/^==== $case .*FAILED\$/,/^==== $case FAILED\$/p" "$out" >"$scratch/why"
        result 1 "$case" "$scratch/why"
        fails=$((fails + 1))
    done < <(sed -n 's/^==== \([^ ]*\) FAILED$/\1/p' "$out") # (the closing line of each failed case)
    # The file ran to its end, without an error, and tcltest's own count
    # (its last line "FILE: Total N Passed P Skipped S Failed F") is what
    # was seen: a load error, an error after the cases or a case seen
    # neither passing nor failing is a failure
    read -r total p s f < <(sed -n "s/^$name:\tTotal\t\([0-9]*\)\tPassed\t\([0-9]*\)\tSkipped\t\([0-9]*\)\tFailed\t\([0-9]*\)\$/\1 \2 \3 \4/p" "$out")
    [ "$rc" -eq 0 ] && [ -n "${total:-}" ] && [ "$total" -gt 0 ] && [ "$s" -eq 0 ] &&
        [ "$p" -eq "$passes" ] && [ "$f" -eq "$fails" ] && [ "$total" -eq $((passes + fails)) ]
    result $? "$name ran to its end: exit $rc, tcltest counted ${total:-no} case(s), $passes passed and $fails failed here" "$out"
done
summary

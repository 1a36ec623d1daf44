#!/usr/bin/env bash
# unit.sh: the grader library's unit tests (tests/unit/*.test, tcltest).
#
# Usage: tests/unit.sh
#
# Each .test file runs in an interpreter of its own (tcltest's `test` is not
# the grader library's), fed recorded and damaged inputs: valgrind's XML,
# strace's records, programs' files (hang.tcl), verdicts (result.tcl).
# One ok/FAIL line per test case; then "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
part=unit
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
scratch=$(mktemp -d /tmp/unit.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

for t in "$top"/tests/unit/*.test; do
    part="unit $(basename "$t" .test)"
    out="$scratch/$(basename "$t").out"
    (cd "$scratch" && tclsh "$t" -verbose pe -tmpdir "$scratch") >"$out" 2>&1
    seen=0
    while read -r mark name status; do
        [ "$mark" = "++++" ] && [ "$status" = PASSED ] && { result 0 "$name"; seen=$((seen + 1)); }
    done <"$out"
    # a failed case: its whole block (contents, result, expected)
    while read -r name; do
        sed -n "/^==== $name .*FAILED\$/,/^==== $name FAILED\$/p" "$out" >"$scratch/why"
        result 1 "$name" "$scratch/why"
        seen=$((seen + 1))
    done < <(sed -n 's/^==== \([^ ]*\) FAILED$/\1/p' "$out")
    # a file that did not run to its summary (an error while loading it)
    if ! grep -q "Total" "$out" || [ "$seen" -eq 0 ]; then
        result 1 "$(basename "$t") ran to its end" "$out"
    fi
done
summary

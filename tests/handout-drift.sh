#!/usr/bin/env bash
# handout-drift.sh: the handouts and the tests must not drift apart.
#
# Usage: tests/handout-drift.sh
#
# Every fixed piece of output a lab's tests demand (the literal text of a
# `line`, `prompt` or `set ask` in grader/labN.exp, up to its first variable)
# must appear in handouts/labN.md, so that no student is graded on a string
# the handout never showed; and every handout section a hint cites must
# exist. Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
passed=0
failed=0
for exp in "$top"/grader/lab*.exp; do
    n=$(basename "$exp" .exp)
    handout="$top/handouts/$n.md"
    if ! missing=$(tclsh "$top/tests/handout-drift.tcl" "$exp" "$handout" 2>&1); then
        echo "FAIL drift: $n: the check itself failed: $missing"
        failed=$((failed + 1))
        continue
    fi
    if [ -z "$missing" ]; then
        echo "ok   drift: $n's handout shows every line its tests demand and has every section its hints cite"
        passed=$((passed + 1))
    else
        echo "FAIL drift: $n: the handout lacks:"
        while IFS= read -r m; do echo "       $m"; done <<<"$missing"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# handout-drift.sh: the handouts and the tests must not drift apart.
#
# Usage: tests/handout-drift.sh
#
# Every fixed piece of output a lab's tests demand (the literal text of a
# `line`, `prompt` or `set ask` in grader/labN.exp, up to its first variable)
# must appear in handouts/labN.md, so that no student is graded on a string
# the handout never showed; every handout section a hint cites must exist;
# the handout's points table must list exactly the tests and points of
# `grader/grade N --list` (and a "N points in all" their sum); and every
# data file it names (data/FILE, a default `./FILE.txt`, a FILE.txt an
# example command reads and the handout does not make) must be in data/.
# Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
passed=0
failed=0
listing=$(mktemp)
trap 'rm -f "$listing"' EXIT
for exp in "$top"/grader/lab*.exp; do
    n=$(basename "$exp" .exp)
    handout="$top/handouts/$n.md"
    if ! "$top/grader/grade" "${n#lab}" --list >"$listing" 2>&1; then
        echo "FAIL drift: $n: grader/grade ${n#lab} --list failed: $(head -3 "$listing")"
        failed=$((failed + 1))
        continue
    fi
    if ! missing=$(tclsh "$top/tests/handout-drift.tcl" "$exp" "$handout" "$listing" "$top/data" 2>&1); then
        echo "FAIL drift: $n: the check itself failed: $missing"
        failed=$((failed + 1))
        continue
    fi
    if [ -z "$missing" ]; then
        echo "ok   drift: $n's handout shows every line its tests demand, has every section its hints cite, the grader's points and its data files"
        passed=$((passed + 1))
    else
        echo "FAIL drift: $n: the handout lacks:"
        while IFS= read -r m; do echo "       $m"; done <<<"$missing"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# handout-drift.sh: the handouts and the tests must not drift apart.
#
# Usage: tests/handout-drift.sh
#
# Every fixed piece of output a lab's tests demand (the literal text of a
# `line`, `prompt` or `set ask` in grader/labN.exp, and each string of a
# `lines` list, when it has no variable) must appear in handouts/labN.md, so
# that no student is graded on a string the handout never showed; every
# handout section a hint cites must exist; the handout must have a points
# table listing exactly the tests and points of `grader/grade N --list`, and
# a "N points in all" their sum; and every data file it names (data/FILE, a
# default `./FILE.txt`, a FILE.txt an example command reads and the handout
# does not make) must be in data/. A lab in which no literal output or no
# cited section is found fails (nothing compared is no proof).
# Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
part=drift
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
listing=$(mktemp)
trap 'rm -f "$listing" "$listing.why"' EXIT
for exp in "$top"/grader/lab*.exp; do
    n=$(basename "$exp" .exp)
    handout="$top/handouts/$n.md"
    if ! "$top/grader/grade" "${n#lab}" --list >"$listing" 2>&1; then
        head -3 "$listing" >"$listing.why"
        result 1 "$n: grader/grade ${n#lab} --list failed" "$listing.why"
        continue
    fi
    if ! missing=$(tclsh "$top/tests/handout-drift.tcl" "$exp" "$handout" "$listing" "$top/data" 2>&1); then
        echo "$missing" >"$listing.why"
        result 1 "$n: the check itself failed" "$listing.why"
        continue
    fi
    if [ -z "$missing" ]; then
        result 0 "$n's handout shows every line its tests demand, has every section its hints cite, the grader's points and its data files"
    else
        echo "$missing" >"$listing.why"
        result 1 "$n: the handout lacks:" "$listing.why"
    fi
done
summary

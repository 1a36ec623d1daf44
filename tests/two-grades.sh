#!/usr/bin/env bash
# two-grades.sh: two grades at once in one checkout, each with its own verdict.
#
# Usage: tests/two-grades.sh
#
# A student's two terminals, an instructor's script grading students side by
# side: two grader/grade runs of lab 1 at the same time, of the reference and
# of a broken copy (tests/fixtures/lab1/wrong-line.patch, which loses
# send-lecture-data), on a few tests. Into two --out folders they run side by
# side, building the helper cache together; into the default folder the
# second waits for the first. Each must get its own verdict and say nothing
# on stderr but that it waited; the transcripts its report names stay its
# own (until a later grade into the same folder replaces them, as a second
# grade in a row always has).
# Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$(mktemp -d /tmp/two-grades.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
part=two-grades
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"

# A checkout of its own (the grader, the data, the reference): its
# grade-out and helper cache start empty, and are this test's alone
# whatever else the suite grades meanwhile.
repo="$scratch/repo"
mkdir -p "$repo/solutions"
cp -R "$top/grader" "$top/data" "$repo/"
cp -R "$top/solutions/lab1" "$repo/solutions/"
grade="$repo/grader/grade"
cd "$repo" || exit 2 # (the reports' paths as a student sees them: grade-out/lab1/...)
good="$top/solutions/lab1"
bad="$scratch/wrong-line"
cp -R "$good" "$bad"
patch -s -d "$bad" -p1 <"$top/tests/fixtures/lab1/wrong-line.patch" || exit 2
tests=(-t send-lecture-data -t missing-queue)

# start NAME DIR [OPTION...]: grade DIR in the background, as NAME
start() {
    local name=$1 dir=$2
    shift 2
    (
        "$grade" 1 "$dir" "${tests[@]}" "$@" >"$scratch/$name.out" 2>"$scratch/$name.err"
        echo $? >"$scratch/$name.rc"
    ) &
}

# started NAME: wait (at most 60 s) until NAME has the default folder's
# lock (its pid is in it), or has begun its tests
started() {
    for _ in $(seq 600); do
        [ -s grade-out/lab1/.lock ] && return 0
        grep -q '^Grading lab 1' "$scratch/$1.out" 2>/dev/null && return 0
        [ -e "$scratch/$1.rc" ] && return 1
        sleep 0.1
    done
    return 1
}

# verdict NAME good|bad [LOGS]: NAME's exit status, verdicts, score and
# stderr are those of its own submission; the transcripts its report names
# are there, and LOGS (its transcripts' folder, unless a later grade into
# the same folder has replaced them since) holds one per test, its own
# (only wrong-line's send-lecture-data shows the wrong line).
verdict() {
    local name=$1 kind=$2 logs=${3:-} want_rc=0 want_score=15/15 want_fail="" t shows
    if [ "$kind" = bad ]; then
        want_rc=1 want_score=5/15 want_fail="send-lecture-data"
    fi
    {
        [ "$(cat "$scratch/$name.rc")" = "$want_rc" ] ||
            echo "exit status $(cat "$scratch/$name.rc"), expected $want_rc"
        grep -q "^Score: $want_score\$" "$scratch/$name.out" || echo "expected Score: $want_score"
        [ "$(sed -n 's/^  FAIL  \([^ ]*\) .*/\1/p' "$scratch/$name.out" | paste -sd' ')" = "$want_fail" ] ||
            echo "expected to fail: ${want_fail:-nothing}"
        [ "$(grep -c '^  \(PASS\|FAIL\)  ' "$scratch/$name.out")" -eq 2 ] || echo "expected 2 verdicts"
        grep -v '^waiting for another grade of lab 1 in .* (pid [0-9]*)$' "$scratch/$name.err" |
            sed 's/^/stderr: /'
        if [ -n "$logs" ]; then
            for t in send-lecture-data missing-queue; do
                [ -f "$logs/$t.log" ] || echo "no transcript $logs/$t.log"
            done
            shows=good
            grep -q 'number of messages sent' "$logs/send-lecture-data.log" 2>/dev/null && shows=bad
            [ "$shows" = "$kind" ] || echo "$logs/send-lecture-data.log is not this grade's"
            sed -n 's/^        transcript: //p' "$scratch/$name.out" | while read -r f; do
                [ -f "$f" ] || echo "the report names $f, which is not there"
            done
        fi
    } >"$scratch/$name.why" 2>&1
    [ ! -s "$scratch/$name.why" ] || { cat "$scratch/$name.out"; return 1; } >>"$scratch/$name.why"
}

# 1. Two --out folders, started together (the helper cache is built by both)
start out-good "$good" --out "$scratch/out-good"
start out-bad "$bad" --out "$scratch/out-bad"
wait
verdict out-good good "$scratch/out-good/logs"
result $? "--out folders side by side: the reference gets full marks" "$scratch/out-good.why"
verdict out-bad bad "$scratch/out-bad/logs"
result $? "--out folders side by side: the broken copy loses send-lecture-data alone" "$scratch/out-bad.why"
cat "$scratch/out-good.err" "$scratch/out-bad.err" >"$scratch/waited"
# (two grades that never ran waited for nothing either: both must have graded)
grep -q '^Score: ' "$scratch/out-good.out" && grep -q '^Score: ' "$scratch/out-bad.out" &&
    ! grep -q 'waiting for another grade' "$scratch/waited"
result $? "--out folders side by side: neither waits for the other" "$scratch/waited"
# (one folder, helpers-KEY, with a program per helper source in it; one
# symbols-KEY, a copy of the debugging information's folder where it and
# strip are there; one fingerprint-KEY; one tclsys-KEY: nothing half-built
# beside them, no other copy moved into them)
{
    echo helpers-KEY
    for c in "$repo"/grader/lib/qtool.c "$repo"/grader/lib/confine.c "$repo"/grader/helpers/*.c; do
        echo "helpers-KEY/$(basename "$c" .c)"
    done
    if [ -n "$(find /usr/lib/debug/.build-id -mindepth 2 -maxdepth 2 -type f -name '*.debug' 2>/dev/null | head -1)" ] &&
        command -v strip >/dev/null; then
        echo symbols-KEY
        (cd /usr/lib/debug/.build-id && find . -mindepth 1 -printf 'symbols-KEY/%P\n')
    fi
    printf '%s\n' fingerprint-KEY fingerprint-KEY/line tclsys-KEY tclsys-KEY/tclsys.so
} | LC_ALL=C sort >"$scratch/cache.want"
(cd "$repo/grade-out/.cache" && find . -mindepth 1 -printf '%P\n') |
    sed -E 's#^(helpers|symbols|fingerprint|tclsys)-[0-9]+#\1-KEY#' | LC_ALL=C sort >"$scratch/cache.have"
diff "$scratch/cache.want" "$scratch/cache.have" >"$scratch/cache"
result $? "the grader's cache both grades filled holds one finished copy of each entry, and nothing else" "$scratch/cache"

# 2. The default folder: the second waits for the first (it starts once the
# first holds the folder), then grades; the transcripts left are its own.
start default-bad "$bad"
started default-bad
start default-good "$good"
wait
verdict default-bad bad
result $? "one default folder: the first (a broken copy) loses send-lecture-data alone" "$scratch/default-bad.why"
verdict default-good good grade-out/lab1/logs
result $? "one default folder: the second (the reference) gets full marks, and its transcripts stay" "$scratch/default-good.why"
grep -q "^waiting for another grade of lab 1 in .*grade-out/lab1 (pid [0-9]*)" "$scratch/default-good.err"
result $? "one default folder: the second says it waits for the first" "$scratch/default-good.err"

summary

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
# second waits for the first. Each must get its own verdict, say nothing
# on stderr but that it waited, and keep the transcripts its report names.
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
tests=(-t usage -t send-lecture-data -t receive-type -t missing-queue)

# start NAME DIR [OPTION...]: grade DIR in the background, as NAME
start() {
    local name=$1 dir=$2
    shift 2
    (
        "$grade" 1 "$dir" "${tests[@]}" "$@" >"$scratch/$name.out" 2>"$scratch/$name.err"
        echo $? >"$scratch/$name.rc"
    ) &
}

# started NAME: wait (at most 60 s) until NAME's tests have begun
started() {
    for _ in $(seq 600); do
        grep -q '^Grading lab 1' "$scratch/$1.out" 2>/dev/null && return 0
        [ -e "$scratch/$1.rc" ] && return 1
        sleep 0.1
    done
    return 1
}

# verdict NAME good|bad: NAME's exit status, verdicts, score and stderr are
# those of its own submission, and the transcripts it names are there and
# its own (wrong-line's send-lecture-data shows its wrong line; the
# reference's does not).
verdict() {
    local name=$1 kind=$2 want_rc want_score want_fail want_pass logs
    if [ "$kind" = good ]; then
        want_rc=0 want_score=30/30 want_fail="" want_pass=4
    else
        want_rc=1 want_score=20/30 want_fail="send-lecture-data" want_pass=3
    fi
    {
        [ "$(cat "$scratch/$name.rc")" = "$want_rc" ] ||
            echo "exit status $(cat "$scratch/$name.rc"), expected $want_rc"
        grep -q "^Score: $want_score\$" "$scratch/$name.out" || echo "expected Score: $want_score"
        [ "$(sed -n 's/^  FAIL  \([^ ]*\) .*/\1/p' "$scratch/$name.out" | paste -sd' ')" = "$want_fail" ] ||
            echo "expected to fail: ${want_fail:-nothing}"
        [ "$(grep -c '^  PASS  ' "$scratch/$name.out")" -eq "$want_pass" ] ||
            echo "expected $want_pass PASS lines"
        grep -v '^waiting for another grade of lab 1 in .* (pid [0-9]*)' "$scratch/$name.err" |
            sed 's/^/stderr: /'
        logs=$(sed -n 's/^  [0-9]* test(s) failed; transcripts in //p' "$scratch/$name.out")
        if [ "$kind" = bad ]; then
            grep -q 'number of messages sent' "$logs/send-lecture-data.log" 2>/dev/null ||
                echo "no transcript of the wrong line in $logs/send-lecture-data.log"
        fi
        sed -n 's/^        transcript: //p' "$scratch/$name.out" | while read -r f; do
            [ -f "$f" ] || echo "the report names $f, which is not there"
        done
    } >"$scratch/$name.why" 2>&1
    [ ! -s "$scratch/$name.why" ] || { cat "$scratch/$name.out"; return 1; } >>"$scratch/$name.why"
}

# 1. Two --out folders, started together (the helper cache is built by both)
start out-good "$good" --out "$scratch/out-good"
start out-bad "$bad" --out "$scratch/out-bad"
wait
verdict out-good good
result $? "--out folders side by side: the reference gets full marks" "$scratch/out-good.why"
verdict out-bad bad
result $? "--out folders side by side: the broken copy loses send-lecture-data alone" "$scratch/out-bad.why"
ok=0
for n in out-good out-bad; do
    grep -q 'waiting for another grade' "$scratch/$n.err" && ok=1
done
echo "a grade into a folder of its own waited for the other" >"$scratch/waited"
[ "$ok" -eq 0 ]
result $? "--out folders side by side: neither waits for the other" "$scratch/waited"
grep -v '^helpers-[0-9]*$' <(ls -A "$repo/grade-out/.cache") >"$scratch/cache"
[ ! -s "$scratch/cache" ] && [ -n "$(ls -A "$repo/grade-out/.cache")" ]
result $? "the helper cache built by both holds one finished copy, and no leftovers" "$scratch/cache"

# 2. The default folder: the second waits for the first (it starts once the
# first has begun its tests), then grades; what it leaves is its own.
start default-bad "$bad"
started default-bad
start default-good "$good"
wait
verdict default-bad bad
result $? "one default folder: the first (a broken copy) loses send-lecture-data alone" "$scratch/default-bad.why"
verdict default-good good
result $? "one default folder: the second (the reference) gets full marks" "$scratch/default-good.why"
grep -q "^waiting for another grade of lab 1 in .*grade-out/lab1 (pid [0-9]*)" "$scratch/default-good.err"
result $? "one default folder: the second says it waits for the first" "$scratch/default-good.err"
! grep -q 'number of messages sent' "$repo/grade-out/lab1/logs/send-lecture-data.log" &&
    [ -f "$repo/grade-out/lab1/logs/usage.log" ]
result $? "one default folder: afterwards it holds the second's transcripts"

summary

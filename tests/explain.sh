#!/usr/bin/env bash
# explain.sh: the grader explains failures (issue: blocked-process diagnosis,
# errno hints, swap-in of the reference, message chart, machine fingerprint).
#
# Usage: tests/explain.sh
#
# Grades broken copies of lab 1's solution and checks that each report says
# what a student needs: "deadlock" for two waiting receivers, the type a
# receiver waits for and the types the queue holds, the EINVAL hint, how to
# find uninitialised bytes' origin, which program the swap-in blames (both
# ways, and "skipped" without a reference), and a chart of the messages. Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$(mktemp -d /tmp/explain.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
passed=0
failed=0

# broken NAME FIXTURE...: a copy of the lab 1 solution with the fixtures applied.
broken() {
    local name=$1 fx
    shift
    mkdir -p "$scratch/$name"
    cp "$top"/solutions/lab1/*.[ch] "$scratch/$name/"
    for fx in "$@"; do patch -s -p1 -d "$scratch/$name" <"$top/tests/fixtures/lab1/$fx.patch"; done
}

# report NAME ARGS...: grade copy NAME; the report goes to $scratch/NAME.report.
report() {
    local name=$1
    shift
    "$top/grader/grade" 1 "$scratch/$name" --out "$scratch/out-$name" -j 2 "$@" >"$scratch/$name.report" 2>&1
}

# says DESCRIPTION NAME PATTERN...: the report of NAME has every fixed-string PATTERN.
says() {
    local what=$1 name=$2 p missing=()
    shift 2
    for p in "$@"; do grep -qF -- "$p" "$scratch/$name.report" || missing+=("$p"); done
    if [ ${#missing[@]} -eq 0 ]; then
        echo "ok   explain: $what"
        passed=$((passed + 1))
    else
        echo "FAIL explain: $what: the report lacks: ${missing[*]}"
        sed 's/^/       /' "$scratch/$name.report" | head -40
        failed=$((failed + 1))
    fi
}

broken deadlock blocking-receive
report deadlock -t both-receive --extra-tests "$top/tests/explain/deadlock.exp" --no-explain
says "two receivers asleep on an empty queue: deadlock" deadlock \
    "is asleep in msgrcv, waiting for a message of type 5 on queue 0; the queue is empty" \
    "is asleep in msgrcv, waiting for a message of type 7" \
    "deadlock: every process is waiting to receive"

broken never-sent blocking-receive
report never-sent -t receive-type --no-explain
says "a receiver waiting for a type that is not there" never-sent \
    "timed out after 5 s waiting for ./msgrcv key 2" \
    "waiting for a message of type 2 on queue 0; the queue holds 8 message(s), 4096 of 16384 bytes, of types 1, 3, 4, 5, 6"

broken einval type-zero
report einval -t send-lecture-data --no-explain
says "msgsnd's EINVAL gets its hint" einval \
    '"msgsnd: Invalid argument" (EINVAL): msgsnd refuses a type <= 0'

broken uninit uninitialised-bytes
report uninit -t memcheck-msgsnd --no-explain
says "uninitialised bytes: where, and how to find their origin (the grader tracks none)" uninit \
    "points to uninitialised byte(s)" "at msgsnd.c:" \
    "(valgrind --track-origins=yes says where those bytes came from)"

broken receiver ignores-type
report receiver -t receive-type
says "swap-in blames the receiver, and the chart shows what it asked for" receiver \
    "swap-in: with the reference msgrcv and your msgsnd, this test passes: look at your msgrcv (msgrcv.c)" \
    'send 2 "Nami" ->' '<- recv 1 "Luffy" (asked 0)' "machine: Linux"

broken sender sends-type-one
report sender -t receive-type
says "swap-in blames the sender" sender \
    "swap-in: with the reference msgsnd and your msgrcv, this test passes: look at your msgsnd (msgsnd.c)"

report sender -t receive-type --reference "$scratch/no-such-solution"
says "without a reference (a student release), the swap-in says it is unavailable" sender \
    "swap-in check unavailable: this copy has no reference solution"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

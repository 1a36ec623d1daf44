#!/usr/bin/env bash
# explain.sh: the grader explains failures (issue: blocked-process diagnosis,
# errno hints, swap-in of the reference, message chart, machine fingerprint).
#
# Usage: tests/explain.sh
#
# Grades broken copies of the solutions and checks that each report says
# what a student needs: "deadlock" for two waiting receivers, the type a
# receiver waits for and the types the queue holds, the EINVAL hint, how to
# find uninitialised bytes' origin, which program the swap-in blames (both
# ways, and "skipped" without a reference), a chart of the messages, and a
# hang called before its timeout, under valgrind too (waited out with
# --no-early) (lab 1); that
# a receiver polls (lab 2), an exit status after -T (lab 2), a relative
# deadline (lab 3), a client that takes a request as its reply (lab 4); and
# that a transcript shows a sender's lines when it wrote them (lab 3). A
# fixture that does not apply fails; a report said to lack something must
# be a grade's. Counts through tests/lib.sh; ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$(mktemp -d /tmp/explain.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
part=explain
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"

# The lab that broken and report work on.
lab=1

# broken NAME FIXTURE...: a copy of lab $lab's solution with the fixtures applied.
broken() {
    local name=$1 fx
    shift
    mkdir -p "$scratch/$name"
    cp "$top"/solutions/lab$lab/*.[ch] "$scratch/$name/"
    for fx in "$@"; do
        # (a fixture that does not apply leaves the solution, whose report
        # has none of what lacks looks for)
        patch -s -p1 -d "$scratch/$name" <"$top/tests/fixtures/lab$lab/$fx.patch" >"$scratch/$name.patch.log" 2>&1 ||
            result 1 "copy $name: tests/fixtures/lab$lab/$fx.patch does not apply" "$scratch/$name.patch.log"
    done
}

# report NAME ARGS...: grade copy NAME; the report goes to $scratch/NAME.report.
report() {
    local name=$1
    shift
    "$top/grader/grade" "$lab" "$scratch/$name" --out "$scratch/out-$name" -j 2 "$@" >"$scratch/$name.report" 2>&1
}

# says DESCRIPTION NAME PATTERN...: the report of NAME has every fixed-string PATTERN.
says() {
    local what=$1 name=$2 p missing=()
    shift 2
    for p in "$@"; do grep -qF -- "$p" "$scratch/$name.report" || missing+=("$p"); done
    if [ ${#missing[@]} -eq 0 ]; then
        result 0 "$what"
    else
        result 1 "$what: the report lacks: ${missing[*]}" "$scratch/$name.report"
    fi
}

broken deadlock blocking-receive
report deadlock -t both-receive --extra-tests "$top/tests/explain/deadlock.exp" --no-explain
says "two receivers asleep on an empty queue: deadlock" deadlock \
    "is asleep in msgrcv, waiting for a message of type 5 on queue 0; the queue is empty" \
    "is asleep in msgrcv, waiting for a message of type 7" \
    "deadlock: every process is waiting to receive" \
    "called early: all 2 processes of the test were asleep in msgrcv, waiting for a message nobody is left to send"

broken never-sent blocking-receive
report never-sent -t receive-type --no-explain
says "a receiver waiting for a type that is not there, called before the timeout" never-sent \
    "timed out early, after" "of the 5 s timeout, waiting for ./msgrcv key 2" \
    "waiting for a message of type 2 on queue 0; the queue holds 8 message(s), 4096 of 16384 bytes, of types 1, 3, 4, 5, 6" \
    "called early: the test's one process was asleep in msgrcv"

broken never-sent-vg blocking-receive
report never-sent-vg -t memcheck-msgrcv --no-explain
says "the same receiver under valgrind: its file is the one the grader started, called early too" never-sent-vg \
    "valgrind ./msgrcv key 2 was still running after" \
    "called early: the test's one process was asleep in msgrcv"

# lacks DESCRIPTION NAME PATTERN...: the report of NAME is a grade's (it ends
# with a "Score:" line: a grader that did not run lacks everything) and
# has none of the fixed-string PATTERNs.
lacks() {
    local what=$1 name=$2 p found=()
    shift 2
    for p in "$@"; do grep -qF -- "$p" "$scratch/$name.report" && found+=("$p"); done
    if ! grep -q '^Score: [0-9]' "$scratch/$name.report"; then
        result 1 "$what: the report is no grade's (no Score line)" "$scratch/$name.report"
    elif [ ${#found[@]} -eq 0 ]; then
        result 0 "$what"
    else
        result 1 "$what: the report has: ${found[*]}" "$scratch/$name.report"
    fi
}

report never-sent -t receive-type --no-explain --no-early
says "with --no-early, the same hang waits out its timeout" never-sent \
    "timed out after 5 s waiting for ./msgrcv key 2" \
    "waiting for a message of type 2 on queue 0; the queue holds 8 message(s)"
lacks "with --no-early, no hang is called early" never-sent "called early"

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

# in_order DESCRIPTION FILE REGEXP...: each extended REGEXP matches a line
# of FILE (carriage returns removed) after the line the one before matched.
in_order() {
    local what=$1 file=$2 p at=0 n
    shift 2
    for p in "$@"; do
        n=$(tail -n +$((at + 1)) "$file" | tr -d '\r' | grep -nE -m 1 -- "$p" | cut -d: -f1)
        if [ -z "$n" ]; then
            # (a missing file lacks everything, and says so)
            result 1 "$what: $file lacks, after line $at: $p" "$file"
            return
        fi
        at=$((at + n))
    done
    result 0 "$what"
}

lab=2
broken polling polls-nowait
report polling -t timeout --no-explain
says "a receiver seen asleep in nanosleep, never in msgrcv, is told it polls" polling \
    "exited; it should have been waiting in msgrcv" \
    "it was seen asleep in nanosleep (sleep, usleep or nanosleep) but never in msgrcv" \
    "(polling) is not waiting"

broken cut cut-is-error
report cut -t memcheck-qrecv --no-explain
says "exit status 1 after -T: the status is the fault, not valgrind" cut \
    "exited with status 1 after cutting a message with -T" "qrecv exits 0 (handout 5.5)"

lab=3
broken deadline relative-timeout
report deadline -t timed-receive --no-explain
says "a relative deadline: the timeout line came before anything was sent" deadline \
    'printed "no·message·within·1·s" before the grader sent anything' \
    "clock_gettime(CLOCK_REALTIME) plus SECONDS" "(handout 4.5)"

# (the reference: its transcript, while the grader keeps the queue full)
broken full
report full -t full-queue-blocks --no-explain
in_order "a blocked sender's lines are in the transcript before the grader's note that it sleeps" \
    "$scratch/out-full/logs/full-queue-blocks.log" \
    '^2 Usopo$' 'is asleep in mq_timedsend' 'received from /lab3: 2 Nami\)$' \
    '^1 Sanji$' 'is asleep in mq_timedsend' 'received from /lab3: 2 Usopo\)$'

lab=4
broken takes client-type-zero
report takes -t server-count --no-explain
says "a client that takes a request as its reply while the server is stopped" takes \
    "while the server was stopped (SIGSTOP) and could answer nobody: it received a request" \
    "the reply typed with its own pid (handout 3.1)"

summary

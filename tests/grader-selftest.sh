#!/usr/bin/env bash
# grader-selftest.sh: the grader's own promises, independent of any lab's tests.
#
# Usage: tests/grader-selftest.sh
#
# A submission that does not compile, one that lacks a file, an unknown lab,
# an unknown test, -t, --json, --list, the exit statuses 0/1/2, the same
# verdicts on a second run, and the fallback sandbox (no namespaces) leaving
# no queue behind. Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
grade="$top/grader/grade"
scratch=$(mktemp -d /tmp/grader-selftest.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
passed=0
failed=0

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
    local what=$1
    shift
    if "$@" >"$scratch/out" 2>&1; then
        echo "ok   grader: $what"
        passed=$((passed + 1))
    else
        echo "FAIL grader: $what"
        sed 's/^/       /' "$scratch/out" | head -30
        failed=$((failed + 1))
    fi
}

# run_grade EXPECTED-STATUS ARGS...: grade, keeping the report in $scratch/report.
run_grade() {
    local want=$1
    shift
    "$grade" "$@" >"$scratch/report" 2>&1
    local rc=$?
    cat "$scratch/report"
    [ "$rc" -eq "$want" ] || { echo "exit status $rc, expected $want"; return 1; }
}

# A submission whose msgsnd.c does not compile.
mkdir -p "$scratch/broken"
cp "$top"/solutions/lab1/*.[ch] "$scratch/broken/"
sed -i 's/int main(int argc/int main(int argc int/' "$scratch/broken/msgsnd.c"
compile_error() {
    run_grade 1 1 "$scratch/broken" --json "$scratch/broken.json" --out "$scratch/o1" &&
        grep -q 'msgsnd did not build' "$scratch/report" &&
        grep -q 'msgsnd.c:[0-9]*:[0-9]*: error' "$scratch/report" &&
        grep -Eq '"score" *: *[0-9]' "$scratch/broken.json" &&
        ! grep -q '/o1/build/msgsnd.c' "$scratch/report"
}
check "a compile error fails the tests that need the program, with the compiler's message" compile_error

# A submission without msgrcv.c.
mkdir -p "$scratch/partial"
cp "$top"/solutions/lab1/msgdata.h "$top"/solutions/lab1/msgsnd.c "$scratch/partial/"
missing_file() {
    run_grade 1 1 "$scratch/partial" --out "$scratch/o2" -t send-lecture-data -t receive-type &&
        grep -q 'missing from the submission: msgrcv.c' "$scratch/report" &&
        grep -q 'PASS  send-lecture-data' "$scratch/report" &&
        grep -q 'FAIL  receive-type' "$scratch/report"
}
check "a missing file is named, and only the tests that need it fail" missing_file

unknown_lab() {
    run_grade 2 99 --json "$scratch/none.json" && grep -q 'there is no lab 99' "$scratch/report" &&
        grep -q 'could not run' "$scratch/none.json"
}
check "an unknown lab exits 2 with the reason, and still writes results.json" unknown_lab
check "an unknown test exits 2" run_grade 2 1 -t no-such-test
unknown_option() {
    run_grade 2 1 --bogus && grep -q Usage "$scratch/report"
}
check "an unknown option exits 2 with the usage" unknown_option
bad_timeout() {
    GRADER_TIMEOUT=abc run_grade 2 1 -t usage && grep -q 'GRADER_TIMEOUT: "abc" is not a number' "$scratch/report" &&
        GRADER_TIMEOUT=0 run_grade 2 1 -t usage && grep -q 'GRADER_TIMEOUT: "0"' "$scratch/report"
}
check "a GRADER_TIMEOUT that is not a number of seconds exits 2 and says so" bad_timeout
check "--list names every test with its points" bash -c "'$grade' 1 --list | grep -q '^send-lecture-data  *10'"

full_marks() {
    run_grade 0 1 "$top/solutions/lab1" -t usage -t delete-yes --json "$scratch/ok.json" --out "$scratch/o3" &&
        grep -q 'Score: 15/15' "$scratch/report" &&
        tclsh <<TCL
package require json
set f [open $scratch/ok.json]
set d [json::json2dict [read \$f]]
if {[dict get \$d score] != 15 || [llength [dict get \$d tests]] != 2} { exit 1 }
foreach t [dict get \$d tests] {
    foreach k {name score max_score status output} { if {![dict exists \$t \$k]} { exit 1 } }
}
TCL
}
check "-t and --json: Gradescope's fields, score 15/15, exit 0" full_marks

same_twice() {
    "$grade" 1 "$top/labs/lab1" --out "$scratch/o4" | grep -E '^  (PASS|FAIL)' >"$scratch/r1"
    "$grade" 1 "$top/labs/lab1" --out "$scratch/o4" | grep -E '^  (PASS|FAIL)' >"$scratch/r2"
    diff "$scratch/r1" "$scratch/r2"
}
check "the same submission gets the same verdicts twice" same_twice

fallback() {
    local before after
    before=$(ipcs -q | grep -c '^0x')
    GRADER_SANDBOX=none run_grade 0 1 "$top/solutions/lab1" -t send-queue-state -t delete-no -t full-queue-blocks --out "$scratch/o5" &&
        grep -q 'sandbox: NONE (GRADER_SANDBOX=none)' "$scratch/report" || return 1
    after=$(ipcs -q | grep -c '^0x')
    [ "$before" -eq "$after" ] || { echo "queues before: $before, after: $after"; ipcs -q; return 1; }
}
check "without namespaces: says so, passes, and removes the queues it made" fallback

# As root without namespaces (a container): a throwaway uid per test
uid_only() {
    local before after
    [ "$(id -u)" -eq 0 ] || return 0
    before=$(ipcs -q | grep -c '^0x')
    GRADER_SANDBOX=uid run_grade 0 1 "$top/solutions/lab1" -t send-queue-state -t delete-no -t full-queue-blocks -t memcheck-msgsnd --out "$scratch/o6" &&
        grep -q 'sandbox: throwaway uid only (GRADER_SANDBOX=uid)' "$scratch/report" || return 1
    after=$(ipcs -q | grep -c '^0x')
    [ "$before" -eq "$after" ] || { echo "queues before: $before, after: $after"; ipcs -q; return 1; }
    ! ls -d /tmp/grader-stage.* 2>/dev/null || { echo "the stage was left in /tmp"; return 1; }
}
check "throwaway uid only (root, no namespaces): says so, passes, leaves nothing" uid_only

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# grader-selftest.sh: the grader's own promises, independent of any lab's tests.
#
# Usage: tests/grader-selftest.sh
#
# A submission that does not compile, one that lacks a file, an unknown lab,
# an unknown test, -t, --json, --list, the exit statuses 0/1/2, the same
# verdicts on a second run (a verdict for every test), the fallback sandbox
# (no namespaces) leaving the queues as they were, and the throwaway-uid
# sandbox (as root: it works; otherwise: the grader refuses it), and the
# wall-clock bound of a test. Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
grade="$top/grader/grade"
scratch=$(mktemp -d /tmp/grader-selftest.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
part=grader
detail_lines=30
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
    local what=$1
    shift
    "$@" >"$scratch/out" 2>&1
    result $? "$what" "$scratch/out"
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

# The lab's own copy of a file it gives complete (lab 5's channel.h) is
# missing: the grader's fault, not the submission's, so no grade at all.
mkdir -p "$scratch/no-given"
given_missing() {
    run_grade 2 5 "$top/solutions/lab5" --given "$scratch/no-given" --out "$scratch/o-given" -t usage &&
        grep -q "the lab's own channel.h is missing" "$scratch/report" &&
        ! grep -q 'missing from the submission' "$scratch/report"
}
check "a given file missing from the grader's side stops the grade (exit 2), not the student's marks" given_missing

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
# (every test lab 1 defines, each with its points)
list_all() {
    "$grade" 1 --list >"$scratch/list" || return 1
    grep -q '^send-lecture-data  *10 ' "$scratch/list" || return 1
    awk 'NF >= 2 && $2 ~ /^[0-9]+$/ { print $1 }' "$scratch/list" | sort >"$scratch/listed"
    sed -n 's/^ *test  *\([a-z0-9-]*\) .*/\1/p' "$top/grader/lab1.exp" | sort >"$scratch/defined"
    [ -s "$scratch/defined" ] && diff "$scratch/defined" "$scratch/listed"
}
check "--list names every test with its points" list_all

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

# (two grades that did not run would agree: each must give a verdict per test)
same_twice() {
    local n
    n=$("$grade" 1 --list | grep -c '^[a-z]')
    "$grade" 1 "$top/labs/lab1" --out "$scratch/o4" | grep -E '^  (PASS|FAIL)' >"$scratch/r1"
    "$grade" 1 "$top/labs/lab1" --out "$scratch/o4" | grep -E '^  (PASS|FAIL)' >"$scratch/r2"
    if [ "$n" -eq 0 ] || [ "$(wc -l <"$scratch/r1")" -ne "$n" ]; then
        echo "$(wc -l <"$scratch/r1") verdicts for $n tests"
        return 1
    fi
    diff "$scratch/r1" "$scratch/r2"
}
check "the same submission gets the same verdicts twice" same_twice

# queues FILE: this IPC namespace's queues (key and id), or false when
# ipcs cannot tell (no answer would look like no queue left)
queues() {
    local all
    all=$(ipcs -q) || return 1
    grep -q 'Message Queues' <<<"$all" || return 1
    awk '/^0x/ {print $1, $2}' <<<"$all" | sort >"$1"
}

fallback() {
    queues "$scratch/q-before" || { echo "ipcs -q failed"; return 1; }
    GRADER_SANDBOX=none run_grade 0 1 "$top/solutions/lab1" -t send-queue-state -t delete-no -t full-queue-blocks --out "$scratch/o5" &&
        grep -q 'sandbox: NONE (GRADER_SANDBOX=none)' "$scratch/report" || return 1
    queues "$scratch/q-after" || { echo "ipcs -q failed"; return 1; }
    diff "$scratch/q-before" "$scratch/q-after" || { echo "the queues changed (key, id)"; return 1; }
}
check "without namespaces: says so, passes, and removes the queues it made" fallback

# As root without namespaces (a container): a throwaway uid per test. Not
# as root: the grader refuses (a check that did not run is no pass).
uid_only() {
    queues "$scratch/q-before" || { echo "ipcs -q failed"; return 1; }
    GRADER_SANDBOX=uid run_grade 0 1 "$top/solutions/lab1" -t send-queue-state -t delete-no -t full-queue-blocks -t memcheck-msgsnd --out "$scratch/o6" &&
        grep -q 'sandbox: throwaway uid only (GRADER_SANDBOX=uid)' "$scratch/report" || return 1
    queues "$scratch/q-after" || { echo "ipcs -q failed"; return 1; }
    diff "$scratch/q-before" "$scratch/q-after" || { echo "the queues changed (key, id)"; return 1; }
    ! ls -d /tmp/grader-stage.* 2>/dev/null || { echo "the stage was left in /tmp"; return 1; }
}
uid_refused() {
    run_grade 2 1 "$top/solutions/lab1" -t usage --out "$scratch/o6" && grep -q 'GRADER_SANDBOX=uid needs root' "$scratch/report"
}
if [ "$(id -u)" -eq 0 ]; then
    check "throwaway uid only (root, no namespaces): says so, passes, leaves nothing" uid_only
else
    GRADER_SANDBOX=uid check "throwaway uid only: not as root, the grader refuses it (exit 2) and says why" uid_refused
fi

# A test whose interpreter never ends (a hidden test's body that sleeps,
# standing in for a grader that blocks) is stopped at the grader's
# wall-clock bound (GRADER_WALL, 60 s or more without it): it fails and
# says so, the test beside it still passes, and nothing of it is left in
# the grade's session (the test's processes and the test server).
wall_bound() {
    cat >"$scratch/never.exp" <<'EOF'
test never-ends 1 "A test whose interpreter never ends." -needs {} {
    after 600000
}
EOF
    GRADER_WALL=3 setsid "$grade" 1 "$top/solutions/lab1" --extra-tests "$scratch/never.exp" \
        -t never-ends -t usage --no-explain --out "$scratch/o7" >"$scratch/report" 2>&1 &
    local sid=$! left
    wait "$sid"
    cat "$scratch/report"
    grep -q "FAIL  never-ends" "$scratch/report" &&
        grep -q "the test was stopped at the grader's limit of 3 s" "$scratch/report" &&
        grep -q "PASS  usage" "$scratch/report" || return 1
    left=$(ps -e -o sid=,pid=,args= | awk -v s="$sid" '$1 == s')
    [ -z "$left" ] || { echo "left in the grade's session:"; echo "$left"; return 1; }
}
check "a test that never ends is stopped at the wall-clock bound, and leaves nothing running" wall_bound

# An --out whose name holds a newline and, after it, what the test server
# would once have read as a command of its own (red team): the grade works,
# and no run was started that the driver did not ask for.
odd_out() {
    local odd="$scratch/odd
7 $scratch/o7/config usage {} {} #"
    rm -rf "$scratch/o7/results" && mkdir -p "$scratch/o7/results" || return 1
    run_grade 0 1 "$top/solutions/lab1" -t usage --out "$odd" || return 1
    [ -z "$(ls -A "$scratch/o7/results")" ] || { echo "a run nobody asked for wrote $(ls "$scratch/o7/results")"; return 1; }
}
check "an --out named with a newline and a command after it: graded, nothing else run" odd_out

summary
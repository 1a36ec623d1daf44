#!/usr/bin/env bash
# gradescope.sh: prove the Gradescope package by running it for real.
#
# Usage: tests/gradescope.sh
#
# Builds the lab 1 package with the hidden tests of tests/hidden/lab1,
# unpacks it into a scratch copy of Gradescope's layout (source/,
# submission/, results/, run_autograder; AUTOGRADER_ROOT points there) and
# runs run_autograder on: the reference, the starter, a broken fixture
# nested in a folder, a submission that does not compile, and one whose
# test hangs past the whole grading's bound. Each time results.json must
# be valid, with execution_time, the expected failing tests (the hidden
# ones with their visibility), and nothing left running.
# Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$(mktemp -d /tmp/gradescope-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
part=gradescope
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"

zip="$scratch/autograder-lab1.zip"
"$top/grader/gradescope/package.sh" 1 --extra-tests "$top/tests/hidden/lab1" -o "$zip" \
    >"$scratch/package.out" 2>&1
unzip -Z1 "$zip" >"$scratch/listing" 2>&1
grep -qx setup.sh "$scratch/listing" && grep -qx run_autograder "$scratch/listing" &&
    grep -qx hidden/help.exp "$scratch/listing" && ! grep -q '^solutions/' "$scratch/listing"
result $? "make gradescope: setup.sh and run_autograder at the root, hidden tests, no solution" \
    "$scratch/listing"

# grade NAME [SETUP-COMMAND...]: a fresh Gradescope root for NAME, the
# submission made by SETUP-COMMAND (run in ROOT/submission), then run_autograder.
grade() {
    local root="$scratch/$1"
    shift
    mkdir -p "$root/source" "$root/submission"
    unzip -q "$zip" -d "$root/source"
    cp "$root/source/run_autograder" "$root/"
    (cd "$root/submission" && "$@")
    if [ -n "${NO_EXEC_BITS:-}" ]; then
        # as unpacked by Python's zipfile (which drops them), run as a script
        find "$root" -type f -exec chmod a-x {} +
        AUTOGRADER_ROOT="$root" bash "$root/run_autograder" >"$root/out" 2>&1
    else
        AUTOGRADER_ROOT="$root" "$root/run_autograder" >"$root/out" 2>&1
    fi
}
# digest FILE: "score failing-tests... | checks" from a results.json
digest() {
    tclsh /dev/stdin "$1" <<'TCL'
package require json
set f [open [lindex $argv 0]]
set doc [json::json2dict [read $f]]
close $f
set failing {}
set vis {}
foreach t [dict get $doc tests] {
    if {[dict get $t status] ne "passed"} { lappend failing [dict get $t name] }
    if {[dict exists $t visibility]} { lappend vis "[dict get $t name]=[dict get $t visibility]" }
}
set time [expr {[dict exists $doc execution_time] && [dict get $doc execution_time] > 0 ? "timed" : "no-time"}]
puts "[dict get $doc score] [llength [dict get $doc tests]] $time [join $vis ,] | [join [lsort $failing] { }]"
TCL
}
expected() { # the sorted test names of a .fails file
    grep -v '^#' "$1" | sed '/^[[:space:]]*$/d' | sort | paste -sd' '
}
hidden="help-msgsnd=after_due_date,help-msgrcv=after_due_date"
# The lab's tests and points, and the two hidden tests' (2 points each)
ntests=$(($("$top/grader/grade" 1 --list | wc -l) + 2))
points=$(($("$top/grader/grade" 1 --list | awk '{ s += $2 } END { print s }') + 4))
sol="$top/solutions/lab1"

copy_reference() { cp "$sol"/*.[ch] .; }
copy_starter() { cp "$top"/labs/lab1/*.[ch] .; }
copy_fixture() { # nested in a folder, as a student's upload may be
    mkdir -p mywork/lab1 && cp "$sol"/*.[ch] mywork/lab1/ &&
        patch -s -p1 -d mywork/lab1 <"$top/tests/fixtures/lab1/wrong-line.patch"
}
copy_broken() { cp "$sol"/*.[ch] . && sed -i 's/int main(int argc/int main(int argc int/' msgsnd.c; }
copy_spin() { cp "$sol"/*.[ch] . && patch -s -p1 <"$top/tests/hostile/lab1/spin.patch"; }

# The five gradings run at once (each is mostly waiting)
GRADE_OPTIONS=--no-explain grade reference copy_reference &
GRADE_OPTIONS=--no-explain grade starter copy_starter &
GRADE_OPTIONS=--no-explain grade fixture copy_fixture &
GRADE_OPTIONS="--no-explain -t usage -t send-lecture-data" grade broken copy_broken &
AUTOGRADER_BOUND=3 GRADE_OPTIONS="--no-explain -t usage -t send-lecture-data" grade hang copy_spin &
# Gradescope's containers refuse namespaces: as root, a throwaway uid only,
# with the package's own files made private (and no exec bits in the zip)
GRADER_SANDBOX=uid NO_EXEC_BITS=1 GRADE_OPTIONS=--no-explain grade container copy_reference &
wait

got=$(digest "$scratch/reference/results/results.json" 2>&1)
[ "$got" = "$points $ntests timed $hidden | " ]
result $? "the reference: $points/$points with the hidden tests ($got)" "$scratch/reference/out"

got=$(digest "$scratch/container/results/results.json" 2>&1)
[ "$got" = "$points $ntests timed $hidden | " ] &&
    grep -q "sandbox: throwaway uid only (GRADER_SANDBOX=uid): the grader's files are closed to it" \
        "$scratch/container/out"
result $? "in a container without namespaces, unpacked without exec bits: $points/$points, a throwaway uid, the package private ($got)" \
    "$scratch/container/out"

got=$(digest "$scratch/starter/results/results.json" 2>&1)
want=$(expected "$top/tests/expected/lab1-starter.fails")
[ "${got#* | }" = "$want" ] && [[ $got == *" timed $hidden |"* ]]
result $? "the starter: fails exactly tests/expected/lab1-starter.fails" "$scratch/starter/out"

got=$(digest "$scratch/fixture/results/results.json" 2>&1)
want=$(expected "$top/tests/fixtures/lab1/wrong-line.fails")
[ "${got#* | }" = "$want" ] && grep -q 'graded the files in mywork/lab1/' "$scratch/fixture/results/results.json"
result $? "a fixture in nested folders: fails exactly wrong-line.fails, says where it looked" \
    "$scratch/fixture/out"

got=$(digest "$scratch/broken/results/results.json" 2>&1)
[ "${got#* | }" = "send-lecture-data usage" ] &&
    grep -q 'msgsnd did not build' "$scratch/broken/results/results.json" &&
    grep -q 'msgsnd.c:[0-9]*:[0-9]*: error' "$scratch/broken/results/results.json"
result $? "a build failure: results.json with the compiler's message ($got)" "$scratch/broken/out"

got=$(digest "$scratch/hang/results/results.json" 2>&1)
[[ $got == *" $ntests timed "*" | "*usage* ]] &&
    grep -q 'The grading was stopped after 3 s' "$scratch/hang/results/results.json"
result $? "a test that hangs past the whole grading's bound: results.json all the same ($got)" \
    "$scratch/hang/out"

sleep 0.2
# (pgrep: 1 is "none"; more is "could not look", which is no proof)
pgrep -af -- "$scratch" >"$scratch/left" 2>&1
[ $? -le 1 ] && [ ! -s "$scratch/left" ] && ! ls -d /tmp/autograder.* >/dev/null 2>&1
result $? "nothing left running, no scratch folder left in /tmp" "$scratch/left"

summary

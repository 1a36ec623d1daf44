#!/usr/bin/env bash
# sandbox.sh: the sandbox's promises beyond "nothing is left behind"
# (tests/hostile.sh proves that): each limit stops a program with a message
# that names it, the programs run as a throwaway uid when the grader is
# root, and the grader's own files are out of their reach.
#
# Usage: tests/sandbox.sh
#
# Grades lab 1's reference with the tests of tests/sandbox/limits.exp added
# (under small limits), then two hostile submissions of tests/hostile/lab1
# whose failure messages and effects are checked. Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$(mktemp -d /tmp/sandbox-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
part=sandbox
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"

# hostile NAME TEST: grade the hostile patch NAME on TEST into $scratch/NAME.
hostile() {
    local copy="$scratch/$1/src"
    mkdir -p "$copy"
    cp "$top"/solutions/lab1/*.[ch] "$copy/"
    patch -s -p1 -d "$copy" <"$top/tests/hostile/lab1/$1.patch" &&
        "$top/grader/grade" 1 "$copy" -t "$2" --no-explain --out "$scratch/$1/out" \
            >"$scratch/$1/report" 2>&1
    return 0
}

# 1. Each limit, under small values, named in the failure message
limits="procs=16 memory=64 cpu=1 fsize=1"
GRADER_LIMITS=$limits "$top/grader/grade" 1 "$top/solutions/lab1" --no-explain \
    --extra-tests "$top/tests/sandbox/limits.exp" -t cpu-limit -t file-size-limit \
    -t process-limit -t memory-limit -t throwaway-uid -t grader-files \
    --out "$scratch/limits" >"$scratch/limits.report" 2>&1
echo "     ($(grep -m1 'sandbox:' "$scratch/limits.report" | sed 's/^ *//'))"
for t in cpu-limit file-size-limit process-limit memory-limit throwaway-uid grader-files; do
    grep -q "PASS  $t " "$scratch/limits.report"
    result $? "$t (GRADER_LIMITS=\"$limits\")" "$scratch/limits.report"
done

# 2. A program that allocates until malloc fails: the message names the memory limit
hostile memory-hog send-lecture-data
grep -q "memory limit of [0-9]* MiB" "$scratch/memory-hog/report"
result $? "a memory hog fails with a message naming the memory limit" "$scratch/memory-hog/report"

# 3. A program that looks for the grader's files (through ../../config and
# its own path, as the grader was laid out before the sandbox hid it) finds
# none to write: it only opens them, so that a weak sandbox is reported,
# not exploited
sum_before=$(cksum "$top/grader/lab1.exp" "$top/grader/grade")
hostile grader-files send-lecture-data
log="$scratch/grader-files/out/logs/send-lecture-data.log"
grep -h 'hostile:' "$log" >"$scratch/grader-files/why" 2>&1
if grep -q 'sandbox: bubblewrap' "$scratch/grader-files/report"; then
    grep -q 'hostile: could write 0 of 6 grader files' "$log" &&
        [ "$sum_before" = "$(cksum "$top/grader/lab1.exp" "$top/grader/grade")" ]
    result $? "a program cannot open the grader's files for writing" "$scratch/grader-files/why"
else # the mode line says the sandbox cannot promise it here (the files'
    # sums alone could not fail: the program only opens them; it must have
    # run and looked, and the report must name the weaker sandbox)
    grep -q 'hostile: could write [0-9]* of 6 grader files' "$log" &&
        grep -Eq 'sandbox: (throwaway uid only|NONE)' "$scratch/grader-files/report" &&
        [ "$sum_before" = "$(cksum "$top/grader/lab1.exp" "$top/grader/grade")" ]
    result $? "a program that opens the grader's files changes none (no bubblewrap here: $(grep -m1 -o 'sandbox: [^;]*' "$scratch/grader-files/report"))" \
        "$scratch/grader-files/why"
fi

summary

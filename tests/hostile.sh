#!/usr/bin/env bash
# hostile.sh: grade hostile submissions and prove the grader survives them.
#
# Usage: tests/hostile.sh LAB
#
# Each tests/hostile/labLAB/NAME.patch turns the solution into a submission
# that floods, forks, daemonises, spins, crashes or attacks the machine's
# queues; it is graded on the tests named in tests/hostile/labLAB/TESTS. For
# each: the grader finishes within its bound, writes results.json, fails at
# least one test and leaves no process behind; afterwards the machine's own
# queues (including a sentinel made for the check, which must be seen) are
# exactly as before, as ipcs lists them (an ipcs that fails is a failure).
# Ends with "N passed, N failed".
set -u
lab=${1:?usage: tests/hostile.sh LAB}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir="$top/tests/hostile/lab$lab"
scratch=$(mktemp -d "/tmp/hostile-lab$lab.XXXXXX")
bound=${HOSTILE_BOUND:-150}
jobs=${GRADER_JOBS:-$(nproc)}
part="lab$lab hostile"
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"

sentinel=$(ipcmk -Q | awk '{print $NF}')
cleanup() {
    [ -n "$sentinel" ] && ipcrm -q "$sentinel" 2>/dev/null
    rm -rf "$scratch"
}
trap cleanup EXIT
# queues FILE: the machine's queues (key, msqid); false when ipcs cannot
# tell (no answer would look like no queue changed)
queues() {
    local all
    all=$(ipcs -q) && grep -q 'Message Queues' <<<"$all" || return 1
    awk '/^0x/ {print $1, $2}' <<<"$all" | sort >"$1"
}
queues "$scratch/before" || echo "ipcs -q failed" >"$scratch/before.failed"

tests=()
while read -r t; do tests+=(-t "$t"); done < <(grep -v '^#' "$dir/TESTS" 2>/dev/null)

# grade_one NAME PATCH: grade it and write the verdict to $scratch/NAME/verdict.
grade_one() {
    local name=$1 patch=$2 work="$scratch/$1"
    local copy="$work/src" verdict="$work/verdict" problems=() start took rc left
    mkdir -p "$copy"
    cp "$top/solutions/lab$lab"/*.[ch] "$copy/"
    if ! patch -s -p1 -d "$copy" <"$patch" >"$work/patch.log" 2>&1; then
        cp "$work/patch.log" "$verdict.why"
        printf '1\t%s\n' "$name: the patch does not apply" >"$verdict"
        return
    fi
    start=$(date +%s)
    timeout -s KILL "$bound" "$top/grader/grade" "$lab" "$copy" "${tests[@]}" --no-explain --out "$work/out" \
        --json "$work/results.json" >"$work/report" 2>&1
    rc=$?
    took=$(($(date +%s) - start))
    [ "$rc" -eq 1 ] || problems+=("grader exit status $rc, expected 1;")
    [ "$took" -lt "$bound" ] || problems+=("grading took ${took}s, the bound is ${bound}s;")
    grep -Eq '"status" *: *"failed"' "$work/results.json" 2>/dev/null ||
        problems+=("no failed test in results.json;")
    sleep 0.2 # the kernel tears the namespaces down asynchronously
    # (pgrep: 0 found, 1 none, more: it could not look)
    left=$(pgrep -af -- "$copy")
    case $? in
        0) problems+=("processes left behind: $left") ;;
        1) ;;
        *) problems+=("pgrep could not look for processes left behind;") ;;
    esac
    if [ ${#problems[@]} -eq 0 ]; then
        printf '0\t%s\n' "$name: graded in ${took}s, $(grep -o 'Score: [0-9/]*' "$work/report"), nothing left behind" >"$verdict"
    else
        cp "$work/report" "$verdict.why"
        printf '1\t%s\n' "$name: ${problems[*]}" >"$verdict"
        pkill -KILL -f -- "$copy" 2>/dev/null
    fi
}

names=()
for patch in "$dir"/*.patch; do
    [ -e "$patch" ] || continue
    name=$(basename "$patch" .patch)
    names+=("$name")
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    grade_one "$name" "$patch" &
done
wait

detail_lines=30
[ ${#names[@]} -gt 0 ]
result $? "${#names[@]} hostile submission(s) in tests/hostile/lab$lab"
for name in "${names[@]}"; do
    v="$scratch/$name/verdict"
    if [ -s "$v" ]; then
        IFS=$'\t' read -r status what <"$v"
        if [ -e "$v.why" ]; then result "$status" "$what" "$v.why"; else result "$status" "$what"; fi
    else
        result 1 "$name: its grade wrote no verdict"
    fi
done
# (the sentinel proves the comparison sees a queue: it must be there)
if [ -e "$scratch/before.failed" ] || ! queues "$scratch/after"; then
    result 1 "the machine's queues: ipcs -q could not list them"
elif [ -z "$sentinel" ] || ! grep -q " $sentinel\$" "$scratch/before"; then
    result 1 "the machine's queues: no sentinel queue to watch (ipcmk -Q failed)"
elif cmp -s "$scratch/before" "$scratch/after"; then
    result 0 "the machine's queues (and the sentinel $sentinel) are unchanged"
else
    result 1 "the machine's queues changed: $(diff "$scratch/before" "$scratch/after" | tr '\n' ' ')"
fi
summary

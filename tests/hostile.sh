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
# queues (including a sentinel made for the check) are exactly as before.
# Ends with "N passed, N failed".
set -u
lab=${1:?usage: tests/hostile.sh LAB}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir="$top/tests/hostile/lab$lab"
scratch=$(mktemp -d "/tmp/hostile-lab$lab.XXXXXX")
bound=${HOSTILE_BOUND:-150}
jobs=${GRADER_JOBS:-$(nproc)}
passed=0
failed=0

sentinel=$(ipcmk -Q | awk '{print $NF}')
cleanup() {
    ipcrm -q "$sentinel" 2>/dev/null
    rm -rf "$scratch"
}
trap cleanup EXIT
queues() { ipcs -q | awk '/^0x/ {print $1, $2}' | sort; }
queues >"$scratch/before"

tests=()
while read -r t; do tests+=(-t "$t"); done < <(grep -v '^#' "$dir/TESTS" 2>/dev/null)

# grade_one NAME PATCH: grade it and write the verdict to $scratch/NAME/verdict.
grade_one() {
    local name=$1 patch=$2 work="$scratch/$1"
    local copy="$work/src" verdict="$work/verdict" problems=() start took rc left
    mkdir -p "$copy"
    cp "$top/solutions/lab$lab"/*.[ch] "$copy/"
    if ! patch -s -p1 -d "$copy" <"$patch" >"$work/patch.log" 2>&1; then
        echo "FAIL lab$lab hostile $name: the patch does not apply" >"$verdict"
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
    left=$(pgrep -af "$copy" | grep -v pgrep)
    [ -z "$left" ] || problems+=("processes left behind: $left")
    if [ ${#problems[@]} -eq 0 ]; then
        echo "ok   lab$lab hostile $name: graded in ${took}s, $(grep -o 'Score: [0-9/]*' "$work/report"), nothing left behind" >"$verdict"
    else
        {
            echo "FAIL lab$lab hostile $name: ${problems[*]}"
            sed 's/^/       /' "$work/report" | head -30
        } >"$verdict"
        pkill -KILL -f "$copy" 2>/dev/null
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

for name in "${names[@]}"; do
    cat "$scratch/$name/verdict"
    case $(head -c 2 "$scratch/$name/verdict") in
        ok) passed=$((passed + 1)) ;;
        *) failed=$((failed + 1)) ;;
    esac
done
queues >"$scratch/after"
if cmp -s "$scratch/before" "$scratch/after"; then
    echo "ok   lab$lab hostile: the machine's queues (and the sentinel $sentinel) are unchanged"
    passed=$((passed + 1))
else
    echo "FAIL lab$lab hostile: the machine's queues changed: $(diff "$scratch/before" "$scratch/after" | tr '\n' ' ')"
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

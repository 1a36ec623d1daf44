#!/usr/bin/env bash
# tours.sh: prove that every lab's guided tour runs, shows what it promises,
# and leaves nothing behind.
#
# Usage: tests/tours.sh [LAB...]      (default: every grader/tours/labN.tour)
#
# For each tour, on the reference with --all: it ends with status 0 at "End
# of the tour"; its views show a full queue, a sender asleep because the
# queue is full and a receiver asleep waiting for a message; it prints no
# colour; afterwards no process runs from its scratch directory, which is
# gone, and no queue it showed exists. The same once more without
# namespaces (GRADER_SANDBOX=none), where the tour removes its queues
# itself. On the untouched starter (labs/labN): the tour stops with status 1
# or 2 and a reason, and leaves nothing behind either.
# Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$(mktemp -d /tmp/tours.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
bound=${TOUR_BOUND:-120}
passed=0
failed=0

labs=("$@")
if [ ${#labs[@]} -eq 0 ]; then
    for t in "$top"/grader/tours/lab*.tour; do
        n=$(basename "$t" .tour)
        [ -e "$top/grader/$n.exp" ] && labs+=("${n#lab}")
    done
fi

result() { # result DESCRIPTION PROBLEMS-FILE OUTPUT-FILE
    if [ ! -s "$2" ]; then
        echo "ok   $1"
        passed=$((passed + 1))
    else
        echo "FAIL $1"
        sed 's/^/       /' "$2"
        echo "       last lines of the tour:"
        tail -15 "$3" | sed 's/^/         /'
        failed=$((failed + 1))
    fi
}

# tour NAME WANT-STATUS ARGS...: run the tour in its own TMPDIR; writes
# $scratch/NAME.out and the problems found to $scratch/NAME.problems.
tour() {
    local name=$1 want=$2 tmp="$scratch/$1.tmp" out="$scratch/$1.out" problems="$scratch/$1.problems"
    shift 2
    mkdir -p "$tmp"
    : >"$problems"
    local start rc took
    start=$(date +%s)
    TMPDIR=$tmp timeout -s KILL "$bound" "$top/grader/tour" "$@" </dev/null >"$out" 2>&1
    rc=$?
    took=$(($(date +%s) - start))
    echo "$took" >"$scratch/$name.took"
    case " $want " in *" $rc "*) ;; *) echo "exit status $rc, expected $want" >>"$problems" ;; esac
    sleep 0.2 # the kernel tears the namespaces down asynchronously
    local left
    left=$(pgrep -af "$tmp" | grep -v pgrep)
    [ -z "$left" ] || echo "processes left behind: $left" >>"$problems"
    [ -z "$(ls -A "$tmp")" ] || echo "scratch left behind: $(ls -A "$tmp")" >>"$problems"
    # Every key the views showed must be gone from this machine's queues
    local key
    while read -r key; do
        if ipcs -q | grep -qi "^$key "; then echo "queue $key left behind" >>"$problems"; fi
    done < <(grep -o 'key 0x[0-9a-f]*' "$out" | sort -u | cut -d' ' -f2)
    if grep -q $'\033' "$out"; then echo "colour codes in --all output" >>"$problems"; fi
}

# key_states NAME: what the tour's views must have shown.
key_states() {
    local out="$scratch/$1.out" problems="$scratch/$1.problems"
    grep -q '^End of the tour' "$out" || echo "it did not reach \"End of the tour\"" >>"$problems"
    grep -Eq '^    [0-9]+ messages?, .*: FULL|^  POSIX queue .*: FULL' "$out" ||
        echo "no view showed a full queue" >>"$problems"
    grep -Eq '^ +asleep in (msgsnd|mq_send)' "$out" ||
        echo "no view showed a sender asleep on a full queue" >>"$problems"
    grep -Eq '^ +asleep in (msgrcv, waiting for|mq_receive)' "$out" ||
        echo "no view showed a receiver asleep, waiting for a message" >>"$problems"
}

for lab in "${labs[@]}"; do
    if [ ! -e "$top/grader/tours/lab$lab.tour" ]; then
        echo "--   lab$lab has no tour yet (grader/tours/lab$lab.tour)"
        continue
    fi
    tour "lab$lab" 0 "$lab" --all
    key_states "lab$lab"
    result "lab$lab tour: complete on the reference in $(cat "$scratch/lab$lab.took") s, key states shown, nothing left behind" \
        "$scratch/lab$lab.problems" "$scratch/lab$lab.out"

    GRADER_SANDBOX=none tour "lab$lab-fallback" 0 "$lab" --all
    key_states "lab$lab-fallback"
    result "lab$lab tour: without namespaces too (GRADER_SANDBOX=none), nothing left behind" \
        "$scratch/lab$lab-fallback.problems" "$scratch/lab$lab-fallback.out"

    tour "lab$lab-starter" "1 2" "$lab" "$top/labs/lab$lab" --all
    grep -Eq 'The tour stops here|tour: ' "$scratch/lab$lab-starter.out" ||
        echo "it gave no reason for stopping" >>"$scratch/lab$lab-starter.problems"
    result "lab$lab tour: on the starter, stops with a reason and leaves nothing behind" \
        "$scratch/lab$lab-starter.problems" "$scratch/lab$lab-starter.out"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

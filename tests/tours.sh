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
# or 2 and a reason, and leaves nothing behind either. A pgrep or ipcs that
# cannot look is a failure (its silence would read as "nothing left").
# Counts through tests/lib.sh; ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$(mktemp -d /tmp/tours.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
bound=${TOUR_BOUND:-120}
part=tours  # (each lab's checks: "labN tour")
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"

labs=("$@")
if [ ${#labs[@]} -eq 0 ]; then
    for t in "$top"/grader/tours/lab*.tour; do
        n=$(basename "$t" .tour)
        [ -e "$top/grader/$n.exp" ] && labs+=("${n#lab}")
    done
fi

verdict() { # verdict DESCRIPTION PROBLEMS-FILE OUTPUT-FILE
    if [ ! -s "$2" ]; then
        result 0 "$1"
    else
        { cat "$2"; echo "last lines of the tour:"; tail -15 "$3" | sed 's/^/  /'; } >"$2.why"
        detail_lines=$(($(wc -l <"$2.why") + 1)) result 1 "$1" "$2.why"
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
    # (pgrep: 0 found, 1 none, more: it could not look)
    left=$(pgrep -af -- "$tmp")
    case $? in
        0) echo "processes left behind: $left" >>"$problems" ;;
        1) ;;
        *) echo "pgrep could not look for processes left behind" >>"$problems" ;;
    esac
    [ -z "$(ls -A "$tmp")" ] || echo "scratch left behind: $(ls -A "$tmp")" >>"$problems"
    # Every key the views showed must be gone from this machine's queues
    # (as ipcs lists them: an ipcs that fails would show none)
    local key all
    if ! all=$(ipcs -q) || ! grep -q 'Message Queues' <<<"$all"; then
        echo "ipcs -q could not list the queues" >>"$problems"
    fi
    while read -r key; do
        if grep -qi "^$key " <<<"$all"; then echo "queue $key left behind" >>"$problems"; fi
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

toured=0
for lab in "${labs[@]}"; do
    if [ ! -e "$top/grader/tours/lab$lab.tour" ]; then
        echo "--   lab$lab has no tour yet (grader/tours/lab$lab.tour)"
        continue
    fi
    part="lab$lab tour"
    toured=$((toured + 1))
    tour "lab$lab" 0 "$lab" --all
    key_states "lab$lab"
    verdict "complete on the reference in $(cat "$scratch/lab$lab.took") s, key states shown, nothing left behind" \
        "$scratch/lab$lab.problems" "$scratch/lab$lab.out"

    GRADER_SANDBOX=none tour "lab$lab-fallback" 0 "$lab" --all
    key_states "lab$lab-fallback"
    verdict "without namespaces too (GRADER_SANDBOX=none), nothing left behind" \
        "$scratch/lab$lab-fallback.problems" "$scratch/lab$lab-fallback.out"

    tour "lab$lab-starter" "1 2" "$lab" "$top/labs/lab$lab" --all
    grep -Eq 'The tour stops here|tour: ' "$scratch/lab$lab-starter.out" ||
        echo "it gave no reason for stopping" >>"$scratch/lab$lab-starter.problems"
    verdict "on the starter, stops with a reason and leaves nothing behind" \
        "$scratch/lab$lab-starter.problems" "$scratch/lab$lab-starter.out"
done
part=tours
[ "$toured" -gt 0 ]
result $? "a tour to check (grader/tours/labN.tour): $toured"

summary

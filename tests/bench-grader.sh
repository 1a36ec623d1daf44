#!/usr/bin/env bash
# bench-grader.sh: how fast the grader grades a class (a benchmark, not a test).
#
# Usage: tests/bench-grader.sh [SIZE]      (make bench-grader; SIZE default 60)
#        BENCH_JOBS="1 2 4" tests/bench-grader.sh   (the -j values to compare)
#        BENCH_BASELINE=REV tests/bench-grader.sh  (also grade it with the grader
#                                                   of git revision REV, in the same run)
#
# A synthetic class of lab 1: the reference, the starter and each broken
# fixture of tests/fixtures/lab1, copied round-robin to SIZE submissions.
# Grades it with grader/grade-class at -j 1, at -j = the number of cores
# and at twice that (or at BENCH_JOBS), and prints the wall time, the
# seconds per submission and the speed-up (and whether the runs gave the
# same scores), then the time of one lab-1 grade of the reference with
# valgrind and with the sanitizers instead, a class of correct submissions
# only, and beside them the floor: one submission's work without the grader.
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
size=${1:-60}
cores=$(nproc)
scratch=$(mktemp -d /tmp/bench-grader.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

# The class
kinds=(reference starter)
for p in "$top"/tests/fixtures/lab1/*.patch; do kinds+=("$(basename "$p" .patch)"); done
for i in $(seq 1 "$size"); do
    kind=${kinds[$(((i - 1) % ${#kinds[@]}))]}
    dir=$(printf '%s/class/s%03d-%s' "$scratch" "$i" "$kind")
    mkdir -p "$dir"
    case $kind in
        starter) cp "$top"/labs/lab1/*.[ch] "$dir/" ;;
        *) cp "$top"/solutions/lab1/*.[ch] "$dir/" ;;
    esac
    [ -f "$top/tests/fixtures/lab1/$kind.patch" ] &&
        patch -s -p1 -d "$dir" <"$top/tests/fixtures/lab1/$kind.patch"
done
echo "A class of $size lab-1 submissions (${#kinds[@]} kinds: the reference, the starter, $((${#kinds[@]} - 2)) fixtures), $cores cores"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
grader=$top
run() { # run JOBS: grade the class; prints the wall time
    local t0
    t0=$(now)
    "$grader/grader/grade-class" 1 "$scratch/class" -j "$1" -o "$scratch/j$1" >"$scratch/j$1.log" 2>&1
    since "$t0"
}
# The -j values to compare (BENCH_JOBS, default "1 CORES 2*CORES": the last
# is grade-class's default); speed-ups are
# against the first.
read -ra jobs_list <<<"${BENCH_JOBS:-1 $cores $((2 * cores))}"
per() { awk -v t="$1" -v n="$size" 'BEGIN { printf "%.2f", t / n }'; }
first="" base=""
for j in "${jobs_list[@]}"; do
    t=$(run "$j")
    line=$(printf '  -j %-2d %7.1f s wall, %s s per submission' "$j" "$t" "$(per "$t")")
    if [ -z "$first" ]; then
        first=$j base=$t
        echo "$line"
        continue
    fi
    echo "$line, speed-up $(awk -v a="$base" -v b="$t" 'BEGIN { printf "%.2fx", a / b }')"
    if cmp -s "$scratch/j$first/scores.csv" "$scratch/j$j/scores.csv"; then
        echo "        the same scores.csv as at -j $first"
    else
        echo "        DIFFERENT scores from -j $first:"
        diff "$scratch/j$first/scores.csv" "$scratch/j$j/scores.csv" | head -20 | sed 's/^/        /'
    fi
done

one() { # one OPTIONS...: one grade of the reference; prints the wall time
    local t0
    t0=$(now)
    "$grader/grader/grade" 1 "$top/solutions/lab1" --out "$scratch/one" "$@" >/dev/null 2>&1
    since "$t0"
}
echo "  one lab-1 grade of the reference (-j $cores): $(one) s with valgrind," \
    "$(one --sanitize) s with the sanitizers instead, $(one -j 1) s with valgrind at -j 1"

# A class of correct submissions only (a third of SIZE copies of the
# reference), at -j CORES: what an honest class costs
mkdir -p "$scratch/correct"
ncorrect=$(((size + 2) / 3))
for i in $(seq 1 "$ncorrect"); do
    mkdir -p "$scratch/correct/s$i" && cp "$top"/solutions/lab1/*.[ch] "$scratch/correct/s$i/"
done
correct() { # grade them with $grader; prints the line
    local t0 t
    t0=$(now)
    "$grader/grader/grade-class" 1 "$scratch/correct" -j "$cores" -o "$scratch/correct-out" >/dev/null 2>&1
    t=$(since "$t0")
    echo "  $ncorrect correct submissions at -j $cores: $t s wall, $(awk -v t="$t" -v n="$ncorrect" 'BEGIN { printf "%.2f", t / n }') s per submission"
}
correct

# The floor: the work itself, without the grader: compile the reference's
# two programs, run the lecture's exchange (send the ten messages, receive
# them all, answer y), then the same under valgrind as the grader runs it
# (no inlined frames; the C library's symbols only, where the grader's
# cache holds them: build::symbols); no sandbox, no expect.
floor_once() {
    local d=$scratch/floor
    rm -rf "$d" && mkdir -p "$d" && cp "$top"/solutions/lab1/*.[ch] "$top"/data/msgsnd.txt "$d/" || return 1
    (
        cd "$d" || exit 1
        cc -std=c11 -g -o msgsnd msgsnd.c && cc -std=c11 -g -o msgrcv msgrcv.c || exit 1
        : >key
        for vg in "" "valgrind -q --leak-check=full --read-inline-info=no"; do
            # shellcheck disable=SC2086 # (vg: a command and its options, or nothing)
            $vg ./msgsnd key msgsnd.txt >/dev/null && echo y | $vg ./msgrcv key >/dev/null || exit 1
        done
    )
}
floor() {
    local t0 symbols wrap=()
    symbols=$(find "$top/grade-out/.cache" -maxdepth 1 -name 'symbols-*' -printf '%T@ %p\n' 2>/dev/null |
        sort -rn | head -1 | cut -d' ' -f2-)
    # (root: in an IPC namespace of its own, the machine's queues untouched)
    [ "$(id -u)" -eq 0 ] && wrap=(unshare --ipc)
    if [ -n "$symbols" ] && command -v bwrap >/dev/null; then
        wrap+=(bwrap --bind / / --dev /dev --ro-bind "$symbols" /usr/lib/debug/.build-id)
    fi
    t0=$(now)
    "${wrap[@]}" bash -c "$(declare -f floor_once); scratch=$(printf %q "$scratch"); top=$(printf %q "$top"); floor_once" ||
        echo "  (the floor's run failed)" >&2
    since "$t0"
}
# (the median of three: one run of a second varies by a third here)
floors=$(for _ in 1 2 3; do floor; echo; done | sort -n | paste -sd' ')
read -r _ median _ <<<"$floors"
echo "  floor, one submission's work without the grader (compile, the lecture's exchange, again under valgrind): $median s (the median of $floors)"

# The same, with the grader of another revision (its own tests of lab 1)
if [ -n "${BENCH_BASELINE:-}" ]; then
    git -C "$top" worktree add -q --detach "$scratch/baseline" "$BENCH_BASELINE" || exit 2
    trap 'git -C "$top" worktree remove --force "$scratch/baseline"; rm -rf "$scratch"' EXIT
    grader="$scratch/baseline"
    echo "The grader of $BENCH_BASELINE ($(git -C "$grader" log -1 --format='%h %s' | cut -c1-60)):"
    for j in "${jobs_list[@]}"; do
        t=$(run "$j")
        printf '  -j %-2d %7.1f s wall, %s s per submission\n' "$j" "$t" "$(per "$t")"
    done
    echo "  one lab-1 grade of the reference (-j $cores): $(one) s with valgrind"
    correct
fi

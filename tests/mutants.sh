#!/usr/bin/env bash
# mutants.sh: how many small bugs in a lab's reference the grader catches.
#
# Usage: tests/mutants.sh LAB [-n MAX] [-j JOBS] [--seed S]
#        (make mutants LAB=N [MAX=n] [JOBS=n])
#
# Makes first-order mutants of the code a student writes in solutions/labLAB
# (not the files the lab gives complete, which the grader builds from its own copy)
# (tests/mutants/mutate.py says where and how: flipped comparisons and
# booleans, dropped IPC flags, skipped cleanup calls, swapped exit codes,
# off-by-one constants and sizes, changed message types), builds each with
# the lab's flags (-Werror: a mutant that does not build is skipped and
# counted apart), and grades it with grader/grade. A mutant is caught when
# its score is below the reference's full marks, and one of the tests it
# failed fails again when graded a second time. The mutants are the same
# every run; -n MAX grades only MAX of them, drawn by a fixed seed. JOBS
# mutants are graded at a time (default 2), under nice.
#
# Prints each survivor as a diff, then "lab N: caught C of M mutants (P%)".
# tests/mutants/labLAB.equivalent lists survivors that no test can catch,
# one "ID  why" per line: they are left out of M. The table of every
# mutant's verdict and the tests that caught it is kept in
# grade-out/mutants/labLAB.tsv. Exit status 0 once every mutant is graded,
# 2 when the run could not be made (the reference short of full marks, say).
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage() { sed -n '3,4s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }

lab=""
max=""
jobs=2
seed=mutants
while [ $# -gt 0 ]; do
    case $1 in
        -n) max=${2:-}; shift 2 || usage ;;
        -j) jobs=${2:-}; shift 2 || usage ;;
        --seed) seed=${2:-}; shift 2 || usage ;;
        -h | --help) usage ;;
        -*) usage ;;
        *) [ -z "$lab" ] || usage; lab=$1; shift ;;
    esac
done
{ [[ $lab =~ ^[0-9]+$ ]] && [ -f "$top/grader/lab$lab.exp" ]; } || usage
[[ $jobs =~ ^[1-9][0-9]*$ ]] || usage
[ -z "$max" ] || [[ $max =~ ^[1-9][0-9]*$ ]] || usage

"$top/grader/lib/deps.sh" mutants || exit 2
sol="$top/solutions/lab$lab"
equivalent="$top/tests/mutants/lab$lab.equivalent"
mapfile -t files < <(tclsh "$top/grader/lib/lab-files.tcl" "$top/grader/lab$lab.exp" --written)
scratch=$(mktemp -d "/tmp/mutants-lab$lab.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cflags="-std=c11 -Wall -Wextra -Werror -Og -g"

# grade DIR OUT [TEST...]: grade DIR (only TESTs when given) quietly into OUT;
# prints "SCORE FULL FAILED-TESTS..." (nothing when the grader gave no score)
grade() {
    local dir=$1 out=$2 t
    shift 2
    local only=()
    for t in "$@"; do only+=(-t "$t"); done
    nice -n 10 "$top/grader/grade" "$lab" "$dir" --no-explain --out "$out" "${only[@]}" >"$out.log" 2>&1
    awk '/^Score: [0-9]+\/[0-9]+/ { split($2, s, "/"); score = s[1] " " s[2] }
         $1 == "FAIL" { failed = failed " " $2 }
         END { if (score != "") print score failed }' "$out.log"
}

# The reference first: a mutant is caught by scoring below its marks here.
# (A second try: on a loaded machine a timing test may miss once.)
for try in 1 2; do
    rm -rf "$scratch/reference"
    read -r ref full _ < <(grade "$sol" "$scratch/reference")
    [ -n "${ref:-}" ] && [ "$ref" = "$full" ] && break
    [ "$try" -eq 1 ] && echo "mutants: the reference scored ${ref:-nothing}/${full:-?}; grading it again" >&2
done
if [ -z "${ref:-}" ] || [ "$ref" != "$full" ]; then
    echo "mutants: the reference solutions/lab$lab scores ${ref:-nothing}/${full:-?} here, not full marks; see:" >&2
    sed 's/^/  /' "$scratch/reference.log" | tail -40 >&2
    exit 2
fi

python3 "$top/tests/mutants/mutate.py" write "$sol" "$scratch/patches" ${max:+--max "$max"} --seed "$seed" \
    "${files[@]}" || exit 2
total=$(wc -l <"$scratch/patches/list.tsv")
echo "lab $lab: grading $total mutants${max:+ (a sample of $max)}, $jobs at a time (reference: $full/$full)"

# one K: build and grade mutant K; writes its verdict line to verdicts/K:
# ID caught|survived|unbuilt|ungraded SCORE TESTS...
one() {
    local k=$1 dir="$scratch/m$1" id verdict
    id=$(awk -F'\t' -v k="$k" '$1 == k { print $2 }' "$scratch/patches/list.tsv")
    cp -r "$sol" "$dir"
    if ! patch -s -p1 -d "$dir" <"$scratch/patches/$k.patch" >/dev/null 2>&1 ||
        ! nice -n 10 make -s -C "$dir" clean all CFLAGS="$cflags" >/dev/null 2>&1; then
        verdict="unbuilt -"
    else
        make -s -C "$dir" clean >/dev/null 2>&1
        local score full_ tests
        read -r score full_ tests < <(grade "$dir" "$scratch/out$k")
        if [ -z "${score:-}" ]; then
            verdict="ungraded -"
        elif [ "$score" -lt "$full_" ] || [ "$score" -lt "$full" ]; then
            # A kill must hold: the tests that failed are graded again, and
            # one must fail again (a timing test may miss once under load)
            local again
            # shellcheck disable=SC2086 # the test names, one word each
            read -r _ _ again < <(grade "$dir" "$scratch/again$k" $tests)
            if [ -n "${again:-}" ]; then
                verdict="caught $score/$full_ $again"
            else
                verdict="survived $score/$full_ (failed$tests once, passed again)"
            fi
        else
            verdict="survived $score/$full_"
        fi
    fi
    echo "$id $verdict" >"$scratch/verdicts/$k"
    rm -rf "$dir" "$scratch/out$k" "$scratch/again$k"
}
mkdir -p "$scratch/verdicts"
for k in $(seq 1 "$total"); do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    one "$k" &
done
wait

# The table, the survivors, the score
mkdir -p "$top/grade-out/mutants"
table="$top/grade-out/mutants/lab$lab.tsv"
equiv_ids=""
[ -f "$equivalent" ] && equiv_ids=$(sed -n 's/^\([^#[:space:]][^[:space:]]*\).*/\1/p' "$equivalent")
caught=0 survived=0 unbuilt=0 ungraded=0 excused=0
: >"$table"
for k in $(seq 1 "$total"); do
    read -r id verdict score tests <"$scratch/verdicts/$k"
    where=$(awk -F'\t' -v k="$k" '$1 == k { print $3 "\t" $4 "\t" $5 }' "$scratch/patches/list.tsv")
    printf '%s\t%s\t%s\t%s\t%s\n' "$id" "$verdict" "$where" "$score" "${tests:-}" >>"$table"
    is_equiv=0
    grep -qxF -- "$id" <<<"$equiv_ids" && is_equiv=1
    case $verdict in
        caught)
            caught=$((caught + 1))
            [ "$is_equiv" -eq 1 ] && echo "note: $id is listed as equivalent, but was caught by:$tests"
            ;;
        survived)
            if [ "$is_equiv" -eq 1 ]; then
                excused=$((excused + 1))
            else
                survived=$((survived + 1))
                IFS=$'\t' read -r line op change <<<"$where"
                echo
                echo "SURVIVED $id ($line, $op: $change)${tests:+ $tests}"
                grep -v '^\(---\|+++\) ' "$scratch/patches/$k.patch"
            fi
            ;;
        unbuilt) unbuilt=$((unbuilt + 1)) ;;
        *)
            ungraded=$((ungraded + 1))
            echo "note: $id: the grader gave no score (left out)"
            ;;
    esac
done
all=$((caught + survived))
echo
echo "lab $lab: $unbuilt mutants do not build with $cflags, $excused are equivalent," \
    "$ungraded got no score (all left out); verdicts in ${table#"$top"/}"
echo "lab $lab: caught $caught of $all mutants ($((all ? 100 * caught / all : 100))%)"

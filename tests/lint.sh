#!/usr/bin/env bash
# lint.sh: the project's static checks.
#
# Usage: tests/lint.sh
#
# Runs shellcheck on every shell script; clang-format (the repository's
# .clang-format) on every C file of labs/, solutions/ and grader/; labs/ is
# what tests/make-starters.sh generates from solutions/; each lab
# has its four parts (labs/labN, solutions/labN, handouts/labN.md,
# grader/labN.exp); lab files use the library's calls, not its globals; no
# build output is tracked by git.
# Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 2
part=lint
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

mapfile -t scripts < <(
    { find . -name '*.sh' -not -path './.git/*' -not -path './grade-out/*'
      printf '%s\n' ./grader/grade ./grader/tour ./grader/classroom ./.ci/run ./tests/run; } | sort -u
)
shellcheck "${scripts[@]}" >"$log" 2>&1
result $? "shellcheck on ${#scripts[@]} scripts" "$log"

# A marked solution file (tests/make-starters.sh) is checked as the compiler
# sees it, with no macro defined; its starter is checked in labs/.
mapfile -t csrc < <(find labs solutions grader -name '*.[ch]' | sort)
: >"$log"
for f in "${csrc[@]}"; do
    if [[ $f == solutions/* ]] && grep -q '^#if.*STARTER' "$f"; then
        # unifdef exits 1 when it changed the text, 2 on trouble (a missing
        # unifdef would hand clang-format nothing, which it finds well formatted)
        unifdef -USTARTER "$f" 2>>"$log" | clang-format --assume-filename="$f" --dry-run -Werror >>"$log" 2>&1
        st=("${PIPESTATUS[@]}")
        [ "${st[0]}" -le 1 ] || echo "$f: unifdef -USTARTER failed (status ${st[0]})" >>"$log"
        [ "${st[1]}" -eq 0 ]
    else
        clang-format --dry-run -Werror "$f" >>"$log" 2>&1
    fi || echo "$f: not as clang-format would write it" >>"$log"
done
[ ! -s "$log" ] && [ ${#csrc[@]} -gt 0 ]
result $? "clang-format on ${#csrc[@]} C files (marked solutions without the starter's halves)" "$log"

tests/make-starters.sh --check >"$log" 2>&1
result $? "labs/ is what make starters generates from solutions/" "$log"

# Each numbered TODO of a starter (in a comment) names sections of its lab's
# handout that exist
: >"$log"
todos=0
for f in labs/lab*/*.[ch]; do
    lab=${f#labs/}
    lab=${lab%%/*}
    while IFS= read -r todo; do
        todos=$((todos + 1))
        refs=$(sed -n 's/.*(handout \([^)]*\)).*/\1/p' <<<"$todo")
        if [ -z "$refs" ]; then
            echo "$f: $todo: names no handout section" >>"$log"
            continue
        fi
        refs=${refs//-/ } # a range: both ends
        for sec in ${refs//,/ }; do
            grep -qE "^#+ ${sec//./\\.} " "handouts/$lab.md" ||
                echo "$f: $todo: handouts/$lab.md has no section $sec" >>"$log"
        done
    done < <(grep -oE '(^|/\*)[[:space:]]*TODO [0-9]+[^:]*' "$f")
done
[ ! -s "$log" ] && [ "$todos" -gt 0 ]
result $? "each of the starters' $todos TODOs names handout sections that exist" "$log"

: >"$log"
for exp in grader/lab*.exp; do
    n=$(basename "$exp" .exp)
    for p in "labs/$n" "solutions/$n" "handouts/$n.md" "tests/expected/$n-starter.fails"; do
        [ -e "$p" ] || echo "$n has no $p" >>"$log"
    done
done
[ ! -s "$log" ]
result $? "every lab has its starter, solution, handout, tests and expected failures" "$log"

# The lab files and tours reach a program's record and the grade's settings
# through the library's calls (shown, program_path, test_timeout...), so
# the record's shape can change in one place
# (grep: 1 is "no line"; 2, a file it could not read, is no proof)
grep -nE '::(P_|cfg\b)' grader/lab*.exp grader/tours/* >"$log" 2>&1
[ $? -eq 1 ]
result $? "no lab file or tour reads ::P_ or ::cfg" "$log"

# (git and file must both work: with no list, or no file, nothing is found)
: >"$log"
if ! git ls-files -z >"$log.files" 2>>"$log" || [ ! -s "$log.files" ]; then
    echo "git ls-files listed nothing" >>"$log"
elif ! xargs -0 file -N <"$log.files" >"$log.types" 2>>"$log"; then
    echo "file could not say what the tracked files are" >>"$log"
else
    grep -E 'ELF|ar archive' "$log.types" >>"$log"
fi
rm -f "$log.files" "$log.types"
[ ! -s "$log" ]
result $? "no compiled program is tracked by git ($(git ls-files 2>/dev/null | wc -l) files)" "$log"

summary

#!/usr/bin/env bash
# lint.sh: the project's static checks.
#
# Usage: tests/lint.sh
#
# Runs shellcheck on every shell script; clang-format (the repository's
# .clang-format) on every C file of labs/, solutions/ and grader/; each lab
# has its four parts (labs/labN, solutions/labN, handouts/labN.md,
# grader/labN.exp); no build output is tracked by git.
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
      printf '%s\n' ./grader/grade ./grader/tour ./.ci/run ./tests/run; } | sort -u
)
shellcheck "${scripts[@]}" >"$log" 2>&1
result $? "shellcheck on ${#scripts[@]} scripts" "$log"

mapfile -t csrc < <(find labs solutions grader -name '*.[ch]' | sort)
clang-format --dry-run -Werror "${csrc[@]}" >"$log" 2>&1
result $? "clang-format on ${#csrc[@]} C files" "$log"

: >"$log"
for exp in grader/lab*.exp; do
    n=$(basename "$exp" .exp)
    for part in "labs/$n" "solutions/$n" "handouts/$n.md" "tests/expected/$n-starter.fails"; do
        [ -e "$part" ] || echo "$n has no $part" >>"$log"
    done
done
[ ! -s "$log" ]
result $? "every lab has its starter, solution, handout, tests and expected failures" "$log"

git ls-files -z 2>/dev/null | xargs -0 -r file -N 2>/dev/null | grep -E 'ELF|ar archive' >"$log"
[ ! -s "$log" ]
result $? "no compiled program is tracked by git" "$log"

summary

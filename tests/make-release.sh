#!/usr/bin/env bash
# make-release.sh: write a student repository, ready to push (make release).
#
# Usage: tests/make-release.sh DEST      (DEST: a new or empty folder)
#
# DEST gets what git tracks of labs/ (the starters), handouts/, data/ and
# grader/ (but grader/gradescope/, the instructor's packaging, which needs
# the solutions), and .clang-format, as they are in the working tree; a
# student README, Makefile and .gitignore (tests/release/); and
# .github/workflows/classroom.yml, which grades every lab on each push with
# grader/classroom and reports the points to GitHub Classroom. No
# solutions/, no tests/ (fixtures, hidden tests, attacks). In a release,
# grader/tour runs the student's programs and the grader's swap-in says it
# is unavailable: both look for solutions/, which is not there.
# tests/release.sh checks a release.
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=${1:?usage: tests/make-release.sh DEST}
if [ -e "$dest" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then
    echo "make-release: $dest is not empty" >&2
    exit 2
fi
mkdir -p "$dest" || exit 2
dest=$(cd "$dest" && pwd)

mapfile -t files < <(git -C "$top" ls-files -- labs handouts data grader .clang-format |
    grep -v '^grader/gradescope/')
if [ ${#files[@]} -eq 0 ]; then
    echo "make-release: git lists no files in $top (a clone of the repository is needed)" >&2
    exit 2
fi
for f in "${files[@]}"; do
    [ -e "$top/$f" ] || continue # deleted in the working tree
    mkdir -p "$dest/$(dirname "$f")"
    cp -p "$top/$f" "$dest/$f" || exit 2
done
cp "$top/tests/release/README.md" "$dest/README.md"
cp "$top/tests/release/Makefile" "$dest/Makefile"
cp "$top/tests/release/gitignore" "$dest/.gitignore"

# The workflow: one step (a Classroom "runner") per lab
labs=()
for exp in "$top"/grader/lab*.exp; do
    n=$(basename "$exp" .exp)
    labs+=("${n#lab}")
done
mkdir -p "$dest/.github/workflows"
{
    cat <<'YML'
# GitHub Classroom autograding: each push grades every lab with grader/grade
# and reports the points to Classroom. Classroom takes the points only from a
# workflow named "Autograding Tests" whose one job is "run-autograding-tests"
# (classroom-resources/autograding-grading-reporter). Each lab's step is one
# of the reporter's runners: its output `result` is the base64 of
# {"version": 1, "status", "max_score", "tests": [{"name", "status", "score",
# "message"}, ...]}, which grader/classroom writes.
# For an assignment of one lab, delete the other labs' steps, and their names
# in the reporter's env and runners.
name: Autograding Tests
on:
  - push
  - workflow_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: 90
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Install what the grader needs
        run: bash grader/lib/deps.sh grade
YML
    for n in "${labs[@]}"; do
        printf '      - name: Lab %s\n        id: lab%s\n        run: bash grader/classroom %s\n' "$n" "$n" "$n"
    done
    printf '      - name: Autograding Reporter\n        uses: classroom-resources/autograding-grading-reporter@v1\n        env:\n'
    runners=""
    for n in "${labs[@]}"; do
        # shellcheck disable=SC2016 # ${{ }} is the workflow's, not the shell's
        printf '          LAB%s_RESULTS: "${{ steps.lab%s.outputs.result }}"\n' "$n" "$n"
        runners="$runners${runners:+,}lab$n"
    done
    printf '        with:\n          runners: %s\n' "$runners"
} >"$dest/.github/workflows/classroom.yml"
echo "make-release: a student repository in $dest ($(find "$dest" -type f | wc -l) files)"

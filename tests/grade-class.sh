#!/usr/bin/env bash
# grade-class.sh: prove grader/grade-class on a small class of lab 1.
#
# Usage: tests/grade-class.sh
#
# The class: the reference as a folder; the reference zipped in nested
# folders with stray build files and macOS litter; the starter as a nested
# .tar.gz; a folder with one file of three; a corrupt .zip; a broken
# fixture as a .tgz. Graded on a few tests plus the hidden tests of
# tests/hidden/lab1, once 2 at a time and once 1 at a time: the same
# scores.csv, the expected rows and notes, a summary with the tests most
# failed first, each student's report and transcripts, plain progress lines
# off a terminal, and nothing left running. Then two entries that make one
# folder name ("gina lee", gina_lee): graded apart. Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$(mktemp -d /tmp/grade-class-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
part=grade-class
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"

# The class
sol="$top/solutions/lab1"
class="$scratch/class"
mk="$scratch/make"
mkdir -p "$class/alice" "$mk/bob/lab1" "$mk/bob/__MACOSX" "$mk/carol/handin/src" "$class/dave" \
    "$mk/frank"
cp "$sol"/*.[ch] "$class/alice/"
cp "$sol"/*.[ch] "$mk/bob/lab1/"
touch "$mk/bob/lab1/msgsnd.o" "$mk/bob/lab1/msgsnd" "$mk/bob/__MACOSX/._msgsnd.c"
(cd "$mk" && zip -q -r "$class/bob.zip" bob)
cp "$top"/labs/lab1/*.[ch] "$mk/carol/handin/src/"
tar -czf "$class/carol.tar.gz" -C "$mk" carol
cp "$sol/msgsnd.c" "$class/dave/"
echo "not a zip" >"$class/erin.zip"
cp "$sol"/*.[ch] "$mk/frank/"
patch -s -p1 -d "$mk/frank" <"$top/tests/fixtures/lab1/ignores-type.patch"
tar -czf "$class/frank.tgz" -C "$mk" frank
touch "$class/.DS_Store"

tests=(-t usage -t receive-type -t help-msgsnd -t help-msgrcv)
grade_class() { # grade_class JOBS: grade into $scratch/jJOBS
    "$top/grader/grade-class" 1 "$class" -j "$1" -o "$scratch/j$1" --extra-tests "$top/tests/hidden/lab1" \
        -- "${tests[@]}" >"$scratch/j$1.out" 2>&1
    echo $? >"$scratch/j$1.rc"
}
grade_class 2
grade_class 1
out="$scratch/j2"
csv="$out/scores.csv"

# exit status 1: one submission (erin's) could not be graded
[ "$(cat "$scratch/j2.rc")" = 1 ] && [ "$(cat "$scratch/j1.rc")" = 1 ]
result $? "exit status 1 when a submission cannot be graded (got $(cat "$scratch/j2.rc"), $(cat "$scratch/j1.rc"))" "$scratch/j2.out"

# (two empty tables are the same too: one row per submission, and a header)
diff "$scratch/j1/scores.csv" "$csv" >"$scratch/diff" 2>&1 && [ "$(wc -l <"$csv")" -eq 7 ]
result $? "the same scores.csv at -j 1 and -j 2" "$scratch/diff"

row() { grep "^$1," "$csv"; }
head -1 "$csv" | grep -q '^student,score,max,usage,receive-type,help-msgsnd,help-msgrcv,note$'
result $? "scores.csv: student, score, max, one column per test (hidden ones too), note" "$csv"
row alice | grep -q '^alice,19,19,5,10,2,2,$'
result $? "a folder with the reference: full marks" "$csv"
row bob | grep -q '^bob,19,19,'
result $? "a .zip with nested folders, object files and __MACOSX: full marks" "$csv"
grep -q 'graded the files in bob/lab1/' "$out/students/bob/report.txt"
result $? "the report says which folder was graded" "$out/students/bob/report.txt"
row carol | grep -q '^carol,[0-9]*,19,'
result $? "a nested .tar.gz with the starter: a row" "$csv"
row dave | grep -q '^dave,0,19,0,0,0,0,missing: msgdata.h msgrcv.c$'
result $? "a folder lacking two files: a row with 0 and the reason" "$csv"
row erin | grep -q '^erin,0,19,,,,,"*could not unpack erin.zip: not a readable .zip file'
result $? "a corrupt .zip: a row with the reason" "$csv"
row frank | grep -q '^frank,9,19,5,0,2,2,$'
result $? "a .tgz of the ignores-type fixture: loses receive-type only" "$csv"

# summary.md: sections, and the pass rates in increasing order
sum="$out/summary.md"
for h in '## Score distribution' '## Tests, most failed first' '## Timeouts, crashes and limits' \
    '## Submissions with a note' '## The run'; do
    grep -q "^$h" "$sum" || echo "missing: $h"
done >"$scratch/sections"
[ ! -s "$scratch/sections" ]
result $? "summary.md has its five sections" "$scratch/sections"
awk -F'|' '/^\| [a-z]/ && !/^\| test / { gsub(/[ %]/, "", $5); print $5 }' "$sum" >"$scratch/rates"
sort -n -c "$scratch/rates" 2>/dev/null && [ "$(head -1 "$scratch/rates")" = 40 ] &&
    grep -q '^| receive-type | 10 | 2/5 | 40% |$' "$sum"
result $? "summary.md lists the tests most failed first (receive-type: 2 of 5)" "$sum"
grep -q '^- seconds per submission: ' "$sum" && grep -q '^- submissions: 6$' "$sum"
result $? "summary.md gives the run's figures" "$sum"

# Each student's files; plain lines off a terminal; nothing left behind
s="$out/students/frank"
[ -s "$s/report.txt" ] && [ -s "$s/results.json" ] && [ -s "$s/grade/logs/receive-type.log" ] &&
    [ ! -e "$s/grade/tests" ]
result $? "each student: report.txt, results.json, grade/logs/ (the scratch removed)" "$s/report.txt"
[ "$(grep -c '^  \[[1-6]/6\] ' "$scratch/j2.out")" = 6 ] && ! grep -q $'\r' "$scratch/j2.out"
result $? "one plain line per submission when the output is not a terminal" "$scratch/j2.out"
sleep 0.2
# (pgrep: 1 is "none"; more is "could not look", which is no proof)
pgrep -af -- "$scratch" >"$scratch/left" 2>&1
[ $? -le 1 ] && [ ! -s "$scratch/left" ]
result $? "no process left behind" "$scratch/left"

# Two entries whose names make the same folder name ("gina lee" and
# "gina_lee"): each is graded in a folder of its own, under a name of its own
mkdir -p "$scratch/class2/gina lee" "$scratch/class2/gina_lee"
cp "$top"/labs/lab1/*.[ch] "$scratch/class2/gina lee/"
cp "$sol"/*.[ch] "$scratch/class2/gina_lee/"
"$top/grader/grade-class" 1 "$scratch/class2" -j 2 -o "$scratch/two" -- -t receive-type >"$scratch/two.out" 2>&1
{ grep -q '^gina_lee,0,10,' "$scratch/two/scores.csv" && grep -q '^gina_lee_2,10,10,' "$scratch/two/scores.csv" &&
    grep -q '^Student: gina_lee_2 (gina_lee)$' "$scratch/two/students/gina_lee_2/report.txt"; } 2>/dev/null
result $? "entries with one sanitised name (\"gina lee\", gina_lee): graded apart, each its own row" "$scratch/two/scores.csv"

"$top/grader/grade-class" 99 "$class" -o "$scratch/bad" >"$scratch/bad.out" 2>&1
[ $? -eq 2 ] && grep -q 'no lab 99' "$scratch/bad.out"
result $? "an unknown lab: exit status 2 and why" "$scratch/bad.out"

summary

#!/usr/bin/env bash
# release.sh: a student release (make release) holds no answers and works
# from its own folder.
#
# Usage: tests/release.sh
#
# Builds a release with tests/make-release.sh into a scratch folder, then
# checks: it has the student's files and the Classroom workflow; it has no
# solutions/, no tests/, no fixture, no hidden test, no instructor packaging;
# no line of solution code from a marked block (#ifndef STARTER, see
# tests/make-starters.sh) is in any of its files; grading the untouched lab 1
# starter from inside the release, with the release's own grader, gives the
# starter's score in this repository (from tests/expected/lab1-starter.fails
# and the tests' points); its result converts to what Classroom's reporter
# reads; a failing test of a broken solution is explained, and its swap-in
# says it is unavailable; the tour runs the
# student's own programs; and `make grade` in a lab folder copied out of the
# release says where to run it. Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$(mktemp -d /tmp/release-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
part=release
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
log="$scratch/log"
rel="$scratch/student-repo"

"$top/tests/make-release.sh" "$rel" >"$log" 2>&1
result $? "make release writes a student repository" "$log"

: >"$log"
for f in README.md Makefile .gitignore .github/workflows/classroom.yml grader/grade grader/tour \
    grader/classroom handouts/lab1.md data/msgsnd.txt labs/lab1/msgsnd.c labs/lab1/Makefile; do
    [ -e "$rel/$f" ] || echo "missing: $f" >>"$log"
done
for exp in "$top"/grader/lab*.exp; do
    n=$(basename "$exp" .exp)
    for d in "labs/$n" "handouts/$n.md" "grader/$n.exp"; do
        [ -e "$rel/$d" ] || echo "missing: $d" >>"$log"
    done
    grep -q "id: $n\$" "$rel/.github/workflows/classroom.yml" || echo "the workflow does not grade $n" >>"$log"
done
grep -qx 'name: Autograding Tests' "$rel/.github/workflows/classroom.yml" &&
    grep -q '^  run-autograding-tests:' "$rel/.github/workflows/classroom.yml" ||
    echo "the workflow is not named as Classroom requires" >>"$log"
[ ! -s "$log" ]
result $? "the release has the labs, handouts, data, grader, README, Makefile and the Classroom workflow" "$log"

# No answers: folders, fixtures, hidden tests, files only the instructor needs
: >"$log"
for d in solutions tests grader/gradescope .git; do
    [ -e "$rel/$d" ] && echo "present: $d" >>"$log"
done
find "$rel" \( -name '*.patch' -o -name '*.fails' -o -name '*.conf' \) -printf 'fixture-like file: %P\n' >>"$log"
# a hidden test under any name: every file of the release against each
# (and the check looks at something: hidden tests, a release with files)
nhidden=0
nfiles=$(find "$rel" -type f 2>/dev/null | wc -l)
while IFS= read -r -d '' hidden; do
    nhidden=$((nhidden + 1))
    while IFS= read -r -d '' f; do
        cmp -s "$hidden" "$f" && echo "hidden test ${hidden#"$top"/} is in the release as ${f#"$rel"/}" >>"$log"
    done < <(find "$rel" -type f -size "$(stat -c %s "$hidden")c" -print0)
done < <(find "$top/tests/hidden" -type f -print0)
[ "$nhidden" -gt 0 ] || echo "no hidden test found in tests/hidden to look for" >>"$log"
[ "$nfiles" -gt 0 ] || echo "the release has no file" >>"$log"
[ ! -s "$log" ]
result $? "no solutions/, tests/, fixture, hidden test or Gradescope packaging in the release ($nfiles files, $nhidden hidden tests looked for)" "$log"

# No solution code. Lines: each line of a marked block's solution half
# (#ifndef STARTER, see tests/make-starters.sh) that no lab has outside such
# halves, nor the grader's own C, must be in no file of the release but the handouts (which may quote
# a line to explain it); lines shorter than 16 characters (a brace,
# "break;") say nothing. Blocks: no block's solution half of 3 lines or more
# is anywhere in the release, handouts included.
python3 - "$top" "$rel" >"$log" 2>&1 <<'PY'
import os, sys
top, rel = sys.argv[1], sys.argv[2]
def halves(path):
    blocks, other, state, cur = [], [], None, []
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if s.startswith("#ifndef STARTER"): state = "sol"; cur = []; continue
        if s.startswith("#ifdef STARTER"): state = "start"; continue
        if state and s.startswith("#else"):
            if state == "sol": blocks.append(cur)
            state = "start" if state == "sol" else "sol"; cur = []; continue
        if state and s.startswith("#endif"):
            if state == "sol": blocks.append(cur)
            state = None; continue
        (cur if state == "sol" else other).append(s)
    return blocks, other
blocks, other = [], set()
for lab in sorted(os.listdir(os.path.join(top, "solutions"))):
    d = os.path.join(top, "solutions", lab)
    for f in sorted(os.listdir(d)):
        if f.endswith((".c", ".h")):
            b, o = halves(os.path.join(d, f))
            blocks += b
            other.update(o)
# the grader ships its own C (qtool.c): a line it has gives nothing away
for root, _, files in os.walk(os.path.join(top, "grader")):
    for f in files:
        if f.endswith((".c", ".h")):
            other.update(l.strip() for l in open(os.path.join(root, f), encoding="utf-8"))
secret = {l for b in blocks for l in b if len(l) >= 16} - other
big = ["\n".join(l for l in b if l) for b in blocks if len([l for l in b if l]) >= 3]
found = read = 0
for root, _, files in os.walk(rel):
    for f in files:
        p = os.path.join(root, f)
        name = os.path.relpath(p, rel)
        try:
            text = open(p, encoding="utf-8").read()
        except UnicodeDecodeError:
            continue
        read += 1
        lines = [l.strip() for l in text.splitlines()]
        if not name.startswith("handouts/"):
            for l in sorted(set(lines) & secret):
                print(f"{name}: {l}")
                found += 1
        flat = "\n".join(l for l in lines if l)
        for b in big:
            if b in flat:
                print(f"{name}: a whole solution block, starting {b.splitlines()[0]}")
                found += 1
print(f"{len(secret)} solution lines and {len(big)} blocks of {len(blocks)} looked for in {read} files; {found} found", file=sys.stderr)
# (nothing looked for, or nowhere to look, is no proof)
sys.exit(1 if found or not secret or not big or not read else 0)
PY
result $? "no solution code from the marked blocks in the release ($(tail -1 "$log"))" "$log"

# The untouched starter of lab 1, graded from inside the release by its own grader
want=$(cd "$top" && grader/grade 1 --list 2>/dev/null | awk -v fails="$top/tests/expected/lab1-starter.fails" '
    BEGIN { while ((getline l < fails) > 0) if (l !~ /^[#?]/ && l ~ /[^ ]/) f[l] = 1 }
    NF >= 2 && $2 ~ /^[0-9]+$/ { total += $2; if (!($1 in f)) got += $2 }
    END { print got "/" total }')
(cd "$rel/labs/lab1" && ../../grader/grade 1 . --no-explain --json "$scratch/lab1.json") >"$log" 2>&1
got=$(sed -n 's/^Score: //p' "$log" | tail -1)
[[ $want =~ ^[0-9]+/[1-9][0-9]*$ ]] && [ "$got" = "$want" ]
result $? "the lab 1 starter graded inside the release scores $got, as in the repository ($want)" "$log"

# What the Classroom workflow's step sends to the reporter
if [ -s "$scratch/lab1.json" ]; then
    tclsh "$rel/grader/lib/classroom.tcl" "$scratch/lab1.json" 1 "lab 1" >"$scratch/b64" 2>"$log"
    base64 -d "$scratch/b64" >"$scratch/classroom.json" 2>>"$log"
    python3 - "$scratch/classroom.json" "$want" >>"$log" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
got, total = map(int, sys.argv[2].split("/"))
score = sum(t["score"] for t in doc["tests"])
ok = doc["version"] == 1 and doc["max_score"] == total and score == got and doc["status"] == "fail" \
    and all({"name", "status", "score"} <= t.keys() for t in doc["tests"])
print(f"classroom result: status {doc['status']}, {score}/{doc['max_score']}, {len(doc['tests'])} tests")
sys.exit(0 if ok else 1)
PY
    result $? "the Classroom result (base64 JSON) holds the same points ($(tail -1 "$log"))" "$log"
else
    result 1 "the Classroom result: the grade wrote no results.json" "$log"
fi

# Everything else works: the release's grader explains a failing test of a
# broken copy of the solution (the receiver ignores TYPE); its swap-in, which
# needs the reference, says it is unavailable
cp -r "$top/solutions/lab1" "$scratch/broken"
patch -s -p1 -d "$scratch/broken" <"$top/tests/fixtures/lab1/ignores-type.patch" >"$log" 2>&1 &&
    (cd "$rel" && grader/grade 1 "$scratch/broken" -t receive-type --out "$scratch/out-broken") >>"$log" 2>&1
[ $? -eq 1 ] && grep -q "swap-in check unavailable: this copy has no reference solution" "$log"
result $? "in the release, the swap-in explanation says it is unavailable" "$log"

# The tour runs the student's programs: it says so, and the starter stops
# it at a step (the banner alone is printed before any step runs)
(cd "$rel" && GRADER_TIMEOUT=2 timeout 300 grader/tour 1 --all </dev/null) >"$log" 2>&1
rc=$?
grep -q "your programs in labs/lab1" "$log" && ! grep -q "reference solution" "$log" &&
    [ "$rc" -eq 1 ] && grep -q "^The tour stops here" "$log" && ! grep -q "^End of the tour" "$log"
result $? "in the release, grader/tour 1 runs the student's labs/lab1 (the starter stops it, exit $rc)" "$log"

# make grade: in the release's lab folder it finds the grader; copied
# elsewhere it says where to run it
: >"$log"
make -s -n -C "$rel/labs/lab1" grade 2>&1 | grep -q '^\.\./\.\./grader/grade 1 \.$' ||
    echo "make grade in the release's labs/lab1 does not run ../../grader/grade 1 ." >>"$log"
mkdir -p "$scratch/elsewhere"
cp -r "$rel/labs/lab1" "$scratch/elsewhere/"
make -s -C "$scratch/elsewhere/lab1" grade >>"$log" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q "grader/grade not found above" "$log" && grep -q "GRADER=" "$log"
result $? "make grade in a copied lab folder says where to run it (exit $rc)" "$log"

summary

#!/usr/bin/env bash
# rebase-fixtures.sh: carry patches against solutions/labN over to a newly
# marked solutions/labN (tests/make-starters.sh), so that they apply without
# offset or fuzz and make the same program as before.
#
# Usage: tests/rebase-fixtures.sh COMMIT LAB PATCH...
#   COMMIT  a commit whose solutions/labLAB the patches apply to (say, HEAD
#           before the marking); the working tree's solutions/labLAB must give
#           the same code under `unifdef -USTARTER` (markers added, nothing else)
#
# For each PATCH: applies it to COMMIT's solution, finds each changed line in
# the marked file (the marked file's lines outside the starter halves are the
# old file's, in order), makes the same change there, and rewrites PATCH as
# a diff against the marked solution. A change that straddles a marker is
# not guessed at: the file's whole broken version replaces the marked one in
# the patch (the markers go; the program is the same), and the script says so.
# Then proves each rewritten patch: it applies cleanly and, under
# `unifdef -USTARTER`, gives exactly what the old patch gave. Run
# tests/check-lab.sh LAB afterwards.
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
commit=${1:?usage: tests/rebase-fixtures.sh COMMIT LAB PATCH...}
lab=${2:?usage: tests/rebase-fixtures.sh COMMIT LAB PATCH...}
shift 2
scratch=$(mktemp -d /tmp/rebase-fixtures.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
git -C "$top" archive "$commit" "solutions/lab$lab" | tar -x -C "$scratch" || exit 2
old="$scratch/solutions/lab$lab"
new="$top/solutions/lab$lab"
status=0

# map MARKED OLD BROKEN: BROKEN's change to OLD, made to MARKED, on stdout
map() {
    python3 - "$@" <<'PY'
import difflib, sys
marked, old, broken = (open(p).read().splitlines(keepends=True) for p in sys.argv[1:4])
where, state = [], None  # where[i]: the marked line that is old line i
for k, line in enumerate(marked):
    s = line.strip()
    if s.startswith("#ifndef STARTER"): state = "sol"; continue
    if s.startswith("#ifdef STARTER"): state = "start"; continue
    if state and s.startswith("#else"): state = "start" if state == "sol" else "sol"; continue
    if state and s.startswith("#endif"): state = None; continue
    if state != "start": where.append(k)
if [marked[k] for k in where] != old:
    sys.exit("the marked file's solution is not the old file")
edits = []
for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, broken, autojunk=False).get_opcodes():
    if tag == "equal": continue
    if i2 > i1:
        ks = where[i1:i2]
        if ks[-1] - ks[0] != i2 - i1 - 1:
            sys.exit("a change straddles a marker")
        edits.append((ks[0], ks[-1] + 1, broken[j1:j2]))
    else:
        at = where[i1 - 1] + 1 if i1 > 0 else 0
        edits.append((at, at, broken[j1:j2]))
for a, b, lines in sorted(edits, reverse=True):
    marked[a:b] = lines
sys.stdout.write("".join(marked))
PY
}

for p in "$@"; do
    name=$(basename "$p" .patch)
    w="$scratch/$name"
    mkdir -p "$w"
    cp -r "$old" "$w/old"
    cp -r "$old" "$w/broken"
    if ! patch -s -p1 -d "$w/broken" <"$p" >"$w/log" 2>&1; then
        echo "$name: does not apply to $commit's solution"
        status=1
        continue
    fi
    : >"$w/patch"
    for f in $(cd "$w/broken" && find . -type f ! -name '*.orig' | sed 's|^\./||' | sort); do
        if [ ! -e "$w/old/$f" ]; then
            diff -u --label /dev/null --label "b/$f" /dev/null "$w/broken/$f" >>"$w/patch"
            continue
        fi
        cmp -s "$w/old/$f" "$w/broken/$f" && continue
        if ! map "$new/$f" "$w/old/$f" "$w/broken/$f" >"$w/merged" 2>"$w/why"; then
            echo "$name: $f: $(cat "$w/why"): the patch now replaces the whole file"
            cp "$w/broken/$f" "$w/merged"
        fi
        diff -u --label "a/$f" --label "b/$f" "$new/$f" "$w/merged" >>"$w/patch"
    done
    # the proof: applies cleanly, and the same program as before
    cp -r "$new" "$w/check"
    if ! patch -p1 -d "$w/check" <"$w/patch" >"$w/log" 2>&1 || grep -qiE 'fuzz|offset' "$w/log"; then
        echo "$name: the rewritten patch does not apply cleanly"
        status=1
        continue
    fi
    for f in "$w/broken"/*.[ch]; do
        b=$(basename "$f")
        if ! unifdef -USTARTER "$w/check/$b" | cmp -s - "$f"; then
            echo "$name: $b differs from what the old patch made"
            status=1
            continue 2
        fi
    done
    cp "$w/patch" "$p"
    echo "$name: rewritten"
done
exit $status

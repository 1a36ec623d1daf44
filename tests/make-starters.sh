#!/usr/bin/env bash
# make-starters.sh: generate the students' starters, labs/labN, from the one
# source of each lab, solutions/labN (what `make starters` runs).
#
# Usage: tests/make-starters.sh [--check] [LAB...]   (default: every solutions/lab*)
#   --check   write nothing: say which files of labs/ differ from what would be
#             generated (a diff), exit status 1 if any does (tests/lint.sh runs it)
#
# The method. In solutions/labN/*.c and *.h, what the student writes sits in
#
#     #ifndef STARTER
#         the solution's lines
#     #else
#         the starter's TODO comment (naming a handout section that exists),
#         and any stub the starter needs to compile without warnings
#     #endif
#
# (the #else half may be empty; `#ifdef STARTER ... #endif` holds what only the
# starter says, such as the note under the header comment). The solution is
# what the compiler sees with no macro defined: the grader builds
# solutions/labN with plain cc. `unifdef -DSTARTER` makes the starter: it drops
# the solution halves and the markers and touches no other #if. A marker
# inside a comment is no marker (to unifdef as to cc): close the comment first.
# Every other file (Makefile, *.sh, and sources with no marker) is copied as it
# is, mode bits too: such files exist once, in solutions/.
#
# To mark a lab from a hand-written starter: GNU diff writes the markers,
#     diff --old-group-format=$'#ifndef STARTER\n%<#endif\n' \
#          --new-group-format=$'#ifdef STARTER\n%>#endif\n' \
#          --changed-group-format=$'#ifndef STARTER\n%<#else\n%>#endif\n' \
#          --unchanged-group-format='%=' solutions/labN/F.c starter/F.c
# then tidy the blocks by hand (a TODO beside the code it replaces, never a
# marker inside a comment; `unifdef -DSTARTER` must still give the starter,
# and `unifdef -USTARTER` the solution), run this script, and carry the
# patches against the solution over to the marked one:
#     tests/rebase-fixtures.sh COMMIT N tests/fixtures/labN/*.patch
# (COMMIT: one before the marking; the same for the patches of
# tests/attacks/labN and tests/hostile/labN that apply to solutions/; those
# with base=starter apply to labs/: `git merge-file` carries them over), then
# tests/check-lab.sh N.
#
# clang-format: tests/lint.sh checks the starter (labs/) and the solution as
# the compiler sees it (unifdef -USTARTER), not the marked file itself:
# clang-format 14 indents a comment-only #else half that follows a brace-less
# `if` one level too deep, so `clang-format -i` on a marked file can spoil the
# starter. Re-run this script after formatting, and lint.
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
check=0
if [ "${1:-}" = --check ]; then
    check=1
    shift
fi
if ! command -v unifdef >/dev/null 2>&1; then
    echo "make-starters: unifdef is missing (grader/lib/deps.sh test installs it)" >&2
    exit 2
fi
labs=("$@")
if [ ${#labs[@]} -eq 0 ]; then
    for d in "$top"/solutions/lab*/; do
        d=${d%/}
        labs+=("${d##*/lab}")
    done
fi

# The sources of a lab: what git keeps of it (.gitignore), never build outputs.
sources() {
    find "$1" -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' -o -name Makefile -o -name '*.sh' \) \
        -printf '%f\n' | sort
}

# generate LAB DEST: the starter of lab LAB into the empty folder DEST.
generate() {
    local src="$top/solutions/lab$1" dest=$2 f rc
    for f in $(sources "$src"); do
        if [[ $f == *.[ch] ]] && grep -q '^#if.*STARTER' "$src/$f"; then
            # unifdef: 0 unchanged, 1 changed, 2 trouble (an unbalanced #if)
            unifdef -DSTARTER "$src/$f" >"$dest/$f"
            rc=$?
            if [ "$rc" -gt 1 ]; then
                echo "make-starters: unifdef failed on solutions/lab$1/$f" >&2
                return 2
            fi
            chmod --reference="$src/$f" "$dest/$f"
        else
            cp -p "$src/$f" "$dest/$f"
        fi
    done
}

scratch=$(mktemp -d /tmp/starters.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
status=0
for lab in "${labs[@]}"; do
    if [ ! -d "$top/solutions/lab$lab" ]; then
        echo "make-starters: no solutions/lab$lab" >&2
        exit 2
    fi
    new="$scratch/lab$lab"
    mkdir -p "$new"
    generate "$lab" "$new" || exit 2
    old="$top/labs/lab$lab"
    if [ "$check" -eq 1 ]; then
        # the starter's sources only: a build in labs/ is not a difference
        mkdir -p "$scratch/old/lab$lab"
        [ -d "$old" ] && for f in $(sources "$old"); do cp -p "$old/$f" "$scratch/old/lab$lab/"; done
        if ! (cd "$scratch" && diff -ru "old/lab$lab" "lab$lab"); then
            echo "labs/lab$lab differs from what make starters generates from solutions/lab$lab"
            status=1
        fi
        for f in $(sources "$new"); do
            [ "$(stat -c %a "$new/$f")" = "$(stat -c %a "$scratch/old/lab$lab/$f" 2>/dev/null)" ] ||
                [ ! -e "$scratch/old/lab$lab/$f" ] || {
                echo "labs/lab$lab/$f: mode $(stat -c %a "$scratch/old/lab$lab/$f"), solutions/lab$lab/$f: $(stat -c %a "$new/$f")"
                status=1
            }
        done
    else
        mkdir -p "$old"
        # a source that is no longer generated goes (build outputs stay)
        for f in $(sources "$old"); do
            [ -e "$new/$f" ] || rm -f "$old/$f"
        done
        for f in $(sources "$new"); do
            cmp -s "$new/$f" "$old/$f" && [ "$(stat -c %a "$new/$f")" = "$(stat -c %a "$old/$f")" ] && continue
            cp -p "$new/$f" "$old/$f"
            echo "labs/lab$lab/$f"
        done
    fi
done
exit $status

#!/usr/bin/env bash
# package.sh: build the Gradescope autograder for one lab.
#
# Usage: grader/gradescope/package.sh LAB [--extra-tests DIR] [--reference]
#                                     [--visibility V] [--allow-unsandboxed] [-o ZIP]
#
# Writes ZIP (default autograder-labLAB.zip at the top of the repository):
# setup.sh and run_autograder at its root, then the grader (grader/grade,
# grader/lib, grader/helpers, grader/labLAB.exp), data/, the starter
# labs/labLAB (whose given files are graded, not the student's), the LAB file and,
# with --extra-tests, every DIR/*.exp as hidden tests (hidden/), whose
# results Gradescope shows with visibility V (default after_due_date; or
# hidden, after_published, visible). --reference also packs
# solutions/labLAB, so that failing tests are explained by swapping in the
# reference's programs; the student's programs cannot read the package.
# Where the autograder's machine allows no sandbox at all (not even a
# throwaway uid), it refuses to grade unless --allow-unsandboxed was given.
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
die() {
    echo "package: $*" >&2
    exit 2
}
lab="" extra_dir="" reference=0 visibility=after_due_date zip="" unsandboxed=0
while [ $# -gt 0 ]; do
    case $1 in
        --extra-tests) extra_dir=${2:-}; shift 2 || die "--extra-tests wants a folder" ;;
        --reference) reference=1; shift ;;
        --allow-unsandboxed) unsandboxed=1; shift ;;
        --visibility) visibility=${2:-}; shift 2 || die "--visibility wants a value" ;;
        -o) zip=${2:-}; shift 2 || die "-o wants a file name" ;;
        -*) die "unknown option $1 (see the comment at the top of $0)" ;;
        *) lab=${1#lab}; shift ;;
    esac
done
[ -n "$lab" ] || die "usage: grader/gradescope/package.sh LAB [--extra-tests DIR] [--reference] [--visibility V] [-o ZIP]"
[ -f "$top/grader/lab$lab.exp" ] || die "there is no lab $lab (no grader/lab$lab.exp)"
case $visibility in
    hidden | after_due_date | after_published | visible) ;;
    *) die "--visibility: one of hidden, after_due_date, after_published, visible" ;;
esac
command -v zip >/dev/null 2>&1 || die "zip is not installed (apt-get install -y zip)"
zip=${zip:-$top/autograder-lab$lab.zip}
case $zip in /*) ;; *) zip="$PWD/$zip" ;; esac

stage=$(mktemp -d "/tmp/gradescope-lab$lab.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/grader" "$stage/hidden"
cp "$top/grader/gradescope/setup.sh" "$top/grader/gradescope/run_autograder" "$stage/"
cp -R "$top/grader/grade" "$top/grader/lib" "$top/grader/lab$lab.exp" "$stage/grader/"
[ -d "$top/grader/helpers" ] && cp -R "$top/grader/helpers" "$stage/grader/"
mkdir -p "$stage/grader/gradescope"
cp "$top/grader/gradescope/results.tcl" "$stage/grader/gradescope/"
cp -R "$top/data" "$stage/"
# the starter: the files the lab gives complete are graded from it (lab_given)
mkdir -p "$stage/labs"
cp -R "$top/labs/lab$lab" "$stage/labs/"
make -s -C "$stage/labs/lab$lab" clean >/dev/null 2>&1
echo "$lab" >"$stage/LAB"
[ "$unsandboxed" -eq 1 ] && touch "$stage/ALLOW_UNSANDBOXED"
echo "$visibility" >"$stage/hidden/visibility"
if [ -n "$extra_dir" ]; then
    [ -d "$extra_dir" ] || die "no such folder: $extra_dir"
    n=0
    for f in "$extra_dir"/*.exp; do
        [ -e "$f" ] || continue
        cp "$f" "$stage/hidden/"
        n=$((n + 1))
    done
    [ "$n" -gt 0 ] || die "no .exp file in $extra_dir"
    # A broken hidden test must fail here, not on Gradescope
    args=()
    for f in "$stage"/hidden/*.exp; do args+=(--extra-tests "$f"); done
    out=$("$top/grader/grade" "$lab" --list "${args[@]}" 2>&1) || die "the hidden tests do not load: $out"
fi
if [ "$reference" -eq 1 ]; then
    mkdir -p "$stage/solutions"
    cp -R "$top/solutions/lab$lab" "$stage/solutions/"
    make -s -C "$stage/solutions/lab$lab" clean >/dev/null 2>&1
fi
find "$stage" -name '*.o' -delete
chmod 755 "$stage/setup.sh" "$stage/run_autograder"
rm -f "$zip"
(cd "$stage" && zip -q -r -X "$zip" .) || die "zip failed"
echo "wrote $zip ($(du -k "$zip" | cut -f1) KiB): upload it as the autograder of lab $lab on Gradescope"

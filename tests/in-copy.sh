#!/usr/bin/env bash
# in-copy.sh: run a command on a copy of the repository.
#
# Usage: tests/in-copy.sh COMMAND [ARG...]
#
# The attacks check that nothing a submission does changes the repository's
# grader, solutions or hidden tests, and put back what changed. Run on the
# checkout itself, that check would also see (and undo) a developer's edit
# made while the suite runs. So the part runs on a copy, made inside the
# checkout's grade-out/ (not in a temporary folder: the attacks see the
# repository where a user's would be), without .git and grade-out; every
# argument that names a path in the checkout names the same path in the copy.
# The copy is removed afterwards. Exit status: the command's.
set -u
[ $# -gt 0 ] || { echo "usage: tests/in-copy.sh COMMAND [ARG...]" >&2; exit 2; }
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$top/grade-out" || exit 2
copy=$(mktemp -d "$top/grade-out/.copy.XXXXXX") || exit 2
trap 'rm -rf "$copy"' EXIT
tar -C "$top" --exclude=./grade-out --exclude=./.git -cf - . | tar -C "$copy" -xpf - || {
    echo "in-copy: could not copy the repository into $copy" >&2
    exit 2
}
args=()
for a in "$@"; do
    case $a in
        "$top"/*) args+=("$copy/${a#"$top"/}") ;;
        *) args+=("$a") ;;
    esac
done
cd "$copy" && "${args[@]}"

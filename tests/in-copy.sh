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
# (both ends of the pipe: a reading tar that fails leaves a partial copy the
# writing one is content with; GNU tar's 1 on reading, a file changed or gone
# while it was read, is a developer's edit during the run, not a broken copy)
tar -C "$top" --exclude=./grade-out --exclude=./.git -cf - . | tar -C "$copy" -xpf -
st=("${PIPESTATUS[@]}")
if [ "${st[0]}" -gt 1 ] || [ "${st[1]}" -ne 0 ] || [ ! -e "$copy/tests/in-copy.sh" ]; then
    echo "in-copy: could not copy the repository into $copy (tar: ${st[*]})" >&2
    exit 2
fi
args=()
for a in "$@"; do
    case $a in
        "$top"/*) args+=("$copy/${a#"$top"/}") ;;
        *) args+=("$a") ;;
    esac
done
cd "$copy" && "${args[@]}"

#!/usr/bin/env bash
# private-tmp.sh: run a command with /tmp, /var/tmp and /dev/shm of its own.
#
# Usage: tests/private-tmp.sh COMMAND [ARG...]
#
# The attacks check that grading leaves nothing in the machine's shared
# folders; run beside the suite's other parts, they would see those parts'
# scratch folders come and go. As root, COMMAND runs in a mount namespace of
# its own with an empty tmpfs on each (everything it starts, the grader
# included, sees only those; the repository stays where it is, bound into
# the new one when it lives in one of them); otherwise it runs as it is.
set -u
[ $# -gt 0 ] || { echo "usage: tests/private-tmp.sh COMMAND [ARG...]" >&2; exit 2; }
if [ "$(id -u)" -ne 0 ]; then
    exec "$@"
fi
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# (each tmpfs is made in a folder of the repository's, then moved into place)
stage="$top/grade-out/.private-tmp.$$"
mkdir -p "$stage" || exit 2
trap 'rm -rf "$stage"' EXIT
# shellcheck disable=SC2016 # (expanded by the inner shell)
unshare --mount --propagation private bash -c '
    top=$1 stage=$2
    shift 2
    for d in /tmp /var/tmp /dev/shm; do
        new="$stage/${d//\//_}"
        mkdir -p "$new" && mount -t tmpfs -o mode=1777,size=1g tmpfs "$new" || exit 2
        case $top/ in
            "$d"/*) mkdir -p "$new${top#"$d"}" && mount --bind "$top" "$new${top#"$d"}" || exit 2 ;;
        esac
        mount --move "$new" "$d" || exit 2
    done
    exec "$@"' bash "$top" "$stage" "$@"

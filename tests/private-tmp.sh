#!/usr/bin/env bash
# private-tmp.sh: run a command with /tmp, /var/tmp and /dev/shm of its own.
#
# Usage: tests/private-tmp.sh COMMAND [ARG...]
#
# The attacks check that grading leaves nothing in the machine's shared
# folders; run beside the suite's other parts, they would see those parts'
# scratch folders come and go. As root, COMMAND runs in a mount namespace of
# its own with an empty tmpfs on each (everything it starts, the grader
# included, sees only those); otherwise it runs as it is.
set -u
[ $# -gt 0 ] || { echo "usage: tests/private-tmp.sh COMMAND [ARG...]" >&2; exit 2; }
if [ "$(id -u)" -ne 0 ]; then
    exec "$@"
fi
# shellcheck disable=SC2016 # (expanded by the inner shell)
exec unshare --mount --propagation private sh -c '
    for d in /tmp /var/tmp /dev/shm; do
        mount -t tmpfs -o mode=1777,size=1g tmpfs "$d" || exit 2
    done
    exec "$@"' sh "$@"

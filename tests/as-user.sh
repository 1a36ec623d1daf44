#!/usr/bin/env bash
# as-user.sh: run one of the suite's parts as an unprivileged user, made
# for the purpose and removed afterwards (the grader must hold as a normal
# user too: a user namespace instead of root, the user's own home in reach).
#
# Usage: tests/as-user.sh PART [ARG...]      (as root; PART: a tests/ script)
#
# Creates a user with a home of its own (useradd -m), copies the
# repository there (what a user would have cloned), runs PART in the copy
# as that user, prints what it printed with "(as a user)" after each
# verdict's name, then kills whatever the user still runs and removes the
# user and its home. Not root: runs PART as it is. Ends with PART's
# "N passed, N failed" (or a failure of its own when the user cannot be made).
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
part=${1:?usage: tests/as-user.sh PART [ARG...]}
shift
if [ "$(id -u)" -ne 0 ]; then
    exec "$top/$part" "$@"
fi

user="gsuite$$"
fail() {
    echo "FAIL as-user: $*"
    echo "0 passed, 1 failed"
    exit 1
}
useradd -m -s /bin/bash "$user" 2>/dev/null || fail "useradd $user failed"
home=$(getent passwd "$user" | cut -d: -f6)
# shellcheck disable=SC2317 # (run by the EXIT trap)
cleanup() {
    pkill -KILL -u "$user" 2>/dev/null
    sleep 0.2
    userdel -r "$user" >/dev/null 2>&1 || userdel "$user" >/dev/null 2>&1
    rm -rf "$home"
}
trap cleanup EXIT
chmod 700 "$home"
mkdir "$home/repo"
# (both ends of the pipe: a reading tar that fails leaves a partial copy;
# its 1, a file changed while read, is an edit during the run)
tar -C "$top" --exclude=./grade-out --exclude=./.git -cf - . | tar -C "$home/repo" -xf -
st=("${PIPESTATUS[@]}")
if [ "${st[0]}" -gt 1 ] || [ "${st[1]}" -ne 0 ]; then
    fail "could not copy the repository into $home (tar: ${st[*]})"
fi
chown -R "$user:" "$home/repo"
# (the same tools as root's: deps.sh as this user could not install them)
su "$user" -s /bin/bash -c "cd ~/repo && $(printf '%q ' "$part" "$@")" 2>&1 |
    sed -E 's/^(ok  |FAIL) ([^:]*):/\1 \2 (as a user):/'
# the part's status, not sed's
exit "${PIPESTATUS[0]}"

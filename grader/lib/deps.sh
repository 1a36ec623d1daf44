#!/usr/bin/env bash
# deps.sh: install what the grader and the test suite need, when it is missing.
#
# Usage: grader/lib/deps.sh [grade|test]
#
# Debian/Ubuntu only: missing tools are installed with apt-get (through sudo
# when not root), and the line saying so names every package. Exit status 0
# when everything is present afterwards, 2 otherwise (the grader's "could not
# run" status), with the command to run by hand.
set -u

need=()
want() { # want COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 || need+=("$2")
}

want cc gcc
want make make
want valgrind valgrind
want expect expect
want tclsh tcl
want unshare util-linux
want ipcs util-linux
want timeout coreutils
want strace strace
want kill procps
want unzip unzip
[ -e /usr/include/stdio.h ] || need+=(libc6-dev)
if command -v tclsh >/dev/null 2>&1; then
    echo 'package require json::write' | tclsh >/dev/null 2>&1 || need+=(tcllib)
else
    need+=(tcllib)
fi
if [ "${1:-grade}" = test ]; then
    want patch patch
    want shellcheck shellcheck
    want clang-format clang-format
    want file file
    want pgrep procps
    want zip zip
fi

[ ${#need[@]} -eq 0 ] && exit 0
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)

if ! command -v apt-get >/dev/null 2>&1; then
    echo "grader: missing packages: ${need[*]} (no apt-get here: install them with your package manager)" >&2
    exit 2
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "grader: missing packages: ${need[*]}; as root, run: apt-get install -y ${need[*]}" >&2
        exit 2
    fi
    sudo=(sudo)
fi

echo "grader: installing ${need[*]} (apt-get install -y ${need[*]})" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { "${sudo[@]}" apt-get install -y -q "${need[@]}" >/dev/null 2>&1 ||
    { "${sudo[@]}" apt-get update -q >/dev/null 2>&1 &&
        "${sudo[@]}" apt-get install -y -q "${need[@]}" >/dev/null; }; }; then
    echo "grader: could not install ${need[*]}; run: ${sudo[*]} apt-get install -y ${need[*]}" >&2
    exit 2
fi
echo "grader: installed ${need[*]}" >&2

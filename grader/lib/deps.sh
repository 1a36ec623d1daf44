#!/usr/bin/env bash
# deps.sh: install what the grader and the test suite need, when it is missing.
#
# Usage: grader/lib/deps.sh [grade|test|bench|starters|mutants]
#   grade (the default): what grading needs; test: and what the suite needs;
#   bench: and gnuplot; starters: only what `make starters` needs (unifdef);
#   mutants: and what `make mutants` needs (python3, patch)
#
# Debian/Ubuntu only: missing tools are installed with apt-get (through sudo
# when not root), and the line saying so names every package. Exit status 0
# when everything is present afterwards, 2 otherwise (the grader's "could not
# run" status), with the command to run by hand. DEPS_DRY_RUN=1 only prints
# "missing: PACKAGE..." (the suite tests each probe that way).
# Each probe fails when its package is missing: a command looked up on PATH,
# a header by its file, a Tcl package by a script that exits 1 when
# `package require` fails (tclsh reading stdin exits 0 after an error).
set -u

need=()
want() { # want COMMAND PACKAGE
    type -P "$1" >/dev/null 2>&1 || need+=("$2") # (a file on PATH: bash has a kill of its own)
}
mode=${1:-grade}

# what grading needs (make starters needs none of it)
if [ "$mode" != starters ]; then
    want cc gcc
    want make make
    want valgrind valgrind
    want expect expect
    want tclsh tcl
    want unshare util-linux
    want ipcs util-linux
    want flock util-linux
    want timeout coreutils
    want strace strace
    want kill procps
    want unzip unzip
    want bwrap bubblewrap
    # (DEPS_INCLUDE_DIR: a seam for tests/deps.sh, which cannot remove the real one)
    [ -e "${DEPS_INCLUDE_DIR:-/usr/include}/stdio.h" ] || need+=(libc6-dev)
    # Tcl's headers, for the test server's extension (grader/lib/tclsys.c)
    inc=${DEPS_INCLUDE_DIR:-/usr/include}
    compgen -G "$inc/tcl8.*/tcl.h" >/dev/null || [ -e "$inc/tcl/tcl.h" ] || [ -e "$inc/tcl.h" ] ||
        need+=(tcl-dev)
    if command -v tclsh >/dev/null 2>&1; then
        echo 'if {[catch {package require json::write}]} { exit 1 }' | tclsh >/dev/null 2>&1 ||
            need+=(tcllib)
    else
        need+=(tcllib)
    fi
fi
if [ "$mode" = test ] || [ "$mode" = starters ]; then
    want unifdef unifdef # tests/make-starters.sh, and lint's check of labs/
fi
if [ "$mode" = test ]; then
    want patch patch
    want shellcheck shellcheck
    want clang-format clang-format
    want file file
    want pgrep procps
    want zip zip
    want python3 python3
fi
if [ "$mode" = mutants ]; then # tests/mutants.sh: its helper is Python
    want python3 python3
    want patch patch
fi
if [ "$mode" = bench ]; then
    want gnuplot gnuplot-nox
fi

[ ${#need[@]} -eq 0 ] && exit 0
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
if [ -n "${DEPS_DRY_RUN:-}" ]; then
    echo "missing: ${need[*]}"
    exit 0
fi

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

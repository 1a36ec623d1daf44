#!/usr/bin/env bash
# setup.sh: prepare Gradescope's image for the grader.
#
# Gradescope runs this once, as root, in ROOT/source when it builds the
# autograder's image (Ubuntu). It installs from Debian/Ubuntu packages what
# grader/lib/deps.sh finds missing (a C compiler, make, valgrind, expect,
# tcl, its headers and tcllib, util-linux, ...), and unzip for zipped submissions.
set -eu
cd "$(dirname "${BASH_SOURCE[0]}")"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends unzip
bash grader/lib/deps.sh grade
echo "setup.sh: the grader's tools are installed"

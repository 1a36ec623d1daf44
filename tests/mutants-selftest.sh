#!/usr/bin/env bash
# mutants-selftest.sh: the mutation tester's operators, on two tiny files.
#
# Usage: tests/mutants-selftest.sh
#
# Runs tests/mutants/mutate.py (what `make mutants` uses; grading the
# mutants is too slow for the suite) on a file without markers and on one
# with `#ifndef STARTER` blocks, and checks: each operator makes exactly the
# expected mutants, and only in function bodies (or only in the solution's
# part of the blocks), never in comments, strings or preprocessor lines;
# ids do not move when lines are added above; a --max sample is the same
# every run; every mutant's patch applies and compiles with -Werror.
# Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$(mktemp -d /tmp/mutants-selftest.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
part=mutants
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
mutate=("python3" "$top/tests/mutants/mutate.py")
log="$scratch/log"

mkdir -p "$scratch/src"
cat >"$scratch/src/t.c" <<'EOF'
#define _XOPEN_SOURCE 700
#include <stdlib.h>
#include <sys/msg.h>
#define BUF_SIZE 64 /* a size: off by one */
#define PERMS 0600  /* not a size */

static const int table[2] = {1, 2}; /* not in a function: never mutated */

int f(int q, long type, char *p)
{
    char buf[BUF_SIZE];

    (void)type; /* still used when a mutant zeroes msgrcv's type */
    /* == in a comment, "&& in a string" */
    if (q == -1 && !p)
        return -1;
    if (msgrcv(q, buf, sizeof(buf), type, IPC_NOWAIT | MSG_NOERROR) < 0)
        exit(EXIT_FAILURE);
    msgctl(q, IPC_RMID, NULL);
    msgctl(q, IPC_STAT, NULL);
    free(p);
    return table[0] == PERMS ? 1 : 0;
}
EOF
cat >"$scratch/src/m.c" <<'EOF'
int g(int n);

int g(int n)
{
    int k = n < 3; /* not marked: the starter has it too */

#ifndef STARTER
    if (n == 2)
        k++;
#if 1
    k = k && n;
#endif
#else
    /* TODO 1: if (n == 2) ... */
    k = k || n;
#endif
    return k != 0;
}
EOF

# Every mutant of t.c: FILE:LINE, operator, change (the ids are checked below)
"${mutate[@]}" list "$scratch/src" t.c >"$scratch/t.list" 2>"$log"
cut -f2- "$scratch/t.list" >"$scratch/t.got"
cat >"$scratch/t.want" <<'EOF'
t.c:11	off1	'BUF_SIZE' -> '(BUF_SIZE + 1)'
t.c:11	off1	'BUF_SIZE' -> '(BUF_SIZE - 1)'
t.c:15	rel	'==' -> '!='
t.c:15	bool	'&&' -> '||'
t.c:15	bool	'!' dropped
t.c:16	exit	'-1' -> '1'
t.c:17	mtype	'type' -> '0'
t.c:17	mtype	'type' -> '-(type)'
t.c:17	off1	'sizeof(buf)' -> '(sizeof(buf) + 1)'
t.c:17	off1	'sizeof(buf)' -> '(sizeof(buf) - 1)'
t.c:17	flag	'IPC_NOWAIT |' dropped
t.c:17	flag	'| MSG_NOERROR' dropped
t.c:17	rel	'<' -> '<='
t.c:17	off1	'0' -> '1'
t.c:18	exit	'EXIT_FAILURE' -> 'EXIT_SUCCESS'
t.c:19	cleanup	'msgctl(q, IPC_RMID, NULL)' -> '(void)0'
t.c:21	cleanup	'free(p)' -> '(void)0'
t.c:22	off1	'0' -> '1'
t.c:22	rel	'==' -> '!='
t.c:22	off1	'1' -> '2'
t.c:22	off1	'1' -> '0'
t.c:22	off1	'0' -> '1'
EOF
diff -u "$scratch/t.want" "$scratch/t.got" >>"$log"
result $? "each operator makes exactly its mutants, only in function bodies, never in comments, strings or #lines" "$log"

: >"$log"
"${mutate[@]}" list "$scratch/src" m.c 2>"$log" | cut -f2- >"$scratch/m.got"
printf '%s\n' "m.c:8	rel	'==' -> '!='" "m.c:8	off1	'2' -> '3'" "m.c:8	off1	'2' -> '1'" \
    "m.c:11	bool	'&&' -> '||'" >"$scratch/m.want"
diff -u "$scratch/m.want" "$scratch/m.got" >>"$log"
result $? "in a file with #ifndef STARTER blocks, only the solution's part of them is mutated" "$log"

# Ids hang on the text, not on line numbers
: >"$log"
mkdir -p "$scratch/moved"
{ echo "/* a line added above */"; cat "$scratch/src/t.c"; } >"$scratch/moved/t.c"
"${mutate[@]}" list "$scratch/moved" t.c 2>"$log" | cut -f1 >"$scratch/moved.ids"
cut -f1 "$scratch/t.list" | diff -u - "$scratch/moved.ids" >>"$log" && [ -s "$scratch/moved.ids" ] &&
    [ "$(sort -u "$scratch/moved.ids" | wc -l)" -eq "$(wc -l <"$scratch/moved.ids")" ]
result $? "ids are unique and stay the same when lines are added above" "$log"

# A sample is the same every run, and a part of the whole
: >"$log"
for run in 1 2; do
    "${mutate[@]}" write "$scratch/src" "$scratch/sample$run" --max 5 t.c m.c 2>>"$log"
done
# (each step on its own: a status 1 from cmp or a count must not pass for
# grep's "no id outside the whole list")
"${mutate[@]}" list "$scratch/src" t.c m.c 2>>"$log" | cut -f1 >"$scratch/all.ids"
cut -f2 "$scratch/sample1/list.tsv" >"$scratch/sample.ids" 2>>"$log"
if ! cmp "$scratch/sample1/list.tsv" "$scratch/sample2/list.tsv" >>"$log" 2>&1; then
    echo "the two runs drew different samples" >>"$log"
elif [ "$(wc -l <"$scratch/sample.ids")" -ne 5 ]; then
    echo "the sample has $(wc -l <"$scratch/sample.ids") mutants, not 5" >>"$log"
elif [ ! -s "$scratch/all.ids" ]; then
    echo "the whole list is empty" >>"$log"
else
    grep -vxFf "$scratch/all.ids" "$scratch/sample.ids" | sed 's/^/not in the whole list: /' >>"$log"
fi
[ ! -s "$log" ]
result $? "--max 5 draws the same 5 mutants every run" "$log"

# Every patch applies to a fresh copy, and the mutant builds with -Werror
: >"$log"
"${mutate[@]}" write "$scratch/src" "$scratch/all" t.c m.c 2>>"$log"
n=0
for p in "$scratch"/all/*.patch; do
    n=$((n + 1))
    rm -rf "$scratch/copy"
    cp -r "$scratch/src" "$scratch/copy"
    if ! patch -s -p1 -d "$scratch/copy" <"$p" >>"$log" 2>&1; then
        echo "$(basename "$p"): does not apply" >>"$log"
    elif ! cc -std=c11 -Wall -Wextra -Werror -c -o /dev/null "$scratch/copy/t.c" >>"$log" 2>&1 ||
        ! cc -std=c11 -Wall -Wextra -Werror -c -o /dev/null "$scratch/copy/m.c" >>"$log" 2>&1; then
        echo "$(basename "$p"): does not build" >>"$log"
    fi
done
[ ! -s "$log" ] && [ "$n" -eq 26 ]
result $? "all $n mutants' patches apply and build with -Werror" "$log"

summary

#!/usr/bin/env python3
"""mutate.py: first-order mutants of the C a student writes (tests/mutants.sh).

Usage: mutate.py list SRC FILE...
       mutate.py write SRC OUTDIR [--max N] [--seed S] FILE...

Where mutants may go: in a FILE with `#ifndef STARTER` blocks, only the
solution's part of those blocks (between `#ifndef STARTER` and its `#else`
or `#endif`); in a FILE without them, the bodies of its functions. Comments,
string and character literals and preprocessor lines are never mutated.

Each mutant changes one place (first order) with one operator:
  rel      == and != swapped; < and <=, > and >= swapped
  bool     && and || swapped; a unary ! dropped
  flag     an IPC or open flag dropped (IPC_NOWAIT, IPC_CREAT, ...)
  cleanup  a cleanup call skipped as if it had succeeded (free, fclose,
           mq_close, mq_unlink, msgctl/semctl/shmctl with IPC_RMID, ...)
  exit     EXIT_SUCCESS and EXIT_FAILURE swapped; return 0 and return 1
           swapped, return -1 made return 1; exit(0) and exit(1) swapped
  off1     an integer literal, a sizeof, or a SIZE/MAX/LEN constant of the
           lab's headers one more or one less
  mtype    msgrcv's type argument negated or zeroed; mq_send's priority zeroed

A mutant's id, FILE:FUNCTION:HASH, hangs on the line's text and the change,
not on line numbers, so it stays the same when code elsewhere moves; two
mutants that make the same file are one. `list` prints one line per mutant,
tab-separated: id, FILE:LINE, operator, the change. `write` writes each as
OUTDIR/K.patch (a diff for patch -p1 in a copy of SRC, K = 1, 2, ...) and
OUTDIR/list.tsv (K, then the `list` fields); with --max N, only N of them:
those with the lowest hash of seed and id (the same N every run, and a
mutant's draw does not depend on the others).
"""

import difflib
import hashlib
import os
import re
import sys

FLAGS = {"IPC_NOWAIT", "IPC_CREAT", "IPC_EXCL", "MSG_NOERROR", "MSG_EXCEPT",
         "O_NONBLOCK", "O_CREAT", "O_EXCL", "SEM_UNDO"}
# Calls that release something; those with a command argument only with IPC_RMID.
CLEANUP = {"free", "fclose", "mq_close", "mq_unlink", "sem_close", "sem_unlink",
           "msgctl", "semctl", "shmctl"}
NEEDS_RMID = {"msgctl", "semctl", "shmctl"}
REL = {"==": "!=", "!=": "==", "<": "<=", "<=": "<", ">": ">=", ">=": ">"}
SIZE_NAME = re.compile(r"SIZE|MAX|LEN")
TOKEN = re.compile(r"""
    [A-Za-z_]\w*
  | 0[xX][0-9a-fA-F]+[uUlL]*
  | \d+\.\d*(?:[eE][+-]?\d+)?[fFlL]? | \d+[eE][+-]?\d+[fFlL]? | \.\d+
  | \d+[uUlL]*
  | ->|\+\+|--|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=
  | \S""", re.X)
INT = re.compile(r"(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)([uUlL]*)$")


def mask(text):
    """TEXT with comments, literals and preprocessor lines blanked (same offsets)."""
    out = list(text)
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == "#" or (line_start and c in " \t" and
                                       text[i:].lstrip(" \t").startswith("#")):
            # a preprocessor line, with its continuations
            j = i
            while j < n and not (text[j] == "\n" and text[j - 1] != "\\"):
                j += 1
            for k in range(i, j):
                out[k] = " "
            i = j
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j += 1
        else:
            line_start = c == "\n" or (line_start and c in " \t")
            i += 1
            continue
        for k in range(i, min(j, n)):
            if out[k] != "\n":
                out[k] = " "
        line_start = False
        i = j
    return "".join(out)


def marked_lines(text):
    """Line numbers (1-based) of the solution parts of #ifndef STARTER blocks, or None."""
    lines = text.split("\n")
    found, inside, depth = set(), False, 0
    any_block = False
    for no, line in enumerate(lines, 1):
        d = re.match(r"\s*#\s*(\w+)\s*(\w*)", line)
        word = d.group(1) if d else ""
        if not inside:
            if word == "ifndef" and d.group(2) == "STARTER":
                inside, depth, any_block = True, 0, True
            continue
        if word in ("if", "ifdef", "ifndef"):
            depth += 1
        elif word == "endif" and depth > 0:
            depth -= 1
        elif word in ("else", "elif", "endif") and depth == 0:
            inside = False
            continue
        found.add(no)
    return found if any_block else None


def functions(masked):
    """(start, end, name) of each function body: a top-level {...} after a ')'."""
    out, depth, i = [], 0, 0
    start = name = None
    for m in TOKEN.finditer(masked):
        t = m.group()
        if t == "{":
            if depth == 0:
                before = masked[:m.start()].rstrip()
                if before.endswith(")"):
                    # the name before the parameter list's '('
                    k, level = len(before) - 1, 0
                    while k >= 0:
                        if before[k] == ")":
                            level += 1
                        elif before[k] == "(":
                            level -= 1
                            if level == 0:
                                break
                        k -= 1
                    words = re.findall(r"\w+", before[:k])
                    start, name = m.start(), words[-1] if words else "?"
            depth += 1
        elif t == "}":
            depth -= 1
            if depth == 0 and start is not None:
                out.append((start, m.end(), name))
                start = None
        i += 1
    return out


def size_macros(src, files):
    """Names of the lab's #define NAME INTEGER whose name says a size or a bound."""
    names = set()
    for f in files:
        with open(os.path.join(src, f)) as fh:
            for m in re.finditer(r"^\s*#\s*define\s+(\w+)\s+\(?(\d+)[uUlL]*\)?\s*(?:/[*/].*)?$",
                                 fh.read(), re.M):
                if SIZE_NAME.search(m.group(1)):
                    names.add(m.group(1))
    return names


def close_paren(toks, i):
    """Index of the ')' matching the '(' at toks[i]."""
    level = 0
    for j in range(i, len(toks)):
        if toks[j][0] == "(":
            level += 1
        elif toks[j][0] == ")":
            level -= 1
            if level == 0:
                return j
    return None


def arguments(toks, i, j):
    """Token ranges [a, b) of the top-level arguments between '(' i and ')' j."""
    args, level, a = [], 0, i + 1
    for k in range(i + 1, j):
        t = toks[k][0]
        if t in "([{":
            level += 1
        elif t in ")]}":
            level -= 1
        elif t == "," and level == 0:
            args.append((a, k))
            a = k + 1
    args.append((a, j))
    return args


def int_plus(lit, d):
    m = INT.match(lit)
    if not m:
        return None
    digits, suffix = m.groups()
    if digits.lower().startswith("0x"):
        v = int(digits, 16) + d
        return None if v < 0 else "0x%x%s" % (v, suffix) if digits[1] == "x" else "0X%X%s" % (v, suffix)
    if len(digits) > 1 and digits.startswith("0"):
        v = int(digits, 8) + d
        return None if v < 0 else "0%o%s" % (v, suffix)
    v = int(digits) + d
    return None if v < 0 else "%d%s" % (v, suffix)


def mutants_of(text, allowed, sizes):
    """(start, end, replacement, operator) for each place in TEXT that may change.
    ALLOWED(offset) says whether an offset is in the student's part."""
    masked = mask(text)
    toks = [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(masked)]
    out = []

    def add(a, b, new, op):
        if allowed(a) and allowed(b - 1):
            out.append((a, b, new, op))

    for i, (t, s, e) in enumerate(toks):
        prev = toks[i - 1][0] if i > 0 else ""
        nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
        if t in REL:
            add(s, e, REL[t], "rel")
        elif t in ("&&", "||"):
            add(s, e, "||" if t == "&&" else "&&", "bool")
        elif t == "!":
            add(s, e, "", "bool")
        elif t in FLAGS:
            if prev == "|":
                add(toks[i - 1][1], e, "", "flag")
            elif nxt == "|" and i + 2 < len(toks):
                add(s, toks[i + 2][1], "", "flag")
            elif prev in ("|=", "(", ",") and nxt in (";", ")", ","):
                add(s, e, "0", "flag")
        elif t in ("EXIT_SUCCESS", "EXIT_FAILURE"):
            add(s, e, "EXIT_FAILURE" if t == "EXIT_SUCCESS" else "EXIT_SUCCESS", "exit")
        elif t == "return" and i + 2 < len(toks):
            if toks[i + 2][0] == ";" and nxt in ("0", "1"):
                add(toks[i + 1][1], toks[i + 1][2], "1" if nxt == "0" else "0", "exit")
            elif nxt == "-" and toks[i + 2][0] == "1" and i + 3 < len(toks) and toks[i + 3][0] == ";":
                add(toks[i + 1][1], toks[i + 2][2], "1", "exit")
        elif t in ("exit", "_exit") and nxt == "(" and i + 3 < len(toks) \
                and toks[i + 2][0] in ("0", "1") and toks[i + 3][0] == ")":
            add(toks[i + 2][1], toks[i + 2][2], "1" if toks[i + 2][0] == "0" else "0", "exit")
        elif t in CLEANUP and nxt == "(" and prev not in (".", "->"):
            j = close_paren(toks, i + 1)
            if j is None:
                continue
            if t in NEEDS_RMID and "IPC_RMID" not in (x[0] for x in toks[i + 2:j]):
                continue
            after = toks[j + 1][0] if j + 1 < len(toks) else ""
            statement = after == ";" and prev in (";", "{", "}", ")", "else", ":")
            add(s, toks[j][2], "(void)0" if statement else "0", "cleanup")
        elif t in sizes and prev not in (".", "->"):
            add(s, e, "(%s + 1)" % t, "off1")
            add(s, e, "(%s - 1)" % t, "off1")
        elif t == "sizeof" and nxt == "(":
            j = close_paren(toks, i + 1)
            if j is not None:
                expr = text[s:toks[j][2]]
                add(s, toks[j][2], "(%s + 1)" % expr, "off1")
                add(s, toks[j][2], "(%s - 1)" % expr, "off1")
        elif INT.match(t) and prev != "return" and not (
                prev == "(" and i >= 2 and toks[i - 2][0] in ("exit", "_exit")) and not (
                t == "1" and prev == "-" and i >= 2 and (
                    toks[i - 2][0] in ("return", "case") or not re.match(r"[\w)\]]", toks[i - 2][0]))):
            # (not the -1 of an error check: -2 there would only skip the error
            # path, which no test reaches without failing the call)
            for d in (1, -1):
                new = int_plus(t, d)
                if new is not None:
                    add(s, e, new, "off1")
        if t in ("msgrcv", "mq_send") and nxt == "(" and prev not in (".", "->"):
            j = close_paren(toks, i + 1)
            args = arguments(toks, i + 1, j) if j is not None else []
            if len(args) >= 4:
                a, b = args[3]
                s4, e4 = toks[a][1], toks[b - 1][2]
                arg = text[s4:e4]
                if t == "mq_send":
                    if arg != "0":
                        add(s4, e4, "0", "mtype")
                elif arg == "0":
                    add(s4, e4, "1", "mtype")
                else:
                    add(s4, e4, "0", "mtype")
                    add(s4, e4, "-(%s)" % arg, "mtype")
    return out


def file_mutants(src, name, sizes):
    """The mutants of SRC/NAME: dicts with id, file, line, op, change, text."""
    with open(os.path.join(src, name)) as fh:
        text = fh.read()
    masked = mask(text)
    funcs = functions(masked)
    marks = marked_lines(text)
    line_of = [0] * (len(text) + 1)
    no = 1
    for k, c in enumerate(text):
        line_of[k] = no
        if c == "\n":
            no += 1
    line_of[len(text)] = no

    def func_at(off):
        for a, b, fname in funcs:
            if a <= off < b:
                return fname
        return None

    if marks is not None:
        def allowed(off):
            return line_of[off] in marks
    else:
        def allowed(off):
            return func_at(off) is not None

    lines = text.split("\n")
    seen, out, made = {}, [], set()
    for a, b, new, op in mutants_of(text, allowed, sizes):
        mutated = text[:a] + new + text[b:]
        if mutated in made or mutated == text:
            continue
        made.add(mutated)
        ln = line_of[a]
        fname = func_at(a) or "-"
        line_text = lines[ln - 1]
        col = a - (sum(len(x) + 1 for x in lines[:ln - 1])) - (len(line_text) - len(line_text.lstrip()))
        old = " ".join(text[a:b].split())
        key = "|".join([op, line_text.strip(), str(col), old, new])
        seen[(fname, key)] = seen.get((fname, key), 0) + 1
        h = hashlib.sha1(("%s|%d" % (key, seen[(fname, key)])).encode()).hexdigest()[:8]
        if new == "":
            change = "'%s' dropped" % old
        else:
            change = "'%s' -> '%s'" % (old, " ".join(new.split()))
        out.append({"id": "%s:%s:%s" % (name, fname, h), "file": name, "line": ln,
                    "op": op, "change": change, "text": mutated, "orig": text})
    return out


def all_mutants(src, files):
    sizes = size_macros(src, files)
    out = []
    for f in files:
        out += file_mutants(src, f, sizes)
    return out


def main(argv):
    if len(argv) < 3 or argv[1] not in ("list", "write"):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    cmd, src, rest = argv[1], argv[2], argv[3:]
    limit, seed = None, "mutants"
    if cmd == "write":
        outdir, rest = rest[0], rest[1:]
        while rest and rest[0] in ("--max", "--seed"):
            if rest[0] == "--max":
                limit = int(rest[1])
            else:
                seed = rest[1]
            rest = rest[2:]
    muts = all_mutants(src, rest)
    if limit is not None and limit < len(muts):
        muts = sorted(muts, key=lambda m: hashlib.sha1((seed + m["id"]).encode()).hexdigest())[:limit]
        muts.sort(key=lambda m: (rest.index(m["file"]), m["line"], m["id"]))
    if cmd == "list":
        for m in muts:
            print("%s\t%s:%d\t%s\t%s" % (m["id"], m["file"], m["line"], m["op"], m["change"]))
        return 0
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "list.tsv"), "w") as lst:
        for k, m in enumerate(muts, 1):
            diff = difflib.unified_diff(m["orig"].splitlines(True), m["text"].splitlines(True),
                                        "a/" + m["file"], "b/" + m["file"], n=1)
            with open(os.path.join(outdir, "%d.patch" % k), "w") as p:
                p.writelines(diff)
            lst.write("%d\t%s\t%s:%d\t%s\t%s\n" % (k, m["id"], m["file"], m["line"], m["op"], m["change"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

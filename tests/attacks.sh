#!/usr/bin/env bash
# attacks.sh: grade hostile submissions written against the grader itself
# (it ships with every student's copy) and prove that its sandbox holds.
#
# Usage: tests/attacks.sh [LAB]        (default 1)
#   ATTACKS="NAME..."   only these attacks, separated by spaces or commas (default: every
#                       tests/attacks/labLAB/*.conf)
#   ATTACKS_JOBS=N      attacks graded at a time (default 2; 1 names the culprit exactly)
#   ATTACKS_KEEP=1      keep the scratch folder (every output) to look at afterwards
#   ATTACKS_TMP_IGNORE  an extended regex of /tmp, /var/tmp, /dev/shm entries made by
#                       something else on the machine while the attacks run
#
# Each attack is tests/attacks/labLAB/NAME.conf (what it tries, its base,
# the grader command, the tests, the most points it may earn; see below)
# with NAME.patch applied to a copy of solutions/labLAB or labs/labLAB, or a
# submission the harness builds itself (a symlinked source, a zip bomb).
# Works as root and as an unprivileged user. Before grading, it plants
# victims with random content: ~/.grader-victim-secret (0600), a victim rc
# file ~/.grader-victim-rc (never the real ~/.bashrc), a victim folder
# ~/.grader-victim-dir/box/secret; as root also /root/.grader-victim-root
# and a home-like folder /home/grader-victim.XXXXXX. Then, for each attack,
# one line per assertion: a verdict (results.json) within the bound; the
# score within the allowed maximum; the victims unchanged (content, owner,
# mode) and their secrets nowhere in the reports, results.json, transcripts
# or outputs; the repository's grader/, solutions/ and tests/hidden/
# unchanged; nothing new in /tmp, /var/tmp, /dev/shm or /run/lock (as root: nor a
# file owned by no user); no process left; no control byte but newline
# and tab in the reports; in class runs, full marks for every honest
# classmate, scores.csv and summary.md; and what the attack's conf asks
# for (a listener that must receive nothing, a memory ceiling, no big
# file left). A victim found changed is restored before the next attack.
# Ends with "N passed, N failed".
#
# NAME.conf, one KEY=VALUE a line (# comments):
#   base=solutions|starter       what the patch applies to
#   patch=FILE                   the patch (default NAME.patch; none for build=)
#   build=symlink-source|zip-bomb|newline-dir|escape-names   a submission the harness makes itself
#   command=grade|class|gradescope
#   tests=TEST...                graded with -t each
#   max=N|full|full-N|starter|control
#                                starter: what the untouched starter earns on
#                                these tests; control: what base+CONTROL earns
#   control=FILE                 the same submission without its attack part
#   extra=1                      with the hidden tests of tests/hidden/labLAB
#   classmates=N                 honest classmates in a class run (default 3)
#   jobs=N                       grade-class -j (default 2)
#   bound=SECONDS                the verdict must come before (default 200)
#   out=default                  grade with the grader's default --out
#   listen=1                     a listener on 127.0.0.1:47913 must get nothing
#   memcap=MIB                   the submission's processes may hold at most MIB
#   bigfiles=1                   no file over 64 MiB may be left
#   mqueue=1                     (root) no POSIX queue named grader-attack-* may be left
#   solo=1                       graded alone (nothing else at the same time)
#   sandbox=uid                  graded with GRADER_SANDBOX=uid (root without namespaces,
#                                as in Gradescope's container); skipped when not root
#   explain=1                    (grade) failing tests are explained (the swap-in of the
#                                reference, the traced chart): no --no-explain
#   unseen=REGEX                 what the attack prints once it has what it wants (an
#                                extended regex): no report, results.json, transcript or
#                                output may match it
#   student=NAME                 the attacker's name in a class run (default mallory;
#                                the classmates are alice, bob, ...: the order of grading)
set -u
lab=${1:-1}
lab=${lab#lab}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir="$top/tests/attacks/lab$lab"
part="attacks lab$lab"
export part # (read by tests/lib.sh)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
[ -d "$dir" ] || {
    echo "attacks: no $dir"
    exit 2
}
jobs=${ATTACKS_JOBS:-2}
# One run at a time per user (the victims' names in the home folder are
# fixed, so that the attacks can guess them), and per machine where the
# listener is needed (its port is fixed too): locks on the home folder and
# on the root folder, which leave no file.
exec 9<"$HOME"
if ! flock -n 9; then
    echo "attacks: waiting for another tests/attacks.sh of this user"
    flock 9
fi
port=47913
me=$(id -u)
scratch=$(mktemp -d "/tmp/attacks-lab$lab.XXXXXX")
keep=$(mktemp -d "/tmp/attacks-keep.XXXXXX") # the repository's copy; not under scratch
chmod 755 "$scratch"
listener=""
victim_home=""
started=$(date +%s)

rand() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# --- The victims ------------------------------------------------------------
home=${HOME:?attacks: HOME is not set}
secret_home=$(rand)
secret_rc=$(rand)
secret_dir=$(rand)
secret_root=$(rand)
secret_other=$(rand)
victim_files=("$home/.grader-victim-secret" "$home/.grader-victim-rc" "$home/.grader-victim-dir/box/secret")
victim_dirs=("$home/.grader-victim-dir" "$home/.grader-victim-dir/box")
secrets=("$secret_home" "$secret_rc" "$secret_dir")
if [ "$me" -eq 0 ]; then
    mkdir -p /home
    victim_home=$(mktemp -d /home/grader-victim.XXXXXX)
    victim_files+=(/root/.grader-victim-root "$victim_home/.grader-victim-secret")
    victim_dirs+=("$victim_home")
    secrets+=("$secret_root" "$secret_other")
fi

plant() { # (re)write every victim: content, owner, mode
    mkdir -p "$home/.grader-victim-dir/box"
    chmod 0755 "$home/.grader-victim-dir"
    chmod 0700 "$home/.grader-victim-dir/box"
    chown -h "$me:$(id -g)" "$home/.grader-victim-dir" "$home/.grader-victim-dir/box" 2>/dev/null
    rm -f "${victim_files[@]}"
    (
        umask 077
        echo "$secret_home" >"$home/.grader-victim-secret"
        printf '# a victim rc file (%s)\nexport GRADER_VICTIM=1\n' "$secret_rc" >"$home/.grader-victim-rc"
        chmod 0644 "$home/.grader-victim-rc"
        echo "$secret_dir" >"$home/.grader-victim-dir/box/secret"
        if [ "$me" -eq 0 ]; then
            echo "$secret_root" >/root/.grader-victim-root
            chown root:root "$victim_home"
            chmod 0700 "$victim_home"
            echo "$secret_other" >"$victim_home/.grader-victim-secret"
        fi
    )
}
victim_state() { # one line per victim: path, owner, group, mode, checksum
    local f
    for f in "${victim_dirs[@]}"; do stat -c '%n %u %g %a' "$f" 2>&1; done
    for f in "${victim_files[@]}"; do
        echo "$(stat -c '%n %u %g %a %F' "$f" 2>&1) $(sha256sum <"$f" 2>&1 | cut -c1-16)"
    done
}
repo_listing() { # the repository's grader/, solutions/ and tests/hidden/: content, owner, mode
    (cd "$top" && find grader solutions tests/hidden -printf '%p %u %m %y\n' | LC_ALL=C sort &&
        find grader solutions tests/hidden -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}
repo_state() { repo_listing | sha256sum | cut -c1-32; }
tmp_listing() { # what /tmp, /var/tmp and /dev/shm hold (not this harness's folders)
    {
        find /tmp /var/tmp /dev/shm /run/lock -mindepth 1 -maxdepth 1 2>/dev/null
        if [ "$me" -eq 0 ]; then # files of a throwaway uid, in the folders themselves
            find /tmp /var/tmp /dev/shm /run/lock -mindepth 1 -maxdepth 2 -xdev -nouser 2>/dev/null | sed 's/^/(owned by no user) /'
        fi
    } | grep -v -e "^$scratch\$" -e "^$keep\$" -e "$scratch/" -e "$keep/" |
        grep -E -v "${ATTACKS_TMP_IGNORE:-^$}" | LC_ALL=C sort
}

cleanup() {
    [ -n "$listener" ] && kill "$listener" 2>/dev/null
    rm -rf "$home/.grader-victim-secret" "$home/.grader-victim-rc" "$home/.grader-victim-dir"
    if [ "$me" -eq 0 ]; then
        rm -f /root/.grader-victim-root
        [ -n "$victim_home" ] && rm -rf "$victim_home"
    fi
    if [ "${ATTACKS_KEEP:-0}" = 1 ]; then
        echo "(kept: $scratch)"
        rm -rf "$keep"
    else
        rm -rf "$scratch" "$keep"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

plant
victim_state >"$keep/victims"
(cd "$top" && tar -cf "$keep/repo.tar" grader solutions tests/hidden)
repo_state >"$keep/repo"
repo_listing >"$keep/repo.list"
tmp_listing >"$keep/tmp.seen"

# --- The attacks --------------------------------------------------------------
names=()
if [ -n "${ATTACKS:-}" ]; then
    read -r -a names <<<"${ATTACKS//,/ }" # (space- or comma-separated)
else
    for c in "$dir"/*.conf; do
        [ -e "$c" ] && names+=("$(basename "$c" .conf)")
    done
fi
[ ${#names[@]} -gt 0 ] || {
    echo "attacks: no attack in $dir"
    exit 2
}

# conf NAME KEY [DEFAULT]: a value of NAME.conf
conf() {
    local v
    v=$(sed -n "s/^$2=//p" "$dir/$1.conf" | tail -1)
    echo "${v:-${3:-}}"
}

# The listener: every connection it gets is written to listener.log
python=$(command -v /usr/bin/python3 || command -v python3)
need_listener=0 need_package=0
for n in "${names[@]}"; do
    [ "$(conf "$n" listen)" = 1 ] && need_listener=1
    [ "$(conf "$n" command)" = gradescope ] && need_package=1
done
: >"$scratch/listener.log"
if [ "$need_listener" = 1 ]; then
    exec 8</
    if ! flock -n 8; then
        echo "attacks: waiting for another tests/attacks.sh with a listener on this machine"
        flock 8
    fi
    "$python" -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
while True:
    c, _ = s.accept(); c.settimeout(2)
    data = b""
    try:
        while True:
            d = c.recv(4096)
            if not d: break
            data += d
    except Exception: pass
    with open(sys.argv[2], "ab") as f: f.write(b"connection: " + data + b"\n")
    c.close()' "$port" "$scratch/listener.log" 2>"$scratch/listener.err" 8<&- 9<&- &
    listener=$!
    sleep 0.5
    kill -0 "$listener" 2>/dev/null
    result $? "a listener on 127.0.0.1:$port for the network attacks" "$scratch/listener.err"
fi
if [ "$need_package" = 1 ]; then
    "$top/grader/gradescope/package.sh" "$lab" --extra-tests "$top/tests/hidden/lab$lab" \
        -o "$scratch/autograder.zip" >"$scratch/package.out" 2>&1 8<&- 9<&-
    result $? "the Gradescope package (with the hidden tests) for the Gradescope attacks" "$scratch/package.out"
fi

# score_of FILE: "SCORE MAX" from a results.json
score_of() {
    tclsh /dev/stdin "$1" <<'TCL' 2>/dev/null
package require json
set f [open [lindex $argv 0]]
set doc [json::json2dict [read $f]]
close $f
set max 0
foreach t [dict get $doc tests] { set max [expr {$max + [dict get $t max_score]}] }
puts "[expr {int([dict get $doc score])}] $max"
TCL
}

# plain_score NAME SRC OUT: "SCORE MAX" of grader/grade on SRC with NAME's tests
plain_score() {
    local extra=() t f
    local -a tests=()
    for t in $(conf "$1" tests); do tests+=(-t "$t"); done
    if [ "$(conf "$1" extra)" = 1 ]; then
        for f in "$top/tests/hidden/lab$lab"/*.exp; do extra+=(--extra-tests "$f"); done
    fi
    local explain=(--no-explain) sb=()
    [ "$(conf "$1" explain)" = 1 ] && explain=()
    [ "$(conf "$1" sandbox)" = uid ] && sb=(GRADER_SANDBOX=uid)
    env "${sb[@]}" nice -n 10 "$top/grader/grade" "$lab" "$2" "${tests[@]}" "${extra[@]}" "${explain[@]}" --out "$3" \
        --json "$3.json" >"$3.report" 2>&1
    score_of "$3.json"
}

# make_submission NAME DEST [PATCH]: the attack's files in DEST
make_submission() {
    local name=$1 dest=$2 patch=${3:-} base
    base=$(conf "$name" base solutions)
    mkdir -p "$dest"
    case $base in
        starter) cp "$top/labs/lab$lab"/*.[ch] "$dest/" ;;
        *) cp "$top/solutions/lab$lab"/*.[ch] "$dest/" ;;
    esac
    [ -z "$patch" ] && patch=$(conf "$name" patch "$name.patch")
    case $(conf "$name" build) in
        symlink-source) # msgsnd.c is a symlink to the runner's secret
            rm -f "$dest/msgsnd.c"
            ln -s "$home/.grader-victim-secret" "$dest/msgsnd.c"
            return 0
            ;;
        newline-dir) # the files in a folder whose name holds a newline, then a
            # line of unpack.sh's ranking naming the reference (the repository's
            # path: a student would guess it, or name it relative to grade-class's
            # working directory)
            local nested="$dest/lab$lab"$'\n'"000 000 $top/solutions/lab$lab"
            mkdir -p "$nested" && mv "$dest"/*.[ch] "$nested/"
            return 0
            ;;
        escape-names) # escapes in the entry's name (the conf's student= is its
            # sanitised form, mallory__0_pwned_) and in the folder holding the files
            local nested="$dest/lab$lab"$'\033[31mred\033[0m'
            mkdir -p "$nested" && mv "$dest"/*.[ch] "$nested/" &&
                mv "$dest" "$(dirname "$dest")/mallory"$'\033]0;pwned\007'
            return
            ;;
        zip-bomb) # a .zip whose msgsnd.c unpacks to 1.3 GB of zeros
            "$python" - "$dest" <<'PY' || return 1
import os, sys, zipfile
d = sys.argv[1]
with zipfile.ZipFile(d + ".zip", "w", zipfile.ZIP_DEFLATED) as z:
    for f in ("msgdata.h", "msgrcv.c"):
        z.write(os.path.join(d, f), f)
    block = bytes(1 << 20)
    with z.open("msgsnd.c", "w", force_zip64=True) as w:
        for _ in range(1300):
            w.write(block)
PY
            rm -rf "$dest"
            return 0
            ;;
    esac
    patch -s -p1 -d "$dest" <"$dir/$patch"
}

# run_attack NAME: grade it; everything goes to $scratch/NAME
run_attack() {
    local name=$1 work="$scratch/$1" cmd bound rc start f n t
    local -a tests=() extra=()
    exec 8<&- 9<&- # (the locks stay with the harness: no submission gets their handles)
    cmd=$(conf "$name" command grade)
    bound=$(conf "$name" bound 200)
    mkdir -p "$work"
    for t in $(conf "$name" tests); do tests+=(-t "$t"); done
    # The allowed maximum, from a run without the attack when the conf asks
    case $(conf "$name" max full) in
        starter) plain_score "$name" "$top/labs/lab$lab" "$work/starter" >"$work/allowed" ;;
        control)
            mkdir -p "$work/control-src"
            make_submission "$name" "$work/control-src" "$(conf "$name" control).patch" >"$work/control.log" 2>&1
            plain_score "$name" "$work/control-src" "$work/control" >"$work/allowed"
            ;;
    esac
    if [ "$(conf "$name" memcap)" != "" ]; then # the submission's memory, twice a second
        (
            peak=0
            while [ ! -e "$work/rc" ]; do
                mib=$(ps -eo rss=,args= | awk -v w="$work/" 'index($0, w) { kb += $1 } END { print int(kb / 1024) }')
                [ "$mib" -gt "$peak" ] && peak=$mib && echo "$peak" >"$work/peak"
                sleep 0.2
            done
        ) &
    fi
    start=$(date +%s)
    case $cmd in
        grade)
            make_submission "$name" "$work/src" >"$work/patch.log" 2>&1 || echo "the submission could not be made" >>"$work/patch.log"
            local out=(--out "$work/out")
            [ "$(conf "$name" out)" = default ] && out=()
            if [ "$(conf "$name" extra)" = 1 ]; then
                for f in "$top/tests/hidden/lab$lab"/*.exp; do extra+=(--extra-tests "$f"); done
            fi
            local explain=(--no-explain) sb=()
            [ "$(conf "$name" explain)" = 1 ] && explain=()
            [ "$(conf "$name" sandbox)" = uid ] && sb=(GRADER_SANDBOX=uid)
            env "${sb[@]}" nice -n 10 timeout -s KILL "$bound" "$top/grader/grade" "$lab" "$work/src" "${tests[@]}" "${extra[@]}" \
                "${explain[@]}" "${out[@]}" --json "$work/results.json" >"$work/report" 2>&1
            rc=$?
            ;;
        class)
            n=$(conf "$name" classmates 3)
            mkdir -p "$work/class"
            for c in alice bob carol dave erin frank; do
                [ "$n" -gt 0 ] || break
                mkdir -p "$work/class/$c"
                cp "$top/solutions/lab$lab"/*.[ch] "$work/class/$c/"
                n=$((n - 1))
            done
            make_submission "$name" "$work/class/$(conf "$name" student mallory)" >"$work/patch.log" 2>&1 || echo "the submission could not be made" >>"$work/patch.log"
            [ "$(conf "$name" extra)" = 1 ] && extra=(--extra-tests "$top/tests/hidden/lab$lab")
            local sb=() allow=()
            # (uid mode forced: grade-class would refuse it where the repository is not private)
            [ "$(conf "$name" sandbox)" = uid ] && sb=(GRADER_SANDBOX=uid) allow=(--allow-unsandboxed)
            env "${sb[@]}" nice -n 10 timeout -s KILL "$bound" "$top/grader/grade-class" "$lab" "$work/class" -j "$(conf "$name" jobs 2)" \
                -o "$work/class-out" "${allow[@]}" "${extra[@]}" -- "${tests[@]}" >"$work/report" 2>&1
            rc=$?
            ;;
        gradescope)
            local root="$work/gs"
            mkdir -p "$root/source" "$root/submission"
            unzip -q "$scratch/autograder.zip" -d "$root/source"
            cp "$root/source/run_autograder" "$root/"
            make_submission "$name" "$work/gs-src" >"$work/patch.log" 2>&1 || echo "the submission could not be made" >>"$work/patch.log"
            cp -R "$work/gs-src/." "$root/submission/"
            local sb=()
            [ "$(conf "$name" sandbox)" = uid ] && sb=(GRADER_SANDBOX=uid)
            env "${sb[@]}" AUTOGRADER_ROOT="$root" AUTOGRADER_BOUND=$((bound - 20)) GRADE_OPTIONS="--no-explain ${tests[*]}" \
                nice -n 10 timeout -s KILL "$bound" "$root/run_autograder" >"$work/report" 2>&1
            rc=$?
            ;;
    esac
    echo $(($(date +%s) - start)) >"$work/took"
    echo "$rc" >"$work/rc"
}

# check NAME: the assertions, once its grading has ended
check() {
    local name=$1 work="$scratch/$1" cmd bound took rc verdict score max allowed rule got s f student
    local -a reports=() outputs=()
    local what="$name${overlap[$name]:+ (graded alongside:${overlap[$name]})}"
    cmd=$(conf "$name" command grade)
    bound=$(conf "$name" bound 200)
    student=$(conf "$name" student mallory)
    took=$(cat "$work/took")
    rc=$(cat "$work/rc")
    case $cmd in
        grade)
            verdict="$work/results.json"
            outputs=("$work/report" "$work/results.json" "$work/out")
            [ "$(conf "$name" out)" = default ] && outputs+=("$top/grade-out/lab$lab")
            reports=("$work/report")
            ;;
        class)
            verdict="$work/class-out/students/$student/results.json"
            outputs=("$work/report" "$work/class-out")
            reports=("$work/report")
            for f in "$work"/class-out/students/*/report.txt "$work/class-out/summary.md" "$work/class-out/scores.csv"; do
                [ -e "$f" ] && reports+=("$f")
            done
            ;;
        gradescope)
            verdict="$work/gs/results/results.json"
            outputs=("$work/report" "$work/gs/results")
            reports=("$work/report")
            ;;
    esac
    {
        echo "exit status $rc after ${took}s (the bound: ${bound}s)"
        cat "$work/patch.log" 2>/dev/null
        tail -n 25 "$work/report"
    } >"$work/details"

    if [ "$cmd" = class ]; then # a row (a submission refused has no results.json)
        grep -q "^$student," "$work/class-out/scores.csv" 2>/dev/null && [ "$took" -lt "$bound" ]
        result $? "$name: a verdict (its row in scores.csv) within ${bound}s (${took}s)" "$work/details"
    else
        [ -s "$verdict" ] && [ "$took" -lt "$bound" ]
        result $? "$name: a verdict (results.json) within ${bound}s (${took}s)" "$work/details"
    fi

    # The score, and the most it may be
    score=0 max=0
    case $cmd in
        class)
            got=$(grep "^$student," "$work/class-out/scores.csv" 2>/dev/null | cut -d, -f2,3 | tr , ' ')
            ;;
        *) got=$(score_of "$verdict") ;;
    esac
    [ -n "$got" ] && read -r score max <<<"$got"
    rule=$(conf "$name" max full)
    case $rule in
        full) allowed=$max ;;
        full-*) allowed=$((max - ${rule#full-})) ;;
        starter | control)
            allowed=$(cut -d' ' -f1 "$work/allowed" 2>/dev/null)
            allowed=${allowed:--1}
            ;;
        *) allowed=$rule ;;
    esac
    [ "$score" -le "$allowed" ]
    result $? "$name: score $score/$max, at most $allowed ($rule)" "$work/details"

    # The victims
    victim_state >"$work/victims"
    if diff "$keep/victims" "$work/victims" >"$work/victims.diff"; then
        result 0 "$name: every victim file and folder unchanged (content, owner, mode)"
    else
        result 1 "$what: victims changed (restored for the next attack)" "$work/victims.diff"
        plant
    fi
    : >"$work/leaks"
    for s in "${secrets[@]}"; do
        grep -r -a -l -F -e "$s" "${outputs[@]}" 2>/dev/null | sed "s|^|secret ${s:0:6}... found in |"
    done >>"$work/leaks"
    if [ -r "$home/.ssh/id_rsa" ]; then
        grep -r -a -l -F -f <(grep -v -e '-----' -e '^$' "$home/.ssh/id_rsa") "${outputs[@]}" 2>/dev/null |
            sed 's|^|~/.ssh/id_rsa found in |' >>"$work/leaks"
    fi
    [ ! -s "$work/leaks" ]
    result $? "$name: no victim's secret in the reports, results.json, transcripts or outputs" "$work/leaks"

    if [ -n "$(conf "$name" unseen)" ]; then
        # (grep's 1 is "nowhere"; 2, a pattern or a file it could not read, proves nothing;
        # the reference's build for the swap-in is the grader's, no output, and closed to
        # all but the grader)
        grep -r -a -l -E --exclude-dir=build-ref -e "$(conf "$name" unseen)" "${outputs[@]}" >"$work/unseen" 2>&1
        [ $? -eq 1 ]
        result $? "$name: what the attack was after nowhere in the outputs (/$(conf "$name" unseen)/)" "$work/unseen"
    fi

    repo_state >"$work/repo"
    if cmp -s "$keep/repo" "$work/repo"; then
        result 0 "$name: the repository's grader/, solutions/ and tests/hidden/ unchanged"
    else
        repo_listing | diff "$keep/repo.list" - >"$work/repo.diff" 2>&1
        result 1 "$what: the repository's grader/, solutions/ or tests/hidden/ changed (restored)" "$work/repo.diff"
        (cd "$top" && rm -rf grader solutions tests/hidden && tar -xpf "$keep/repo.tar")
    fi

    # Nothing left: files in the shared temporary folders, processes
    sleep 0.3 # the kernel tears the namespaces down asynchronously
    tmp_listing >"$work/tmp.now"
    sleep 1 # (what is still there a second later: not a compiler's passing files)
    tmp_listing | LC_ALL=C comm -12 "$work/tmp.now" - | LC_ALL=C comm -13 "$keep/tmp.seen" - >"$work/tmp.new"
    cat "$work/tmp.new" >>"$keep/tmp.seen"
    LC_ALL=C sort -o "$keep/tmp.seen" "$keep/tmp.seen"
    [ ! -s "$work/tmp.new" ]
    result $? "$what: nothing new in /tmp, /var/tmp, /dev/shm or /run/lock" "$work/tmp.new"
    # (pgrep: 1 is "none"; more is "could not look", which is no proof)
    {
        pgrep -af -- "$work/" || [ $? -eq 1 ] || echo "pgrep could not look"
        grep -o '/tmp/autograder\.[A-Za-z0-9]*' "$work/report" 2>/dev/null | sort -u | while read -r g; do
            pgrep -af -- "$g/" || [ $? -eq 1 ] || echo "pgrep could not look"
        done
    } | grep -v -e '^[0-9]* pgrep ' -e "^$$ " >"$work/left"
    [ ! -s "$work/left" ]
    result $? "$name: no process left behind" "$work/left"
    while read -r p _; do kill -KILL "$p" 2>/dev/null; done <"$work/left"

    # The reports hold no control byte but newline and tab (raw, or escaped in JSON)
    : >"$work/control-bytes"
    for f in "${reports[@]}"; do
        LC_ALL=C grep -n -a -P '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$f" 2>/dev/null | head -3 | cat -v |
            sed "s|^|$f: |"
    done >>"$work/control-bytes"
    for f in "$verdict" "$work"/class-out/students/*/results.json; do
        [ -f "$f" ] && grep -n -o -E '\\u00(0[0-8bcdefBCDEF]|1[0-9a-fA-F]|7[fF])' "$f" | head -3 | sed "s|^|$f: |"
    done >>"$work/control-bytes"
    [ ! -s "$work/control-bytes" ]
    result $? "$name: no control byte but newline and tab in the reports" "$work/control-bytes"

    if [ "$cmd" = class ]; then
        local csv="$work/class-out/scores.csv" row c bad=""
        [ -s "$csv" ] && [ -s "$work/class-out/summary.md" ]
        result $? "$name: scores.csv and summary.md exist" "$work/details"
        for c in "$work"/class/*; do
            c=$(basename "$c")
            c=${c//[^A-Za-z0-9._@+-]/_} # (grade-class's name for it)
            case $c in "$student" | "$student.zip") continue ;; esac
            row=$(grep "^$c," "$csv" 2>/dev/null)
            [ -n "$row" ] && [ "$(echo "$row" | cut -d, -f2)" = "$(echo "$row" | cut -d, -f3)" ] &&
                [ "$(echo "$row" | cut -d, -f3)" -gt 0 ] || bad="$bad $c(${row:-no row})"
        done
        echo "the classmates who lost marks:$bad" >"$work/classmates"
        [ -z "$bad" ]
        result $? "$name: every honest classmate keeps full marks" "$work/classmates"
    fi
    if [ "$(conf "$name" listen)" = 1 ]; then
        # (what it got is not shown: it may hold a victim's secret)
        echo "$(grep -c '^connection: ' "$scratch/listener.log") connection(s), $(wc -c <"$scratch/listener.log") bytes" \
            >"$work/listener"
        [ ! -s "$scratch/listener.log" ]
        result $? "$what: the listener on 127.0.0.1:$port received nothing" "$work/listener"
        : >"$scratch/listener.log"
    fi
    if [ -n "$(conf "$name" memcap)" ]; then
        local peak held="never seen"
        # (no sample at all: the watcher never saw the submission, no proof)
        peak=$(cat "$work/peak" 2>/dev/null)
        [ -n "$peak" ] && held="$peak MiB"
        echo "the most the submission's processes held at once: $held" >"$work/memory"
        [ -n "$peak" ] && [ "$peak" -le "$(conf "$name" memcap)" ]
        result $? "$name: the submission held at most $(conf "$name" memcap) MiB ($held)" "$work/memory"
    fi
    if [ "$(conf "$name" mqueue)" = 1 ] && [ "$me" -eq 0 ]; then
        # the machine's POSIX queues (where /dev/mqueue is not mounted, the
        # grader cannot see them either): none named grader-attack-*
        local mnt="$work/mqueue"
        mkdir -p "$mnt"
        if mount -t mqueue none "$mnt" 2>"$work/mqueue.left"; then
            find "$mnt" -name 'grader-attack-*' >"$work/mqueue.left"
            find "$mnt" -name 'grader-attack-*' -delete
            umount "$mnt"
        fi
        rmdir "$mnt" 2>/dev/null
        [ ! -s "$work/mqueue.left" ]
        result $? "$name: no POSIX queue left behind" "$work/mqueue.left"
    fi
    if [ "$(conf "$name" bigfiles)" = 1 ]; then
        find "$work" -type f -size +64M -printf '%p %s bytes\n' >"$work/big" 2>/dev/null
        [ ! -s "$work/big" ]
        result $? "$name: no file over 64 MiB left in the outputs" "$work/big"
    fi
    # What the attack's own grading left: scratch outputs (big, and chowned) go now
    [ "${ATTACKS_KEEP:-0}" = 1 ] && return
    [ "$(conf "$name" out)" = default ] && rm -rf "$top/grade-out/lab$lab"
    rm -rf "$work/out" "$work/class-out/students"/*/src "$work/gs" "$work/class" "$work/starter" \
        "$work/control" "$work/control-src"
}

# --- Grade them, ATTACKS_JOBS at a time (a solo attack alone) ---------------
declare -A running=() overlap=()
finish_one() {
    local pid name
    wait -n -p pid "${!running[@]}" 2>/dev/null
    [ -n "${pid:-}" ] || return
    name=${running[$pid]}
    unset "running[$pid]"
    check "$name"
}
for name in "${names[@]}"; do
    [ -f "$dir/$name.conf" ] || {
        result 1 "$name: no such attack ($dir/$name.conf)"
        continue
    }
    if [ "$(conf "$name" sandbox)" = uid ] && [ "$me" -ne 0 ]; then
        echo "skip $part: $name (GRADER_SANDBOX=uid needs root)"
        continue
    fi
    limit=$jobs
    [ "$(conf "$name" solo)" = 1 ] && limit=1
    while [ ${#running[@]} -ge "$limit" ]; do finish_one; done
    for pid in "${!running[@]}"; do
        overlap[$name]="${overlap[$name]:-} ${running[$pid]}"
        overlap[${running[$pid]}]="${overlap[${running[$pid]}]:-} $name"
    done
    run_attack "$name" &
    running[$!]=$name
    [ "$(conf "$name" solo)" = 1 ] && while [ ${#running[@]} -gt 0 ]; do finish_one; done
done
while [ ${#running[@]} -gt 0 ]; do finish_one; done

echo "(${#names[@]} attack(s) in $(($(date +%s) - started)) s)"
summary

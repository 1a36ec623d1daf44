# shellcheck shell=bash
# session.sh: run a grader in a session of its own, and stop all of it.
#
# Sourced by grader/grade-class and Gradescope's run_autograder.
#   in_session CMD...   run CMD as the leader of a new session (in the
#                       background: $! is its pid, which is the session id)
#   end_session SID     SIGKILL every process still in session SID
#
# A grader stopped at an outer bound leaves behind its test server's
# processes, each test's in a process group of its own (so killing the
# grader's group misses them, and an orphan moves to init, so its parent
# no longer leads to it); they all stay in the grader's session. Each dies
# with the one above it, and a test's namespaces with its first process.
# (In the fallback sandbox the student's programs run in sessions of their
# own; the end of their terminal, and their test's cleanup, end them.)

in_session() {
    setsid "$@" &
}

end_session() {
    local sid=$1 stat line rest found
    for _ in 1 2 3; do
        found=0
        for stat in /proc/[0-9]*/stat; do
            read -r line 2>/dev/null <"$stat" || continue
            rest=${line##*) }
            # shellcheck disable=SC2086 # fields: state ppid pgrp session ...
            set -- $rest
            # (a zombie is already dead: its parent, or init, reaps it)
            if [ "${4:-}" = "$sid" ] && [ "$1" != Z ]; then
                stat=${stat#/proc/}
                kill -KILL "${stat%/stat}" 2>/dev/null && found=1
            fi
        done
        [ "$found" -eq 0 ] && return 0
        sleep 0.1
    done
}

# proc.tcl: start a test's programs and talk to them.
#
#   start ?-memcheck? ?-env {VAR VALUE...}? NAME PROGRAM ?ARG...?
#                                             run PROGRAM (a lab program or a command),
#                                             with VARs set in its environment
#   line NAME EXPECTED                        the next line must be EXPECTED
#   lines NAME LIST                           ... each of LIST in turn
#   line_like NAME REGEXP DESCRIPTION         the next line must match REGEXP
#   skip_to NAME REGEXP DESCRIPTION           read on until a line matches; returns it
#   prompt NAME TEXT                          TEXT must come next, newline or not
#   reply NAME TEXT                           type TEXT and Enter
#   exits NAME ?STATUS?                       it must exit with STATUS (0, nonzero, any,
#                                             N, "signal TERM": ended by that signal,
#                                             "stopped TERM": exit 0 or ended by it, or
#                                             "ended TERM": any exit status or ended by it)
#   next_line NAME DESCRIPTION                its next non-blank line, whatever it is
#   blocked NAME SYSCALL                      it must be asleep in SYSCALL
#   suspended NAME                            it must be stopped (SIGSTOP), as the
#                                             kernel says: out of any system call
#
# start -trace runs the program under strace (for explain.tcl's chart and API
# checks); then its pid for blocked, signal and pid_of is strace's child.
#   output_of NAME                            all it printed so far
#   said NAME REGEXP DESCRIPTION              some line of its output matches (any order)
#   signal NAME SIG                           send SIG (INT, TERM, KILL, ...) to it
#   pid_of NAME                               its process id (in the test's namespace)
#
# Regular expressions are Tcl's: a flag such as (?i) must open the pattern.
# Blank lines are skipped on both sides. Every wait is bounded by the
# timeout (GRADER_TIMEOUT seconds, default 5; valgrind runs get 4 times
# that), or ends sooner when the kernel shows that the test's programs can
# no longer progress (hang.tcl); every outcome (the line, another line,
# exit, a hang, a flood) ends in a pass or a clear failure.

namespace eval ::procs {
    variable started {}
    # Commands called with (NAME) when a program starts, and with (NAME TEXT)
    # for each piece of output read from it: procs::observe (the tours watch).
    variable observers [dict create start {} output {}]
    variable flood_limit [expr {4 * 1024 * 1024}]
    variable starts 0
}

proc procs::timeout_for {name} {
    upvar #0 ::P_$name P
    expr {$P(memcheck) ? 4 * $::cfg(timeout) : $::cfg(timeout)}
}

# One field of NAME's record (see start): its state, status, memcheck...
proc procs::field {name key} {
    upvar #0 [get $name] P
    return $P($key)
}

proc procs::get {name} {
    if {![info exists ::P_$name]} {
        error "no program called \"$name\" was started in this test"
    }
    return ::P_$name
}

proc start {args} {
    set memcheck 0
    set trace $::cfg(trace)
    set env {}
    while {[string match -* [lindex $args 0]]} {
        set args [lassign $args opt]
        switch -- $opt {
            -memcheck { set memcheck [expr {!$::cfg(sanitize)}] }
            -trace { set trace 1 }
            -env { set args [lassign $args env] }
            default { error "start: unknown option $opt" }
        }
    }
    lassign $args name prog
    set argv [lrange $args 2 end]
    if {[info exists ::P_$name] && [set ::P_${name}(state)] eq "running"} {
        error "\"$name\" is already running in this test"
    }
    set shown [list $prog {*}$argv]
    if {[dict exists $::cfg(swap) $prog]} {
        # the driver's swap-in: this program is the reference's, not the
        # submission's. Never under valgrind, which would have to read it:
        # the test's other programs may run it, never read it (rerun.tcl)
        set memcheck 0
    }
    if {[dict exists $::cfg(swap) $prog] || [dict exists $::lab::programs $prog]} {
        set cmd [list [program_path $prog] {*}$argv]
        set shown [list ./$prog {*}$argv]
    } else {
        set cmd [list $prog {*}$argv]
    }
    upvar #0 ::P_$name P
    array unset P
    array set P [list name $name shown [join $shown] memcheck $memcheck lineno 0 bytes 0 \
                     pending {} ahead {} eof 0 state running status {} tail {} out {} vgxml {} \
                     trace {} target {} inner {} failed_as_asked 0 tty {} \
                     file [lindex $cmd 0]]
    set xml ""
    if {$memcheck} {
        # valgrind writes into a pipe whose far end, outside the sandbox,
        # copies it where the program cannot reach (enter.sh)
        set P(vgxml) [file join $::cfg(privdir) $name.valgrind.xml]
        set xml $P(vgxml)
        # (--command-line-only: a .valgrindrc the program wrote is ignored;
        # no --track-origins: it more than doubles valgrind's start-up, 0.5 to
        # 1.2 s of CPU here, for an origin the report does not show; no
        # inlined frames: reading them costs 80 ms a start, and a report's
        # file:line is the same without them)
        # the leaks that count: definite and indirect, unless the lab's
        # setting leak_kinds says more (all: even a block still reachable)
        set leaks definite,indirect
        if {[dict exists $::lab::settings leak_kinds]} { set leaks [setting leak_kinds] }
        set cmd [list valgrind --command-line-only=yes -q --xml=yes --xml-fd=4 --leak-check=full \
                     --read-inline-info=no --show-leak-kinds=$leaks --errors-for-leak-kinds=$leaks \
                     --vgdb=no --child-silent-after-fork=yes {*}$cmd]
        set P(shown) "valgrind $P(shown)"
    }
    if {[llength $env]} {
        # for the program only: the grader's own environment (its PATH
        # above all) never points into the student's folder
        set cmd [list env {*}[lmap {k v} $env {string cat $k = $v}] {*}$cmd]
    }
    # Every program runs in the test's sandbox (sandbox.tcl), which says
    # the program's pid, as the grader and as the program see it
    set P(pidfile) [file join $::cfg(privdir) $name.[incr ::procs::starts].pid]
    set cmd [sandbox::program $cmd $xml $P(pidfile)]
    # (confine -E: the pty's echo off, so answers typed at a prompt do not
    # come back as output; only here, where the terminal is expect's own)
    set cmd [linsert $cmd 1 -E]
    if {$trace && !$memcheck} {
        # strace runs outside the sandbox, as the grader, so that its record
        # is out of the program's reach; it starts the sandbox as its child
        set P(trace) [file join $::cfg(privdir) $name.strace]
        # (its record at most 16 MiB: a program may flood it on purpose)
        set cmd [list prlimit --fsize=[expr {16 << 20}]:unlimited -- strace -f -qq -ttt -s 64 \
                     -e trace=$::explain::traced -o $P(trace) {*}$cmd]
        # LeakSanitizer cannot work under ptrace: a traced sanitizer build skips it
        if {$::cfg(sanitize)} { set cmd [list env ASAN_OPTIONS=detect_leaks=0 {*}$cmd] }
    }
    note "\$ $P(shown)"
    # (-nottycopy -nottyinit: without them expect runs "stty sane" and
    # stty_init through sh, four processes per program; a new pty's termios
    # are the kernel's defaults, and confine -E above turns the echo off)
    if {[catch {spawn -noecho -nottycopy -nottyinit {*}$cmd} err]} {
        fail "could not start $P(shown): $err"
    }
    set P(id) $spawn_id
    # its terminal: only the grader types into it (hang.tcl)
    set P(tty) {}
    if {[info exists spawn_out(slave,name)] && ![catch {file stat $spawn_out(slave,name) st}]} {
        set P(tty) $st(dev):$st(ino)
    }
    set P(pid) [exp_pid -i $spawn_id]
    procs::learn_pids $name
    lappend ::procs::started $name
    foreach cmd [dict get $::procs::observers start] { {*}$cmd $name }
    return $name
}

# Call CMD NAME when a program starts (EVENT start), or CMD NAME TEXT for
# each piece of its output the grader reads (EVENT output).
proc procs::observe {event cmd} {
    variable observers
    dict lappend observers $event $cmd
}

# The pid of NAME's program itself, as the grader sees it (the process it
# spawned is the sandbox's launcher, or strace), and as the program sees
# itself: confine.c writes both before the program starts.
proc procs::learn_pids {name} {
    upvar #0 ::P_$name P
    set P(target) $P(pid)
    set P(inner) $P(pid)
    set P(learned) 0
    # The program waits for this line before it starts, so it comes unless
    # confine dies; on a loaded machine that can take seconds.
    set deadline [expr {[clock milliseconds] + 30000}]
    for {set n 0} {[clock milliseconds] < $deadline} {incr n} {
        if {[read_pids $name]} return
        if {[kernel::pstate $P(pid)] in {Z gone}} return
        kernel::pause $n
    }
}

# Read NAME's pid file if its line is there yet (1), else 0. Asked again
# when a pid is needed and was not known at the start: the line stays.
proc procs::read_pids {name} {
    upvar #0 ::P_$name P
    if {$P(learned)} { return 1 }
    if {[catch {open $P(pidfile)} f]} { return 0 }
    set l [gets $f]
    close $f
    if {[llength $l] != 2 || ![string is integer -strict [lindex $l 0]]} { return 0 }
    lassign $l P(inner) P(target)
    set P(learned) 1
}

proc procs::target {name} {
    upvar #0 ::P_$name P
    read_pids $name
    return $P(target)
}




# Record LINE in the program's tail (for "output so far") and count bytes.
proc procs::took {name text} {
    upvar #0 ::P_$name P
    foreach cmd [dict get $::procs::observers output] { {*}$cmd $name $text }
    incr P(bytes) [string length $text]
    set body [string map {"\r" ""} [string trimright $text "\r\n"]]
    if {$body eq ""} {
        lappend P(out) "" ;# a blank line is a line too (split would drop it)
    } else {
        foreach l [split $body \n] { lappend P(out) $l }
    }
    lappend P(tail) [string trimright $text "\r\n"]
    if {[llength $P(tail)] > 12} { set P(tail) [lrange $P(tail) end-11 end] }
    if {$P(bytes) > $::procs::flood_limit} {
        kill_all
        fail "$P(shown) printed more than [expr {$::procs::flood_limit >> 20}] MiB: stopped"
    }
}

proc procs::so_far {name} {
    upvar #0 ::P_$name P
    drain $name
    if {![llength $P(tail)]} { return "  (it printed nothing)" }
    return "  output so far (last lines):\n    [join [lmap l $P(tail) {visible $l}] "\n    "]"
}

# How NAME ended, in words ("exited with status 1", "was killed by SIGSEGV (...)").
proc procs::ended {name} {
    upvar #0 ::P_$name P
    if {[catch {reap $name}]} { return "stopped printing" }
    lassign $P(status) how value
    if {$how eq "signal"} { return "was killed by $value[signal_hint $value]" }
    return "exited with status $value"
}

# What every live process of the test is doing, for a failure after a wait
# ran out: the next step for a hang is knowing where each process sleeps.
proc procs::diagnosis {} {
    set d [explain::processes]
    expr {$d eq "" ? "" : "\n$d"}
}

# Take whatever output is already waiting (no wait, but for the last lines
# of a program that has exited), so that a failure can show it.
proc procs::drain {name} {
    upvar #0 ::P_$name P
    if {$P(eof) || $P(state) ne "running"} { return }
    set P(ahead) {} ;# (lines read ahead are taken too, as if still unread)
    # (a program that has exited may still have lines on their way, the
    # last it printed: they are waited for, briefly, so that the transcript
    # of a failed test holds all it said)
    set deadline [expr {[clock milliseconds] + 500}]
    for {set n 0} {1} {incr n} {
        expect -i $P(id) -timeout 0 \
            -re {^[^\n]*\n} { took $name $expect_out(0,string); continue } \
            eof { at_eof $name $expect_out(buffer) } \
            timeout {
                if {[kernel::pstate $P(pid)] in {Z gone} && [clock milliseconds] < $deadline} {
                    kernel::pause $n
                    continue
                }
            }
        return
    }
}

# Take the whole lines already waiting (no wait) as NAME's next lines, for
# line and friends to read later (drain takes them as it takes unread
# ones): the grader reads nothing while it watches the kernel (blocked), and
# the transcript logs output when it is read, so without this a sender's
# lines showed up only after it had exited.
proc procs::read_ahead {name} {
    upvar #0 ::P_$name P
    if {$P(eof) || $P(state) ne "running"} { return }
    while 1 {
        expect -i $P(id) -timeout 0 \
            -re {^([^\n]*)\n} {
                took $name $expect_out(0,string)
                lappend P(ahead) [string trimright $expect_out(1,string) "\r"]
                continue
            } \
            full_buffer {
                fail "$P(shown) printed a line longer than [match_max -i $P(id)] bytes"
            } \
            eof { at_eof $name $expect_out(buffer) } \
            timeout {}
        return
    }
}

# Reach eof: the rest of the buffer, split into lines, becomes pending.
proc procs::at_eof {name rest} {
    upvar #0 ::P_$name P
    set P(eof) 1
    if {$rest ne ""} {
        took $name $rest
        foreach l [split [string map {"\r" ""} $rest] \n] { lappend P(pending) $l }
    }
}

# The next raw line of NAME's output (no blank-line skipping), or fail.
proc procs::raw_line {name what} {
    upvar #0 ::P_$name P
    if {[llength $P(ahead)]} {
        set P(ahead) [lassign $P(ahead) l]
        incr P(lineno)
        return $l
    }
    if {[llength $P(pending)]} {
        set P(pending) [lassign $P(pending) l]
        incr P(lineno)
        return $l
    }
    if {$P(eof)} {
        fail "$P(shown) [ended $name] before printing $what\n[so_far $name]"
    }
    set t [timeout_for $name]
    set early [hang::watch]
    try {
        expect -timeout $t -i $P(id) \
            -re {^([^\n]*)\n} {
                set l [string trimright $expect_out(1,string) "\r"]
                took $name $expect_out(0,string)
                incr P(lineno)
                return $l
            } \
            full_buffer {
                fail "$P(shown) printed a line longer than [match_max -i $P(id)] bytes while the grader waited for $what"
            } \
            eof {
                at_eof $name $expect_out(buffer)
                return [raw_line $name $what]
            } \
            -i $early eof {
                fail "[hang::lead $t] waiting for $P(shown) to print $what\n[so_far $name][diagnosis]\n[hang::why]"
            } \
            timeout {
                fail "timed out after $t s waiting for $P(shown) to print $what\n[so_far $name][diagnosis]"
            }
    } finally { hang::stop }
}

# The next non-blank line, with trailing blanks removed.
proc procs::next_line {name what} {
    while 1 {
        set l [normalise [raw_line $name $what]]
        if {$l ne ""} { return $l }
    }
}

proc next_line {name description} {
    procs::get $name
    procs::next_line $name $description
}

proc line {name expected} {
    procs::get $name
    upvar #0 ::P_$name P
    set expected [normalise $expected]
    set got [procs::next_line $name [visible $expected]]
    if {$got ne $expected} {
        mismatch "$P(shown)" $P(lineno) $expected $got
    }
}

proc lines {name expected} {
    foreach l $expected {
        if {[normalise $l] ne ""} { line $name $l }
    }
}

proc line_like {name re description} {
    procs::get $name
    upvar #0 ::P_$name P
    set got [procs::next_line $name $description]
    if {![regexp -- $re $got]} {
        fail [format "%s, line %d:\n  expected: %s\n  actual:   %s" \
                  $P(shown) $P(lineno) $description [visible $got]]
    }
    return $got
}

proc skip_to {name re description} {
    procs::get $name
    while 1 {
        set got [procs::next_line $name $description]
        if {[regexp -- $re $got]} { return $got }
    }
}

# TEXT must come next (after blank lines), whether or not a newline follows.
proc prompt {name text} {
    procs::get $name
    upvar #0 ::P_$name P
    set text [normalise $text]
    # (blank lines read ahead: the prompt may still be unread, after them)
    while {[llength $P(ahead)] && [normalise [lindex $P(ahead) 0]] eq ""} {
        set P(ahead) [lrange $P(ahead) 1 end]
        incr P(lineno)
    }
    if {[llength $P(ahead)] || [llength $P(pending)] || $P(eof)} {
        set got [procs::next_line $name "the prompt [visible $text]"]
        if {[string first $text $got] != 0} {
            mismatch "$P(shown)" $P(lineno) $text $got
        }
        return
    }
    set t [procs::timeout_for $name]
    set re "^\[\r\n\]*[re_quote $text]"
    set early [hang::watch]
    try {
        expect -timeout $t -i $P(id) \
            -re $re {
                procs::took $name $expect_out(0,string)
                return
            } \
            -re {^([^\n]*)\n} {
                set l [normalise $expect_out(1,string)]
                procs::took $name $expect_out(0,string)
                incr P(lineno)
                if {$l eq ""} { return [prompt $name $text] }
                mismatch "$P(shown)" $P(lineno) $text $l
            } \
            eof {
                procs::at_eof $name $expect_out(buffer)
                return [prompt $name $text]
            } \
            -i $early eof {
                fail "[hang::lead $t] waiting for $P(shown) to ask [visible $text]\n[procs::so_far $name][procs::diagnosis]\n[hang::why]"
            } \
            timeout {
                fail "timed out after $t s waiting for $P(shown) to ask [visible $text]\n[procs::so_far $name][procs::diagnosis]"
            }
    } finally { hang::stop }
}

proc reply {name text} {
    procs::get $name
    upvar #0 ::P_$name P
    note "(typed: $text)"
    if {$P(eof) || [catch {exp_send -i $P(id) -- "$text\r"}]} {
        fail "$P(shown) had already exited when the grader typed [visible $text]"
    }
}

# Wait (bounded) for NAME to exit; drain and log the rest of its output.
proc procs::reap {name} {
    upvar #0 ::P_$name P
    if {$P(state) ne "running"} { return }
    set P(ahead) {} ;# (as drain does)
    set t [timeout_for $name]
    set deadline [expr {[clock milliseconds] + 1000 * $t}]
    set early [hang::watch]
    try {
        while {!$P(eof)} {
            set left [expr {max(0, ($deadline - [clock milliseconds] + 999) / 1000)}]
            expect -timeout $left -i $P(id) \
                -re {^[^\n]*\n} { took $name $expect_out(0,string) } \
                full_buffer { took $name $expect_out(buffer) } \
                eof { at_eof $name $expect_out(buffer) } \
                -i $early eof { hung $name "" "\n[hang::why]" } \
                timeout { hung $name "after $t s" "" }
        }
    } finally { hang::stop }
    # eof means the output closed; the process itself may linger
    for {set n 0} {[kernel::pstate $P(pid)] ni {Z gone}} {incr n} {
        if {[clock milliseconds] > $deadline} {
            set P(state) hung
            kill_one $name
            fail "$P(shown) closed its output but was still running after $t s"
        }
        kernel::pause $n
    }
    set w [wait -i $P(id)]
    set P(state) exited
    if {[lindex $w 4] eq "CHILDKILLED"} {
        set P(status) [list signal [lindex $w 5]]
    } else {
        set P(status) [list exit [lindex $w 3]]
    }
}

# Fail NAME's wait for its exit: it is still running AFTER ("after 5 s", or
# "" for a hang called early), and WHY says which rule called it ("" at the timeout).
proc procs::hung {name after why} {
    upvar #0 ::P_$name P
    if {$after eq ""} {
        set after "after [hang::elapsed] s of the [timeout_for $name] s timeout, with no way left to finish"
    }
    set what "was still running $after (the grader expected it to exit)"
    if {[kernel::pstate $P(pid)] in {Z gone}} {
        set what "exited, but a process it started still holds its output open $after (a child left running in the background?)"
    }
    set diag [diagnosis]
    set P(state) hung
    kill_one $name
    fail "$P(shown) $what\n[so_far $name]$diag$why"
}

proc exits {name {want 0}} {
    procs::get $name
    upvar #0 ::P_$name P
    procs::reap $name
    lassign $P(status) how value
    if {[lindex $want 0] eq "stopped"} {
        # asked to stop by SIG: exiting 0 and dying of SIG (after cleaning
        # up and re-raising it) are both clean ways to go
        set sig SIG[string map {SIG ""} [lindex $want 1]]
        if {$how eq "signal" && $value ne $sig} {
            fail "$P(shown) was killed by $value[procs::signal_hint $value]; on $sig it should clean up and exit\n[procs::so_far $name]"
        }
        if {$how eq "exit" && $value != 0} {
            fail "$P(shown) exited with status $value after $sig; a requested stop is not an error\n[procs::so_far $name]"
        }
        note "($P(shown) ended after $sig: $how $value)"
        return $value
    }
    if {[lindex $want 0] eq "ended"} {
        # the signal's end, whatever status the program chose for it: only
        # another signal (a crash) fails
        set sig SIG[string map {SIG ""} [lindex $want 1]]
        if {$how eq "signal" && $value ne $sig} {
            fail "$P(shown) was killed by $value[procs::signal_hint $value]; on $sig it should clean up and exit\n[procs::so_far $name]"
        }
        note "($P(shown) ended after $sig: $how $value)"
        set P(failed_as_asked) [expr {$how eq "exit" && $value != 0}]
        return $value
    }
    if {[lindex $want 0] eq "signal"} {
        # a program that cleans up and then re-raises the signal ends this way
        set sig SIG[string map {SIG ""} [lindex $want 1]]
        if {$how ne "signal" || $value ne $sig} {
            fail "$P(shown) [expr {$how eq "signal" ? "was killed by $value" : "exited with status $value"}]; it should have ended by $sig\n[procs::so_far $name]"
        }
        note "($P(shown) ended by $value)"
        return $value
    }
    if {$how eq "signal"} {
        fail "$P(shown) was killed by $value[procs::signal_hint $value]\n[procs::so_far $name]"
    }
    note "($P(shown) exited with status $value)"
    switch -- $want {
        any {}
        nonzero {
            if {$value == 0} { fail "$P(shown) exited with status 0; it should report the error and exit non-zero" }
        }
        default {
            if {$value != $want} {
                fail "$P(shown) exited with status $value, expected $want\n[procs::so_far $name]"
            }
        }
    }
    # an error exit the test accepted: its messages explain nothing that fails later
    set P(failed_as_asked) [expr {$value != 0 && $want ne "any"}]
    return $value
}

proc procs::signal_hint {sig} {
    limits::hint $sig [base_hint $sig]
}

proc procs::base_hint {sig} {
    switch -- $sig {
        SIGSEGV { return " (segmentation fault: a bad pointer or an overflowed buffer)" }
        SIGABRT { return " (abort: often a detected buffer overflow or a failed assert)" }
        SIGBUS  { return " (bus error)" }
        SIGFPE  { return " (arithmetic error, such as a division by zero)" }
        default { return "" }
    }
}



# blocked NAME CALL...: NAME must be asleep (state S or D) in one of the
# CALLs, by its /proc syscall number or its wchan, and it is polled until
# then, bounded by the program's timeout; returns the call found. A program
# seen asleep in nanosleep but never in a CALL is told it polls.
proc blocked {name args} {
    procs::get $name
    upvar #0 ::P_$name P
    if {![llength $args]} { error "blocked: which call?" }
    # each call's system call numbers and wchan words; glibc's semop() is
    # the semtimedop system call
    set want {}
    foreach call $args {
        set nrs [list [syscall_number $call]]
        set words [list *do_$call*]
        if {$call eq "semop"} {
            lappend nrs [syscall_number semtimedop]
            lappend words *semtimedop*
        }
        lappend want $call $nrs $words
    }
    set calls [join $args " or "]
    set deadline [expr {[clock milliseconds] + 1000 * [procs::timeout_for $name]}]
    set pid [procs::target $name]
    set napped 0 ;# times seen in a sleep call instead: polling
    for {set n 0} {1} {incr n} {
        procs::read_ahead $name
        set st [kernel::pstate $pid]
        # (any of its threads: a program may wait in one of its own while
        # the main one waits for it, in pthread_join)
        foreach tid [kernel::threads $pid] {
            set in task/$tid
            set tst [kernel::pstate $pid $in/stat]
            set sc [lindex [kernel::readproc $pid $in/syscall] 0]
            set wchan [kernel::readproc $pid $in/wchan]
            if {$tst in {S D}} {
                foreach {call nrs words} $want {
                    set hit [expr {$sc in $nrs}]
                    foreach w $words { if {[string match $w $wchan]} { set hit 1 } }
                    if {$hit} {
                        procs::read_ahead $name ;# (what it printed before it slept, logged before the note)
                        set thread [expr {$tid == $pid ? "" : ", in thread $tid"}]
                        note "($P(shown) is asleep in $call: state $tst, syscall $sc, wchan $wchan$thread)"
                        return $call
                    }
                }
            }
            if {$tst eq "S" && [kernel::syscall_name $sc] in {nanosleep clock_nanosleep}} { incr napped }
        }
        set polled [expr {$napped ? "\n  it was seen asleep in nanosleep (sleep, usleep or nanosleep) but never in $calls: trying without waiting and sleeping in between (polling) is not waiting; let [expr {[llength $args] == 1 ? $args : "the call"}] itself wait" : ""}]
        procs::not_yet $name $pid $st $deadline "waiting in $calls" "asleep in $calls" $polled $n
    }
}

# One more round of a wait for NAME (process PID, in state ST) to be
# WAITING (said if it exited) or, as the kernel shows it, ASLEEP: fails
# once it has exited or DEADLINE has passed; else pauses before look N
# (kernel::pause). MORE: what else the report should say.
proc procs::not_yet {name pid st deadline waiting asleep more n} {
    upvar #0 ::P_$name P
    if {$st in {Z gone}} {
        fail "$P(shown) exited; it should have been $waiting$more\n[so_far $name]"
    }
    if {[clock milliseconds] > $deadline} {
        fail "after [timeout_for $name] s, $P(shown) was not $asleep: it [lindex [explain::describe $pid] 0]$more\n[so_far $name]"
    }
    kernel::pause $n
}

# Stopped by SIGSTOP: the kernel has taken it out of whatever call it slept
# in (a receiver no longer waits, so a message sent now stays queued), and
# SIGCONT restarts that call.
proc suspended {name} {
    procs::get $name
    upvar #0 ::P_$name P
    set deadline [expr {[clock milliseconds] + 1000 * [procs::timeout_for $name]}]
    set pid [procs::target $name]
    for {set n 0} {1} {incr n} {
        set st [kernel::pstate $pid]
        if {$st in {T t}} { ;# (t: the same stop, seen under strace)
            note "($P(shown) is stopped: state $st)"
            return
        }
        procs::not_yet $name $pid $st $deadline "stopped (SIGSTOP)" stopped "" $n
    }
}

proc output_of {name} {
    procs::get $name
    upvar #0 ::P_$name P
    procs::drain $name
    join $P(out) \n
}

# After NAME exited: some line of its whole output matches RE, in any order
# (stdout and stderr may interleave either way). Returns that line.
proc said {name re description} {
    procs::get $name
    upvar #0 ::P_$name P
    foreach l [split [output_of $name] \n] {
        if {[regexp -- $re $l]} { return $l }
    }
    set shown [lrange $P(out) end-19 end]
    fail "$P(shown) never printed $description\n  its output[expr {[llength $P(out)] > 20 ? " (last 20 lines)" : ""}]:\n    [join [lmap l $shown {visible $l}] "\n    "]"
}

proc procs::kill_one {name} {
    upvar #0 ::P_$name P
    limits::most ;# before its children die with it
    if {$P(trace) ne ""} {
        # strace flushes its record when told to stop, not when killed
        catch {exec kill -TERM $P(pid)}
        for {set i 0} {$i < 20 && [kernel::pstate $P(pid)] ni {Z gone}} {incr i} { kernel::pause $i }
    }
    set t [target $name]
    catch {exec kill -KILL -- -$t}
    catch {exec kill -KILL -- -$P(pid)}
    catch {exec kill -KILL $P(pid)}
    catch {close -i $P(id)}
    catch {wait -i $P(id)}
    set P(state) killed
}

# Stop every program this test started that is still running.
proc kill_all {} {
    foreach name $::procs::started {
        upvar #0 ::P_$name P
        if {$P(state) eq "running"} { procs::kill_one $name }
    }
}

# A line in the transcript (and on stdout with -v).
proc note {text} {
    send_log -- "$text\n"
    if {$::cfg(verbose)} { puts stdout $text }
}

proc signal {name sig} {
    procs::get $name
    upvar #0 ::P_$name P
    set pid [procs::target $name]
    note "(grader: kill -$sig $pid, $P(shown))"
    if {[catch {exec kill -$sig $pid} err]} {
        fail "could not send SIG$sig to $P(shown): it has already exited"
    }
    # kill returns before the stop takes hold: a message sent in between
    # would still reach a program asleep in msgrcv. A test that stops one
    # goes on only once the kernel shows it stopped.
    if {$sig eq "STOP"} { suspended $name }
}

# What a lab file may read of a program it started; the record itself
# (::P_NAME) is the library's.
proc shown {name} { procs::field $name shown }       ;# "./msgrcv key 2"
proc line_number {name} { procs::field $name lineno } ;# lines read so far
proc trace_of {name} { procs::field $name trace }     ;# its strace record, or ""

# The file a test runs for the lab's program PROG: the reference's when
# the driver swapped it in, else the submission's build.
proc program_path {prog} {
    if {[dict exists $::cfg(swap) $prog]} { return [dict get $::cfg(swap) $prog] }
    file join $::cfg(bindir) $prog
}

# The seconds a test waits for a program's line or exit.
proc test_timeout {} { return $::cfg(timeout) }

# Poll COND (an expression, in the caller's scope), pausing as kernel::pause does, until it
# holds, for at most the test's timeout; else fail with "after T s, WHY"
# (WHY substituted in the caller's scope then, so it can show the state).
proc wait_until {cond why} {
    set deadline [expr {[clock milliseconds] + 1000 * [test_timeout]}]
    for {set n 0} {![uplevel 1 [list expr $cond]]} {incr n} {
        if {[clock milliseconds] > $deadline} {
            fail "after [test_timeout] s, [uplevel 1 [list subst $why]]"
        }
        kernel::pause $n
    }
}

# NAME's pid as the programs see it (getpid() in the test's sandbox)
proc pid_of {name} {
    procs::get $name
    procs::read_pids $name
    set ::P_${name}(inner)
}

# Processes still alive in the test's sandbox that no running program of
# the test accounts for: daemons and the children of programs that have
# exited ("PID COMMAND" each). Empty where the sandbox cannot tell them
# apart from the machine's (no sandbox).
proc procs::strays {} {
    set running {}
    foreach name $::procs::started {
        upvar #0 ::P_$name P
        if {$P(state) eq "running"} { lappend running [target $name] }
    }
    sandbox::strays $running
}

# hang.tcl: call a hang as soon as the kernel shows that nothing can progress.
#
#   hang::watch      before a wait for a program's output or exit: starts
#                    sampling the test's processes and returns a spawn id
#                    that reaches eof once they are proven stuck, for the
#                    wait's `-i ID eof` branch (it never does when early
#                    calls are off)
#   hang::stop       after that wait, however it ended
#   hang::elapsed    seconds from the start of the wait to the call ("1.2")
#   hang::lead T     "timed out early, after 1.2 s of the T s timeout,"
#   hang::why        the line that says which rule fired
#
# A wait for a line or an exit is bounded by the timeout, and most of a
# class's grading time went to waiting out hangs the kernel already showed:
# every program asleep in msgrcv for a type nobody will send. Inside a
# wait the test itself sends, types and signals nothing, so the test's
# processes are all that can still act. Every 100 ms (Tcl timers, which
# expect serves while it waits; /proc reads only, no process started)
# this looks at each of them, every thread:
#   - asleep (state S) in a call that only another process can end: msgrcv,
#     msgsnd (a full queue), semop or semtimedop without a timeout,
#     mq_timedreceive or mq_timedsend without a deadline (mq_receive and
#     mq_send), wait4/waitid (its children are the test's too), or read
#     on the terminal of one of the test's programs (only the grader types
#     there, and not while it waits: a question nobody answers). Anything
#     else (running, a sleep, poll or select, a read on a pipe or file,
#     pause, a stop) may still progress, and ends the sampling's proof;
#   - no signal pending (SigPnd, ShdPnd), no POSIX timer (/proc/PID/timers);
#   - no alarm it could have set. alarm() and setitimer(ITIMER_REAL) leave
#     no trace in /proc (stat's itrealvalue is always 0), and their SIGALRM
#     ends a msgrcv whatever the program did with it: a handler makes the
#     call fail with EINTR and the program goes on (a client that gives up
#     after N seconds), the default action kills it, which is progress
#     too: the wait sees the exit, and a parent in wait4, or catching
#     SIGCHLD, wakes. So SIGALRM is harmless only where it cannot be
#     delivered (ignored: SigIgn; blocked in every thread: SigBlk) or
#     cannot come: the program's file names none of alarm, ualarm,
#     setitimer, timer_create and syscall (a dynamically linked program
#     calls them by name; a static one, with no dynamic loader named, is
#     assumed to). Under valgrind the kernel sees every signal caught by
#     valgrind itself, so the file read is the one the grader started
#     under valgrind, never a path the program could name. (The
#     other timers, ITIMER_VIRTUAL and ITIMER_PROF, and the CPU time limit
#     count CPU time, which a sleeping test does not use.)
#   - the same threads, states, calls, CPU times and context switches in
#     every sample for 0.5 s and at least 5 samples in a row, and then the
#     whole PID namespace holding no process that was not sampled.
# Only in the bwrap sandbox (sandbox.tcl): its private IPC and PID
# namespaces mean no process outside the test can send to its queues or
# signal its programs. GRADER_EARLY=0 (or grade --no-early) turns it off.

namespace eval ::hang {
    variable interval 100   ;# ms between samples
    variable span 500       ;# ms the same stuck state must last
    variable polls 5        ;# samples in a row, at least
    variable poke {}        ;# the spawn id the waits watch (a pipe's read end)
    variable wr {}          ;# its write end: closed to call the hang
    variable timer {}
    variable history {}     ;# {first-ms count signature} of the stuck state
    variable started 0      ;# when the wait began (ms)
    variable fired {}       ;# {elapsed-ms held-ms words} once called
    variable binaries [dict create] ;# a file's identity -> it may set an alarm (1/0)
    # The calls that only another process can end, and what each waits for
    variable waits {msgrcv receive mq_receive receive semop semaphore
                    msgsnd send mq_send send wait child read terminal}
}

proc hang::enabled {} {
    expr {[info exists ::cfg(early)] && $::cfg(early) &&
          [info exists ::cfg(sandbox_mode)] && $::cfg(sandbox_mode) eq "bwrap"}
}

proc hang::watch {} {
    variable poke
    variable wr
    variable timer
    variable history {}
    variable started [clock milliseconds]
    variable fired {}
    variable interval
    if {$poke eq ""} {
        lassign [chan pipe] rd wr
        spawn -noecho -open $rd
        set poke $spawn_id
    }
    after cancel $timer
    if {[enabled]} { set timer [after $interval hang::sample] }
    return $poke
}

proc hang::stop {} {
    variable timer
    variable poke
    variable fired
    after cancel $timer
    if {[llength $fired] && $poke ne ""} {
        # (expect closes a pipe at its eof; the next wait makes a new one)
        catch {close -i $poke}
        catch {wait -i $poke}
        set poke ""
    }
}

# Seconds from the start of the wait to the call.
proc hang::elapsed {} {
    variable fired
    format %.1f [expr {[lindex $fired 0] / 1000.0}]
}

proc hang::lead {t} {
    return "timed out early, after [elapsed] s of the $t s timeout,"
}

proc hang::why {} {
    variable fired
    lassign $fired - held words
    format "  called early: %s, for %.1f s with no timer, alarm or signal to wake it (GRADER_EARLY=0 waits out the timeout)" \
        $words [expr {$held / 1000.0}]
}

proc hang::sample {} {
    variable timer
    variable interval
    variable history
    variable span
    variable polls
    set timer [after $interval hang::sample]
    # any surprise (a process gone between two reads) means "not proven"
    if {[catch snapshot snap] || $snap eq ""} {
        set history {}
        return
    }
    lassign $snap sig words
    set now [clock milliseconds]
    lassign $history first count was
    if {$history eq "" || $was ne $sig} {
        set history [list $now 1 $sig]
        return
    }
    set history [list $first [incr count] $sig]
    if {$count < $polls || $now - $first < $span} return
    # the last check: no process of the namespace was left out of the samples
    set pids [lsort -unique [lmap line $sig {lindex $line 0}]]
    if {[catch sandbox::pids all] || [lsort -unique $all] ne $pids} {
        set history {}
        return
    }
    after cancel $timer
    variable started
    variable fired [list [expr {$now - $started}] [expr {$now - $first}] $words]
    variable wr
    close $wr
}

# The test's processes: each running program and its descendants, and the
# orphans the namespace's init adopted (with theirs).
proc hang::processes {} {
    set todo {}
    foreach name $::procs::started {
        upvar #0 ::P_$name P
        if {$P(state) eq "running"} { lappend todo [procs::target $name] }
    }
    lassign $::sandbox::holder_pids - init sleeper
    foreach c [kernel::readproc $init task/$init/children] {
        if {$c != $sleeper} { lappend todo $c }
    }
    set seen {}
    while {[llength $todo]} {
        set todo [lassign $todo pid]
        if {$pid in $seen || [kernel::pstate $pid] in {Z gone}} continue
        lappend seen $pid
        foreach t [kernel::threads $pid] {
            lappend todo {*}[kernel::readproc $pid task/$t/children]
        }
    }
    return $seen
}

# {SIGNATURE WORDS} when every process of the test is stuck (SIGNATURE: a
# line per thread; WORDS: where they sleep), or "" when one may progress.
proc hang::snapshot {} {
    variable waits
    set pids [processes]
    if {![llength $pids]} { return "" }
    set ttys {}
    foreach name $::procs::started {
        upvar #0 ::P_$name P
        if {$P(tty) ne ""} { lappend ttys $P(tty) }
    }
    set sig {}
    set calls [dict create]
    foreach pid $pids {
        set ps [status $pid ""]
        if {[dict get $ps ShdPnd] != 0} { return "" }
        if {[kernel::readproc $pid timers] ne ""} { return "" }
        set alarm_blocked 1
        foreach tid [kernel::threads $pid] {
            set stat [kernel::readproc $pid task/$tid/stat]
            set f [string range $stat [string last ")" $stat]+2 end]
            if {[lindex $f 0] ne "S"} { return "" }
            set sc [kernel::readproc $pid task/$tid/syscall]
            set call [stuck_in $sc]
            if {$call eq "read"} {
                set fd [expr {[lindex $sc 1]}]
                if {[catch {file stat /proc/$pid/fd/$fd st}] || "$st(dev):$st(ino)" ni $ttys} {
                    return ""
                }
            }
            if {$call eq ""} { return "" }
            set ts [status $pid task/$tid/]
            if {[dict get $ts SigPnd] != 0} { return "" }
            if {!([dict get $ts SigBlk] & (1 << 13))} { set alarm_blocked 0 }
            # state, call, CPU time (utime stime), context switches
            lappend sig [list $pid $tid [lindex $f 0] $sc [lindex $f 11] [lindex $f 12] \
                             [dict get $ts voluntary_ctxt_switches] [dict get $ts nonvoluntary_ctxt_switches]]
            dict incr calls $call
        }
        if {!$alarm_blocked && !([dict get $ps SigIgn] & (1 << 13)) && [may_set_alarm $pid]} {
            return ""
        }
    }
    set kinds [lsort -unique [lmap c [dict keys $calls] {dict get $waits $c}]]
    set in [join [lsort [dict keys $calls]] " or "]
    if {[llength $pids] == 1} {
        set words "the test's one process was asleep in $in"
    } else {
        set words "all [llength $pids] processes of the test were asleep in $in"
    }
    if {$kinds eq "receive"} { append words ", waiting for a message nobody is left to send" }
    if {$kinds eq "terminal"} { append words " on its terminal, where the grader types nothing while it waits" }
    return [list $sig $words]
}

# The call a /proc/PID/syscall line shows the thread asleep in, if only
# another process can end it (see the top of this file); else "". (read:
# only if on a terminal, which the caller checks.)
proc hang::stuck_in {line} {
    set nr [lindex $line 0]
    if {![string is integer -strict $nr] || $nr < 0} { return "" }
    set args [lrange $line 1 6]
    switch -- [kernel::syscall_name $nr] {
        msgrcv { return msgrcv }
        msgsnd { return msgsnd }
        semop { return semop }
        semtimedop { return [expr {[lindex $args 3] == 0 ? "semop" : ""}] }
        mq_timedreceive { return [expr {[lindex $args 4] == 0 ? "mq_receive" : ""}] }
        mq_timedsend { return [expr {[lindex $args 4] == 0 ? "mq_send" : ""}] }
        wait4 - waitid { return wait }
        read { return read }
    }
    return ""
}

# The fields of /proc/PID/WHERE status that matter here, masks as numbers.
proc hang::status {pid where} {
    set d [dict create SigPnd 0 ShdPnd 0 SigBlk 0 SigIgn 0 \
               voluntary_ctxt_switches 0 nonvoluntary_ctxt_switches 0]
    set text [kernel::readproc $pid ${where}status]
    if {$text eq ""} { error "process $pid is gone" }
    foreach l [split $text \n] {
        if {[regexp {^(\w+):\s+(\S+)} $l - k v] && [dict exists $d $k]} {
            dict set d $k [expr {[string match Sig* $k] || $k eq "ShdPnd" ? "0x$v" : $v}]
        }
    }
    return $d
}

# Whether PID's program may have set an alarm: its file names alarm,
# setitimer, timer_create or syscall, or is linked statically (1 when in
# doubt).
proc hang::may_set_alarm {pid} {
    variable binaries
    set path [program_file $pid]
    # (over 4 MiB, far above any lab's program, a file is not read: the
    # grader's time and memory are not the test's)
    if {$path eq "" || [catch {file stat $path st}]} { return 1 }
    set id $st(dev):$st(ino):$st(size):$st(mtime)
    if {![dict exists $binaries $id]} {
        set may 1
        if {![catch {kernel::read_regular $path [expr {4 << 20}]} bytes]} {
            set dynamic [expr {[string first ld-linux $bytes] >= 0 || [string first ld-musl $bytes] >= 0}]
            # (whole names in the dynamic string table, NUL on each side)
            set names [regexp {\x00(?:u?alarm|setitimer|timer_create|syscall)\x00} $bytes]
            set may [expr {!$dynamic || $names}]
        }
        dict set binaries $id $may
    }
    dict get $binaries $id
}

# The file PID runs, for may_set_alarm to read, or "" when unknown. A
# native program: the kernel's own link to it. Under valgrind the kernel
# sees valgrind's tool, and the program's command line is the program's to
# rewrite, so the file is the one the grader started under valgrind (the
# program PID is, or a child it forked, which runs the same file); bindir
# is read-only to the test, so that path still names what was built.
proc hang::program_file {pid} {
    set exe /proc/$pid/exe
    if {[catch {file readlink $exe} target]} { return "" }
    if {![string match */valgrind/*-linux $target]} { return $exe }
    for {set hops 0} {$hops < 64 && [string is integer -strict $pid] && $pid > 1} {incr hops} {
        foreach name $::procs::started {
            if {[procs::field $name memcheck] && [procs::target $name] == $pid} {
                return [procs::field $name file]
            }
        }
        if {[catch {kernel::ppid $pid} pid]} { return "" }
    }
    return ""
}

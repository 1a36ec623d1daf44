# explain.tcl: why a test failed, when its output alone does not say.
#
#   explain::processes        what each live process of the test is doing, in
#                             words ("asleep in msgrcv, waiting for a message of
#                             type 3 on queue 0; the queue holds 2 messages,
#                             types 1 and 2"), and "deadlock" when every one
#                             of them waits to receive; shown when a wait times out
#   explain::errno_hints      a line of causes for each perror-style message the
#                             programs printed (table: errno-hints.tcl)
#   explain::chart            a sequence chart of the messages sent and received,
#                             from the strace of the programs started with -trace
#   uses NAME CALLS ?WHY?     API checks: NAME (started with -trace) must have
#   forbids NAME CALLS ?WHY?  made / must not have made these system calls

namespace eval ::explain {
    # What strace records for -trace: IPC, POSIX queues, pipes, process creation.
    # And clone, to see a child hidden from strace (untraced).
    variable traced {%ipc,mq_open,mq_unlink,mq_timedsend,mq_timedreceive,mq_notify,mq_getsetattr,pipe,pipe2,socketpair,clone,clone3}
}



# A /proc/PID/syscall argument (hex) as a signed 64-bit number.
proc explain::signed {hex} {
    set v [expr {$hex}]
    if {$v >= 2**63} { set v [expr {$v - 2**64}] }
    return $v
}

# "the queue holds 2 messages, types 1 and 2" for System V queue MSQID.
proc explain::queue_words {msqid} {
    if {[catch {exec $::cfg(qtool) statid $msqid} st]} { return "the queue no longer exists" }
    lassign $st qnum cbytes qbytes
    if {$qnum == 0} { return "the queue is empty ($qbytes bytes of room)" }
    set types {}
    if {![catch {exec $::cfg(qtool) peek $msqid} peek]} {
        foreach l [split $peek \n] {
            # a line is "TYPE SIZE TEXT", and TEXT may hold quotes or braces: not a list
            if {[regexp {^(-?\d+) } $l - t] && $t ni $types} { lappend types $t }
        }
    }
    set s "the queue holds $qnum message(s), $cbytes of $qbytes bytes"
    if {[llength $types]} {
        append s ", of type[expr {[llength $types] > 1 ? "s" : ""}] [join [lsort -integer $types] {, }]"
    }
    return $s
}

# What process PID is doing, in words; the second element says whether it
# waits to receive (for the deadlock verdict).
proc explain::describe {pid} {
    set st [kernel::pstate $pid]
    switch -- $st {
        gone { return {"has exited" 0} }
        Z { return {"has exited (not yet reaped)" 0} }
        T - t { return {"is stopped (by a signal or a debugger)" 0} }
        R { return {"is running on the CPU: busy, never waiting (a loop that does not end?)" 0} }
    }
    set sc [kernel::readproc $pid syscall]
    set nr [lindex $sc 0]
    set args [lrange $sc 1 6]
    set wchan [kernel::readproc $pid wchan]
    set name [expr {[string is integer -strict $nr] ? [kernel::syscall_name $nr] : ""}]
    switch -- $name {
        msgrcv {
            lassign $args q - - type flags
            set q [signed $q]; set type [signed $type]
            if {[signed $flags] & 020000} {
                set want "any message except type $type"
            } elseif {$type == 0} {
                set want "any message"
            } elseif {$type > 0} {
                set want "a message of type $type"
            } else {
                set want "a message of type <= [expr {-$type}]"
            }
            return [list "is asleep in msgrcv, waiting for $want on queue $q; [queue_words $q]" 1]
        }
        msgsnd {
            lassign $args q - size
            set q [signed $q]
            return [list "is asleep in msgsnd: queue $q has no room for [signed $size] more bytes; [queue_words $q]" 0]
        }
        mq_timedreceive - mq_timedsend {
            set fd [signed [lindex $args 0]]
            set qname "?"
            catch {set qname [file readlink /proc/$pid/fd/$fd]}
            if {$name eq "mq_timedreceive"} {
                return [list "is asleep in mq_receive on POSIX queue $qname (it is empty)" 1]
            }
            return [list "is asleep in mq_send on POSIX queue $qname (it is full)" 0]
        }
        read {
            if {[signed [lindex $args 0]] == 0} {
                return {"is waiting for input on its standard input (a question nobody answers?)" 0}
            }
            return [list "is waiting to read file descriptor [signed [lindex $args 0]] (a pipe nobody writes?)" 0]
        }
        write { return {"is blocked writing (its reader is not reading)" 0} }
        nanosleep - clock_nanosleep { return {"is sleeping (sleep or nanosleep)" 0} }
        pause - rt_sigsuspend - rt_sigtimedwait { return {"is waiting for a signal (pause, sigsuspend or sigwaitinfo)" 0} }
        wait4 - waitid { return {"is waiting for a child process to exit" 0} }
        semop - semtimedop { return {"is asleep on a semaphore (semop)" 0} }
        futex { return {"is waiting on a lock or a thread (futex)" 0} }
        poll - ppoll - select - pselect6 - epoll_wait - epoll_pwait { return {"is waiting in poll/select" 0} }
    }
    return [list "is asleep in system call $nr (kernel function [expr {$wchan eq "" ? "?" : $wchan}])" 0]
}

# Every live process of the test, described; "" when there is none.
proc explain::processes {} {
    set lines {}
    set receivers 0
    set seen {}
    foreach name $::procs::started {
        upvar #0 ::P_$name P
        if {$P(state) ne "running"} continue
        set pid [procs::target $name]
        lappend seen $pid
        lassign [describe $pid] words receiving
        lappend lines "$P(shown) (pid $pid) $words"
        incr receivers $receiving
    }
    foreach stray [procs::strays] {
        # ("PID COMMAND": the command line is the program's to write, and
        # need not be a Tcl list: an open brace is a fine argv[0])
        if {![regexp {^(\d+) ?(.*)$} $stray - pid cmd]} continue
        if {$pid in $seen || [kernel::pstate $pid] in {Z gone}} continue
        if {[string match *strace* $stray] || [string match *valgrind* $stray]} continue
        lassign [describe $pid] words receiving
        lappend lines "$cmd (pid $pid) $words"
        lappend seen $pid
        incr receivers $receiving
    }
    if {![llength $lines]} { return "" }
    # a fork bomb has dozens: the first few say enough
    set shown [lrange $lines 0 7]
    if {[llength $lines] > 8} { lappend shown "... and [expr {[llength $lines] - 8}] more processes" }
    set out "  what the test's processes were doing:\n    [join $shown "\n    "]"
    if {[llength $lines] > 1 && $receivers == [llength $lines]} {
        append out "\n  deadlock: every process is waiting to receive, so nobody is left to send"
    }
    return $out
}

# Hints for the perror-style lines ("what: reason") in the test's output,
# but for programs whose error exit the test asked for (a step that passed).
proc explain::errno_hints {} {
    set hints {}
    foreach name $::procs::started {
        upvar #0 ::P_$name P
        if {$P(failed_as_asked)} continue
        catch {procs::drain $name}
        foreach l $P(out) {
            foreach {errno text causes} $::errno_hints {
                set at [string first ": $text" $l]
                if {$at < 0} continue
                set call [string range $l 0 $at-1]
                foreach {pattern why} $causes {
                    if {[string match $pattern $call]} {
                        set h "\"[string trim $l]\" ($errno): $why"
                        if {$h ni $hints} { lappend hints $h }
                        break
                    }
                }
            }
        }
    }
    if {![llength $hints]} { return "" }
    return "  what the error messages usually mean:\n    [join [lrange $hints 0 2] "\n    "]"
}

# TEXT as strace wrote it (escaped: \" \\ \n \0 \ooo \xhh are one byte
# each), cut to its first LIMIT bytes and before its first NUL byte.
proc explain::c_string {text {limit -1}} {
    set out ""
    foreach c [regexp -all -inline {\\(?:x[0-9a-fA-F]{2}|[0-7]{1,3}|.)|[^\\]} $text] {
        if {$limit == 0 || [regexp {^\\0+$} $c]} break
        incr limit -1
        append out $c
    }
    return $out
}

# The system calls in strace record FILE (strace -f -qq -ttt): a list of
# {TIME PID CALL ARGUMENTS RESULT}, TIME as strace wrote it (seconds.micro).
# A call another traced thread interrupted has its two halves joined, at
# the time it returned. Only the calls named in NAMES (all if empty), at
# most LIMIT of them (0: no bound; a program may flood its record).
proc explain::calls {file {names {}} {limit 0}} {
    set out {}
    if {[catch {open $file} f]} { return {} }
    set pending [dict create]
    while {($limit == 0 || [llength $out] < $limit) && [gets $f l] >= 0} {
        if {[regexp {^(\d+)\s+\d+\.\d+ (\w+\(.*) <unfinished \.\.\.>$} $l - pid head]} {
            dict set pending $pid $head
            continue
        }
        if {[regexp {^(\d+)\s+(\d+\.\d+) <\.\.\. \w+ resumed>(.*)$} $l - pid t tail] &&
            [dict exists $pending $pid]} {
            set l "$pid $t [dict get $pending $pid]$tail"
            dict unset pending $pid
        }
        if {[regexp {^(\d+)\s+(\d+\.\d+) (\w+)\((.*)\) += (.*)$} $l - pid t call args ret] &&
            ($names eq "" || $call in $names)} {
            lappend out [list $t $pid $call $args $ret]
        }
    }
    close $f
    return $out
}

# The messages in NAME's strace record FILE: {TIME NAME DIR TYPE TEXT ASKED}
# for each that moved (DIR send or recv; ASKED: the type msgrcv asked for).
proc explain::events {name file} {
    set out {}
    # (the first 5000 message calls)
    foreach c [calls $file {msgsnd msgrcv mq_timedsend mq_timedreceive} 5000] {
        lassign $c t - call body ret
        if {![string is integer -strict $ret] || $ret < 0} continue
        set dir [expr {$call in {msgsnd mq_timedsend} ? "send" : "recv"}]
        set type ""; set text ""; set asked ""
        if {[regexp {^\d+, \{mtype=(-?\d+), mtext="((?:[^"\\]|\\.)*)"(?:\.\.\.)?\}, \d+(?:, (-?\d+))?} $body - type text asked]} {
            # (asked: msgrcv's own argument, the type it asked for; read after
            # the text's closing quote, so the text cannot pose as it)
            if {$call eq "msgsnd"} { set asked "" }
        } elseif {[regexp {^\d+, "((?:[^"\\]|\\.)*)"\.*, \d+, (?:\[)?(\d+)} $body - text type]} {
        }
        # (strace shows msgrcv's whole buffer: only its first RET bytes came
        # in the message, the rest is what the buffer held before)
        set text [c_string $text [expr {$dir eq "recv" ? $ret : -1}]]
        lappend out [list $t $name $dir $type $text $asked]
    }
    return $out
}

# A text sequence chart of the traced programs' messages; "" if none.
proc explain::chart {} {
    set events {}
    set names {}
    foreach name $::procs::started {
        upvar #0 ::P_$name P
        if {$P(trace) eq ""} continue
        lappend names $name
        lappend events {*}[events $name $P(trace)]
    }
    if {![llength $events]} { return "" }
    set events [lsort -real -index 0 $events]
    set t0 [lindex $events 0 0]
    set width 34
    set head [format "%9s" "ms"]
    foreach n $names {
        upvar #0 ::P_$n P
        append head "  " [format "%-${width}s" [string range "$n: $P(shown)" 0 $width-1]]
    }
    set rows [list [string trimright $head]]
    foreach e $events {
        lassign $e t name dir type text asked
        if {$dir eq "send"} {
            set cell "send $type \"$text\" ->"
        } else {
            set cell "<- recv $type \"$text\"[expr {$asked ne "" ? " (asked $asked)" : ""}]"
        }
        set row [format "%9.1f" [expr {1000 * ($t - $t0)}]]
        foreach n $names {
            append row "  " [format "%-${width}s" [expr {$n eq $name ? [string range $cell 0 $width-1] : ""}]]
        }
        lappend rows [string trimright $row]
    }
    return [join $rows \n]
}

# The system calls NAME's strace recorded: a dict, each call -> 1 when one
# of them succeeded, else 0 (a call that fails at once, on no queue or no
# descriptor, is made all the same: it carries nothing).
proc explain::calls_of {name} {
    upvar #0 ::P_$name P
    if {$P(trace) eq ""} {
        error "\"$name\" was not started with -trace, so its system calls are unknown"
    }
    procs::reap $name
    set calls [dict create]
    set f [open $P(trace)]
    while {[gets $f l] >= 0} {
        # (a call another process interrupted ends on a "resumed" line)
        if {![regexp {^\d+\s+[\d.]+ (?:<\.\.\. )?(\w+)(?:\(| resumed>)} $l - c]} continue
        # the result ends the line, after every argument (a string argument
        # may hold ") = 0" too): "= 3", "= -1 ENOENT (No such file ...)"
        set ok [expr {[regexp {\) += (-?\d+)(?: [A-Z][A-Z0-9_]*)?(?: \([^()]*\))?$} $l - ret] && $ret >= 0}]
        dict set calls $c [expr {$ok || ([dict exists $calls $c] && [dict get $calls $c])}]
    }
    close $f
    return $calls
}

# Fail unless strace followed every process NAME started: clone's
# CLONE_UNTRACED keeps a child out of the tracer's reach, so that its calls
# leave no trace in the record any check reads.
proc explain::untraced {name} {
    upvar #0 ::P_$name P
    set f [open $P(trace)]
    while {[gets $f l] >= 0} {
        if {[regexp {^\d+\s+[\d.]+ clone3?\(.*CLONE_UNTRACED} $l]} {
            close $f
            fail "$P(shown) started a process hidden from strace (clone with CLONE_UNTRACED), so the grader cannot check its system calls"
        }
    }
    close $f
}

# The API check: NAME must (MUST 1) or must not (MUST 0) have made CALLS.
proc explain::api {name calls why must} {
    procs::get $name
    upvar #0 ::P_$name P
    set seen [calls_of $name]
    untraced $name
    set made [dict keys $seen]
    set because [expr {$why ne "" ? ": $why" : ""}]
    foreach c $calls {
        if {$must && $c ni $made} {
            fail "$P(shown) never called $c$because\n  its IPC calls: [expr {[llength $made] ? [join $made {, }] : {none}}]"
        }
        if {$must && ![dict get $seen $c]} {
            fail "$P(shown) called $c, but every call failed$because"
        }
        if {!$must && $c in $made} {
            fail "$P(shown) called $c$because"
        }
    }
    note "(strace: $P(shown) [expr {$must ? "called" : "made none of"}] [join $calls {, }])"
}

proc uses {name calls {why ""}} { explain::api $name $calls $why 1 }
proc forbids {name calls {why ""}} { explain::api $name $calls $why 0 }

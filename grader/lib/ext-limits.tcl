# ext-limits.tcl: name the grader's limit when a program runs into one.
#
# The sandbox bounds every program (sandbox.tcl, confine.c; the values are
# ::cfg(limits): procs, memory in MiB, cpu in s, fsize in MiB; 0 means
# none). The kernel enforces each with a signal or a failed call, which on
# its own tells a student little, so:
#   - a program killed by SIGXCPU, SIGXFSZ or SIGKILL is reported with the
#     limit it ran into; a crash mentions the memory limit (past it, malloc
#     returns NULL);
#   - a failure once the test's programs have filled the process limit
#     says so (past it, fork fails with EAGAIN and a fork loop spins).
# These wrap procedures of proc.tcl (signal_hint, kill_one) and match.tcl
# (fail), keeping what they do and say.

namespace eval ::limits {}

proc limits::get {what} {
    if {![info exists ::cfg(limits)] || ![dict exists $::cfg(limits) $what]} { return 0 }
    dict get $::cfg(limits) $what
}

if {[llength [info commands ::procs::signal_hint]] && ![llength [info commands ::limits::base_hint]]} {
    rename ::procs::signal_hint ::limits::base_hint
    proc ::procs::signal_hint {sig} {
        set cpu [limits::get cpu]
        set fsize [limits::get fsize]
        set memory [limits::get memory]
        if {$sig eq "SIGXCPU" && $cpu} {
            return " (it used $cpu s of CPU time: the grader's CPU time limit; a loop that never waits?)"
        }
        if {$sig eq "SIGXFSZ" && $fsize} {
            return " (it wrote a file larger than $fsize MiB: the grader's file size limit)"
        }
        if {$sig eq "SIGKILL" && $cpu} {
            return " (by the kernel: it kept running past the grader's CPU time limit of $cpu s, or ran out of memory)"
        }
        set hint [limits::base_hint $sig]
        if {$sig in {SIGSEGV SIGABRT SIGBUS} && $memory} {
            if {[string match " (*)" $hint]} {
                set hint " ([string range $hint 2 end-1]; or it went past the grader's memory limit of $memory MiB, where malloc returns NULL)"
            } else {
                append hint " (past the grader's memory limit of $memory MiB, malloc returns NULL)"
            }
        }
        return $hint
    }
}

# The processes of this test, other than the grader's own (0 outside a PID
# namespace, where they cannot be told apart from the machine's).
proc limits::processes {} {
    if {![info exists ::cfg(pidns)] || !$::cfg(pidns)} { return 0 }
    set n 0
    foreach dir [glob -nocomplain -directory /proc {[0-9]*}] {
        set pid [file tail $dir]
        if {$pid == 1 || $pid == [pid]} continue
        if {[catch {open $dir/stat} f]} continue
        set stat [read $f]
        close $f
        if {[string index [string trimleft [string range $stat [string last ")" $stat]+1 end]] 0] ne "Z"} {
            incr n
        }
    }
    return $n
}

# The most processes seen at once: counted now, and each time the grader
# stops a program (a hung one's children die with it, before the failure
# is reported).
namespace eval ::limits { variable most 0 }
proc limits::most {} {
    variable most
    set most [expr {max($most, [processes])}]
}

proc limits::process_note {} {
    set procs [limits::get procs]
    # The grader's own processes may count against the limit too (in a user
    # namespace they share the uid): "reached" means within a few of it.
    if {!$procs || [limits::most] < $procs - 4} { return "" }
    return "\n  (the test's programs reached the grader's limit of $procs processes: past it, fork fails with EAGAIN, \"Resource temporarily unavailable\")"
}

if {[llength [info commands ::fail]] && ![llength [info commands ::limits::base_fail]]} {
    rename ::fail ::limits::base_fail
    proc ::fail {message} {
        tailcall ::limits::base_fail "$message[limits::process_note]"
    }
}
if {[llength [info commands ::procs::kill_one]] && ![llength [info commands ::limits::base_kill_one]]} {
    rename ::procs::kill_one ::limits::base_kill_one
    proc ::procs::kill_one {name} {
        limits::most
        tailcall ::limits::base_kill_one $name
    }
}

# limits.tcl: name the grader's limit when a program runs into one.
#
# The sandbox bounds every program (sandbox.tcl, confine.c; the values are
# ::cfg(limits): procs, memory in MiB, cpu in s, fsize in MiB; 0 means
# none). The kernel enforces each with a signal or a failed call, which on
# its own tells a student little, so proc.tcl and match.tcl ask here:
#   limits::hint SIG BASE   the words for a program killed by SIG (BASE: the
#                           usual hint), naming the limit it ran into
#   limits::process_note    for a failure once the test's programs filled
#                           the process limit (fork then fails with EAGAIN)
#   limits::most            count the test's processes now (kept: the most)

namespace eval ::limits { variable most 0 }

proc limits::get {what} {
    if {![info exists ::cfg(limits)] || ![dict exists $::cfg(limits) $what]} { return 0 }
    dict get $::cfg(limits) $what
}

proc limits::hint {sig base} {
    set cpu [get cpu]
    set fsize [get fsize]
    set memory [get memory]
    if {$sig eq "SIGXCPU" && $cpu} {
        return " (it used $cpu s of CPU time: the grader's CPU time limit; a loop that never waits?)"
    }
    if {$sig eq "SIGXFSZ" && $fsize} {
        return " (it wrote a file larger than $fsize MiB: the grader's file size limit)"
    }
    if {$sig eq "SIGKILL" && $cpu} {
        return " (by the kernel: it kept running past the grader's CPU time limit of $cpu s, or ran out of memory)"
    }
    if {$sig in {SIGSEGV SIGABRT SIGBUS} && $memory} {
        if {[string match " (*)" $base]} {
            return " ([string range $base 2 end-1]; or it went past the grader's memory limit of $memory MiB, where malloc returns NULL)"
        }
        return "$base (past the grader's memory limit of $memory MiB, malloc returns NULL)"
    }
    return $base
}

# The processes of this test, other than the grader's own (0 without a
# sandbox, where they cannot be told apart from the machine's).
proc limits::processes {} {
    llength [sandbox::pids]
}

# The most processes seen at once: counted now, and each time the grader
# stops a program (a hung one's children die with it, before the failure
# is reported).
proc limits::most {} {
    variable most
    set most [expr {max($most, [processes])}]
}

proc limits::process_note {} {
    set procs [get procs]
    # The grader's own processes may count against the limit too (in a user
    # namespace they share the uid): "reached" means within a few of it.
    if {!$procs || [most] < $procs - 4} { return "" }
    return "\n  (the test's programs reached the grader's limit of $procs processes: past it, fork fails with EAGAIN, \"Resource temporarily unavailable\")"
}

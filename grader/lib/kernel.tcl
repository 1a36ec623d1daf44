# kernel.tcl: what /proc says of a test's processes, read by the grader's
# waits (proc.tcl), its explanations (explain.tcl) and its hang calls
# (hang.tcl), none of which needs another for it.
#
#   kernel::readproc PID WHAT   /proc/PID/WHAT, trimmed; "" once it is gone
#   kernel::pstate PID ?task/TID/stat?   its (or its thread's) state letter
#                               (S, R, T, Z...), or "gone"
#   kernel::threads PID         its threads' ids, its own first
#   kernel::ppid PID            its parent
#   kernel::cmdline PID         its command line, printable, one line
#   kernel::inner_pid PID       its pid in the innermost PID namespace
#   syscall_number NAME         the number /proc/PID/syscall shows for NAME
#   kernel::syscall_name NR     and back
#   kernel::read_regular PATH MAX   the bytes of a file the test's side may
#                               have made (a program built in the sandbox, a
#                               submission's file), or an error
#   kernel::pause N             sleep before the Nth look (from 0) of a wait
#                               for a process to get somewhere

namespace eval ::kernel {
    # System call numbers, for /proc/PID/syscall, on the architectures we know.
    variable numbers [dict create \
        x86_64 {read 0 write 1 poll 7 select 23 pause 34 nanosleep 35 wait4 61 semop 65
                msgsnd 69 msgrcv 70 rt_sigsuspend 130 futex 202 semtimedop 220
                clock_nanosleep 230 epoll_wait 232 mq_timedsend 242 mq_timedreceive 243
                mq_notify 244 waitid 247 pselect6 270 ppoll 271 epoll_pwait 281 rt_sigtimedwait 128} \
        aarch64 {read 63 write 64 pselect6 72 ppoll 73 futex 98 nanosleep 101
                 clock_nanosleep 115 rt_sigsuspend 133 wait4 260 waitid 95 msgsnd 189
                 msgrcv 188 semop 193 semtimedop 192 mq_timedsend 182 mq_timedreceive 183
                 mq_notify 184 epoll_pwait 22 rt_sigtimedwait 137}]
}

# The parent of PID, and its command line (printable, one line).
proc kernel::ppid {pid} {
    set s [kernel::readproc $pid stat]
    lindex [string range $s [string last ")" $s]+2 end] 1
}

proc kernel::cmdline {pid} {
    visible_controls [string trim [string map {"\0" " "} [kernel::readproc $pid cmdline]]]
}

# PID as the test's programs see it (their PID namespace's number).
proc kernel::inner_pid {pid} {
    foreach l [split [kernel::readproc $pid status] \n] {
        if {[regexp {^NSpid:\s+(.*)$} $l - ids]} { return [lindex $ids end] }
    }
    return $pid
}

# The state letter of PID from /proc (R, S, D, Z, ...), or "gone".
proc kernel::pstate {pid {what stat}} {
    set s [kernel::readproc $pid $what]
    if {$s eq ""} { return gone }
    # The command name may hold spaces and parentheses: the state follows the last ")".
    string index [string trimleft [string range $s [string last ")" $s]+1 end]] 0
}

# "" once the process is gone: it may go between the open and the read
# (ESRCH), and the machine's other processes come and go all the time.
proc kernel::readproc {pid what} {
    if {[catch {open /proc/$pid/$what} f]} { return "" }
    if {[catch {read $f} s]} { set s "" }
    catch {close $f}
    return [string trim $s]
}

proc syscall_number {call} {
    set arch $::tcl_platform(machine)
    if {[dict exists $::kernel::numbers $arch $call]} {
        return [dict get $::kernel::numbers $arch $call]
    }
    return -1
}

proc kernel::syscall_name {nr} {
    set arch $::tcl_platform(machine)
    if {![dict exists $::kernel::numbers $arch]} { return "" }
    dict for {name n} [dict get $::kernel::numbers $arch] {
        if {$n == $nr} { return $name }
    }
    return ""
}

# The bytes of PATH, a file a submission or its build may have made: a
# regular file only, never a link's target (lstat), opened without blocking
# (a FIFO would hang the grader) and read no further than MAX bytes (a
# sparse file cannot fill the grader's memory). An error otherwise. The
# kernel's own link to a running program (/proc/PID/exe) leads to that very
# file whatever its name, so it alone is followed.
proc kernel::read_regular {path max} {
    set how [expr {[regexp {^/proc/\d+/exe$} $path] ? "stat" : "lstat"}]
    file $how $path st
    if {$st(type) ne "file"} { error "$path is a $st(type), not a regular file" }
    if {$st(size) > $max} { error "$path is $st(size) bytes, over $max" }
    set f [open $path {RDONLY NONBLOCK BINARY}]
    try {
        return [read $f $max]
    } finally {
        close $f
    }
}

# A wait for a process (to start, to write its pid, to exit, to finish a
# report) looks every millisecond at first, since most such waits end
# within a few, then less and less often, every 20 ms at most: a wait the
# grader oversleeps is time a class's grading spends doing nothing.
proc kernel::pause {n} {
    after [expr {$n < 10 ? 1 : min(1 << ($n - 9), 20)}]
}

proc kernel::threads {pid} {
    set tids [lsort -integer [lmap t [glob -nocomplain -tails -directory /proc/$pid/task {[0-9]*}] {
        expr {[string is integer -strict $t] && $t != $pid ? $t : [continue]}
    }]]
    linsert $tids 0 $pid
}

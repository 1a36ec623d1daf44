# ext-blocked.tcl: "asleep in one of several system calls", for programs
# that may legitimately wait in different ways (a message queue or a
# semaphore, say), where `blocked` takes exactly one call.
#
#   blocked_in NAME CALLS   NAME must be asleep in one of CALLS, a list such
#                           as {msgsnd msgrcv semop}; returns the call found
#
# The same evidence as `blocked` (proc.tcl): state S or D from /proc/PID/stat,
# and the system call from /proc/PID/syscall or /proc/PID/wchan; polled,
# bounded by the program's timeout, never a sleep-and-hope.

proc blocked_in {name calls} {
    procs::get $name
    upvar #0 ::P_$name P
    set t [procs::timeout_for $name]
    set deadline [expr {[clock milliseconds] + 1000 * $t}]
    set pid [procs::target $name]
    while 1 {
        procs::read_ahead $name
        set st [procs::pstate $pid]
        set sc [lindex [procs::readproc $pid syscall] 0]
        set wchan [procs::readproc $pid wchan]
        if {$st in {S D}} {
            foreach call $calls {
                if {$sc eq [syscall_number $call] || [string match *do_$call* $wchan]} {
                    note "($P(shown) is asleep in $call: state $st, syscall $sc, wchan $wchan)"
                    return $call
                }
            }
        }
        if {$st in {Z gone}} {
            fail "$P(shown) exited; it should have been waiting in [join $calls { or }]\n[procs::so_far $name]"
        }
        if {[clock milliseconds] > $deadline} {
            fail "after $t s, $P(shown) was not asleep in [join $calls { or }] (state $st, syscall $sc, wchan [expr {$wchan eq {} ? {?} : $wchan}])\n[procs::so_far $name]"
        }
        after 10
    }
}

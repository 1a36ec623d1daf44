# testserver.tcl: run a grade's tests, each in a process of its own forked
# from this interpreter, which loads the test library and the lab once.
#
# Usage: expect testserver.tcl CONFIG
#
# CONFIG: the grade's settings (config.tcl; its lab files are loaded here,
# and its tclsys, the system calls Tcl lacks). The driver writes one
# command per line on standard input, a Tcl list in base64 (so that no
# path, however named, can end a line early):
#
#   run ID CONFIG NAME UID CGROUPS
#                     run test NAME as run number ID, with the settings in
#                     CONFIG (which may differ from the grade's, as a
#                     re-run's do), as UID, in the cgroup folders CGROUPS
#   kill ID           run ID is past the driver's wall-clock bound: SIGKILL
#                     to its processes (if they are not gone already)
#
# and writes, on standard output, one line per event:
#
#   ID out LINE       a line the test's interpreter printed (an error of its
#                     own, or its notes with -v)
#   ID done           the test's interpreter and its sandbox are gone: its
#                     result file, if any, is written
#
# Each test costs two forks of a loaded interpreter instead of timeout(1),
# unshare(1) and a fresh interpreter that loads the library: in a lab-1
# grade (21 tests) the CPU of those processes went from 0.64 s to 0.48 s
# (perf, sampled). Isolation is as before: in the bwrap mode the
# test's process unshares fresh IPC, PID, mount and network namespaces (and
# a user namespace when unprivileged), and the test runs as the first
# process of that PID namespace, so that all it started ends with it.
# Every process of a test dies with the one above it (PR_SET_PDEATHSIG),
# and the server ends when the driver closes its input.
package require Expect

set libdir [file dirname [file normalize [info script]]]
source [file join $libdir config.tcl]
config::load [lindex $argv 0]
load $::cfg(tclsys) Tclsys
source [file join $libdir testlib.tcl]
foreach lib {sandbox result runtest} { source [file join $libdir $lib.tcl] }
load_lab {*}$::cfg(labfiles)

namespace eval ::testserver {
    variable server [pid]
    variable running {}  ;# run id -> the pid of its process, until reaped
}
sandbox::root ;# (asked once, here, not in every test's process)
# A test's interpreter whose process was killed (at the wall-clock bound)
# is adopted here, and reaped, not left to init
sys::subreaper

# One line to the driver: a single write(2), so that the lines of tests
# that end together do not interleave (a pipe keeps writes of up to 4096
# bytes whole; a line is cut well short of that).
proc testserver::emit {line} {
    puts -nonewline stdout "[string range $line 0 999]\n"
    flush stdout
}

# The test's process (forked from the server): enter the test's namespaces,
# fork the test's interpreter as the first process in them, pass on what it
# prints, and say when it is gone.
proc testserver::test {id config name uid cgroups} {
    variable server
    sys::pdeathsig
    # (the server may have ended before the line above)
    if {[kernel::ppid [pid]] != $server} { exit 1 }
    sys::setpgid
    set null [open /dev/null r]
    sys::dup2 $null 0
    close $null
    if {$::cfg(sandbox_mode) eq "bwrap"} {
        set spaces {ipc mount net pid}
        if {![sandbox::root]} {
            # root of a user namespace, as unshare --map-root-user makes it
            lassign [sys::ids] myuid mygid
            sys::unshare user {*}$spaces
            foreach {file line} [list setgroups deny uid_map "0 $myuid 1" gid_map "0 $mygid 1"] {
                set f [open /proc/self/$file w]
                puts -nonewline $f $line
                close $f
            }
        } else {
            sys::unshare {*}$spaces
        }
        # (the test's mounts stay in its namespace)
        sys::mount none / "" {rec private} ""
    }
    lassign [chan pipe] from to
    set kid [fork]
    if {$kid == 0} {
        sys::pdeathsig
        close $from
        sys::dup2 $to 1
        sys::dup2 $to 2
        close $to
        # (a forked Expect process ends without flushing its channels)
        fconfigure stdout -buffering line
        fconfigure stderr -buffering none
        if {$::cfg(sandbox_mode) eq "bwrap"} {
            # a /proc of the test's PID namespace: it sees its own processes
            sys::mount proc /proc proc {nosuid nodev noexec} ""
        }
        # (runtest::run ends this process; an error before it can say so
        # reaches the driver as the test's last words)
        if {[catch {runtest::run $config $name $uid $cgroups} err]} {
            puts stderr "the test's interpreter failed: $err"
        }
        exit 1
    }
    close $to
    while {[gets $from line] >= 0} { emit "$id out $line" }
    catch {close $from}
    # (its end closed the pipe: it is a zombie, or about to be one)
    catch {sys::wait $kid}
    emit "$id done"
    exit 0
}

# Run ID's process: an entry from its fork until it is reaped, so that a
# kill never reaches a pid the kernel has given to another process since.
proc testserver::reap {} {
    variable running
    foreach pid [sys::reap] {
        dict for {id p} $running { if {$p == $pid} { dict unset running $id } }
    }
}

proc testserver::run {id config name uid cgroups} {
    variable running
    if {[catch fork kid]} {
        emit "$id out could not fork the test's process: $kid"
        emit "$id done"
        return
    }
    if {$kid == 0} {
        if {[catch {test $id $config $name $uid $cgroups} err]} {
            emit "$id out could not start the test: $err"
        }
        emit "$id done"
        exit 0
    }
    dict set running $id $kid
}

# (its process group: the test's process and interpreter; the namespaces
# and all in them go with the interpreter)
proc testserver::kill {id} {
    variable running
    if {[dict exists $running $id]} { catch {exec kill -KILL -- -[dict get $running $id]} }
}

fconfigure stdout -buffering full
while {[gets stdin line] >= 0} {
    testserver::reap
    if {[catch {binary decode base64 -strict $line} cmd] || [catch {llength $cmd}] ||
        !([lindex $cmd 0] eq "run" && [llength $cmd] == 6 || [lindex $cmd 0] eq "kill" && [llength $cmd] == 2) ||
        ![string is integer -strict [lindex $cmd 1]]} {
        puts stderr "testserver: not a command: [string range $line 0 200]"
        continue
    }
    testserver::[lindex $cmd 0] {*}[lrange $cmd 1 end]
}
# The driver is done: every test has ended, or been killed. Reap what is
# left (a killed test's interpreter, adopted), waiting for it (5 s at most),
# but not for a process that outlives its test (only possible without
# namespaces: the sweep of the uid mode, or nothing in the none mode).
set deadline [expr {[clock milliseconds] + 5000}]
for {set n 0} {[clock milliseconds] < $deadline} {incr n} {
    catch sys::reap
    if {[kernel::readproc [pid] task/[pid]/children] eq ""} break
    kernel::pause $n
}

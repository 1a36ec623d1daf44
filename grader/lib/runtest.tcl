# runtest.tcl: run one test, in this process, inside the test's sandbox.
#
# runtest::run CONFIG TEST UID CGROUPS, in a process of the test's own that
# the test server (testserver.tcl) forked, and that ends with the test. In
# the bwrap mode it is in the test's own IPC, PID, mount and network
# namespaces, as root or as root of a user namespace; the test's programs
# run in a sandbox inside those (sandbox.tcl), as UID ("" for none), in
# the cgroup folders CGROUPS. The outcome goes to a result file; a missing
# result file means this process died.

namespace eval ::runtest {}

proc runtest::run {config name uid cgroups} {
    config::load $config
    set ::cfg(uid) $uid
    set ::cfg(cgroups) $cgroups
    # What the test's grader keeps out of the programs' reach (valgrind's
    # reports, strace's records, its own mounts)
    set ::cfg(privdir) [file join $::cfg(privroot) $name]
    file delete -force $::cfg(privdir)
    file mkdir $::cfg(privdir)

    set rootdir [file join $::cfg(testsdir) $name]
    if {$::cfg(sandbox_mode) ne "bwrap"} { file delete -force $rootdir }
    if {[catch {sandbox::test_begin $rootdir $uid} dir]} {
        result::write $::cfg(resultdir) $name \
            [list status error message "the grader could not set up the test's sandbox: $dir"]
        exit 0
    }
    cd $dir

    log_user 0
    match_max -d 65536
    log_file -noappend -a [file join $::cfg(logdir) $name.log]
    note "# test $name, in [pwd]"
    note "# sandbox: $::cfg(sandbox)"

    # The body runs in its own scope, so its variables cannot clobber ours.
    set code [catch {apply [list {} [dict get $::lab::tests $name body]]} msg opts]
    # Read what the programs printed before stopping them, for the errno hints
    set hints ""
    if {!($code == 0 || $code == 2)} {
        if {[catch explain::errno_hints hints]} { set hints "" }
    }
    # Nothing a submission started may outlive the test: a process that no
    # running program accounts for (a daemon, an exited program's child) fails
    # a test that otherwise passed (a failing test is not failed twice).
    if {$code == 0} {
        # (a process the test itself just killed may take a moment to go: look
        # again for up to 60 ms, and only when there is something to see)
        set strays [procs::strays]
        for {set i 0} {$i < 15 && [llength $strays]} {incr i} {
            kernel::pause $i
            set strays [procs::strays]
        }
        set stray_queues [ipc::strays]
        if {[llength $strays]} {
            set code 1
            set msg "processes the programs started were still running after the test:\n  [join [lrange $strays 0 4] "\n  "]"
            set opts [dict create -errorcode GRADER_FAIL]
        } elseif {[llength $stray_queues]} {
            set code 1
            set msg "the programs left queues that the lab does not ask for (key, msqid, messages):\n  [join [lrange $stray_queues 0 4] "\n  "]"
            set opts [dict create -errorcode GRADER_FAIL]
        }
    }
    catch kill_all
    # (a stray is "PID COMMAND", and COMMAND need not be a Tcl list)
    foreach stray [procs::strays] { catch {exec kill -KILL [lindex [split $stray] 0]} }
    if {$::cfg(sandbox_mode) ne "bwrap"} { catch ipc::cleanup }
    # Without namespaces: whatever the test's uid still runs or owns
    set left [sandbox::test_end]
    if {$code == 0 && [llength $left]} {
        set code 1
        set msg "the programs left these behind after the test:\n  [join [lrange $left 0 4] "\n  "]"
        set opts [dict create -errorcode GRADER_FAIL]
    }

    # A failing test explains itself: what the error messages usually mean, and
    # the chart of the messages that went between its traced programs.
    if {!($code == 0 || $code == 2)} {
        if {$hints ne ""} { append msg "\n$hints" }
        if {![catch explain::chart chart] && $chart ne ""} {
            set chartfile [file join $::cfg(logdir) $name.chart]
            set f [open $chartfile w]
            puts $f $chart
            close $f
            set rows [split $chart \n]
            set more [expr {[llength $rows] > 25 ? "\n    ... [expr {[llength $rows] - 25}] more rows" : ""}]
            append msg "\n  the messages, in order (chart: $chartfile):\n    [join [lrange $rows 0 24] "\n    "]$more"
        }
    }
    if {$code == 0 || $code == 2} {
        set result [list status pass message ""]
    } elseif {$code == 1 && [dict get $opts -errorcode] eq "GRADER_FAIL"} {
        set result [list status fail message $msg]
    } else {
        set result [list status error message "the grader itself failed in this test (please report it): $msg\n[join [lrange [split [dict get $opts -errorinfo] \n] 0 8] \n]"]
    }
    # The lab programs this test ran, so that the driver's swap-in tries only those
    dict set result programs [lsort -unique [lmap n $::procs::started {
        set p [lindex [set ::P_${n}(shown)] 0]
        set p [string map {./ ""} [expr {$p eq "valgrind" ? [lindex [set ::P_${n}(shown)] 1] : $p}]]
        expr {[dict exists $::lab::programs $p] ? $p : [continue]}
    }]]
    note "# result: [dict get $result status]"
    if {[dict get $result message] ne ""} { note [dict get $result message] }
    log_file
    result::write $::cfg(resultdir) $name $result
    exit 0
}

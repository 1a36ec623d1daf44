# runtest.tcl: run one test, in this interpreter, inside the test's sandbox.
#
# Usage: expect runtest.tcl CONFIG TEST
#
# The driver starts one of these per test, so a test that hangs, floods or
# trips a grader bug cannot disturb another. The outcome goes to a result
# file; a missing result file means this interpreter died.
package require Expect

set libdir [file dirname [file normalize [info script]]]
lassign $argv config name
set f [open $config]
array set ::cfg [read $f]
close $f

foreach lib {registry match proc ipc memcheck files} {
    source [file join $libdir $lib.tcl]
}
# Extensions of the library (one concern each, no lab-specific word): ext-*.tcl
foreach lib [lsort [glob -nocomplain -directory $libdir ext-*.tcl]] { source $lib }
load_lab {*}$::cfg(labfiles)

set dir [file join $::cfg(testsdir) $name]
file delete -force $dir
file mkdir $dir
cd $dir

log_user 0
set stty_init -echo       ;# answers typed at a prompt are not echoed back as output
match_max -d 65536
log_file -noappend -a [file join $::cfg(logdir) $name.log]
note "# test $name, in [pwd]"
note "# sandbox: $::cfg(sandbox)"

# The body runs in its own scope, so its variables cannot clobber ours.
set code [catch {apply [list {} [dict get $::lab::tests $name body]]} msg opts]
catch kill_all
# Nothing a submission started may outlive the test (checked only when the
# test itself passed: a failing test is not failed twice).
if {$code == 0} {
    after 50
    set strays [procs::strays]
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
foreach pid [procs::strays] { catch {exec kill -KILL [lindex $pid 0]} }
if {!$::cfg(isolated)} { catch ipc::cleanup }

if {$code == 0 || $code == 2} {
    set result [list status pass message ""]
} elseif {$code == 1 && [dict get $opts -errorcode] eq "GRADER_FAIL"} {
    set result [list status fail message $msg]
} else {
    set result [list status error message "the grader itself failed in this test (please report it): $msg\n[join [lrange [split [dict get $opts -errorinfo] \n] 0 8] \n]"]
}
note "# result: [dict get $result status]"
if {[dict get $result message] ne ""} { note [dict get $result message] }
log_file
set f [open [file join $::cfg(resultdir) $name] w]
puts $f $result
close $f
exit 0

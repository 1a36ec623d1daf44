# testlib.tcl: load the test library into an expect interpreter that runs a
# lab's steps (a test in runtest.tcl, a tour step in tour.tcl): the core
# files, then every extension (ext-*.tcl, one concern each).

set testlib_dir [file dirname [file normalize [info script]]]
foreach lib {registry match kernel proc hang ipc memcheck files explain errno-hints limits} {
    source [file join $testlib_dir $lib.tcl]
}
foreach lib [lsort [glob -nocomplain -directory $testlib_dir ext-*.tcl]] { source $lib }
unset lib

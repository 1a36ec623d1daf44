# registry.tcl: how a lab file declares itself and its tests.
#
# A lab file (grader/labN.exp) calls, at its top level:
#   lab_files  FILE...             what a submission must contain
#   lab_given FILE...              of those, the files the starter gives complete
#                                  (the lab's own programs around the student's
#                                  part): the grader builds its copy beside this
#                                  file (labs/labN/FILE), never the submission's
#   lab_program NAME SOURCE...     a program the grader compiles from SOURCEs
#   lab_setting NAME VALUE         a value the tests share (for example proj 0x27;
#                                  leak_kinds all: valgrind counts every leak kind)
#   test NAME POINTS HINT ?-needs PROGRAMS? BODY
# Loaded by the driver (to list and build) and by each test's own
# interpreter (to run one body); nothing here runs a test.

namespace eval ::lab {
    # data/ beside grader/ (in the repository, a release and Gradescope's copy)
    variable datadir [file join [file dirname [file dirname [file dirname [file normalize [info script]]]]] data]
    variable files {}
    variable given {}
    variable givendir {}
    variable programs [dict create]
    variable settings [dict create]
    variable tests [dict create]
    variable order {}
}

proc lab_files {args} { set ::lab::files $args }
proc lab_given {args} {
    set ::lab::given $args
    # grader/labN.exp -> labs/labN
    set exp [file normalize [info script]]
    set ::lab::givendir [file join [file dirname [file dirname $exp]] \
                             labs [file rootname [file tail $exp]]]
}
proc lab_program {name args} { dict set ::lab::programs $name $args }
proc lab_setting {name value} { dict set ::lab::settings $name $value }
proc setting {name} { dict get $::lab::settings $name }

# The lecture's data (data/msgsnd.txt): TYPE TEXT TYPE TEXT ..., in the
# order sent; only where every line is one (an edited file is an error).
proc lecture_data {} {
    set f [open [file join $::lab::datadir msgsnd.txt]]
    set out {}
    foreach l [split [string trimright [read $f] \n] \n] {
        if {![regexp {^(\d+) (\S+)$} $l - type text]} {
            close $f
            error "data/msgsnd.txt: \"$l\" is not a \"TYPE NAME\" line"
        }
        lappend out $type $text
    }
    close $f
    return $out
}

proc test {name points hint args} {
    if {[dict exists $::lab::tests $name]} {
        error "test \"$name\" is defined twice"
    }
    if {![string is integer -strict $points] || $points < 0} {
        error "test \"$name\": points must be a whole number, not \"$points\""
    }
    set needs [dict keys $::lab::programs]
    if {[llength $args] == 3 && [lindex $args 0] eq "-needs"} {
        set needs [lindex $args 1]
        set args [lrange $args 2 end]
    }
    if {[llength $args] != 1} {
        error "test \"$name\": usage: test NAME POINTS HINT ?-needs PROGRAMS? BODY"
    }
    dict set ::lab::tests $name [dict create points $points hint $hint needs $needs \
        body [lindex $args 0]]
    lappend ::lab::order $name
}

# Load grader/labN.exp (and any extra test files) into this interpreter.
proc load_lab {args} {
    foreach file $args {
        uplevel #0 [list source $file]
    }
}

# The whole numbers FROM to TO, for the tests' loops (Tcl 8.6 has no lseq).
proc range {from to} {
    set out {}
    for {set i $from} {$i <= $to} {incr i} { lappend out $i }
    return $out
}

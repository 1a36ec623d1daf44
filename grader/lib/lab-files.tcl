# lab-files.tcl: the files a lab's submission must contain, one per line.
#
# Usage: tclsh lab-files.tcl grader/labN.exp [--written]
#
# For the tools that unpack submissions before the grader runs
# (grade-class, Gradescope's run_autograder): the lab's `lab_files`. With
# --written, only those the student writes, not the ones the lab gives
# complete (`lab_given`, which the grader builds from its own copy): the
# files a mutation test may change (tests/mutants.sh).
source [file join [file dirname [file normalize [info script]]] registry.tcl]
load_lab [lindex $argv 0]
set files $::lab::files
if {[lindex $argv 1] eq "--written"} {
    set files [lmap f $files { expr {$f in $::lab::given ? [continue] : $f} }]
}
puts [join $files \n]

# lab-files.tcl: the files a lab's submission must contain, one per line.
#
# Usage: tclsh lab-files.tcl grader/labN.exp
#
# For the tools that unpack submissions before the grader runs
# (grade-class, Gradescope's run_autograder): the lab's `lab_files`.
source [file join [file dirname [file normalize [info script]]] registry.tcl]
load_lab [lindex $argv 0]
puts [join $::lab::files \n]

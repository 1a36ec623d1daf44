# report.tcl: what the grader prints, and results.json.
#
# One line per test with its points; for a failing test, what went wrong
# (expected and actual lines, whitespace visible), the hint with its handout
# section, the saved transcript and the command that reproduces it. Then
# `Score: X/Y`. results.json follows Gradescope's format.

namespace eval ::report {
    variable results {} ;# list of dicts: name points max status message hint log
}

proc report::add {name max status message hint log} {
    variable results
    set points [expr {$status eq "pass" ? $max : 0}]
    # what a program printed reaches the report as text, never as escapes
    set r [dict create name $name points $points max $max status $status \
               message [visible_controls $message] hint $hint log $log]
    lappend results $r
    return $r
}

# A path as the user would type it: relative when under the current directory.
proc report::shown_path {path} {
    set here [pwd]/
    if {[string first $here $path] == 0} { return [string range $path [string length $here] end] }
    return $path
}

proc report::indent {text prefix} {
    join [lmap l [split $text \n] {string cat $prefix $l}] \n
}

proc report::details {r reproduce} {
    set out [indent [dict get $r message] "        "]
    if {[dict get $r hint] ne ""} {
        append out "\n        hint: [dict get $r hint]"
    }
    if {[dict get $r log] ne "" && [file exists [dict get $r log]]} {
        append out "\n        transcript: [shown_path [dict get $r log]]"
    }
    if {$reproduce ne ""} {
        append out "\n        to reproduce: $reproduce"
    }
    return $out
}

proc report::line {r reproduce} {
    set mark [expr {[dict get $r status] eq "pass" ? "PASS" : "FAIL"}]
    set s [format "  %s  %-28s %3d/%d" $mark [dict get $r name] [dict get $r points] [dict get $r max]]
    if {$mark eq "FAIL"} { append s "\n" [details $r $reproduce] }
    return $s
}

proc report::totals {} {
    variable results
    set got 0; set max 0; set failed 0
    foreach r $results {
        incr got [dict get $r points]
        incr max [dict get $r max]
        if {[dict get $r status] ne "pass"} { incr failed }
    }
    list $got $max $failed
}

proc report::json {file elapsed extra_output} {
    variable results
    lassign [totals] got
    set tests {}
    foreach r $results {
        set pass [expr {[dict get $r status] eq "pass"}]
        set text ""
        if {!$pass} {
            set text [dict get $r message]
            if {[dict get $r hint] ne ""} { append text "\nhint: [dict get $r hint]" }
        }
        lappend tests [dict create name [dict get $r name] score [dict get $r points] \
                           max_score [dict get $r max] status [expr {$pass ? "passed" : "failed"}] \
                           output $text]
    }
    result::json $file $got $elapsed $extra_output $tests
}

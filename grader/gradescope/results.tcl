# results.tcl: the results.json Gradescope reads, whatever happened.
#
# Usage: tclsh results.tcl FINAL RAW OUTDIR TESTS NOTES HIDDEN VISIBILITY ELAPSED WHY REPORT
#
# Run by run_autograder after grader/grade. RAW is the grader's own
# results.json; when it is missing or unreadable (the grader was stopped or
# crashed), the tests are rebuilt from the verdicts it had already written
# in OUTDIR/results/ (TESTS, from grade --list, names them all; a test
# without a verdict scores 0 and says WHY). NOTES (a file: what unpacking
# the submission found, one line each) go first in the output; the tests
# named in the file HIDDEN get VISIBILITY; execution_time is ELAPSED. When
# the grader says nothing, the end of its REPORT goes in the output.
package require json
source [file join [file dirname [file dirname [file normalize [info script]]]] lib result.tcl]

lassign $argv final raw outdir testlist notesfile hiddenfile visibility elapsed why report

proc slurp {file} {
    if {[catch {open $file} f]} { return "" }
    set s [read $f]
    close $f
    return $s
}

set notes [string trim [slurp $notesfile]]
set hidden [split [string trim [slurp $hiddenfile]] \n]
set doc {}
if {[catch {json::json2dict [slurp $raw]} doc] || ![dict exists $doc tests]} {
    # Salvage: every test of the lab, with the verdicts the grader wrote
    set tests {}
    set score 0
    foreach line [split [slurp $testlist] \n] {
        if {![regexp {^(\S+)\s+(\d+)\s*(.*)$} $line - name points hint]} continue
        set verdict [result::read [file join $outdir results] $name]
        if {$verdict eq ""} {
            set t [dict create name $name score 0 max_score $points status failed \
                       output "not run: $why"]
        } else {
            set pass [expr {[dict get $verdict status] eq "pass"}]
            set text [dict get $verdict message]
            if {!$pass && $hint ne ""} { append text "\nhint: $hint" }
            set t [dict create name $name score [expr {$pass ? $points : 0}] max_score $points \
                       status [expr {$pass ? "passed" : "failed"}] output $text]
        }
        incr score [dict get $t score]
        lappend tests $t
    }
    set tail [lrange [split [string trim [slurp $report]] \n] end-30 end]
    set doc [dict create score $score tests $tests \
                 output "$why\n\nThe grader's last words:\n[join $tail \n]"]
}

set output [dict get $doc output]
if {$notes ne ""} { set output "$notes\n\n$output" }
set tests [lmap t [dict get $doc tests] {
    if {[dict get $t name] in $hidden} { dict set t visibility $visibility }
    dict filter $t key name score max_score status output visibility
}]
result::json $final [dict get $doc score] $elapsed $output $tests

# classroom.tcl: a grader's results.json as GitHub Classroom's reporter reads
# a runner's result (see grader/classroom): base64 of JSON, on stdout.
#
# Usage: tclsh classroom.tcl RESULTS.JSON GRADE-STATUS NAME
#
# GRADE-STATUS is grader/grade's exit status: 2 (could not run) or a missing
# results.json makes one test "error" worth nothing, so that the run fails.
package require json
package require json::write

lassign $argv file status name
json::write indented 0
set tests {}
set max 0
set ok 1
if {$status != 2 && [file readable $file]} {
    set f [open $file]
    set doc [json::json2dict [read $f]]
    close $f
    foreach t [dict get $doc tests] {
        set pass [expr {[dict get $t status] eq "passed"}]
        if {!$pass} { set ok 0 }
        set max [expr {$max + [dict get $t max_score]}]
        lappend tests [json::write object \
            name [json::write string "$name: [dict get $t name]"] \
            status [json::write string [expr {$pass ? "pass" : "fail"}]] \
            score [dict get $t score] \
            max_score [dict get $t max_score] \
            message [json::write string [dict get $t output]]]
    }
    set overall [expr {$ok ? "pass" : "fail"}]
} else {
    set overall error
    lappend tests [json::write object name [json::write string $name] \
        status [json::write string error] score 0 \
        message [json::write string "the grader could not run (exit status $status): see the step's log"]]
}
set doc [json::write object version 1 status [json::write string $overall] \
    max_score $max tests [json::write array {*}$tests]]
puts [binary encode base64 [encoding convertto utf-8 $doc]]

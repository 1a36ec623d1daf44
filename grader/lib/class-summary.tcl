# class-summary.tcl: a class's scores table and summary, from its reports.
#
# Usage: tclsh class-summary.tcl OUTDIR LAB WALL JOBS NAME...
#
# Run by grader/grade-class once every submission is graded. Reads
# OUTDIR/.tests (grader/grade --list: name, points, hint per line) and, for
# each student NAME, OUTDIR/students/NAME/status (rc, seconds, note) and
# results.json. Writes OUTDIR/scores.csv (student, score, max, one column
# per test, note) and OUTDIR/summary.md (the distribution, each test's pass
# rate with the most failed first, the timeouts and crashes, the run).
package require json

lassign $argv outdir lab wall jobs
set names [lrange $argv 4 end]

proc slurp {file} {
    set f [open $file]
    set s [read $f]
    close $f
    return $s
}

proc csv_field {s} {
    if {[regexp {[",\n\r]} $s]} { return "\"[string map {\" \"\"} $s]\"" }
    return $s
}

# The tests, in the lab's order, and their points.
set tests {}
set points [dict create]
foreach line [split [slurp [file join $outdir .tests]] \n] {
    if {[regexp {^(\S+)\s+(\d+)\s} $line - t p]} {
        lappend tests $t
        dict set points $t $p
    }
}
set max 0
foreach t $tests { incr max [dict get $points $t] }

# What went wrong in a failed test, in one word: limit, crash, timeout or "".
proc kind_of {message} {
    if {[regexp {killed by SIGX(CPU|FSZ)|reached the grader's limit of \d+ processes} $message]} {
        return limit
    }
    if {[regexp {was killed by SIG} $message]} { return crash }
    if {[regexp {timed out (early, )?after|was still running after|still holds its output open|closed its output but was still running|stopped at the grader's limit} $message]} {
        return timeout
    }
    return ""
}

# One row per student: dict score got (test -> points or "") note incidents
set rows {}
set sandbox ""
foreach name $names {
    set dir [file join $outdir students $name]
    set status [dict create rc 3 seconds 0 note "no result (the grading process died)"]
    catch { set status [dict merge $status [slurp [file join $dir status]]] }
    set got [dict create]
    set passed [dict create]
    set score 0
    set incidents {}
    set results [file join $dir results.json]
    if {[file exists $results] && ![catch {json::json2dict [slurp $results]} doc]} {
        foreach t [dict get $doc tests] {
            set tn [dict get $t name]
            dict set got $tn [dict get $t score]
            incr score [dict get $t score]
            if {[dict get $t status] eq "passed"} {
                dict set passed $tn 1
            } else {
                set kind [kind_of [dict get $t output]]
                if {$kind ne ""} {
                    lappend incidents [list $tn $kind [lindex [split [dict get $t output] \n] 0]]
                }
            }
        }
    }
    if {$sandbox eq "" && ![catch {slurp [file join $dir report.txt]} report]} {
        regexp {\n  sandbox: ([^\n]*)} $report - sandbox
    }
    set note [dict get $status note]
    if {[dict get $status rc] == 137} { lappend incidents [list "" timeout $note] }
    lappend rows [dict create name $name score $score got $got passed $passed note $note \
                      rc [dict get $status rc] seconds [dict get $status seconds] incidents $incidents]
}

# Only the tests that were run (grade-class -- -t TEST runs a few)
set ran [lsort -unique [concat {*}[lmap r $rows {dict keys [dict get $r got]}]]]
if {[llength $ran]} {
    set tests [lmap t $tests {expr {$t in $ran ? $t : [continue]}}]
    set max 0
    foreach t $tests { incr max [dict get $points $t] }
}

# scores.csv
set f [open [file join $outdir scores.csv] w]
puts $f [join [lmap c [list student score max {*}$tests note] {csv_field $c}] ,]
foreach r $rows {
    set cells [list [dict get $r name] [dict get $r score] $max]
    foreach t $tests {
        lappend cells [expr {[dict exists $r got $t] ? [dict get $r got $t] : ""}]
    }
    lappend cells [dict get $r note]
    puts $f [join [lmap c $cells {csv_field $c}] ,]
}
close $f

# summary.md
set n [llength $rows]
set scores [lsort -integer [lmap r $rows {dict get $r score}]]
set mean [expr {$n ? double([tcl::mathop::+ {*}$scores]) / $n : 0}]
set median [expr {$n % 2 ? [lindex $scores [expr {$n / 2}]] :
                  ([lindex $scores [expr {$n / 2 - 1}]] + [lindex $scores [expr {$n / 2}]]) / 2.0}]
set out {}
lappend out "# Lab $lab: class summary" ""
lappend out [format "%d submissions; score out of %d: mean %.1f, median %s, lowest %d, highest %d." \
                 $n $max $mean $median [lindex $scores 0] [lindex $scores end]] ""

lappend out "## Score distribution" "" "```"
set buckets [dict create]
foreach s $scores {
    set b [expr {$max ? min(9, int(10.0 * $s / $max)) : 9}]
    if {$max && $s == $max} { set b 10 }
    dict incr buckets $b
}
set widest [expr {max(1, [tcl::mathfunc::max 0 {*}[dict values $buckets]])}]
for {set b 10} {$b >= 0} {incr b -1} {
    set label [expr {$b == 10 ? "   100%" : [format "%3d-%2d%%" [expr {10 * $b}] [expr {10 * $b + 9}]]}]
    set c [expr {[dict exists $buckets $b] ? [dict get $buckets $b] : 0}]
    lappend out [format "%s | %-40s %d" $label [string repeat # [expr {int(ceil(40.0 * $c / $widest))}]] $c]
}
lappend out "```" ""

lappend out "## Tests, most failed first" "" \
    "What most of the class got wrong comes first: that is what to teach again." "" \
    "| test | points | passed | pass rate |" "|---|---:|---:|---:|"
set graded [lmap r $rows {expr {[dict size [dict get $r got]] ? $r : [continue]}}]
set table {}
set i 0
foreach t $tests {
    set passed 0
    foreach r $graded {
        if {[dict exists $r passed $t]} { incr passed }
    }
    set rate [expr {[llength $graded] ? 100.0 * $passed / [llength $graded] : 0}]
    lappend table [list $t $passed $rate [incr i]]
}
foreach row [lsort -real -index 2 [lsort -integer -index 3 $table]] {
    lassign $row t passed rate
    lappend out [format "| %s | %d | %d/%d | %.0f%% |" $t [dict get $points $t] $passed [llength $graded] $rate]
}
lappend out ""

# One line per student: which tests hung, crashed or hit a limit, and the
# first line of the first such failure (the report has the rest).
lappend out "## Timeouts, crashes and limits" ""
set any 0
foreach r $rows {
    set incidents [dict get $r incidents]
    if {![llength $incidents]} continue
    set by [dict create]
    foreach inc $incidents {
        lassign $inc t kind
        dict lappend by $kind [expr {$t eq "" ? "(the whole grading)" : "`$t`"}]
    }
    set parts [lmap kind [dict keys $by] {string cat "$kind: " [join [dict get $by $kind] ", "]}]
    lappend out "- **[dict get $r name]**: [join $parts {; }] ([lindex $incidents 0 2])"
    set any 1
}
if {!$any} { lappend out "None." }
lappend out ""

lappend out "## Submissions with a note" ""
set any 0
foreach r $rows {
    if {[dict get $r note] ne ""} {
        lappend out "- **[dict get $r name]**: [dict get $r note]"
        set any 1
    }
}
if {!$any} { lappend out "None: every submission had the lab's files and was graded." }
lappend out ""

set busy [tcl::mathop::+ 0 {*}[lmap r $rows {dict get $r seconds}]]
lappend out "## The run" "" \
    "- submissions: $n" \
    [format "- wall time: %.1f s, %d at a time on %d cores" $wall $jobs [exec nproc]] \
    [format "- seconds per submission: %.1f (wall time / submissions); %.1f s of grading each" \
         [expr {$n ? $wall / $n : 0}] [expr {$n ? $busy / $n : 0}]] \
    "- sandbox: [expr {$sandbox eq "" ? "(unknown)" : $sandbox}]" \
    "- reports: students/NAME/report.txt, results.json, grade/logs/ (transcripts)"
set f [open [file join $outdir summary.md] w]
puts $f [join $out \n]
close $f

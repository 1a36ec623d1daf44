# handout-drift.tcl LABFILE HANDOUT ?LISTING? ?DATADIR?: print what the handout
# lacks or gets wrong, one per line.
#
# The literal output the lab's tests demand (the text of a `line`, `prompt`
# or `set ask`, and each string of a `lines` list, when it has no variable
# in it) must be in the handout, its
# numbers aside; every section a hint cites ("(handout 3.2, 4.1-4.4)") must
# be a heading. With LISTING (what `grader/grade N --list` prints), a points
# table in the handout (a table whose first two columns are "test" and
# "points") must name every test with its points and no other, and a "N
# points in all" must be their sum. With DATADIR, every data file the
# handout names must be there: data/FILE (also as ../../data/FILE), a
# default data file (`./FILE.txt`), and a file an example command
# (./PROG ... FILE.txt) reads, unless the handout makes it (> FILE.txt).
# Finding nothing to compare (no literal output, no cited section, no
# points table or sum) is itself printed: an empty answer means all was seen.
lassign $argv exp handout listing datadir
set f [open $exp]; set src [read $f]; close $f
set f [open $handout]; set doc [read $f]; close $f
set out {}
# Numbers may differ (the handout's example has its own): compare with every
# run of digits as one "#".
proc shape {s} { regsub -all {[0-9]+} $s "#" }
set docshape [shape $doc]
# A command at the start of a word, not the "line" of a test name such as last-line
set literals 0
foreach {- text} [regexp -all -inline {(?:^|[\s;\[\{])(?:line|prompt|set ask)\s+(?:\S+\s+)?"([^"$\[\\]{8,})"} $src] {
    incr literals
    set text [string trim $text]
    if {[string first [shape $text] $docshape] < 0 && "output \"$text\"" ni $out} {
        lappend out "output \"$text\""
    }
}
# `lines NAME {"..." ...}` or `lines NAME [list "..." ...]`: each quoted
# string of the call (continued lines joined) with no variable in it
foreach {- rest} [regexp -all -inline -line {(?:^|[\s;\[\{])lines\s+\S+\s+(.*)$} [regsub -all {\\\n\s*} $src " "]] {
    foreach {- text} [regexp -all -inline {"((?:[^"\\]|\\.)*)"} $rest] {
        if {[string length $text] < 8 || [regexp {[$\[\\]} $text]} continue
        incr literals
        set text [string trim $text]
        if {[string first [shape $text] $docshape] < 0 && "output \"$text\"" ni $out} {
            lappend out "output \"$text\""
        }
    }
}
# (a lab file in which nothing is found is no proof: say so)
if {!$literals} { lappend out "no literal output found in $exp (line, lines, prompt, set ask): nothing to compare" }
set cited [regexp -all -inline {\(handout ([0-9., -]+)\)} $src]
if {![llength $cited]} { lappend out "no hint in $exp cites a handout section" }
foreach {- refs} $cited {
    foreach r [split $refs ", "] {
        foreach sec [split $r -] {
            set sec [string trimright [string trim $sec] .]
            if {$sec eq "" || "section $sec" in $out} continue
            if {![regexp -line "^#+ [string map {. \\.} $sec]\[ .\]" $doc]} { lappend out "section $sec" }
        }
    }
}

# The cells of a markdown table row, trimmed ("a | b" -> {a b}).
proc cells {row} {
    set row [string trim $row]
    set row [string trim [string range $row 1 end-1]]
    lmap c [split [string map {"\\|" "\x01"} $row] |] { string map {"\x01" |} [string trim $c] }
}

# The points table: {name points ...} from every row of every table whose
# header starts "test | points"; "10 each" and "10, 5" spread over the names.
proc points_table {doc} {
    set rows {}
    set intable 0
    foreach l [split $doc \n] {
        if {![string match |* [string trim $l]]} { set intable 0; continue }
        set c [cells $l]
        if {!$intable} {
            set intable [expr {[string tolower [lindex $c 0]] eq "test" && [string tolower [lindex $c 1]] eq "points"}]
            continue
        }
        if {[regexp {^:?-+:?$} [lindex $c 0]]} continue
        set names [lmap n [split [lindex $c 0] ,] { string trim $n " `" }]
        set pts [lmap p [split [regsub {\s*each$} [lindex $c 1] ""] ,] { string trim $p }]
        foreach n $names {
            set p [expr {[llength $pts] == 1 ? [lindex $pts 0] : [lindex $pts [lsearch -exact $names $n]]}]
            lappend rows $n $p
        }
    }
    return $rows
}

if {$listing ne ""} {
    set f [open $listing]; set list [read $f]; close $f
    set graded [dict create]
    foreach l [split $list \n] {
        if {[regexp {^(\S+)\s+(\d+)\s} $l - n p]} { dict set graded $n $p }
    }
    if {![dict size $graded]} {
        lappend out "the grader listed no tests (grader/grade --list)"
    }
    set table [points_table $doc]
    if {![llength $table]} {
        lappend out "no points table (a table headed \"| test | points |\") to compare with the grader's tests"
    } else {
        set seen {}
        foreach {n p} $table {
            lappend seen $n
            if {![dict exists $graded $n]} {
                lappend out "points table: \"$n\" is not a test of the grader"
            } elseif {$p ne [dict get $graded $n]} {
                lappend out "points table: $n is worth [dict get $graded $n] points, not \"$p\""
            }
        }
        dict for {n p} $graded {
            if {$n ni $seen} { lappend out "points table: the test $n ($p points) is missing" }
        }
        set total [tcl::mathop::+ 0 {*}[dict values $graded]]
        set sums [regexp -all -inline {(\d+) points in all} $doc]
        if {![llength $sums]} { lappend out "no \"N points in all\" (the grader's tests make $total)" }
        foreach {- said} $sums {
            if {$said != $total} { lappend out "\"$said points in all\": the grader's tests make $total" }
        }
    }
}
if {$datadir ne ""} {
    foreach {- name} [regexp -all -inline {(?:^|[^\w./-])(?:\.\./)*data/([\w.-]+)} $doc] {
        set name [string trimright $name .]
        if {![file exists [file join $datadir $name]] && "data/$name" ni $out} {
            lappend out "data/$name: the handout names this file, and it is not in data/"
        }
    }
    # A data file an example command reads (./PROG ... FILE.txt), or a
    # program's default data file (`./FILE.txt`): in data/, unless the
    # handout makes it itself (> FILE.txt)
    set read [regexp -all -inline {\./[\w-]+ [^`\n;]*?([\w.-]+\.txt)\M} $doc]
    foreach {- name} [regexp -all -inline {`\./([\w.-]+\.txt)`} $doc] { lappend read - $name }
    foreach {- name} $read {
        if {[file exists [file join $datadir $name]] || [string first "> $name" $doc] >= 0} continue
        set m "data/$name: an example command or a default reads this file, and it is not in data/ (nor made in the handout)"
        if {$m ni $out && "data/$name: the handout names this file, and it is not in data/" ni $out} {
            lappend out $m
        }
    }
}
puts [join $out \n]

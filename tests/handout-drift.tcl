# handout-drift.tcl LABFILE HANDOUT: print what the handout lacks, one per line.
#
# The literal output the lab's tests demand (the text of a `line`, `prompt`
# or `set ask`, when it has no variable in it) must be in the handout, its
# numbers aside, and
# every section a hint cites ("(handout 3.2, 4.1-4.4)") must be a heading.
lassign $argv exp handout
set f [open $exp]; set src [read $f]; close $f
set f [open $handout]; set doc [read $f]; close $f
set out {}
# Numbers may differ (the handout's example has its own): compare with every
# run of digits as one "#".
proc shape {s} { regsub -all {[0-9]+} $s "#" }
set docshape [shape $doc]
foreach {- text} [regexp -all -inline {(?:^|[\s;\[\{])(?:line|prompt|set ask)\s+(?:\S+\s+)?"([^"$\[\\]{8,})"} $src] {
    set text [string trim $text]
    if {[string first [shape $text] $docshape] < 0 && "output \"$text\"" ni $out} {
        lappend out "output \"$text\""
    }
}
foreach {- refs} [regexp -all -inline {\(handout ([0-9., -]+)\)} $src] {
    foreach r [split $refs ", "] {
        foreach sec [split $r -] {
            set sec [string trimright [string trim $sec] .]
            if {$sec eq "" || "section $sec" in $out} continue
            if {![regexp -line "^#+ [string map {. \\.} $sec]\[ .\]" $doc]} { lappend out "section $sec" }
        }
    }
}
puts [join $out \n]

# ext-every-lab.tcl: the checks every lab makes, written once.
#
#   usage_table ?-says RE? ?-shows TEXT? ROWS
#       ROWS is a table of PROGRAM ARGV STATUS: each PROGRAM run with ARGV
#       must print a line matching RE (default: "usage", any case) and exit
#       with STATUS (0, nonzero, any: as `exits` takes it). TEXT says what
#       was wanted when the line does not come.
#   expect_no_warnings
#       the compiler said nothing: no "warning:" or "error:" in the build log

proc usage_table {args} {
    set re {(?i)usage}
    set shows ""
    while {[llength $args] > 1} {
        set args [lassign $args opt val]
        switch -- $opt {
            -says { set re $val }
            -shows { set shows $val }
            default { error "usage_table: unknown option $opt" }
        }
    }
    set rows [lindex $args 0]
    if {[llength $rows] % 3} { error "usage_table: rows of PROGRAM ARGV STATUS, not {$rows}" }
    foreach {prog argv status} $rows {
        set what [expr {$shows ne "" ? $shows : "a usage line such as \"Usage: $prog ...\""}]
        start p $prog {*}$argv
        skip_to p $re $what
        exits p $status
    }
}

proc expect_no_warnings {} {
    set warnings [lsearch -all -inline -regexp [split [build_log] \n] {(warning|error):}]
    if {[llength $warnings]} {
        fail "the compiler said:\n  [join [lrange $warnings 0 4] "\n  "]"
    }
}

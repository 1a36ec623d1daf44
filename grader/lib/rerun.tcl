# rerun.tcl: explain a failing test by running it again, differently.
#
# Swap-in: with each of the submission's programs replaced in turn by the
# reference's (built from solutions/labN when it is there), does the test
# pass? Then the fault is in the program that was swapped out. Chart: once
# more with every program under strace, so the report can show who sent what
# to whom. Each re-run has its own directories under OUT/explain/TEST/.

namespace eval ::rerun {
    variable refbins ""  ;# program -> reference binary, once built
    variable refstate "" ;# "", built, absent, failed
}

# Run TEST once more in its sandbox with the config changed by OVERRIDES;
# returns {status message}.
proc rerun::run {name tag overrides} {
    global config out stage
    set dir [file join $out explain $name $tag]
    foreach d {logs results private} { file mkdir [file join $dir $d] }
    set tests [file join $stage explain-$name-$tag]
    file mkdir $tests
    file attributes $tests -permissions 0711
    set c [dict merge $config [dict create testsdir $tests privroot [file join $dir private] \
               logdir [file join $dir logs] resultdir [file join $dir results] verbose 0] $overrides]
    config::write [file join $dir config] $c
    lrange [::run_test [file join $dir config] $name] 0 1
}

# The reference's programs, built once into OUT/build-ref; {} when there is
# no reference here (an instructor may keep solutions private) or it fails.
proc rerun::reference {} {
    variable refbins
    variable refstate
    global root lab stage opt
    if {$refstate ne ""} { return $refbins }
    set src [expr {$opt(reference) eq "" ? [file join $root solutions lab$lab] : $opt(reference)}]
    # (a swap-in run binds only the swapped program into its sandbox)
    set dest [file join $stage build-ref]
    if {$src eq "none" || ![file isdirectory $src]} {
        set refstate absent
        return {}
    }
    if {[sandbox::mode] eq "uid"} {
        # without namespaces, a later test's program could run (or read)
        # the reference's from its folder: no reference at all here
        set refstate unsafe
        return {}
    }
    if {[llength [build::copy $src $dest]]} {
        set refstate absent
        return {}
    }
    set saved_status $::build::status
    set saved_log $::build::log
    sandbox::give $dest
    build::compile $dest $opt(sanitize)
    sandbox::take $dest
    set refbins [dict create]
    set refstate built
    dict for {prog st} $::build::status {
        if {$st ne "ok"} { set refstate failed; set refbins {}; break }
        dict set refbins $prog [file join $dest $prog]
        # A swap-in run binds the reference's program beside the student's,
        # which could copy it into their output (the report shows it):
        # execute only, for every uid but root (an unprivileged grader's
        # programs run as its owner, and it is bound read-only: no chmod)
        file attributes [file join $dest $prog] -permissions 0111
    }
    set ::build::status $saved_status
    set ::build::log $saved_log
    return $refbins
}

# The lab's files that are not one program's own: headers, and sources
# that several programs are built from.
proc rerun::shared {} {
    set uses [dict create]
    dict for {prog sources} $::lab::programs {
        foreach f $sources { dict incr uses $f }
    }
    lmap f $::lab::files {
        expr {[dict exists $uses $f] && [dict get $uses $f] == 1 ? [continue] : $f}
    }
}

# The lines a failing test's report gains; "" when there is nothing to add.
proc rerun::explain {name message programs} {
    variable refstate
    # Only the programs the failing run started can be at fault
    set needs [expr {[llength $programs] ? $programs : [dict get $::lab::tests $name needs]}]
    if {[llength $needs] < 2} { return "" }
    set out ""
    set refs [reference]
    if {![dict size $refs] && $::opt(reference) eq "none"} {
        # asked not to use one (Gradescope without --reference): nothing to say
    } elseif {$refstate eq "absent"} {
        # a student release, or an instructor who keeps the solutions elsewhere
        append out "\n  swap-in check unavailable: this copy has no reference solution (solutions/lab$::lab) to swap in"
    } elseif {![dict size $refs]} {
        append out "\n  swap-in check skipped: [dict get {failed "the reference solution does not build" unsafe "without namespaces (this sandbox) the reference could not be kept from your programs"} $refstate]"
    } else {
        set culprits {}
        set still [dict create] ;# program swapped -> how the test failed even so
        foreach prog $needs {
            lassign [run $name swap-$prog [dict create swap [dict create $prog [dict get $refs $prog]]]] status why
            if {$status eq "pass"} { lappend culprits $prog } else { dict set still $prog $why }
        }
        set others [lmap p $needs {expr {$p in $culprits ? [continue] : $p}}]
        if {[llength $culprits] == 1} {
            set p [lindex $culprits 0]
            append out "\n  swap-in: with the reference $p and your [join $others {, }], this test passes: look at your $p ([join [dict get $::lab::programs $p] {, }])"
        } elseif {[llength $culprits] > 1} {
            append out "\n  swap-in: the test passes with the reference's [join $culprits { or }] in place of yours: either alone is enough to fix it here"
        } else {
            # Say how each mixed run failed: that is what each of yours does wrong
            append out "\n  swap-in: the test still fails with each of your programs replaced in turn by the reference's:"
            dict for {prog why} $still {
                set yours [lmap p $needs {expr {$p eq $prog ? [continue] : $p}}]
                set lines [lrange [split [string trimright $why] \n] 0 2]
                # (a block's heading without its block says nothing)
                while {[llength $lines] > 1 && [string match *: [lindex $lines end]]} {
                    set lines [lrange $lines 0 end-1]
                }
                append out "\n    the reference $prog with your [join $yours {, }]: [join $lines "\n      "]"
            }
            if {[llength $needs] == 2} {
                append out "\n  so your [join $needs { and }] each have a fault of their own here"
            } else {
                append out "\n  so more than one of your [join $needs {, }] has a fault here"
            }
            set shared [shared]
            if {[llength $shared]} { append out " (or the fault is in [join $shared {, }], which they share)" }
        }
    }
    # A chart of the messages, from a traced run (unless the failure has one)
    if {[string first "  the messages, in order" $message] >= 0} { return $out }
    lassign [run $name chart [dict create trace 1]] status message
    set at [string first "  the messages, in order" $message]
    if {$at >= 0} {
        set chart [string range $message $at end]
        # the chart's own file is under explain/; keep it beside the transcript
        if {[regexp {\(chart: ([^)]+)\)} $chart - file] && [file exists $file]} {
            set keep [file join $::out logs $name.chart]
            file copy -force $file $keep
            set chart [string map [list $file [report::shown_path $keep]] $chart]
        }
        append out "\n$chart"
    }
    return $out
}

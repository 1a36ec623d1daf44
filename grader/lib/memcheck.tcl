# memcheck.tcl: read a valgrind XML report and fail on any error in it.
#
#   memcheck_clean NAME   NAME was started with -memcheck and has exited
#
# Errors are memory errors, uninitialised bytes passed to system calls, and
# definite or indirect leaks; each is shown with the first stack frame in
# one of the lab's own files (file:line), where the student should look.

namespace eval ::memcheck {}

proc memcheck::unescape {s} {
    string map {&lt; < &gt; > &quot; \" &apos; ' &amp; &} $s
}

proc memcheck::errors {xmlfile} {
    set f [open $xmlfile]
    set xml [read $f]
    close $f
    set found {}
    foreach {- body} [regexp -all -inline {<error>(.*?)</error>} $xml] {
        set what ""
        if {![regexp {<what>(.*?)</what>} $body - what]} {
            regexp {<xwhat>\s*<text>(.*?)</text>} $body - what
        }
        set where ""
        set first ""
        foreach {- frame} [regexp -all -inline {<frame>(.*?)</frame>} $body] {
            set fn ""; set file ""; set ln ""
            regexp {<fn>(.*?)</fn>} $frame - fn
            regexp {<file>(.*?)</file>} $frame - file
            regexp {<line>(.*?)</line>} $frame - ln
            if {$first eq "" && $fn ne ""} { set first [unescape $fn] }
            if {$file in $::lab::files} {
                set where "$file:$ln ([unescape $fn])"
                break
            }
        }
        if {$where eq ""} { set where "in $first (no frame in your files)" }
        lappend found "[unescape $what]\n      at $where"
    }
    return $found
}

proc memcheck_clean {name} {
    procs::get $name
    upvar #0 ::P_$name P
    if {!$P(memcheck)} {
        note "(memcheck: not under valgrind in this run)"
        return
    }
    procs::reap $name
    if {![file exists $P(vgxml)] || [file size $P(vgxml)] == 0} {
        fail "valgrind wrote no report for $P(shown)"
    }
    set errs [memcheck::errors $P(vgxml)]
    if {[llength $errs]} {
        set shown [lrange $errs 0 2]
        set more [expr {[llength $errs] > 3 ? "\n  ... and [expr {[llength $errs] - 3}] more" : ""}]
        fail "valgrind found [llength $errs] error(s) in $P(shown):\n  [join $shown "\n  "]$more"
    }
    note "(memcheck: $P(shown) is clean)"
}

# memcheck.tcl: read a valgrind XML report and fail on any error in it.
#
#   memcheck_clean NAME   NAME was started with -memcheck and has exited
#
# Errors are memory errors, uninitialised bytes passed to system calls, and
# definite or indirect leaks (or the kinds the lab's setting leak_kinds
# names, such as all); each is shown with the first stack frame in one of
# the lab's own files (file:line), where the student should look.

namespace eval ::memcheck {
    # Valgrind's client requests (valgrind.h, memcheck.h) let a program
    # silence valgrind itself: VALGRIND_DISABLE_ERROR_REPORTING hides its
    # errors, VALGRIND_FREELIKE_BLOCK a leaked block, and the report shows
    # nothing of it. Every request starts with this preamble of
    # instructions, which valgrind looks for (x86-64, x86, arm64).
    variable preambles [list [binary format H* 48c1c70348c1c70d48c1c73d48c1c733] \
                            [binary format H* c1c703c1c70dc1c71dc1c713] \
                            [binary format H* 8c0dcc938c35cc938ccdcc938cf5cc93]]
}

proc memcheck::unescape {s} {
    string map {&lt; < &gt; > &quot; \" &apos; ' &amp; &} $s
}

# valgrind's report, once complete (waiting up to WAIT ms for valgrind to
# finish it); an error when anything else was written into it (the program
# shares valgrind's descriptor: it can add to the report, never take away,
# and an honest program never writes there).
proc memcheck::report {xmlfile {wait 2000}} {
    set deadline [expr {[clock milliseconds] + $wait}]
    for {set n 0} {1} {incr n} {
        set f [open $xmlfile rb]
        set xml [read $f]
        close $f
        if {[string match "*</valgrindoutput>*" $xml] || [clock milliseconds] > $deadline} break
        kernel::pause $n
    }
    set opens [regexp -all {<valgrindoutput>} $xml]
    set closes [regexp -all {</valgrindoutput>} $xml]
    if {$opens == 0 && $closes == 0} { error "valgrind's report is empty" }
    if {$opens != 1 || $closes != 1 || ![regexp {</valgrindoutput>\s*$} $xml] ||
        [regexp -all {<\?xml} $xml] != 1} {
        if {$closes == 0} { error "valgrind's report is unfinished (valgrind did not reach the program's end: killed, or exec'd another program?)" }
        error "valgrind's report holds things valgrind did not write: the program wrote into valgrind's file descriptor 4"
    }
    foreach l [split $xml \n] {
        if {[string trim $l] ne "" && ![regexp {^\s*<} $l] && ![regexp {^\s*[^<]*</[a-z]+>\s*$} $l]} {
            error "valgrind's report holds lines valgrind did not write: the program wrote into valgrind's file descriptor 4"
        }
    }
    return $xml
}

# Whether the program FILE makes client requests of valgrind (1/0); an
# error when it cannot be read (a file of the build, the sandbox's side).
proc memcheck::requests {file} {
    variable preambles
    set bytes [kernel::read_regular $file [expr {64 << 20}]]
    foreach p $preambles {
        if {[string first $p $bytes] >= 0} { return 1 }
    }
    return 0
}

# The errors in report XML, each named by its first frame in the lab's
# files of PROGRAM (a path: the C library has files of the same names, such
# as msgsnd.c, which its debugging information may name).
proc memcheck::errors {xml program} {
    set found {}
    foreach {- body} [regexp -all -inline {<error>(.*?)</error>} $xml] {
        set what ""
        if {![regexp {<what>(.*?)</what>} $body - what]} {
            regexp {<xwhat>\s*<text>(.*?)</text>} $body - what
        }
        set where ""
        set first ""
        foreach {- frame} [regexp -all -inline {<frame>(.*?)</frame>} $body] {
            set fn ""; set file ""; set ln ""; set obj ""
            regexp {<fn>(.*?)</fn>} $frame - fn
            regexp {<file>(.*?)</file>} $frame - file
            regexp {<line>(.*?)</line>} $frame - ln
            regexp {<obj>(.*?)</obj>} $frame - obj
            if {$first eq "" && $fn ne ""} { set first [unescape $fn] }
            if {$file in $::lab::files && [unescape $obj] eq $program} {
                set where "$file:$ln ([unescape $fn])"
                break
            }
        }
        if {$where eq ""} { set where "in $first (no frame in your files)" }
        set more ""
        if {[string match -nocase *uninitialised* $what]} {
            # (the grader runs valgrind without origin tracking: it doubles the cost)
            set more "\n      (valgrind --track-origins=yes says where those bytes came from)"
        }
        lappend found "[unescape $what]\n      at $where$more"
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
    # (the file the grader started: the test cannot write where it is)
    if {[catch {memcheck::requests $P(file)} asks]} {
        fail "the grader could not read $P(shown)'s program to check it for valgrind requests ($asks): a program over 64 MiB is not read (a large initialised array? make it static and uninitialised, or malloc it)"
    }
    if {$asks} {
        fail "$P(shown) talks to valgrind itself (client requests of valgrind.h or memcheck.h, such as VALGRIND_DISABLE_ERROR_REPORTING or VALGRIND_FREELIKE_BLOCK), which can hide the errors this test looks for: take them out"
    }
    if {![file exists $P(vgxml)]} {
        fail "valgrind wrote no report for $P(shown)"
    }
    if {[catch {memcheck::report $P(vgxml)} xml]} {
        fail "$P(shown): $xml"
    }
    set errs [memcheck::errors $xml [file normalize $P(file)]]
    if {[llength $errs]} {
        set shown [lrange $errs 0 2]
        set more [expr {[llength $errs] > 3 ? "\n  ... and [expr {[llength $errs] - 3}] more" : ""}]
        fail "valgrind found [llength $errs] error(s) in $P(shown):\n  [join $shown "\n  "]$more"
    }
    note "(memcheck: $P(shown) is clean)"
}

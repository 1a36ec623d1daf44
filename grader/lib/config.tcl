# config.tcl: the settings a test's interpreter (runtest.tcl, tour.tcl
# --inside) runs with, as the array ::cfg. Every key is here with its
# meaning and default; config::make refuses one that is not, so a key
# misspelt in the driver or the tour is an error, not a silent default.
#
#   config::make KEY VALUE...   the full settings: the defaults, then these
#   config::write FILE DICT     for the interpreter to read
#   config::load FILE           into ::cfg (in that interpreter)

namespace eval ::config {
    # KEY DEFAULT "what it is"
    variable table {
        sandbox      {}     "the sandbox's line for transcripts"
        sandbox_mode none   "bwrap, uid or none (sandbox.tcl)"
        isolated     0      "IPC namespaces of the test's own"
        pidns        0      "a PID namespace of the test's own"
        gid          {}     "the group that may read the build"
        limits       {}     "per-process bounds (sandbox::set_limits)"
        confine_opts {}     "confine.c's options for those bounds"
        bwrap_opts   {}     "bubblewrap's options"
        libdir       {}     "grader/lib"
        helperdir    {}     "confine and qtool, built"
        symbols      {}     "the C library's symbols, for valgrind (build::symbols)"
        tclsys       {}     "tclsys.c built: the system calls Tcl lacks"
        bindir       {}     "the submission's build (read-only to tests)"
        qtool        {}     "the grader's queue tool"
        datadir      {}     "data/"
        testsdir     {}     "where each test's folder is made"
        logdir       {}     "transcripts"
        resultdir    {}     "verdicts (result.tcl)"
        privroot     {}     "the grader's own files, out of the programs' reach"
        buildlog     {}     "the compiler's output"
        labfiles     {}     "the lab file and any extra tests"
        timeout      5      "seconds a wait may take (sandbox::timeout)"
        trace        0      "strace every program"
        swap         {}     "program -> the reference's build (rerun.tcl)"
        verbose      0      "a test's notes on stdout too"
        sanitize     0      "sanitizer builds instead of valgrind"
        early        1      "call hangs early (hang.tcl)"
        uid          {}     "the test's throwaway uid (root)"
        cgroups      {}     "the test's cgroups"
        privdir      {}     "the test's own part of privroot (set by runtest)"
        workdir      {}     "the tour's folder (set by tour --inside)"
        tourfile     {}     "the tour's steps (tour only)"
        lab          {}     "the lab's number (tour only)"
        shown        {}     "the submission's folder as shown (tour only)"
        interactive  0      "the tour pauses for a person"
        colour       0      "the tour's terminal takes colour"
        unicode      0      "...and UTF-8"
        width        80     "...and is this wide"
    }
    variable defaults [dict create]
    foreach {k v -} $table { dict set defaults $k $v }
    unset k v -
}

proc config::make {args} {
    variable defaults
    set c $defaults
    foreach {k v} $args {
        if {![dict exists $defaults $k]} { error "config: no setting \"$k\"" }
        dict set c $k $v
    }
    return $c
}

proc config::write {file c} {
    set f [open $file w]
    puts $f $c
    close $f
}

proc config::load {file} {
    set f [open $file]
    array set ::cfg [read $f]
    close $f
}

# build.tcl: copy a submission into the scratch directory and compile it.
#
# The grader never runs the submission's Makefile: it copies only the lab's
# files and compiles each program itself, with -g so valgrind can name
# file:line, and with hardening that turns many overflows into a crash.

namespace eval ::build {
    variable status [dict create] ;# program -> ok | failed
    variable log [dict create]    ;# program -> compiler output
    variable missing {}
}

proc build::cflags {sanitize} {
    set flags {-std=c11 -Wall -Wextra -g -fno-omit-frame-pointer}
    if {$sanitize} {
        lappend flags -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
    } else {
        lappend flags -Og -D_FORTIFY_SOURCE=2 -fstack-protector-strong
    }
    return $flags
}

# Copy the lab's files from SRC to DEST; returns the list of missing ones.
proc build::copy {src dest} {
    variable missing
    file mkdir $dest
    set missing {}
    foreach f $::lab::files {
        set from [file join $src $f]
        if {[file isfile $from]} {
            file copy -force $from [file join $dest $f]
        } else {
            lappend missing $f
        }
    }
    return $missing
}

proc build::compile {dir sanitize} {
    variable status
    variable log
    variable missing
    set status [dict create]
    set log [dict create]
    dict for {prog sources} $::lab::programs {
        set absent {}
        foreach f $missing {
            if {$f in $sources || [string match *.h $f]} { lappend absent $f }
        }
        if {[llength $absent]} {
            dict set status $prog failed
            dict set log $prog "missing file(s): [join $absent {, }]"
            continue
        }
        set cmd [list cc {*}[cflags $sanitize] -o [file join $dir $prog] \
                     {*}[lmap s $sources {file join $dir $s}]]
        set failed [catch {exec {*}$cmd 2>@1} out]
        # Show paths as the student knows them: msgsnd.c, not /tmp/.../msgsnd.c
        set out [string map [list "$dir/" ""] $out]
        if {[string match "child process exited abnormally" [lindex [split $out \n] end]]} {
            set out [join [lrange [split $out \n] 0 end-1] \n]
        }
        dict set status $prog [expr {$failed ? "failed" : "ok"}]
        dict set log $prog $out
    }
}

proc build::ok {prog} {
    variable status
    expr {[dict exists $status $prog] && [dict get $status $prog] eq "ok"}
}

proc build::output {prog} {
    variable log
    dict get $log $prog
}

# All compiler output, for the warnings test.
proc build::all_output {} {
    variable log
    join [dict values $log] \n
}

# The grader's helpers, built once per run with the system compiler, before
# any test starts (tests run in parallel): qtool from grader/lib, and every
# grader/helpers/NAME.c as NAME. Returns qtool's path.
proc build::helper {libdir dir} {
    set out [file join $dir qtool]
    exec cc -std=c11 -O1 -o $out [file join $libdir qtool.c] 2>@1
    foreach src [glob -nocomplain -directory [file join [file dirname $libdir] helpers] *.c] {
        exec cc -std=c11 -O1 -o [file join $dir [file rootname [file tail $src]]] $src 2>@1
    }
    return $out
}

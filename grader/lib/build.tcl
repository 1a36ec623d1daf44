# build.tcl: copy a submission into the scratch directory and compile it.
#
# The grader never runs the submission's Makefile: it copies only the lab's
# files (regular files only: a symbolic link is refused, not followed) and
# compiles each program itself, inside the sandbox as a throwaway uid with a
# bound on time, CPU and memory (sandbox::compile_cmd), with -g so valgrind
# can name file:line, and with hardening that turns many overflows into a
# crash. What switches warnings off (#pragma GCC diagnostic, _Pragma, a
# system-header marker) is reported as a warning of its own.

namespace eval ::build {
    variable status [dict create] ;# program -> ok | failed
    variable log [dict create]    ;# program -> compiler output
    variable missing {}
    variable refused [dict create] ;# file -> why it was not copied
    variable changed {}             ;# given files the submission changed (not graded)
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
# A file that is a symbolic link, not a regular file, or larger than 1 MiB
# is missing too (with the reason in build::refused). The files the lab
# gives complete (lab_given) are the grader's copies; those SRC holds
# changed are listed in build::changed.
proc build::copy {src dest} {
    variable missing
    variable refused
    variable changed {}
    file mkdir $dest
    set missing {}
    set refused [dict create]
    foreach f $::lab::files {
        set from [file join $src $f]
        if {$f in $::lab::given} {
            # (the lab's, not the submission's: a demo that printed what the
            # tests expect would earn the marks of the student's part)
            set ours [file join $::lab::givendir $f]
            if {[catch {file lstat $ours st}] || $st(type) ne "file"} {
                # (not the student's to fix: the grade cannot be made)
                error "the lab's own $f is missing: $ours (see --given)"
            }
            # (a file the submission holds, read as kernel::read_regular reads one)
            if {[file exists $from] &&
                ([catch {kernel::read_regular $from [expr {1 << 20}]} theirs] ||
                 [catch {kernel::read_regular $ours [expr {1 << 20}]} mine] || $theirs ne $mine)} {
                lappend changed $f
            }
            set from $ours
        } elseif {[catch {file lstat $from st}]} {
            lappend missing $f
            continue
        }
        if {$st(type) ne "file" || $st(size) > (1 << 20)} {
            dict set refused $f [expr {$st(type) eq "link" ? "a symbolic link (submit the file itself)" :
                                       $st(type) ne "file" ? "not a regular file" : "larger than 1 MiB"}]
            lappend missing $f
            continue
        }
        set in [open $from rb]
        set data [read $in [expr {1 << 20}]]
        close $in
        set out [open [file join $dest $f] {WRONLY CREAT EXCL}]
        fconfigure $out -translation binary
        puts -nonewline $out $data
        close $out
        file attributes [file join $dest $f] -permissions 0644
    }
    return $missing
}


# What switches warnings off, as compiler-style warnings: the warnings test
# must see what the compiler was told not to say. Two readings: the
# preprocessor's (PREPROCESSED: cc -E of the program, where _Pragma is a
# #pragma again), for a #pragma GCC/clang diagnostic or system_header in
# one of the lab's files ...
proc build::switched_off {preprocessed} {
    set found {}
    set file ""
    set n 0
    foreach l [split $preprocessed \n] {
        if {[regexp {^# (\d+) "((?:[^"\\]|\\.)*)"} $l - line name]} {
            set file $name
            set n [expr {$line - 1}]
            continue
        }
        incr n
        if {[file tail $file] in $::lab::files &&
            [regexp {^\s*#\s*pragma\s+(GCC|clang)\s+(diagnostic|system_header)} $l]} {
            lappend found "[file tail $file]:$n: warning: this pragma switches compiler warnings off; the grader does not accept it"
        }
    }
    lsort -unique $found
}

# ... and the sources' own text, read as the preprocessor reads it (line
# splices joined, comments blanked, digraphs and trigraphs spelled out),
# for what cc -E keeps no trace of (a line marker that makes the rest of a
# file a system header) and for a program that does not compile.
proc build::suppressions {dir files} {
    set found {}
    foreach f $files {
        if {[catch {open [file join $dir $f] rb} in]} continue
        set text [read $in]
        close $in
        set text [string map {"??=" "#" "%:" "#" "??/\n" ""} $text]
        regsub -all {\\[ \t]*\r?\n} $text "" text
        regsub -all {/\*.*?\*/} $text " " text
        regsub -all -line {//.*$} $text "" text
        foreach l [split $text \n] {
            if {[regexp {^\s*#\s*pragma\s+(GCC|clang)\s+(diagnostic|system_header)} $l] ||
                [regexp {_Pragma\s*\(|__pragma\s*\(} $l] ||
                [regexp {^\s*#\s*(line\s+)?[0-9]+\s+"[^"]*"\s*([0-9]\s*)*$} $l]} {
                lappend found "$f: warning: \"[string trim [string range $l 0 60]]\" switches compiler warnings off; the grader does not accept it"
            }
        }
    }
    return $found
}

proc build::compile {dir sanitize} {
    variable status
    variable log
    variable missing
    variable refused
    set status [dict create]
    set log [dict create]
    set wall [expr {[info exists ::env(GRADER_COMPILE_TIMEOUT)] ? $::env(GRADER_COMPILE_TIMEOUT) : 30}]
    # Every program at once (each compile mostly waits on its own cc1)
    set pipes [dict create]
    set cpp [dict create]
    dict for {prog sources} $::lab::programs {
        set absent {}
        foreach f $missing {
            if {$f in $sources || [string match *.h $f]} { lappend absent $f }
        }
        if {[llength $absent]} {
            dict set status $prog failed
            dict set log $prog "missing file(s): [join [lmap f $absent {
                expr {[dict exists $refused $f] ? "$f ([dict get $refused $f])" : $f}}] {, }]"
            continue
        }
        set cmd [sandbox::compile_cmd $dir $wall [list cc {*}[cflags $sanitize] -o $prog {*}$sources]]
        dict set pipes $prog [open |[list {*}$cmd 2>@1] r]
        # ... and what the preprocessor makes of it (at most 8 MiB of it)
        set cmd [sandbox::compile_cmd $dir $wall [list sh -c {cc "$@" 2>/dev/null | head -c 8388608} \
                     sh {*}[cflags $sanitize] -E {*}$sources]]
        dict set cpp $prog [open |[list {*}$cmd 2>/dev/null] r]
    }
    dict for {prog pipe} $pipes {
        set out [read $pipe]
        set failed [catch {close $pipe} err opts]
        if {$failed && [lindex [dict get $opts -errorcode] 0] eq "CHILDKILLED"} {
            append out "\n(the compiler was stopped after $wall s, or past its CPU or memory bound)"
        }
        set sources [dict get $::lab::programs $prog]
        set headers [lmap f $::lab::files {expr {[string match *.h $f] ? $f : [continue]}}]
        set quiet [suppressions $dir [lsort -unique [list {*}$sources {*}$headers]]]
        set pre [dict get $cpp $prog]
        set text [read $pre]
        catch {close $pre}
        foreach w [switched_off $text] { if {$w ni $quiet} { lappend quiet $w } }
        if {[llength $quiet]} { set out [join [list {*}$quiet $out] \n] }
        dict set status $prog [expr {$failed ? "failed" : "ok"}]
        dict set log $prog [string trim $out \n]
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

# An entry NAME of the grader's cache CACHE (a folder the grader alone can
# write, kept between grades: a class of 60 fills it once): its path, made
# by FILL (a command, given an empty folder) when it is not there yet, or ""
# where there is no cache to use. Graders that find no entry each fill one
# of their own (mktemp's) and rename it into place whole: an entry is always
# complete, and is never written again. An entry's time is when it was last
# used; the entries of its kind (NAME up to its last "-": helpers,
# symbols...) that no grade has used for a week go (a new compiler, new
# sources or new debugging files each made one, a few MiB), and what a
# grader stopped while filling an entry left a day ago.
proc build::cached {cache name fill} {
    # (a cache that is not a folder of its own is not used: no link followed)
    if {$cache eq "" || [catch {file mkdir $cache; file lstat $cache st}] || $st(type) ne "directory" ||
        [catch {file attributes $cache -permissions 0700}]} {
        return ""
    }
    if {[string first - $name] < 0} { error "cache entry \"$name\" has no kind (KIND-KEY)" }
    set entry [file join $cache $name]
    set now [clock seconds]
    if {![file isdirectory $entry]} {
        # (when it was begun is in its name: a fill may give the folder
        # another time, as cp -a does)
        set tmp [exec mktemp -d [file join $cache building.$now.XXXXXX]]
        if {[catch {{*}$fill $tmp} err]} {
            file delete -force $tmp
            error $err
        }
        # rename(2) itself (mv -T), which fails where another grader's
        # entry is already in place (Tcl's file rename would move ours
        # into it): either will do
        if {[catch {exec mv -T -- $tmp $entry}]} { file delete -force $tmp }
    }
    # (marked used now, it is not among those that go below)
    catch {file mtime $entry $now}
    set kind [string range $name 0 [string last - $name]]
    foreach old [glob -nocomplain -directory $cache -types d $kind*] {
        if {![catch {file mtime $old} t] && $now - $t > 7 * 86400} { catch {file delete -force $old} }
    }
    foreach old [glob -nocomplain -directory $cache -types d building.*] {
        if {[regexp {^building\.(\d+)\.} [file tail $old] - begun] && $now - $begun > 86400} {
            catch {file delete -force $old}
        }
    }
    return $entry
}

# A cache key for what is built from the files SOURCES: their text, the
# compiler's version and target (asked once), and EXTRA.
proc build::key {sources {extra ""}} {
    variable compiler
    if {![info exists compiler]} { set compiler [exec cc -dumpfullversion -dumpmachine] }
    set text ""
    foreach src $sources {
        set f [open $src rb]
        append text [read $f]
        close $f
    }
    zlib crc32 "$text$compiler$extra"
}

# The grader's helpers (qtool and confine from grader/lib, every
# grader/helpers/NAME.c as NAME), copied into DIR, where the test's uid may
# run them, from CACHE (keyed by their sources and the compiler). Returns
# qtool's path.
proc build::helper {libdir dir {cache ""}} {
    set sources [list [file join $libdir qtool.c] [file join $libdir confine.c] \
                     {*}[lsort [glob -nocomplain -directory [file join [file dirname $libdir] helpers] *.c]]]
    set built [cached $cache helpers-[key $sources] [list build::compile_helpers $sources]]
    if {$built eq ""} {
        compile_helpers $sources $dir
    } else {
        foreach src $sources {
            set name [file rootname [file tail $src]]
            file copy -force [file join $built $name] [file join $dir $name]
        }
    }
    foreach src $sources {
        file attributes [file join $dir [file rootname [file tail $src]]] -permissions 0755
    }
    return [file join $dir qtool]
}

# The test server's Tcl extension (tclsys.c), built into CACHE (keyed by
# its source, the compiler and Tcl's version), else into DIR. Returns the
# library's path. Needs Tcl's headers and stub library (tcl-dev).
proc build::tclsys {libdir dir {cache ""}} {
    set src [file join $libdir tclsys.c]
    set built [cached $cache tclsys-[key [list $src] [info patchlevel]] [list build::compile_tclsys $src]]
    if {$built eq ""} {
        compile_tclsys $src $dir
        set built $dir
    }
    return [file join $built tclsys.so]
}

proc build::compile_tclsys {src dir} {
    set v [info tclversion]
    set include ""
    foreach d [list /usr/include/tcl$v /usr/include/tcl /usr/include] {
        if {[file exists [file join $d tcl.h]]} { set include $d; break }
    }
    if {$include eq ""} { error "no tcl.h for Tcl $v (install tcl-dev)" }
    exec cc -std=c11 -O1 -shared -fPIC -DUSE_TCL_STUBS -I$include -o [file join $dir tclsys.so] \
        $src -ltclstub$v 2>@1
}

# Valgrind reads the C library's debugging information (libc6-dbg, in
# /usr/lib/debug/.build-id) every time it starts: 0.2 s of the 0.5 s a
# lab-1 program takes under it here. Its reports need only the names of
# the library's functions (the symbol table), not its line tables, and it
# cannot start without the dynamic linker's (strlen must be redirected).
# So the tests see, in that folder's place, a copy with the symbol tables
# only (strip --strip-debug): the same names in reports and suppressions,
# in 0.3 s. Returns the copy's path in CACHE (keyed by the folder's files),
# or "" where there is none to make (no such folder, no strip).
proc build::symbols {cache} {
    set src /usr/lib/debug/.build-id
    if {![file isdirectory $src] || [auto_execok strip] eq ""} { return "" }
    # (the files as libc6-dbg and its kind lay them out: .build-id/NN/REST.debug)
    set listing ""
    foreach f [lsort [glob -nocomplain -directory $src -types f */*.debug]] {
        if {![catch {file stat $f st}]} { append listing "$f $st(size) $st(mtime)\n" }
    }
    if {$listing eq ""} { return "" }
    cached $cache symbols-[zlib crc32 $listing] [list build::strip_symbols $src]
}

proc build::strip_symbols {src dir} {
    exec cp -a $src/. $dir
    # (a file strip cannot read stays whole: slower, never wrong)
    catch {exec find $dir -type f -name *.debug -exec strip --strip-debug "{}" + 2>/dev/null}
    # the tests' uid reads it (mktemp made the folder 0700)
    file attributes $dir -permissions 0755
}

proc build::compile_helpers {sources dir} {
    foreach src $sources {
        exec cc -std=c11 -O1 -o [file join $dir [file rootname [file tail $src]]] $src 2>@1
    }
}

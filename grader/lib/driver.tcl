# driver.tcl: the grader's main program (run by grader/grade).
#
# Usage: grade LAB [DIR] [-t TEST]... [-v] [--json FILE] [--out DIR]
#              [--sanitize] [--no-early] [--extra-tests FILE]...
#
# Copies DIR's sources (default labs/labLAB) into a scratch directory,
# compiles them in the sandbox, runs each test of grader/labLAB.exp in its
# own sandbox and interpreter, and prints one line per test and the score.
# With --untrusted (grade-class and the Gradescope package pass it), it
# refuses to run where no sandbox can keep the code away from the machine.
# Exit status: 0 all tests passed, 1 some failed, 2 the grader could not run.

set libdir [file dirname [file normalize [info script]]]
set root [file dirname [file dirname $libdir]]
foreach lib {registry match cli config kernel sandbox build result report rerun} {
    source [file join $libdir $lib.tcl]
}

proc usage {{to stderr}} {
    puts $to "Usage: grader/grade LAB \[DIR\] \[options\]
  LAB                 the lab number (1, 2, ...)
  DIR                 the directory with the sources (default labs/labLAB)
  -t TEST             run only TEST (repeatable)
  -v                  echo each command and check as it runs
  -j N                run N tests at a time (default: the number of cores; 1 with -v)
  --json FILE         also write Gradescope's results.json to FILE
  --out DIR           keep the build, transcripts and results in DIR
                      (default grade-out/labLAB at the top of the repository;
                      a second grade into DIR waits until the first is done)
  --sanitize          build with AddressSanitizer and UBSan instead of valgrind
  --no-early          wait out every timeout, even where the kernel shows that
                      the test's programs can no longer progress (as does
                      GRADER_EARLY=0; see grader/lib/hang.tcl)
  --no-explain        do not re-run failing tests to explain them (with the
                      reference's programs swapped in, and traced for a chart)
  --reference DIR     the reference solution for the swap-in (default
                      solutions/labLAB; none: do not use one)
  --given DIR         the files the lab gives complete (lab_given) from DIR
                      (default labs/labLAB), never from the submission
  --extra-tests FILE  add the tests in FILE (an instructor's hidden tests)
  --untrusted         the code is not the grader's user's own: refuse to run
                      it without a sandbox (grade-class and Gradescope do this)
  --list              list the lab's tests and their points
  --sandbox           say which sandbox grading would use here, and exit
                      (with --untrusted: exit 2 where it is not enough)"
}

proc could_not_run {why} {
    puts stderr "grader: $why"
    if {[info exists ::opt(json)] && $::opt(json) ne ""} {
        catch {report::json $::opt(json) 0 "The grader could not run: $why"}
    }
    exit 2
}

array set opt [cli::parse grader $argv {
    lab "" dir "" tests {} verbose 0 json "" out "" sanitize 0 extra {} list 0 jobs 0
    explain 1 reference "" given "" untrusted 0 sandbox 0 early 1
} {
    -t {tests list} -v {verbose on} -j {jobs value} --json {json value} --out {out value}
    --sanitize {sanitize on} --no-early {early off} --no-explain {explain off}
    --reference {reference value} --given {given value} --extra-tests {extra list} --list {list on}
    --untrusted {untrusted on} --sandbox {sandbox on}
} {lab dir} usage]
set opt(extra) [lmap e $opt(extra) {file normalize $e}]
if {$opt(json) ne ""} { set opt(json) [file normalize $opt(json)] }
if {![string is integer -strict $opt(jobs)] || $opt(jobs) < 0} { usage; exit 2 }
if {$opt(jobs) == 0} {
    set opt(jobs) [expr {$opt(verbose) ? 1 : [exec nproc]}]
}
if {$opt(lab) eq ""} { usage; exit 2 }
set lab [string trimleft $opt(lab) lab]
set labfile [file join $root grader lab$lab.exp]
if {![file exists $labfile]} {
    set have [lsort [lmap f [glob -nocomplain -directory [file join $root grader] lab*.exp] {
        string range [file rootname [file tail $f]] 3 end}]]
    could_not_run "there is no lab $opt(lab) (labs: [join $have {, }])"
}
foreach e $opt(extra) {
    if {![file readable $e]} { could_not_run "cannot read extra tests $e" }
}
if {[catch {sandbox::timeout} err]} { could_not_run $err }
if {[catch {load_lab $labfile {*}$opt(extra)} err]} {
    could_not_run "error in the lab's test file: $err"
}
if {$opt(given) ne ""} { set ::lab::givendir [file normalize $opt(given)] }
if {$opt(list)} {
    foreach name $::lab::order {
        puts [format "%-28s %3d  %s" $name [dict get $::lab::tests $name points] \
                  [dict get $::lab::tests $name hint]]
    }
    exit 0
}
foreach t $opt(tests) {
    if {![dict exists $::lab::tests $t]} {
        could_not_run "lab $lab has no test \"$t\" (see grader/grade $lab --list)"
    }
}
set selected [expr {[llength $opt(tests)] ? $opt(tests) : $::lab::order}]

set dir [expr {$opt(dir) eq "" ? [file join $root labs lab$lab] : $opt(dir)}]
if {![file isdirectory $dir]} { could_not_run "no such directory: $dir" }
set dir [file normalize $dir]
set out [expr {$opt(out) eq "" ? [file join $root grade-out lab$lab] : $opt(out)}]
set out [file normalize $out]

set started [clock milliseconds]
# The sandbox first: the student's code is compiled inside it too
if {[catch {sandbox::probe} mode]} { could_not_run $mode }
if {$opt(untrusted) && ![sandbox::safe]} {
    could_not_run "no sandbox here for untrusted code: $mode. Install bubblewrap and allow user namespaces (or grade as root), or pass --allow-unsandboxed to grade-class (or package.sh, for Gradescope) to grade anyway"
}
if {$opt(sandbox)} { puts "sandbox: $mode"; exit 0 }

# OUT is one grade's at a time: a second grade into the same folder (a
# student's other terminal) waits for the first, and grades into other
# folders go on side by side. The lock is flock(1)'s on OUT/.lock, taken on
# this process's own open file, so the kernel lets it go when the grader
# ends, however it ends. OUT and its lock are made, never reached through a
# name someone else chose: a symbolic link (or a file) in their place is
# refused, not followed.
proc lock_out {out lab} {
    set shown [report::shown_path $out]
    set kinds {link {symbolic link} characterSpecial device blockSpecial device}
    if {![catch {file lstat $out st}] && $st(type) ne "directory"} {
        could_not_run "$shown is a [string map $kinds $st(type)], not a folder: remove it, or choose another --out"
    }
    if {[catch {file mkdir $out} err]} { could_not_run "cannot make $shown: $err" }
    set lockfile [file join $out .lock]
    if {[catch {open $lockfile {RDWR CREAT EXCL}} lock]} {
        # there already: a grade's lock is a plain file
        set shownlock [report::shown_path $lockfile]
        if {[catch {file lstat $lockfile st} err]} {
            could_not_run "cannot make the lock $shownlock: $lock"
        } elseif {$st(type) ne "file"} {
            could_not_run "$shownlock is a [string map $kinds $st(type)], not a grade's lock: remove it"
        } elseif {[catch {open $lockfile RDWR} lock]} {
            could_not_run "cannot open the lock $shownlock: $lock"
        }
    }
    if {[catch {exec flock -n 0 <@ $lock}]} {
        # (the holder writes its pid there once it has the lock)
        set holder [string trim [read $lock 32]]
        set who [expr {[string is integer -strict $holder] ? " (pid $holder)" : ""}]
        puts stderr "waiting for another grade of lab $lab in $shown$who"
        if {[catch {exec flock 0 <@ $lock} err]} { could_not_run "cannot lock $shown: $err" }
    }
    seek $lock 0
    chan truncate $lock 0
    puts $lock [pid]
    flush $lock
    return $lock
}
set outlock [lock_out $out $lab]
set started [clock milliseconds] ;# (the wait is not the grading's time)
if {[catch {sandbox::set_limits $opt(sanitize)} limits_line]} { could_not_run $limits_line }
append mode "; $limits_line"

# OUT is the grader's alone; what the sandbox must see (the programs, the
# tests' folders) is in STAGE: OUT itself where namespaces bind it in, a
# folder of /tmp that a throwaway uid may enter (but not list) otherwise.
# What an earlier grade left in OUT goes, but for the lock (a third grade
# may be waiting on it).
foreach f [glob -nocomplain -tails -directory $out * .*] {
    if {$f in {. .. .lock}} continue
    if {[catch {file delete -force [file join $out $f]} err]} {
        could_not_run "cannot clear [report::shown_path $out] of an earlier grade: $err"
    }
}
file attributes $out -permissions 0700
set stage $out
if {[sandbox::mode] eq "uid"} {
    set stage [exec mktemp -d /tmp/grader-stage.XXXXXX]
    file attributes $stage -permissions 0711
}
proc remove_stage {} {
    if {$::stage ne $::out} { catch {file delete -force $::stage} }
}
foreach d {logs results private} { file mkdir [file join $out $d] }
foreach d {build helpers tests} {
    file mkdir [file join $stage $d]
    file attributes [file join $stage $d] -permissions [expr {$d eq "tests" ? "0711" : "0755"}]
}
set helperdir [file join $stage helpers]
set sandbox::helperdir $helperdir
if {[catch {build::helper $libdir $helperdir [file join $root grade-out .cache]} qtool]} {
    remove_stage
    could_not_run "could not build the grader's helpers: $qtool"
}
if {[catch {build::tclsys $libdir [file join $out private] [file join $root grade-out .cache]} tclsys]} {
    remove_stage
    could_not_run "could not build the test server's extension (grader/lib/tclsys.c): $tclsys"
}
# (in bwrap mode only: the other modes cannot put it in the library's place)
if {[sandbox::mode] eq "bwrap" && [catch {build::symbols [file join $root grade-out .cache]} sandbox::symbols]} {
    set sandbox::symbols ""
}

# Build the submission, as the compiler's throwaway uid
set bindir [file join $stage build]
if {[catch {build::copy $dir $bindir} missing]} {
    remove_stage
    could_not_run $missing
}
sandbox::give $bindir
build::compile $bindir $opt(sanitize)
sandbox::take $bindir
set blog [open [file join $out build.log] w]
puts $blog [build::all_output]
close $blog

set timeout [sandbox::timeout]
# A test's interpreter may take this long in all (GRADER_WALL: seconds, for
# the suite's check of this bound)
set wall [expr {max(60, 30 * $timeout)}]
if {[info exists env(GRADER_WALL)]} {
    if {![string is integer -strict $env(GRADER_WALL)] || $env(GRADER_WALL) < 1} {
        remove_stage
        could_not_run "GRADER_WALL: \"$env(GRADER_WALL)\" is not a whole number of seconds"
    }
    set wall $env(GRADER_WALL)
}
# a hang is called as soon as the kernel shows it (hang.tcl), unless asked not to
if {[info exists env(GRADER_EARLY)] && $env(GRADER_EARLY) eq "0"} { set opt(early) 0 }
set config [config::make {*}[sandbox::config $mode] bindir $bindir qtool $qtool \
             datadir [file join $root data] testsdir [file join $stage tests] \
             logdir [file join $out logs] resultdir [file join $out results] \
             privroot [file join $out private] buildlog [file join $out build.log] \
             labfiles [list $labfile {*}$opt(extra)] timeout $timeout trace 0 swap {} tclsys $tclsys \
             verbose $opt(verbose) sanitize $opt(sanitize) early $opt(early)]
set cfgfile [file join $out config]
config::write $cfgfile $config

set shown_dir [visible_controls [report::shown_path $dir]]
puts "Grading lab $lab in $shown_dir"
puts "  sandbox: $mode; checker: [expr {$opt(sanitize) ? {AddressSanitizer+UBSan} : {valgrind}}]"
puts "  machine: [sandbox::fingerprint [file join $root grade-out .cache]]"
if {[llength $missing]} {
    puts "  missing from the submission: [join [lmap f $missing {
        expr {[dict exists $::build::refused $f] ? "$f ([dict get $::build::refused $f])" : $f}}] {, }]"
}
if {[llength $::build::changed]} {
    puts "  graded with the lab's own [join $::build::changed {, }] (the lab gives [expr {[llength $::build::changed] > 1 ? "them" : "it"}] complete; the submission's copy differs)"
}
dict for {prog st} $::build::status {
    if {$st ne "ok"} { puts "  $prog did not compile (see below)" }
}
flush stdout

# Run the tests, up to $jobs at a time (each in its own sandbox), and print
# their verdicts in the lab's order as soon as each one and all before it are done.
proc result_of {name resultdir stopped chatter} {
    global wall timeout
    set res [result::read $resultdir $name]
    if {$res ne ""} {
        return [list [dict get $res status] [dict get $res message] run [dict get $res programs]]
    }
    if {$stopped} {
        set message "the test was stopped at the grader's limit of $wall s: each of its waits for your programs ends after $timeout s, so the test itself was stuck, which is the grader's fault or a program's that hides from it; the transcript shows the last step it reached (please report it)"
    } else {
        set message "the test's interpreter died before reporting a result (please report it)"
    }
    if {[llength $chatter]} { append message "\n[join [lrange $chatter end-5 end] \n]" }
    return [list fail $message]
}

# The tests run in processes that the test server (testserver.tcl) forks
# from an interpreter that has loaded the library and the lab once. It is
# started with the first test, and again if it ends (its running tests end
# with it, and fail for want of a result).
set server ""
set server_chatter {}
proc server_start {} {
    global server libdir cfgfile
    set server [open |[list expect [file join $libdir testserver.tcl] $cfgfile 2>@1] r+]
    fconfigure $server -blocking 0 -buffering line
    fileevent $server readable [list server_line $server]
}

# A line from the server: "ID out LINE" or "ID done".
proc server_line {chan} {
    global server running opt
    if {[gets $chan l] < 0} {
        if {![eof $chan]} { return }
        catch {close $chan}
        if {$server eq $chan} { set server "" }
        dict for {id r} $running {
            if {[dict get $r server] eq $chan} {
                dict lappend running $id chatter {*}[lrange $::server_chatter end-5 end] \
                    "(the test server ended)"
                test_ended $id
            }
        }
        return
    }
    if {![regexp {^(\d+) (out|done) ?(.*)$} $l - id what rest]} {
        # (the server's own words: why it could not go on)
        lappend ::server_chatter $l
        return
    }
    if {![dict exists $running $id]} { return }
    switch -- $what {
        out {
            if {$opt(verbose)} {
                puts "    \[[dict get $running $id name]\] $rest"
                flush stdout
            } else {
                dict lappend running $id chatter $rest
            }
        }
        done { test_ended $id }
    }
}

# Start test NAME with the settings in CFGFILE, in a sandbox of its own (a
# throwaway uid, cgroups); THEN is called with its result once it has
# ended. Returns the run's id.
proc start_test {cfgfile name then} {
    global running server wall
    set uid [expr {[sandbox::root] && [sandbox::mode] in {bwrap uid} ? [sandbox::throwaway_uid] : ""}]
    set id [incr ::launched]
    set cgroups [sandbox::cgroup_create "[pid]-$id"]
    if {$server eq ""} { server_start }
    dict set running $id [dict create name $name stopped 0 chatter {} cgroups $cgroups \
        uid $uid server $server then $then resultdir [config_value $cfgfile resultdir] \
        timer [after [expr {$wall * 1000}] [list wall_reached $id]]]
    if {[catch {server_send run $id $cfgfile $name $uid $cgroups} err]} {
        dict lappend running $id chatter "could not reach the test server: $err"
        after 0 [list test_ended $id]
    }
    return $id
}

# A command to the server: a list in base64, one line whatever it holds.
proc server_send {args} {
    global server
    puts $server [binary encode base64 $args]
    flush $server
}

proc config_value {cfgfile key} {
    set f [open $cfgfile]
    set v [dict get [read $f] $key]
    close $f
    return $v
}

# The wall-clock bound of a test: its process group goes, and with it the
# test's namespaces and everything in them.
proc wall_reached {id} {
    global running server
    if {![dict exists $running $id]} { return }
    if {[dict get $running $id server] eq $server} { catch {server_send kill $id} }
    dict set running $id stopped 1
    test_ended $id
}

# After a test's process is gone (ended, or stopped at the wall clock's
# bound): its cgroups go and, without namespaces, whatever its uid left;
# then its result goes to whoever started it.
proc test_ended {id} {
    global running
    if {![dict exists $running $id]} { return }
    set r [dict get $running $id]
    dict unset running $id
    after cancel [dict get $r timer]
    sandbox::cgroup_remove [dict get $r cgroups]
    if {[sandbox::mode] eq "uid" && [dict get $r uid] ne ""} {
        sandbox::sweep [file join $::helperdir confine] [dict get $r uid] $::stage
    }
    {*}[dict get $r then] [dict get $r name] [result_of [dict get $r name] [dict get $r resultdir] \
        [dict get $r stopped] [dict get $r chatter]]
}

# Run test NAME with the settings in CFGFILE and wait for it; returns its result.
proc run_test {cfgfile name} {
    set token [incr ::waits]
    start_test $cfgfile $name [list ran $token]
    vwait ::ran($token)
    set result $::ran($token)
    unset ::ran($token)
    return $result
}
proc ran {token name result} { set ::ran($token) $result }

proc launch {name} { start_test $::cfgfile $name verdict }
proc verdict {name result} {
    dict set ::done $name $result
    set ::wake 1
}

proc record {name status message {kind run} {programs {}}} {
    global lab shown_dir out opt
    set t [dict get $::lab::tests $name]
    set log [expr {$kind eq "build" ? "" : [file join $out logs $name.log]}]
    if {$status ne "pass" && $kind eq "run" && $opt(explain)} {
        if {[catch {rerun::explain $name $message $programs} more]} {
            set more "\n  (the grader could not explain this failure further: $more)"
        }
        append message $more
    }
    set reproduce "grader/grade $lab $shown_dir -t $name -v"
    set r [report::add $name [dict get $t points] $status $message [dict get $t hint] $log]
    puts [report::line $r $reproduce]
    flush stdout
}

# Without namespaces, tests share the machine's queues: one at a time
set jobs [expr {[sandbox::mode] eq "bwrap" ? $opt(jobs) : 1}]
# ... and not only this grade's: a class's other graders (grade-class -j)
# share them too, and a lab's queues are open to every uid (0666), so one
# submission's programs could take a classmate's messages. As root without
# namespaces, the tests of one grade at a time on this machine: a lock in
# /run that only root may open (else in the grader's cache, for the graders
# of this copy), held (flock) until this grader ends.
if {[sandbox::mode] eq "uid"} {
    foreach machine_lock [list /run/msgq-grader-uid.lock [file join $root grade-out .cache uid.lock]] {
        if {![catch {open $machine_lock {RDWR CREAT}} uidlock]} break
    }
    if {[catch {file attributes $machine_lock -permissions 0600} err]} {
        remove_stage
        could_not_run "cannot open the lock $machine_lock: $err"
    }
    if {[catch {exec flock -n 0 <@ $uidlock}]} {
        puts stderr "waiting for another grade on this machine to finish its tests (without namespaces, tests share the machine's queues)"
        if {[catch {exec flock 0 <@ $uidlock} err]} { remove_stage; could_not_run "cannot lock $machine_lock: $err" }
    }
}
set running [dict create]
set done [dict create]
set pending $selected
set next 0
while {$next < [llength $selected]} {
    # Start what may start
    while {[llength $pending] && [dict size $running] < $jobs} {
        set pending [lassign $pending name]
        set broken {}
        foreach p [dict get $::lab::tests $name needs] {
            if {![build::ok $p]} { lappend broken $p }
        }
        if {[llength $broken]} {
            set msg ""
            foreach p $broken {
                set lines [split [build::output $p] \n]
                set more [expr {[llength $lines] > 15 ? "\n  ..." : ""}]
                append msg "$p did not build:\n  [join [lrange $lines 0 14] "\n  "]$more\n"
            }
            dict set done $name [list fail [string trimright $msg] build]
        } else {
            launch $name
        }
    }
    # Print, in order, every verdict that is ready
    while {$next < [llength $selected] && [dict exists $done [lindex $selected $next]]} {
        set name [lindex $selected $next]
        record $name {*}[dict get $done $name]
        incr next
    }
    if {$next < [llength $selected] && [dict size $running]} { vwait ::wake }
}

# (the server ends once it has reaped every test's process)
if {$server ne ""} {
    fconfigure $server -blocking 1 ;# (else close would not wait for it)
    catch {close $server}
}
remove_stage
lassign [report::totals] got max failed
set elapsed [expr {([clock milliseconds] - $started) / 1000.0}]
puts [format "Score: %d/%d" $got $max]
if {$failed} {
    puts "  $failed test(s) failed; transcripts in [report::shown_path [file join $out logs]]"
}
if {$opt(json) ne ""} {
    report::json $opt(json) $elapsed "Lab $lab: $got/$max. Sandbox: $mode."
}
exit [expr {$failed ? 1 : 0}]

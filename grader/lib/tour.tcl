# tour.tcl: a guided tour of a lab: its scenario run step by step, showing
# after each step the command, its output, what the kernel holds, and what
# to notice.
#
# Usage: grader/tour LAB [DIR] [--all]
#
# Two halves in one file. Outside (started by grader/tour): build DIR's
# sources (default: the reference, solutions/labLAB, or labs/labLAB in a
# student release, which has no solutions/) in a scratch directory,
# then run this file again with --inside CONFIG in the sandbox (the same
# namespaces a test gets, one for the whole tour), and remove the scratch
# directory afterwards. Inside: load the library as runtest.tcl does, then
# grader/tours/labLAB.tour, and run its steps.
#
# A tour file is written like a lab's tests, with the same library (start,
# line, prompt, exits, blocked, queue, ...) and these:
#   tour_intro TEXT          what the tour is about, before the first step
#   step TITLE BODY TEXT ?-ask QUESTION? ?-read SECTIONS?
#                            BODY runs like a test body; then the tour shows
#                            the commands it started with their output, the
#                            kernel's view, and TEXT and QUESTION (subst'ed in
#                            BODY's scope, after the view was read)
#   tour_end TEXT            the last words (subst'ed like TEXT)
#   answer NAME TEXT         reply at a prompt, shown as typed
#   shell NAME CMDLINE       run CMDLINE with sh -c, shown as typed; status 0
#   make_file PATH CONTENT   write a file, and say so in the step's output
#   aside TEXT               a line of the step's output in parentheses
# and, in TEXT, readers of the view just shown (never a claim the kernel
# did not make): qn, qbytes, qcap, msqid, qkey, msgsize, room, types, taken,
# added, lastsnd, lastrcv (System V, by key file); pqn, pqmax, pqsize,
# pqbytes, pqnotify (POSIX, by name);
# state NAME, status NAME; and_list LIST.
#
# Enter goes on, q quits; --all (or input that is not a terminal) runs
# without pausing. Colour and box-drawing characters only on a terminal,
# never with --all, and no colour with NO_COLOR.

set libdir [file dirname [file normalize [info script]]]
set root [file dirname [file dirname $libdir]]

# ---------------------------------------------------------------- outside

proc usage {{to stderr}} {
    puts $to "Usage: grader/tour LAB \[DIR\] \[--all\]
  LAB    the lab number
  DIR    run your own programs from DIR (default: the reference, solutions/labLAB;
         in a student release, which has none, your labs/labLAB)
  --all  run every step without pausing (for reading as a page, or for tests)
Enter goes on to the next step; q (then Enter) quits."
}

proc outside {argv} {
    global libdir root
    foreach lib {registry match cli config kernel sandbox build} { source [file join $libdir $lib.tcl] }
    if {[catch {sandbox::timeout} err]} { puts stderr "tour: $err"; exit 2 }
    set o [cli::parse tour $argv {lab "" dir "" all 0} {--all {all on}} {lab dir} usage]
    dict with o {}
    set lab [string trimleft $lab lab]
    if {$lab eq ""} { usage; exit 2 }
    set tourfile [file join $root grader tours lab$lab.tour]
    set labfile [file join $root grader lab$lab.exp]
    if {![file exists $tourfile] || ![file exists $labfile]} {
        set have [lsort -dictionary [lmap f [glob -nocomplain -directory [file join $root grader tours] lab*.tour] {
            string range [file rootname [file tail $f]] 3 end}]]
        puts stderr "tour: lab $lab has no tour (tours: [join $have {, }])"
        exit 2
    }
    load_lab $labfile
    # By default the reference; a student release has none: the student's own starter
    set shown "your programs in $dir"
    if {$dir eq "" && [file isdirectory [file join $root solutions lab$lab]]} {
        set shown "the reference solution (solutions/lab$lab)"
        set dir [file join $root solutions lab$lab]
    } elseif {$dir eq ""} {
        set shown "your programs in labs/lab$lab"
        set dir [file join $root labs lab$lab]
    }
    if {![file isdirectory $dir]} { puts stderr "tour: no such directory: $dir"; exit 2 }

    set tmp [expr {[info exists ::env(TMPDIR)] && $::env(TMPDIR) ne "" ? $::env(TMPDIR) : "/tmp"}]
    set scratch [exec mktemp -d [file join $tmp tour.XXXXXX]]
    file attributes $scratch -permissions 0711
    set status [catch {
        # the same sandbox as a test's: the programs are built and run in it
        set mode [sandbox::probe]
        append mode "; [sandbox::set_limits 0]"
        set tools [file join $scratch tools]
        file mkdir $tools
        file attributes $tools -permissions 0755
        set sandbox::helperdir $tools
        set qtool [build::helper $libdir $tools [file join $root grade-out .cache]]
        set tclsys [build::tclsys $libdir $tools [file join $root grade-out .cache]]
        set work [file join $scratch lab$lab]
        set missing [build::copy [file normalize $dir] $work]
        sandbox::give $work
        build::compile $work 0
        sandbox::take $work
        set broken [lmap p [dict keys $::lab::programs] {expr {[build::ok $p] ? [continue] : $p}}]
        if {[llength $missing] || [llength $broken]} {
            set msg "tour: the tour runs every program of lab $lab, and some are missing or did not build:"
            if {[llength $missing]} { append msg "\n  missing: [join $missing {, }]" }
            foreach p $broken { append msg "\n  $p:\n    [join [split [build::output $p] \n] "\n    "]" }
            error $msg {} TOUR_CANNOT
        }
        set interactive [expr {!$all && ![catch {exec test -t 0 <@stdin}]}]
        set tty [expr {!$all && ![catch {exec test -t 1 >@stdout}]}]
        set colour [expr {$tty && !([info exists ::env(NO_COLOR)] && $::env(NO_COLOR) ne "")}]
        set unicode [expr {$tty && [encoding system] eq "utf-8"}]
        set width 80
        if {$tty && ![catch {exec stty size <@stdin} size] && [lindex $size 1] >= 60} {
            set width [expr {min(100, [lindex $size 1])}]
        }
        set timeout [sandbox::timeout]
        set cfgfile [file join $scratch config]
        file mkdir [file join $scratch private]
        set runs [file join $scratch run]
        file mkdir $runs
        file attributes $runs -permissions 0711
        set uid [expr {[sandbox::root] && [sandbox::mode] in {bwrap uid} ? [sandbox::throwaway_uid] : ""}]
        # a cgroup as a test gets: the same limits, and the same CPU share
        # (outside one, a busy machine's tests would leave it little)
        set cgroups [sandbox::cgroup_create tour-[pid]]
        config::write $cfgfile [config::make {*}[sandbox::config $mode] bindir $work testsdir $runs \
                     privroot [file join $scratch private] qtool $qtool tclsys $tclsys \
                     datadir [file join $root data] \
                     labfiles [list $labfile] tourfile $tourfile lab $lab shown $shown \
                     uid $uid cgroups $cgroups timeout $timeout trace 0 swap {} verbose 0 sanitize 0 \
                     buildlog /dev/null interactive $interactive colour $colour \
                     unicode $unicode width $width]
        # Paused, the tour waits for a person; unpaused, it has a wall-clock
        # limit like a test (timeout runs it in its own process group, which
        # may not read the terminal, so only then).
        set limit [expr {$interactive ? {} : [list timeout -s KILL [expr {max(120, 40 * $timeout)}]]}]
        exec {*}$limit {*}$::sandbox::prefix expect [file join $libdir tour.tcl] --inside $cfgfile \
            <@stdin >@stdout 2>@stderr
    } err opts]
    if {[info exists cgroups]} { sandbox::cgroup_remove $cgroups }
    file delete -force $scratch
    if {$status} {
        set code [dict get $opts -errorcode]
        if {$code eq "TOUR_CANNOT"} { puts stderr $err; exit 2 }
        if {[lindex $code 0] eq "CHILDSTATUS"} { exit [lindex $code 2] }
        if {[lindex $code 0] eq "CHILDKILLED"} {
            puts stderr "tour: stopped ([lindex $code 2])"
            exit 2
        }
        puts stderr "tour: $err"
        exit 2
    }
    exit 0
}

if {[lindex $argv 0] ne "--inside"} {
    # Ctrl-C, a closed terminal or a kill end the inside half, which cleans
    # up; this half waits for it and then removes the scratch directory.
    trap SIG_IGN {SIGINT SIGTERM SIGHUP}
    outside $argv
}

# ---------------------------------------------------------------- inside

package require Expect
source [file join $libdir config.tcl]
config::load [lindex $argv 1]
load $::cfg(tclsys) Tclsys
source [file join $libdir testlib.tcl]
source [file join $libdir sandbox.tcl]
load_lab {*}$::cfg(labfiles)
set ::cfg(privdir) $::cfg(privroot)
set ::cfg(workdir) [sandbox::test_begin [file join $::cfg(testsdir) tour] $::cfg(uid)]
cd $::cfg(workdir)
# the sources beside the programs, as in a lab folder (a step may read or
# change them, as a student would)
foreach f $::lab::files {
    if {[file exists [file join $::cfg(bindir) $f]]} {
        set in [open [file join $::cfg(bindir) $f] rb]
        files::put $f [read $in]
        close $in
    }
}
log_user 0
fconfigure stdout -translation lf ;# Tcl writes CR LF to a terminal otherwise
match_max -d 65536

namespace eval ::tour {
    variable steps {}     ;# {title body text ask read} for each step
    variable intro ""
    variable ending ""
    variable step 0       ;# the step running, from 1
    variable order {}     ;# the programs started, in order (a restarted one moves last)
    variable began        ;# name -> the step that started it
    variable raw          ;# name -> its output as read so far, with what was typed
    variable shown        ;# name -> how much of raw was shown
    variable ended        ;# name -> its end was shown
    variable cmd          ;# pid -> the command it ran, for "last sent by"
    variable events {}    ;# this step's output, in order: {start NAME} or {aside TEXT}
    variable now {}       ;# the kernel's view just shown: path -> queue dict + msgs
    variable before {}    ;# ... the view shown one step earlier
    variable pnow {}      ;# POSIX queues: name -> dict
    variable pbefore {}
    variable viewed 0     ;# the view of this step was shown
}

# -- what tour files call

proc tour_intro {text} { set ::tour::intro $text }
proc tour_end {text} { set ::tour::ending $text }

proc step {title body text args} {
    set opt [dict merge {-ask "" -read ""} $args]
    lappend ::tour::steps [list $title $body $text [dict get $opt -ask] [dict get $opt -read]]
}

# Every program a step starts is shown with its output: the library tells
# the tour of each start and of every piece of output it reads.
proc tour::started {name} {
    set ::tour::order [lsearch -all -inline -not -exact $::tour::order $name]
    lappend ::tour::order $name
    set ::tour::began($name) $::tour::step
    set ::tour::raw($name) ""
    set ::tour::shown($name) 0
    set ::tour::ended($name) 0
    set ::tour::cmd([procs::target $name]) [set ::P_${name}(shown)]
    lappend ::tour::events [list start $name]
}
procs::observe start tour::started
procs::observe output {apply {{name text} {
    append ::tour::raw($name) [string map {"\r" ""} $text]
}}}

# Shown as on a terminal: the answer after the question, then Enter.
proc answer {name text} {
    reply $name $text
    append ::tour::raw($name) "$text\n"
}

proc shell {name cmdline} {
    start $name sh -c $cmdline
    set ::P_${name}(shown) $cmdline
    exits $name 0
}

proc make_file {path content} {
    write_file $path $content
    set lines [split [string trimright $content \n] \n]
    set what [expr {[llength $lines] == 1 ? "\"[lindex $lines 0]\"" :
                    "[llength $lines] lines, \"[lindex $lines 0]\" to \"[lindex $lines end]\""}]
    aside "the tour wrote $path: $what"
}

proc aside {text} { lappend ::tour::events [list aside $text] }

# -- readers of the view, for the texts

proc tour::q {path field {default 0}} {
    variable now
    if {![dict exists $now $path]} { return $default }
    dict get $now $path $field
}
proc qn {path} { tour::q $path qnum }
proc qbytes {path} { tour::q $path cbytes }
proc qcap {path} { tour::q $path qbytes }
proc msqid {path} { tour::q $path msqid none }
proc qkey {path} { ipc_key $path }
proc msgsize {path} { tour::q $path size 0 }
proc room {path} { tour::q $path room 0 }
proc types {path} { and_list [lsort -integer -unique [lmap m [tour::q $path msgs {}] {lindex $m 0}]] }
proc pqn {name} { tour::pq $name curmsgs }
proc pqmax {name} { tour::pq $name maxmsg }
proc pqsize {name} { tour::pq $name msgsize }
proc pqbytes {name} { tour::pq $name qsize }
proc pqnotify {name} { tour::who [tour::pq $name notify] }
proc tour::pq {name field} {
    variable pnow
    if {![dict exists $pnow $name]} { return 0 }
    dict get $pnow $name $field
}

# The messages ("TYPE TEXT") in the view shown one step earlier but not now
# (taken), or now but not then (added), each in queue order.
proc taken {path} { tour::diff [tour::msgs before $path] [tour::msgs now $path] }
proc added {path} { tour::diff [tour::msgs now $path] [tour::msgs before $path] }
proc tour::msgs {which path} {
    set v [set ::tour::$which]
    if {![dict exists $v $path]} { return {} }
    lmap m [dict get $v $path msgs] {string cat [lindex $m 0] " " [lindex $m 2]}
}
proc tour::diff {from minus} {
    set out {}
    foreach m $from {
        set i [lsearch -exact $minus $m]
        if {$i < 0} { lappend out $m } else { set minus [lreplace $minus $i $i] }
    }
    return $out
}

proc lastsnd {path} { tour::who [tour::q $path lspid] }
proc lastrcv {path} { tour::who [tour::q $path lrpid] }
proc state {name} {
    upvar #0 ::P_$name P
    if {$P(state) ne "running"} { return "has exited" }
    tour::words [procs::target $name]
}
proc status {name} {
    upvar #0 ::P_$name P
    lindex $P(status) 1
}
proc and_list {items} {
    if {[llength $items] < 2} { return [join $items] }
    return "[join [lrange $items 0 end-1] {, }] and [lindex $items end]"
}

# What PID is doing, in words (explain.tcl's), without the queue's summary
# (the view shows it) or a failing test's guesses ("(a loop that does not end?)").
proc tour::words {pid} {
    set w [lindex [explain::describe $pid] 0]
    regsub {^is } $w "" w
    regsub {;.*$} $w "" w
    regsub { \([^()]*\?\)$} $w "" w
    # sigwaitinfo (mqnotify) is a call explain.tcl does not name yet
    if {[string match "asleep in system call * (kernel function do_sigtimedwait*)" $w]} {
        set w "waiting for a signal (sigwaitinfo)"
    }
    return $w
}

# -- the look: colour and boxes only on a terminal

proc tour::paint {style text} {
    if {!$::cfg(colour)} { return $text }
    set codes {bold 1 dim 2 red 31 green 32 yellow 33 blue 34 magenta 35 cyan 36}
    return "\033\[[dict get $codes $style]m$text\033\[0m"
}
proc tour::type_colour {type} {
    lindex {cyan green yellow magenta blue red} [expr {abs($type) % 6}]
}

# Text, whitespace collapsed, wrapped to the width after INDENT (first line after LEAD).
proc tour::wrap {text indent {lead ""}} {
    set width [expr {$::cfg(width) - 1}]
    set lines {}
    set line "$indent$lead"
    set fresh 1
    foreach word [regexp -all -inline {\S+} $text] {
        if {!$fresh && [string length "$line $word"] > $width} {
            lappend lines $line
            set line "$indent[string repeat " " [string length $lead]]$word"
        } else {
            append line [expr {$fresh ? "" : " "}] $word
        }
        set fresh 0
    }
    lappend lines $line
    join $lines \n
}

# One box per message, in queue order, in rows that fit the width.
proc tour::boxes {msgs indent} {
    if {$::cfg(unicode)} {
        lassign {┌ ┬ ┐ │ └ ┴ ┘ ─ …} tl tm tr v bl bm br h more
    } else {
        lassign {+ + + | + + + - ..} tl tm tr v bl bm br h more
    }
    set sizes [lsort -unique [lmap m $msgs {lindex $m 1}]]
    set cells {}
    foreach m $msgs {
        lassign $m type size text
        if {[string length $text] > 12} { set text "[string range $text 0 10]$more" }
        set label "$type $text"
        if {[llength $sizes] > 1} { append label " ($size)" }
        lappend cells [list $label [paint [type_colour $type] $label]]
    }
    set rows {}
    set row {}
    set used [string length $indent]
    foreach c $cells {
        set w [expr {[string length [lindex $c 0]] + 1}]
        if {[llength $row] && $used + $w + 1 > $::cfg(width) - 1} {
            lappend rows $row
            set row {}
            set used [string length $indent]
        }
        lappend row $c
        incr used $w
    }
    if {[llength $row]} { lappend rows $row }
    set out {}
    foreach row $rows {
        set top $indent$tl; set mid $indent$v; set bot $indent$bl
        foreach c $row {
            set bar [string repeat $h [string length [lindex $c 0]]]
            append top $bar $tm; append mid [lindex $c 1] $v; append bot $bar $bm
        }
        lappend out "[string range $top 0 end-1]$tr" $mid "[string range $bot 0 end-1]$br"
    }
    join $out \n
}

# -- the kernel's view

# The System V queues: every one in the tour's IPC namespace (outside one,
# only those named by a file of the tour's directory), by key file.
proc tour::read_queues {} {
    set files [dict create]
    if {[dict exists $::lab::settings proj]} {
        foreach f [lsort [glob -nocomplain -types f *]] {
            if {![catch {ipc::ftok $f [setting proj]} k]} { dict set files [expr {$k}] $f }
        }
    }
    set view [dict create]
    foreach line [split [ipc::queues] \n] {
        if {$line eq ""} continue
        lassign $line key id qnum cbytes
        if {[dict exists $files [expr {$key}]]} {
            set path [dict get $files [expr {$key}]]
            set q [queue $path]
            if {![dict size $q]} continue
            # MSG_COPY needs CONFIG_CHECKPOINT_RESTORE: without it, no boxes
            if {[catch {queue_contents $path} msgs]} { set msgs {} }
        } elseif {$::cfg(isolated)} {
            set path "key $key"
            set q [dict create qnum $qnum cbytes $cbytes qbytes ? lspid ? lrpid ? msqid $id]
            set msgs {}
        } else continue
        set sizes [lsort -unique [lmap m $msgs {lindex $m 1}]]
        set size [expr {[llength $sizes] == 1 ? [lindex $sizes 0] : 0}]
        # Linux counts messages against msg_qbytes too; one message says nothing of a size
        set room [expr {$size && [llength $msgs] > 1 && [string is integer [dict get $q qbytes]] ?
                        min(([dict get $q qbytes] - [dict get $q cbytes]) / $size,
                            [dict get $q qbytes] - [dict get $q qnum]) : 0}]
        dict set view $path [dict merge $q [dict create key $key msgs $msgs size $size room $room]]
    }
    return $view
}

# The POSIX queues, for a lab that uses them (ext-mqueue.tcl): every one in
# the tour's namespace, listed by the mqueue filesystem, which also gives
# the bytes queued and who asked to be notified; without a mount namespace,
# the names the tour used.
proc tour::read_posix {} {
    if {![llength [info procs ::posixq::mount]]} { return {} }
    set dir [posixq::mount]
    set names [expr {$dir eq "" ? $::posixq::names :
                     [lmap f [lsort [glob -nocomplain -directory $dir *]] {string cat / [file tail $f]}]}]
    set view [dict create]
    foreach name $names {
        set q [posixq $name]
        if {![dict size $q]} continue
        dict set q qsize ?
        dict set q notify ?
        if {$dir ne "" && ![catch {open [file join $dir [string trimleft $name /]]} f]} {
            set text [read $f]
            close $f
            regexp {QSIZE:(\d+)} $text - qsize
            regexp {NOTIFY_PID:(\d+)} $text - notify
            dict set q qsize $qsize
            dict set q notify $notify
        }
        dict set view $name $q
    }
    return $view
}

# A POSIX queue cannot be read without taking its messages out, so its
# picture is its slots: one box per message it may hold, filled or not.
proc tour::slots {used max indent} {
    set shown [expr {min($max, 40)}]
    set out $indent
    for {set i 0} {$i < $shown} {incr i} { append out [expr {$i < $used ? "\[#\]" : "\[ \]"}] }
    if {$max > $shown} { append out " ... [expr {$max - $shown}] more" }
    return $out
}

proc tour::who {pid} {
    variable cmd
    if {$pid eq "0"} { return "nobody yet" }
    if {$pid eq "?"} { return "unknown here (no mqueue filesystem to read it from)" }
    if {[info exists cmd($pid)]} { return "pid $pid ($cmd($pid))" }
    return "pid $pid"
}

proc tour::show_view {} {
    variable now
    variable before
    variable pnow
    variable pbefore
    set before $now
    set now [read_queues]
    set pbefore $pnow
    set pnow [read_posix]
    set asleep_in_send {}
    foreach name $::tour::order {
        upvar #0 ::P_$name P
        if {$P(state) ne "running"} continue
        set sc [kernel::readproc [procs::target $name] syscall]
        if {[lindex $sc 0] eq [syscall_number msgsnd]} { lappend asleep_in_send [expr {[lindex $sc 1]}] }
    }
    puts [paint bold "The kernel's view"]
    dict for {path q} $now {
        set name [expr {[string match "key *" $path] ? $path : "for $path"}]
        puts "  queue $name: key [dict get $q key], msqid [dict get $q msqid]"
        set qnum [dict get $q qnum]; set cbytes [dict get $q cbytes]; set cap [dict get $q qbytes]
        set line "    $qnum message[expr {$qnum == 1 ? "" : "s"}], $cbytes of $cap bytes"
        if {$qnum == 0} {
            append line ": empty"
        } elseif {($cap ne "?" && ($cbytes >= $cap || $qnum >= $cap)) || [dict get $q msqid] in $asleep_in_send} {
            append line ": " [paint red FULL] " (no room for another message[expr {[dict get $q size] ? " of [dict get $q size] bytes" : ""}])"
        } elseif {[dict get $q room]} {
            append line " (room for [dict get $q room] more of [dict get $q size] bytes)"
        }
        puts $line
        if {[dict get $q lspid] ne "?"} {
            puts "    last sent by:     [who [dict get $q lspid]]"
            puts "    last received by: [who [dict get $q lrpid]]"
        }
        if {[llength [dict get $q msgs]]} {
            puts "    oldest first:"
            puts [boxes [dict get $q msgs] "    "]
        }
    }
    dict for {path q} $before {
        if {![dict exists $now $path]} {
            puts "  queue [expr {[string match "key *" $path] ? $path : "for $path"}]: [paint red removed] (msqid [dict get $q msqid] is gone, with what it held)"
        }
    }
    dict for {name q} $pnow {
        set n [dict get $q curmsgs]; set max [dict get $q maxmsg]
        set line "  POSIX queue $name: $n message[expr {$n == 1 ? "" : "s"}] of at most $max"
        if {$n >= $max} { append line ": " [paint red FULL] } elseif {$n == 0} { append line ": empty" }
        puts $line
        puts "    each message up to [dict get $q msgsize] bytes[expr {[dict get $q qsize] ne "?" ? "; [dict get $q qsize] bytes queued (QSIZE)" : ""}]"
        if {[dict get $q notify] ni {? 0}} {
            puts "    registered for mq_notify: [who [dict get $q notify]]"
        }
        puts "[slots $n $max "    "]   (its messages cannot be read without receiving them)"
    }
    dict for {name q} $pbefore {
        if {![dict exists $pnow $name]} { puts "  POSIX queue $name: [paint red unlinked]" }
    }
    if {![dict size $now] && ![dict size $before] && ![dict size $pnow] && ![dict size $pbefore]} {
        puts "  no queues"
    }
    set live {}
    foreach name $::tour::order {
        upvar #0 ::P_$name P
        if {$P(state) ne "running"} continue
        set pid [procs::target $name]
        set words [words $pid]
        if {[string match "has exited*" $words]} continue
        set style [expr {[string match "asleep*" $words] || [string match "waiting*" $words] ? "yellow" : "green"}]
        lappend live "    pid $pid: $P(shown)\n[paint $style [wrap $words "      "]]"
    }
    puts [expr {[llength $live] ? "  processes:\n[join $live \n]" : "  processes: none of the tour's programs is running"}]
}

# -- a step's output

proc tour::show_output {} {
    variable events
    foreach e $events {
        lassign $e kind what
        if {$kind eq "aside"} { puts [paint dim "($what)"]; continue }
        show_program $what 1
    }
    foreach name $::tour::order {
        if {$::tour::began($name) < $::tour::step} { show_program $name 0 }
    }
    set events {}
}

proc tour::show_program {name fresh} {
    variable raw
    variable shown
    variable ended
    upvar #0 ::P_$name P
    catch {procs::drain $name}
    set new [string range $raw($name) $shown($name) end]
    set finished [expr {$P(state) ne "running" && !$ended($name)}]
    if {!$fresh && $new eq "" && !$finished} return
    if {$fresh} {
        puts [paint bold "\$ $P(shown)"]
    } else {
        puts [paint dim "($P(shown), from step $::tour::began($name), goes on:)"]
    }
    if {$new ne ""} { puts [string trimright $new \n] }
    # A line without its newline yet (a question) is shown again when it grows.
    set shown($name) [expr {[string index $new end] eq "\n" || $finished ? [string length $raw($name)] :
                            [string last \n $raw($name)] + 1}]
    if {$finished} {
        set ended($name) 1
        lassign $P(status) how value
        switch -- $P(state) {
            exited { puts [paint dim [expr {$how eq "signal" ? "(killed by $value)" : "(exit status $value)"}]] }
            default { puts [paint dim "(stopped by the tour)"] }
        }
    }
}

proc tour::show {} {
    variable viewed
    if {$viewed} return
    set viewed 1
    show_output
    puts ""
    show_view
}

# -- running the tour

proc tour::rule {text} {
    set bar [string repeat [expr {$::cfg(unicode) ? "─" : "-"}] [expr {max(4, $::cfg(width) - 8 - [string length $text])}]]
    puts "\n[paint bold "$text "][paint dim $bar]"
}

proc tour::quit {status} {
    if {$status == 130} { catch {puts "\nThe tour stopped; everything it started is gone."} }
    catch kill_all
    if {!$::cfg(isolated)} {
        # Without namespaces: every queue under a key of this directory's files
        # goes, even one made by a step that was interrupted before its view.
        foreach f [glob -nocomplain -types f -directory $::cfg(workdir) *] { catch {ipc_key $f} }
        catch ipc::cleanup
    }
    exit $status
}

# Enter goes on; q quits; end of input goes on without pausing. The line is
# read from the event loop, where a Ctrl-C's handler can run (a blocking
# gets would hold it back until Enter).
proc tour::pause {} {
    if {!$::cfg(interactive)} return
    puts -nonewline [paint dim "\[Enter: next step, q: quit\] "]
    flush stdout
    fconfigure stdin -blocking 0
    fileevent stdin readable {
        if {[gets stdin ::tour::typed] >= 0 || [eof stdin]} { set ::tour::woke 1 }
    }
    set ::tour::typed ""
    vwait ::tour::woke
    fileevent stdin readable {}
    if {[eof stdin]} {
        set ::cfg(interactive) 0
        puts ""
    } elseif {[string match -nocase q* [string trim $::tour::typed]]} {
        puts "The tour stopped; everything it started is gone."
        quit 0
    }
}

proc tour::run {} {
    variable steps
    set n [llength $steps]
    puts [paint bold "Lab $::cfg(lab): a guided tour"]
    if {$::cfg(isolated)} {
        set where "in a private sandbox: it sees none of your queues, and nothing it starts outlives it"
    } else {
        set where "without a sandbox, with key files of its own, and removes its queues when it ends"
    }
    puts [wrap "It runs $::cfg(shown), built in a scratch directory, $where. Sandbox: $::cfg(sandbox)." ""]
    if {$::tour::intro ne ""} { puts "\n[wrap $::tour::intro {}]" }
    pause
    foreach s $steps {
        lassign $s title body text ask read
        incr ::tour::step
        set ::tour::viewed 0
        rule "Step $::tour::step of $n: $title"
        set script "$body\n::tour::show\nlist \[[list subst $text]\] \[[list subst $ask]\]"
        if {[catch {apply [list {} $script]} said opts]} {
            catch show
            puts ""
            if {[dict get $opts -errorcode] eq "GRADER_FAIL"} {
                puts [paint red "The tour stops here: the programs did not do what this step needs."]
                puts "  $said"
                puts [wrap "With the reference (grader/tour $::cfg(lab)) this step works; grader/grade $::cfg(lab) shows which tests your programs fail." "  "]
                quit 1
            }
            puts "tour: error in the tour file, step $::tour::step: $said\n[dict get $opts -errorinfo]"
            quit 2
        }
        lassign $said text ask
        puts ""
        puts [wrap $text "  "]
        if {$ask ne ""} {
            set think [wrap $ask "  " "Think: "]
            puts "  [paint bold Think:][string range $think 8 end]"
        }
        if {$read ne ""} { puts "  [paint bold Read:] handout $read (handouts/lab$::cfg(lab).md)" }
        if {$::tour::step < $n} { pause }
    }
    set ending [subst $::tour::ending]
    rule "End of the tour"
    if {$ending ne ""} { puts [wrap $ending "  "] }
    quit 0
}

trap {tour::quit 130} {SIGINT SIGTERM SIGHUP}
source $::cfg(tourfile)
if {[catch tour::run err]} {
    # A reader that went away (grader/tour 1 --all | head) ends the tour quietly.
    if {![string match "*broken pipe*" $err]} { catch {puts stderr "tour: $err"} }
    tour::quit 2
}

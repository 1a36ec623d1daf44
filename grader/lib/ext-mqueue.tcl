# ext-mqueue.tcl: the kernel's view of a test's POSIX message queues, read
# with the grader's own helper (grader/helpers/mqtool.c, compiled once per
# grader run on first use), never from the submission's output.
#
#   posixq_name BASE                 the name a test should use: /BASE, made
#                                    unique per test when tests share a namespace
#   posixq NAME                      dict flags maxmsg msgsize curmsgs, or {} if none
#   make_posixq NAME MAXMSG MSGSIZE  create the queue (it must not exist)
#   posixq_send NAME {PRIO TEXT ...} send each message (the queue must have room)
#   posixq_receive NAME              one message as "PRIO TEXT", or {} if empty
#   posixq_drain NAME                every message, as a list of "PRIO TEXT"
#   expect_posixq NAME CURMSGS ?MAXMSG MSGSIZE?   it must exist and hold that
#   expect_no_posixq NAME            it must not exist
#   posixq_notify_pid NAME           the pid registered with mq_notify on NAME
#                                    (0: none), read from the mqueue filesystem
#                                    mounted in the test's private mount
#                                    namespace; {} when that cannot be done
#
# POSIX queue names live in the IPC namespace, so each test's namespace
# isolates them. Without namespaces (fallback mode), the test's cleanup also
# unlinks every queue a test named through these procs.

namespace eval ::posixq {
    variable source [file join [file dirname [file dirname [file normalize [info script]]]] \
                         helpers mqtool.c]
    variable names {} ;# every queue this test looked at, for fallback cleanup
    variable mounted "" ;# where this test mounted the mqueue filesystem, once
}

proc posixq::tool {args} {
    variable source
    set bin [file join $::cfg(helperdir) mqtool]
    if {![file executable $bin]} {
        # normally built by the driver; a unique name if a test must build it
        set tmp $bin.[pid].[clock microseconds]
        if {[catch {exec cc -std=c11 -O1 -o $tmp $source 2>@1} err]} {
            error "could not build the grader's helper mqtool: $err"
        }
        file rename -force $tmp $bin
    }
    # as the test's programs run (the sandbox's uid): a queue the grader
    # prepares must be one they may use and unlink
    string trimright [sandbox::inside [list $bin {*}$args]] \n
}

# Run the helper; return {status output} with status 0, 1 (absent or empty), or raise.
proc posixq::run {args} {
    if {[catch {posixq::tool {*}$args} out opts]} {
        set code [dict get $opts -errorcode]
        if {[lindex $code 0] eq "CHILDSTATUS" && [lindex $code 2] == 1} {
            return [list 1 ""]
        }
        error "mqtool $args: $out"
    }
    return [list 0 $out]
}

proc posixq::seen {name} {
    variable names
    if {$name ni $names} { lappend names $name }
}

proc posixq_name {base} {
    set name /$base
    if {!$::cfg(isolated)} { append name -[pid] }
    posixq::seen $name
    return $name
}

proc posixq {name} {
    posixq::seen $name
    lassign [posixq::run stat $name] st out
    if {$st} { return {} }
    lassign $out flags maxmsg msgsize curmsgs
    dict create flags $flags maxmsg $maxmsg msgsize $msgsize curmsgs $curmsgs
}

proc make_posixq {name maxmsg msgsize} {
    posixq::seen $name
    posixq::tool create $name $maxmsg $msgsize
    note "(grader: created the POSIX queue $name with maxmsg = $maxmsg, msgsize = $msgsize)"
}

proc posixq_send {name messages} {
    posixq::seen $name
    posixq::tool send $name {*}$messages
    note "(grader: sent to $name: [join [lmap {p t} $messages {string cat $p " " $t}] {, }])"
}

proc posixq_receive {name} {
    lassign [posixq::run receive $name] st out
    note "(grader: received from $name: [expr {$st ? {nothing, it is empty} : $out}])"
    return $out
}

proc posixq_drain {name} {
    lassign [posixq::run drain $name] st out
    set got [expr {$out eq "" ? {} : [split $out \n]}]
    note "(grader: emptied $name: [llength $got] message(s))"
    return $got
}

proc expect_posixq {name curmsgs {maxmsg {}} {msgsize {}}} {
    set q [posixq $name]
    if {![dict size $q]} {
        fail "the POSIX queue $name does not exist; it should hold $curmsgs message(s)"
    }
    note "(kernel: $name holds [dict get $q curmsgs] message(s); maxmsg [dict get $q maxmsg], msgsize [dict get $q msgsize])"
    foreach {field want} [list curmsgs $curmsgs maxmsg $maxmsg msgsize $msgsize] {
        if {$want ne "" && [dict get $q $field] != $want} {
            fail "the POSIX queue $name has $field = [dict get $q $field]; expected $want"
        }
    }
}

proc expect_no_posixq {name} {
    set q [posixq $name]
    if {[dict size $q]} {
        fail "the POSIX queue $name still exists with [dict get $q curmsgs] message(s); it should have been unlinked"
    }
    note "(kernel: no POSIX queue $name)"
}

# Mount the mqueue filesystem, only inside a private mount namespace; returns
# the mount point, or {} when that is not possible.
proc posixq::mount {} {
    variable mounted
    if {$mounted ne ""} { return $mounted }
    if {$::cfg(sandbox_mode) ne "bwrap"} { return "" }
    # in the grader's own folder, which no program of the test can change
    set dir [file join $::cfg(privdir) mqueue]
    file mkdir $dir
    if {[catch {exec mount -t mqueue none $dir 2>@1} err]} {
        note "(grader: could not mount the mqueue filesystem: $err)"
        return ""
    }
    set mounted $dir
}

proc posixq_notify_pid {name} {
    set dir [posixq::mount]
    if {$dir eq ""} { return "" }
    set path [file join $dir [string trimleft $name /]]
    if {[catch {open $path} f]} { return "" }
    set s [read $f]
    close $f
    if {![regexp {NOTIFY_PID:\s*(\d+)} $s - pid]} { return "" }
    note "(kernel: $name: [string trim [regsub -all {\s+} $s { }]])"
    # (the grader's view of the pid; the programs' own is what pid_of gives)
    return [kernel::inner_pid $pid]
}

# Fallback mode only: unlink the queues this test named.
proc posixq::cleanup {} {
    foreach name $::posixq::names {
        catch {posixq::tool unlink $name}
    }
}
ipc::on_cleanup posixq::cleanup

# ipc.tcl: the kernel's view of a test's System V queues, read with the
# grader's own helper (qtool), never from the student's output.
#
#   ipc_key PATH              the key ftok(PATH, proj) gives, as 0x%x
#   queue PATH                dict qnum cbytes qbytes lspid lrpid msqid uid cuid, or {}
#   queue_contents PATH       its messages in queue order, unchanged: {TYPE SIZE TEXT}...
#   make_queue PATH QBYTES    create the queue with a capacity of QBYTES
#   queue_send PATH TYPE BYTES   put a message of the grader's making in it:
#                             TYPE, with the binary string BYTES as its mtext
#   expect_queue PATH QNUM ?CBYTES?   it must exist and hold exactly that
#   expect_no_queue PATH      it must not exist
#   queue_reaches PATH QNUM   wait (bounded) until it holds QNUM messages
#   take_message PATH TYPE    remove the first message msgrcv(TYPE) would give, as
#                             a receiver that crashed with it would: {TYPE SIZE TEXT},
#                             or {} when there is none
#   make_semaphore PATH PROJ  create a set of one semaphore under ftok(PATH, PROJ)
#                             (PROJ given: a lab's semaphores need not use `proj`)
#   semaphore PATH PROJ       the id of the set under ftok(PATH, PROJ), or ""
#
# PATH is relative to the test's directory; proj is the lab's `proj` setting.

namespace eval ::ipc {
    variable keys {}     ;# every key this test looked at, for fallback cleanup
    variable cleanups {} ;# scripts the extensions registered for fallback cleanup
}

# Whether the test has IPC namespaces of its own (the bwrap sandbox): only
# then is every queue it sees one its programs made.
proc sandbox_isolated {} { expr {$::cfg(isolated)} }

# (a word that exec would take for a redirection or a pipe, such as a file
# named ">link" in the test's folder, where "link" leads to a file of
# root's, is a relative path: "./>link")
proc ipc::qtool {args} {
    exec $::cfg(qtool) {*}[lmap a $args {expr {[regexp {^(?:[<>|&]|2>)} $a] ? "./$a" : $a}}]
}

# ftok(PATH, PROJ) as 0x%x: glibc's formula on the file's own inode (lstat,
# as qtool's key_of: a link the student planted is refused, not followed).
# In Tcl, not qtool: the tests ask for keys about 75 times a lab-1 grade,
# and each exec of a helper forks the test's interpreter.
proc ipc::ftok {path proj} {
    file lstat $path st
    if {$st(type) eq "link"} { error "ftok: $path is a symbolic link" }
    format 0x%x [expr {($st(ino) & 0xffff) | (($st(dev) & 0xff) << 16) | (($proj & 0xff) << 24)}]
}

# Every System V queue this test's interpreter can see (its IPC namespace,
# from the kernel's table): one row "KEY MSQID QNUM CBYTES" each, KEY as
# 0x%08x, as ipcs shows it.
proc ipc::queues {} {
    set f [open /proc/sysvipc/msg]
    set table [read $f]
    close $f
    queue_rows $table
}

# The rows of /proc/sysvipc/msg's TABLE (its KEY in decimal, signed), as
# ipc::queues gives them.
proc ipc::queue_rows {table} {
    set rows [lrange [split [string trim $table] \n] 1 end]
    join [lmap r $rows {
        lassign $r key msqid - cbytes qnum
        format "0x%08x %d %s %s" [expr {$key & 0xffffffff}] $msqid $qnum $cbytes
    }] \n
}

proc ipc_key {path} {
    if {[catch {file lstat $path st}]} {
        fail "$path does not exist, so it names no queue (ftok needs an existing file)"
    }
    if {$st(type) eq "link"} {
        fail "$path is now a symbolic link: a program replaced the key file PATH, which names the queue; create PATH when it is missing, but never remove or replace it (the grader follows no link in the test's folder)"
    }
    set key [ipc::ftok $path [setting proj]]
    if {$key ni $::ipc::keys} { lappend ::ipc::keys $key }
    return $key
}

proc queue {path} {
    ipc_key $path
    if {[catch {ipc::qtool stat $path [setting proj]} out opts]} {
        if {[lindex [dict get $opts -errorcode] 0] eq "CHILDSTATUS" &&
            [lindex [dict get $opts -errorcode] 2] == 1} {
            return {}
        }
        error "qtool stat: $out"
    }
    lassign $out qnum cbytes qbytes lspid lrpid msqid uid cuid
    dict create qnum $qnum cbytes $cbytes qbytes $qbytes lspid $lspid lrpid $lrpid msqid $msqid \
        uid $uid cuid $cuid
}

proc queue_contents {path} {
    set q [queue $path]
    if {![dict size $q]} { return {} }
    set out {}
    foreach l [split [ipc::qtool peek [dict get $q msqid]] \n] {
        if {[regexp {^(-?\d+) (\d+) ?(.*)$} $l - type size text]} { lappend out [list $type $size $text] }
    }
    return $out
}

proc make_queue {path qbytes} {
    ipc_key $path
    # as the test's programs run (the sandbox's uid), so that they own it as
    # if one of them had created it (IPC_RMID and IPC_SET need the owner)
    sandbox::inside [list $::cfg(qtool) create $path [setting proj] $qbytes]
    note "(grader: created the queue for $path with msg_qbytes = $qbytes)"
}

proc queue_send {path type bytes} {
    set q [queue $path]
    if {![dict size $q]} {
        fail "the queue for $path (key [ipc_key $path]) does not exist: the grader cannot send to it"
    }
    ipc::qtool send [dict get $q msqid] $type [binary encode hex $bytes]
    note "(grader: sent a message of type $type, [string length $bytes] bytes, to the queue for $path)"
}

proc expect_queue {path qnum {cbytes {}}} {
    set q [queue $path]
    if {![dict size $q]} {
        fail "the queue for $path (key [ipc_key $path]) does not exist; it should hold $qnum message(s)"
    }
    note "(kernel: queue for $path holds [dict get $q qnum] message(s), [dict get $q cbytes] bytes)"
    if {[dict get $q qnum] != $qnum} {
        fail "the queue for $path holds [dict get $q qnum] message(s); expected $qnum"
    }
    if {$cbytes ne "" && [dict get $q cbytes] != $cbytes} {
        fail "the queue for $path holds [dict get $q cbytes] bytes in $qnum messages; expected $cbytes"
    }
}

proc expect_no_queue {path} {
    set q [queue $path]
    if {[dict size $q]} {
        fail "the queue for $path (key [ipc_key $path]) still exists with [dict get $q qnum] message(s); it should have been removed"
    }
    note "(kernel: no queue for $path)"
}

# Wait (bounded by the timeout, like `blocked`) until the kernel says the
# queue for PATH holds QNUM messages: another process is still working.
proc queue_reaches {path qnum} {
    wait_until {[set q [queue $path]] ne {} && [dict get $q qnum] == $qnum} \
        {the queue for $path holds [expr {$q eq {} ? "nothing (it is gone)" : "[dict get $q qnum] message(s)"}], not $qnum}
    note "(kernel: the queue for $path holds $qnum message(s))"
}

proc take_message {path type} {
    set q [queue $path]
    if {![dict size $q]} { fail "the queue for $path (key [ipc_key $path]) does not exist" }
    if {[catch {ipc::qtool take [dict get $q msqid] $type} out opts]} {
        if {[lindex [dict get $opts -errorcode] 0] eq "CHILDSTATUS" &&
            [lindex [dict get $opts -errorcode] 2] == 1} {
            return {}
        }
        error "qtool take: $out"
    }
    regexp {^(-?\d+) (\d+) ?(.*)$} $out - type size text
    note "(grader: took a message of type $type, $size bytes, out of the queue for $path)"
    list $type $size $text
}

proc make_semaphore {path proj} {
    ipc_key $path
    # as the test's programs run, like make_queue: one of them might have made it
    set id [string trim [sandbox::inside [list $::cfg(qtool) semcreate $path $proj]]]
    set key [ipc::ftok $path $proj]
    ipc::on_cleanup [list catch [list exec ipcrm -S $key 2>/dev/null]]
    note "(grader: created a semaphore set under ftok($path, $proj) = $key: id $id)"
    return $id
}

proc semaphore {path proj} {
    if {[catch {ipc::qtool semid $path $proj} out opts]} {
        if {[lindex [dict get $opts -errorcode] 0] eq "CHILDSTATUS" &&
            [lindex [dict get $opts -errorcode] 2] == 1} {
            return ""
        }
        error "qtool semid: $out"
    }
    string trim $out
}

# A kernel limit of this namespace's: msgmnb (System V, /proc/sys/kernel),
# or fs/mqueue/msg_default (any file under /proc/sys).
proc kernel_limit {name} {
    if {![string match */* $name]} { set name kernel/$name }
    set f [open /proc/sys/$name]
    set v [string trim [read $f]]
    close $f
    return $v
}

# Fallback mode only: remove the queues (and semaphore sets) under this
# test's keys, then run
# what the extensions registered with ipc::on_cleanup (their own objects).
proc ipc::cleanup {} {
    # every key a file of the test's directory names, even if the test never asked
    set keys $::ipc::keys
    if {![catch {test_files} files]} {
        foreach f $files {
            if {![catch {ftok $f [setting proj]} k] && $k ni $keys} { lappend keys $k }
        }
    }
    foreach key $keys {
        catch {exec ipcrm -Q $key 2>/dev/null}
        catch {exec ipcrm -S $key 2>/dev/null}
    }
    foreach script $::ipc::cleanups {
        catch {uplevel #0 $script}
    }
}

# The first 200 files of the test's folder, each "./NAME", breadth first.
# Walked in Tcl, not listed by find: no name is ever parsed from a listing
# (a folder's name may end in a newline, and a line such as ">/etc/passwd"
# given to exec is a redirection, made as the grader); a link is not
# followed, another file system not entered.
proc ipc::test_files {} {
    file lstat . top
    set files {}
    set dirs [list .]
    # (the folders to read are taken by index: taking the list's head copies
    # the rest, and 100000 empty folders cost 110 s instead of 1; and no
    # more than 4096 are read, as many as a test's own file system may hold,
    # since without namespaces nothing else bounds their number)
    for {set i 0} {$i < min([llength $dirs], 4096) && [llength $files] < 200} {incr i} {
        set dir [lindex $dirs $i]
        foreach name [glob -nocomplain -tails -directory $dir * .*] {
            if {$name in {. ..}} continue
            set path $dir/$name
            if {[catch {file lstat $path st}] || $st(dev) != $top(dev)} continue
            switch -- $st(type) {
                file { lappend files $path }
                directory { lappend dirs $path }
            }
        }
    }
    lrange $files 0 199
}

proc ipc::on_cleanup {script} {
    lappend ::ipc::cleanups $script
}

# Queues in the test's IPC namespace whose key is not ftok(FILE, proj) for
# any FILE in the test's directory (an IPC_PRIVATE queue, a stray key), for
# labs whose setting `stray_queues` is `fail`. Empty outside an IPC namespace.
proc ipc::strays {} {
    if {!$::cfg(isolated) || ![dict exists $::lab::settings stray_queues] ||
        [setting stray_queues] ne "fail"} {
        return {}
    }
    set listing [queues]
    if {$listing eq ""} { return {} }
    set allowed [lmap k $::ipc::keys {expr {$k}}]
    if {[catch {test_files} files]} { set files {} }
    foreach f $files {
        if {![catch {ftok $f [setting proj]} k]} { lappend allowed [expr {$k}] }
    }
    set out {}
    foreach line [split $listing \n] {
        lassign $line key id qnum
        if {[expr {$key}] ni $allowed} { lappend out "$key $id $qnum" }
    }
    return $out
}

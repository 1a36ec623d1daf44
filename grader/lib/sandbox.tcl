# sandbox.tcl: where the student's code runs, decided once per grader run.
#
# Everything a student wrote runs on the far side of this file: the
# compiler on their sources, then each program a test starts. Three modes,
# the strongest the machine allows (GRADER_SANDBOX=bwrap|uid|none forces one):
#
#   bwrap  bubblewrap (Flatpak's sandbox) in fresh namespaces. A test's
#          programs share one IPC namespace with the test's grader and one
#          PID namespace of their own (kept alive by a holder process), see
#          only the system's files read-only, their programs read-only and
#          their test folder (a size-limited tmpfs, also their /tmp,
#          /var/tmp and /dev/shm), have no network, and run as a throwaway
#          uid when the grader is root. The repository, the reference,
#          hidden tests, results, other students and home folders are
#          absent. Unprivileged, the same inside a user namespace.
#   uid    (root, namespaces refused: a container) a throwaway uid per
#          compile and per test; the grader's files are out of reach only
#          by their permissions (the mode line says whether the repository
#          is closed to other users); what the uid leaves is removed.
#   none   no sandbox: only per-process limits. Fit for a student's own
#          code on their own machine, never for untrusted code.
#
# Limits (sandbox::wanted): per process everywhere (confine.c: processes,
# address space, CPU time, file size), and for the test as a whole where
# cgroups can be made (v1 or v2: processes, memory, an equal CPU share).
# The driver owns the run-level choices; runtest.tcl owns a test's sandbox
# (sandbox::test_begin, program, inside, strays, test_end).

namespace eval ::sandbox {
    variable mode ""        ;# bwrap | uid | none
    variable prefix {}      ;# a tour's namespaces, as a test's: unshare ... (bwrap mode)
    variable userns {}      ;# unshare --user ... for an unprivileged grader's bwrap
    variable limits {}      ;# dict procs memory cpu fsize (0: not limited)
    variable cgroup {}      ;# {version parent-dirs} or {} without cgroups
    variable libdir [file dirname [file normalize [info script]]]
    variable holder_pids {} ;# in a test: the holder's bwrap, init and sleep (outer pids)
    variable symbols {}     ;# the C library's symbols for valgrind (build::symbols), or {}
}

proc sandbox::try {cmd} {
    expr {![catch {exec {*}$cmd 2>/dev/null}]}
}

proc sandbox::root {} {
    variable is_root
    if {![info exists is_root]} { set is_root [expr {[exec id -u] == 0}] }
    return $is_root
}

# The part of a bwrap command line that builds the student's view of the
# files: the system read-only, WRITABLE (folders bound read-write at their
# own path), READONLY (read-only at their own path), TMP as /tmp, /var/tmp
# and /dev/shm; SYMBOLS, if not "", in the place of the debugging
# information (build::symbols).
proc sandbox::view {writable readonly tmp {symbols ""}} {
    set args {}
    foreach d {/usr /etc /opt} {
        if {[file isdirectory $d]} { lappend args --ro-bind $d $d }
    }
    if {$symbols ne ""} { lappend args --ro-bind $symbols /usr/lib/debug/.build-id }
    foreach d {/bin /sbin /lib /lib32 /lib64 /libx32} {
        if {![file exists $d] && [catch {file lstat $d st}]} continue
        if {[file type $d] eq "link" && ![catch {file readlink $d} to]} {
            lappend args --symlink $to $d
        } elseif {[file isdirectory $d]} {
            lappend args --ro-bind $d $d
        }
    }
    lappend args --proc /proc --dev /dev --mqueue /dev/mqueue
    if {$tmp ne ""} {
        lappend args --bind $tmp /tmp --bind $tmp /var/tmp --bind $tmp /dev/shm
    } else {
        lappend args --tmpfs /tmp --tmpfs /var/tmp
    }
    # the folders on the way to a bound one must be enterable by the
    # test's uid (bubblewrap makes them 0700 as root)
    set made {/ /usr /etc /opt /tmp /var/tmp /dev /proc}
    foreach d [list {*}$readonly {*}$writable] {
        set up /
        foreach part [lrange [file split [file dirname $d]] 1 end] {
            set up [file join $up $part]
            if {$up ni $made} { lappend args --perms 0755 --dir $up; lappend made $up }
        }
    }
    foreach d $readonly { lappend args --ro-bind $d $d }
    foreach d $writable { lappend args --bind $d $d }
    return $args
}

# bwrap's options every sandbox shares: no way back to the grader's
# terminal or session, gone with the grader, no capabilities but those a
# root grader needs to hand the program to its throwaway uid (confine.c
# gives them up).
proc sandbox::bwrap_opts {} {
    set caps [expr {[root] ? {--cap-drop ALL --cap-add CAP_SETUID --cap-add CAP_SETGID --cap-add CAP_SETPCAP} : {--cap-drop ALL}}]
    list bwrap --unshare-uts --hostname sandbox --unshare-cgroup-try --die-with-parent \
        --new-session {*}$caps
}

# Decide the mode; returns it in one line for the report.
proc sandbox::probe {} {
    variable mode
    variable prefix
    variable userns
    set want [expr {[info exists ::env(GRADER_SANDBOX)] ? $::env(GRADER_SANDBOX) : ""}]
    if {$want ni {"" bwrap uid none}} {
        error "GRADER_SANDBOX: one of bwrap, uid, none (not \"$want\")"
    }
    set root [root]
    set userns [expr {$root ? {} : {unshare --user --map-root-user}}]
    set prefix [list {*}[expr {$root ? {unshare} : $userns}] --ipc --pid --fork --kill-child \
                    --mount --mount-proc --net]
    set why ""
    if {$want in {"" bwrap}} {
        set box [list {*}[bwrap_opts] --unshare-pid {*}[view {} {} ""] -- true]
        if {[auto_execok bwrap] eq ""} {
            set why "bubblewrap is not installed"
        } elseif {![try [list {*}$prefix true]]} {
            set why "namespaces are refused here"
        } elseif {![try [list {*}$prefix {*}$box]]} {
            set why "bubblewrap cannot run here"
        } else {
            set mode bwrap
            return "bubblewrap ([expr {$root ? {root, a throwaway uid per test} : {user namespace}}])"
        }
        if {$want eq "bwrap"} { error "GRADER_SANDBOX=bwrap, but $why" }
    }
    set prefix {}
    if {$want in {"" uid} && $root} {
        set mode uid
        return "throwaway uid only ([expr {$want eq "uid" ? "GRADER_SANDBOX=uid" : $why}]): [closure]"
    }
    if {$want eq "uid"} { error "GRADER_SANDBOX=uid needs root" }
    set mode none
    return "NONE ([expr {$want eq "none" ? "GRADER_SANDBOX=none" : "$why, and not root"}]): the programs run as you, with your files; fit only for your own code"
}

proc sandbox::mode {} { variable mode; return $mode }

# The config keys a test's interpreter needs to run its programs here
# (MODE: the mode line, for transcripts).
proc sandbox::config {mode} {
    variable limits
    dict create sandbox $mode sandbox_mode [mode] gid [run_gid] isolated [expr {[mode] eq "bwrap"}] \
        pidns [expr {[mode] eq "bwrap"}] limits $limits confine_opts [confine_opts] \
        bwrap_opts [bwrap_opts] libdir $::sandbox::libdir helperdir $::sandbox::helperdir \
        symbols $::sandbox::symbols
}

# Can the student's code be trusted with this machine here? Where it
# cannot, an instructor's grade must refuse untrusted code.
proc sandbox::safe {} {
    variable mode
    expr {$mode eq "bwrap" || ($mode eq "uid" && [closed_above $::root] ne "")}
}

# In uid mode: can a throwaway uid read the grader's files?
proc sandbox::closure {} {
    set closed [closed_above $::root]
    if {$closed ne ""} { return "the grader's files are closed to it ($closed is private)" }
    return "it can read the grader's files, the reference and hidden tests (make [file dirname $::root] private, as the Gradescope package does)"
}

# The highest folder on the way to PATH that other users may not enter, or "".
proc sandbox::closed_above {path} {
    set dir /
    foreach part [lrange [file split $path] 1 end] {
        set dir [file join $dir $part]
        if {[catch {file stat $dir st}]} { return "" }
        if {!($st(mode) & 1)} { return $dir }
    }
    return ""
}

# A uid no account uses, different for every compile and test that may run
# at once (even in other graders): random, above systemd's container range.
proc sandbox::throwaway_uid {} {
    expr {1900000000 + int(rand() * 100000000)}
}

# Seconds every wait of a test may take: GRADER_TIMEOUT (for a slow
# machine), 5 by default. The one reader of that variable.
proc sandbox::timeout {} {
    if {![info exists ::env(GRADER_TIMEOUT)]} { return 5 }
    set t $::env(GRADER_TIMEOUT)
    if {![string is double -strict $t] || $t < 1 || $t > 600} {
        error "GRADER_TIMEOUT: \"$t\" is not a number of seconds from 1 to 600 (the default is 5)"
    }
    return $t
}

# The limits wanted: defaults, the lab's settings, then GRADER_LIMITS.
proc sandbox::wanted {sanitize} {
    set timeout [timeout]
    set want [dict create procs 64 memory 512 cpu [expr {max(20, 4 * $timeout)}] fsize 64]
    dict for {k v} $want {
        if {[dict exists $::lab::settings limit_$k]} { dict set want $k [dict get $::lab::settings limit_$k] }
    }
    set env [expr {[info exists ::env(GRADER_LIMITS)] ? $::env(GRADER_LIMITS) : ""}]
    if {$env eq "none"} { return [dict create procs 0 memory 0 cpu 0 fsize 0] }
    foreach kv $env {
        lassign [split $kv =] k v
        if {![dict exists $want $k] || ![string is integer -strict $v] || $v < 0} {
            error "GRADER_LIMITS: \"$kv\" is not one of procs=N memory=MIB cpu=S fsize=MIB"
        }
        dict set want $k $v
    }
    # AddressSanitizer reserves terabytes of address space: no memory limit
    if {$sanitize} { dict set want memory 0 }
    return $want
}

# The limits for this run; returns the limits part of the mode line.
proc sandbox::set_limits {sanitize} {
    variable limits
    variable mode
    set limits [wanted $sanitize]
    set procs [dict get $limits procs]
    if {$mode eq "none" && $procs > 0} {
        # RLIMIT_NPROC counts every process of this user, not just the test's
        set me [exec id -u]
        set mine 0
        foreach p [glob -nocomplain -directory /proc {[0-9]*}] {
            if {![catch {file stat $p st}] && $st(uid) == $me} { incr mine }
        }
        dict set limits procs [expr {$mine + $procs}]
    }
    set parts {}
    foreach {k unit} {procs processes memory "MiB memory" cpu "s CPU" fsize "MiB files"} {
        if {[dict get $limits $k] > 0} { lappend parts "[dict get $limits $k] $unit" }
    }
    if {![llength $parts]} { return "limits: none (GRADER_LIMITS=none)" }
    set each "limits: [join $parts {, }] per process"
    if {[cgroups_probe]} {
        return "$each; the test as a whole in a cgroup v[lindex $::sandbox::cgroup 0] ([dict get $limits procs] processes, [dict get $limits memory] MiB, an equal CPU share)"
    }
    return "$each; no cgroup here: [expr {$mode eq "bwrap" && [dict get $limits memory] ? "the test's memory as a whole is watched ([dict get $limits memory] MiB), its processes counted per process" : "the limits are per process only"}]"
}


# confine's options for the limits.
proc sandbox::confine_opts {} {
    variable limits
    set opts {}
    foreach {k flag} {procs -p memory -m cpu -c fsize -f} {
        if {[dict get $limits $k] > 0} { lappend opts $flag [dict get $limits $k] }
    }
    return $opts
}

# --- cgroups: one per test, beside the grader's own ------------------------

# Can this grader make cgroups? Sets ::sandbox::cgroup to {1|2 PARENTS}.
proc sandbox::cgroups_probe {} {
    variable cgroup
    set cgroup {}
    if {[info exists ::env(GRADER_CGROUP)] && $::env(GRADER_CGROUP) eq "none"} { return 0 }
    if {![root] || [catch {open /proc/self/cgroup} f]} { return 0 }
    set own [split [string trim [read $f]] \n]
    close $f
    # v2, with the controllers at the root (where systemd runs, usually)
    if {[mounted /sys/fs/cgroup] eq "cgroup2" &&
        ![catch {open /sys/fs/cgroup/cgroup.subtree_control} f]} {
        set ctl [read $f]
        close $f
        if {"pids" in $ctl && "memory" in $ctl && "cpu" in $ctl && [writable /sys/fs/cgroup]} {
            set cgroup [list 2 /sys/fs/cgroup]
            sweep_cgroups
            return 1
        }
    }
    # v1: the pids, memory and cpu controllers, each under our own group
    set parents {}
    foreach ctrl {pids memory cpu} {
        set dir ""
        foreach l $own {
            lassign [split $l :] - ctrls path
            if {$ctrl in [split $ctrls ,]} { set dir [file join /sys/fs/cgroup $ctrl [string trimleft $path /]] }
        }
        if {$dir eq "" || ![writable $dir]} { return 0 }
        lappend parents $dir
    }
    set cgroup [list 1 $parents]
    sweep_cgroups
    return 1
}

# The cgroups of graders that were stopped before they could remove them
# (named after the grader's pid; an empty one goes, a busy one stays).
proc sandbox::sweep_cgroups {} {
    variable cgroup
    foreach parent [lindex $cgroup 1] {
        foreach d [glob -nocomplain -directory $parent grader-*] {
            if {[regexp {^grader-(?:tour-)?(\d+)} [file tail $d] - pid] && ![file exists /proc/$pid]} {
                catch {file delete $d}
            }
        }
    }
}

# The type of the file system mounted at DIR (cgroup2, mqueue...), or ""
# where none is: from the mount table, without a process to ask.
proc sandbox::mounted {dir} {
    set type ""
    catch {
        set f [open /proc/self/mounts]
        set table [read $f]
        close $f
        foreach l [split $table \n] {
            # (the last mount on DIR is the one seen there)
            lassign [split $l] - on fs
            if {$on eq $dir} { set type $fs }
        }
    }
    return $type
}

proc sandbox::writable {dir} {
    set probe [file join $dir grader-probe-[pid]]
    if {[catch {file mkdir $probe}]} { return 0 }
    catch {file delete $probe}
    return 1
}

# Make the cgroup(s) of one test, named TAG; returns their folders ({}:
# none here, or they could not be made: the per-process limits remain).
proc sandbox::cgroup_create {tag} {
    variable cgroup
    variable limits
    if {![llength $cgroup]} { return {} }
    lassign $cgroup version parents
    set procs [dict get $limits procs]
    set mem [expr {[dict get $limits memory] << 20}]
    set dirs {}
    if {[catch {
        foreach parent $parents {
            set d [file join $parent grader-$tag]
            file mkdir $d
            lappend dirs $d
            if {$version == 2} {
                if {$procs} { put $d/pids.max $procs }
                if {$mem} { put $d/memory.max $mem; catch {put $d/memory.swap.max 0} }
                put $d/cpu.weight [expr {min(10000, 100 * [cpus])}]
            } else {
                switch -glob -- $parent {
                    */pids* { if {$procs} { put $d/pids.max $procs } }
                    */memory* {
                        if {$mem} {
                            put $d/memory.limit_in_bytes $mem
                            catch {put $d/memory.memsw.limit_in_bytes $mem}
                        }
                    }
                    */cpu* { put $d/cpu.shares [expr {1024 * [cpus]}] }
                }
            }
        }
    } err]} {
        cgroup_remove $dirs
        return {}
    }
    return $dirs
}

# Every test has the same share of the CPU, so that no submission slows a
# classmate's; it weighs as much as one busy process per core, so that a
# test is not starved by other work outside cgroups either.
proc sandbox::cpus {} {
    variable cpus
    if {![info exists cpus]} { set cpus [exec nproc] }
    return $cpus
}

proc sandbox::put {file value} {
    set f [open $file w]
    puts -nonewline $f $value
    close $f
}

# Remove a test's cgroups once what ran in them is gone (killing what is
# not: the PID namespace's end is asynchronous, the uid mode has none).
proc sandbox::cgroup_remove {dirs} {
    foreach d [lreverse $dirs] {
        for {set i 0} {$i < 100} {incr i} {
            if {![file isdirectory $d] || ![catch {file delete $d}]} break
            if {![catch {open $d/cgroup.procs} f]} {
                foreach pid [read $f] { catch {exec kill -KILL $pid} }
                close $f
            }
            kernel::pause $i
        }
    }
}

# --- the compiler's sandbox (driver side) ----------------------------------

# The command that runs CMD in DIR as the compiler's throwaway uid, bounded
# in time (WALL s), CPU and memory; DIR is all it may write.
proc sandbox::compile_cmd {dir wall cmd} {
    variable mode
    variable userns
    set bounds [list -p 64 -m 2048 -c [expr {max(10, $wall / 2)}] -f 64]
    set uid [expr {[run_gid] ne "" ? [list -u [build_uid] -G [run_gid]] : {}}]
    set confine [list [file join $::sandbox::helperdir confine] {*}$bounds {*}$uid --]
    set timeout [list timeout -s KILL $wall]
    switch -- $mode {
        bwrap {
            # (as root, bubblewrap enters DIR, the compiler's, before confine
            # becomes the compiler's uid and gives up every capability)
            set caps [expr {[root] ? {--cap-add CAP_DAC_OVERRIDE} : {}}]
            return [list {*}$timeout {*}$userns {*}[bwrap_opts] {*}$caps --unshare-pid --unshare-ipc \
                        --unshare-net {*}[view [list $dir] [list $::sandbox::helperdir] ""] \
                        --chdir $dir -- {*}$confine {*}$cmd]
        }
        default { return [list {*}$timeout {*}[linsert $confine 1 -C $dir] {*}$cmd] }
    }
}

# The compiler's uid for this run (root only), and the folder it may write.
proc sandbox::build_uid {} {
    variable build_uid
    if {![info exists build_uid]} { set build_uid [throwaway_uid] }
    return $build_uid
}

# This run's own group (root, with a sandbox): its compiler and the uids
# of its tests are in it, and only they may read its programs (a
# classmate graded at the same time, in another run, may not).
proc sandbox::run_gid {} {
    variable run_gid
    if {![info exists run_gid]} {
        set run_gid [expr {[root] && [mode] in {bwrap uid} ? [throwaway_uid] : ""}]
    }
    return $run_gid
}

# DIR to the compiler's uid (and the run's group), before the compile ...
proc sandbox::give {dir} {
    if {[run_gid] ne ""} { file attributes $dir -owner [build_uid] -group [run_gid] -permissions 0750 }
}

# ... and back to the grader afterwards: the run's tests may read it, no one else
proc sandbox::take {dir} {
    if {[run_gid] ne ""} {
        file attributes $dir -owner [exec id -u] -group [run_gid] -permissions 0750
    } else {
        file attributes $dir -permissions 0755
    }
}

# --- one test's sandbox (runtest side) -------------------------------------

# Prepare the test's folder ROOTDIR and, in bwrap mode, the holder of its
# PID namespace. UID: the test's throwaway uid (root), or "". Returns the
# working directory of the test's programs (and of the test's grader).
proc sandbox::test_begin {rootdir uid} {
    variable holder_pids
    set mode $::cfg(sandbox_mode)
    file mkdir $rootdir
    if {$mode eq "bwrap"} {
        # A private, size-limited tmpfs: in this test's mount namespace
        # only, so it ends with the test, and a file count or size cannot
        # spill onto the machine's disk
        set size [expr {max(16, [dict get $::cfg(limits) fsize])}]
        sys::mount tmpfs $rootdir tmpfs {nosuid nodev} size=${size}m,nr_inodes=4096,mode=0755
    }
    set work [file join $rootdir work]
    set tmp [file join $rootdir tmp]
    file mkdir $work $tmp
    if {$uid ne ""} { file attributes $work -owner $uid -group $uid -permissions 0700 }
    # (the programs' /tmp, /var/tmp and /dev/shm: sticky and open to all,
    # as on any machine; in it, bubblewrap may have to reach the grader's
    # folders below /tmp)
    file attributes $tmp -permissions 01777
    if {$mode eq "bwrap"} {
        # The holder: the programs join its namespaces. It sleeps, with no
        # capability at all.
        set opts [lmap o $::cfg(bwrap_opts) {expr {[string match --cap-add $o] || [string match CAP_* $o] ? [continue] : $o}}]
        set box [list {*}$opts --unshare-pid {*}[test_view $rootdir] -- sleep 100000]
        set b [exec {*}$box </dev/null >/dev/null 2>[file join $::cfg(privdir) holder.err] &]
        set deadline [expr {[clock milliseconds] + 5000}]
        for {set n 0} {[set init [lindex [kernel::readproc $b task/$b/children] 0]] eq "" ||
                       [set sleeper [lindex [kernel::readproc $init task/$init/children] 0]] eq ""} {incr n} {
            if {[clock milliseconds] > $deadline || [kernel::pstate $b] in {Z gone}} {
                set why ""
                catch {set f [open [file join $::cfg(privdir) holder.err]]; set why [string trim [read $f]]; close $f}
                error "the test's sandbox (bubblewrap) did not start[expr {$why eq "" ? "" : ": $why"}]"
            }
            kernel::pause $n
        }
        set holder_pids [list $b $init $sleeper]
        # Where no cgroup bounds the test's memory, a watcher does, from
        # outside the programs' PID namespace: they cannot stop it
        set mem [dict get $::cfg(limits) memory]
        if {![llength $::cfg(cgroups)] && $mem} {
            exec [confine] -W $mem -N $init -S $sleeper </dev/null >/dev/null \
                2>[file join $::cfg(privdir) watcher.err] &
        }
    }
    return $work
}

proc sandbox::confine {} { file join $::cfg(helperdir) confine }

# The files a program of this test sees (bwrap mode).
proc sandbox::test_view {rootdir} {
    set ro [list $::cfg(bindir) $::cfg(helperdir) {*}[dict values $::cfg(swap)]]
    view [list [file join $rootdir work]] [lsort -unique $ro] [file join $rootdir tmp] $::cfg(symbols)
}

# The command that starts CMD (a program and its arguments) in the test's
# sandbox (confine.c joins it); XML: the file valgrind's report (fd 4)
# goes to, or "".
proc sandbox::program {cmd {xml ""} {pidfile ""}} {
    variable holder_pids
    set opts {}
    if {$pidfile ne ""} { lappend opts -P $pidfile }
    if {$::cfg(sandbox_mode) eq "bwrap"} {
        lappend opts -N [lindex $holder_pids 1] -C [pwd]
    }
    foreach d $::cfg(cgroups) { lappend opts -g $d }
    if {$xml ne ""} { lappend opts -x $xml }
    if {$::cfg(uid) ne ""} { lappend opts -u $::cfg(uid) -G $::cfg(gid) }
    list [confine] {*}$opts {*}$::cfg(confine_opts) -- {*}$cmd
}

# Run CMD in the sandbox as the test's programs run (the grader's own file
# work in the test's folder: it never follows, as itself, a link a student
# planted there). INPUT goes to its standard input. Returns its output.
proc sandbox::inside {cmd {input ""}} {
    set f [open |[list {*}[program $cmd] 2>@1] r+]
    fconfigure $f -translation binary
    puts -nonewline $f $input
    chan close $f write
    set out [read $f]
    if {[catch {close $f} err opts]} {
        return -code error -errorcode [dict get $opts -errorcode] [string trim "$out\n$err"]
    }
    return $out
}

# Write BYTES into PATH (relative to the test's folder) as the test's
# programs would: confine.c -w.
proc sandbox::write {path bytes {mode 0644}} {
    variable holder_pids
    set opts {}
    if {$::cfg(sandbox_mode) eq "bwrap"} { lappend opts -N [lindex $holder_pids 1] -C [pwd] }
    if {$::cfg(uid) ne ""} { lappend opts -u $::cfg(uid) -G $::cfg(gid) }
    set f [open |[list [confine] {*}$opts -w $path -M $mode 2>@1] r+]
    fconfigure $f -translation binary
    puts -nonewline $f $bytes
    chan close $f write
    set out [read $f]
    if {[catch {close $f} err]} { error "could not write $path in the test's folder: [string trim $out]" }
}


# The processes still alive in the test's sandbox that no running program
# of the test accounts for: orphans and daemons ("PID COMMAND" each).
# RUNNING: the pids (outer) of the test's programs still running.
proc sandbox::strays {running} {
    variable holder_pids
    set out {}
    switch -- $::cfg(sandbox_mode) {
        bwrap {
            # an orphan is adopted by the namespace's init (the holder's)
            lassign $holder_pids - init sleeper
            foreach dir [glob -nocomplain -directory /proc {[0-9]*}] {
                set pid [file tail $dir]
                if {$pid == $sleeper || $pid in $running || [kernel::ppid $pid] ne $init} continue
                if {[kernel::pstate $pid] in {Z gone}} continue
                lappend out "$pid [kernel::cmdline $pid]"
            }
        }
        uid {
            foreach dir [glob -nocomplain -directory /proc {[0-9]*}] {
                set pid [file tail $dir]
                if {$pid in $running || [kernel::pstate $pid] in {Z gone}} continue
                if {[catch {file stat $dir st}] || $st(uid) != $::cfg(uid)} continue
                if {![catch {file stat /proc/[kernel::ppid $pid] pst}] && $pst(uid) == $::cfg(uid)} continue
                lappend out "$pid [kernel::cmdline $pid]"
            }
        }
    }
    return $out
}

# The test's processes now (the grader's view of their pids): those in its
# PID namespace (bwrap), or of its uid; {} where they cannot be told apart.
proc sandbox::pids {} {
    variable holder_pids
    set out {}
    switch -- $::cfg(sandbox_mode) {
        bwrap {
            if {[catch {file readlink /proc/[lindex $holder_pids 1]/ns/pid} ns]} { return {} }
            foreach dir [glob -nocomplain -directory /proc {[0-9]*}] {
                if {![catch {file readlink $dir/ns/pid} n] && $n eq $ns &&
                    [kernel::pstate [file tail $dir]] ni {Z gone}} { lappend out [file tail $dir] }
            }
            # not the holder's own processes
            return [lmap p $out {expr {$p in $holder_pids ? [continue] : $p}}]
        }
        uid {
            foreach dir [glob -nocomplain -directory /proc {[0-9]*}] {
                if {![catch {file stat $dir st}] && $st(uid) == $::cfg(uid) &&
                    [kernel::pstate [file tail $dir]] ni {Z gone}} { lappend out [file tail $dir] }
            }
        }
    }
    return $out
}

# After the test, in uid mode: kill what the test's uid still runs, remove
# its IPC objects and the files it left in the machine's shared folders.
# Returns what was found, one line each.
proc sandbox::test_end {} {
    if {$::cfg(sandbox_mode) ne "uid" || $::cfg(uid) eq ""} { return {} }
    sweep [confine] $::cfg(uid) [file dirname $::cfg(testsdir)]
}

# Everything UID still has on the machine (uid mode): its processes, IPC
# objects and POSIX queues (confine -K, with an mqueue filesystem mounted
# for it where the machine has none at /dev/mqueue, if it may be), and its
# files in the shared folders (but STAGE, the grader's). Removes them;
# returns one line for each. The test's grader calls it when the test
# ends; the driver again once the test's interpreter is gone, in case a
# bound stopped it first.
proc sandbox::sweep {confine uid stage} {
    set found {}
    set kill [list $confine -K $uid]
    set out ""
    if {[mounted /dev/mqueue] ne "mqueue"} {
        set mounted [list unshare --mount sh -c {mkdir -p /dev/mqueue && mount -t mqueue mqueue /dev/mqueue && exec "$@"} sh {*}$kill]
        if {![catch {exec {*}$mounted 2>/dev/null} out]} { set kill {} }
    }
    if {[llength $kill]} { catch {exec {*}$kill} out }
    foreach l [split $out \n] { if {$l ne ""} { lappend found $l } }
    foreach d {/tmp /var/tmp /dev/shm /run/lock /var/lock} {
        # (-print0: a name may hold a newline, and must not become two names for rm)
        if {![catch {exec find $d -xdev -mindepth 1 -path $stage -prune -o -user $uid -prune -print0} files]} {
            foreach f [split $files \0] {
                if {$f ne ""} { lappend found "file $f"; catch {exec rm -rf -- $f} }
            }
        }
    }
    return $found
}

# One line on the machine that grades: the kernel, the IPC limits a test's
# namespace starts with (the tests compute their expected figures from
# them), and the tools' versions. Same machine, same line. Asking takes a
# dozen processes (valgrind alone three), so the line is kept in CACHE (if
# not "") for as long as the kernel (its boot) and the tools' files (their
# size and time) are the same.
proc sandbox::fingerprint {{cache ""}} {
    if {$cache eq "" || [catch {
        set f [open /proc/sys/kernel/random/boot_id]
        set stamp [string trim [read $f]]
        close $f
        foreach tool {cc valgrind expect strace bwrap} {
            set path [lindex [auto_execok $tool] 0]
            if {$path ne "" && ![catch {file stat [file normalize $path] st}]} {
                append stamp " $path $st(size) $st(mtime)"
            }
        }
        set entry [build::cached $cache fingerprint-[zlib crc32 $stamp] sandbox::fingerprint_into]
        kernel::read_regular [file join $entry line] 4096
    } line] || $line eq ""} {
        return [fingerprint_now]
    }
    return $line
}

# An entry of the grader's cache (build::cached): DIR/line.
proc sandbox::fingerprint_into {dir} {
    set f [open [file join $dir line] {WRONLY CREAT EXCL}]
    puts -nonewline $f [fingerprint_now]
    close $f
    file attributes $dir -permissions 0700
}

proc sandbox::fingerprint_now {} {
    variable prefix
    set read {for f in kernel/msgmnb kernel/msgmax kernel/msgmni fs/mqueue/msg_max fs/mqueue/msgsize_max fs/mqueue/queues_max; do printf '%s ' "$(cat /proc/sys/$f 2>/dev/null || echo ?)"; done}
    if {[catch {exec {*}$prefix sh -c $read} limits]} { set limits "? ? ? ? ? ?" }
    lassign $limits mnb max mni qmsg qsize qmax
    set v {}
    foreach {tool cmd re} {
        gcc {cc -dumpfullversion} {(\S+)}
        valgrind {valgrind --version} {valgrind-(\S+)}
        expect {expect -v} {version (\S+)}
        strace {strace -V} {version (\S+)}
        bwrap {bwrap --version} {bubblewrap (\S+)}
    } {
        if {![catch {exec {*}$cmd 2>@1} out] && [regexp $re [lindex [split $out \n] 0] - ver]} {
            lappend v "$tool $ver"
        }
    }
    format "Linux %s %s; msgmnb %s msgmax %s msgmni %s; mqueue msg_max %s msgsize_max %s queues_max %s; %s" \
        $::tcl_platform(osVersion) $::tcl_platform(machine) $mnb $max $mni $qmsg $qsize $qmax [join $v {, }]
}

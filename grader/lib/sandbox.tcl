# sandbox.tcl: where each test runs, decided once per grader run.
#
# Preferred: a fresh IPC namespace (no test sees another's queues, nothing
# outlives the test) with PID and mount namespaces, so that every process a
# test starts dies with it. unshare ignores SIGTERM, so the wall-clock limit
# kills it with SIGKILL, and --kill-child takes the namespace down with it.
# Fallback: no namespaces; each test uses its own key files and removes the
# queues under its keys afterwards.
#
# In every mode, each program a test starts goes through confine.c (the
# prefix sandbox::wrap returns): limits on processes, memory, CPU time and
# file size; no capabilities; as root, a throwaway uid of the test's own
# (RLIMIT_NPROC does not bind root, and that uid cannot write the grader's
# files); where a mount namespace can be made, the grader's files
# read-only, and folders other users cannot enter on the way to OUT
# hidden. As root without a mount namespace, with OUT under such a folder,
# the throwaway uid keeps CAP_DAC_READ_SEARCH to reach its programs (it
# may read any file, write none of root's); the mode line says so. The limits come from the defaults below, then the lab's
# settings (lab_setting limit_procs 128), then GRADER_LIMITS in the
# environment ("procs=64 memory=512 cpu=20 fsize=64", or "none").

namespace eval ::sandbox {
    variable prefix {}
    variable mode ""
    variable wrap {}     ;# confine and its options, for every program
    variable limits {}   ;# dict procs memory cpu fsize (0: not limited)
    variable libdir [file dirname [file normalize [info script]]]
}

proc sandbox::try {cmd} {
    expr {![catch {exec {*}$cmd true 2>/dev/null}]}
}

# Decide the namespaces; given the grader's OUT and BINDIR, also the limits
# on every program (see sandbox::confine). Returns the mode, in one line.
proc sandbox::probe {{out ""} {bindir ""} {sanitize 0} {extra {}}} {
    variable prefix
    variable mode
    set user {}
    set who "root"
    if {[exec id -u] != 0} {
        set user {--user --map-root-user}
        set who "user namespace"
    }
    set full [list unshare {*}$user --ipc --pid --fork --kill-child --mount --mount-proc]
    set ipc [list unshare {*}$user --ipc]
    if {[info exists ::env(GRADER_SANDBOX)] && $::env(GRADER_SANDBOX) eq "none"} {
        set mode "fallback (GRADER_SANDBOX=none): private key files, queues removed after each test"
        set prefix {}
    } elseif {[try $full]} {
        set prefix $full
        set mode "ipc+pid+mount namespaces ($who)"
    } elseif {[try $ipc]} {
        set prefix $ipc
        set mode "ipc namespace only ($who; pid namespace refused)"
    } else {
        set prefix {}
        set mode "fallback (namespaces refused): private key files, queues removed after each test"
    }
    if {$out ne ""} { append mode "; [confine $out $bindir $sanitize $extra]" }
    return $mode
}

proc sandbox::isolated {} {
    variable prefix
    expr {[llength $prefix] > 0}
}

proc sandbox::pidns {} {
    variable prefix
    expr {"--pid" in $prefix}
}

# A command prefix for every program a test starts (empty: run it as is).
proc sandbox::wrap {} {
    variable wrap
    return $wrap
}

# After a test without a PID namespace: the command (confine -K) that kills
# what the test's throwaway uid still runs, daemons included, and removes
# its IPC objects, printing one line for each; {} where there is nothing to
# ask it (a PID namespace ends everything; no throwaway uid, no handle).
proc sandbox::cleanup {} {
    variable wrap
    if {"-u" ni $wrap || [pidns]} { return {} }
    list [lindex $wrap 0] -K
}

# The limits in force, for the messages of a program that exceeds one.
proc sandbox::limits {} {
    variable limits
    return $limits
}

# The limits wanted: defaults, the lab's settings, then GRADER_LIMITS.
proc sandbox::wanted {sanitize} {
    set timeout [expr {[info exists ::env(GRADER_TIMEOUT)] ? $::env(GRADER_TIMEOUT) : 5}]
    set want [dict create procs 64 memory 512 cpu [expr {max(20, 4 * $timeout)}] fsize 64]
    dict for {k v} $want {
        if {[dict exists $::lab::settings limit_$k]} { dict set want $k [dict get $::lab::settings limit_$k] }
    }
    set env [expr {[info exists ::env(GRADER_LIMITS)] ? $::env(GRADER_LIMITS) : ""}]
    if {$env eq "none"} { return {} }
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

# The highest directory on the way to PATH that other users may not enter
# (a throwaway uid could not reach the programs there), or "".
proc sandbox::closed_above {path} {
    set dir /
    foreach part [lrange [file split $path] 1 end] {
        set dir [file join $dir $part]
        file stat $dir st
        if {!($st(mode) & 1)} { return $dir }
    }
    return ""
}

# Does the wrap run a program here, inside the test's namespaces?
proc sandbox::works {cmd dir} {
    variable prefix
    file mkdir $dir
    set ok [expr {![catch {exec {*}$prefix sh -c {cd "$1" && shift && exec "$@"} sh $dir \
                               {*}$cmd 2>@1}]}]
    file delete -force $dir
    return $ok
}

# Build confine.c into BINDIR and choose its options: the strongest that
# work here. Returns the limits part of the mode line.
proc sandbox::confine {out bindir sanitize extra} {
    variable wrap
    variable limits
    variable libdir
    variable prefix
    set wrap {}
    set limits {}
    if {[catch {wanted $sanitize} want]} { error $want }
    if {![dict size $want]} { return "limits: none (GRADER_LIMITS=none)" }
    set bin [file join $bindir confine]
    if {[catch {exec cc -std=c11 -O1 -o $bin [file join $libdir confine.c] 2>@1} err]} {
        return "limits: none (the grader's helper confine did not build: $err)"
    }
    set root [file dirname [file dirname $libdir]]
    set opts {}
    foreach {k flag} {procs -p memory -m cpu -c fsize -f} {
        if {[dict get $want $k] > 0} { lappend opts $flag [dict get $want $k] }
    }
    set root_user [expr {[exec id -u] == 0}]
    if {!$root_user && ![llength $prefix] && [dict get $want procs] > 0} {
        # No user namespace: RLIMIT_NPROC counts every process of this user
        set me [exec id -u]
        set mine 0
        foreach p [glob -nocomplain -directory /proc {[0-9]*}] {
            if {![catch {file stat $p st}] && $st(uid) == $me} { incr mine }
        }
        dict set want procs [expr {$mine + [dict get $want procs]}]
        lset opts [expr {[lsearch $opts -p] + 1}] [dict get $want procs]
    }
    # The grader's files: the repository, OUT and the hidden tests, read-only;
    # as root, also hide whatever a throwaway uid could not enter on the way
    # to OUT, so that it can reach its programs.
    set files {}
    foreach d [list $root $out {*}[lmap e $extra {file dirname $e}]] {
        if {$d ni $files} { lappend files -r $d }
    }
    set closed [expr {$root_user ? [closed_above $out] : ""}]
    set hide [expr {$closed eq "" ? {} : [list -h $closed -k $out]}]
    set uid [expr {$root_user ? {-u} : {}}]
    set tries [list [list {*}$uid {*}$files {*}$hide] "grader files read-only"]
    if {$uid ne "" && $closed eq ""} {
        lappend tries $uid "grader files read-only to it by ownership (no mount namespace)"
    } elseif {$uid ne ""} {
        # No mount namespace to show it its programs in $closed: it may
        # read and search anything (CAP_DAC_READ_SEARCH), and write nothing
        # of root's; better than running it as root
        lappend tries [list -u -s] \
            "grader files read-only to it by ownership, but readable ($closed is closed to other users; no mount namespace)"
    }
    lappend tries {} [expr {$root_user ?
        "processes not bounded and grader files writable (root, no throwaway uid here)" :
        "grader files writable (no mount namespace)"}]
    set how ""
    foreach {try note} $tries {
        set cmd [list $bin {*}$opts {*}$try --]
        # the programs must be reachable, and the test's directory writable
        if {[works [list {*}$cmd sh -c {test -x "$1" && test -w .} sh $bin] [file join $out sandbox-probe]]} {
            set wrap $cmd
            set how [expr {"-u" in $try ? "throwaway uid, $note" : $note}]
            break
        }
    }
    if {$wrap eq {}} { return "limits: none (the grader's helper confine does not run here)" }
    set limits $want
    set parts {}
    foreach {k unit} {procs processes memory "MiB memory" cpu "s CPU" fsize "MiB files"} {
        if {[dict get $want $k] > 0} { lappend parts "[dict get $want $k] $unit" }
    }
    return "limits: [join $parts {, }]; $how"
}

# One line on the machine that grades: the kernel, the IPC limits a test's
# namespace starts with (the tests compute their expected figures from
# them), and the tools' versions. Same machine, same line.
proc sandbox::fingerprint {} {
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
    } {
        if {![catch {exec {*}$cmd 2>@1} out] && [regexp $re [lindex [split $out \n] 0] - ver]} {
            lappend v "$tool $ver"
        }
    }
    format "Linux %s %s; msgmnb %s msgmax %s msgmni %s; mqueue msg_max %s msgsize_max %s queues_max %s; %s" \
        $::tcl_platform(osVersion) $::tcl_platform(machine) $mnb $max $mni $qmsg $qsize $qmax [join $v {, }]
}

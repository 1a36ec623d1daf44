# files.tcl: the files a test sets up in its own directory.

namespace eval ::files {}
#
#   copy_data FILE ?AS?        copy data/FILE into the test's directory
#   write_file PATH CONTENT ?MODE?   create PATH (relative to the test's
#                              directory; MODE in octal, default 0644)
#   file_mode PATH             its permission bits, as an octal string like 0644
#   made PATH                  the programs made PATH (a file, or a link: never followed)
#   build_log                  everything the compiler said about the submission

proc copy_data {file {as ""}} {
    if {$as eq ""} { set as [file tail $file] }
    set f [open [file join $::cfg(datadir) $file] rb]
    set data [read $f]
    close $f
    files::put $as $data
    note "(grader: copied data/$file to $as)"
}

proc write_file {path content {mode 0644}} {
    files::put $path [encoding convertto utf-8 $content] $mode
}

# The test's folder is the student's: the grader writes there as the
# test's programs would (in the sandbox, as their uid), so a name a program
# replaced by a link leads nowhere outside it.
proc files::put {path bytes {mode 0644}} {
    sandbox::write $path $bytes $mode
}

proc made {path} {
    expr {![catch {file lstat $path st}]}
}

# (lstat: the mode of PATH itself, never of what a link points to)
proc file_mode {path} {
    file lstat $path st
    format 0%03o [expr {$st(mode) & 0777}]
}

proc build_log {} {
    set f [open $::cfg(buildlog)]
    set s [read $f]
    close $f
    return $s
}

# files.tcl: the files a test sets up in its own directory.
#
#   copy_data FILE ?AS?        copy data/FILE into the test's directory
#   write_file PATH CONTENT    create PATH (relative to the test's directory)
#   file_mode PATH             its permission bits, as an octal string like 0644
#   build_log                  everything the compiler said about the submission

proc copy_data {file {as ""}} {
    if {$as eq ""} { set as [file tail $file] }
    file copy -force [file join $::cfg(datadir) $file] $as
    note "(grader: copied data/$file to $as)"
}

proc write_file {path content} {
    file mkdir [file dirname $path]
    set f [open $path w]
    puts -nonewline $f $content
    close $f
}

proc file_mode {path} {
    format 0%03o [expr {[file attributes $path -permissions] & 0777}]
}

proc build_log {} {
    set f [open $::cfg(buildlog)]
    set s [read $f]
    close $f
    return $s
}

# cli.tcl: the command lines of grader/grade and grader/tour, read one way.
#
#   cli::parse WHO ARGV DEFAULTS OPTIONS WORDS USAGE
#
# DEFAULTS: a dict of every setting. OPTIONS: a dict from each option to
# {KEY KIND}: KIND on (KEY becomes 1), off (0), value (the next word) or
# list (the next word, appended). WORDS: the keys of the words that are not
# options, in order. Returns DEFAULTS with what ARGV set. -h and --help
# run USAGE stdout and exit 0; an unknown option, an option missing its
# value or one word too many is named ("WHO: ...") before USAGE stderr,
# exit 2.

namespace eval ::cli {}

proc cli::parse {who argv defaults options words usage} {
    set got $defaults
    set rest $argv
    while {[llength $rest]} {
        set rest [lassign $rest a]
        if {$a in {-h --help}} {
            {*}$usage stdout
            exit 0
        }
        if {[dict exists $options $a]} {
            lassign [dict get $options $a] key kind
            if {$kind in {value list}} {
                if {![llength $rest]} { refuse $who "$a needs a value" $usage }
                set rest [lassign $rest v]
            }
            switch -- $kind {
                on { dict set got $key 1 }
                off { dict set got $key 0 }
                value { dict set got $key $v }
                list { dict lappend got $key $v }
                default { error "cli: $a: no kind \"$kind\"" }
            }
        } elseif {[string match -?* $a]} {
            refuse $who "unknown option $a" $usage
        } elseif {[llength $words]} {
            set words [lassign $words key]
            dict set got $key $a
        } else {
            refuse $who "unexpected argument $a" $usage
        }
    }
    return $got
}

proc cli::refuse {who why usage} {
    puts stderr "$who: $why"
    {*}$usage stderr
    exit 2
}

# match.tcl: failing a test, and showing lines so a student can compare them.

# End the running test as failed with MESSAGE (may span several lines).
proc fail {message} {
    set note [expr {[llength [info commands ::limits::process_note]] ? [limits::process_note] : ""}]
    return -code error -errorcode GRADER_FAIL "$message$note"
}

# Fail with MESSAGE unless CONDITION (an expr) is true in the caller.
proc check {condition message} {
    if {![uplevel 1 [list expr $condition]]} { fail $message }
}

# TEXT with every control character but newline and tab shown as \xNN
# (C1 controls as \u00NN): what a program printed reaches a terminal, a
# report or results.json as text, never as an escape sequence.
proc visible_controls {text} {
    set bad {[\x00-\x08\x0b-\x1f\x7f-\x9f]}
    if {![regexp $bad $text]} { return $text }
    set out ""
    foreach ch [split $text ""] {
        if {[regexp $bad $ch]} {
            scan $ch %c code
            append out [format "\\x%02x" $code]
        } else {
            append out $ch
        }
    }
    return $out
}

# A line with its whitespace made visible: space as a middle dot, tab as an
# arrow, other control characters as \xNN, all inside quotes.
proc visible {line} {
    set out ""
    foreach ch [split $line ""] {
        scan $ch %c code
        if {$ch eq " "} {
            append out "\u00b7"
        } elseif {$ch eq "\t"} {
            append out "\u2192"
        } elseif {$code < 32 || $code == 127} {
            append out [format "\\x%02x" $code]
        } else {
            append out $ch
        }
    }
    return "\"$out\""
}

# What may legitimately differ between two correct runs: the line ending
# and trailing blanks. Everything else on a line is graded.
proc normalise {line} {
    string trimright $line " \t\r"
}

# Quote S for use as a literal inside a regular expression.
proc re_quote {s} {
    regsub -all {[][\\.^$*+?(){}|]} $s {\\&}
}

proc mismatch {what lineno expected actual} {
    fail [format "%s, line %d:\n  expected: %s\n  actual:   %s" \
              $what $lineno [visible $expected] [visible $actual]]
}

# lib.sh: what the suite's parts share (source it; it defines no command).
#
#   result STATUS DESCRIPTION [DETAILS-FILE]   an "ok"/"FAIL" line named after
#                                              $part; on failure, the details
#                                              (their first $detail_lines, 40
#                                              unless the part sets it)
#   summary                                    the part's last line, "N passed,
#                                              N failed"; false if any failed
# A part sets `part=NAME` before its first result.
# shellcheck shell=bash
passed=0
failed=0

result() {
    if [ "$1" -eq 0 ]; then
        echo "ok   ${part:-test}: $2"
        passed=$((passed + 1))
    else
        echo "FAIL ${part:-test}: $2"
        [ -n "${3:-}" ] && sed 's/^/       /' "$3" | head -"${detail_lines:-40}"
        failed=$((failed + 1))
    fi
}

summary() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

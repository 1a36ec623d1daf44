#!/usr/bin/env bash
# unpack.sh: turn one student's submission into a folder the grader can grade.
#
# Usage: grader/lib/unpack.sh ENTRY DEST FILE...
#
# ENTRY is a folder, a .zip, a .tar.gz/.tgz or a .tar; its contents are
# copied or extracted into DEST (which must not exist), without symbolic
# links or special files (a link to /etc/shadow named msgsnd.c must not
# reach the compiler's messages), with bounded sizes and time. Then the
# folder holding the lab's FILEs is found, however deep the student nested
# it (lab1/, lab1/lab1/, handin/src/) and whatever else lies around it
# (object files, executables, __MACOSX). Prints that folder on the first
# line, then a line for each thing the instructor should know ("missing:
# msgrcv.c", "graded lab1/, also found old/"). Exit status 0, or 1 when
# ENTRY cannot be unpacked (the reason on stderr).
set -u
entry=${1:?usage: unpack.sh ENTRY DEST FILE...}
dest=${2:?usage: unpack.sh ENTRY DEST FILE...}
shift 2
files=("$@")

mkdir -p "$dest" || exit 1
# An archive says what it holds before it is unpacked: at most 64 MiB and
# 2000 entries in all (a zip bomb is refused unopened), then no single file
# over 64 MiB and no unpacking over 60 s (in case it lied).
max_bytes=$((64 << 20)) max_entries=2000
too_big() { # too_big BYTES ENTRIES: refuse an archive over the bounds
    if [ "${1:-0}" -gt "$max_bytes" ] || [ "${2:-0}" -gt "$max_entries" ]; then
        echo "the archive would unpack to $(($1 >> 20)) MiB in $2 entries (the limit is $((max_bytes >> 20)) MiB, $max_entries entries)" >&2
        exit 1
    fi
}
extract() {
    (ulimit -f 131072 && timeout -s KILL 60 "$@") >"$dest.log" 2>&1
}
# What the extracting tool said, on one line.
said() {
    tr -s ' \n' ' ' <"$dest.log" | sed 's/^ *//' | head -c 160
    rm -f "$dest.log"
}
case $entry in
    *.zip)
        if ! command -v unzip >/dev/null 2>&1; then
            echo "cannot unpack a .zip: unzip is not installed (apt-get install -y unzip)" >&2
            exit 1
        fi
        read -r bytes entries < <(unzip -Zt "$entry" 2>/dev/null |
            sed -n 's/^\([0-9]*\) files*, \([0-9]*\) bytes* uncompressed.*/\2 \1/p')
        too_big "${bytes:-0}" "${entries:-0}"
        # -qq quiet, -o overwrite; unzip drops "../" and a leading "/"
        extract unzip -qq -o "$entry" -d "$dest" || {
            echo "not a readable .zip file: $(said)" >&2
            exit 1
        }
        ;;
    *.tar.gz | *.tgz | *.tar)
        read -r bytes entries < <(timeout -s KILL 60 tar -tvf "$entry" 2>/dev/null |
            awk '{ bytes += $3; n++ } END { printf "%d %d\n", bytes, n }')
        too_big "${bytes:-0}" "${entries:-0}"
        # GNU tar refuses members named with ".." and strips leading "/"
        extract tar -xf "$entry" -C "$dest" --no-same-owner --no-same-permissions || {
            echo "not a readable tar archive: $(said)" >&2
            exit 1
        }
        ;;
    *)
        if [ ! -d "$entry" ]; then
            echo "not a folder, a .zip or a .tar.gz" >&2
            exit 1
        fi
        extract cp -R "$entry/." "$dest/" || {
            echo "could not copy the folder: $(said)" >&2
            exit 1
        }
        ;;
esac
rm -f "$dest.log"
find "$dest" -mindepth 1 ! -type f ! -type d -delete
# A name with a control character (a newline could forge a line of the
# ranking below; an escape would reach the instructor's terminal) is dropped
renamed=$(find "$dest" -mindepth 1 -name '*[[:cntrl:]]*' -prune -print0 | tr -cd '\0' | wc -c)
find "$dest" -mindepth 1 -name '*[[:cntrl:]]*' -prune -exec rm -rf {} +
chmod -R u+rwX,go+rX "$dest"

# The folder with the most of the lab's files; the shallowest, then the
# first by name, among equals.
declare -A count=()
named=()
for f in "${files[@]}"; do named+=(${named[0]+-o} -name "$f"); done
while IFS= read -r -d '' hit; do
    d=${hit%/*}
    count[$d]=$((${count[$d]:-0} + 1))
done < <(find "$dest" -name __MACOSX -prune -o -type f \( "${named[@]}" \) -print0)
best=$dest
if [ ${#count[@]} -gt 0 ]; then
    best=$(for d in "${!count[@]}"; do
        depth=${d//[!\/]/}
        printf '%03d %03d %s\n' $((999 - ${count[$d]})) ${#depth} "$d"
    done | LC_ALL=C sort | head -1 | cut -d' ' -f3-)
fi
echo "$best"
shown() { # a folder as the student named it (printable characters only)
    local rel=${1#"$dest"}
    printf '%s/\n' "${rel#/}" | tr -c '[:print:]\n' '?'
}
if [ "$best" != "$dest" ]; then
    echo "graded the files in $(shown "$best")"
fi
others=()
for d in "${!count[@]}"; do
    [ "$d" != "$best" ] && others+=("$(shown "$d")")
done
if [ ${#others[@]} -gt 0 ]; then
    echo "lab files also in $(printf '%s\n' "${others[@]}" | LC_ALL=C sort | paste -sd' ') (not graded)"
fi
if [ "$renamed" -gt 0 ]; then
    echo "ignored $renamed file(s) or folder(s) whose names hold control characters"
fi
missing=()
for f in "${files[@]}"; do
    [ -f "$best/$f" ] || missing+=("$f")
done
if [ ${#missing[@]} -eq ${#files[@]} ]; then
    echo "no lab files found (expected ${files[*]})"
elif [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]}"
fi
exit 0

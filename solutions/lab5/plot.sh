#!/bin/sh
# plot.sh
#
# Usage: plot.sh CSV [PNG]
#
# Draw the benchmark's figures (bench -o CSV) with gnuplot into PNG (default:
# CSV's name with .png): for each message size, the channel's messages per
# second at each capacity (the median, with the runs' min and max as error
# bars), beside the bare queue doing the same, and the kernel floor (one bare
# msgsnd/msgrcv round trip per message) as a reference line.
#
# See also bench.c. Lab 5, handout section 5.
# SPDX-License-Identifier: MIT
set -eu

usage() {
    echo "Usage: plot.sh CSV [PNG]" >&2
    exit 1
}
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
csv=$1
png=${2:-${csv%.csv}.png}
[ -r "$csv" ] || { echo "plot.sh: cannot read $csv" >&2; exit 1; }
command -v gnuplot >/dev/null 2>&1 || {
    echo "plot.sh: gnuplot is not installed (grader/lib/deps.sh bench installs it)" >&2
    exit 1
}
data=$(mktemp "${TMPDIR:-/tmp}/plot.XXXXXX")
trap 'rm -f "$data"' EXIT

# One block per size (blocks apart by two blank lines, for gnuplot's "index"):
# x, capacity, channel median, min, max, bare median, floor in messages/s.
awk -F, '
    $1 == "floor_msgq_rtt_us" { floor[$2] = 1e6 / $4 }
    $1 == "chan_msgs_per_s" || $1 == "bare_msgs_per_s" {
        if (!($2 in seen)) { seen[$2] = 1; sizes[++nsizes] = $2 }
        if (!(($2, $3) in row)) { row[$2, $3] = ++n[$2]; cap[$2, n[$2]] = $3 }
        if ($1 == "chan_msgs_per_s") { chan[$2, $3] = $4 " " $5 " " $6 }
        else { bare[$2, $3] = $4 }
    }
    END {
        for (s = 1; s <= nsizes; s++) {
            z = sizes[s]
            printf "# size %s\n", z
            for (i = 1; i <= n[z]; i++) {
                c = cap[z, i]
                printf "%d %s %s %s %g\n", i - 1, c, chan[z, c], bare[z, c], floor[z]
            }
            printf "\n\n"
        }
    }' "$csv" >"$data"

sizes=$(sed -n 's/^# size //p' "$data")
nsizes=$(echo "$sizes" | wc -w)
[ "$nsizes" -gt 0 ] || { echo "plot.sh: no channel figures in $csv" >&2; exit 1; }

{
    echo "set terminal pngcairo size $((420 * nsizes)),480 noenhanced"
    echo "set output '$png'"
    echo "set multiplot layout 1,$nsizes title 'Lab 5: channel throughput by capacity ($(basename "$csv"))'"
    echo "set xlabel 'capacity (messages; u = unbounded)'"
    echo "set ylabel 'messages per second'"
    echo "set yrange [0:*]"
    echo "set key top left Left reverse samplen 2"
    echo "set offsets 0.3, 0.3, 0, 0"
    echo "set grid ytics"
    i=0
    for size in $sizes; do
        echo "set title '$size bytes per message'"
        echo "plot '$data' index $i using 1:3:4:5:xtic(2) with yerrorlines lw 2 title 'channel', \\"
        echo "     '' index $i using 1:6 with linespoints dt 2 title 'bare queue', \\"
        echo "     '' index $i using 1:7 with lines dt 3 lc rgb 'black' title 'kernel floor'"
        i=$((i + 1))
    done
    echo "unset multiplot"
} | gnuplot
echo "plot: $png"

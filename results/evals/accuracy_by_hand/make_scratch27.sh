#!/bin/sh
# The twenty-seventh by-hand round's scratch folder: files written and edited line by line
# (a to-do list, a numbered list, a log to empty, dates, a CSV without its header, a build
# script that writes to both outputs, lines with trailing spaces).
set -e
d=${1:-/tmp/scratch27}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
printf 'buy milk\n' > todo.txt
printf 'one\ntwo\nthree\nfour\n' > list.txt
printf 'old entry\nanother\n' > log.txt
printf '2026-12-01\n' > dates.txt
printf '1,ann\n2,bob\n' > data.csv
printf '#!/bin/sh\necho built\necho "warning: slow" >&2\n' > build.sh && chmod +x build.sh
printf 'five\nsix\n' > more.txt
printf 'left   \nright\t \n' > spaces.txt

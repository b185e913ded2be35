#!/bin/sh
# The sixteenth by-hand round's scratch folder: text files worked on one at a time (a list of
# names, a CSV, a TSV, a log, notes with blank lines, a words file, contacts).
set -e
d=${1:-/tmp/scratch16}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
printf 'carol\nalice\nbob\nalice\ndave\nerin\nbob\n' > names.txt
printf 'name,city,age\nann,oslo,34\nben,rome,27\ncid,lima,41\ndee,kyiv,19\n' > data.csv
printf 'id\tname\tscore\n1\tann\t90\n2\tben\t75\n' > table.tsv
printf '09:58:01 INFO start\n10:05:12 ERROR disk full\n10:30:00 INFO retry\n10:59:59 WARN slow\n11:02:00 INFO done\n' > app.log
printf 'first note\n\nsecond note is a much longer line than the others\n\n\nthird\n' > notes.txt
printf 'the cat and the dog\nthe end\n' > words.txt
printf '10.0.0.1 - - "GET /"\n10.0.0.2 - - "GET /a"\n10.0.0.1 - - "GET /b"\n10.0.0.3 - - "GET /"\n' > access.log
printf 'apple\nbanana\ncherry\n' > a.txt
printf 'banana\ncherry\ndate\n' > b.txt
printf 'ann ann@example.com\nben no email\ncid cid.l@mail.org\n' > contacts.txt

#!/bin/sh
# The twenty-third by-hand round's scratch folder: strings and numbers worked on in the shell
# (a list of names, a column of numbers, product codes, a secret, notes with long lines).
set -e
d=${1:-/tmp/scratch23}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
printf 'alice\nbob\ncarol\ndave\n' > names.txt
printf '12\n7\n30\n1\n' > numbers.txt
printf 'AB-1001-XYZ\nCD-2002-QRS\nEF-3003-TUV\n' > codes.txt
printf 'hunter2\n' > secret.txt
printf 'a short line\nthis is the longest line in the file by far\nend\n' > notes.txt
printf 'id\tname\tscore\n1\tann\t90\n2\tbo\t85\n' > data.tsv
: > report.final.pdf

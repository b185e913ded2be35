#!/bin/sh
# The twenty-first by-hand round's scratch folder: two versions of a small project (old/ and
# new/), a backup folder with an extra file, two lists, two copies of one report, and a patch.
set -e
d=${1:-/tmp/scratch21}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p old/lib new/lib backup
printf '[app]\nport = 8080\ndebug = true\n' > old/config.ini
printf '[app]\nport = 9090\ndebug = false\n' > new/config.ini
printf 'def main():\n    print("hi")\n' > old/app.py
printf 'def main():\n    print("hi")  \n    print("bye")\n' > new/app.py
printf 'x = 1\n' > old/lib/util.py && cp old/lib/util.py new/lib/util.py
printf 'name,qty\napple,1\npear,2\nplum,3\n' > old/data.csv
printf 'name,qty\napple,1\npear,5\nplum,3\nfig,4\n' > new/data.csv
printf 'first notes\n' > new/NOTES.md
printf 'legacy\n' > old/legacy.txt
cp old/config.ini backup/config.ini && printf 'stale\n' > backup/stale.tmp
printf 'milk\neggs\nbread\napples\n' > list1.txt
printf 'bread\ncheese\nmilk\n' > list2.txt
printf '%%PDF-1.4 report\n' > report.pdf && cp report.pdf report-copy.pdf
diff -ruN old new > changes.patch || true

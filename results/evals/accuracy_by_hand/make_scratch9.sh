#!/bin/sh
# The ninth by-hand round's scratch folder: archives and the files around them (a home-style
# folder with a backup tarball, a zip of photos, reports, logs and a gzipped log).
set -e
d=${1:-/tmp/scratch9}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p reports photos logs src/app
printf 'q1\n' > reports/q1.txt && printf 'q2\n' > reports/q2.txt
printf 'x' > photos/a.jpg && printf 'y' > photos/b.jpg
printf 'print("hi")\n' > src/app/main.py && printf '# app\n' > src/README.md
(cd src && tar -czf ../backup.tar.gz app README.md)
(cd photos && python3 -c "import zipfile; z=zipfile.ZipFile('../photos.zip','w'); [z.write(n) for n in ('a.jpg','b.jpg')]; z.close()")
printf 'line1\nline2\n' > logs/app.log && printf 'old\n' > logs/old.log
gzip -k logs/old.log
printf 'notes\n' > notes.txt

#!/bin/sh
# The twenty-fifth by-hand round's scratch folder: links and what a file's metadata says
# (releases and the links to them, one broken; a script, a binary file, notes, two files of
# different ages, a backup folder).
set -e
d=${1:-/tmp/scratch25}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p releases/v1 releases/v2 backup
printf 'v1\n' > releases/v1/VERSION
printf 'v2\n' > releases/v2/VERSION
ln -s releases/v1 current
ln -s releases/v0 old
printf '#!/bin/sh\necho deploying\n' > deploy.sh && chmod 755 deploy.sh
head -c 3000 /dev/zero > data.bin
printf 'remember the milk\n' > notes.txt
printf 'a\n' > a.txt && touch -d '2026-01-01 10:00' a.txt
printf 'b\n' > b.txt && touch -d '2026-03-01 10:00' b.txt

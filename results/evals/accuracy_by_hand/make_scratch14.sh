#!/bin/sh
# The fourteenth by-hand round's scratch folder: archives and backups (tarballs, zips, gzipped
# files, a project with node_modules, dated backups).
set -e
d=${1:-/tmp/scratch14}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p logs config reports project/src project/node_modules/left-pad backups downloads docs
printf 'INFO start\nERROR disk full\nINFO done\n' > logs/app.log
printf 'GET / 200\nGET /x 404\n' > logs/access.log
printf 'error: timeout\n' > logs/worker.log
printf '[server]\nport = 8000\n' > config/app.ini
printf 'key: value\n' > config/settings.yaml
printf 'q1 revenue 100\n' > reports/q1.txt
printf 'q2 revenue 120\n' > reports/q2.txt
printf 'print("hi")\n' > project/src/main.py
printf '{"name": "project"}\n' > project/package.json
printf 'module.exports = 1\n' > project/node_modules/left-pad/index.js
for day in 2026-11-28 2026-11-29 2026-11-30 2026-12-01 2026-12-02; do
  tar -czf "backups/backup-$day.tar.gz" config
done
touch -d '2026-11-28' backups/backup-2026-11-28.tar.gz
touch -d '2026-11-29' backups/backup-2026-11-29.tar.gz
touch -d '2026-11-30' backups/backup-2026-11-30.tar.gz
touch -d '2026-12-01' backups/backup-2026-12-01.tar.gz
tar -czf backup.tar.gz config reports
mkdir -p site && printf '<h1>hi</h1>\n' > site/index.html && printf 'body{}\n' > site/style.css
zip -qr site.zip site && rm -rf site
mkdir -p photos_src && printf 'jpg1' > photos_src/a.jpg && printf 'jpg2' > photos_src/b.jpg
(cd photos_src && zip -q ../downloads/photos.zip a.jpg b.jpg) && rm -rf photos_src
printf 'x' > one.txt && zip -q downloads/fonts.zip one.txt && rm one.txt
printf 'name,qty\napple,3\npear,5\n' > data.csv && gzip data.csv
printf 'buy milk\ncall mom\n' > notes.txt && gzip notes.txt
printf 'old error line\nfine\n' > logs/app.log.1 && gzip logs/app.log.1
printf 'another error\n' > logs/app.log.2 && gzip logs/app.log.2
printf 'report body\n' > docs/report.txt
printf '%%PDF-1.4 fake\n' > docs/manual.pdf
seq 1 2500 > numbers.txt

#!/bin/sh
# The thirteenth by-hand round's scratch folder: the network (downloads, a site to upload, a
# list of URLs, a JSON body to post, photos to sync to a backup server).
set -e
d=${1:-/tmp/scratch13}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p site photos Downloads
printf '<h1>hi</h1>\n' > site/index.html
printf 'x' > photos/a.jpg
printf 'https://example.com/a.txt\nhttps://example.com/b.txt\n' > urls.txt
printf '{"name": "widget", "price": 3}\n' > data.json
printf 'notes\n' > notes.txt

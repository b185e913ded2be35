#!/bin/sh
# The eighth by-hand round's scratch folder: data files to slice and count (CSV, JSON, a web
# server's log, word lists, a config file).
set -e
d=${1:-/tmp/scratch8}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
printf 'date,customer,product,amount\n2026-11-01,acme,widget,120.50\n2026-11-01,globex,gadget,80\n2026-11-02,acme,gadget,40.25\n2026-11-03,initech,widget,300\n2026-11-03,globex,widget,15\n' > sales.csv
printf '[\n  {"name": "ann", "age": 34, "city": "Paris", "admin": true},\n  {"name": "bob", "age": 27, "city": "Oslo", "admin": false},\n  {"name": "cy", "age": 41, "city": "Paris", "admin": false}\n]\n' > users.json
cat > access.log <<'LOG'
10.0.0.1 - - [01/Dec/2026:10:00:01 +0000] "GET /index.html HTTP/1.1" 200 512
10.0.0.2 - - [01/Dec/2026:10:00:02 +0000] "GET /missing HTTP/1.1" 404 128
10.0.0.1 - - [01/Dec/2026:10:00:03 +0000] "POST /login HTTP/1.1" 302 64
10.0.0.3 - - [01/Dec/2026:10:00:04 +0000] "GET /index.html HTTP/1.1" 200 512
10.0.0.1 - - [01/Dec/2026:10:00:05 +0000] "GET /admin HTTP/1.1" 500 0
LOG
printf 'apple\nbanana\ncherry\napple\ndate\n' > fruits.txt
printf 'apple\ncherry\nfig\n' > basket.txt
printf 'Ann <ann@example.com>\nBob <bob@test.org>\nno email here\nCy <cy@example.com>\n' > contacts.txt
printf '[server]\nhost = localhost\nport = 8080\n\n[db]\nname = shop\n' > config.ini
printf 'The quick brown fox.\nThe lazy dog sleeps.\n\nA fox again.\n' > story.txt

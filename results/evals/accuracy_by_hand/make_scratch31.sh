#!/bin/sh
# The thirty-first by-hand round's scratch folder: a web server's logs to read (an access log
# in the combined format, an application log with levels, a rotated log and an older
# gzipped one).
set -e
d=${1:-/tmp/scratch31}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
python3 - <<'PY'
import random
random.seed(31)
ips = ["10.0.0.5", "10.0.0.7", "192.168.1.20", "203.0.113.9", "198.51.100.4"]
paths = ["/", "/index.html", "/about", "/api/items", "/api/items/7", "/login", "/missing.png"]
agents = ["Mozilla/5.0 (X11; Linux x86_64)", "curl/8.5.0", "Googlebot/2.1"]
with open("access.log", "w") as f:
    for i in range(120):
        ip = random.choice(ips)
        path = random.choice(paths)
        status = 404 if path == "/missing.png" else random.choice([200, 200, 200, 301, 500])
        size = 0 if status == 404 else random.randint(200, 5000)
        hour, minute = 9 + i // 40, (i * 7) % 60
        f.write(f'{ip} - - [06/Dec/2026:{hour:02d}:{minute:02d}:{i % 60:02d} +0000] "GET {path} HTTP/1.1" {status} {size} "-" "{random.choice(agents)}"\n')
levels = ["INFO"] * 6 + ["DEBUG"] * 3 + ["WARN", "ERROR"]
msgs = {"INFO": "request served", "DEBUG": "cache lookup", "WARN": "slow query took 1.8s",
        "ERROR": "database timeout for alice@example.com"}
with open("app.log", "w") as f:
    for i in range(80):
        lvl = random.choice(levels)
        hour, minute = 9 + i // 30, (i * 11) % 60
        f.write(f"2026-12-06 {hour:02d}:{minute:02d}:{i % 60:02d} {lvl} {msgs[lvl]}\n")
with open("app.log.1", "w") as f:
    f.write("2026-12-05 23:59:01 INFO request served\n2026-12-05 23:59:30 ERROR Timeout talking to bob@example.org\n")
PY
printf '2026-12-04 10:00:00 INFO started\n' > app.log.2 && gzip app.log.2

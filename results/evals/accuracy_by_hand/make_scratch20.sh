#!/bin/sh
# The twentieth by-hand round's scratch folder: searching the text of a small project (code
# with TODOs and license lines, a node_modules folder, logs, an access log, contacts, notes,
# prices and a hidden .env).
set -e
d=${1:-/tmp/scratch20}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p src node_modules/lib logs
printf '# License: MIT\nimport os\n# TODO: cache this\ndef load():\n    return os.getenv("A")  # timeout later\n' > src/app.py
printf '# License: MIT\ndef parse(x):\n    # TODO: handle errors\n    # TODO: unicode\n    return x\ndef dump(y):\n    return y\n' > src/utils.py
printf 'import os\nprint("no license here")\n' > src/cli.py
printf '// TODO: vendored\nvar password = "x";\n' > node_modules/lib/index.js
printf 'password = "hunter2"  # TODO: remove\n' > src/settings.py
printf 'INFO start\nWARNING disk low\nERROR timeout talking to db\nERROR disk full\nINFO done\n' > logs/app.log
printf 'INFO start\nwarning: slow\nException: boom\nERROR bad input\nException: again\n' > logs/worker.log
printf 'line1\nline2\npanic: nil map\nline4\nline5\nline6\n' > logs/server.log
printf '10.0.0.1 - - "GET /index.html" 200\n192.168.1.7 - - "GET /about.html" 200\n10.0.0.1 - - "GET /index.html" 304\n' > access.log
printf 'Ann ann@example.com\nBob no email\nCid cid@mail.example.org\n' > contacts.txt
printf 'the cat sat\na category error\nconcatenate\nCat food\n' > notes.txt
printf 'apple $1.20\npear $12.50 each\nnothing here\nplum $3\n' > prices.txt
printf 'api_key=abc123\n' > .env
printf 'foo and bar\n' > both.txt && printf 'only foo\n' > foo_only.txt

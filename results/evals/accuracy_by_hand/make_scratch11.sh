#!/bin/sh
# The eleventh by-hand round's scratch folder: a home-like folder to ask about this machine
# from (processes, ports, disks, users, services, the network): the requests are about the
# machine, not about these files.
set -e
d=${1:-/tmp/scratch11}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p projects/site Downloads
printf 'hello\n' > notes.txt
printf 'print("hi")\n' > projects/site/app.py

#!/bin/sh
# The forty-seventh by-hand round's scratch folder: a project worked on in tmux (a Makefile
# and a tmux configuration file here; the sessions the requests speak of are the user's).
set -e
d=${1:-/tmp/scratch47}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
printf 'all:\n\t@echo built\n\ntest:\n\t@echo tested\n' > Makefile
printf 'set -g mouse on\nset -g history-limit 10000\n' > .tmux.conf

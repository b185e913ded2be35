#!/bin/sh
# The nineteenth by-hand round's scratch folder: the shell itself (PATH, variables, aliases,
# programs and their versions), asked from a small project with its own bin folder and a
# .env file. HOME stays the user's: the requests are about this user's shell.
set -e
d=${1:-/tmp/scratch19}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p bin src
printf '#!/bin/sh\necho "tool $*"\n' > bin/tool && chmod 755 bin/tool
printf 'API_URL=https://api.example.com\nDEBUG=true\n' > .env
printf 'print("hello")\n' > src/app.py
printf 'alias ll="ls -la"\nexport EDITOR=nano\n' > shellrc

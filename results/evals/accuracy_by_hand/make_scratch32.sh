#!/bin/sh
# The thirty-second by-hand round's scratch folder: software installed on this machine (a
# Python project's requirements and a list of Debian packages to install).
set -e
d=${1:-/tmp/scratch32}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
printf 'requests==2.32.3\nclick>=8.1\n' > requirements.txt
printf 'jq\nripgrep\ncurl\n' > packages.txt
printf '[project]\nname = "tool"\nversion = "0.1.0"\ndependencies = ["click>=8.1"]\n' > pyproject.toml

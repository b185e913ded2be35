#!/bin/sh
# The thirty-fifth by-hand round's scratch folder: users, groups and logins are the machine's
# (asked about, or changed, by dry run only); here a shared folder and a list of new users.
set -e
d=${1:-/tmp/scratch35}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir shared && printf 'plan\n' > shared/plan.txt
printf 'carol\ndave\n' > new_users.txt

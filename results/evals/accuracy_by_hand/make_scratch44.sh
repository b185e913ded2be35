#!/bin/sh
# The forty-fourth by-hand round's scratch project: round 33's website in git (a tag, a
# remote origin with main pushed, branches), now with a stash, a feature branch ahead of
# origin, and a second remote to fetch from.
set -e
d=${1:-/tmp/scratch44}
sh "$(dirname "$0")/make_scratch33.sh" "$d" >/dev/null
cd "$d"
export GIT_AUTHOR_NAME=Ann GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME=Ann GIT_COMMITTER_EMAIL=ann@example.com
git push -q origin HEAD:main 2>/dev/null || true
git stash push -q -m "half-done footer" 2>/dev/null || true

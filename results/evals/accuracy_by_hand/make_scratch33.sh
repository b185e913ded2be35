#!/bin/sh
# The thirty-third by-hand round's scratch project: round 7's website kept in git (history,
# branches, one merged, one not; a staged change, an unstaged one, an untracked and an
# ignored file), with a tag v1.0 on the first commit and a remote called origin.
set -e
d=${1:-/tmp/scratch33}
sh "$(dirname "$0")/make_scratch7.sh" "$d"
cd "$d"
export GIT_AUTHOR_NAME=Ann GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME=Ann GIT_COMMITTER_EMAIL=ann@example.com
git tag v1.0 "$(git rev-list --max-parents=0 HEAD)"
rm -rf ../origin33.git && git init -q --bare ../origin33.git && git remote add origin ../origin33.git

#!/bin/sh
# The fifty-sixth by-hand round's scratch folder: a git repository with two submodules (a
# library on a branch, a vendored theme), their upstreams as local bare repositories beside it.
set -e
d=${1:-/tmp/scratch56}
up=$d.upstream
rm -rf "$d" "$up" && mkdir -p "$d" "$up"
export GIT_AUTHOR_NAME=dev GIT_AUTHOR_EMAIL=dev@example.com GIT_COMMITTER_NAME=dev
export GIT_COMMITTER_EMAIL=dev@example.com GIT_AUTHOR_DATE=2026-11-02T10:00:00 GIT_COMMITTER_DATE=2026-11-02T10:00:00
for lib in parser theme; do
  git init -q -b main "$up/$lib.src"
  (cd "$up/$lib.src" && echo "# $lib" > README.md && git add . && git commit -qm "$lib 1.0" && git tag v1.0)
  git clone -q --bare "$up/$lib.src" "$up/$lib.git"
done
(cd "$up/parser.src" && git checkout -qb stable && echo fix >> README.md && git commit -qam "parser fix" && git push -q "$up/parser.git" stable main)
(cd "$up/parser.src" && git checkout -q main && echo feature >> README.md && git commit -qam "parser 1.1" && git push -q "$up/parser.git" main)
cd "$d"
git init -q -b main
echo "print('app')" > app.py
git add app.py && git commit -qm "app"
git -c protocol.file.allow=always submodule add -q -b stable "$up/parser.git" lib/parser
git -c protocol.file.allow=always submodule add -q "$up/theme.git" vendor/theme
(cd lib/parser && git checkout -q stable~1 2>/dev/null || true)
git add -A && git commit -qm "add submodules"
git config protocol.file.allow always

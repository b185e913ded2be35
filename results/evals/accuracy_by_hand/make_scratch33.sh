#!/bin/sh
# The thirty-third by-hand round's scratch project: round 7's website kept in git (history,
# branches, one merged, one not; a staged change, an unstaged one, an untracked and an
# ignored file), with a tag v1.0 on the first commit and a remote called origin.
set -e
d=${1:-/tmp/scratch33}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
export GIT_AUTHOR_NAME=Ann GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME=Ann GIT_COMMITTER_EMAIL=ann@example.com
git init -q -b main
mkdir -p css js img
printf '<html>\n<body>\n<h1>Home</h1>\n</body>\n</html>\n' > index.html
printf 'body { margin: 0; }\n' > css/style.css
printf '# Site\n\nOur website.\n' > README.md
printf 'node_modules/\n*.log\n' > .gitignore
git add -A && GIT_AUTHOR_DATE='2026-11-20T10:00:00' GIT_COMMITTER_DATE='2026-11-20T10:00:00' git commit -q -m "First version"
printf 'console.log("menu");\n' > js/menu.js
git add -A && GIT_AUTHOR_DATE='2026-11-25T10:00:00' GIT_COMMITTER_DATE='2026-11-25T10:00:00' git commit -q -m "Add the menu"
git checkout -q -b pricing
printf '<html>\n<body>\n<h1>Pricing</h1>\n</body>\n</html>\n' > pricing.html
git add -A && GIT_AUTHOR_NAME=Bob GIT_AUTHOR_EMAIL=bob@example.com GIT_AUTHOR_DATE='2026-11-28T10:00:00' GIT_COMMITTER_DATE='2026-11-28T10:00:00' git commit -q -m "Add the pricing page"
git checkout -q main && git merge -q --no-ff -m "Merge pricing" pricing
git checkout -q -b dark-mode
printf 'body { background: #000; }\n' >> css/style.css
git commit -q -am "Dark mode draft"
git checkout -q main
printf '<footer>(c) 2026</footer>\n' >> index.html
GIT_AUTHOR_NAME=Bob GIT_AUTHOR_EMAIL=bob@example.com git commit -q -am "Add a footer"
printf 'h1 { color: navy; }\n' >> css/style.css && git add css/style.css
printf '\nContact: info@example.com\n' >> README.md
printf 'notes to self\n' > todo.txt
printf 'debug\n' > build.log
git tag v1.0 "$(git rev-list --max-parents=0 HEAD)"
rm -rf ../origin33.git && git init -q --bare ../origin33.git && git remote add origin ../origin33.git

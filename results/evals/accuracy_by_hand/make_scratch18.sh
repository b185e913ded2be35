#!/bin/sh
# The eighteenth by-hand round's scratch folder: finding files by name, size, age and kind in
# an untidy tree (big and empty files, old ones, copies, hidden ones, a broken link, names
# with spaces, a node_modules folder, scripts with and without the execute bit).
set -e
d=${1:-/tmp/scratch18}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p src/lib web/node_modules/left-pad app/node_modules/react photos/2025 photos/2026 \
  logs old/empty1 old/empty2 scripts
printf 'print("hi")\n' > src/main.py && printf 'def f():\n    pass\n' > src/lib/util.py
printf 'import os\n' > src/lib/io.py
printf '{"name": "web"}\n' > web/config.json && printf '{"name": "app"}\n' > app/config.json
printf '{"name": "left-pad"}\n' > web/node_modules/left-pad/config.json
printf 'module.exports = 1\n' > web/node_modules/left-pad/index.js
printf 'module.exports = 2\n' > app/node_modules/react/index.js
truncate -s 25M logs/huge.log && truncate -s 12M photos/2026/video.mp4
printf 'ok\n' > logs/app.log && printf 'err\n' > logs/error.log
: > src/empty.py && : > notes_empty.txt
printf 'jpg1\n' > photos/2025/beach.jpg && printf 'jpg2\n' > photos/2026/city.jpg
printf 'jpg1\n' > photos/2026/beach-copy.jpg && printf 'jpeg\n' > photos/2025/snow.jpeg
printf 'jpeg2\n' > photos/2026/rain.jpeg
printf 'Draft 1\n' > "My Draft.txt" && printf 'draft 2\n' > "old/final DRAFT.md"
printf 'notes\n' > notes.txt && touch -d '2026-12-01 12:00' notes.txt
printf 'x\n' > src/main.py.bak && printf 'y\n' > web/config.json.bak
printf 'secret\n' > .env && printf 'x\n' > .hidden_notes
ln -s missing.txt broken_link && ln -s notes.txt good_link
printf '#!/bin/sh\necho build\n' > scripts/build.sh && chmod 755 scripts/build.sh
printf '#!/bin/sh\necho deploy\n' > scripts/deploy.sh && chmod 644 scripts/deploy.sh
printf 'old\n' > old/report2024.txt && touch -d '2024-06-01 12:00' old/report2024.txt
touch -d '2026-12-03 12:00' src/lib/util.py logs/error.log
touch -d '2026-11-01 12:00' src/main.py src/lib/io.py

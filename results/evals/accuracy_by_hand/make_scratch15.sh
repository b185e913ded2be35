#!/bin/sh
# The fifteenth by-hand round's scratch folder: permissions and owners (scripts, a shared
# folder, secrets, ssh keys, a website's files, uploads).
set -e
d=${1:-/tmp/scratch15}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p scripts shared secrets keys uploads docs/guides site/css site/img
printf '#!/bin/sh\necho deploy\n' > deploy.sh
printf '#!/bin/sh\necho backup\n' > scripts/backup.sh
printf '#!/bin/sh\necho clean\n' > scripts/clean.sh
printf '#!/bin/sh\necho ok\n' > scripts/check.sh && chmod 755 scripts/check.sh
chmod 644 scripts/backup.sh scripts/clean.sh deploy.sh
printf 'notes\n' > shared/notes.txt && chmod 666 shared/notes.txt
printf 'plan\n' > shared/plan.txt && chmod 664 shared/plan.txt
printf 'token=abc\n' > secrets/token.txt && chmod 755 secrets && chmod 644 secrets/token.txt
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nfake\n' > keys/id_rsa && chmod 644 keys/id_rsa
printf 'ssh-ed25519 AAAA fake\n' > keys/id_rsa.pub
printf 'guide\n' > docs/guides/start.md && printf 'readme\n' > docs/README.md
printf '<h1>hi</h1>\n' > site/index.html && printf 'body{}\n' > site/css/main.css
printf 'png' > site/img/logo.png && chmod 600 site/index.html && chmod 700 site/css
printf 'up\n' > uploads/photo.jpg
printf '[app]\nname = demo\n' > config.ini && chmod 640 config.ini && touch -d '2026-01-02' config.ini

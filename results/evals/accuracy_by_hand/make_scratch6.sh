#!/bin/sh
# The sixth by-hand round's scratch project: a small deployment folder (configs, scripts, data).
set -e
d=${1:-/tmp/scratch6}
rm -rf "$d" && mkdir -p "$d" && cd "$d" && mkdir -p scripts data backups conf
printf 'services:\n  web:\n    image: nginx:1.25\n    ports:\n      - "8080:80"\n  db:\n    image: postgres:16\n' > docker-compose.yml
printf 'DB_HOST=localhost\nDB_PORT=5432\nDEBUG=true\n' > .env
printf 'server {\n  listen 80;\n  server_name example.com;\n}\n' > conf/nginx.conf
printf '#!/bin/sh\necho deploying\n' > scripts/deploy.sh
printf '#!/bin/sh\necho backing up\n' > scripts/backup.sh && chmod +x scripts/backup.sh
printf '[{"id": 1, "user": "ann", "active": true}, {"id": 2, "user": "bob", "active": false}]\n' > data/users.json
printf 'ts,level,msg\n2026-12-01,ERROR,disk full\n2026-12-01,INFO,ok\n2026-12-02,ERROR,timeout\n' > data/events.csv
for i in 1 2 3 4; do printf 'dump %s\n' $i > backups/db-2026-11-0$i.sql; done
touch -d '2026-11-01' backups/db-2026-11-01.sql
printf 'all:\n\t./scripts/deploy.sh\n' > Makefile

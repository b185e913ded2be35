#!/bin/sh
# The twelfth by-hand round's scratch folder: configuration files to read and edit (an ini
# file, a .env, an nginx site, a compose file, a YAML settings file, a hosts-style list).
set -e
d=${1:-/tmp/scratch12}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p config nginx
printf '[server]\nport = 8000\nhost = 0.0.0.0\ndebug = true\n\n[database]\nname = app\nuser = admin\n# password = secret\n' > config/app.ini
printf 'DEBUG=true\nSECRET_KEY=abc123\nDATABASE_URL=postgres://localhost/app\n# API_TOKEN=xyz\nTIMEOUT=30\n' > .env
printf 'server {\n    listen 80;\n    server_name example.com;\n    root /var/www/html;\n    # gzip on;\n    location / {\n        try_files $uri $uri/ =404;\n    }\n}\n' > nginx/site.conf
printf 'services:\n  web:\n    image: nginx:1.25\n    ports:\n      - "80:80"\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\n' > docker-compose.yml
printf 'log_level: info\nworkers: 4\nfeatures:\n  - search\n  - export\n' > config/settings.yaml
printf '127.0.0.1 localhost\n10.0.0.5 db.internal\n10.0.0.6 cache.internal\n' > hosts.txt

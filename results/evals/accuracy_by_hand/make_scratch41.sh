#!/bin/sh
# The forty-first by-hand round's scratch folder: certificates, keys and secrets (a
# self-signed certificate and its key, a certificate request, a file to encrypt).
set -e
d=${1:-/tmp/scratch41}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p certs
openssl req -x509 -newkey rsa:2048 -nodes -keyout certs/server.key -out certs/server.crt \
  -days 90 -subj "/CN=app.example.com/O=Example" >/dev/null 2>&1
openssl req -new -newkey rsa:2048 -nodes -keyout certs/api.key -out certs/api.csr \
  -subj "/CN=api.example.com" >/dev/null 2>&1
printf 'DB_PASSWORD=hunter2\nAPI_TOKEN=abc123\n' > secrets.env
printf 'hello\n' > notes.txt

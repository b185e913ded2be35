#!/bin/sh
# The twenty-ninth by-hand round's scratch folder: keys, checksums and encryption (an ssh key
# pair, a certificate, a release tarball with its checksum files, two binary files, a secret).
set -e
d=${1:-/tmp/scratch29}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir keys
ssh-keygen -q -t ed25519 -N '' -C demo -f keys/id_ed25519
openssl req -x509 -newkey rsa:2048 -nodes -keyout cert.key -out cert.pem -days 30 \
  -subj '/CN=demo.example.com' 2>/dev/null
printf 'release\n' > notes.txt && tar -czf release.tar.gz notes.txt && rm notes.txt
printf 'other\n' > other.txt && tar -czf other.tar.gz other.txt && rm other.txt
sha256sum release.tar.gz other.tar.gz > SHA256SUMS
sha256sum release.tar.gz > release.sha256
head -c 64 /dev/zero > a.bin
head -c 64 /dev/zero | tr '\0' 'b' > b.bin
head -c 48 /dev/zero | tr '\0' 'k' > key.bin
printf 'the password is swordfish\n' > secret.txt

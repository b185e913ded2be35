#!/bin/sh
# The twenty-fourth by-hand round's scratch folder: files converted from one form to another
# (line endings, an encoding, JSON compact and indented, a CSV, long lines, tabs, byte counts,
# a picture, a binary file, a base64 file).
set -e
d=${1:-/tmp/scratch24}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
printf 'first line\r\nsecond line\r\n' > windows.txt
printf 'caf\351 cr\350me\n' > latin1.txt
printf '{"name":"cmdai","version":"1.0","tags":["cli","llm"]}\n' > data.json
printf '{\n  "a": 1,\n  "b": [\n    2,\n    3\n  ]\n}\n' > pretty.json
cat > users.json <<'J'
[{"name": "ann", "email": "ann@example.com", "age": 31},
 {"name": "bob", "email": "bob@example.com", "age": 25},
 {"name": "cy", "email": "cy@example.com", "age": 40}]
J
printf 'name,city,score\nann,Paris,90\nbob,Rome,85\n' > table.csv
printf 'This line is much longer than forty characters and should be wrapped somewhere.\n' > long.txt
printf 'def f():\n\treturn 1\n' > indented.py
printf '1024\n1536000\n5368709120\n' > sizes.txt
printf 'hello base64\n' | base64 > encoded.txt
head -c 256 /dev/zero | tr '\0' 'A' > blob.bin
# A 100x80 red PNG, written without ImageMagick (this machine's convert is a stand-in).
python3 -c 'import struct,zlib
def chunk(t,d): return struct.pack(">I",len(d))+t+d+struct.pack(">I",zlib.crc32(t+d))
rows=b"".join(b"\0"+b"\xff\0\0"*100 for _ in range(80))
open("photo.png","wb").write(b"\x89PNG\r\n\x1a\n"+chunk(b"IHDR",struct.pack(">IIBBBBB",100,80,8,2,0,0,0))+chunk(b"IDAT",zlib.compress(rows))+chunk(b"IEND",b""))'

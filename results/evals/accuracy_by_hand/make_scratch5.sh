#!/bin/sh
# The fifth by-hand round's scratch project: a small Python repository (code below src/).
set -e
d=${1:-/tmp/scratch5}
rm -rf "$d" && mkdir -p "$d" && cd "$d" && git init -q . && mkdir -p src/app tests docs build logs
printf 'import os\n\ndef main():\n    print("hi")  # TODO: args\n' > src/app/main.py
printf 'def helper(x):\n    return x * 2\n' > src/app/util.py
printf 'def test_x():\n    assert True\n' > tests/test_main.py
printf '# App\nSee docs.\n' > README.md
printf 'requests==2.31\nnumpy>=1.26\n' > requirements.txt
for i in 1 2 3; do printf "2026-12-0$i 10:00 ERROR db timeout\n2026-12-0$i 10:01 INFO ok\n" > logs/app-$i.log; done
head -c 3000000 /dev/urandom > build/blob.bin
printf 'name,age\nann,31\nbob,27\n' > docs/people.csv
git add -A && git -c user.name=t -c user.email=t@t commit -qm init && echo "extra" >> README.md

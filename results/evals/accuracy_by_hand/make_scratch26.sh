#!/bin/sh
# The twenty-sixth by-hand round's scratch folder: doing something for each file or each line
# (a folder of CSV files, text files, logs, temporary files, a list of hosts, a list of names,
# a script that processes one file, a script that fails twice before it succeeds).
set -e
d=${1:-/tmp/scratch26}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir data
printf 'id,v\n1,a\n2,b\n' > data/a.csv
printf 'id,v\n3,c\n' > data/b.csv
printf 'id,v\n4,d\n5,e\n6,f\n' > data/c.csv
printf 'one\ntwo\n' > notes.txt
printf 'alpha\n' > todo.txt
printf 'start\nok\nstopped\n' > app.log
printf 'start\nfailed\n' > db.log
printf 'localhost\n127.0.0.1\n' > hosts.txt
printf 'alice\nbob\n' > names.txt
: > a.tmp; : > b.tmp; : > keep.tmp
printf '#!/bin/sh\necho "processed $1"\n' > process.sh
printf '#!/bin/sh\nn=$(cat .tries 2>/dev/null || echo 0); n=$((n+1)); echo $n > .tries\n[ $n -ge 3 ] && echo ok || { echo fail; exit 1; }\n' > flaky.sh
chmod +x process.sh flaky.sh

#!/bin/sh
# The twenty-eighth by-hand round's scratch folder: processes and jobs (a server script, a
# build script, two scripts to run together, a file to see who holds open).
set -e
d=${1:-/tmp/scratch28}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
printf '#!/bin/sh\nwhile :; do sleep 60; done\n' > server.sh
printf '#!/bin/sh\necho building\n' > build.sh
printf '#!/bin/sh\necho a\n' > a.sh
printf '#!/bin/sh\necho b\n' > b.sh
chmod +x server.sh build.sh a.sh b.sh
printf 'remember\n' > notes.txt

#!/bin/sh
# The seventeenth by-hand round's scratch folder: time, dates and jobs that run later or
# repeatedly (a backup script, a log with dates, a slow script, files of several ages).
set -e
d=${1:-/tmp/scratch17}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p reports logs
printf '#!/bin/sh\ntar -czf /tmp/backup.tar.gz reports\n' > backup.sh && chmod 755 backup.sh
printf '#!/bin/sh\nsleep 30\necho done\n' > slow.sh && chmod 755 slow.sh
printf '2026-11-30 job ok\n2026-12-01 job failed\n2026-12-05 job ok\n' > logs/jobs.log
printf 'q3\n' > reports/q3.txt && touch -d '2026-09-30 12:00' reports/q3.txt
printf 'q4\n' > reports/q4.txt && touch -d '2026-12-04 09:00' reports/q4.txt
printf 'draft\n' > reports/draft.txt

#!/bin/sh
# The forty-sixth by-hand round's scratch folder: a small web app deployed as a systemd
# service, its unit file and a timer beside it (not installed: the machine has no systemd
# here, so the answers are judged by reading).
set -e
d=${1:-/tmp/scratch46}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > shopapi.service <<'UNIT'
[Unit]
Description=Shop API
After=network.target

[Service]
User=shop
WorkingDirectory=/opt/shopapi
ExecStart=/opt/shopapi/venv/bin/uvicorn app.main:app --port 8000
Restart=on-failure

[Install]
WantedBy=multi-user.target
UNIT
cat > cleanup.service <<'UNIT'
[Unit]
Description=Remove old uploads

[Service]
Type=oneshot
ExecStart=/opt/shopapi/venv/bin/python /opt/shopapi/cleanup.py
UNIT
cat > cleanup.timer <<'UNIT'
[Unit]
Description=Run cleanup daily

[Timer]
OnCalendar=daily
Persistent=true

[Install]
WantedBy=timers.target
UNIT

#!/bin/sh
# The fiftieth by-hand round's scratch folder: a small web app with a Dockerfile (no Compose
# file), an .env file and a .dockerignore; no image built (and no Docker daemon here).
set -e
d=${1:-/tmp/scratch50}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > Dockerfile <<'DOCKER'
FROM python:3.12-slim AS base
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV PORT=8000
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:server"]
DOCKER
printf 'flask\ngunicorn\n' > requirements.txt
cat > app.py <<'PY'
from flask import Flask

server = Flask(__name__)


@server.get("/")
def index():
    return "hello"
PY
printf 'SECRET_KEY=change-me\nDEBUG=0\n' > .env
printf '.env\n.git\n__pycache__\n' > .dockerignore
mkdir -p tests
printf 'def test_ok():\n    assert True\n' > tests/test_app.py

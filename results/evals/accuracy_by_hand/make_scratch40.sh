#!/bin/sh
# The fortieth by-hand round's scratch folder: an application run with Docker Compose (a web
# service built from the Dockerfile here, a database and a worker, a volume for the data).
set -e
d=${1:-/tmp/scratch40}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > compose.yaml <<'YAML'
services:
  web:
    build: .
    ports:
      - "8000:8000"
    depends_on:
      - db
    environment:
      DATABASE_URL: postgres://app:secret@db:5432/app
  db:
    image: postgres:16
    volumes:
      - dbdata:/var/lib/postgresql/data
  worker:
    build: .
    command: python worker.py
volumes:
  dbdata:
YAML
cat > Dockerfile <<'DOCKER'
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
DOCKER
printf 'flask\npsycopg[binary]\n' > requirements.txt
printf 'print("web")\n' > app.py
printf 'print("worker")\n' > worker.py
printf '.git\n__pycache__\n' > .dockerignore

"""An app run with Docker Compose (cmdai.projects' facts, cmdai.compose_fixes; the fortieth
by-hand round). Docker's daemon is not reachable in tests, so the fixes are checked as text;
the Compose file they read is parsed by the same reader as the facts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import sure_fixed as fixed
from conftest import write_files

from cmdai.projects import compose_fact, parse_compose, project_facts

COMPOSE = """services:
  web:
    build: .
    ports:
      - "8000:8000"
  db:
    image: postgres:16
    volumes:
      - dbdata:/var/lib/postgresql/data
  worker:
    build:
      context: ./jobs
    command: ["python", "worker.py"]
volumes:
  dbdata:
"""


@pytest.fixture
def app(tmp_path: Path) -> Path:
    return write_files(tmp_path, {"compose.yaml": COMPOSE, "Dockerfile": "FROM python:3.12\n"})


@pytest.fixture
def no_compose_v1(monkeypatch: pytest.MonkeyPatch) -> None:
    """As here: docker-compose (Compose v1) not installed."""
    real = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name, *a, **k: None if name == "docker-compose" else real(name)
    )


def test_the_app_is_shown_where_the_request_speaks_of_containers_or_a_service(app: Path) -> None:
    shown = (
        "compose.yaml",
        "Docker Compose app (run with docker compose): services web (built from the Dockerfile "
        "here; ports 8000:8000), db (image postgres:16), worker (built from the Dockerfile in "
        "./jobs; command python worker.py); volumes: dbdata",
    )
    for request in ("start all the services", "restart the worker", "list the containers"):
        assert compose_fact(request, app) == shown, request
    assert project_facts("show the logs of the web service", app) == [shown]
    for request in ("count the lines of app.py", "the worker's salary", "show the disk usage"):
        assert compose_fact(request, app) is None, request
    (app / "compose.yaml").write_text("services: [\n")
    assert compose_fact("start all the services", app) is None
    assert parse_compose("just text") == ({}, [])


def test_compose_v1_and_what_it_was_asked_for(app: Path, no_compose_v1: None) -> None:
    assert fixed("docker-compose up -d", "start all the services", app) == "docker compose up -d"
    assert (
        fixed("docker-compose logs worker", "follow the logs of the worker", app)
        == "docker compose logs -f worker"
    )
    assert fixed("docker compose logs worker", "show the logs of the worker", app) is None
    assert (
        fixed("docker-compose down", "rebuild the web image and restart it", app)
        == "docker compose up -d --build web"
    )
    assert (
        fixed("docker-compose ps", "which services does this app have", app)
        == "docker compose config --services"
    )
    assert fixed("docker compose ps", "which services are running", app) is None
    assert (
        fixed("docker-compose build", "build an image called myapp from the Dockerfile", app)
        == "docker build -t myapp ."
    )
    assert (
        fixed("docker-compose down --volumes", "remove the dangling images", app)
        == "docker image prune"
    )
    assert (
        fixed("docker-compose --version", "check that the compose file is valid", app)
        == "docker compose config --quiet"
    )
    # No Compose file here: none of it.
    assert fixed("docker-compose up -d", "start all the services", app / "elsewhere") is None


def test_a_service_is_not_a_container_name(app: Path) -> None:
    assert (
        fixed("docker cp web:/app/app.log .", "copy /app/app.log out of the web container", app)
        == "docker compose cp web:/app/app.log ."
    )
    assert (
        fixed("docker exec -it db psql", "open a psql prompt in the db container", app)
        == "docker compose exec db psql -U postgres"
    )
    assert fixed("docker exec -it web bash", "open a shell in web", app) == (
        "docker compose exec web bash"
    )
    assert fixed("docker exec -it redis sh", "a shell in redis", app) is None
    write_files(
        app, {"compose.yaml": COMPOSE.replace("  web:\n", "  web:\n    container_name: web\n")}
    )
    assert fixed("docker cp web:/app/app.log .", "copy app.log out of web", app) is None

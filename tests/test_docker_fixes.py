"""A Dockerfile in the folder, and Docker's chores (cmdai.dockerfile_project.dockerfile_fact,
cmdai.docker_fixes; the fiftieth by-hand round). There is no Docker daemon here, so the Docker
commands are checked as text; the questions answered from the Dockerfile run for real."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.dockerfile_project import dockerfile_fact, parse_dockerfile

DOCKERFILE = """FROM python:3.12-slim AS base
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt \\
    && rm -rf /root/.cache
COPY . .
# the app
ENV PORT=8000 WORKERS=2
EXPOSE 8000/tcp
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:server"]
"""


@pytest.fixture
def app(tmp_path: Path) -> Path:
    return write_files(tmp_path, {"Dockerfile": DOCKERFILE, ".env": "DEBUG=0\n", "app.py": ""})


def test_the_dockerfile_is_shown_where_the_request_speaks_of_images(app: Path) -> None:
    assert dockerfile_fact("run the container with its port published on 8080", app) == (
        "Dockerfile",
        "Dockerfile (no image built from it is named here): from python:3.12-slim; workdir "
        '/app; exposes 8000; runs ["gunicorn", "-b", "0.0.0.0:8000", "app:server"]; '
        "environment: PORT, WORKERS; an .env file is here",
    )
    for request in ("count the lines of app.py", "show the disk usage", "list the files"):
        assert dockerfile_fact(request, app) is None, request
    write_files(app, {"compose.yaml": "services: {}\n"})  # the Compose fact tells the services
    assert dockerfile_fact("run the container", app) is None


def test_a_dockerfile_without_from_is_none_and_old_env_is_read() -> None:
    assert parse_dockerfile("RUN echo hi\n") is None
    old = parse_dockerfile("FROM --platform=linux/amd64 alpine:3.20\nENV LANG C.UTF-8\n")
    assert old is not None
    assert (old.bases, old.env, old.ports) == (("alpine:3.20",), ("LANG",), ())


@pytest.mark.parametrize(
    ("command", "request_text", "expected"),
    [
        (
            "docker run -p 8080:8000 -e PORT=8000 -v $(pwd):/app -w /app python:3.12-slim "
            "gunicorn -b 0.0.0.0:8000 app:server",
            "run the container with its port published on 8080",
            "docker run -p 8080:8000 $(docker build -q .)",
        ),
        (
            "docker run -p 8080:8080 your_image_name",
            "run the container with its port published on 8080",
            "docker run -p 8080:8000 $(docker build -q .)",
        ),
        (
            "docker run -d --name my_container -p 8000:8000 ./",
            "run it and remove the container when it stops",
            "docker run --rm -p 8000:8000 $(docker build -q .)",
        ),
        (
            "docker run -d my_image",
            "run it in the background with the settings from .env",
            "docker run -d --env-file .env -p 8000:8000 $(docker build -q .)",
        ),
        (
            "docker run -v $(pwd):/app -p 8000:8000 --name my_container python:3.12-slim",
            "mount the current folder into the container so my edits show up",
            'docker run -p 8000:8000 -v "$PWD":/app $(docker build -q .)',
        ),
        (
            "docker inspect -f '{{.Config.Image}}' .",
            "which base image does it use",
            "grep -i '^FROM' Dockerfile",
        ),
        (
            "docker run -it --rm python:3.12-slim gunicorn",
            "which port does the app listen on",
            "grep -i '^EXPOSE' Dockerfile",
        ),
    ],
)
def test_a_run_of_another_image_runs_the_one_built_here(
    app: Path, command: str, request_text: str, expected: str
) -> None:
    assert fixed(command, request_text, app) == expected


@pytest.mark.parametrize(
    ("command", "request_text", "expected"),
    [
        (
            "docker stop $(docker ps -a -q)",
            "remove all stopped containers",
            "docker container prune",
        ),
        (
            'docker inspect shop-web:1.0 | grep "Size: "',
            "show how big each layer of the shop-web:1.0 image is",
            "docker history shop-web:1.0",
        ),
        (
            "docker push registry.example.com/shop-web:1.0",
            "push shop-web:1.0 to registry.example.com",
            "docker tag shop-web:1.0 registry.example.com/shop-web:1.0 && "
            "docker push registry.example.com/shop-web:1.0",
        ),
        (
            "docker build -t my-python-app:arm64 .",
            "build the image for arm64",
            "docker build --platform linux/arm64 -t my-python-app:arm64 .",
        ),
    ],
)
def test_dockers_chores_anywhere(
    tmp_path: Path, command: str, request_text: str, expected: str
) -> None:
    assert fixed(command, request_text, tmp_path) == expected


@pytest.mark.parametrize(
    ("command", "request_text"),
    [
        ("docker run -p 8000:8080 myapp", "run the myapp image with port 8080 mapped to 8000"),
        ("docker run -p 8080:80 nginx:1.27", "run nginx:1.27 with its port on 8080"),
        ("docker build -t shop-web:1.0 .", "build it and tag it shop-web:1.0"),
        ("docker exec -it shop-web /bin/bash", "open a shell in the running shop-web container"),
        ("docker container rm web db", "Remove stopped containers"),  # named: its own choice
        (
            "docker buildx prune --filter type=source.local",
            "Remove cache records based on a filter",
        ),
        ("docker compose port web 8000", "which port does the web service listen on"),
        ("grep -i '^FROM' Dockerfile", "which base image does it use"),
        ("docker push shop-web:1.0", "push shop-web:1.0"),
        ("docker buildx build --platform linux/arm64 .", "build the image for arm64"),
    ],
)
def test_a_right_draft_or_an_image_of_its_own_is_left_alone(
    app: Path, command: str, request_text: str
) -> None:
    assert fixed(command, request_text, app) is None


def test_nothing_is_run_built_without_a_dockerfile(tmp_path: Path) -> None:
    draft = "docker run -p 8080:8080 your_image_name"
    assert fixed(draft, "run the container with its port on 8080", tmp_path) is None
    write_files(tmp_path, {"Dockerfile": "# no FROM\n"})
    assert fixed(draft, "run the container with its port on 8080", tmp_path) is None


def test_the_questions_read_the_dockerfile(app: Path) -> None:
    assert run_bash("grep -i '^FROM' Dockerfile", app).stdout == "FROM python:3.12-slim AS base\n"
    assert run_bash("grep -i '^EXPOSE' Dockerfile", app).stdout == "EXPOSE 8000/tcp\n"

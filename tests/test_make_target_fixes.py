"""A project's tasks as a Makefile's targets (cmdai.projects.make_fact, cmdai.make_target_fixes;
the forty-third by-hand round). The fixed commands run here with make where it is installed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.projects import make_fact, make_targets

MAKEFILE = """ENV ?= dev
IMAGE ?= shop-api

.PHONY: help test lint format run deploy docker-build docker-push

help:  ## show the targets
\t@grep -E '^[a-z-]+:.*##' Makefile | sed 's/:.*## / - /'

test:  ## run the tests
\t@echo testing

lint:  ## check the code
\t@echo linting

format:  ## format the code
\t@echo formatting

run:  ## start the server on port 8000
\t@echo serving

deploy:  ## deploy to $(ENV)
\t@echo deploying to $(ENV)

docker-build:  ## build the image
\t@echo docker build -t $(IMAGE) .

docker-push: docker-build  ## push the image
\t@echo docker push $(IMAGE)
"""
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_files(tmp_path, {"Makefile": MAKEFILE})


def test_the_targets_are_shown_where_the_request_speaks_of_one(project: Path) -> None:
    assert make_targets(MAKEFILE)[:2] == [("help", "show the targets"), ("test", "run the tests")]
    shown = make_fact("check the code for problems", project)
    assert shown is not None
    assert shown[1].startswith("Makefile targets: help (show the targets), test (run the tests)")
    assert shown[1].endswith("; variables: ENV=dev, IMAGE=shop-api")
    for request in ("deploy to staging", "build the docker image", "what can I run with make"):
        assert make_fact(request, project) is not None, request
    for request in ("count the lines of app.py", "show the disk usage", "list the files"):
        assert make_fact(request, project) is None, request
    assert make_fact("run the tests", project / "elsewhere") is None


@needs_make
def test_targets_run_as_asked(project: Path) -> None:
    staging = fixed("make deploy", "deploy to staging", project)
    assert staging == "make deploy ENV=staging"
    assert run_bash(staging, project).stdout == "deploying to staging\n"
    dry = fixed("make deploy", "show what the deploy target would do without running it", project)
    assert dry == "make -n deploy"
    assert "echo deploying to dev" in run_bash(dry, project).stdout
    assert fixed("make help", "format the code", project) == "make format"
    assert fixed("make test lint format run", "run the tests and the linter", project) == (
        "make test lint"
    )
    tagged = fixed("make docker-build", "build the docker image tagged shop-api:v2", project)
    assert tagged == "make docker-build IMAGE=shop-api:v2"
    assert run_bash(tagged, project).stdout == "docker build -t shop-api:v2 .\n"
    listed = fixed("grep target Makefile", "which targets does the Makefile have", project)
    assert listed == "make help"
    assert "deploy - deploy to $(ENV)" in run_bash(listed, project).stdout
    # As asked already: left alone.
    assert fixed("make deploy", "deploy", project) is None
    assert fixed("make test", "run the tests", project) is None
    assert fixed("make help", "which targets does the Makefile have", project) is None

"""Requests whose object is only a pronoun are answered "ambiguous" before the model runs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from conftest import answer

from cmdai.backends.fake import FakeBackend
from cmdai.core import Engine
from cmdai.vague import unresolved_object, vague_hint


@pytest.mark.parametrize(
    ("request_text", "word"),
    [
        ("delete them", "them"),
        ("copy it there", "it"),
        ("can you merge them?", "them"),
        ("please kill it", "it"),
        ("undo that", "that"),
        ("move that to the backup folder", "that"),
        ("sort these", "these"),
        ("zip all of them", "all of them"),
        ("remove the old ones", "the old ones"),
        ("delete the big one please", "the big one"),
        ("Make it executable.", "it"),
    ],
)
def test_a_pronoun_for_the_object_is_unresolved(request_text: str, word: str) -> None:
    assert unresolved_object(request_text) == word


@pytest.mark.parametrize(
    "request_text",
    [
        "find the logs and delete them",  # the object is named first
        "delete that folder",  # a determiner: "this folder" is the working directory
        "compress this folder",
        "sort these lines",
        "list files in this directory",
        "show me that file",
        "delete them in ~/tmp",  # a path: something concrete to act on
        "delete it: notes.txt",
        "copy it to /tmp",
        "kill it on port 3000",
        "delete 'them'",
        "rm -rf them",
        "list all of the files",
        "delete everything",
        "show disk usage",
        "what is it",
        "",
        "them",
        "delete the files, keeping only the ones I edited this week and the ones in git",
    ],
)
def test_a_named_or_longer_object_is_left_to_the_model(request_text: str) -> None:
    assert unresolved_object(request_text) is None


def test_no_shell_request_of_the_dev_splits_is_caught() -> None:
    # Every dev request of the core and external sets is a shell task: none may be declined.
    root = Path(__file__).resolve().parents[1] / "datasets"
    rows = [
        json.loads(line)
        for path in (root / "core" / "core.jsonl", root / "external" / "external.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    dev = [r["request"] for r in rows if r.get("split") == "dev"]
    assert len(dev) >= 400
    assert [r for r in dev if unresolved_object(r) is not None] == []


def test_the_engine_answers_ambiguous_without_the_model(engine: Engine, fake: FakeBackend) -> None:
    calls = len(fake.history)
    proposal = engine.propose("delete them")
    assert len(fake.history) == calls  # the model never ran
    assert proposal.kind == "ambiguous"
    assert proposal.command is None
    assert proposal.safety is None
    assert proposal.explanation == vague_hint("them")
    assert "delete the .log files in logs" in proposal.explanation


def test_a_request_to_fix_it_points_at_cmdai_fix() -> None:
    assert vague_hint("it", "please fix it").endswith("run cmdai fix")
    assert vague_hint("it", "Retry it").endswith("run cmdai fix")
    assert "cmdai fix" not in vague_hint("them", "delete them")


def test_a_request_that_names_its_program_goes_to_the_model(
    engine: Engine, fake: FakeBackend
) -> None:
    # tldr-pages' style: the program in parentheses says what "it" is done with.
    assert unresolved_object("build it (with uv build)") == "it"
    assert engine.propose("build it (with uv build)").kind == "command"
    assert fake.history  # the model answered (and was asked again: its answer ran no uv)


def test_fix_never_declines_a_vague_request(engine: Engine, fake: FakeBackend) -> None:
    # `cmdai fix` may not answer "no command": the model is asked as usual.
    fixing = dataclasses.replace(engine, declines=False)
    proposal = fixing.propose("fix it")
    assert proposal.kind == "command"
    assert len(fake.history) == 1


@pytest.mark.parametrize(
    "request_text", ["build it in release mode", "run it", "test this", "Please install it."]
)
def test_a_project_verbs_it_is_the_project_where_the_folder_is_one(request_text: str) -> None:
    assert unresolved_object(request_text) in ("it", "this")  # vague anywhere else
    assert unresolved_object(request_text, project=True) is None


@pytest.mark.parametrize("request_text", ["delete it", "copy it there", "move this there"])
def test_other_verbs_stay_vague_in_a_project(request_text: str) -> None:
    assert unresolved_object(request_text, project=True) is not None


@pytest.mark.parametrize("manifest", ["Cargo.toml", "package.json", "Makefile", "go.mod"])
def test_the_engine_asks_the_model_to_build_it_in_a_project_folder(
    engine: Engine, fake: FakeBackend, tmp_path: Path, manifest: str
) -> None:
    assert engine.propose("build it").kind == "ambiguous"  # no project in the engine's cwd
    (tmp_path / manifest).write_text("")
    here = dataclasses.replace(engine, workdir=tmp_path)
    calls = len(fake.history)
    fake.enqueue(answer("make"))
    assert here.propose("build it").kind == "command"
    assert len(fake.history) > calls  # the model answered
    assert here.propose("delete it").kind == "ambiguous"


def test_a_folder_that_cannot_be_read_is_no_project(tmp_path: Path) -> None:
    from cmdai.vague import is_project

    assert not is_project(tmp_path / "missing")
    assert not is_project(tmp_path)
    (tmp_path / "pyproject.toml").mkdir()  # a folder of that name is not the file
    assert not is_project(tmp_path)

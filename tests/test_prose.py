"""Answers that are not a shell command: prose printed as one, a web service guessed."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from conftest import answer

from cmdai.backends.fake import FakeBackend
from cmdai.checks import guessed_service
from cmdai.core import Engine
from cmdai.prose import prose_answer

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"
DATASETS = Path(__file__).resolve().parents[1] / "datasets"


@pytest.mark.parametrize(
    ("request_text", "command", "text"),
    [
        (
            "what does photosynthesis produce",
            'echo "Photosynthesis produces glucose and oxygen."',
            "Photosynthesis produces glucose and oxygen.",
        ),
        (
            "how do I apologize to a friend",
            'echo "I\'m sorry I hurt you, and I want to make it right." | mail -s Sorry a@b.c',
            "I'm sorry I hurt you, and I want to make it right.",
        ),
        (
            "write a short poem about autumn",
            "printf 'Leaves fall softly down\\nthe wind carries them away\\n'",
            "Leaves fall softly down\nthe wind carries them away",
        ),
    ],
)
def test_prose_for_a_question_is_its_answer(request_text: str, command: str, text: str) -> None:
    assert prose_answer(request_text, command) == text


@pytest.mark.parametrize(
    ("request_text", "command"),
    [
        # The request asks for text printed, sent or saved, or names a file.
        ("print a friendly greeting", 'echo "Hello there, have a very nice day."'),
        ("say good morning to the team", 'echo "Good morning to the whole team, everyone!"'),
        ("send bob a reminder about lunch", 'echo "Lunch is at noon today, see you." | mail bob'),
        ("add a welcome line to notes.txt", 'echo "Welcome to the project notes for all."'),
        ("write a thank-you note into thanks", 'echo "Thank you all for the kind help."'),
        # The command does more than print prose.
        ("how much space is left", 'echo "Disk usage on this machine is:" && df -h'),
        ("who am I logged in as", 'echo "You are logged in as $USER on this box."'),
        ("what day is it", 'echo "Today is `date +%A` and all is well."'),
        ("summarize the plot", 'echo "The prince avenges his father in the end." > plot.txt'),
        ("what is the answer", 'echo "It is forty two, of course it is."; ls'),
        ("what is the capital of Australia", "echo Canberra"),  # too short to be prose
        ("what does it say", 'echo "A broken quote'),  # not valid bash
        ("list the files", "ls -la"),
    ],
)
def test_a_shell_task_is_never_turned_away(request_text: str, command: str) -> None:
    assert prose_answer(request_text, command) is None


def test_no_reference_command_of_the_shared_corpora_is_prose() -> None:
    # NL2Bash's 12,520 and tldr-pages' 29,496 request-command pairs are all shell tasks.
    pairs = [
        json.loads(line)
        for name in ("nl2bash.jsonl", "tldr_linux_common.jsonl")
        if (SHARED / name).exists()
        for line in (SHARED / name).read_text(encoding="utf-8").splitlines()
    ]
    if not pairs:
        pytest.skip("the shared corpora are not on this machine")
    assert [p["cmd"] for p in pairs if prose_answer(p["nl"], p["cmd"]) is not None] == []


def test_no_reference_of_the_dev_splits_is_prose() -> None:
    rows = [
        json.loads(line)
        for path in (DATASETS / "core" / "core.jsonl", DATASETS / "external" / "external.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    pairs = [(r["request"], ref) for r in rows for ref in r["references"]]
    assert len(pairs) >= 800
    assert [p for p in pairs if prose_answer(*p) is not None] == []


def test_the_engine_shows_the_text_as_no_command(engine: Engine, fake: FakeBackend) -> None:
    fake.enqueue(answer('echo "Photosynthesis produces glucose and oxygen."', "Prints it."))
    proposal = engine.propose("what does photosynthesis produce")
    assert proposal.kind == "not_a_shell_task"
    assert proposal.command is None
    assert proposal.safety is None
    assert proposal.explanation == "Photosynthesis produces glucose and oxygen."


def test_a_revision_or_fix_keeps_the_command(engine: Engine, fake: FakeBackend) -> None:
    # `cmdai fix` and revisions never decline: the printed text stays a command.
    fake.enqueue(answer('echo "Photosynthesis produces glucose and oxygen."', "Prints it."))
    proposal = dataclasses.replace(engine, declines=False).propose("what does it produce")
    assert proposal.kind == "command"
    assert proposal.command == 'echo "Photosynthesis produces glucose and oxygen."'


def test_a_guessed_web_service_with_a_placeholder_key_is_warned_about() -> None:
    command = "curl -s 'https://api.openweathermap.org/data/2.5/weather?q=Oslo&appid=YOUR_API_KEY'"
    (warning,) = guessed_service(command, "is it raining in Oslo")
    assert warning.startswith("placeholder: YOUR_API_KEY")
    assert "api.openweathermap.org" in warning
    # The request named the service, or no key is missing: nothing to say.
    assert guessed_service(command, "query api.openweathermap.org for Oslo") == []
    assert guessed_service("curl -s wttr.in/Oslo", "is it raining in Oslo") == []
    assert guessed_service("echo YOUR_API_KEY", "print the placeholder") == []


def test_the_engine_shows_the_warning(engine: Engine, fake: FakeBackend) -> None:
    fake.enqueue(answer("curl -s 'https://restcountries.com/v3/name/peru?key=YOUR_API_KEY'"))
    proposal = engine.propose("what is the capital of Peru")
    assert proposal.kind == "command"
    assert any(w.startswith("placeholder: YOUR_API_KEY") for w in proposal.warnings)


def test_a_request_that_names_its_program_keeps_the_command(
    engine: Engine, fake: FakeBackend
) -> None:
    # tldr-pages' style: "(with PROGRAM)" says a command is wanted, whatever the model wrote.
    fake.enqueue(answer('echo "Photosynthesis produces glucose and oxygen."', "Prints it."))
    proposal = engine.propose("what does photosynthesis produce (with fortune)")
    assert proposal.kind == "command"

"""Rehearsed drafts (the ``rehearse`` setting): effects in the sandbox, and the choice by them."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import Invoker

from cmdai import rehearse
from cmdai.backends.fake import FakeBackend
from cmdai.candidates import Candidate, tally
from cmdai.core import REDRAWING, REHEARSED, Engine, create_engine
from cmdai.formats import FENCE_OPEN
from cmdai.jsondoc import proposal_json
from cmdai.prompts import get_template
from cmdai.rehearse import (
    Effect,
    Rehearsal,
    TooLarge,
    agreement_choice,
    before_rehearsal,
    rehearsed_choice,
)
from cmdai.sandbox import SandboxUnavailable
from cmdai.settings import Settings

needs_bwrap = pytest.mark.skipif(
    shutil.which("bwrap") is None, reason="bubblewrap is not installed (apt-get install bubblewrap)"
)


def _effect(output: str, ran: bool = True) -> Effect:
    return Effect(ran, output, frozenset())


def test_the_effect_most_drafts_share_wins_and_ties_go_to_the_greedy_draft() -> None:
    drafts = tally([("ls -t", []), ("ls -S", []), ("ls -S", []), ("du -a | sort", [])])
    assert agreement_choice(drafts, [_effect("a"), _effect("b"), _effect("b"), _effect("b")]) == 1
    assert agreement_choice(drafts, [_effect("a"), _effect("b"), _effect("b"), _effect("a")]) == 0


def test_a_draft_that_failed_or_was_not_rehearsed_loses_to_one_that_ran() -> None:
    drafts = tally([("a", []), ("b", []), ("c", [])])
    assert agreement_choice(drafts, [_effect("", ran=False), None, _effect("x")]) == 2
    failed = [_effect("", ran=False), _effect("", ran=False)]
    assert not failed[0].agrees(failed[1])  # two failures are not an agreement


def test_the_checks_still_come_first() -> None:
    drafts = [Candidate("frob", ("not installed here: frob",)), Candidate("ls", ())]
    assert agreement_choice(drafts, [_effect("x"), _effect("", ran=False)]) == 1


def test_with_no_draft_that_ran_the_greedy_one_stays() -> None:
    drafts = tally([("ls -t", []), ("ls -S", []), ("ls  -S", [])])
    assert agreement_choice(drafts, [None] * 3) == 0
    assert agreement_choice(drafts, [_effect("", ran=False)] * 3) == 0
    with pytest.raises(ValueError, match="one effect"):
        agreement_choice(drafts, [None])


def _unavailable() -> rehearse.Sandbox:
    raise SandboxUnavailable("bubblewrap (bwrap) is not installed")


def test_without_a_sandbox_the_choice_is_the_vote_and_says_why(tmp_path: Path) -> None:
    rehearsal = Rehearsal(sandbox_factory=_unavailable)
    drafts = tally([("ls -t", []), ("ls -S", []), ("ls  -S", [])])
    pick, marked, note = rehearsed_choice(rehearsal, drafts, tmp_path, lambda _: True)
    assert (pick, marked) == (1, drafts)
    assert note == "not rehearsed: bubblewrap (bwrap) is not installed"
    with pytest.raises(SandboxUnavailable):  # remembered: not tried again per request
        rehearsal.sandbox()


def test_a_single_command_or_only_blocked_ones_are_not_rehearsed(tmp_path: Path) -> None:
    rehearsal = Rehearsal(sandbox_factory=_unavailable)
    same = tally([("ls", []), ("ls", [])])
    assert rehearsed_choice(rehearsal, same, tmp_path, lambda _: True) == (0, same, None)
    two = tally([("rm -rf /", []), ("mkfs /dev/sda", [])])
    assert rehearsed_choice(rehearsal, two, tmp_path, lambda _: False) == (0, two, None)


def test_a_large_or_special_working_directory_is_not_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rehearse, "MAX_ENTRIES", 3)
    for i in range(4):
        (tmp_path / f"f{i}").write_text("x")
    with pytest.raises(TooLarge, match="more than 3 files"):
        rehearse._entries(tmp_path)
    monkeypatch.setattr(rehearse, "MAX_ENTRIES", 100)
    monkeypatch.setattr(rehearse, "MAX_BYTES", 10)
    (tmp_path / "big").write_text("y" * 11)
    with pytest.raises(TooLarge, match="MB"):
        rehearse._entries(tmp_path)
    monkeypatch.setattr(rehearse, "MAX_BYTES", 1 << 20)
    os.mkfifo(tmp_path / "pipe")  # copying it would block
    with pytest.raises(TooLarge, match="special file"):
        rehearse._entries(tmp_path)


@needs_bwrap
def test_ctrl_c_during_a_rehearsal_kills_the_drafts_instead_of_waiting(tmp_path: Path) -> None:
    import signal
    import threading
    import time

    (tmp_path / "x.txt").write_text("x\n")
    rehearsal = Rehearsal(timeout_s=30.0)
    sandbox = rehearsal.sandbox()
    # Ctrl-C while two drafts sleep: a real SIGINT, as a terminal sends it
    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        rehearsal.effects(["sleep 30", "sleep 30"], tmp_path)
    assert time.monotonic() - start < 15.0  # not the drafts' 30 s timeout
    assert not sandbox._running  # every sandbox was killed and reaped


@needs_bwrap
def test_drafts_run_on_copies_and_the_real_directory_is_untouched(tmp_path: Path) -> None:
    work = tmp_path / "work"
    (work / "sub").mkdir(parents=True)
    (work / "x.txt").write_text("b\na\nc\n")
    (work / "sub" / "y.log").write_text("1\n")
    (work / "link").symlink_to("x.txt")
    (work / "run.sh").write_text("echo hi\n")
    (work / "run.sh").chmod(0o755)
    before = sorted(p.relative_to(work).as_posix() for p in work.rglob("*"))
    commands = ["sort x.txt", "cat x.txt | sort", "rm x.txt", "./run.sh", "sleep 30", "ls /root"]
    commands.append("head -c 100M /dev/zero > big")  # past the file size limit
    commands.append("mkfifo pipe")  # listed, never read (a read would block)
    commands.append("cat missing.txt | wc -l")  # prints 0, exits 0: but its first part failed
    commands.append("yes | head -n 2")  # yes is stopped by SIGPIPE: that is how pipes end
    effects = Rehearsal(timeout_s=1.0).effects(commands, work)
    assert [e.ran for e in effects] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
        True,
        False,
        True,
    ]
    assert any(path == "pipe" and kind.startswith("special") for path, kind in effects[7].files)
    assert [e.timed_out for e in effects[4:6]] == [True, False]
    assert effects[0].output == "a\nb\nc"
    assert effects[0].agrees(effects[1])
    assert not effects[0].agrees(effects[2])  # same (empty) output would not do: a file went
    assert "x.txt" not in {path for path, _ in effects[2].files}
    assert effects[3].output == "hi"  # the mode was copied
    assert sorted(p.relative_to(work).as_posix() for p in work.rglob("*")) == before
    assert (work / "x.txt").read_text() == "b\na\nc\n"


@needs_bwrap
def test_a_snapshot_lists_a_bounded_number_of_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rehearse, "SNAPSHOT_ENTRIES", 3)
    few, many = Rehearsal().effects(["touch a b", "touch a b c d"], tmp_path)
    assert len(few.files) == 2
    assert many.files == {("", "more than 3 entries")}


@pytest.fixture
def rehearsing(engine: Engine, tmp_path: Path) -> Engine:
    (tmp_path / "notes.txt").write_text("b\na\n")
    return dataclasses.replace(
        engine,
        template=get_template("fenced"),
        settings=Settings(backend="fake", candidates=4, rehearse=True),
        workdir=tmp_path,
        rehearsal=Rehearsal(timeout_s=1.0),
    )


@needs_bwrap
def test_a_greedy_command_that_runs_is_shown_without_more_drafts(
    rehearsing: Engine, fake: FakeBackend
) -> None:
    fake.enqueue(FENCE_OPEN + "sort -r notes.txt")
    proposal = rehearsing.propose("sort the notes")
    assert (proposal.command, proposal.candidates, len(fake.history)) == (
        "sort -r notes.txt",
        (),
        1,
    )
    fake.enqueue(FENCE_OPEN + "tail -f notes.txt")  # still running at the timeout: not failed
    assert rehearsing.propose("follow the notes").candidates == ()
    fake.enqueue(FENCE_OPEN + "rm -rf /")  # blocked: never rehearsed, nothing drawn
    assert rehearsing.propose("wipe the disk").candidates == ()
    fake.enqueue(FENCE_OPEN + "cmdai-no-such-tool notes.txt")  # the tool asked for, not here
    assert rehearsing.propose("run cmdai-no-such-tool on the notes").candidates == ()
    fake.enqueue(FENCE_OPEN + "curl -sI https://example.com | head -n 1")  # needs the network
    assert rehearsing.propose("status line of example.com").candidates == ()
    fake.enqueue(FENCE_OPEN + "sudo cat notes.txt")  # needs root
    assert rehearsing.propose("the notes as root").candidates == ()
    assert len(fake.history) == 6


@needs_bwrap
def test_when_the_greedy_command_fails_the_effect_most_drafts_share_is_shown(
    rehearsing: Engine, fake: FakeBackend, tmp_path: Path
) -> None:
    fake.enqueue(FENCE_OPEN + "grep -x zzz notes.txt")  # greedy: exits 1, nothing matched
    fake.enqueue(FENCE_OPEN + "sort notes.txt")
    fake.enqueue(FENCE_OPEN + "sort < notes.txt")
    fake.enqueue(FENCE_OPEN + "cat notes.txt")
    shown: list[str] = []
    proposal = rehearsing.propose("sort the notes", on_text=shown.append)
    assert shown[-1] == REDRAWING  # the status line no longer shows the failed draft
    assert proposal.command == "sort notes.txt"
    assert [c.agreed for c in proposal.candidates] == [0, 2, 2, 1]
    assert not any("rehearsed" in w for w in proposal.warnings)
    doc = proposal_json(proposal, query="q", model={}, started=0.0, outcome="proposed")
    assert doc["candidates"][1]["agreed"] == 2
    assert (tmp_path / "notes.txt").read_text() == "b\na\n"


def test_the_setting_builds_a_rehearsal_and_enough_drafts(fake: FakeBackend) -> None:
    assert create_engine(Settings(backend="fake"), fake).rehearsal is None
    plain = create_engine(Settings(backend="fake", candidates=3), fake)
    assert (plain.rehearsal, plain.drafts) == (None, 3)
    alone = create_engine(Settings(backend="fake", rehearse=True), fake)
    assert isinstance(alone.rehearsal, Rehearsal)
    assert alone.drafts == REHEARSED  # rehearsing one draft would choose nothing
    assert create_engine(Settings(backend="fake", candidates=3, rehearse=True), fake).drafts == 3


@needs_bwrap
def test_rehearse_on_the_command_line_draws_five_drafts_when_the_first_fails(
    invoke: Invoker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("b\na\n")
    drafts = (
        "sort notes",
        "sort notes.txt",
        "sort <notes.txt",
        "cat notes.txt",
        "sort -u notes.txt",
    )
    for command in drafts:
        invoke.fake.enqueue(FENCE_OPEN + command)
    result = invoke("--json", "--prompt", "fenced", "--rehearse", "sort the notes")
    doc = json.loads(result.output)
    assert len(invoke.fake.history) == 5
    assert doc["command"] == "sort notes.txt"
    assert [c["agreed"] for c in doc["candidates"]] == [0, 3, 3, 1, 3]
    assert (tmp_path / "notes.txt").read_text() == "b\na\n"


def test_without_bubblewrap_the_answer_still_comes_with_a_note(
    invoke: Invoker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(rehearse, "Sandbox", lambda **_: _unavailable())
    invoke.fake.enqueue(FENCE_OPEN + "ls -t")
    result = invoke("--json", "--prompt", "fenced", "--rehearse", "newest")
    doc = json.loads(result.output)
    assert (doc["command"], doc["candidates"]) == ("ls -t", None)
    assert "not rehearsed: bubblewrap (bwrap) is not installed" in doc["warnings"]


@needs_bwrap
def test_doctor_says_whether_commands_are_rehearsed(
    fake: FakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cmdai import sandbox
    from cmdai.doctor import run_doctor

    def sandbox_check() -> tuple[str, str]:
        report = run_doctor({"backend": "fake", "rehearse": True}, backend=fake, environ={})
        check = next(c for c in report.checks if c.name == "sandbox")
        return check.status, check.message

    assert sandbox_check() == ("ok", "bubblewrap works: commands are rehearsed before shown")
    report = run_doctor({"backend": "fake"}, backend=fake, environ={})
    assert "sandbox" not in [c.name for c in report.checks]
    monkeypatch.setattr(sandbox.shutil, "which", lambda _: None)
    assert sandbox_check() == (
        "warn",
        "bubblewrap (bwrap) is not installed: commands are not rehearsed",
    )


def test_a_missing_program_or_script_is_kept_and_any_other_problem_redrawn() -> None:
    # the request usually names what is missing here: another draft avoids what was asked for
    assert before_rehearsal(Candidate("frob", ("not installed here: frob",))) == "keep"
    assert before_rehearsal(Candidate("./gone.sh", ("no such file here: ./gone.sh",))) == "keep"
    assert before_rehearsal(Candidate("ls -Z9", ("ls has no option -Z9",))) == "redraw"
    assert before_rehearsal(Candidate("ls", ())) == "rehearse"

"""Options checked against the installed utilities' help, and the one repair they trigger."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import answer

from cmdai.backends.fake import FakeBackend
from cmdai.core import ASKED_AGAIN, ASKING_AGAIN, Engine
from cmdai.grounding import OptionChecker, UnknownOption, parse_options
from cmdai.prompts import get_template
from cmdai.shellparse import split_commands

LS_HELP = """Usage: ls [OPTION]... [FILE]...
  -a, --all                  do not ignore entries starting with .
  -h, --human-readable       with -l and -s, print sizes like 1K 234M 2G etc.
  -l                         use a long listing format
  -S                         sort by file size, largest first
      --sort=WORD            sort by WORD instead of name
  -t                         sort by time, newest first
"""


def fake_help(path: Path, args: tuple[str, ...]) -> str | None:
    return LS_HELP if path.name == "ls" else None


@pytest.fixture
def checker(tmp_path: Path) -> OptionChecker:
    return OptionChecker(tmp_path / "options", read_help=fake_help)


def unknown(checker: OptionChecker, command: str) -> list[str]:
    return [u.option for u in checker.unknown(split_commands(command))]


def test_help_text_options_are_parsed() -> None:
    assert {"-a", "--all", "-h", "--human-readable", "-S", "--sort", "-t"} <= parse_options(LS_HELP)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("ls -lhS", []),
        ("ls --sort=size", []),
        ("ls --human", []),  # an unambiguous prefix, as GNU tools accept
        ("ls --sort-size", ["--sort-size"]),
        ("ls -lX", ["-X"]),
        ("ls -- -X", []),  # after --, a file name
        ("ls -5", []),
        ("cat -X notes", []),  # cat's help could not be read: not checked
        ("sudo ls -Q | sort", ["-Q"]),
    ],
)
def test_options_the_installed_tool_lacks(
    checker: OptionChecker, command: str, expected: list[str]
) -> None:
    assert unknown(checker, command) == expected


def test_options_are_cached_per_tool_version(checker: OptionChecker, tmp_path: Path) -> None:
    assert checker.options("ls") is not None
    cached = list((tmp_path / "options").glob("ls-*.json"))
    assert len(cached) == 1
    again = OptionChecker(tmp_path / "options", read_help=lambda p, a: None)
    assert again.options("ls") == checker.options("ls")  # read from the cache, not the tool


def test_a_utility_off_the_list_is_never_run(tmp_path: Path) -> None:
    def refuse(path: Path, args: tuple[str, ...]) -> str | None:
        raise AssertionError(f"ran {path}")

    assert OptionChecker(None, read_help=refuse).options("shutdown") is None


def test_the_real_gnu_ls_on_this_machine() -> None:
    checker = OptionChecker(None)
    assert unknown(checker, "ls --sort-size -la") == ["--sort-size"]
    assert unknown(checker, "ls -lhS --time-style=long-iso") == []
    assert UnknownOption("ls", "-Z").message() == "ls here has no option -Z"


@pytest.mark.parametrize(
    "command",
    [
        "find . -type f -exec ls -lh {} \\; -print",  # the command find runs is not find's
        "find . -name x -exec rm -rf {} + -quit",
        "xargs -I {} stat -c %o {}",  # nor the command xargs or nice runs
        "nice -n 19 ./task.sh --fast",
        "curl -X POST -H 'a: b' -I https://example.com",  # curl lists all with --help all
        "chmod -x run.sh",  # a mode that removes a permission, not an option
        "chmod -R -w,+r docs",
    ],
)
def test_no_false_alarm_on_the_real_tools(command: str) -> None:
    assert unknown(OptionChecker(None), command) == []


def test_chmod_options_are_still_checked() -> None:
    assert unknown(OptionChecker(None), "chmod --recursive-all 644 f") == ["--recursive-all"]


def test_a_draft_that_fails_a_check_is_regenerated_once(
    engine: Engine, fake: FakeBackend, checker: OptionChecker
) -> None:
    checked = dataclasses.replace(engine, template=get_template("fenced-checked"), options=checker)
    fake.enqueue(answer("ls --sort-size"))
    fake.enqueue(answer("ls -S"))
    proposal = checked.propose("list files by size")
    assert proposal.command == "ls -S"
    assert proposal.warnings == ("regenerated once: the first command failed a check here",)
    repair = fake.history[-1].messages
    assert repair[-1].content.startswith("That command does not work here: option: ls here")
    assert "ls --sort-size" in repair[-2].content


def test_a_repair_that_is_no_better_is_dropped(
    engine: Engine, fake: FakeBackend, checker: OptionChecker
) -> None:
    checked = dataclasses.replace(engine, template=get_template("fenced-checked"), options=checker)
    fake.enqueue(answer("ls --sort-size"))
    fake.enqueue(answer("ls --by-size"))
    proposal = checked.propose("list files by size")
    assert proposal.command == "ls --sort-size"
    assert proposal.warnings == ("option: ls here has no option --sort-size",)
    # Without repair in the template, the warning is shown and nothing is regenerated.
    fake.enqueue(answer("ls --sort-size"))
    plain = dataclasses.replace(checked, template=get_template("fenced"))
    assert plain.propose("list files by size").warnings == (
        "option: ls here has no option --sort-size",
    )
    assert len(fake.history) == 3


# -- a draft a check proves wrong is asked again, with the fact in the request ----------------

LARGEST = "list the 5 largest files in this directory"


def test_a_draft_proven_wrong_is_asked_again_with_the_note(
    engine: Engine, fake: FakeBackend
) -> None:
    fenced = dataclasses.replace(engine, template=get_template("fenced"))
    fake.enqueue("ls -l | sort -rh | head -n 5\n```", after_prefill=True)
    fake.enqueue("ls -lS | head -n 5\n```", after_prefill=True)
    seen: list[str] = []
    proposal = fenced.propose(LARGEST, on_text=seen.append)
    assert proposal.command == "ls -lS | head -n 5"
    assert seen[-1] == ASKING_AGAIN  # the status line says why the answer takes longer
    assert proposal.warnings == (ASKED_AGAIN,)
    first, again = fake.history[-2].messages, fake.history[-1].messages
    assert again[:-1] == first[:-1]  # the same conversation (and cached prefix) up to the request
    assert again[-1].content.startswith(first[-1].content)
    assert again[-1].content.endswith(
        "(Note: ls -l lines start with the permissions, so sort without -k orders them "
        "by those, not by size or date (ls -S sorts by size, ls -t by time).)"
    )


def test_an_answer_asked_again_that_is_no_better_is_dropped(
    engine: Engine, fake: FakeBackend
) -> None:
    fake.enqueue(answer("ls -l | sort -rh | head -n 5"))
    fake.enqueue(answer("ls -l | sort -r | head -n 5"))
    proposal = engine.propose(LARGEST)
    assert proposal.command == "ls -l | sort -rh | head -n 5"
    assert len(proposal.warnings) == 1
    assert proposal.warnings[0].startswith("sort: ls -l lines")
    assert len(fake.history) == 2


@pytest.mark.parametrize(
    "draft",
    [
        "frobnicate --all",  # a utility missing here: often the one the request names
        "ls --sort-size",  # an option the tool lacks: the warning says so, nothing is redrawn
        "ls -la",
    ],
)
def test_only_a_proven_wrong_draft_is_asked_again(
    engine: Engine, fake: FakeBackend, checker: OptionChecker, draft: str
) -> None:
    checked = dataclasses.replace(engine, options=checker)
    fake.enqueue(answer(draft))
    proposal = checked.propose("list files by size")
    assert proposal.command == draft
    assert ASKED_AGAIN not in proposal.warnings
    assert len(fake.history) == 1


@pytest.mark.parametrize(
    ("draft", "fixed"),
    [
        ("du -sh --max-depth=1 | sort -h", "du -h --max-depth=1 | sort -h"),  # du refuses -s
        ("du -ah . | sort -n | tail -3", "du -ah . | sort -h | tail -3"),  # 1.5G read as 1.5
        ("sort names.txt > names.txt", "sort -o names.txt names.txt"),  # emptied before read
        ("for f in *.txt; do echo $f", "for f in *.txt; do echo $f; done"),  # bash refuses it
        ("ps aux --sort=-%mem | head -1 | cut -c1-9", "ps h --sort=-%mem | head -1 | cut -c1-9"),
        ("grep -E '\\d+' f", "grep -E '[0-9]+' f"),  # grep -E has no Perl digit class
        ("find . -type d -printf '%s %p'", "du -s -- */"),  # a directory's own entry size
    ],
)
def test_every_proving_check_asks_again(
    engine: Engine, fake: FakeBackend, draft: str, fixed: str
) -> None:
    fake.enqueue(answer(draft))
    fake.enqueue(answer(fixed))
    proposal = engine.propose("do the task")
    assert proposal.command == fixed
    assert proposal.warnings == (ASKED_AGAIN,)


def test_a_two_letter_option_the_tool_lists_is_known(tmp_path: Path) -> None:
    """wget lists -np, -nc, -nH as options of their own, not as clusters of -n and a letter."""

    def wget_like(path: Path, args: tuple[str, ...]) -> str | None:
        return LS_HELP + "  -np, --no-parent          don't ascend to the parent directory\n"

    checker = OptionChecker(tmp_path / "options", read_help=wget_like)
    assert unknown(checker, "ls -np -l x") == []
    assert unknown(checker, "ls -nq x") == ["-n"]

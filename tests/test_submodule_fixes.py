"""A git repository's submodules (cmdai.submodules.submodules_fact, cmdai.submodule_fixes; the
fifty-sixth by-hand round). The reads of .gitmodules and the local git commands run for real."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.submodules import named, parse_gitmodules, submodules_fact

GITMODULES = """[submodule "lib/parser"]
\tpath = lib/parser
\turl = https://example.com/parser.git
\tbranch = stable
[submodule "vendor/theme"]
\tpath = vendor/theme
\turl = https://example.com/theme.git
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_files(tmp_path, {".gitmodules": GITMODULES, "app.py": "print('app')\n"})


def test_the_facts_show_each_submodule(repo: Path) -> None:
    assert submodules_fact("update the submodules", repo) == (
        ".gitmodules",
        "git submodules: lib/parser (url https://example.com/parser.git; tracks branch stable), "
        "vendor/theme (url https://example.com/theme.git)",
    )
    assert submodules_fact("show the log of the parser", repo) is not None  # named
    for request in ("count the lines of app.py", "show the git log", "list the branches"):
        assert submodules_fact(request, repo) is None, request


def test_gitmodules_without_a_path_or_a_section_declare_nothing() -> None:
    text = '[submodule "a"]\n\turl = x\n[core]\n\tpath = nowhere\n[submodule "b"]\n\tpath = b\n'
    assert [(s.name, s.path, s.url) for s in parse_gitmodules(text)] == [("b", "b", "")]
    assert parse_gitmodules("path = orphan\n") == []


def test_a_submodule_is_named_by_its_path_or_its_last_part() -> None:
    found = parse_gitmodules(GITMODULES)
    assert [s.path for s in named("update lib/parser", found)] == ["lib/parser"]
    assert [s.path for s in named("remove the theme submodule", found)] == ["vendor/theme"]
    assert named("update the submodules", found) == []


@pytest.mark.parametrize(
    ("command", "asked", "expected"),
    [
        (
            "git submodule update --init --recursive --remote",
            "update only the parser submodule to the latest commit of its branch",
            "git submodule update --remote lib/parser",
        ),
        (
            "git submodule update --remote-tracking lib/parser",  # no such option
            "update the parser submodule to the latest commit",
            "git submodule update --remote lib/parser",
        ),
        (
            "git branch --contains parser",
            "which branch does the parser submodule track",
            "git config -f .gitmodules submodule.lib/parser.branch",
        ),
        (
            "git submodule status lib/parser",
            "which commit is the theme submodule at",
            "git submodule status vendor/theme",
        ),
        ("rm -rf theme", "remove the theme submodule", "git rm vendor/theme"),
        (
            "git submodule update --init",
            "make the parser submodule track the main branch",
            "git submodule set-branch --branch main lib/parser",
        ),
        (
            "git submodule set-url theme https://example.com/new.git",
            "change the url of the theme submodule to https://example.com/new.git",
            "git submodule set-url vendor/theme https://example.com/new.git",
        ),
        (
            "git submodule deinit -- theme",
            "deinitialise the theme submodule",
            "git submodule deinit vendor/theme",
        ),
        (
            "git log parser",
            "show the log of the parser submodule",
            "git -C lib/parser log --oneline",
        ),
        (
            "git checkout v1.0",
            "check out the v1.0 tag in the theme submodule",
            "git -C vendor/theme checkout v1.0",
        ),
        (
            "git submodule init",
            "initialise and fetch the submodules after cloning",
            "git submodule update --init --recursive",
        ),
        (
            "git submodule status",
            "make git status show a summary of submodule changes",
            "git config status.submoduleSummary true",
        ),
        (
            "git clone --recursive https://github.com/user/repo.git /tmp/copy",
            "clone this repo with its submodules into /tmp/copy",
            "git clone --recurse-submodules . /tmp/copy",
        ),
        ("git submodule list", "list the submodules", "git submodule status"),
        # already right, or not a submodule's task: left alone
        ("git submodule foreach --recursive git status", "run git status in every submodule", None),
        (
            "git submodule update --init --recursive --jobs=4",
            "update the submodules using 4 parallel jobs",
            None,
        ),
        ("git pull --recurse-submodules", "pull the latest changes including the submodules", None),
        (
            "git submodule add https://example.com/icons.git vendor/icons",
            "add https://example.com/icons.git as a submodule in vendor/icons",
            None,
        ),
        ("git log", "show the log", None),  # the outer repository's
        ("git pull", "pull the latest changes", None),
    ],
)
def test_git_s_own_way_for_a_submodule(
    repo: Path, command: str, asked: str, expected: str | None
) -> None:
    assert fixed(command, asked, repo) == expected


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_fixed_commands_run_in_a_repository_with_submodules(tmp_path: Path) -> None:
    script = Path(__file__).parents[1] / "results/evals/accuracy_by_hand/make_scratch56.sh"
    here = tmp_path / "repo"
    subprocess.run(["sh", str(script), str(here)], check=True, capture_output=True)
    branch = fixed("git branch", "which branch does the parser submodule track", here)
    assert branch is not None
    assert run_bash(branch, here).stdout == "stable\n"
    log = fixed("git log parser", "show the log of the parser submodule", here)
    assert log is not None
    assert run_bash(log, here).stdout.split()[1:] == ["parser", "1.0"]
    remove = fixed("rm -rf theme", "remove the theme submodule", here)
    assert remove is not None
    run_bash(remove, here)
    assert "vendor/theme" not in (here / ".gitmodules").read_text()

"""The shell session itself (cmdai.session_fixes; the nineteenth by-hand round): PATH, a
program's real file, which program runs, and the aliases a file defines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_bash

from cmdai.context import Workdir
from cmdai.session_fixes import session_fix


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "bin").mkdir()
    tool = tmp_path / "bin" / "tool"
    tool.write_text('#!/bin/sh\necho "tool $*"\n')
    tool.chmod(0o755)
    (tmp_path / "bin" / "draft").write_text("#!/bin/sh\necho draft\n")
    (tmp_path / "shellrc").write_text('alias ll="ls -la"\n  alias gs="git status"\nexport X=1\n')
    return tmp_path


@pytest.mark.parametrize(
    ("draft", "request_text", "fixed"),
    [
        (
            "export PATH=$PATH:bin",
            "add the bin folder here to my PATH",
            'export PATH="$PATH:$PWD/bin"',
        ),
        ("PATH=./tools:$PATH", "put tools on my PATH", 'PATH="$PWD/tools:$PATH"'),
        ('export PATH="$PATH:."', "add this folder to PATH", 'export PATH="$PATH:$PWD"'),
        (
            "which python3",
            "where does the python3 command really live, with symlinks followed",
            'readlink -f "$(command -v python3)"',
        ),
        ("command -v gcc", "the real path of gcc", 'readlink -f "$(command -v gcc)"'),
        ("python --version", "which python am I using", "command -v python && python --version"),
        ("node -v", "which node is being used", "command -v node && node -v"),
    ],
)
def test_a_session_draft_is_fixed(draft: str, request_text: str, fixed: str) -> None:
    found = session_fix(draft, request_text, None)
    assert found is not None
    assert found[0] == fixed
    assert found[1].startswith("fixed here: ")


@pytest.mark.parametrize(
    ("draft", "request_text"),
    [
        ("export PATH=$PATH:/opt/bin", "add /opt/bin to my PATH"),  # absolute already
        ('export PATH="$HOME/bin:$PATH"', "add my bin to PATH"),
        ("PATH=bin", "set PATH to bin"),  # drops every other folder: not this fix's to judge
        ("which python3", "where is python3"),  # the link on PATH is what was asked
        ("which python3 | xargs ls -l", "python3, symlinks followed"),  # not which alone
        ("python --version", "what version of python is installed"),
        ("python3 --version", "which python am I using"),  # another program than asked
    ],
)
def test_a_right_or_unknown_session_draft_is_left_alone(draft: str, request_text: str) -> None:
    assert session_fix(draft, request_text, None) is None


def test_a_relative_path_entry_made_this_folders_finds_the_program_from_elsewhere(
    project: Path,
) -> None:
    found = session_fix("export PATH=$PATH:bin", "add the bin folder here to my PATH", None)
    assert found is not None
    elsewhere = f"cd {project} && {found[0]} && cd / && tool hi"
    assert run_bash(elsewhere, project).stdout == "tool hi\n"
    assert (
        run_bash(
            f"cd {project} && export PATH=$PATH:bin && cd / && tool hi", project, check=False
        ).returncode
        == 127
    )


def test_runnable_from_anywhere_puts_the_folder_on_path(project: Path) -> None:
    here = Workdir(project)
    request = "make bin/tool runnable from anywhere for this session"
    found = session_fix("chmod +x bin/tool", request, here)
    assert found is not None
    assert found[0] == 'export PATH="$PWD/bin:$PATH"'
    assert run_bash(f"{found[0]} && cd / && tool x", project).stdout == "tool x\n"
    draft = session_fix("chmod +x bin/draft", "run bin/draft from any folder", here)
    assert draft is not None
    assert draft[0] == 'chmod +x bin/draft && export PATH="$PWD/bin:$PATH"'  # not runnable yet
    assert session_fix("chmod +x bin/tool", "make bin/tool executable", here) is None
    assert session_fix("chmod +x bin/none", "run bin/none from anywhere", here) is None


def test_the_aliases_a_file_defines_are_read_from_it(project: Path) -> None:
    here = Workdir(project)
    found = session_fix("alias", "show the aliases defined in shellrc", here)
    assert found is not None
    assert found[0] == "grep -E '^[[:space:]]*alias ' shellrc"
    assert run_bash(found[0], project).stdout.split("\n")[:2] == [
        'alias ll="ls -la"',
        '  alias gs="git status"',
    ]
    assert session_fix("alias", "show my aliases", here) is None
    assert session_fix("alias", "show the aliases in nothing.rc", here) is None


def test_the_real_file_fix_prints_the_file_a_link_leads_to(tmp_path: Path) -> None:
    (tmp_path / "real").write_text("#!/bin/sh\n")
    (tmp_path / "real").chmod(0o755)
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    found = session_fix("which linked", "where linked really lives, symlinks followed", None)
    assert found is not None
    env_path = f"export PATH={tmp_path}:{os.environ['PATH']};"
    assert run_bash(f"{env_path} {found[0]}", tmp_path).stdout.strip() == str(tmp_path / "real")

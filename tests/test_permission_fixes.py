"""Permissions and owners (cmdai.permission_fixes; the fifteenth by-hand round).

Each fixed command that touches files is also run on a copy of the folder."""

from __future__ import annotations

import dataclasses
import shutil
import stat
from pathlib import Path

import pytest
from conftest import assert_fixed, run_bash

from cmdai.backends.fake import FakeBackend
from cmdai.context import Workdir
from cmdai.core import Engine
from cmdai.grounding import OptionChecker
from cmdai.permission_fixes import permission_fix
from cmdai.stages import command_stages


@pytest.fixture
def modes(tmp_path: Path) -> Path:
    """Scripts (one executable), a shared file anyone may write, a key, a site, a config."""
    (tmp_path / "scripts").mkdir()
    for name, mode in (("backup.sh", 0o644), ("check.sh", 0o755)):
        (tmp_path / "scripts" / name).write_text("#!/bin/sh\n")
        (tmp_path / "scripts" / name).chmod(mode)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "notes.txt").write_text("notes\n")
    (tmp_path / "shared" / "notes.txt").chmod(0o666)
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "id_rsa").write_text("key\n")
    (tmp_path / "keys" / "id_rsa").chmod(0o644)
    (tmp_path / "site" / "css").mkdir(parents=True)
    (tmp_path / "site" / "index.html").write_text("<h1>hi</h1>\n")
    (tmp_path / "site" / "index.html").chmod(0o600)
    (tmp_path / "site" / "css" / "main.css").write_text("body{}\n")
    (tmp_path / "site" / "css").chmod(0o700)
    (tmp_path / "config.ini").write_text("[app]\n")
    (tmp_path / "config.ini").chmod(0o640)
    return tmp_path


@pytest.mark.parametrize(
    ("draft", "request_text", "fixed"),
    [
        (
            "find scripts/ -type f ! -perm +x",
            "which scripts are not executable",
            "find scripts/ -type f ! -perm /a+x",
        ),
        ("find / -perm +4000", "find setuid files", "find / -perm /4000"),
        (
            "cp config.ini config.ini.bak",
            "copy config.ini to config.ini.bak keeping its permissions and date",
            "cp -p config.ini config.ini.bak",
        ),
        ("cp -r site site2", "copy site to site2 with the same permissions", "cp -rp site site2"),
        ("chmod 600 *", "make new files I create private to me from now on", "umask 077"),
        ("umask 022", "make the files I create private by default", "umask 077"),
        (
            "find site -type d -exec chmod 755 {} \\;",
            "make every folder in site 755 and every file in it 644",
            "find site -type d -exec chmod 755 {} \\; && find site -type f -exec chmod 644 {} \\;",
        ),
        (
            "find site -type f -exec chmod 644 {} +",
            "set the directories in site to 755 and the files to 644",
            "find site -type f -exec chmod 644 {} + && find site -type d -exec chmod 755 {} +",
        ),
        (
            "openssl rsa -in keys/id_rsa -check",
            "show the permissions of keys/id_rsa as a number",
            "stat -c %a keys/id_rsa",
        ),
        (
            "find / -type f -exec ls -l {} \\; | grep 'rwxr-xr-x'",
            "which files can everyone write to",
            "find . -type f -perm -o+w",
        ),
        (
            "ls -l shared",
            "which files in shared are world-writable",
            "find shared -maxdepth 1 -type f -perm -o+w",
        ),
        (
            "find site -type f -perm 644",
            "find the files in site that only I can read",
            "find site -type f ! -perm /go=r",
        ),
        (
            "ls -l | grep '^-' | awk '{print $9}'",
            "which files here are executable",
            "find . -maxdepth 1 -type f -executable",
        ),
    ],
)
def test_a_permission_draft_is_fixed(
    modes: Path, draft: str, request_text: str, fixed: str
) -> None:
    found = permission_fix(draft, request_text, Workdir(modes))
    assert found is not None
    assert found[0] == fixed
    assert found[1].startswith("fixed here: ")


@pytest.mark.parametrize(
    ("draft", "request_text"),
    [
        ("find . -perm /111", "which files are executable by anyone"),
        ("cp config.ini config.ini.bak", "copy config.ini to config.ini.bak"),
        ("cp -a site site2", "copy site keeping its permissions"),
        ("chmod 600 keys/id_rsa", "make my key private"),
        ("umask 077", "make new files private to me from now on"),
        ("umask 0077", "make new files private to me from now on"),
        ("ls -l | grep rwx", "which files don't everyone write to"),
        ("find site -type d -exec chmod 755 {} \\;", "make every folder in site 755"),
        # the draft's half has another mode than the request gives it
        ("find site -type d -exec chmod 700 {} \\;", "every folder in site 755, every file 644"),
        ("stat -c %a keys/id_rsa", "show the permissions of keys/id_rsa in octal"),
        ("ls -l keys/id_rsa", "show the permissions of keys/id_rsa"),
        ("find . -type f -perm -o+w", "which files can everyone write to"),
        ("find . -perm -o+w -delete", "delete the files everyone can write to"),
        ("ls -l | grep rwx", "which files are not executable"),
    ],
)
def test_a_permission_draft_is_left_alone_unless_the_fix_is_sure(
    modes: Path, draft: str, request_text: str
) -> None:
    assert permission_fix(draft, request_text, Workdir(modes)) is None


def test_the_fixed_commands_do_what_was_asked(
    modes: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    copy = tmp_path_factory.mktemp("copy") / "here"
    shutil.copytree(modes, copy)
    assert run_bash("find scripts/ -type f ! -perm /a+x", copy).stdout == "scripts/backup.sh\n"
    assert run_bash("find . -type f -perm -o+w", copy).stdout == "./shared/notes.txt\n"
    assert run_bash("find site -type f ! -perm /go=r", copy).stdout == "site/index.html\n"
    assert run_bash("stat -c %a keys/id_rsa", copy).stdout == "644\n"
    run_bash("cp -p config.ini config.ini.bak", copy)
    original, kept = (copy / "config.ini").stat(), (copy / "config.ini.bak").stat()
    assert stat.S_IMODE(kept.st_mode) == 0o640
    assert kept.st_mtime_ns == original.st_mtime_ns
    run_bash(
        "find site -type d -exec chmod 755 {} \\; && find site -type f -exec chmod 644 {} \\;", copy
    )
    assert stat.S_IMODE((copy / "site" / "css").stat().st_mode) == 0o755
    assert stat.S_IMODE((copy / "site" / "index.html").stat().st_mode) == 0o644
    assert run_bash("umask 077 && touch new.txt && stat -c %a new.txt", copy).stdout == "600\n"


def test_a_mode_after_perm_is_no_option_of_find() -> None:
    checker = OptionChecker(None)
    assert checker.unknown([["find", ".", "-type", "f", "-perm", "-o+w"]]) == []
    assert [u.option for u in checker.unknown([["find", ".", "-perm", "-o+w", "-foo"]])] == ["-foo"]


def test_find_exec_ends_in_a_word_not_a_list() -> None:
    assert command_stages("find . -exec ls {} \\; | grep x") == [
        ["find", ".", "-exec", "ls", "{}", ";"],
        ["grep", "x"],
    ]
    assert command_stages("ls; pwd") == []


def test_the_engine_shows_the_permission_fixed_here(
    engine: Engine, fake: FakeBackend, modes: Path
) -> None:
    here = dataclasses.replace(engine, workdir=modes)
    assert_fixed(
        here,
        fake,
        "cp config.ini config.ini.bak",
        "copy config.ini to config.ini.bak keeping its permissions and date",
        "cp -p config.ini config.ini.bak",
        "fixed here: cp -p keeps",
    )

"""Archives and backups (cmdai.archive_fixes; the fourteenth by-hand round): an archive made of
nothing, one member extracted, a compressed file shown, the newest files kept, a backup copied.

Every fixed command is also run on a copy of the folder, and what it did is checked."""

from __future__ import annotations

import dataclasses
import gzip
import os
import shutil
import tarfile
from pathlib import Path

import pytest
from conftest import assert_fixed, run_bash

from cmdai.archive_fixes import archive_fix, kept_newest_fix
from cmdai.archive_members import TarWords
from cmdai.backends.fake import FakeBackend
from cmdai.context import Workdir
from cmdai.core import Engine
from cmdai.path_fixes import made_up_inputs


@pytest.fixture
def backups(tmp_path: Path) -> Path:
    """A config folder and its tarball, five dated backups, a project, a gzipped note."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "app.ini").write_text("[server]\nport = 8000\n")
    (tmp_path / "config" / "settings.yaml").write_text("key: value\n")
    with tarfile.open(tmp_path / "backup.tar.gz", "w:gz") as archive:
        archive.add(tmp_path / "config", arcname="config")
    (tmp_path / "backups").mkdir()
    for day in range(1, 6):
        path = tmp_path / "backups" / f"backup-2026-12-0{day}.tar.gz"
        shutil.copy(tmp_path / "backup.tar.gz", path)
        os.utime(path, (1_790_000_000 + day * 86400,) * 2)
    (tmp_path / "project" / "src").mkdir(parents=True)
    (tmp_path / "project" / "src" / "main.py").write_text("print('hi')\n")
    (tmp_path / "project" / "node_modules" / "pad").mkdir(parents=True)
    (tmp_path / "project" / "node_modules" / "pad" / "index.js").write_text("x\n")
    with gzip.open(tmp_path / "notes.txt.gz", "wt") as note:
        note.write("buy milk\ncall mom\n")
    return tmp_path


@pytest.mark.parametrize(
    ("draft", "request_text", "fixed"),
    [
        (
            "tar -czf project.tar.gz --exclude=project/node_modules",
            "make a tar.gz of the project without node_modules",
            "tar -czf project.tar.gz --exclude=project/node_modules project",
        ),
        (
            "tar -czf project.tar.gz --exclude=node_modules",
            "make a tar.gz of the project without node_modules",
            "tar -czf project.tar.gz --exclude=node_modules project",
        ),
        (
            "tar -xzvf backup.tar.gz | grep -A 1 'config/app.ini' | tail -n 1",
            "extract only config/app.ini from backup.tar.gz",
            "tar -xzvf backup.tar.gz config/app.ini",
        ),
        (
            "tar xzf backup.tar.gz",
            "extract just app.ini from backup.tar.gz",
            "tar xzf backup.tar.gz config/app.ini",
        ),
        ("gzip -t notes.txt.gz", "show notes.txt.gz without extracting it", "zcat notes.txt.gz"),
        ("gzip -l notes.txt.gz", "print what is in notes.txt.gz", "zcat notes.txt.gz"),
        (
            "ls -t backups/ | head -n -4 | xargs rm -rf",
            "keep only the 3 newest backups and delete the rest",
            "ls -td backups/* | tail -n +4 | xargs rm -rf",
        ),
        (
            "ls -tr backups | tail -n 3 | xargs rm",
            "delete all but the 2 newest backups",
            "ls -trd backups/* | head -n -2 | xargs rm",
        ),
        (
            "mkdir -p backup_$(date +%Y%m%d)",
            "make a backup of the config folder named with today's date",
            "cp -r config backup_$(date +%Y%m%d)",
        ),
    ],
)
def test_an_archive_or_backup_draft_is_fixed(
    backups: Path, draft: str, request_text: str, fixed: str
) -> None:
    found = archive_fix(draft, request_text, Workdir(backups))
    assert found is not None
    assert found[0] == fixed
    assert found[1].startswith("fixed here: ")


def test_the_fixed_commands_do_what_was_asked(
    backups: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    copy = tmp_path_factory.mktemp("copy") / "here"
    shutil.copytree(backups, copy)
    run_bash("tar -czf project.tar.gz --exclude=project/node_modules project", copy)
    with tarfile.open(copy / "project.tar.gz") as archive:
        names = archive.getnames()
    assert "project/src/main.py" in names
    assert not any("node_modules" in n for n in names)
    run_bash("mkdir out && tar -xzf backup.tar.gz -C out config/app.ini", copy)
    assert sorted(p.name for p in (copy / "out" / "config").iterdir()) == ["app.ini"]
    assert run_bash("zcat notes.txt.gz", copy).stdout == "buy milk\ncall mom\n"
    run_bash("ls -td backups/* | tail -n +4 | xargs rm -rf", copy)
    assert sorted(p.name[7:17] for p in (copy / "backups").iterdir()) == [
        "2026-12-03",
        "2026-12-04",
        "2026-12-05",
    ]
    run_bash("cp -r config backup_$(date +%Y%m%d)", copy)
    made = [p for p in copy.iterdir() if p.name.startswith("backup_")]
    assert len(made) == 1
    assert (made[0] / "app.ini").is_file()


@pytest.mark.parametrize(
    ("draft", "request_text"),
    [
        # an archive with something in it, or one made from a list
        ("tar -czf project.tar.gz project", "make a tar.gz of the project"),
        ("tar -czf all.tar.gz -T list.txt", "archive the files in list.txt into all.tar.gz"),
        # two folders named: which one is not sure
        ("tar -czf both.tar.gz", "archive config and project into both.tar.gz"),
        # extracting everything was asked for, or the member is not in the archive
        ("tar -xzf backup.tar.gz", "extract backup.tar.gz"),
        ("tar -xzf backup.tar.gz", "extract only README.md from backup.tar.gz"),
        ("tar -xzf backup.tar.gz | wc -l", "extract only app.ini from backup.tar.gz"),
        # testing was asked for, or the sizes
        ("gzip -t notes.txt.gz", "check that notes.txt.gz is not corrupted"),
        ("gzip -l notes.txt.gz", "show the compression ratio of notes.txt.gz"),
        ("gzip -d notes.txt.gz", "show notes.txt.gz"),
        # already right, or not a request to keep some
        ("ls -t | tail -n+4 | xargs rm", "remove all files here but the 3 newest ones"),
        ("ls -td backups/* | tail -n +4 | xargs rm", "keep only the 3 newest backups"),
        ("ls -t backups | head -n 3", "show the 3 newest backups"),
        ("ls -l backups | xargs echo", "keep the 3 newest backups"),
        ("ls -t backups | xargs -I{} rm backups/{}", "delete the backups"),
        ("ls -t backups | xargs -n 1 basename", "list the backups' names"),
        ("ls backups | xargs echo", "print the backups on one line"),
        # mkdir of a folder that is no backup of one here
        ("mkdir -p backup_$(date +%F)", "make a folder for backups named with today's date"),
        ("mkdir config", "make a backup of the config folder"),
    ],
)
def test_an_archive_draft_is_left_alone_unless_the_fix_is_sure(
    backups: Path, draft: str, request_text: str
) -> None:
    assert archive_fix(draft, request_text, Workdir(backups)) is None


@pytest.mark.parametrize(
    ("draft", "request_text", "fixed"),
    [
        (
            "ls -t | head -n 3 | xargs rm",
            "delete everything except the 3 most recent files",
            "ls -t | tail -n +4 | xargs rm",
        ),
        # tail -n -5 is the 5 oldest: deleted, where NL2Bash's own answers delete from the 6th
        (
            "ls -t | tail -n -5 | xargs rm",
            "Removes all files but 5 newest ones from current folder.",
            "ls -t | tail -n +6 | xargs rm",
        ),
    ],
)
def test_the_newest_are_kept_without_looking_at_files(
    draft: str, request_text: str, fixed: str
) -> None:
    found = kept_newest_fix(draft, request_text, None)
    assert found is not None
    assert found[0] == fixed


@pytest.mark.parametrize(
    "draft",
    [
        "ls -tr | head -n -5 | xargs rm",  # NL2Bash's answers, already right
        "ls -tp | grep -v '/$' | tail -n +6 | xargs -d '\\n' rm --",
        "ls -tS | head -n 3 | xargs rm",  # sorted by size too: which order is not sure
    ],
)
def test_a_listing_already_keeping_the_newest_is_left_alone(draft: str) -> None:
    assert (
        kept_newest_fix(draft, "Removes all files but 5 newest ones from current folder.", None)
        is None
    )


@pytest.mark.parametrize(
    ("argv", "letters", "archive", "members"),
    [
        (["tar", "-czf", "a.tgz", "x", "y"], "cz", "a.tgz", ["x", "y"]),
        (["tar", "xzf", "a.tgz", "-C", "out", "m"], "xz", "a.tgz", ["m"]),
        (["tar", "--extract", "--file=a.tar", "--exclude", "b", "m"], "x", "a.tar", ["m"]),
        (["tar", "-cfa.tar", "x"], "c", "a.tar", ["x"]),
        (["tar", "-t", "-f", "a.tar"], "t", "a.tar", []),
        (["tar", "cfz", "a.tgz", "x"], "cz", "a.tgz", ["x"]),  # old style: f's value follows
        (["tar", "-cfz", "a.tgz"], "c", "z", ["a.tgz"]),  # -f takes the rest of its cluster
    ],
)
def test_tar_words_are_read_as_tar_reads_them(
    argv: list[str], letters: str, archive: str, members: list[str]
) -> None:
    tar = TarWords(argv)
    assert (tar.letters, tar.archive, tar.members) == (letters, archive, members)


def test_an_archive_that_is_not_here_is_a_made_up_input(backups: Path) -> None:
    here = Workdir(backups)
    request = "search for error in the compressed logs"
    assert made_up_inputs("tar -xzvf logs.tar.gz | grep -i error", here, request) == [
        "file: logs.tar.gz is not here, and the request does not name it"
    ]
    assert made_up_inputs("zcat logs.gz", here, request) == [
        "file: logs.gz is not here, and the request does not name it"
    ]
    assert made_up_inputs("tar -tzf backup.tar.gz", here, "list backup.tar.gz") == []
    assert made_up_inputs("tar -czf new.tar.gz config", here, "archive config") == []


def test_the_engine_shows_the_archive_fixed_here(
    engine: Engine, fake: FakeBackend, backups: Path
) -> None:
    here = dataclasses.replace(engine, workdir=backups)
    assert_fixed(
        here,
        fake,
        "tar -xzvf backup.tar.gz | grep app.ini",
        "extract only config/app.ini from backup.tar.gz",
        "tar -xzvf backup.tar.gz config/app.ini",
        "fixed here: tar extracts only the members",
    )

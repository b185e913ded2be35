"""What a request keeps (cmdai.keep_fixes) and the archive members it names (archive_members)."""

from __future__ import annotations

import dataclasses
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import assert_fixed

from cmdai.backends.fake import FakeBackend
from cmdai.context import Workdir
from cmdai.core import Engine
from cmdai.stages import gives, replace_once


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            "gzip -d logs/old.log.gz",
            "decompress logs/old.log.gz and keep the compressed file",
            "gzip -k -d logs/old.log.gz",
        ),
        ("gunzip a.gz", "unpack a.gz but keep the .gz", "gunzip -k a.gz"),
        ("xz -9 notes.txt", "compress notes.txt, keeping the original", "xz -k -9 notes.txt"),
        ("gzip -dk a.gz", "decompress a.gz and keep the compressed file", None),
        ("gzip -dc a.gz > a", "decompress a.gz and keep the compressed file", None),
        ("gzip -d a.gz", "decompress a.gz", None),  # nothing said: gzip's own way
        ("zstd -d a.zst", "decompress a.zst and keep the compressed file", None),  # keeps it
    ],
)
def test_the_input_the_request_keeps_is_kept(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here:")


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            "tar -xzf backup.tar.gz",
            "extract backup.tar.gz here, overwriting nothing",
            "tar --skip-old-files -xzf backup.tar.gz",
        ),
        (
            "cp *.txt backup/",
            "copy the txt files to backup without overwriting",
            "cp -n *.txt backup/",
        ),
        ("mv a b/", "move a into b but don't overwrite anything", "mv -n a b/"),
        ("unzip photos.zip", "unzip photos.zip, skipping files that exist", "unzip -n photos.zip"),
        (
            "rsync -a src/ dst/",
            "copy only the new files from src to dst",
            "rsync --ignore-existing -a src/ dst/",
        ),
        ("cp -n a b", "copy a to b without overwriting", None),
        ("cp -i a b", "copy a to b without overwriting", None),  # asks first: the user decides
        ("tar -czf a.tgz src", "archive src without overwriting anything", None),  # no extract
        ("cp a b", "copy a to b", None),
        ("bash -c 'cp a b'", "copy a to b without overwriting", None),  # nested: left alone
    ],
)
def test_files_that_exist_are_left_when_the_request_says_so(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here:")


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        (
            "tar -xzvf backup.tar.gz -C restore",
            "mkdir -p restore && tar -xzvf backup.tar.gz -C restore",
        ),
        (
            "tar xf a.tar --directory='my files'",
            "mkdir -p 'my files' && tar xf a.tar --directory='my files'",
        ),
        ("tar -xzf backup.tar.gz -C existing", None),
        ("tar -xzf backup.tar.gz -C /opt/app", None),  # outside: not ours to look at
        ("tar -czf out.tgz -C src .", None),  # creates an archive: -C is where it reads
    ],
)
def test_the_folder_tar_extracts_into_is_made_first(
    engine: Engine, fake: FakeBackend, tmp_path: Path, command: str, fixed: str | None
) -> None:
    (tmp_path / "existing").mkdir()
    here = dataclasses.replace(engine, workdir=tmp_path)
    assert_fixed(
        here, fake, command, "extract the backup into a folder", fixed, "fixed here: tar -C"
    )


@pytest.fixture
def archives(tmp_path: Path) -> Path:
    """A gzipped tar holding ``README.md`` and ``app/main.py``, a zip of two photos."""
    src = tmp_path / "src"
    (src / "app").mkdir(parents=True)
    (src / "README.md").write_text("# app\n")
    (src / "app" / "main.py").write_text("print('hi')\n")
    with tarfile.open(tmp_path / "backup.tar.gz", "w:gz") as archive:
        archive.add(src / "README.md", arcname="README.md")
        archive.add(src / "app", arcname="app")
    with zipfile.ZipFile(tmp_path / "photos.zip", "w") as archive:
        archive.writestr("a.jpg", "x")
        archive.writestr("trip/b.jpg", "y")
    (tmp_path / "notes.txt").write_text("not an archive\n")
    return tmp_path


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        (
            "tar -xzf backup.tar.gz --wildcards 'src/README.md'",
            "tar -xzf backup.tar.gz --wildcards 'README.md'",
        ),
        ("tar -xzf backup.tar.gz main.py", "tar -xzf backup.tar.gz app/main.py"),
        (
            "tar xzf backup.tar.gz -C src src/app/main.py",
            "tar xzf backup.tar.gz -C src app/main.py",
        ),
        ("unzip photos.zip b.jpg", "unzip photos.zip trip/b.jpg"),
        ("tar -xzf backup.tar.gz README.md", None),  # it holds that one
        ("tar -xzf backup.tar.gz 'app/*.py'", None),  # a pattern: tar matches it
        ("tar -xzf backup.tar.gz nothing.txt", None),  # no member of that name: nothing to say
        ("unzip photos.zip -x b.jpg", None),  # names to leave out
        ("tar -xf notes.txt README.md", None),  # not an archive
    ],
)
def test_a_member_the_archive_does_not_hold_is_the_one_of_that_name_it_does(
    engine: Engine, fake: FakeBackend, archives: Path, command: str, fixed: str | None
) -> None:
    here = dataclasses.replace(engine, workdir=archives)
    assert_fixed(here, fake, command, "extract only that file", fixed, "fixed here: ")


def test_an_archive_list_is_read_only_when_small_and_here(archives: Path) -> None:
    work = Workdir(archives)
    assert work.members("backup.tar.gz") == {"README.md", "app", "app/main.py"}
    assert work.members("photos.zip") == {"a.jpg", "trip/b.jpg"}
    assert work.members("notes.txt") is None
    assert work.members("missing.zip") is None
    assert work.members("../outside.zip") is None
    (archives / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    assert work.members("broken.zip") is None


def test_a_sure_fix_edits_only_what_is_written_once() -> None:
    assert (
        replace_once("gzip -d a.gz", r"\bgzip(?=\s)", lambda m: f"{m[0]} -k") == "gzip -k -d a.gz"
    )
    assert replace_once("gzip a; gzip b", r"\bgzip(?=\s)", "xz") is None  # twice: not sure
    assert replace_once("ls", r"\bgzip\b", "xz") is None
    assert replace_once("cp a b", r"\bb$", r"dir\1") == r"cp a dir\1"  # the text, not a template
    assert gives(("--format=%s", "-5"), "--format")
    assert not gives(("--formats",), "--format")

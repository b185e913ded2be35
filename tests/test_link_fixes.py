"""Links and what a file's metadata says (cmdai.link_fixes; the twenty-fifth by-hand round).
Each fixed command is run with bash on a tree of links and files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.context import Workdir


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write_files(
        tmp_path,
        {
            "releases/v1/VERSION": "v1\n",
            "releases/v2/VERSION": "v2\n",
            "data.bin": "x" * 3000,
            "notes.txt": "milk\n",
            "a.txt": "a\n",
            "b.txt": "b\n",
        },
    )
    (tmp_path / "current").symlink_to("releases/v1")
    (tmp_path / "old").symlink_to("releases/v0")
    os.utime(tmp_path / "a.txt", (1_700_000_000, 1_700_000_000))
    os.utime(tmp_path / "b.txt", (1_700_100_000, 1_700_100_000))
    return tmp_path


def out(command: str, where: Path) -> str:
    return run_bash(command, where, check=False).stdout


def test_where_a_link_points_and_a_link_pointed_elsewhere(tree: Path) -> None:
    shown = fixed("readlink -f .", "show where the link current points to", tree)
    assert shown == "readlink current"
    assert out(shown, tree) == "releases/v1\n"
    assert fixed("readlink -f .", "show where the link notes.txt points to", tree) is None
    moved = fixed("cd releases/v2", "change the link current so it points to releases/v2", tree)
    assert moved == "ln -sfn releases/v2 current"
    run_bash(moved, tree)
    assert (tree / "current" / "VERSION").read_text() == "v2\n"
    assert sorted(p.name for p in (tree / "releases" / "v1").iterdir()) == ["VERSION"]
    # ln -sf without -n would have made releases/v2/v2 through the link to a folder.
    assert fixed(moved, "change the link current so it points to releases/v2", tree) is None
    assert fixed("cd x", "change the link releases so it points to a.txt", tree) is None


def test_a_hard_link_and_the_broken_links_only(tree: Path) -> None:
    hard = fixed("ln -s data.bin data-link.bin", "make a hard link to data.bin called d", tree)
    assert hard == "ln data.bin data-link.bin"
    run_bash(hard, tree)
    assert (tree / "data.bin").stat().st_nlink == 2
    assert fixed("ln -s data.bin d", "make a symbolic link to data.bin called d", tree) is None
    draft = "find . -type l -exec rm {} \\;"
    broken = fixed(draft, "remove the broken symbolic links here", tree)
    assert broken == "find . -xtype l -exec rm {} \\;"
    run_bash(broken, tree)
    assert sorted(p.name for p in tree.iterdir() if p.is_symlink()) == ["current"]
    kept = "find . -type l -print0 | xargs -0 file | grep broken"
    assert fixed(kept, "find broken links", tree) is None  # told apart by file already
    assert fixed("find . -type l", "list the symbolic links here", tree) is None


def test_a_size_in_bytes_the_newer_file_and_a_full_path(tree: Path) -> None:
    size = fixed("ls -lh data.bin", "show the size of data.bin in bytes", tree)
    assert size == "stat -c %s data.bin"
    assert out(size, tree) == "3000\n"
    assert fixed("du -b data.bin", "show the size of data.bin in bytes", tree) is None
    newer = fixed("ls -l | awk '{print $9}' a.txt b.txt", "which is newer, a.txt or b.txt", tree)
    assert newer == "ls -t -- a.txt b.txt | head -n 1"
    assert out(newer, tree) == "b.txt\n"
    older = fixed("echo a.txt", "which is older, a.txt or b.txt?", tree)
    assert out(older or "", tree) == "a.txt\n"
    assert fixed("echo", "which is newer, a.txt or missing.txt", tree) is None
    full = fixed("find . -name notes.txt", "show the full path of notes.txt", tree)
    assert full == "realpath notes.txt"
    assert out(full, tree) == f"{tree.resolve()}/notes.txt\n"
    assert fixed("find . -name n.txt", "show the full path of n.txt", tree) is None


def test_workdir_tells_a_link_broken_or_not(tree: Path) -> None:
    here = Workdir(tree)
    assert here.is_link("current")
    assert here.is_link("old")
    assert not here.is_link("notes.txt")
    assert not here.is_link("releases")
    assert not here.is_link("missing")

"""Finding files by name, age and content (cmdai.find_fixes; the eighteenth by-hand round), and
``rm *.bak`` pointed at the files below when the request deletes all of them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_bash, write_files

from cmdai.context import Workdir
from cmdai.find_fixes import find_fix
from cmdai.operands import unmatched_globs
from cmdai.shellparse import analyse


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """An untidy tree like the round's scratch folder (no git repository above it)."""
    for folder in ("src/lib", "web/node_modules/left-pad", "app/node_modules/react", "photos/a"):
        (tmp_path / folder).mkdir(parents=True)
    files = {
        "web/config.json": "{}\n",
        "app/config.json": "{}\n",
        "web/node_modules/left-pad/config.json": "{}\n",
        "web/node_modules/left-pad/index.js": "1\n",
        "app/node_modules/react/index.js": "2\n",
        "photos/a/beach.jpg": "same\n",
        "photos/city.jpg": "other\n",
        "photos/a/copy.jpg": "same\n",
        "photos/a/snow.jpeg": "jpeg\n",
        "My Draft.txt": "d\n",
        "notes.txt": "n\n",
        "src/main.py": "m\n",
        "src/lib/util.py": "u\n",
        "src/main.py.bak": "b\n",
    }
    write_files(tmp_path, files)
    old, older = 1_700_000_000, 1_600_000_000
    for name in ("notes.txt", "src/main.py", "photos/a/beach.jpg", "web/config.json"):
        os.utime(tmp_path / name, (older, older))
    os.utime(tmp_path / "notes.txt", (old, old))
    return tmp_path


def fix(command: str, request: str, where: Path | None = None) -> tuple[str, str] | None:
    return find_fix(command, analyse(command), request, Workdir(where) if where else None)


@pytest.mark.parametrize(
    ("draft", "request_text", "fixed"),
    [
        ('find . -name "*draft*" -i', "find my drafts", 'find . -iname "*draft*"'),
        (
            'find . -type f -name "*draft*"',
            "find the files with draft in their name, ignoring case",
            'find . -type f -iname "*draft*"',
        ),
        ("grep -rn todo src", "find todo in src, case-insensitive", "grep -i -rn todo src"),
        (
            'find . -name "config.json" ! -path "node_modules/*"',
            "find every config.json except the ones in node_modules",
            'find . -name "config.json" ! -path "*/node_modules/*"',
        ),
        (
            "find . -type f -exec md5sum {} + | sort | uniq -d | cut -d' ' -f1",
            "find the duplicate files",
            "find . -type f -exec md5sum {} + | sort | uniq -w32 --all-repeated=separate",
        ),
        (
            "find . -type f -exec sha256sum {} \\; | sort | uniq -D",
            "which files are duplicates",
            "find . -type f -exec sha256sum {} \\; | sort | uniq -w64 --all-repeated=separate",
        ),
    ],
)
def test_a_find_draft_is_fixed(draft: str, request_text: str, fixed: str) -> None:
    found = fix(draft, request_text)
    assert found is not None
    assert found[0] == fixed
    assert found[1].startswith("fixed here: ")


@pytest.mark.parametrize(
    ("draft", "request_text"),
    [
        ('find . -iname "*draft*"', "find the drafts, ignoring case"),  # already ignores it
        ("grep -ri todo .", "find todo, case-insensitive"),
        ("grep todo a | grep -v x", "find todo, ignoring case"),  # two greps: which one?
        ('find . -name "*.py"', "find the python files"),  # case not asked about
        ('find . -path "./src/*"', "the files in src"),  # starts as find's paths do
        ('find src -path "src/lib/*"', "the files in src/lib"),
        ('find . -path "*/build/*"', "the build files"),
        ('find /etc -path "nginx/*"', "nginx's files"),  # absolute start: left alone
        ("md5sum * | sort | uniq -d", "show the sums"),  # no duplicates asked about
        ("md5sum * | sort | uniq -w32 -d", "find the duplicate files"),  # compares sums already
        ("md5sum * | sort | uniq -d | wc -l", "how many duplicate files"),
        ("md5sum *.java | awk '{print $1}' | sort | uniq -d", "the duplicate sums"),  # sums alone
        ("find /doc -name '[Rr][Ee][Aa][Dd]*'", "readme files, case insensitive"),
        ("find . -iregex '.*pdf' ! -name 'x*'", "pdfs, case insensitive"),
        ("ls | sort | uniq -c | grep -v ' 1 '", "duplicate names, case insensitive"),
        ("grep -o . f | sort -f | uniq -ic", "each character, case insensitive"),
        ("grep -oE '[a-zA-Z]+@[a-z.]+' e.txt", "the emails, case insensitive"),  # both cases
    ],
)
def test_a_right_or_unknown_draft_is_left_alone(draft: str, request_text: str) -> None:
    assert fix(draft, request_text) is None


def test_every_path_pattern_is_fixed_and_one_in_finds_folder_gets_its_prefix(
    tree: Path,
) -> None:
    draft = "find . -type d \\( -path dir1 -o -path src \\) -prune -o -print"
    found = fix(draft, "all files except dir1 and src", tree)
    assert found is not None
    assert found[0] == "find . -type d \\( -path '*/dir1' -o -path './src' \\) -prune -o -print"
    assert "./src/main.py" not in run_bash(found[0], tree).stdout
    assert "./photos/city.jpg" in run_bash(found[0], tree).stdout


def test_the_fixed_find_commands_do_what_was_asked(tree: Path) -> None:
    named = fix('find . -name "*draft*" -i', "drafts ignoring case")
    assert named is not None
    assert run_bash(named[0], tree).stdout.split("\n")[0] == "./My Draft.txt"
    kept = fix('find . -name "config.json" ! -path "node_modules/*"', "not in node_modules")
    assert kept is not None
    assert sorted(run_bash(kept[0], tree).stdout.split()) == [
        "./app/config.json",
        "./web/config.json",
    ]
    draft = "find . -type f -exec md5sum {} + | sort | uniq -d | cut -d' ' -f1"
    assert run_bash(draft, tree).stdout == ""  # the draft found no copies
    copies = fix(draft, "find the duplicate files")
    assert copies is not None
    shown = run_bash(copies[0], tree).stdout
    assert "./photos/a/beach.jpg" in shown
    assert "./photos/a/copy.jpg" in shown
    assert "city.jpg" not in shown


def test_files_changed_lately_are_found_by_their_times_outside_a_repository(tree: Path) -> None:
    if Workdir(tree).in_repository():
        pytest.skip("the temporary folder lies in a git repository")
    found = fix(
        'git log --name-only --since="2 days ago"',
        "find the files changed in the last 2 days",
        tree,
    )
    assert found is not None
    assert found[0] == "find . -type f -mtime -2"
    shown = run_bash(found[0], tree).stdout.split()
    assert "./src/lib/util.py" in shown
    assert "./src/main.py" not in shown
    hours = fix("git diff --stat", "which files were modified in the past 3 hours", tree)
    assert hours is not None
    assert hours[0] == "find . -type f -mmin -180"
    after = fix(
        "git diff --name-only src notes.txt", "list the files in src changed after notes.txt", tree
    )
    assert after is not None
    assert after[0] == "find src -type f -newer notes.txt"
    shown = run_bash(after[0], tree).stdout.split()
    assert "src/lib/util.py" in shown
    assert "src/main.py" not in shown


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed to make a repository")
def test_git_is_kept_where_a_repository_holds_the_folder(tree: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    draft = 'git log --name-only --since="2 days ago"'
    assert fix(draft, "find the files changed in the last 2 days", tree) is None


def test_copying_all_of_a_kind_reaches_the_files_below(tree: Path) -> None:
    found = fix(
        "cp *.jpg all_photos", "copy all the jpg files into one folder called all_photos", tree
    )
    assert found is not None
    assert found[0].startswith("mkdir -p all_photos && find . -type f -name '*.jpg'")
    assert run_bash("cp *.jpg all_photos", tree, check=False).returncode != 0
    run_bash(found[0], tree)
    assert sorted(p.name for p in (tree / "all_photos").iterdir()) == [
        "beach.jpg",
        "city.jpg",
        "copy.jpg",
    ]
    run_bash(found[0], tree)  # again: the copies already there are not found and copied again
    assert len(list((tree / "all_photos").iterdir())) == 3
    assert fix("cp *.jpg all_photos", "copy the jpg files here into all_photos", tree) is None
    assert fix("cp *.txt keep", "copy all the text files into keep", tree) is None  # some here


def test_a_change_of_extension_is_made_with_mv_where_rename_is_missing(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    draft = "rename 's/\\.jpeg$/.jpg/' *.jpeg"
    found = fix(draft, "rename all the .jpeg files to .jpg", tree)
    assert found is not None
    run_bash(found[0], tree)
    assert (tree / "photos/a/snow.jpg").read_text() == "jpeg\n"
    assert not (tree / "photos/a/snow.jpeg").exists()
    (tree / "here.jpeg").write_text("h\n")
    here = fix(draft, "rename the .jpeg files to .jpg", tree)
    assert here is not None
    assert here[0] == 'for f in *.jpeg; do mv -- "$f" "${f%.jpeg}.jpg"; done'
    assert fix("rename .jpeg .jpg *.jpeg", "rename them", tree) is None  # util-linux's form
    (tree / "here.jpeg").unlink()
    only_here = fix(draft, "rename all .jpeg files in the current directory to .jpg", tree)
    assert only_here is not None
    assert only_here[0].startswith("for f in *.jpeg;")  # not the ones below
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    assert fix(draft, "rename all the .jpeg files to .jpg", tree) is None


def test_each_folder_of_one_name_below_is_measured(tree: Path) -> None:
    found = fix("du -sh node_modules/* | sort -h", "how big is each node_modules folder", tree)
    assert found is not None
    assert found[0] == "find . -type d -name node_modules -prune -exec du -sh {} + | sort -h"
    shown = run_bash(found[0], tree).stdout
    assert "./web/node_modules" in shown
    assert "./app/node_modules" in shown
    assert "left-pad" not in shown
    assert fix("du -sh src", "how big is src", tree) is None  # here: du measures it
    assert fix("du -sh nothing", "how big is nothing", tree) is None


def test_rm_of_a_glob_that_matches_only_below_is_asked_again_when_all_are_meant(
    tree: Path,
) -> None:
    here = Workdir(tree)
    notes = unmatched_globs(analyse("rm *.bak"), "delete all the .bak files", here)
    assert len(notes) == 1
    assert notes[0].startswith("glob: no file in this folder matches *.bak")
    assert "src/main.py.bak" in notes[0]
    assert "find . -type f -name '*.bak'" in notes[0]
    assert unmatched_globs(analyse("rm *.bak"), "delete the .bak files", here) == []
    assert unmatched_globs(analyse("rm *.bak"), "delete all the .bak files, only here", here) == []
    assert unmatched_globs(analyse("mv *.bak old"), "move all the .bak files", here) == []
    written = "forcibly remove all files like '*.bak'"  # the user's own glob, meant here
    assert unmatched_globs(analyse("rm -f *.bak"), written, here) == []

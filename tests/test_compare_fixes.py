"""Comparing two files or two folders (cmdai.compare_fixes; the twenty-first by-hand round),
and a placeholder folder handed to rsync (``/path/to/new/folder``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_bash, write_files

from cmdai.compare_fixes import compare_fix, folder_sets_fix
from cmdai.context import Workdir
from cmdai.path_fixes import path_fix


@pytest.fixture
def versions(tmp_path: Path) -> Path:
    """Two versions of a project, two copies of a report, two versions of a table."""
    files = {
        "old/config.ini": "port = 8080\n",
        "new/config.ini": "port = 9090\n",
        "old/lib/util.py": "x = 1\n",
        "new/lib/util.py": "x = 1\n",
        "new/NOTES.md": "notes\n",
        "old/legacy.txt": "legacy\n",
        "old/data.csv": "name,qty\napple,1\npear,2\n",
        "new/data.csv": "name,qty\napple,1\npear,5\nfig,4\n",
        "report.pdf": "%PDF report\n",
        "report-copy.pdf": "%PDF report\n",
        "other.pdf": "%PDF other\n",
    }
    return write_files(tmp_path, files)


def fixed(command: str, request: str, where: Path | None = None) -> str | None:
    here = Workdir(where) if where else None
    found = compare_fix(command, request, here) or (
        folder_sets_fix(command, request, here) if here else None
    )
    if found is not None:
        assert found[1].startswith("fixed here: ")
    return found[0] if found else None


def test_a_comparison_side_by_side_and_a_count_of_the_lines_that_differ(versions: Path) -> None:
    assert fixed("diff a b", "show a and b side by side") == "diff -y a b"
    assert fixed("diff -y a b", "show a and b side by side") is None
    draft = "diff old/data.csv new/data.csv | wc -l"
    count = fixed(draft, "how many lines differ between old/data.csv and new/data.csv")
    assert count == "diff old/data.csv new/data.csv | grep -c '^[<>]'"
    assert run_bash(draft, versions, check=False).stdout.strip() == "5"  # 2c2,3 --- and more
    assert run_bash(count, versions, check=False).stdout.strip() == "3"
    assert fixed("diff -u a b | wc -l", "how many lines differ between a and b") is None


def test_the_files_in_one_folder_and_not_the_other_or_in_both(versions: Path) -> None:
    draft = 'find new/ -type f ! -path "*/old/*" -exec ls -l {} \\;'
    only = fixed(draft, "which files are in new but not in old", versions)
    assert only == "comm -23 <(cd new && find . -type f | sort) <(cd old && find . -type f | sort)"
    assert run_bash(only, versions).stdout.split() == ["./NOTES.md"]
    both = fixed("diff -r old new", "list the files that are in both old and new", versions)
    assert both is not None
    assert run_bash(both, versions).stdout.split() == [
        "./config.ini",
        "./data.csv",
        "./lib/util.py",
    ]
    assert fixed(draft, "delete the files in new but not in old", versions) is None
    assert fixed(draft, "which files are in new but not in nothing", versions) is None


def test_which_files_differ_between_two_folders(versions: Path) -> None:
    request = "which files differ between old and new"
    assert fixed("diff old new", request, versions) == "diff -rq old new"
    names = fixed("diff -r old new | grep '^Only in' | awk '{print $3}'", request, versions)
    assert names == "diff -rq old new"
    shown = run_bash(names, versions, check=False).stdout
    assert "Files old/config.ini and new/config.ini differ" in shown
    assert "util.py" not in shown
    assert fixed("diff -Nr old new", request, versions) == "diff -rqN old new"
    for right in ("diff -q old new", "diff --brief --recursive old new", "diff -u old new"):
        assert fixed(right, request, versions) is None
    assert fixed("diff report.pdf other.pdf", request, versions) is None  # files, not folders


def test_a_yes_or_no_question_about_two_files_or_folders_is_answered_in_words(
    versions: Path,
) -> None:
    same = fixed(
        "diff report.pdf report-copy.pdf", "are report.pdf and report-copy.pdf identical", versions
    )
    assert same == "cmp -s report.pdf report-copy.pdf && echo identical || echo different"
    assert run_bash(same, versions).stdout == "identical\n"
    other = fixed("diff report.pdf other.pdf", "are report.pdf and other.pdf the same", versions)
    assert other is not None
    assert run_bash(other, versions).stdout == "different\n"
    folders = fixed(
        "diff -q old.txt new.txt", "check whether old and new have the same contents", versions
    )
    assert folders == "diff -rq old new && echo identical"
    assert (
        fixed(
            "diff report.pdf other.pdf", "show the difference of report.pdf and other.pdf", versions
        )
        is None
    )


def test_two_files_checksums(versions: Path) -> None:
    request = "compare the checksums of report.pdf and report-copy.pdf"
    assert (
        fixed("diff report.pdf report-copy.pdf", request, versions)
        == "md5sum report.pdf report-copy.pdf"
    )
    sha = "compare the sha256 hashes of report.pdf and other.pdf"
    assert fixed("cmp report.pdf other.pdf", sha, versions) == "sha256sum report.pdf other.pdf"
    assert fixed("md5sum report.pdf report-copy.pdf", request, versions) is None


def test_a_placeholder_folder_sent_by_rsync_is_the_one_here(versions: Path) -> None:
    draft = "rsync -avz /path/to/new/folder server.example.com:/srv/app"
    found = path_fix(draft, Workdir(versions), "sync the new folder to server.example.com:/srv/app")
    assert found is not None
    assert found[0] == "rsync -avz new server.example.com:/srv/app"
    kept = "rsync -avz new server.example.com:/path/to/folder"  # where it goes: not read here
    assert path_fix(kept, Workdir(versions), "sync new to the server") is None

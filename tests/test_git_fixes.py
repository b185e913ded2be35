"""git's history, branches and index (cmdai.git_fixes; the thirty-third by-hand round).
Each fixed command is run with bash in a small repository built here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{key}_NAME", "Ann")
        monkeypatch.setenv(f"GIT_{key}_EMAIL", "ann@example.com")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    write_files(tmp_path, {"index.html": "<html>\n<h1>Home</h1>\n</html>\n", "a.css": "a\n"})
    run_bash("git init -q -b main && git add -A && git commit -qm First && git tag v1.0", tmp_path)
    run_bash("printf '<p>x</p>\\n' >> index.html && git commit -qam 'Add a footer'", tmp_path)
    run_bash("git checkout -qb dark-mode && echo b >> a.css && git commit -qam Dark", tmp_path)
    run_bash("git checkout -q main", tmp_path)
    return tmp_path


def out(command: str, where: Path) -> str:
    return run_bash(command, where).stdout


def test_history_read_the_way_the_request_says(repo: Path) -> None:
    draft = "grep -n 'line 2' index.html | awk '{print $1}'"
    blame = fixed(draft, "who last changed line 2 of index.html", repo)
    assert blame == "git blame -L 2,2 index.html"
    assert "Ann" in out(blame, repo)
    assert "<h1>Home</h1>" in out(blame, repo)
    assert fixed("git blame index.html", "who last changed line 2 of index.html", repo) is None
    tags = fixed("jq -r '.tags' tags.json", "list the tags", repo)
    assert tags == "git tag"
    assert out(tags, repo) == "v1.0\n"
    assert fixed("jj tag list", "list all tags", repo) is None  # another tool's tags
    only = fixed(
        "git log --dark-mode --not --main", "which commits are on dark-mode but not on main", repo
    )
    assert only == "git log --oneline main..dark-mode"
    assert out(only, repo).split()[1:] == ["Dark"]
    assert (
        fixed("git log main..dark-mode", "which commits are on dark-mode but not on main", repo)
        is None
    )
    assert fixed("git log", "which commits are on dark-mode but not on nowhere", repo) is None
    messages = fixed("git log --oneline", "show only the commit messages, one per line", repo)
    assert messages == "git log --format=%s"
    assert out(messages, repo) == "Add a footer\nFirst\n"
    numstat = fixed(
        "git diff --cached --name-only | xargs wc -l",
        "show how many lines were added and removed in each file by the last commit",
        repo,
    )
    assert numstat == "git show --numstat --format= HEAD"
    assert out(numstat, repo).split() == ["1", "0", "index.html"]


def test_the_index_and_the_files_changed_the_way_the_request_says(repo: Path) -> None:
    first = fixed(
        "git checkout HEAD -- index.html", "restore index.html as it was in the first commit", repo
    )
    assert first == 'git checkout "$(git rev-list --max-parents=0 HEAD)" -- index.html'
    run_bash(first, repo)
    assert (repo / "index.html").read_text() == "<html>\n<h1>Home</h1>\n</html>\n"
    run_bash("git checkout -q HEAD -- index.html", repo)
    (repo / "a.css").write_text("staged\n")
    run_bash("git add a.css", repo)
    (repo / "a.css").write_text("staged and more\n")
    draft = "git checkout -- a.css"
    unstage = fixed(draft, "unstage a.css", repo)
    assert unstage == "git restore --staged a.css"
    run_bash(unstage, repo)
    assert out("git diff --staged --name-only", repo) == ""
    assert (repo / "a.css").read_text() == "staged and more\n"  # the change is kept
    assert fixed("git reset a.css", "unstage a.css", repo) is None


def test_branches_deleted_and_commits_copied(repo: Path) -> None:
    draft = "git branch -d dark-mode"
    assert run_bash(draft, repo, check=False).returncode != 0  # not merged: git refuses
    force = fixed(draft, "delete the branch dark-mode even though it is not merged", repo)
    assert force == "git branch -D dark-mode"
    assert fixed(draft, "delete the branch dark-mode", repo) is None
    pick = fixed("git checkout main", "copy the last commit of dark-mode onto main", repo)
    assert pick == "git switch main && git cherry-pick dark-mode"
    run_bash(pick, repo)
    assert (repo / "a.css").read_text() == "a\nb\n"
    assert out("git log --format=%s -n 1", repo) == "Dark\n"
    run_bash(force, repo)
    assert "dark-mode" not in out("git branch", repo)


def test_nothing_is_fixed_outside_a_repository(tmp_path: Path) -> None:
    write_files(tmp_path, {"index.html": "x\n"})
    assert fixed("jq -r '.tags' tags.json", "list the tags", tmp_path) is None
    assert fixed("cat index.html", "who last changed line 1 of index.html", tmp_path) is None

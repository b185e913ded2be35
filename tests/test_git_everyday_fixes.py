"""git's stash, remotes, patches and index (cmdai.git_everyday_fixes; the forty-fourth by-hand
round). Each fixed command runs in a real repository with a stash and a remote."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
ENV = {
    "GIT_AUTHOR_NAME": "Ann",
    "GIT_AUTHOR_EMAIL": "ann@example.com",
    "GIT_COMMITTER_NAME": "Ann",
    "GIT_COMMITTER_EMAIL": "ann@example.com",
}


def git(where: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=where,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **ENV},
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    work = write_files(tmp_path / "site", {"index.html": "<h1>Hi</h1>\n"})
    git(work, "init", "-q", "-b", "main")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "First version")
    write_files(work, {"index.html": "<h1>Hello</h1>\n"})
    git(work, "commit", "-q", "-am", "Say hello")
    git(work, "branch", "dark-mode")
    git(tmp_path, "init", "-q", "--bare", "origin.git")
    git(work, "remote", "add", "origin", "../origin.git")
    write_files(work, {"index.html": "<h1>Hello, footer</h1>\n"})
    git(work, "stash", "push", "-q", "-m", "footer")
    return work


def test_stash_shown_and_a_branch_pushed_with_upstream(repo: Path) -> None:
    shown = fixed("git stash list", "show what is in the stash", repo)
    assert shown == "git stash show -p"
    assert "+<h1>Hello, footer</h1>" in run_bash(shown, repo).stdout
    assert fixed("git stash list", "list my stashes", repo) is None
    pushed = fixed("git push dark-mode origin", "push dark-mode and set it to track origin", repo)
    assert pushed == "git push -u origin dark-mode"
    run_bash(pushed, repo)
    assert git(repo, "rev-parse", "--abbrev-ref", "dark-mode@{u}").strip() == "origin/dark-mode"
    assert fixed("git push origin dark-mode", "push dark-mode to origin", repo) is None


def test_patch_index_and_last_commit(repo: Path) -> None:
    patch = fixed("git diff > last.patch", "make a patch file of the last commit", repo)
    assert patch == "git format-patch -1 HEAD"
    made = run_bash(patch, repo).stdout.strip()
    assert "Subject: [PATCH] Say hello" in (repo / made).read_text()
    write_files(repo, {"index.html": "<h1>Staged</h1>\n"})
    git(repo, "add", "index.html")
    undo = fixed("git reset HEAD --hard", "undo git add for everything", repo)
    assert undo == "git reset"
    run_bash(undo, repo)
    status = git(repo, "status", "--short", "--untracked-files=no")
    assert status == " M index.html\n"  # unstaged, the change kept
    last = fixed("git diff HEAD~1", "show the changes in the last commit", repo)
    assert last == "git show HEAD"
    assert "Staged" not in run_bash(last, repo).stdout  # the uncommitted change is not in it
    assert fixed("git diff HEAD~1", "what changed since the commit before", repo) is None

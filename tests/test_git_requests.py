"""Requests in git's words: the option they ask for in so many words (cmdai.git_requests)."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import answer, assert_fixed, assert_pitfall

from cmdai.backends.fake import FakeBackend
from cmdai.core import ASKED_AGAIN, Engine
from cmdai.git_requests import repository_refs


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        ("git stash", "stash my changes including untracked files", "git stash -u"),
        ("git stash push", "stash everything, untracked files too", "git stash push -u"),
        ("git stash -u", "stash my changes including untracked files", None),
        ("git stash", "stash my changes", None),
        ("git stash", "stash my changes but not the untracked files", None),
        ("git stash list", "list the stashes with untracked files", None),
        # "keep its changes staged": --soft; a plain reset keeps them unstaged, as asked here
        (
            "git reset HEAD~1",
            "undo the last commit but keep its changes staged",
            "git reset --soft HEAD~1",
        ),
        ("git reset HEAD~1", "undo the last commit but keep the changes", None),
        ("git reset --hard HEAD~1", "undo the last commit, changes staged", None),
        ("git reset README.md", "undo the last commit but keep its changes staged", None),
        ("git commit -m wip", "commit all my changes with the message wip", "git commit -a -m wip"),
        ("git commit -am wip", "commit all my changes with the message wip", None),
        ("git commit -qam wip", "commit all my changes with the message wip", None),
        ("git commit -m all", "commit the staged changes with the message all", None),
        ("git commit --amend -m wip", "commit everything into the last commit", None),
    ],
)
def test_a_change_the_request_names_is_made_here(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: git")


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            'git log --since="2024-04-01" --until="2024-04-07"',
            "show the commits made in the first week of April, one line each",
            'git log --oneline --since="2024-04-01" --until="2024-04-07"',
        ),
        ("git log --format=%s", "the commit subjects one per line", None),
        (
            "git log -5 --oneline",
            "show the last 5 commits with their dates",
            "git log -5 --format='%h %ad %s' --date=short",
        ),
        ("git log -5", "show the last 5 commits with their dates", None),  # shows a Date: line
        ("git diff", "show what I staged", "git diff --staged"),
        (
            "git diff --stat",
            "how much did I change in the staged files",
            "git diff --staged --stat",
        ),
        ("git diff", "show my staged and unstaged changes", None),
        ("git diff --cached", "show what I staged", None),
        (
            "git diff --name-only HEAD",
            "which files changed in the last commit",
            "git diff --name-only HEAD~1 HEAD",
        ),
        ("git diff --name-only HEAD", "which files changed since the last commit", None),
        ("git diff HEAD~2 HEAD", "what changed in the last commit", None),
        # a fix to what a command shows never touches one that changes things
        ("git diff > staged.patch", "save what I staged as a patch", None),
    ],
)
def test_what_the_request_asks_to_see_is_shown(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: git")


@pytest.mark.parametrize(
    ("command", "request_text", "warned"),
    [
        ("git add .", "commit all my changes with the message wip", "to commit"),
        ("git add -A && git commit -m wip", "commit all my changes with the message wip", None),
        ("git commit -am wip", "commit all my changes with the message wip", None),
        ("git pull --rebase", "pull the latest changes and rebase my work", None),
        ("git status", "push my branch", "to push"),
        ("git magic -m wip", "commit my changes with the message wip", None),  # git-extras
        ("git svn dcommit", "commit back to the svn server", None),
        ("ls", "commit all my changes", None),  # not git: the other checks' business
        ("git log --oneline", "commit log, one line each", None),
    ],
)
def test_a_git_verb_the_command_never_runs_is_asked_again(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, warned: str | None
) -> None:
    assert_pitfall(engine, fake, command, "git:", warned, request_text)


def test_the_answer_asked_again_gets_the_sure_fixes_too(engine: Engine, fake: FakeBackend) -> None:
    fake.enqueue(answer("git add ."))  # proven wrong: it never commits; asked again
    fake.enqueue(answer('git commit -m "wip"'))  # commits only what is staged: fixed here
    proposal = engine.propose("commit all my changes to tracked files with the message wip")
    assert proposal.command == 'git commit -a -m "wip"'
    assert proposal.warnings[:2] == (
        ASKED_AGAIN,
        "fixed here: git commit commits only what is staged; -a commits every tracked change",
    )
    assert "must run git commit" in fake.history[-1].messages[-1].content


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        ('git log --grep="pricing"', "searches only the commit messages"),
        ("git log -S pricing", None),
        ("git log --grep=pricing -S pricing", None),
    ],
)
def test_commits_that_added_a_word_are_not_searched_by_message(
    engine: Engine, fake: FakeBackend, command: str, warned: str | None
) -> None:
    request_text = "find the commit that added the word pricing"
    assert_pitfall(engine, fake, command, "git:", warned, request_text)


def _repository(root: Path, branches: list[str], packed: tuple[str, ...] = ()) -> Path:
    """A repository's ``.git`` as git lays it out: loose branch files and ``packed-refs``."""
    heads = root / ".git" / "refs" / "heads"
    heads.mkdir(parents=True)
    (root / ".git" / "refs" / "tags").mkdir()
    for name in branches:
        (heads / name).parent.mkdir(parents=True, exist_ok=True)
        (heads / name).write_text("0" * 40 + "\n")
    lines = ["# pack-refs with: peeled fully-peeled sorted"]
    lines += [f"{'1' * 40} refs/{ref}" for ref in packed]
    (root / ".git" / "packed-refs").write_text("\n".join(lines) + "\n")
    return root


def test_the_refs_of_the_repository_holding_a_folder(tmp_path: Path) -> None:
    repo = _repository(tmp_path, ["main", "feature/due-dates"], ("heads/old", "tags/v1.0"))
    below = repo / "src" / "app"
    below.mkdir(parents=True)
    expected = {"main", "feature/due-dates", "old", "v1.0"}
    assert repository_refs(repo) == expected
    assert repository_refs(below) == expected  # the repository holding a folder below its top
    linked = tmp_path / "linked"  # a worktree: .git is a file naming the repository's folder
    (repo / ".git" / "worktrees" / "linked").mkdir(parents=True)
    (repo / ".git" / "worktrees" / "linked" / "commondir").write_text("../..\n")
    linked.mkdir()
    (linked / ".git").write_text(f"gitdir: {repo / '.git' / 'worktrees' / 'linked'}\n")
    assert repository_refs(linked) == expected


def test_no_repository_has_no_refs(tmp_path: Path) -> None:
    assert repository_refs(tmp_path) == frozenset()


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        ("diff main dark-mode", "git diff main dark-mode"),
        ("diff -u main v1.0", "git diff main v1.0"),
        ("diff main notes.txt", None),  # one is a file
        ("diff main nosuch", None),  # not a branch either
        ("diff -y main dark-mode", None),  # side by side: not a git option
    ],
)
def test_two_branches_compared_as_files_are_compared_by_git(
    engine: Engine, fake: FakeBackend, tmp_path: Path, command: str, fixed: str | None
) -> None:
    repo = _repository(tmp_path, ["main", "dark-mode"], ("tags/v1.0",))
    (repo / "notes.txt").write_text("notes\n")
    engine = dataclasses.replace(engine, workdir=repo)
    request_text = "show the difference between the two"
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: main and")


def test_a_file_named_like_a_branch_is_the_file(
    engine: Engine, fake: FakeBackend, tmp_path: Path
) -> None:
    repo = _repository(tmp_path, ["main", "dark-mode"])
    (repo / "main").write_text("a file called main\n")
    engine = dataclasses.replace(engine, workdir=repo)
    assert_fixed(engine, fake, "diff main dark-mode", "compare main and dark-mode", None, "fixed")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_refs_git_itself_writes_are_read(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git(
        "-c",
        "user.name=A",
        "-c",
        "user.email=a@example.com",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "x",
    )
    git("branch", "dark-mode")
    git("tag", "v1.2")
    git("pack-refs", "--all")  # the refs move into packed-refs
    git("branch", "loose")
    assert repository_refs(tmp_path) == {"main", "dark-mode", "v1.2", "loose"}

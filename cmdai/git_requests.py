"""What a request in git's words asks for, and a draft of ``git`` can visibly miss.

A 1.5B model knows git's sub-commands but not always the option that makes one do what was
asked (the seventh by-hand round, in a small website kept in git, and the core dev split's git
requests). Sure fixes (``cmdai.sure_fixes``), each for a request that says so in so many words:
``git stash`` for "including untracked files" gets ``-u``; ``git reset HEAD~`` for "keep its
changes staged" gets ``--soft``; ``git log`` for "one line each" gets ``--oneline``, and
``--oneline`` for "with their dates" becomes a format with the date; ``git diff`` for "what I
staged" gets ``--staged``; ``git diff HEAD`` for the files changed "in the last commit" (which
compares the working tree with it) becomes ``git diff HEAD~1 HEAD``; and ``diff main dark-mode``,
two branches of the repository here and no such files, becomes ``git diff main dark-mode``.

Notes proving a draft wrong (``git:``; ``cmdai.core`` asks again with them): a request that
says to commit (push, stash, tag...) answered with git commands that never do, and commits that
"added the word X" looked for with ``git log --grep``, which searches only their messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from cmdai.stages import gives, replace_once

if TYPE_CHECKING:
    from cmdai.pitfalls import Here
    from cmdai.shellparse import Analysis

_GLOBAL_VALUED = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace"})


def git_calls(analysis: Analysis) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each ``git`` the command runs: its sub-command and the words after it."""
    for simple in analysis.commands:
        argv = simple.argv
        if not argv or argv[0] != "git":
            continue
        i = 1
        while i < len(argv) and argv[i].startswith("-"):
            i += 2 if argv[i] in _GLOBAL_VALUED else 1
        if i < len(argv):
            yield argv[i], argv[i + 1 :]


def _only(analysis: Analysis, sub: str) -> tuple[str, ...] | None:
    """The words after ``git SUB`` when the command runs exactly one, and git nothing else."""
    calls = list(git_calls(analysis))
    if len(calls) != 1 or calls[0][0] != sub:
        return None
    return calls[0][1]


def _insert(command: str, sub: str, option: str) -> str | None:
    """``command`` with ``option`` right after ``git SUB`` (None: not written that plainly)."""
    written = r"\s+".join(re.escape(word) for word in sub.split())
    return replace_once(command, rf"\bgit\s+{written}(?![\w-])", lambda m: f"{m[0]} {option}")


_UNTRACKED = re.compile(r"\buntracked\b", re.IGNORECASE)
_NOT_UNTRACKED = re.compile(r"\b(?:without|not|no|except|but not)\s+(?:the\s+)?untracked", re.I)


def stash_untracked_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``git stash`` for "stash my changes including untracked files": ``git stash -u``."""
    words = _only(analysis, "stash")
    if words is None or not _UNTRACKED.search(request) or _NOT_UNTRACKED.search(request):
        return None
    if (words and words[0] not in ("push", "save")) or gives(
        words, "-u", "--include-untracked", "-a", "--all"
    ):
        return None
    fixed = _insert(command, f"stash {words[0]}" if words else "stash", "-u")
    note = "fixed here: git stash leaves untracked files where they are; -u stashes them too"
    return (fixed, note) if fixed else None


_UNDO_COMMIT = re.compile(
    r"\b(?:undo|uncommit|take back|roll back|remove|drop)\b.*\bcommits?\b", re.IGNORECASE
)
_KEEP_STAGED = re.compile(r"(?<!un)\bstaged\b|\bin the index\b|\bstaging area\b", re.IGNORECASE)
_PREVIOUS = re.compile(r"^(?:HEAD|@)(?:[~^]\d*)+$")


def soft_reset_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``git reset HEAD~`` for "undo the last commit but keep its changes staged": ``--soft``.

    A plain ``git reset`` keeps the changes but unstages them.
    """
    words = _only(analysis, "reset")
    if words is None or not (_UNDO_COMMIT.search(request) and _KEEP_STAGED.search(request)):
        return None
    if not any(_PREVIOUS.match(w) for w in words) or gives(
        words, "--soft", "--hard", "--mixed", "--keep", "--merge"
    ):
        return None
    fixed = _insert(command, "reset", "--soft")
    note = "fixed here: git reset HEAD~ unstages the commit's changes; --soft keeps them staged"
    return (fixed, note) if fixed else None


_COMMIT_ALL = re.compile(
    r"^\s*(?:please\s+)?commit\b.*\b(?:all(?:\s+(?:of\s+)?(?:my|the))?\s+changes|everything)\b",
    re.IGNORECASE,
)


def _short_flag(words: tuple[str, ...], letter: str) -> bool:
    """Whether a cluster of short options gives ``letter`` before one taking a value."""
    for word in words:
        if word.startswith("-") and not word.startswith("--"):
            for char in word[1:]:
                if char == letter:
                    return True
                if char in "mFCct":  # the rest of the word is this option's value
                    break
    return False


def commit_all_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``git commit -m wip`` for "commit all my changes": ``-a``.

    Without it git commits only what is staged: nothing, when nothing is.
    """
    words = _only(analysis, "commit")
    if words is None or not _COMMIT_ALL.search(request):
        return None
    if _short_flag(words, "a") or gives(words, "--all", "--amend", "--patch", "--", "-p"):
        return None
    fixed = _insert(command, "commit", "-a")
    note = "fixed here: git commit commits only what is staged; -a commits every tracked change"
    return (fixed, note) if fixed else None


_ONE_LINE = re.compile(
    r"\bone(?:-|\s)?line\b|\bone (?:per|a) line\b|\b(?:on a|in a|a) single line\b", re.IGNORECASE
)
_FORMATS = ("--oneline", "--pretty", "--format", "--graph", "--name-only", "--stat", "-p")
_WITH_DATES = re.compile(
    r"\b(?:with|and|plus|including)\s+(?:their\s+|the\s+|its\s+)?(?:dates?|times?|timestamps?)\b",
    re.IGNORECASE,
)


def log_format_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``git log`` for commits "one line each", or ``--oneline`` for them "with their dates"."""
    words = _only(analysis, "log")
    if words is None:
        return None
    if _ONE_LINE.search(request) and not gives(words, *_FORMATS):
        fixed = _insert(command, "log", "--oneline")
        note = "fixed here: git log shows each commit on several lines; --oneline on one"
        return (fixed, note) if fixed else None
    if _WITH_DATES.search(request) and "--oneline" in words and not gives(words, *_FORMATS[1:3]):
        if command.count("--oneline") != 1:
            return None
        fixed = command.replace("--oneline", "--format='%h %ad %s' --date=short")
        return fixed, "fixed here: git log --oneline shows no dates; this format adds them"
    return None


_STAGED = re.compile(r"(?<!un)\bstaged\b|\bthe index\b", re.IGNORECASE)
_BOTH = re.compile(r"\bunstaged\b|\bnot (?:yet )?staged\b|n't staged\b", re.IGNORECASE)
_LAST_COMMIT = re.compile(
    r"\b(?:in|by|of|from)\s+(?:the|my)\s+(?:last|latest|most recent|previous)\s+commit\b",
    re.IGNORECASE,
)
_DIFF_REVS = re.compile(r"^(?:HEAD|@)(?:[~^]\d*)*$|\.\.")


def diff_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``git diff`` for "what I staged" (``--staged``) or "in the last commit" (HEAD~1 HEAD)."""
    words = _only(analysis, "diff")
    if words is None or "--" in words:
        return None
    revs = [w for w in words if not w.startswith("-")]
    if _STAGED.search(request) and not _BOTH.search(request):
        if revs or gives(words, "--staged", "--cached"):
            return None
        fixed = _insert(command, "diff", "--staged")
        note = "fixed here: git diff shows the changes not staged; --staged shows those staged"
        return (fixed, note) if fixed else None
    if _LAST_COMMIT.search(request) and revs == ["HEAD"]:
        fixed = replace_once(command, r"(?<=\s)HEAD(?=\s|$|[|;&)])", "HEAD~1 HEAD")
        note = "fixed here: git diff HEAD compares your files with the last commit, not its changes"
        return (fixed, note) if fixed else None
    return None


def branch_diff_fix(command: str, analysis: Analysis, here: Here) -> tuple[str, str] | None:
    """``diff main dark-mode``: two branches (or tags) of the repository here, and no such files."""
    if len(analysis.commands) != 1 or analysis.redirects:
        return None
    argv = analysis.commands[0].argv
    if argv[:1] != ("diff",) or any(w.startswith("-") and w != "-u" for w in argv[1:]):
        return None
    names = [w for w in argv[1:] if w != "-u"]
    if len(names) != 2 or any(here.exists(n) for n in names):
        return None
    refs = here.git_refs()
    if not all(n in refs for n in names):
        return None
    fixed = f"git diff {names[0]} {names[1]}"
    return (
        fixed,
        f"fixed here: {names[0]} and {names[1]} are branches, not files: git diff compares them",
    )


_PORCELAIN = frozenset(
    " ".join(
        (
            "add am apply bisect blame branch checkout cherry-pick clean clone commit config",
            "describe diff fetch grep init log ls-files merge mv notes pull push rebase reflog",
            "remote reset restore revert rm shortlog show stash status switch tag worktree",
        )
    ).split()
)
"""The sub-commands git itself ships for everyday work (not git-extras', nor ``git svn``)."""

_GIT_VERBS = ("commit", "push", "pull", "stash", "tag", "merge", "rebase", "fetch", "clone")
_VERB_FIRST = re.compile(
    r"^\s*(?:please\s+|now\s+|then\s+)?(" + "|".join(_GIT_VERBS) + r")\b(?!\s+(?:log|history))",
    re.IGNORECASE,
)


def git_verb_missed(analysis: Analysis, request: str) -> list[str]:
    """A request that starts "commit ..." (push, stash...) answered by git that never does.

    ``git add .`` for "commit all my changes with the message wip" stages them and stops.
    ``git pull --rebase`` rebases: the verb as an option counts.
    """
    verb = _VERB_FIRST.match(request)
    calls = list(git_calls(analysis))
    # git's own sub-commands only: ``git magic`` (git-extras) or ``git svn`` may commit
    if verb is None or not calls or any(sub not in _PORCELAIN for sub, _ in calls):
        return []
    wanted = verb.group(1).lower()
    if any(sub == wanted or wanted in words or f"--{wanted}" in words for sub, words in calls):
        return []
    return [f"git: the request says to {wanted}, so the command must run git {wanted}"]


_CONTENT_ADDED = re.compile(
    r"\b(?:added|adds|introduced|removed|deleted|dropped)\s+(?:the\s+)?(?:word|string|text|"
    r"line|phrase|function|call|variable|constant)\b",
    re.IGNORECASE,
)


def message_searched(analysis: Analysis, request: str) -> list[str]:
    """Commits that "added the word pricing" looked for with ``git log --grep``."""
    if not _CONTENT_ADDED.search(request):
        return []
    for sub, words in git_calls(analysis):
        if sub == "log" and gives(words, "--grep") and not gives(words, "-S", "-G"):
            return [
                "git: git log --grep searches only the commit messages; git log -S TEXT finds "
                "the commits that added or removed TEXT"
            ]
    return []


def repository_root(start: Path) -> Path | None:
    """The folder whose ``.git`` holds ``start`` (None: no repository does)."""
    try:
        for folder in (start, *start.parents):
            if (folder / ".git").exists():
                return folder
    except (OSError, ValueError):
        pass
    return None


def git_dirs(folder: Path) -> tuple[Path, Path]:
    """The git folder of the checkout at ``folder`` and the one its branches are in.

    The same folder for a plain checkout; a worktree or a submodule has a ``.git`` file
    ("gitdir: PATH"), and a worktree's branches are its main repository's (``commondir``).

    Raises:
        OSError: the ``.git`` file or ``commondir`` cannot be read.
    """
    dot_git = folder / ".git"
    if dot_git.is_file():
        text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
        dot_git = folder / text.removeprefix("gitdir:").strip()
    common = dot_git / "commondir"
    if common.is_file():
        return dot_git, dot_git / common.read_text(encoding="utf-8").strip()
    return dot_git, dot_git


def repository_refs(start: Path) -> frozenset[str]:
    """The branch and tag names of the git repository holding ``start`` (empty: none).

    Read from its ``.git`` folder (loose refs and ``packed-refs``); nothing is run.
    """
    try:
        for folder in (start, *start.parents):
            shared = git_dirs(folder)[1]
            if shared.is_dir():
                return _refs(shared)
    except (OSError, ValueError):
        pass
    return frozenset()


def _refs(dot_git: Path) -> frozenset[str]:
    names: set[str] = set()
    for kind in ("heads", "tags"):
        root = dot_git / "refs" / kind
        if root.is_dir():
            names.update(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    packed = dot_git / "packed-refs"
    if packed.is_file():
        for line in packed.read_text(encoding="utf-8", errors="replace").splitlines():
            ref = line.partition(" ")[2]
            for kind in ("refs/heads/", "refs/tags/"):
                if ref.startswith(kind):
                    names.add(ref.removeprefix(kind))
    return frozenset(names)

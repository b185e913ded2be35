"""Sure fixes from the forty-fourth by-hand round: git's stash, remotes, patches and index.

Seen in a repository with a stash, a remote and branches: ``git stash list`` for "show what
is in the stash" (the list, not the changes), ``git push dark-mode origin`` for "push the
dark-mode branch and set it to track origin" (remote and branch swapped, no ``-u``), ``git
diff > last_commit_patch.patch`` for "make a patch file of the last commit" (the uncommitted
changes), ``git reset HEAD --hard`` for "undo git add for everything" (it throws away every
change, staged or not: the index alone is meant), and ``git diff HEAD~1`` for "show the
changes in the last commit" (the working tree's changes too, and nothing for a first commit).

``everyday_git_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is
called (through ``cmdai.git_fixes.git_fix``) in a repository.
"""

from __future__ import annotations

import re
import shlex


def everyday_git_fix(command: str, request: str, refs: frozenset[str]) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does)."""
    return (
        stash_show_fix(command, request)
        or push_upstream_fix(command, request, refs)
        or patch_file_fix(command, request)
        or undo_add_fix(command, request)
        or last_commit_fix(command, request)
    )


def stash_show_fix(command: str, request: str) -> tuple[str, str] | None:
    """``git stash show -p`` for ``git stash list`` where the request asks what is in it."""
    asked = re.search(
        r"\b(?:what(?:'s|\s+is)\s+in|contents?\s+of|changes\s+in)\s+(?:the\s+|my\s+)?stash\b",
        request,
        re.IGNORECASE,
    )
    if asked is None or command.strip() != "git stash list":
        return None
    return "git stash show -p", "fixed here: git stash show -p shows the stashed changes"


def push_upstream_fix(command: str, request: str, refs: frozenset[str]) -> tuple[str, str] | None:
    """``git push -u origin dark-mode`` for ``git push dark-mode origin`` or a push without -u."""
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if words[:2] != ["git", "push"] or re.search(r"[|;&]", command):
        return None
    named = [w for w in words[2:] if not w.startswith("-")]
    tracks = re.search(r"\b(?:track|upstream|set\s+it\s+up)\b", request, re.IGNORECASE)
    if len(named) != 2 or named[0] not in refs or named[1] in refs:
        if not (tracks and len(named) == 2 and named[1] in refs and "-u" not in words):
            return None
        remote, branch = named  # the right order, only the -u missing
    else:
        branch, remote = named  # the branch first: git takes it for a remote
    if not re.fullmatch(r"[\w.-]+", remote) or remote not in request:
        return None
    upstream = ["-u"] if tracks or "-u" in words or "--set-upstream" in words else []
    options = [w for w in words[2:] if w.startswith("-") and w not in ("-u", "--set-upstream")]
    fixed = shlex.join(["git", "push", *upstream, *options, remote, branch])
    return fixed, f"fixed here: git push takes the remote, then the branch ({remote} {branch})"


def patch_file_fix(command: str, request: str) -> tuple[str, str] | None:
    """``git format-patch -1 HEAD`` for "make a patch file of the last commit"."""
    if not re.search(r"\bpatch\b.*\b(?:last|latest|previous)\s+commit\b", request, re.I):
        return None
    if not re.match(r"\s*git\s+diff\b", command) or re.search(r"HEAD[~^]|\.\.", command):
        return None
    return "git format-patch -1 HEAD", "fixed here: git format-patch -1 writes the last commit"


def undo_add_fix(command: str, request: str) -> tuple[str, str] | None:
    """``git reset`` for ``git reset --hard`` where the request undoes ``git add`` alone.

    ``--hard`` also throws away every change in the working tree, staged or not.
    """
    if not re.search(
        r"\b(?:undo|revert|reverse)\s+(?:the\s+|my\s+)?git\s+add\b|\bunstage\s+"
        r"(?:everything|all)\b",
        request,
        re.IGNORECASE,
    ):
        return None
    if not re.fullmatch(r"\s*git\s+reset(?:\s+HEAD)?\s+--hard(?:\s+HEAD)?\s*", command):
        return None
    return (
        "git reset",
        "fixed here: git reset empties the index and keeps the changes (--hard loses them)",
    )


def last_commit_fix(command: str, request: str) -> tuple[str, str] | None:
    """``git show HEAD`` for ``git diff HEAD~1``: the last commit's changes, and only them."""
    if not re.search(
        r"\b(?:changes|diff|what\s+changed)\b.*\b(?:last|latest)\s+commit\b", request, re.I
    ):
        return None
    if not re.fullmatch(r"\s*git\s+diff\s+HEAD(?:~1?|\^)\s*", command):
        return None
    return (
        "git show HEAD",
        "fixed here: git show HEAD is the last commit's changes (diff HEAD~1 adds the uncommitted)",
    )

"""Sure fixes from the thirty-third by-hand round: git's history, branches and index.

Each for a request that says what it wants in git's own terms, in a repository here (its
branches and tags known): who last changed a line (``git blame -L``), the tags (``git tag``;
a draft read a ``tags.json``), the commits on one branch and not another (``git log B..A``;
a draft gave git the branch names as options), a file as it was in the first commit, only
the commit messages (``--format=%s``), a file unstaged (``git restore --staged``; a draft's
``git checkout -- FILE`` throws away its unstaged changes instead), a branch deleted although
not merged (``-D``), the last commit of a branch copied onto another (``git cherry-pick``),
and the lines added and removed in each file by the last commit (``--numstat``).

``git_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called for
any draft, with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.git_everyday_fixes import everyday_git_fix
from cmdai.stages import command_stages

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_PATH = r"['\"]?(?P<file>[\w.][\w./-]*\w)['\"]?"


def git_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of the fixes that applies in a repository here (None: none does)."""
    if here is None:
        return None
    refs = here.git_refs()
    if not refs:
        return None
    return (
        blame_fix(command, request, here)
        or tags_fix(command, request)
        or branch_only_fix(command, request, refs)
        or first_commit_fix(command, request, here)
        or messages_fix(command, request)
        or unstage_fix(command, request, here)
        or force_delete_fix(command, request, refs)
        or cherry_pick_fix(command, request, refs)
        or numstat_fix(command, request)
        or everyday_git_fix(command, request, refs)  # stash, remotes, patches (round 44)
    )


def _git_words(command: str) -> list[list[str]]:
    """The words of each ``git`` stage of a one-pipeline command."""
    return [stage for stage in command_stages(command) if stage[:1] == ["git"]]


_BLAME_ASKED = re.compile(
    r"\bwho\s+(?:last\s+)?(?:changed|edited|wrote|touched|modified)\s+lines?\s+(?P<a>\d+)"
    r"(?:\s*(?:-|to|through)\s*(?P<b>\d+))?\s+(?:of|in)\s+" + _PATH,
    re.IGNORECASE,
)


def blame_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``git blame -L 3,3 index.html`` for "who last changed line 3 of index.html"."""
    asked = _BLAME_ASKED.search(request)
    if asked is None or "blame" in command or not here.exists(asked["file"]):
        return None
    first, last = int(asked["a"]), int(asked["b"] or asked["a"])
    if last < first:
        return None
    fixed = f"git blame -L {first},{last} {shlex.quote(asked['file'])}"
    return fixed, "fixed here: git blame shows who last changed each line, and in which commit"


_FILE_READERS = frozenset(("jq", "cat", "ls", "grep", "find", "awk", "sed", "head", "echo", "sort"))


def tags_fix(command: str, request: str) -> tuple[str, str] | None:
    """``git tag`` for "list the tags" in a repository (seen: ``jq -r '.tags' tags.json``)."""
    if not re.fullmatch(
        r"\s*(?:list|show)\s+(?:all\s+)?(?:the\s+)?(?:git\s+)?tags\s*", request, re.I
    ):
        return None
    programs = {stage[0] for stage in command_stages(command) if stage}
    if not programs or not programs <= _FILE_READERS:  # `jj tag list`, `crane ls` list tags too
        return None
    return "git tag", "fixed here: the tags are this repository's; git tag lists them"


_ONLY_ON = re.compile(
    r"\bcommits\b.*?\b(?:on|in)\s+(?P<a>[\w./-]+)\s+(?:but\s+)?not\s+(?:on|in)\s+(?P<b>[\w./-]+)",
    re.IGNORECASE,
)


def branch_only_fix(command: str, request: str, refs: frozenset[str]) -> tuple[str, str] | None:
    """``git log --oneline main..dark-mode`` for the commits "on dark-mode but not on main".

    Seen: ``git log --dark-mode --not --main``, the branch names given as options.
    """
    asked = _ONLY_ON.search(request)
    if asked is None:
        return None
    a, b = asked["a"], asked["b"]
    if a not in refs or b not in refs or f"{b}..{a}" in command or f"^{b}" in command:
        return None
    if f"--not {b}" in command and f" {a}" in command.replace(f"--{a}", ""):
        return None
    fixed = f"git log --oneline {b}..{a}"
    return fixed, f"fixed here: {b}..{a} is the commits reachable from {a} and not from {b}"


_FIRST_COMMIT = re.compile(r"\b(?:in|at|from)\s+the\s+(?:very\s+)?first\s+commit\b", re.I)


def first_commit_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """A file "as it was in the first commit": checked out from the commit with no parent.

    Seen: ``git checkout HEAD -- index.html``, the last commit's.
    """
    if not _FIRST_COMMIT.search(request) or "max-parents" in command or "--root" in command:
        return None
    words = _git_words(command)
    if len(words) != 1 or len(words[0]) < 3 or words[0][1] not in ("checkout", "restore"):
        return None
    files = [w for w in words[0][2:] if not w.startswith("-") and here.exists(w)]
    if len(files) != 1:
        return None
    first = '"$(git rev-list --max-parents=0 HEAD)"'
    name = shlex.quote(files[0])
    fixed = f"git checkout {first} -- {name}"
    return fixed, "fixed here: git rev-list --max-parents=0 HEAD names the first commit"


_MESSAGES_ONLY = re.compile(
    r"\b(?:only|just)\s+the\s+(?:commit\s+)?messages\b|\bmessages\s+only\b", re.IGNORECASE
)


def messages_fix(command: str, request: str) -> tuple[str, str] | None:
    """``git log --format=%s`` for "only the commit messages" (``--oneline`` adds the hashes)."""
    words = _git_words(command)
    if not _MESSAGES_ONLY.search(request) or len(words) != 1 or words[0][1:2] != ["log"]:
        return None
    if command.count("--oneline") != 1 or any(
        w.startswith(("--format", "--pretty")) for w in words[0]
    ):
        return None
    fixed = command.replace("--oneline", "--format=%s")
    return fixed, "fixed here: --oneline starts each line with the commit's hash; %s is the message"


_UNSTAGE = re.compile(r"\bunstage\s+" + _PATH, re.IGNORECASE)


def unstage_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``git restore --staged css/style.css`` for "unstage css/style.css".

    Seen: ``git checkout -- css/style.css``, which leaves the change staged and throws away the
    file's changes that were not.
    """
    asked = _UNSTAGE.search(request)
    if asked is None or not here.exists(asked["file"]):
        return None
    if "--staged" in command or re.search(r"\bgit\s+(?:reset|rm\s+--cached)\b", command):
        return None
    fixed = f"git restore --staged {shlex.quote(asked['file'])}"
    return (
        fixed,
        "fixed here: git restore --staged takes the file out of the index, keeping its changes",
    )


_FORCE_DELETE = re.compile(
    r"\b(?:even\s+(?:though|if)|although)\s+(?:it\s+is|it's|it\s+has|they\s+are)?\s*(?:not|n't|never)"
    r"\s+(?:been\s+)?merged\b|\bunmerged\b",
    re.IGNORECASE,
)


def force_delete_fix(command: str, request: str, refs: frozenset[str]) -> tuple[str, str] | None:
    """``git branch -D dark-mode`` for a branch deleted "even though it is not merged"."""
    words = _git_words(command)
    if not _FORCE_DELETE.search(request) or len(words) != 1:
        return None
    git = words[0]
    if git[1:3] != ["branch", "-d"] or len(git) != 4 or git[3] not in refs:
        return None
    fixed = re.sub(r"\bbranch\s+-d\b", "branch -D", command, count=1)
    return fixed, "fixed here: git branch -d refuses a branch not merged; -D deletes it anyway"


_COPY_COMMIT = re.compile(
    r"\b(?:copy|apply|bring|take|cherry-pick)\s+the\s+(?:last|latest|newest)\s+commit\s+"
    r"(?:of|from|on)\s+(?P<src>[\w./-]+)\s+(?:onto|on|to|into)\s+(?P<dst>[\w./-]+)",
    re.IGNORECASE,
)


def cherry_pick_fix(command: str, request: str, refs: frozenset[str]) -> tuple[str, str] | None:
    """``git switch main && git cherry-pick dark-mode``: "copy the last commit of X onto main".

    Seen: ``git checkout main`` alone.
    """
    asked = _COPY_COMMIT.search(request)
    if asked is None or "cherry-pick" in command:
        return None
    src, dst = asked["src"], asked["dst"]
    if src not in refs or dst not in refs or src == dst:
        return None
    fixed = f"git switch {shlex.quote(dst)} && git cherry-pick {shlex.quote(src)}"
    return fixed, f"fixed here: git cherry-pick {src} copies {src}'s last commit onto {dst}"


_ADDED_REMOVED = re.compile(
    r"\blines\b.*\badded\s+and\s+(?:removed|deleted)\b|\badded\s+and\s+(?:removed|deleted)\s+lines\b",
    re.IGNORECASE,
)


def numstat_fix(command: str, request: str) -> tuple[str, str] | None:
    """``git show --numstat --format= HEAD``: each file's lines added and removed last commit.

    Seen: ``git diff --cached --name-only | xargs wc -l``.
    """
    if not _ADDED_REMOVED.search(request) or not re.search(
        r"\b(?:last|latest)\s+commit\b", request
    ):
        return None
    if re.search(r"--(?:num)?stat\b|--shortstat", command):
        return None
    return (
        "git show --numstat --format= HEAD",
        "fixed here: --numstat gives each file's lines added and removed by the commit",
    )

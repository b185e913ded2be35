"""Sure fixes from the forty-seventh by-hand round: tmux sessions, where the draft uses tmux.

Seen: ``tmux start -d build && tmux send-keys -t build "make" Enter`` for "start a detached
tmux session called build that runs make" (``start`` starts the server; no session is made,
so the keys go nowhere), ``tmux rename-session work dev`` (the session to rename is ``-t
work``: tmux refuses two names), and a ``kill-session -t $(...)`` of every session but the
current one written out by hand, for what ``tmux kill-session -a`` does.

``tmux_fix`` returns the fixed command with a ``fixed here:`` note, or None.
"""

from __future__ import annotations

import re
import shlex

from cmdai.stages import lone_call

_DETACHED = re.compile(
    r"\bdetached\s+(?:tmux\s+)?session\s+(?:called|named)\s+(?P<name>[\w.-]+)\s+(?:that\s+)?"
    r"(?:runs|running|to\s+run)\s+(?P<run>.+?)\s*$",
    re.IGNORECASE,
)


def tmux_fix(command: str, request: str) -> tuple[str, str] | None:
    """The first of the fixes that applies to a draft that runs tmux (None: none does)."""
    if not re.match(r"\s*tmux\b", command):
        return None
    return (
        detached_fix(command, request) or rename_fix(command) or kill_others_fix(command, request)
    )


def detached_fix(command: str, request: str) -> tuple[str, str] | None:
    """``tmux new-session -d -s build make`` where the draft made no session.

    "start a detached tmux session called build that runs make".
    """
    asked = _DETACHED.search(request)
    if asked is None or re.search(r"\bnew(?:-session)?\b", command):
        return None
    fixed = f"tmux new-session -d -s {shlex.quote(asked['name'])} {shlex.quote(asked['run'])}"
    return fixed, "fixed here: new-session -d makes the session, detached, running the command"


def rename_fix(command: str) -> tuple[str, str] | None:
    """``tmux rename-session -t work dev`` for ``tmux rename-session work dev``."""
    words = lone_call(command, "tmux")
    if words is None or len(words) != 4 or words[1] not in ("rename-session", "rename"):
        return None
    if any(w.startswith("-") for w in words[2:]):
        return None
    fixed = shlex.join(["tmux", words[1], "-t", words[2], words[3]])
    return fixed, "fixed here: -t names the session to rename; the last word is its new name"


def kill_others_fix(command: str, request: str) -> tuple[str, str] | None:
    """``tmux kill-session -a`` for every session but the current one killed by hand."""
    if not re.search(
        r"\b(?:every|all)\b.*\bsessions?\b.*\b(?:except|but)\b.*\bcurrent\b", request, re.I
    ):
        return None
    if "kill-session" not in command or re.fullmatch(r"\s*tmux\s+kill-session\s+-a\s*", command):
        return None
    return (
        "tmux kill-session -a",
        "fixed here: kill-session -a kills every session but the current one",
    )

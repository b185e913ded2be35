"""Sure fixes from the fifty-sixth by-hand round: a git repository's submodules.

Shown the submodules (``cmdai.submodules.submodules_fact``), the model still wrote git for
the outer repository where a submodule was meant: ``git submodule update --remote`` of every
one for "update only the parser submodule", ``git log -- lib/parser`` (the outer commits that
moved it, not its own history), ``git checkout v1.0`` in the outer repository, and for
"remove the theme submodule" an ``rm -rf`` that leaves it in ``.gitmodules`` and the index.

Where ``.gitmodules`` declares submodules and the request asks for one of git's submodule
tasks that the draft does not do, the draft is replaced by git's own form of it, on the
submodule the request names (by its path or its last part). ``submodule_fix`` returns the
fixed command with a ``fixed here:`` note, or None; it is called (through
``cmdai.project_fixes.project_fix``) with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.project_files import Done, holds, joined, runs_only
from cmdai.submodules import Submodule, named, read_submodules

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_NOTE = "fixed here: git's own way for a submodule"
_REPLACEABLE = frozenset("git cat grep ls rm cd find echo awk sed head".split())  # noqa: SIM905
_URL = r"(?:https?://|git@|ssh://|file://|/)\S+"


def submodule_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does, or no submodule is here)."""
    if not runs_only(command, _REPLACEABLE):
        return None
    if not re.search(r"\bsub-?modules?\b", request, re.I):
        return None  # the outer repository's task, or another tool's
    found = read_submodules(joined(here.lines))
    if not found:
        return None
    meant = named(request, found)
    one = meant[0] if len(meant) == 1 else None
    task = _one_task(request, one) if one is not None else None
    task = task or _all_task(request, meant)
    if task is None:
        return None
    fixed, done = task
    return None if done(command) else (fixed, _NOTE)


def _in(sub: Submodule) -> str:
    """A draft's git run inside the submodule: ``git -C PATH``, or ``cd PATH &&``."""
    path = re.escape(sub.path)
    return rf"(?:\bgit\s+-C\s+{path}/?\s|\bcd\s+{path}/?\s*(?:&&|;)\s*git\s)"


def _one_task(request: str, sub: Submodule) -> tuple[str, Done] | None:
    """A task on the one submodule the request names."""
    path, key = shlex.quote(sub.path), shlex.quote(f"submodule.{sub.name}")
    spoken = re.escape(sub.path)
    if re.search(r"\b(?:which|what)\s+branch\b", request, re.I):
        return f"git config -f .gitmodules {key}.branch", holds(rf"{re.escape(key)}\.branch\b")
    if re.search(r"\b(?:which|what)\s+(?:url|remote|address)\b|\bcomes?\s+from\b", request, re.I):
        return f"git config -f .gitmodules {key}.url", holds(
            rf"{re.escape(key)}\.url\b|{_in(sub)}.*\bremote\s+get-url\b"
        )
    if re.search(r"\b(?:which|what)\s+commit\b", request, re.I):
        status = rf"\bsubmodule\s+status(?:\s+-\S+)*(?:\s+(?:--\s+)?{spoken}/?)?\s*$"
        return f"git submodule status {path}", holds(
            rf"{status}|{_in(sub)}.*rev-parse|\bls-tree\s+HEAD\s+{spoken}"
        )
    track = re.search(r"\btrack\s+(?:the\s+)?([\w./-]+)\s+branch\b", request, re.I)
    if track is not None:
        branch = shlex.quote(track[1])
        return f"git submodule set-branch --branch {branch} {path}", holds(
            rf"set-branch\b.*{re.escape(track[1])}|{re.escape(key)}\.branch\s+{re.escape(track[1])}"
        )
    url = re.search(rf"\b(?:url|address)\b.*?\bto\s+({_URL})", request, re.I)
    if url is not None:
        new = shlex.quote(url[1])
        return f"git submodule set-url {path} {new}", holds(rf"\bset-url\s+{spoken}/?\s")
    if re.search(r"\bde-?initiali[sz]e\b|\bdeinit\b", request, re.I):
        return f"git submodule deinit {path}", holds(rf"\bdeinit\b.*{spoken}")
    if re.search(r"\b(?:remove|delete|get\s+rid\s+of)\b", request, re.I) and re.search(
        r"\bsubmodule\b", request, re.I
    ):
        return f"git rm {path}", holds(rf"\bgit\s+rm\s+(?:-\S+\s+)*{spoken}/?(?:\s|$)")
    if re.search(r"\b(?:latest|newest)\b", request, re.I) and re.search(
        r"\bupdate\b", request, re.I
    ):
        return f"git submodule update --remote {path}", holds(
            rf"\bsubmodule\s+update\b(?=.*--remote(?:\s|$))(?=.*\s{spoken}/?(?:\s|$))"
        )
    log = re.search(r"\b(?:log|history)\b", request, re.I)
    if log is not None:
        return f"git -C {path} log --oneline", holds(rf"{_in(sub)}.*\blog\b")
    checkout = re.search(r"\bcheck\s*out\s+(?:the\s+)?([\w./-]+)(?:\s+tag)?\b", request, re.I)
    if checkout is not None and checkout[1].lower() not in ("the", "a"):
        ref = shlex.quote(checkout[1])
        return f"git -C {path} checkout {ref}", holds(rf"{_in(sub)}.*\bcheckout\s+{re.escape(ref)}")
    return None


def _all_task(request: str, meant: list[Submodule]) -> tuple[str, Done] | None:
    """A task on every submodule, or on the repository with its submodules."""
    if meant:
        return None
    add = re.search(
        rf"\badd\s+({_URL})\s+as\s+a\s+submodule\s+(?:in|at|into)\s+([\w./-]+)", request, re.I
    )
    if add is not None:
        url, path = add[1], add[2].rstrip("/")
        return f"git submodule add {shlex.quote(url)} {shlex.quote(path)}", holds(
            rf"\bsubmodule\s+add\b.*{re.escape(url)}\s+{re.escape(path)}"
        )
    run = re.search(
        r"\brun\s+(.+?)\s+in\s+(?:every|each|all(?:\s+the)?)\s+submodules?\b", request, re.I
    )
    if run is not None:
        return f"git submodule foreach {shlex.quote(run[1])}", holds(r"\bsubmodule\s+foreach\b")
    jobs = re.search(r"\b(\d+)\s+(?:parallel\s+)?jobs\b", request, re.I)
    if jobs is not None and re.search(r"\bupdate\b", request, re.I):
        return f"git submodule update --init --jobs {jobs[1]}", holds(
            r"\bsubmodule\s+update\b", rf"(?:--jobs[= ]?|-j\s*){jobs[1]}\b"
        )
    if re.search(r"\binit\w*\b", request, re.I) and re.search(
        r"\b(?:fetch|clon\w+|check\w*\s+out)\b", request, re.I
    ):
        return "git submodule update --init --recursive", holds(r"\bsubmodule\s+update\b.*--init")
    if re.search(r"\b(?:latest|newest)\b", request, re.I) and re.search(
        r"\bupdate\b", request, re.I
    ):
        return "git submodule update --remote", holds(r"\bsubmodule\s+update\b.*--remote(?:\s|$)")
    if re.search(r"\bpull\b", request, re.I):
        return "git pull --recurse-submodules", holds(r"\bpull\b.*--recurse-submodules")
    clone = re.search(r"\bclone\b.*\binto\s+([\w./~-]+)", request, re.I)
    if clone is not None:
        target = shlex.quote(clone[1])
        return f"git clone --recurse-submodules . {target}", holds(
            r"\bclone\b.*(?:--recurse-submodules|--recursive)",
            r"\s(?:\./?|\"?\$\(pwd\)\"?|\"?\$PWD\"?)\s",
        )
    if re.search(r"\bsummary\b", request, re.I) and re.search(r"\bgit\s+status\b", request, re.I):
        return "git config status.submoduleSummary true", holds(r"status\.submodule[Ss]ummary")
    if re.search(r"\bchanges?\b", request, re.I) and re.search(r"\bshow\b", request, re.I):
        return "git diff --submodule=log", holds(r"--submodule\b|\bsubmodule\s+summary\b")
    if re.search(r"\b(?:list|show)\s+(?:all\s+)?(?:the\s+)?submodules\b", request, re.I):
        return "git submodule status", holds(
            r"\bsubmodule(?:\s+status)?\s*$|\bsubmodule\s+status\b|gitmodules"
        )
    return None

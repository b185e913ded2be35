"""``cmdai fix``: the request that asks the model to correct a command that failed.

The engine is the one ``cmdai "..."`` uses (same prompt, gate and confirmation); only the
request differs: the failed command line, its exit status with what that status usually
means, and, only when the user re-ran it through ``cmdai fix --rerun``, the end of its error
output. The shell snippet (``cmdai init``) supplies the last command line and its status;
its output is never recorded.
"""

from __future__ import annotations

import signal

MAX_STDERR_CHARS = 600
"""The end of the error output is what names the problem; the rest would crowd the prompt."""

_MEANINGS = {
    1: "a general error",
    2: "a usage error",
    126: "found but not executable",
    127: "command not found",
}


def status_meaning(status: int | None) -> str:
    """What an exit status usually means, in a few words ("" when nothing useful)."""
    if status is None:
        return ""
    if status > 128 and status - 128 < signal.NSIG:
        try:
            return f"killed by {signal.Signals(status - 128).name}"
        except ValueError:
            return ""
    return _MEANINGS.get(status, "")


def fix_request(command: str, status: int | None, stderr: str | None = None) -> str:
    """The request for the model: fix ``command``, which exited with ``status``."""
    if status is None:
        what = "which failed"
    elif status == 0:
        what = "which ran but did not do what I wanted"
    else:
        meaning = status_meaning(status)
        what = f"which failed with exit status {status}" + (f" ({meaning})" if meaning else "")
    request = f"Fix this command, {what}: {command.strip()}"
    if stderr and stderr.strip():
        tail = " ".join(stderr.split())[-MAX_STDERR_CHARS:]
        request += f" Its error output: {tail}"
    return request


def label(command: str, status: int | None) -> str:
    """How a fix is recorded in the history: the failed command and its status."""
    return f"fix: {command.strip()}" + (f" (exit {status})" if status is not None else "")

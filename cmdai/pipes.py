"""Output into a reader that may leave early (``cmdai ... | head -1``), or nowhere at all.

A light module (it imports only cmdai.errors): the entry point, which must not import click, and
the CLI share it.
"""

from __future__ import annotations

import contextlib
import os
import sys

from cmdai.errors import ExitStatus


def quiet_stdout() -> None:
    """Send what is left of stdout nowhere, so that flushing it at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def report_unwritable(reason: str) -> int:
    """Say on stderr that the output could not be written; the exit status to use."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(f"cmdai: error: cannot write to standard output: {reason}\n")
        sys.stderr.flush()
    quiet_stdout()
    return ExitStatus.ERROR

"""Output into a reader that may leave early (``cmdai ... | head -1``).

A leaf module: the entry point (which must not import click) and the CLI share it.
"""

from __future__ import annotations

import contextlib
import os
import sys


def quiet_stdout() -> None:
    """Send what is left of stdout nowhere, so that flushing it at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)

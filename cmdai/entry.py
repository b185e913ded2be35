"""Console-script entry point: ``cmdai --help`` and ``--version`` without importing click.

Importing the command line (click and every command module) costs more than the interpreter
itself on a small machine, and the two commands a new user runs first need none of it: the
version is a constant, and the top-level help is click's own rendering, kept in
``cmdai.help_text`` (a test fails when it differs from what click renders). Everything else,
and a terminal too narrow for the stored rendering, goes to the click application.
"""

from __future__ import annotations

import contextlib
import os
import sys

from cmdai import __version__
from cmdai.errors import ExitStatus
from cmdai.pipes import quiet_stdout, report_unwritable


def terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` reads it (``$COLUMNS`` first)."""
    with contextlib.suppress(ValueError):
        columns = int(os.environ.get("COLUMNS", "0"))
        if columns > 0:
            return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


def fast_answer(args: list[str]) -> str | None:
    """The output for ``args`` when it needs no click application, else None."""
    if args == ["--version"]:
        return f"cmdai {__version__}\n"
    if args in (["--help"], ["-h"]):
        from cmdai import help_text

        if terminal_columns() >= help_text.MIN_COLUMNS:
            return help_text.TOP_LEVEL_HELP
    return None


def main(*, here: bool = False) -> None:
    """Console-script entry point (``cmdai`` and ``python -m cmdai``).

    ``here``: never hand the request to a warm server's helper (the helper's fork runs this).
    """
    answer = fast_answer(sys.argv[1:])
    if answer is None:
        if not here:
            from cmdai.handoff import hand_off

            status = hand_off(sys.argv[1:])  # a warm server's helper has cmdai imported
            if status is not None:
                sys.exit(status)
        from cmdai.cli import main as cli_main

        cli_main()
        return
    try:
        if sys.stdout is None:  # `cmdai --help >&-`
            sys.exit(report_unwritable("it is closed"))
        sys.stdout.write(answer)
        sys.stdout.flush()
    except BrokenPipeError:  # `cmdai --help | head -1`
        quiet_stdout()
        sys.exit(ExitStatus.OUTPUT_CLOSED)
    except OSError as exc:  # `cmdai --help > /dev/full`
        sys.exit(report_unwritable(exc.strerror or str(exc)))

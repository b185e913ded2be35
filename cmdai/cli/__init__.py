"""The ``cmdai`` command line: a thin click adapter over the library.

Start-up matters (``cmdai --help`` must stay well under 100 ms), so this package imports only
click and cmdai's leaf modules at top level; the engine, pydantic, llama.cpp and outlines are
imported inside the commands that need them. Errors become ``cmdai: error: ...`` plus a hint
on stderr, with a documented exit status, in exactly one place (``options.error_boundary``).

The root group is in ``root``; each command family has its module, and this package adds
their commands to the group. The modules import ``options``, ``runtime`` and ``root``, never
this package.
"""

from __future__ import annotations

import sys

from cmdai.cli.ask import ask
from cmdai.cli.cache import cache_group
from cmdai.cli.check import check_command
from cmdai.cli.config import config_command
from cmdai.cli.doctor import doctor_command
from cmdai.cli.explain import explain_command
from cmdai.cli.fix import fix_command
from cmdai.cli.history import history_group
from cmdai.cli.model import model_group
from cmdai.cli.options import quiet_stdout
from cmdai.cli.root import cli
from cmdai.cli.serve import serve_command
from cmdai.cli.shell import init_command, widget_command
from cmdai.errors import ExitStatus

__all__ = ["cli", "main"]

for _command in (
    ask,
    config_command,
    check_command,
    doctor_command,
    model_group,
    cache_group,
    serve_command,
    history_group,
    explain_command,
    fix_command,
    widget_command,
    init_command,
):
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="cmdai")
    finally:
        # Output still buffered when the reader left (`cmdai ... | head -1`) fails at exit.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            quiet_stdout()
            sys.exit(ExitStatus.OUTPUT_CLOSED)

"""The ``cmdai`` command line: a thin click adapter over the library.

Start-up matters: ``cmdai --help`` and ``--version`` are answered by ``cmdai.entry`` without
importing this package at all, and for everything else this package imports only click and
cmdai's leaf modules at top level; the engine, pydantic, llama.cpp and outlines are
imported inside the commands that need them. Errors become ``cmdai: error: ...`` plus a hint
on stderr, with a documented exit status, in exactly one place (``options.error_boundary``).

The root group is in ``root``; each command family has its module, and this package adds
their commands to the group. The modules import ``options``, ``runtime`` and ``root``, never
this package.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cmdai.cli.ask import ask
from cmdai.cli.cache import cache_group
from cmdai.cli.check import check_command
from cmdai.cli.config import config_command
from cmdai.cli.doctor import doctor_command
from cmdai.cli.explain import explain_command
from cmdai.cli.fix import fix_command
from cmdai.cli.history import history_group
from cmdai.cli.model import model_group
from cmdai.cli.root import cli
from cmdai.cli.serve import serve_command
from cmdai.cli.shell import init_command, widget_command
from cmdai.errors import ExitStatus
from cmdai.pipes import quiet_stdout, report_unwritable

__all__ = ["cli", "main", "top_level_help", "write_help_module"]

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
    if sys.stdout is None and {"--help", "-h"} & set(sys.argv[1:]):
        # click prints help to a closed stdout silently and exits 0 (`cmdai check --help >&-`)
        sys.exit(report_unwritable("it is closed"))
    try:
        cli(prog_name="cmdai")
    except OSError as exc:  # from click's own output (--help, usage): commands handle theirs
        if not _from_click_echo(exc):
            raise
        if isinstance(exc, BrokenPipeError):
            quiet_stdout()
            sys.exit(ExitStatus.OUTPUT_CLOSED)
        sys.exit(report_unwritable(exc.strerror or str(exc)))
    finally:
        # Output still buffered when the reader left (`cmdai ... | head -1`) fails at exit.
        try:
            if sys.stdout is not None:
                sys.stdout.flush()
        except BrokenPipeError:
            quiet_stdout()
            sys.exit(ExitStatus.OUTPUT_CLOSED)
        except OSError as exc:
            sys.exit(report_unwritable(exc.strerror or str(exc)))


def _from_click_echo(exc: BaseException) -> bool:
    """Whether ``exc`` was raised writing click's own output (``click.echo``)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    frame = tb.tb_frame if tb is not None else None
    return frame is not None and (frame.f_globals.get("__name__"), frame.f_code.co_name) == (
        "click.utils",
        "echo",
    )


HELP_COLUMNS = 80
"""click wraps help to min(columns, 80) - 2: from 80 columns up its rendering is the same."""


def top_level_help() -> str:
    """``cmdai --help`` as click prints it on a terminal of 80 columns or more."""
    import click

    ctx = click.Context(
        cli, info_name="cmdai", terminal_width=HELP_COLUMNS - 2, **cli.context_settings
    )
    return cli.get_help(ctx) + "\n"


def write_help_module(path: Path | None = None) -> Path:
    """Rewrite ``cmdai/help_text.py``, the stored rendering that ``cmdai.entry`` prints."""
    target = path or Path(__file__).resolve().parent.parent / "help_text.py"
    target.write_text(
        '"""`cmdai --help` as click renders it, for `cmdai.entry` to print without click.\n\n'
        "Generated: `python -c 'import cmdai.cli; cmdai.cli.write_help_module()'`. A test fails\n"
        'when it differs from what click renders now.\n"""\n\n'
        f"MIN_COLUMNS = {HELP_COLUMNS}\n"
        "# The rendering is the same on every terminal at least MIN_COLUMNS wide.\n\n"
        'TOP_LEVEL_HELP = """\\\n' + _python_text(top_level_help()) + '"""\n',
        encoding="utf-8",
    )
    return target


def _python_text(text: str) -> str:
    """``text`` as the body of a triple-quoted Python string."""
    return text.replace("\\", "\\\\").replace('"""', '\\"""')

"""The root ``cmdai`` group: a request in plain words goes to ``ask`` unless it names a command.

The commands are added to it in ``cmdai.cli`` (``__init__``), which imports every command module.
"""

from __future__ import annotations

import click

from cmdai import __version__
from cmdai.cli.options import traceback_flag

DEFAULT_COMMAND = "ask"


class DefaultGroup(click.Group):
    """A group whose first argument, when it is not a subcommand, goes to ``ask``.

    So ``cmdai "list big files"`` and ``cmdai --dry-run "..."`` work, while ``cmdai config``
    reaches the subcommand (as in simonw/llm).
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Route to the default command unless the first word is a subcommand or a group flag."""
        group_flags = {"--help", "-h", "--version"}
        if not args and ctx.resilient_parsing:  # completing the first word: the commands
            return super().parse_args(ctx, args)
        if not args or (args[0] not in self.commands and args[0] not in group_flags):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@traceback_flag
@click.version_option(__version__, "--version", prog_name="cmdai", message="%(prog)s %(version)s")
def cli() -> None:
    """Turn a request in plain words into one shell command, with a local model.

    \b
      cmdai "find files over 100MB changed this week"
      cmdai --dry-run "count lines in all python files"
      cmdai ask --help      all options for a request
      cmdai config          effective settings and where each came from
      cmdai check "CMD"     classify a command with the safety gate (no model)
      cmdai explain "CMD"   explain a command part by part, beside the gate's findings
      cmdai fix             propose a fix for the last command that failed
      cmdai history         your last requests (cmdai history clear deletes them)
      cmdai init bash       shell integration (bash, zsh, fish): Alt+G, cmdai fix, completion
      cmdai model list      models: list, info, download, verify, remove, use
      cmdai cache info      what the cache holds (cmdai cache clear deletes it)
      cmdai doctor          check the backend end to end (server, model, schema)
      cmdai serve           keep the model loaded in a background server (--status, --stop)

    cmdai shows the command, its explanation and its risk, and runs it only when you say
    yes. Exit statuses: 0 ok, 1 error, 2 usage, 3 blocked by safety, 4 declined, 5 model
    error, 6 no command proposed, 7 (check) needs confirmation, 130 interrupted; after
    running, the command's own status.
    """  # noqa: D301 - "\b" must be a real backspace: click's marker for "do not rewrap"

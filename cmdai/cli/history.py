"""``cmdai history``: the last requests, and ``cmdai history clear``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cmdai.cli.options import invocation, traceback_flag
from cmdai.cli.runtime import confirmed, load
from cmdai.errors import ExitStatus, UsageError

if TYPE_CHECKING:
    from cmdai.history import Entry


@click.group("history", invoke_without_command=True)
@traceback_flag
@click.option(
    "-n", "limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many."
)
@click.option("--search", default=None, help="Only requests or commands containing TEXT.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per request (JSON Lines).")
@click.pass_context
def history_group(ctx: click.Context, limit: int, search: str | None, as_json: bool) -> None:
    """Your last requests: what was proposed, what the gate said, what you did (oldest first).

    Recorded in the user data directory (history.db, mode 0600); `history = false` in the
    config file (or CMDAI_HISTORY=0) turns recording off. `cmdai history clear` deletes it.
    """
    if ctx.invoked_subcommand is not None:
        return
    with invocation(ctx) as (terminal, _, result):
        import json

        from cmdai.history import History

        if not load({}).settings.history:
            terminal.err("cmdai: history is off (history = false); showing what was recorded")
        entries = History().recent(limit, search)
        for entry in entries:
            if as_json:
                terminal.out(json.dumps(entry.to_json(), ensure_ascii=False))
            else:
                terminal.out(_history_line(entry))
        if not entries and not as_json:
            terminal.err(
                "cmdai: no requests recorded" + (f" matching {search!r}" if search else "")
            )
        result["status"] = ExitStatus.SUCCESS


def _history_line(entry: Entry) -> str:
    """One request on one line: id, local time, what became of it, the command, the request."""
    import datetime

    when = datetime.datetime.fromisoformat(entry.time).astimezone().strftime("%Y-%m-%d %H:%M")
    state = entry.action
    if entry.action == "ran" and entry.exit_status is not None:
        state += f" {entry.exit_status}"
    marks = [m for m, on in (("edited", entry.edited), ("revised", entry.revisions)) if on]
    if marks:
        state += f" ({', '.join(marks)})"
    command = entry.command if entry.command is not None else "-"
    return f"{entry.id:>5}  {when}  {state:<16}  {command}  # {entry.request}"


@history_group.command("clear")
@traceback_flag
@click.option("-y", "--yes", is_flag=True, help="Do not ask (required without a terminal).")
@click.pass_context
def history_clear(ctx: click.Context, yes: bool) -> None:
    """Delete every recorded request (asks first)."""
    with invocation(ctx) as (terminal, _, result):
        from cmdai.history import History

        history = History()
        result["status"] = ExitStatus.SUCCESS
        if not history.path.exists():
            terminal.err("cmdai: the history is empty")
        elif not yes and not terminal.interactive:
            raise UsageError(
                "not deleting the history without confirmation",
                hint="Run it on a terminal to be asked, or pass --yes.",
            )
        elif yes or confirmed(terminal, f"Delete the history in {history.path}?"):
            terminal.err(f"cmdai: deleted {history.clear()} requests from the history")
        else:
            terminal.err("cmdai: nothing deleted")
            result["status"] = ExitStatus.DECLINED

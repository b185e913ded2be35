"""``cmdai fix``: a corrected command for the last one that failed."""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING, Any

import click

from cmdai.cli.options import invocation, request_options
from cmdai.cli.runtime import confirmed, default_executor, open_history, request_engine
from cmdai.errors import UsageError

if TYPE_CHECKING:
    from cmdai.execute import Executor
    from cmdai.settings import ResolvedSettings
    from cmdai.terminal import Terminal


@click.command("fix")
@click.argument("command", required=False)
@click.option(
    "--status", "last_status", type=int, default=None, help="Its exit status (if not the last)."
)
@click.option(
    "--rerun",
    is_flag=True,
    help="Run it again (after you confirm) so the model also sees its error output.",
)
@click.option("-n", "--dry-run", is_flag=True, help="Show the fix; never run it or ask.")
@click.option("-y", "--yes", is_flag=True, help="Run an allow-level fix without asking.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON document (never runs anything)."
)
@request_options
@click.pass_context
def fix_command(
    ctx: click.Context,
    /,
    command: str | None,
    last_status: int | None,
    rerun: bool,
    dry_run: bool,
    yes: bool,
    as_json: bool,
    offline: bool,
    verbose: int,
    **flags: Any,
) -> None:
    """Propose a corrected command for the last one that failed (or COMMAND).

    The shell snippet (cmdai init) passes the last command line and its exit status, never
    its output; --rerun runs it again to show the model its error output. The fix goes
    through the same gate and the same confirmation as any request.
    """
    started = time.perf_counter()
    with invocation(ctx, as_json=as_json, started=started, verbose=verbose) as (
        terminal,
        deps,
        result,
    ):
        from cmdai import fix
        from cmdai.interact import Interaction, RunOptions
        from cmdai.shell_init import last_command

        last = last_command()
        if command is None and last is None:
            raise UsageError(
                "no command to fix",
                hint='Pass it (cmdai fix "gti status"), or add cmdai init to your shell\'s rc '
                "file so cmdai knows the last command (see docs/shell.md).",
            )
        status = last_status
        if command is None and last is not None:
            command, status = last[0], last_status if last_status is not None else last[1]
        assert command is not None
        resolved, engine = request_engine(deps, flags, terminal, offline)
        # A fix always has a command, and never the one that failed.
        engine = dataclasses.replace(engine, declines=False, avoid=command)
        result["engine"] = engine
        stderr_text: str | None = None
        if rerun:
            rerun_status, stderr_text = _rerun(command, resolved, terminal, yes)
            status = rerun_status
        terminal.err(terminal.style(f"cmdai: fixing: {fix.label(command, status)[5:]}", dim=True))
        executor: Executor = deps.get("executor") or default_executor()
        interaction = Interaction(
            engine,
            terminal,
            executor,
            RunOptions(dry_run, yes, as_json, False),
            started,
            history=open_history(resolved),
            source="fix",
            label=fix.label(command, status),
        )
        result["status"] = interaction.run(fix.fix_request(command, status, stderr_text))


def _rerun(
    command: str, resolved: ResolvedSettings, terminal: Terminal, yes: bool
) -> tuple[int, str]:
    """Run the failed command again, after the gate and a confirmation; (status, stderr)."""
    from cmdai.execute import rerun_capturing_stderr, user_shell
    from cmdai.safety import ShellValidator

    report = ShellValidator().assess(command, resolved.settings.safety_mode)
    if report.decision == "block":
        raise UsageError(
            f"not re-running a command the safety gate blocks: {command}",
            hint="Fix it without --rerun.",
        )
    if not (yes and report.decision == "allow"):
        if not terminal.interactive:
            raise UsageError(
                "--rerun needs a terminal to confirm (or --yes for an allow-level command)"
            )
        terminal.err(
            f"risk: {report.risk.label}" + "".join(f"; {f.message}" for f in report.findings)
        )
        if not confirmed(terminal, f"Run `{command}` again to show the model its errors?"):
            raise UsageError("not re-run", hint="Fix it without --rerun: cmdai fix.")
    status, stderr_text = rerun_capturing_stderr(command, user_shell())
    if stderr_text:
        terminal.err(stderr_text.rstrip("\n"))
    return status, stderr_text

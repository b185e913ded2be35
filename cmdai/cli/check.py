"""``cmdai check``: classify commands with the safety gate, without a model; its agent hook."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from cmdai.cli.options import invocation, terminal_of, traceback_flag
from cmdai.cli.runtime import load, read_query_from_stdin
from cmdai.errors import ExitStatus, UsageError

if TYPE_CHECKING:
    from cmdai.terminal import Terminal


@click.command("check")
@traceback_flag
@click.argument("command", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON document per command (JSON Lines).")
@click.option(
    "--mode",
    type=click.Choice(["strict", "moderate", "permissive"]),
    default=None,
    help="Safety mode (default: the configured one, else moderate).",
)
@click.option(
    "--hook",
    type=click.Choice(["claude-code"]),
    default=None,
    help="Answer a coding agent's pre-tool hook (JSON on stdin; see docs/shell.md).",
)
@click.pass_context
def check_command(
    ctx: click.Context, command: str | None, as_json: bool, mode: str | None, hook: str | None
) -> None:
    """Classify COMMAND with the safety gate, without any model; never runs it.

    With no COMMAND, reads commands from stdin, one per line. Exit status: 0 allow,
    7 needs confirmation, 3 blocked (the strictest decision over all commands), 2 usage.
    With --hook claude-code: one PreToolUse document on stdin, the allow / ask / deny answer
    on stdout, exit status 0; any failure answers deny.
    """
    if hook is not None:  # outside the error boundary: the hook answers every failure itself
        ctx.exit(_run_hook(terminal_of(ctx), command, as_json, mode))
    with invocation(ctx) as (terminal, _, result):
        import json

        from cmdai.safety import ShellValidator

        if command is not None:
            commands = [command]
        elif terminal.interactive:
            raise UsageError("no command given", hint='Pass one: cmdai check "rm -rf build"')
        else:
            commands = [c for c in read_query_from_stdin(terminal).splitlines() if c.strip()]
        if not commands or not any(c.strip() for c in commands):
            raise UsageError("no command given", hint='Pass one: cmdai check "rm -rf build"')
        chosen = mode or load({}).settings.safety_mode
        validator = ShellValidator()
        worst = ExitStatus.SUCCESS
        for text in commands:
            report = validator.assess(text, chosen)  # type: ignore[arg-type]
            status = _CHECK_STATUS[report.decision]
            worst = max(worst, status, key=_CHECK_ORDER.index)
            if as_json:
                doc = {"command": text, "mode": chosen, **report.to_json()}
                terminal.out(json.dumps(doc, ensure_ascii=False))
                continue
            terminal.out(f"{report.decision} ({report.risk.label}): {text}")
            for finding in report.findings:
                line = f"  - {finding.message} [{finding.rule_id}, {finding.risk.label}]"
                terminal.out(line + (f" Safer: {finding.safer}" if finding.safer else ""))
        result["status"] = worst


def _run_hook(terminal: Terminal, command: str | None, as_json: bool, mode: str | None) -> int:
    """``cmdai check --hook claude-code``: never raises; every failure answers deny."""
    from cmdai.hooks import run_claude_code

    def assess() -> Any:
        if command is not None or as_json:
            raise ValueError("--hook reads its command from stdin; no COMMAND or --json")
        from cmdai.safety import ShellValidator

        chosen = mode or load({}).settings.safety_mode
        validator = ShellValidator()
        return lambda text: validator.assess(text, chosen)  # type: ignore[arg-type]

    stream = getattr(terminal.stdin, "buffer", None) or terminal.stdin
    return run_claude_code(stream, terminal.stdout, assess)


_CHECK_STATUS = {
    "allow": ExitStatus.SUCCESS,
    "confirm": ExitStatus.NEEDS_CONFIRMATION,
    "block": ExitStatus.BLOCKED,
}
_CHECK_ORDER = [ExitStatus.SUCCESS, ExitStatus.NEEDS_CONFIRMATION, ExitStatus.BLOCKED]

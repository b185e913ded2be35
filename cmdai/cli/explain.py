"""``cmdai explain``: a command explained part by part, beside the safety gate's findings."""

from __future__ import annotations

import time
from typing import Any

import click

from cmdai.cli.options import invocation, request_options
from cmdai.cli.runtime import read_query_from_stdin, request_engine
from cmdai.errors import ExitStatus, UsageError


@click.command("explain")
@click.argument("command", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@request_options
@click.pass_context
def explain_command(
    ctx: click.Context,
    /,
    command: str | None,
    as_json: bool,
    offline: bool,
    verbose: int,
    **flags: Any,
) -> None:
    """Explain COMMAND part by part (the model) beside the safety gate's findings; never runs it.

    With no COMMAND and a pipe on stdin, the command is read from stdin.
    """
    started = time.perf_counter()
    with invocation(ctx, started=started, verbose=verbose) as (terminal, deps, result):
        import json

        if command is None:
            if terminal.interactive:
                raise UsageError("no command given", hint='Pass one: cmdai explain "tar xzf a.tgz"')
            command = read_query_from_stdin(terminal)
        command = command.strip()
        if not command:
            raise UsageError("no command given", hint='Pass one: cmdai explain "tar xzf a.tgz"')
        if len(command) > 4000:
            raise UsageError("the command is too long to explain (over 4000 characters)")
        resolved, engine = request_engine(deps, flags, terminal, offline)
        result["engine"] = engine
        report = engine.validator.assess(command, resolved.settings.safety_mode)
        terminal.status("cmdai: thinking...")
        try:
            text = engine.explain(command)
        finally:
            terminal.clear_status()
        if as_json:
            doc = {
                "command": command,
                "explanation": text.splitlines(),
                "safety": report.to_json(),
                "model": engine.backend.describe(),
                "timings": {"total_s": round(time.perf_counter() - started, 4)},
            }
            terminal.out(json.dumps(doc, ensure_ascii=False))
        else:
            terminal.out(text)
            # The risk comes from the gate's findings (facts), never from the model.
            terminal.out(f"risk: {report.risk.label} ({report.decision})")
            for finding in report.findings:
                line = f"  - {finding.message} [{finding.rule_id}, {finding.risk.label}]"
                terminal.out(line + (f" Safer: {finding.safer}" if finding.safer else ""))
        result["status"] = ExitStatus.SUCCESS

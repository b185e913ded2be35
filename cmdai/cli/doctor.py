"""``cmdai doctor``: check the configured backend end to end."""

from __future__ import annotations

from typing import Any

import click

from cmdai.cli.options import (
    backend_option,
    invocation,
    model_option,
    remote_options,
    traceback_flag,
    verbose_option,
)
from cmdai.cli.runtime import notice_printer
from cmdai.errors import ExitStatus


@click.command("doctor")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON document.")
@backend_option()
@model_option
@remote_options
@verbose_option
@traceback_flag
@click.pass_context
def doctor_command(ctx: click.Context, /, as_json: bool, verbose: int, **flags: Any) -> None:
    """Check the configured backend end to end and say how to fix what is wrong.

    Settings; the server is reachable, accepts the API key and has the model (openai,
    ollama), or the model file is there, verified, and loads (llamacpp); a tiny generation
    works and honours the answer schema. Exit status 0 when nothing is wrong, 5 otherwise.
    """
    with invocation(ctx, verbose=verbose) as (terminal, deps, result):
        import json

        from cmdai.doctor import run_doctor

        report = run_doctor(flags, backend=deps.get("backend"), notice=notice_printer(terminal))
        terminal.clear_status()
        if as_json:
            terminal.out(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        else:
            for line in report.lines():
                terminal.out(line)
        result["status"] = ExitStatus.SUCCESS if report.ok else ExitStatus.MODEL_ERROR

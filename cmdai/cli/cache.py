"""``cmdai cache ...``: what the cache directory holds, and clearing it."""

from __future__ import annotations

import click

from cmdai.cli.options import invocation, traceback_flag
from cmdai.cli.runtime import confirmed, load
from cmdai.errors import ExitStatus, UsageError


@click.group("cache")
@traceback_flag
def cache_group() -> None:
    """The cache directory: models, and the prompt states that make later runs start faster.

    Prompt states and schema indexes are pruned by cmdai itself (256 MB, 30 days unused).
    """


@cache_group.command("info")
@traceback_flag
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def cache_info(ctx: click.Context, as_json: bool) -> None:
    """Where the cache is, and its files and MB by kind and by model."""
    with invocation(ctx) as (terminal, _, result):
        import json

        from cmdai import cache

        resolved = load({})
        names = cache.model_names(resolved.cache_dir, resolved.settings.model)
        report = cache.usage(resolved.cache_dir, names)
        if as_json:
            terminal.out(json.dumps(report.to_json(), indent=2))
        else:
            for line in report.lines():
                terminal.out(line)
        result["status"] = ExitStatus.SUCCESS


@cache_group.command("clear")
@traceback_flag
@click.option("--states-only", is_flag=True, help="Keep the models; delete only cached states.")
@click.option("-y", "--yes", is_flag=True, help="Do not ask (required without a terminal).")
@click.pass_context
def cache_clear(ctx: click.Context, states_only: bool, yes: bool) -> None:
    """Delete the cached models and prompt states (asks first)."""
    with invocation(ctx) as (terminal, _, result):
        from cmdai import cache

        resolved = load({})
        files = cache.clearable(resolved.cache_dir, states_only=states_only)
        what = "cached states" if states_only else "models and cached states"
        size = f"{len(files)} files, {sum(files.values()) / 1e6:.1f} MB"
        result["status"] = ExitStatus.SUCCESS
        if not files:
            terminal.err(f"cmdai: no {what} in {resolved.cache_dir}")
        elif not yes and not terminal.interactive:
            raise UsageError(
                f"not deleting {what} ({size}) without confirmation",
                hint="Run it on a terminal to be asked, or pass --yes.",
            )
        elif yes or confirmed(terminal, f"Delete {what} ({size}) in {resolved.cache_dir}?"):
            deleted = cache.delete(files)
            terminal.err(f"cmdai: freed {deleted.bytes / 1e6:.1f} MB ({deleted.files} files)")
        else:
            terminal.err("cmdai: nothing deleted")
            result["status"] = ExitStatus.DECLINED

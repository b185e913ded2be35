"""``cmdai config``: the effective settings and where each value came from."""

from __future__ import annotations

import click

from cmdai.cli.options import invocation, traceback_flag
from cmdai.cli.runtime import load
from cmdai.errors import ExitStatus


@click.command("config")
@traceback_flag
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
@click.pass_context
def config_command(ctx: click.Context, as_json: bool) -> None:
    """Show the effective settings and where each value came from."""
    with invocation(ctx) as (terminal, _, result):
        import json

        from cmdai.settings import as_dict

        resolved = load({})
        values = as_dict(resolved.settings)
        if as_json:
            doc = {
                "config_file": str(resolved.config_file),
                "cache_dir": str(resolved.cache_dir),
                "settings": {
                    k: {"value": v, "source": resolved.sources[k]} for k, v in values.items()
                },
            }
            terminal.out(json.dumps(doc, indent=2))
        else:
            exists = "" if resolved.config_file.exists() else " (not present)"
            terminal.out(f"# config file: {resolved.config_file}{exists}")
            terminal.out(f"# cache dir:   {resolved.cache_dir}")
            width = max(len(k) for k in values)
            for key, value in values.items():
                shown = json.dumps(value)
                if key == "n_threads" and value == 0:
                    shown += f"  # = {resolved.settings.threads()} physical cores"
                terminal.out(f"{key:<{width}} = {shown:<28} # {resolved.sources[key]}")
        result["status"] = ExitStatus.SUCCESS

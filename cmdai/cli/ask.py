"""``cmdai ask`` (the default command): a request in plain words, one proposed command."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import click

from cmdai.cli.options import (
    invocation,
    llama_options,
    model_options,
    offline_option,
    remote_options,
    server_option,
    traceback_flag,
    verbose_option,
)
from cmdai.cli.root import DEFAULT_COMMAND
from cmdai.cli.runtime import (
    default_executor,
    open_history,
    read_query_from_stdin,
    request_engine,
)

if TYPE_CHECKING:
    from cmdai.execute import Executor


@click.command(DEFAULT_COMMAND)
@click.argument("query", nargs=-1)
@click.option("-n", "--dry-run", is_flag=True, help="Show the command; never run it or ask.")
@click.option("-y", "--yes", is_flag=True, help="Run allow-level commands without asking.")
@click.option(
    "--allow-blocked",
    is_flag=True,
    help="Let a blocked command run after you type yes in full on a terminal (never via --yes).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON document (never runs anything)."
)
@model_options()
@remote_options
@click.option(
    "--safety-mode",
    type=click.Choice(["strict", "moderate", "permissive"]),
    default=None,
    help="How strict the safety gate is (default: moderate).",
)
@click.option("--prompt", default=None, help="Prompt template name.")
@llama_options()
@click.option("--temperature", type=float, default=None, help="0 = greedy (default).")
@click.option("--max-tokens", type=int, default=None, help="Cap on generated tokens.")
@click.option(
    "--candidates", type=int, default=None, help="Drafts to choose among (1-8; 1 = greedy)."
)
@click.option(
    "--rehearse/--no-rehearse",
    default=None,
    help="Try the command in a sandbox first; draw other drafts if it fails (needs bubblewrap).",
)
@server_option
@offline_option("Never use the network (also: HF_HUB_OFFLINE=1).")
@verbose_option
@traceback_flag
@click.pass_context
def ask(
    ctx: click.Context,
    /,
    query: tuple[str, ...],
    dry_run: bool,
    yes: bool,
    allow_blocked: bool,
    as_json: bool,
    offline: bool,
    verbose: int,
    **flags: Any,
) -> None:
    """Propose one shell command for QUERY; run it only if you say yes.

    With no QUERY and a pipe on stdin, the request is read from stdin.
    """
    started = time.perf_counter()
    text = " ".join(query)
    with invocation(ctx, as_json=as_json, query=text, started=started, verbose=verbose) as (
        terminal,
        deps,
        result,
    ):
        from cmdai.interact import Interaction, RunOptions

        if not query:
            text = read_query_from_stdin(terminal)
        settings, engine = request_engine(deps, flags, terminal, offline)
        result["engine"] = engine
        executor: Executor = deps.get("executor") or default_executor()
        interaction = Interaction(
            engine,
            terminal,
            executor,
            RunOptions(dry_run, yes, as_json, allow_blocked),
            started,
            history=open_history(settings),
        )
        result["status"] = interaction.run(text)

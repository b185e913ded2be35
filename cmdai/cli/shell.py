"""Where people type: ``cmdai init SHELL`` and the hidden ``widget`` command its key runs."""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING

import click

from cmdai.cli.options import invocation, traceback_flag
from cmdai.cli.root import cli
from cmdai.cli.runtime import default_executor, load, open_history, request_engine
from cmdai.errors import ExitStatus, UsageError

if TYPE_CHECKING:
    from cmdai.terminal import Terminal


@click.command("widget", hidden=True)
@traceback_flag
@click.argument("text", nargs=-1)
@click.pass_context
def widget_command(ctx: click.Context, text: tuple[str, ...]) -> None:
    """What the shell key runs: the proposal on stdout (never a blocked one), the rest on stderr.

    The line is TEXT; with none, a fix for the last command (from the shell snippet). Ctrl-C
    or Esc cancels without a signal reaching the shell (the line stays as it was).
    """
    started = time.perf_counter()
    query = " ".join(text)
    with invocation(ctx, query=query, started=started, make_terminal=_widget_terminal) as (
        terminal,
        deps,
        result,
    ):
        from cmdai import fix
        from cmdai.interact import Interaction, RunOptions
        from cmdai.shell_init import cancel_keys, interrupt_main, last_command

        label: str | None = None
        source = "shell"
        declines = True
        avoid: str | None = None
        if not query.strip():
            last = last_command()
            if last is None:
                raise UsageError("no command to fix yet", hint="Type a request, then the key.")
            query, label = fix.fix_request(*last), fix.label(*last)
            source = "fix"
            declines = False
            avoid = last[0]
            terminal.err(terminal.style(f"cmdai: fixing: {label[5:]}", dim=True))
        with cancel_keys(interrupt_main):
            resolved, engine = request_engine(deps, {}, terminal, False)
            engine = dataclasses.replace(engine, declines=declines, avoid=avoid)
            result["engine"] = engine
            interaction = Interaction(
                engine,
                terminal,
                deps.get("executor") or default_executor(),
                RunOptions(dry_run=True),
                started,
                history=open_history(resolved),
                source=source,
                label=label,
            )
            result["status"] = interaction.run(query)


def _widget_terminal() -> Terminal:
    """The widget's terminal: nothing is asked (a proposal only fills the line)."""
    from cmdai.terminal import Terminal

    return Terminal(stdin_tty=False)


@click.command("init")
@traceback_flag
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.option(
    "--key", default=None, help="Key to bind (default: the shell_key setting, alt-g); none: no key."
)
@click.option("--no-completion", is_flag=True, help="Leave out completion for cmdai itself.")
@click.pass_context
def init_command(ctx: click.Context, shell: str, key: str | None, no_completion: bool) -> None:
    """Print the shell integration for SHELL's rc file: a key, cmdai fix, completion.

    \b
      bash: eval "$(cmdai init bash)"      in ~/.bashrc
      zsh:  eval "$(cmdai init zsh)"       in ~/.zshrc (after compinit)
      fish: cmdai init fish | source       in ~/.config/fish/config.fish

    The key (Alt+G unless the shell_key setting or CMDAI_SHELL_KEY says otherwise) replaces
    the line you typed with a proposed command, for you to read, edit and run with Enter; on
    an empty line it proposes a fix for the last command. See docs/shell.md.
    """  # noqa: D301 - "\b" must be a real backspace: click's marker for "do not rewrap"
    with invocation(ctx) as (terminal, _, result):
        from cmdai.shell_init import parse_key, snippet

        resolved = load({})
        text = snippet(shell, parse_key(key if key is not None else resolved.settings.shell_key))
        if not no_completion:
            text += _completion_source(shell)
        terminal.out(text.rstrip("\n"))
        result["status"] = ExitStatus.SUCCESS


def _completion_source(shell: str) -> str:
    """Click's completion script for cmdai, guarded so a shell without it is not broken."""
    from click.shell_completion import get_completion_class

    completion = get_completion_class(shell)
    assert completion is not None
    source = completion(cli, {}, "cmdai", "_CMDAI_COMPLETE").source()
    if shell == "zsh":  # compdef exists only after compinit
        source = source.replace(
            "    compdef _cmdai_completion cmdai",
            "    (( $+functions[compdef] )) && compdef _cmdai_completion cmdai",
        )
    return f"\n# Completion for cmdai's own commands and options (click).\n{source}\n"

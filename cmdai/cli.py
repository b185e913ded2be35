"""The ``cmdai`` command line: a thin click adapter over the library.

Start-up matters (``cmdai --help`` must stay well under 100 ms), so this module imports only
click and cmdai's leaf modules at top level; the engine, pydantic, llama.cpp and outlines are
imported inside the commands that need them. Errors become ``cmdai: error: ...`` plus a hint
on stderr, with a documented exit status, in exactly one place (``_error_boundary``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cmdai import __version__
from cmdai.errors import CmdaiError, ExitStatus, UsageError

if TYPE_CHECKING:
    from cmdai.backends.base import Backend
    from cmdai.core import Engine
    from cmdai.execute import Executor
    from cmdai.settings import ResolvedSettings
    from cmdai.terminal import Terminal

log = logging.getLogger("cmdai")

DEFAULT_COMMAND = "ask"


class DefaultGroup(click.Group):
    """A group whose first argument, when it is not a subcommand, goes to ``ask``.

    So ``cmdai "list big files"`` and ``cmdai --dry-run "..."`` work, while ``cmdai config``
    reaches the subcommand (as in simonw/llm).
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Route to the default command unless the first word is a subcommand or a group flag."""
        group_flags = {"--help", "-h", "--version"}
        if not args or (args[0] not in self.commands and args[0] not in group_flags):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="cmdai", message="%(prog)s %(version)s")
def cli() -> None:
    r"""Turn a request in plain words into one shell command, with a local model.

    \b
      cmdai "find files over 100MB changed this week"
      cmdai --dry-run "count lines in all python files"
      cmdai ask --help      all options for a request
      cmdai config          effective settings and where each came from
      cmdai check "CMD"     classify a command with the safety gate (no model)

    cmdai shows the command, its explanation and its risk, and runs it only when you say
    yes. Exit statuses: 0 ok, 1 error, 2 usage, 3 blocked by safety, 4 declined, 5 model
    error, 6 no command proposed, 7 (check) needs confirmation, 130 interrupted; after
    running, the command's own status.
    """


@cli.command(DEFAULT_COMMAND)
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
@click.option("-m", "--model", default=None, help="Model: a .gguf path or a registry name.")
@click.option("--backend", default=None, help="Backend: llamacpp (default) or fake.")
@click.option(
    "--safety-mode",
    type=click.Choice(["strict", "moderate", "permissive"]),
    default=None,
    help="How strict the safety gate is (default: moderate).",
)
@click.option("--prompt", default=None, help="Prompt template name.")
@click.option("--n-ctx", type=int, default=None, help="Context window in tokens.")
@click.option("--threads", "n_threads", type=int, default=None, help="CPU threads (0 = cores).")
@click.option("--seed", type=int, default=None, help="Sampling seed.")
@click.option("--temperature", type=float, default=None, help="0 = greedy (default).")
@click.option("--max-tokens", type=int, default=None, help="Cap on generated tokens.")
@click.option("-v", "--verbose", count=True, help="Log to stderr (-vv for debug).")
@click.option("--traceback", is_flag=True, help="Show Python tracebacks on errors.")
@click.pass_context
def ask(
    ctx: click.Context,
    /,
    query: tuple[str, ...],
    dry_run: bool,
    yes: bool,
    allow_blocked: bool,
    as_json: bool,
    verbose: int,
    traceback: bool,
    **flags: Any,
) -> None:
    """Propose one shell command for QUERY; run it only if you say yes.

    With no QUERY and a pipe on stdin, the request is read from stdin.
    """
    started = time.perf_counter()
    _configure_logging(verbose)
    deps = ctx.find_root().obj or {}
    terminal: Terminal = deps.get("terminal") or _default_terminal()
    text = " ".join(query)
    status: int
    with _error_boundary(terminal, as_json, text, started, traceback) as result:
        from cmdai.interact import Interaction, RunOptions

        if not query:
            text = _read_query_from_stdin(terminal)
        settings = _load(flags)
        engine = _build_engine(settings, terminal, deps.get("backend"))
        result["engine"] = engine
        executor: Executor = deps.get("executor") or _default_executor()
        interaction = Interaction(
            engine, terminal, executor, RunOptions(dry_run, yes, as_json, allow_blocked), started
        )
        result["status"] = interaction.run(text)
    status = result["status"]
    ctx.exit(status)


@cli.command("config")
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
@click.pass_context
def config_command(ctx: click.Context, as_json: bool) -> None:
    """Show the effective settings and where each value came from."""
    deps = ctx.find_root().obj or {}
    terminal: Terminal = deps.get("terminal") or _default_terminal()
    with _error_boundary(terminal, False, "", time.perf_counter(), False) as result:
        from cmdai.settings import as_dict

        resolved = _load({})
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
    ctx.exit(result["status"])


@cli.command("check")
@click.argument("command", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON document per command (JSON Lines).")
@click.option(
    "--mode",
    type=click.Choice(["strict", "moderate", "permissive"]),
    default=None,
    help="Safety mode (default: the configured one, else moderate).",
)
@click.pass_context
def check_command(ctx: click.Context, command: str | None, as_json: bool, mode: str | None) -> None:
    """Classify COMMAND with the safety gate, without any model; never runs it.

    With no COMMAND, reads commands from stdin, one per line. Exit status: 0 allow,
    7 needs confirmation, 3 blocked (the strictest decision over all commands), 2 usage.
    """
    deps = ctx.find_root().obj or {}
    terminal: Terminal = deps.get("terminal") or _default_terminal()
    with _error_boundary(terminal, False, "", time.perf_counter(), False) as result:
        from cmdai.safety import ShellValidator

        if command is not None:
            commands = [command]
        elif terminal.interactive:
            raise UsageError("no command given", hint='Pass one: cmdai check "rm -rf build"')
        else:
            commands = [c for c in _read_query_from_stdin(terminal).splitlines() if c.strip()]
        if not commands or not any(c.strip() for c in commands):
            raise UsageError("no command given", hint='Pass one: cmdai check "rm -rf build"')
        chosen = mode or _load({}).settings.safety_mode
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
    ctx.exit(result["status"])


_CHECK_STATUS = {
    "allow": ExitStatus.SUCCESS,
    "confirm": ExitStatus.NEEDS_CONFIRMATION,
    "block": ExitStatus.BLOCKED,
}
_CHECK_ORDER = [ExitStatus.SUCCESS, ExitStatus.NEEDS_CONFIRMATION, ExitStatus.BLOCKED]


@contextlib.contextmanager
def _error_boundary(
    terminal: Terminal, as_json: bool, query: str, started: float, show_traceback: bool
) -> Iterator[dict[str, Any]]:
    """Translate every failure into a message, a hint and an exit status (JSON under --json)."""
    result: dict[str, Any] = {}
    try:
        yield result
    except CmdaiError as exc:
        if show_traceback:
            raise
        result["status"] = _report(terminal, as_json, query, started, result, exc)
    except KeyboardInterrupt:
        terminal.clear_status()
        interrupted = CmdaiError("interrupted")
        interrupted.exit_status = ExitStatus.INTERRUPTED
        interrupted.kind = "interrupted"
        result["status"] = _report(terminal, as_json, query, started, result, interrupted)
    except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
        raise
    except Exception as exc:
        if show_traceback:
            raise
        internal = CmdaiError(
            f"internal error: {type(exc).__name__}: {exc}",
            hint="Run again with --traceback and report the output.",
        )
        result["status"] = _report(terminal, as_json, query, started, result, internal)


def _report(
    terminal: Terminal,
    as_json: bool,
    query: str,
    started: float,
    result: dict[str, Any],
    exc: CmdaiError,
) -> int:
    terminal.clear_status()
    status = int(exc.exit_status)
    if as_json:
        from cmdai.core import proposal_json

        engine: Engine | None = result.get("engine")
        model = engine.backend.describe() if engine else None
        doc = proposal_json(
            None,
            query=_printable(query),
            model=model or {},
            started=started,
            outcome="interrupted" if status == ExitStatus.INTERRUPTED else "error",
            error={"kind": exc.kind, "message": exc.message, "hint": exc.hint},
            exit_status=status,
        )
        terminal.out(json.dumps(doc, ensure_ascii=False))
    if status == ExitStatus.INTERRUPTED:
        terminal.err("cmdai: interrupted")
    else:
        terminal.err(terminal.style("cmdai: error: ", fg="red", bold=True) + exc.message)
        if exc.hint:
            terminal.err(terminal.style("hint: ", bold=True) + exc.hint)
    return status


def _printable(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


def _read_query_from_stdin(terminal: Terminal) -> str:
    if terminal.interactive:
        raise UsageError(
            "no request given", hint='Say what you want: cmdai "list the 5 largest files here"'
        )
    stream = getattr(terminal.stdin, "buffer", None)
    raw: bytes | str = stream.read() if stream is not None else terminal.stdin.read()
    if isinstance(raw, bytes):
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(
                "the request on stdin is not valid UTF-8 text",
                hint="Convert it first, for example with iconv -t UTF-8.",
            ) from None
    return raw


def _load(flags: dict[str, Any]) -> ResolvedSettings:
    from cmdai.settings import load_settings

    return load_settings(flags)


def _build_engine(
    resolved: ResolvedSettings, terminal: Terminal, backend: Backend | None
) -> Engine:
    from cmdai.backends import create_backend
    from cmdai.core import Engine
    from cmdai.execute import user_shell
    from cmdai.prompts import detect_environment, get_template
    from cmdai.safety import ShellValidator

    settings = resolved.settings
    template = get_template(settings.prompt)
    if backend is None:
        backend = create_backend(
            settings, resolved.cache_dir, _progress_printer(terminal), _notice_printer(terminal)
        )
    shell = user_shell()
    return Engine(
        settings=settings,
        backend=backend,
        validator=ShellValidator(),
        template=template,
        env=detect_environment(Path(shell).name),
        shell=shell,
    )


def _progress_printer(terminal: Terminal) -> Any:
    """Reports model assembly/verification: a live percentage on a terminal, two lines otherwise."""
    state = {"last": -1}

    def progress(done: int, total: int) -> None:
        percent = int(100 * done / total) if total else 100
        if state["last"] < 0 and not terminal.stderr_tty:
            terminal.err(f"cmdai: preparing the model ({total / 1e9:.1f} GB, first run only)...")
        if percent != state["last"]:
            terminal.status(f"cmdai: preparing the model: {percent}% of {total / 1e9:.1f} GB")
        state["last"] = percent
        if done >= total:
            terminal.clear_status()
            terminal.err("cmdai: model ready.")

    return progress


def _notice_printer(terminal: Terminal) -> Any:
    """One-time slow steps: a status line on a terminal (replacing "thinking"), else a line."""

    def notice(text: str) -> None:
        if terminal.stderr_tty:
            terminal.status(f"cmdai: {text}")
        else:
            terminal.err(f"cmdai: {text}")

    return notice


def _default_terminal() -> Terminal:
    from cmdai.terminal import Terminal

    return Terminal()


def _default_executor() -> Executor:
    from cmdai.execute import ShellExecutor

    return ShellExecutor()


def _configure_logging(verbose: int) -> None:
    if verbose:
        logging.basicConfig(
            level=logging.DEBUG if verbose > 1 else logging.INFO,
            format="cmdai: %(levelname)s %(name)s: %(message)s",
            stream=sys.stderr,
        )


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="cmdai")

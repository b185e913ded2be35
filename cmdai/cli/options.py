"""What the commands share: their options, ``--traceback``, the prologue and the error boundary.

Errors become ``cmdai: error: ...`` plus a hint on stderr, with a documented exit status, in
exactly one place (``error_boundary``); ``invocation`` wraps every command in it.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import click

from cmdai.errors import CmdaiError, ExitStatus, OutputError
from cmdai.pipes import quiet_stdout, report_unwritable

if TYPE_CHECKING:
    from cmdai.core import Engine
    from cmdai.terminal import Terminal

F = TypeVar("F", bound=Callable[..., Any])


def _want_traceback(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta["cmdai.traceback"] = True


traceback_flag = click.option(
    "--traceback",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_want_traceback,
    help="Show Python tracebacks on errors.",
)
"""``--traceback`` on every command and group: the error boundary finds it in the click
context (shared by a command and its group)."""


# -- options several commands share ------------------------------------------------------------


def options(*decorators: Callable[[Any], Any]) -> Callable[[F], F]:
    """Several click options as one decorator; --help lists them in the order given."""

    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


BACKEND_HELP = "Backend: llamacpp (default), openai, ollama or fake."

model_option = click.option(
    "-m", "--model", default=None, help="Model: a .gguf path or a registry name."
)


def backend_option(help_text: str = BACKEND_HELP) -> Callable[[F], F]:
    """``--backend``, with the backends the command can use in its help."""
    return click.option("--backend", default=None, help=help_text)


def model_options(backend_help: str = BACKEND_HELP) -> Callable[[F], F]:
    """``-m/--model`` and ``--backend``."""
    return options(model_option, backend_option(backend_help))


remote_options = options(
    click.option("--base-url", default=None, help="Remote backends: the server's URL."),
    click.option("--remote-model", default=None, help="Remote backends: the model's name there."),
)
"""``--base-url`` and ``--remote-model``: where a remote backend's model is."""


def llama_options(seed_help: str = "Sampling seed.") -> Callable[[F], F]:
    """``--n-ctx``, ``--threads`` (the ``n_threads`` setting) and ``--seed``."""
    return options(
        click.option("--n-ctx", type=int, default=None, help="Context window in tokens."),
        click.option(
            "--threads", "n_threads", type=int, default=None, help="CPU threads (0 = cores)."
        ),
        click.option("--seed", type=int, default=None, help=seed_help),
    )


server_option = click.option(
    "--server",
    type=click.Choice(["auto", "on", "off"]),
    default=None,
    help="Warm server: auto (default; use one, or start one after this request), on, off.",
)


def offline_option(help_text: str = "Never use the network.") -> Callable[[F], F]:
    """``--offline`` (the ``offline`` parameter)."""
    return click.option("--offline", is_flag=True, help=help_text)


verbose_option = click.option("-v", "--verbose", count=True, help="Log to stderr (-vv for debug).")

request_options = options(
    model_option,
    backend_option(),
    server_option,
    offline_option(),
    verbose_option,
    traceback_flag,
)
"""What a command that asks the model takes besides its own options (explain, fix)."""


# -- the prologue ------------------------------------------------------------------------------


def terminal_of(
    ctx: click.Context, make_terminal: Callable[[], Terminal] | None = None
) -> Terminal:
    """The terminal a test put on the root context, else a new one."""
    deps = ctx.find_root().obj or {}
    terminal: Terminal = deps.get("terminal") or (make_terminal or default_terminal)()
    return terminal


@contextlib.contextmanager
def invocation(
    ctx: click.Context,
    *,
    as_json: bool = False,
    query: str = "",
    started: float | None = None,
    verbose: int = 0,
    make_terminal: Callable[[], Terminal] | None = None,
) -> Iterator[tuple[Terminal, dict[str, Any], dict[str, Any]]]:
    """Every command's set-up and exit, written once.

    ``with invocation(ctx) as (terminal, deps, result):`` sets up logging (-v), the
    dependencies a test put on the root context (``deps``: terminal, backend, executor) and
    the terminal, then runs the body inside ``error_boundary``; the command exits with
    ``result["status"]``.
    """
    started = time.perf_counter() if started is None else started
    configure_logging(verbose)
    deps: dict[str, Any] = ctx.find_root().obj or {}
    terminal = terminal_of(ctx, make_terminal)
    with error_boundary(terminal, as_json, query, started) as result:
        yield terminal, deps, result
    ctx.exit(result["status"])


@contextlib.contextmanager
def error_boundary(
    terminal: Terminal, as_json: bool, query: str, started: float
) -> Iterator[dict[str, Any]]:
    """Translate every failure into a message, a hint and an exit status (JSON under --json).

    ``--traceback`` (on any command or group: ``traceback_flag``) re-raises instead.
    """
    current = click.get_current_context(silent=True)
    show_traceback = bool(current and current.meta.get("cmdai.traceback"))
    result: dict[str, Any] = {}
    try:
        yield result
    except OutputError as exc:  # nowhere to report it but stderr, whatever --json says
        if show_traceback:
            raise
        result["status"] = report_unwritable(exc.reason)
    except CmdaiError as exc:
        if show_traceback:
            raise
        result["status"] = _report(terminal, as_json, query, started, result, exc)
    except BrokenPipeError:
        # The reader of our output left (`cmdai check ... | head -1`): stop quietly, as a tool
        # stopped by SIGPIPE does.
        quiet_stdout()
        result["status"] = ExitStatus.OUTPUT_CLOSED
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
        import json

        from cmdai.jsondoc import proposal_json

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


def default_terminal() -> Terminal:
    """The real terminal: stdin, stdout and stderr."""
    from cmdai.terminal import Terminal

    return Terminal()


def configure_logging(verbose: int) -> None:
    """Logging to stderr for -v (info) and -vv (debug); nothing without -v."""
    # logging costs ~10 ms to import: only -v pays for it (library modules import it anyway).
    if verbose:
        import logging

        logging.basicConfig(
            level=logging.DEBUG if verbose > 1 else logging.INFO,
            format="cmdai: %(levelname)s %(name)s: %(message)s",
            stream=sys.stderr,
        )

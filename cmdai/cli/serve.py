"""``cmdai serve``: the warm server that keeps the model loaded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from cmdai.cli.options import (
    invocation,
    llama_options,
    model_options,
    traceback_flag,
    verbose_option,
)
from cmdai.cli.runtime import ensure_model, in_process_backend, load, notice_printer
from cmdai.errors import ExitStatus

if TYPE_CHECKING:
    from cmdai.backends.base import Backend


@click.command("serve")
@traceback_flag
@click.option("--foreground", is_flag=True, help="Run in this terminal (Ctrl-C stops it).")
@click.option(
    "--idle-timeout",
    type=click.FloatRange(min=0),
    default=None,
    metavar="S",
    help="Stop after S seconds without a request (0 = never; default 900).",
)
@click.option("--status", "show_status", is_flag=True, help="Is a server running, and what for?")
@click.option("--stop", is_flag=True, help="Stop the running server.")
@click.option("--json", "as_json", is_flag=True, help="With --status: one JSON document.")
@model_options(backend_help="Backend: llamacpp (default) or fake.")
@llama_options(seed_help="llama.cpp's seed.")
@verbose_option
@click.pass_context
def serve_command(
    ctx: click.Context,
    /,
    foreground: bool,
    idle_timeout: float | None,
    show_status: bool,
    stop: bool,
    as_json: bool,
    verbose: int,
    **flags: Any,
) -> None:
    """Keep the model loaded in a background server, so requests skip loading it.

    Requests use it when the `server` setting is on or auto (--server, CMDAI_SERVER, or the
    config file). Its socket is private to you, in $XDG_RUNTIME_DIR/cmdai. --status exits 0
    when a server is running and 1 when none is.
    """
    with invocation(ctx, verbose=verbose) as (terminal, _, result):
        import json

        from cmdai import server

        result["status"] = ExitStatus.SUCCESS
        if stop:
            stopped = server.stop_server()
            if stopped is None:
                terminal.err("cmdai: no server is running")
            else:
                terminal.err(f"cmdai: server stopped (pid {stopped.get('pid')})")
        elif show_status:
            status = server.server_status()
            if as_json:
                terminal.out(json.dumps({"running": status is not None, **(status or {})}))
            else:
                for line in status_lines(status):
                    terminal.out(line)
            result["status"] = ExitStatus.SUCCESS if status else ExitStatus.ERROR
        else:
            resolved = load(flags)
            idle = server.DEFAULT_IDLE_TIMEOUT_S if idle_timeout is None else idle_timeout
            if resolved.settings.backend == "llamacpp":
                ensure_model(resolved, terminal, offline=False)
            if foreground:
                from cmdai.repack import resolve_setting

                def make_backend() -> Backend:
                    # The server loads once and generates for many: repack where it pays here.
                    # Probed under the server's lock, so two servers starting at once never
                    # measure (and slow each other) together.
                    chosen = resolve_setting(
                        resolved, lambda text: terminal.err(f"cmdai server: {text}")
                    )
                    return in_process_backend(chosen, terminal)

                server.run_server(
                    make_backend,
                    server.identity(resolved),
                    idle_timeout=idle,
                    announce=terminal.err,
                )
            else:
                status, started = server.ensure_server(
                    resolved,
                    idle_timeout=idle,
                    starting=lambda: notice_printer(terminal)("starting the server..."),
                )
                terminal.clear_status()
                state = "started" if started else "already running"
                terminal.err(f"cmdai: server {state} (pid {status['pid']}) on {status['socket']}")


def status_lines(status: Mapping[str, Any] | None) -> list[str]:
    """``cmdai serve --status`` as text: one ``key: value`` line each."""
    if status is None:
        from cmdai.server.paths import ServerPaths, runtime_dir

        paths = ServerPaths(runtime_dir())
        return ["running: no", f"socket:  {paths.socket} (none answers)"]
    ident = status.get("identity") or {}
    model = status.get("model") or {}
    idle_timeout = status.get("idle_timeout_s") or 0
    stops = f"after {idle_timeout:g} s idle" if idle_timeout else "never (no idle timeout)"
    rows = [
        ("running", f"yes, pid {status.get('pid')}"),
        ("socket", status.get("socket")),
        ("backend", ident.get("backend")),
        ("model", model.get("path") or ident.get("model")),
        ("sha256", model.get("sha256") or "-"),
        ("repack", "yes" if model.get("repack") else "no"),
        (
            "settings",
            f"n_ctx {ident.get('n_ctx')}, {ident.get('n_threads')} threads, "
            f"seed {ident.get('seed')}",
        ),
        ("uptime", f"{status.get('uptime_s', 0):.0f} s, idle {status.get('idle_s', 0):.0f} s"),
        ("stops", stops),
        (
            "requests",
            f"{status.get('served', 0)} served, {status.get('queued', 0)} queued"
            + (", generating now" if status.get("generating") else ""),
        ),
        (
            "helper",
            "yes (requests skip importing cmdai; commands still run in your shell's process)"
            if status.get("helper")
            else "no",
        ),
        ("log", status.get("log")),
    ]
    width = max(len(k) for k, _ in rows) + 1
    return [f"{k + ':':<{width}} {v}" for k, v in rows]

"""What the commands share once running: settings, engine, model check, progress, prompts.

The settings, the engine and its backend (the warm server or in-process), the model check and
download, progress lines, and reading the request or a yes from the terminal. Everything heavy
(the engine, pydantic, llama.cpp, the hub) is imported inside the functions.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from cmdai.errors import UsageError

if TYPE_CHECKING:
    from cmdai.backends.base import Backend
    from cmdai.core import Engine
    from cmdai.execute import Executor
    from cmdai.history import History
    from cmdai.safety.model import SafetyValidator
    from cmdai.settings import ResolvedSettings
    from cmdai.terminal import Terminal


def load(flags: dict[str, Any]) -> ResolvedSettings:
    """The settings, with the command line's ``flags`` over the environment and config file."""
    from cmdai.settings import load_settings

    return load_settings(flags)


def open_history(resolved: ResolvedSettings) -> History | None:
    """The history database, unless the ``history`` setting turned it off."""
    if not resolved.settings.history:
        return None
    from cmdai.history import History

    return History()


def request_engine(
    deps: dict[str, Any], flags: dict[str, Any], terminal: Terminal, offline: bool
) -> tuple[ResolvedSettings, Engine]:
    """Settings and an engine, as ``ask`` makes them (warm server, model check, backend)."""
    resolved = load(flags)
    backend = deps.get("backend") or server_backend(resolved, terminal, offline)
    if backend is None and resolved.settings.backend == "llamacpp":
        ensure_model(resolved, terminal, offline)
    validator = None
    if backend is not None and resolved.settings.server != "off":
        from cmdai.server.client import ServerBackend

        if isinstance(backend, ServerBackend):  # its server has the gate loaded
            validator = backend.gate()
    return resolved, build_engine(resolved, terminal, backend, validator)


def server_backend(resolved: ResolvedSettings, terminal: Terminal, offline: bool) -> Backend | None:
    """The warm server as the backend, as the ``server`` setting says (None: in-process)."""
    if resolved.settings.server == "off":
        return None
    import click

    from cmdai.server import connect

    def warm_later() -> None:
        # Once the command is over (answered, run or declined): nothing competes with it.
        from cmdai.server.warm import warm_for_later

        def start() -> None:
            warm_for_later(resolved, notice_printer(terminal))

        ctx = click.get_current_context(silent=True)
        if ctx is None:
            start()
        else:
            ctx.call_on_close(start)

    return connect(
        resolved,
        fallback=lambda: in_process_backend(resolved, terminal),
        warn=lambda text: terminal.err(f"cmdai: {text}"),
        on_absent=warm_later,
    )


def in_process_backend(resolved: ResolvedSettings, terminal: Terminal) -> Backend:
    """The configured backend, in this process."""
    from cmdai.backends import create_backend

    return create_backend(
        resolved.settings,
        resolved.cache_dir,
        progress_printer(terminal),
        notice_printer(terminal),
    )


def build_engine(
    resolved: ResolvedSettings,
    terminal: Terminal,
    backend: Backend | None,
    validator: SafetyValidator | None = None,
) -> Engine:
    """The engine over ``backend`` (None: the configured backend, in this process)."""
    from cmdai.backends import create_backend
    from cmdai.core import create_engine

    settings = resolved.settings
    if backend is None:
        backend = create_backend(
            settings, resolved.cache_dir, progress_printer(terminal), notice_printer(terminal)
        )
    return create_engine(settings, backend, validator=validator)


def ensure_model(resolved: ResolvedSettings, terminal: Terminal, offline: bool) -> None:
    """Find the model before the backend loads it; offer the hub download on a terminal."""
    from cmdai.models import resolve_model

    state: dict[str, Any] = {"progress": progress_printer(terminal)}

    def confirm(spec: Any, source: Any) -> bool:
        size = f"{spec.size / 1e9:.1f} GB"
        terminal.err(f"cmdai: the model {spec.name} is not installed.")
        try:
            reply = terminal.ask(f"Download it from Hugging Face ({size})? [Y/n] ")
        except EOFError:
            return False
        if reply.strip().lower() not in ("", "y", "yes"):
            return False
        state["progress"] = download_progress(terminal, spec.name)
        return True

    resolve_model(
        resolved.settings.model,
        cache_dir=resolved.cache_dir,
        progress=lambda done, total: state["progress"](done, total),
        offline=offline or None,
        confirm=confirm if terminal.interactive else None,
        check_metadata=True,
    )


def download_progress(terminal: Terminal, label: str) -> Any:
    """A progress bar with speed and ETA on a terminal (stderr); silent otherwise."""
    state: dict[str, float] = {}

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if not state:
            state.update(start=now, first=done, shown=0.0)
        if done < total and now - state["shown"] < 0.1:
            return
        state["shown"] = now
        elapsed = now - state["start"]
        rate = (done - state["first"]) / elapsed if elapsed > 0 else 0.0
        eta = (
            f"{int((total - done) / rate) // 60}:{int((total - done) / rate) % 60:02d}"
            if rate > 0
            else "--:--"
        )
        frac = done / total if total else 1.0
        bar = "#" * int(24 * frac) + "-" * (24 - int(24 * frac))
        terminal.status(
            f"cmdai: {label} [{bar}] {frac:4.0%} {done / 1e6:,.1f}/{total / 1e6:,.1f} MB "
            f"{rate / 1e6:.1f} MB/s ETA {eta}"
        )
        if done >= total:
            terminal.clear_status()

    return progress


def progress_printer(terminal: Terminal) -> Any:
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


def notice_printer(terminal: Terminal) -> Any:
    """One-time slow steps: a status line on a terminal (replacing "thinking"), else a line."""

    def notice(text: str) -> None:
        if terminal.stderr_tty:
            terminal.status(f"cmdai: {text}")
        else:
            terminal.err(f"cmdai: {text}")

    return notice


HANDED_BACK: Executor | None = None
"""Set in a warm helper's fork (``cmdai.server.helper``): approved commands run in the client
that handed the request off, which owns the terminal."""


def default_executor() -> Executor:
    """The executor that runs a command in the user's shell (from the client, when handed off)."""
    if HANDED_BACK is not None:
        return HANDED_BACK
    from cmdai.execute import ShellExecutor

    return ShellExecutor()


def read_query_from_stdin(terminal: Terminal) -> str:
    """The whole of stdin as UTF-8 text; a usage error on a terminal (there is no pipe)."""
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


def confirmed(terminal: Terminal, question: str) -> bool:
    """Ask ``question [y/N]``: True only for y or yes."""
    try:
        reply = terminal.ask(f"{question} [y/N] ")
    except EOFError:
        return False
    return reply.strip().lower() in ("y", "yes")

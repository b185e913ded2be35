"""The warm server's helper: cmdai imported once, forked for each request handed to it.

``python -m cmdai.server.helper DIRECTORY SERVER_PID`` (the warm server starts it, after its
socket appears) imports what a request's client side imports, then listens on
``DIRECTORY/helper.sock``. A client (``cmdai.handoff``) sends its arguments, environment,
working directory and the descriptors of its standard streams (and, for the shell key, of its
terminal); the helper forks, and the fork becomes that client: the same working directory and
environment, the same streams, the same command line run by the same ``cmdai.entry.main``. It
tells the client its pid first (signals are forwarded to it) and its exit status last; a
command the user approves is sent back for the client to run (``ClientExecutor``). The
helper itself stays single-threaded, never loads a model and never runs a request; it exits
with the server (it watches the server's pid) or on SIGTERM.

Security: the socket is 0600 in the server's private directory, and the peer's uid is checked
as the server checks it.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import locale
import logging
import os
import queue
import select
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmdai.errors import ExecutionError
from cmdai.server.paths import _peer_is_us
from cmdai.server.where import HELPER_ENV, HELPER_SOCKET, installation, private_problem

if TYPE_CHECKING:
    from cmdai.execute import DetachedProcess
    from cmdai.server.paths import ServerPaths

log = logging.getLogger(__name__)

PRELOAD = (
    "cmdai.cli",
    "cmdai.candidates",
    "cmdai.checks",
    "cmdai.context",
    "cmdai.core",
    "cmdai.execute",
    "cmdai.fix",
    "cmdai.formats",
    "cmdai.grounding",
    "cmdai.history",
    "cmdai.intent",
    "cmdai.interact",
    "cmdai.jsondoc",
    "cmdai.pitfalls",
    "cmdai.proposal",
    "cmdai.retrieval",
    "cmdai.server.client",
    "cmdai.shell_init",
    "cmdai.shellparse",
    "cmdai.sure_fixes",
    "tree_sitter",
    "tree_sitter_bash",
)
"""What a warm request's client imports (``python -X importtime -m cmdai --dry-run ...``)."""

_MAX_REQUEST_BYTES = 4 << 20


def preload() -> None:
    """Import what a request needs, and parse one line (the bash grammar's first use)."""
    _LOADED.update(installation())
    for name in PRELOAD:
        importlib.import_module(name)
    from cmdai.shellparse import analyse

    analyse("ls -l | wc -l")


def serve(directory: Path, server_pid: int) -> None:
    """Answer hand-offs on ``directory/helper.sock`` until the server is gone or SIGTERM."""
    if (problem := private_problem(directory)) is not None:
        raise SystemExit(f"cmdai helper: {directory}: {problem}")
    preload()
    path = directory / HELPER_SOCKET
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    mask = os.umask(0o177)
    try:
        listener.bind(str(path))
    finally:
        os.umask(mask)
    listener.listen(16)
    mine = path.stat().st_ino
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forks reap themselves
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while os.getppid() == server_pid:  # the server gone (we were re-parented): stop
            ready, _, _ = select.select([listener], [], [], 1.0)
            if not ready:
                continue
            conn, _ = listener.accept()
            with conn:
                try:
                    _accept(conn)
                except (OSError, ValueError) as exc:
                    log.warning("cmdai helper: a hand-off failed: %s", exc)
    finally:
        listener.close()
        with contextlib.suppress(OSError):
            if path.stat().st_ino == mine:
                path.unlink()


def _accept(conn: socket.socket) -> None:
    """Read one hand-off and fork for it (the fork never returns here)."""
    if not _peer_is_us(conn):
        return
    conn.settimeout(5.0)
    header, fds, _flags, _address = socket.recv_fds(conn, 4, 4)
    try:
        if len(header) != 4 or len(fds) < 3:
            raise ValueError("a hand-off without its size or its three streams")
        size = int.from_bytes(header, "big")
        if size > _MAX_REQUEST_BYTES:
            raise ValueError(f"a hand-off of {size} bytes")
        payload = bytearray()
        while len(payload) < size:
            chunk = conn.recv(size - len(payload))
            if not chunk:
                raise ValueError("a hand-off cut short")
            payload += chunk
        request = json.loads(payload)
        refused = _refusal(request)
        if refused:
            conn.sendall(json.dumps({"refused": refused}).encode() + b"\n")
            return
        if os.fork() == 0:  # the fork: become the client, run its command line, exit
            code = 1
            try:
                code = _become(conn, fds, request)
            finally:
                os._exit(code)
    finally:
        for fd in fds:
            os.close(fd)


_LOADED: dict[str, str] = {}
"""``installation()`` when the helper imported cmdai: the code it runs."""


def _refusal(request: dict[str, Any]) -> str | None:
    """Why this helper cannot answer for that client (another cmdai install, version or code)."""
    mine = _LOADED or installation()
    if any(request.get(key) != value for key, value in mine.items()):
        changed = " (its files changed since)" if request.get("code") != mine.get("code") else ""
        return f"the helper runs cmdai {mine['version']} from {mine['package']}{changed}"
    if not isinstance(request.get("argv"), list) or not isinstance(request.get("env"), dict):
        return "a malformed hand-off"
    return None


def _become(conn: socket.socket, fds: list[int], request: dict[str, Any]) -> int:
    """In the fork: take the client's place, run its command line; its exit status."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # subprocess waits for its children again
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    with contextlib.suppress(locale.Error):
        locale.setlocale(locale.LC_CTYPE, "")  # the client's locale, as its interpreter had
    for target, fd in zip((0, 1, 2), fds[:3], strict=True):
        os.dup2(fd, target)
    if len(fds) > 3:  # the client's terminal, for the shell key's Esc and Ctrl-C
        from cmdai import shell_init

        shell_init.TTY = os.dup(fds[3])
    sys.stdin, sys.stdout, sys.stderr = (
        _stream(fd, mode, *spec)
        for fd, mode, spec in zip((0, 1, 2), "rww", request["stdio"], strict=True)
    )
    sys.argv = list(request["argv"])
    conn.settimeout(None)
    conn.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")
    from cmdai.cli import runtime

    runtime.HANDED_BACK = ClientExecutor(conn, _client_replies(conn))
    from cmdai.entry import main

    code = 1  # what an exception that escapes the command line leaves
    try:
        main(here=True)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        with contextlib.suppress(OSError):
            conn.sendall(json.dumps({"exit": code}).encode() + b"\n")
    return code


def _stream(fd: int, mode: str, encoding: str, errors: str, line_buffering: bool) -> Any:
    """A text stream on ``fd`` as the client's interpreter had it (encoding, errors)."""
    raw = open(fd, mode + "b", buffering=-1, closefd=False)  # noqa: SIM115 - sys.stdout's
    return io.TextIOWrapper(raw, encoding=encoding, errors=errors, line_buffering=line_buffering)


def _client_replies(conn: socket.socket) -> queue.SimpleQueue[dict[str, Any]]:
    """The client's replies, one a line; stop at once when the client goes away (killed).

    Nobody reads what this fork would print once its client is gone.
    """
    replies: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()

    def watch() -> None:
        with contextlib.suppress(OSError, ValueError), conn.makefile("rb") as lines:
            for line in lines:
                replies.put(json.loads(line))
        os._exit(1)

    threading.Thread(target=watch, name="cmdai-helper-client", daemon=True).start()
    return replies


class ClientExecutor:
    """Runs an approved command in the client that handed the request off (an ``Executor``).

    This fork is not in the terminal's foreground process group, so a command it started could
    not own the terminal: the client is, and runs it there (``cmdai.handoff``).
    """

    def __init__(self, conn: socket.socket, replies: queue.SimpleQueue[dict[str, Any]]) -> None:
        self._conn = conn
        self._replies = replies

    def run(self, command: str) -> int:
        """Send ``command`` to the client; its exit status (128+N on signal N)."""
        from cmdai.execute import user_shell

        message = {"run": command, "shell": user_shell()}
        self._conn.sendall(json.dumps(message).encode("ascii") + b"\n")
        reply = self._replies.get()
        if "status" not in reply:
            raise ExecutionError(str(reply.get("error")), hint=str(reply.get("hint") or ""))
        return int(reply["status"])


def start(paths: ServerPaths) -> DetachedProcess | None:
    """Start this process's helper (a warm server's); None when ``CMDAI_HELPER=off``.

    Its output goes to the server's log.
    """
    if os.environ.get(HELPER_ENV, "").strip().lower() == "off":
        return None
    from cmdai.errors import CmdaiError
    from cmdai.execute import spawn_detached

    argv = [sys.executable, "-m", "cmdai.server.helper", str(paths.directory), str(os.getpid())]
    try:
        return spawn_detached(argv, log=paths.log)
    except CmdaiError as exc:
        log.warning("cmdai server: no helper (%s); requests import cmdai themselves", exc)
        return None


def stop(helper: DetachedProcess | None, timeout_s: float = 5.0) -> None:
    """Stop a helper started by ``start`` (its socket goes with it)."""
    if helper is None or helper.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(helper.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while helper.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if helper.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(helper.pid, signal.SIGKILL)


if __name__ == "__main__":  # pragma: no cover - started by the warm server
    serve(Path(sys.argv[1]), int(sys.argv[2]))

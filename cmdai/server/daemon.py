"""The server process: one backend kept loaded, serving generation requests on the socket."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import queue
import signal
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from cmdai.backends.base import Backend, GenerationRequest
from cmdai.errors import CmdaiError
from cmdai.safety.model import SafetyValidator
from cmdai.server.helper import start as start_helper
from cmdai.server.helper import stop as stop_helper
from cmdai.server.paths import ServerPaths, _peer_is_us, server_lock, server_paths
from cmdai.server.protocol import (
    DEFAULT_IDLE_TIMEOUT_S,
    HEARTBEAT_S,
    PROTOCOL,
    SILENCE_TIMEOUT_S,
    _encode,
    _error,
    _error_from_exception,
    _Reader,
    request_from_wire,
)
from cmdai.server.servable import _check_servable, _differences, gate_identity
from cmdai.server.where import HELPER_SOCKET
from cmdai.settings import SAFETY_MODES

log = logging.getLogger(__name__)

MAX_QUEUE = 8
"""Requests waiting behind the one being generated; one more is refused as busy."""

MAX_CONNECTIONS = 32
"""Connections handled at once (status calls included); more are refused as busy."""

SHUTDOWN_GRACE_S = 30.0
"""On shutdown, how long the generation in progress may take to finish and be answered."""

_POLL_S = 0.25


@dataclass
class _Job:
    request: GenerationRequest
    done: threading.Event = field(default_factory=threading.Event)
    cancelled: bool = False
    response: dict[str, Any] | None = None
    # The answer so far, as the backend reports it, for a client that asked to stream; the
    # connection's thread sends the newest at most once per change.
    stream: bool = False
    partial: str = ""
    grew: threading.Event = field(default_factory=threading.Event)

    def on_text(self, text: str) -> None:
        self.partial = text
        self.grew.set()

    def finish(self) -> None:
        self.done.set()
        self.grew.set()  # wakes a streaming connection at once


class Server:
    """Serves one backend on a Unix socket until stopped, idle, or signalled.

    Connections are handled in threads; generations run one at a time on one worker thread
    (llama.cpp is not thread safe), fed by a bounded queue.
    """

    def __init__(
        self,
        backend: Backend,
        identity: Mapping[str, Any],
        paths: ServerPaths,
        *,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT_S,
        max_queue: int = MAX_QUEUE,
        announce: Callable[[str], None] | None = None,
    ) -> None:
        self.backend = backend
        self.identity = dict(identity)
        self.paths = paths
        self.idle_timeout = idle_timeout
        self._announce = announce or (lambda text: log.info("%s", text))
        self._queue: queue.Queue[_Job | None] = queue.Queue(maxsize=max_queue)
        self._state = threading.Lock()
        self._stop = threading.Event()
        self._stopping = False
        self._busy = False
        self._handlers: set[threading.Thread] = set()
        self._started = time.time()
        self._last_activity = time.monotonic()
        self._served = 0
        self._stop_reason = ""
        self._listener: socket.socket | None = None
        self._socket_inode: int | None = None
        # The safety gate, for clients running the same gate code (``assess``): computed
        # before the gate is loaded, so that the digest describes the code that runs.
        self.gate = gate_identity()
        self._gate_lock = threading.Lock()
        self._gate: SafetyValidator | None = None

    # -- lifecycle

    def bind(self) -> None:
        """Create the socket (mode 0600), replacing a stale one; the caller holds the lock."""
        path = self.paths.socket
        with contextlib.suppress(FileNotFoundError):
            # Only the lock holder reaches here, so a socket file left behind is stale.
            path.unlink()
            log.info("removed a stale socket %s", path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        previous = os.umask(0o177)  # the socket is born 0600: no window where others can connect
        try:
            listener.bind(str(path))
        finally:
            os.umask(previous)
        os.chmod(path, 0o600)
        listener.listen(MAX_CONNECTIONS)
        listener.settimeout(_POLL_S)
        self._listener = listener
        self._socket_inode = path.stat().st_ino

    def stop(self, reason: str = "asked to stop") -> None:
        """Ask the serving loop to shut down (thread and signal safe)."""
        if not self._stop.is_set():
            self._stop_reason = reason
        self._stop.set()

    def serve_forever(self) -> None:
        """Accept connections until stopped or idle, then shut down cleanly."""
        if self._listener is None:
            self.bind()
        listener = self._listener
        assert listener is not None
        worker = threading.Thread(target=self._work, name="cmdai-generate", daemon=True)
        worker.start()
        try:
            while not self._stop.is_set():
                if self._idle_for() > self.idle_timeout > 0:
                    self.stop(f"idle for {self.idle_timeout:g} s")
                    break
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    if self._stop.is_set():
                        break
                    raise
                self._dispatch(conn)
        finally:
            self._shutdown(worker)

    def _dispatch(self, conn: socket.socket) -> None:
        with self._state:
            self._handlers = {t for t in self._handlers if t.is_alive()}
            crowded = len(self._handlers) >= MAX_CONNECTIONS
            if not crowded:
                handler = threading.Thread(target=self._handle, args=(conn,), daemon=True)
                self._handlers.add(handler)
        if crowded:
            with conn, contextlib.suppress(OSError):
                conn.settimeout(1.0)
                conn.sendall(_encode(_busy_error(MAX_CONNECTIONS, "connections")))
            return
        handler.start()

    def _shutdown(self, worker: threading.Thread) -> None:
        with self._state:
            self._stopping = True
        if self._listener is not None:
            self._listener.close()
        self._remove_socket()
        # Queued requests will not run: tell their clients, who then generate in-process.
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job.response = _error("shutting_down", "the warm server is shutting down")
                job.finish()
        self._queue.put(None)
        worker.join(SHUTDOWN_GRACE_S)
        for handler in list(self._handlers):
            handler.join(2.0)
        self._announce(f"cmdai server stopped ({self._stop_reason or 'shut down'})")

    def _remove_socket(self) -> None:
        """Remove our socket file, unless another server has since replaced it."""
        path = self.paths.socket
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_ino == self._socket_inode:
                path.unlink()

    def _idle_for(self) -> float:
        with self._state:
            if self._busy or not self._queue.empty():
                return 0.0
            return time.monotonic() - self._last_activity

    # -- one connection

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(SILENCE_TIMEOUT_S)
                if not _peer_is_us(conn):
                    log.warning("refused a connection from another user")
                    return
                try:
                    message = _Reader(conn).message()
                except ValueError as exc:
                    conn.sendall(_encode(_error("bad_request", f"unreadable request: {exc}")))
                    return
                if message is None:
                    return
                response = self._respond(conn, message)
                if response is not None:
                    conn.sendall(_encode(response))
            except OSError as exc:  # the client went away; nothing to answer
                log.debug("connection ended: %s", exc)

    def _respond(self, conn: socket.socket, message: dict[str, Any]) -> dict[str, Any] | None:
        version = message.get("protocol")
        if version != PROTOCOL:
            return _error(
                "protocol",
                f"the warm server speaks protocol {PROTOCOL}; this client speaks {version!r}",
                "Restart the server with this cmdai: cmdai serve --stop; cmdai serve",
            )
        op = message.get("op")
        if op == "status":
            return self._ok(self.status())
        if op == "stop":
            self.stop("asked to stop by a client")
            return self._ok(self.status())
        if op == "generate":
            return self._generate(conn, message)
        if op == "assess":
            return self._assess(message)
        return _error("bad_request", f"unknown operation {op!r}")

    def _ok(self, result: Any) -> dict[str, Any]:
        return {"protocol": PROTOCOL, "ok": True, "result": result}

    def load_gate(self) -> SafetyValidator:
        """The safety gate, loaded on first use (the grammar's parser is shared: one at a time)."""
        with self._gate_lock:
            if self._gate is None:
                from cmdai.safety.gate import ShellValidator

                self._gate = ShellValidator()
            return self._gate

    def _assess(self, message: dict[str, Any]) -> dict[str, Any]:
        """The gate's verdict on a command, in this connection's thread (not queued)."""
        if message.get("gate") != self.gate:
            return _error("incompatible", "the warm server runs another version of the gate")
        command, mode, query = message.get("command"), message.get("mode"), message.get("query")
        if not isinstance(command, str) or not isinstance(query, str) or mode not in SAFETY_MODES:
            return _error("bad_request", "assess needs a command, a safety mode and a query")
        gate = self.load_gate()
        with self._gate_lock:
            report = gate.assess(command, mode, query)
        return self._ok({"safety": report.to_json()})

    def _generate(self, conn: socket.socket, message: dict[str, Any]) -> dict[str, Any] | None:
        theirs = message.get("identity")
        if theirs != self.identity:
            differences = _differences(theirs if isinstance(theirs, dict) else {}, self.identity)
            return _error("incompatible", f"the warm server runs {differences}")
        try:
            request = request_from_wire(message.get("request"))
            job = _Job(request, stream=bool(message.get("stream")))
        except ValueError as exc:
            return _error("bad_request", f"bad request: {exc}")
        with self._state:
            if self._stopping or self._stop.is_set():
                return _error("shutting_down", "the warm server is shutting down")
            try:
                self._queue.put_nowait(job)
            except queue.Full:
                return _busy_error(self._queue.maxsize, "queued requests")
            self._last_activity = time.monotonic()
        while not job.done.is_set():
            # A heartbeat each HEARTBEAT_S; while streaming, the answer so far whenever it grew.
            grew = job.grew.wait(HEARTBEAT_S) if job.stream else job.done.wait(HEARTBEAT_S)
            try:
                if grew and job.stream and not job.done.is_set():
                    job.grew.clear()
                    conn.sendall(_encode({"protocol": PROTOCOL, "partial": job.partial}))
                elif not grew:
                    conn.sendall(b"\n")
            except OSError:
                job.cancelled = True  # the client is gone (Ctrl-C): skip the job if not started
                return None
        return job.response

    # -- the generation worker

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            if job.cancelled:
                job.finish()
                continue
            with self._state:
                self._busy = True
            try:
                generation = (
                    self.backend.generate(job.request, job.on_text)
                    if job.stream
                    else self.backend.generate(job.request)
                )
                job.response = self._ok(
                    {
                        "generation": dataclasses.asdict(generation),
                        "model": self.backend.describe(),
                    }
                )
            except CmdaiError as exc:
                job.response = _error_from_exception(exc)
            except Exception as exc:  # one bad request never takes the server down
                log.exception("generation failed")
                job.response = _error(
                    "backend",
                    f"the warm server failed: {type(exc).__name__}: {exc}",
                    "See the server's log (cmdai serve --status names it).",
                    "BackendError",
                )
            finally:
                with self._state:
                    self._busy = False
                    self._served += 1
                    self._last_activity = time.monotonic()
                job.finish()

    def status(self) -> dict[str, Any]:
        """What ``cmdai serve --status`` shows (JSON-ready)."""
        with self._state:
            busy, served = self._busy, self._served
        return {
            "pid": os.getpid(),
            "protocol": PROTOCOL,
            "socket": str(self.paths.socket),
            "log": str(self.paths.log),
            "identity": self.identity,
            "model": self.backend.describe(),
            "started": self._started,
            "uptime_s": round(time.time() - self._started, 3),
            "idle_s": round(self._idle_for(), 3),
            "idle_timeout_s": self.idle_timeout,
            "served": served,
            "generating": busy,
            "queued": self._queue.qsize(),
            "helper": (self.paths.directory / HELPER_SOCKET).exists(),
        }


def _busy_error(limit: int, what: str) -> dict[str, Any]:
    return _error(
        "server_busy",
        f"the warm server is busy ({limit} {what} already)",
        "Try again in a moment, or generate in-process with --server off.",
        "ServerBusyError",
    )


# -- running a server in this process ----------------------------------------------------------


def run_server(
    make_backend: Callable[[], Backend],
    identity: Mapping[str, Any],
    *,
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT_S,
    announce: Callable[[str], None] | None = None,
) -> None:
    """Run a server in this process until it stops: lock, load the model, serve, clean up.

    The model is loaded before the socket appears, so a missing or broken model is an error
    here (and in ``cmdai serve``'s output), and clients never wait on a server that cannot
    answer. SIGTERM, SIGINT and SIGHUP stop it cleanly (socket removed).

    Raises:
        ServerRunningError: another server holds the lock.
        CmdaiError: the backend could not be built or loaded.
    """
    say = announce or (lambda text: log.info("%s", text))
    _check_servable(str(identity.get("backend")))
    paths = server_paths(create=True)
    with server_lock(paths):
        _trim_log(paths)
        backend = make_backend()
        load = getattr(backend, "load", None)
        if callable(load):
            started = time.perf_counter()
            load()
            say(f"cmdai server: model loaded in {time.perf_counter() - started:.1f} s")
        server = Server(backend, identity, paths, idle_timeout=idle_timeout, announce=say)
        server.load_gate()  # before the socket appears: a client's first verdict is quick
        previous = {
            sig: signal.signal(sig, _stopper(server))
            for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
        }
        helper = None
        try:
            server.bind()
            idle = f"{idle_timeout:g} s idle" if idle_timeout > 0 else "never idle"
            say(f"cmdai server: pid {os.getpid()} serving on {paths.socket} (stops after {idle})")
            helper = start_helper(paths)  # requests that skip importing cmdai
            server.serve_forever()
        finally:
            stop_helper(helper)
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def _stopper(server: Server) -> Callable[[int, FrameType | None], None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        server.stop(f"signal {signal.Signals(signum).name}")

    return handler


def _trim_log(paths: ServerPaths) -> None:
    """Start each server's log afresh (a background server writes to it in append mode)."""
    with contextlib.suppress(OSError):
        if paths.log.exists():
            os.truncate(paths.log, 0)

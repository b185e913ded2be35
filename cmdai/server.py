"""The warm server: one model kept loaded in a background process, reached over a Unix socket.

A one-shot ``cmdai`` spends most of its time importing llama.cpp and outlines and loading the
model. ``cmdai serve`` does that once; later ``cmdai`` processes send their generation requests
to it. The seam is the ``Backend`` protocol: the server process owns one real backend (built by
``create_backend``), and the client's ``ServerBackend`` implements the same protocol, so prompt
building, parsing, checks and the safety gate stay in the client's ``Engine``, on the same path
as a one-shot run. The client side of this module imports neither llama_cpp nor outlines.

Wire protocol (version ``PROTOCOL``): one request per connection over an AF_UNIX stream socket,
each message one line of JSON. The client sends ``{"protocol": 1, "op": ..., ...}``; the server
answers with blank lines as heartbeats while a request waits or runs (so a client can tell a
slow generation from a dead server), then one line ``{"protocol": 1, "ok": true, "result": ...}``
or ``{"protocol": 1, "ok": false, "error": {"type", "kind", "message", "hint"}}``.

Security: the socket lives in a private directory (``$XDG_RUNTIME_DIR/cmdai``, else
``/tmp/cmdai-UID``; mode 0700, owned by the user, checked before use) and is itself 0600; on
Linux both ends also check the peer's uid (``SO_PEERCRED``). Nothing listens on the network.

A server answers only clients whose model settings (backend, model and the model file's
sha256, n_ctx, threads, seed, cache dir) equal its own: a client with other settings, or whose
model file was replaced since the server loaded it, generates in-process, with a notice, rather
than silently using a different model.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import logging
import os
import queue
import signal
import socket
import stat
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from cmdai import errors
from cmdai.backends.base import Backend, Generation, GenerationRequest, Message
from cmdai.errors import BackendError, CmdaiError, ConfigError
from cmdai.settings import ResolvedSettings

log = logging.getLogger(__name__)

PROTOCOL = 1
"""Version of the wire protocol; a server and a client that differ do not talk."""

RUNTIME_DIR_ENV = "CMDAI_RUNTIME_DIR"
"""Overrides where the socket, lock and log live (tests; users whose runtime dir is odd)."""

DEFAULT_IDLE_TIMEOUT_S = 900.0
"""A server with no request for this long exits (15 minutes; 0 means never)."""

MAX_QUEUE = 8
"""Requests waiting behind the one being generated; one more is refused as busy."""

MAX_CONNECTIONS = 32
"""Connections handled at once (status calls included); more are refused as busy."""

CONNECT_TIMEOUT_S = 2.0
SILENCE_TIMEOUT_S = 15.0
"""A client gives up on a server that sends nothing, not even a heartbeat, for this long."""

HEARTBEAT_S = 1.0
START_TIMEOUT_S = 60.0
"""How long ``auto`` mode and ``cmdai serve`` wait for a new server to answer."""

SHUTDOWN_GRACE_S = 30.0
"""On shutdown, how long the generation in progress may take to finish and be answered."""

SERVABLE_BACKENDS = ("llamacpp", "fake")
"""Backends worth keeping warm: in-process ones (a remote backend has nothing to load)."""

_POLL_S = 0.25
_MAX_MESSAGE_BYTES = 8 * 1024 * 1024
# sockaddr_un.sun_path is 108 bytes on Linux (104 on the BSDs and macOS), NUL included.
_MAX_SOCKET_PATH = 103 if sys.platform == "darwin" or "bsd" in sys.platform else 107

NOT_RUNNING = "the warm server is not running"

# Error kinds after which a client generates in-process instead (the server cannot serve it).
_UNAVAILABLE_KINDS = frozenset({"protocol", "incompatible", "shutting_down"})


class ServerError(BackendError):
    """The warm server could not be used for a request."""

    kind = "server"


class ServerBusyError(ServerError):
    """The warm server's queue is full."""

    kind = "server_busy"


class ServerRunningError(CmdaiError):
    """A server is already running (or starting) for this user."""

    kind = "server_running"


class ServerUnavailable(Exception):
    """The server cannot answer this client (not running, gone, incompatible): go in-process.

    Internal to this module and the CLI's fallback; never shown as an error by itself.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- where the server lives --------------------------------------------------------------------


@dataclass(frozen=True)
class ServerPaths:
    """The files of one user's server: all inside one private directory."""

    directory: Path

    @property
    def socket(self) -> Path:
        """The Unix socket clients connect to (mode 0600)."""
        return self.directory / "server.sock"

    @property
    def lock(self) -> Path:
        """Held (``flock``) by the running server for its whole life; holds its pid."""
        return self.directory / "server.lock"

    @property
    def log(self) -> Path:
        """Output of a server started in the background."""
        return self.directory / "server.log"


def runtime_dir() -> Path:
    """Where the server's files live: ``CMDAI_RUNTIME_DIR``, else ``$XDG_RUNTIME_DIR/cmdai``.

    Without a usable ``XDG_RUNTIME_DIR`` (unset, or not a private directory of this user, as
    the XDG spec requires), ``cmdai-UID`` in the temporary directory.
    """
    override = os.environ.get(RUNTIME_DIR_ENV)
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and Path(xdg).is_absolute() and _private_problem(Path(xdg)) is None:
        return Path(xdg) / "cmdai"
    return Path(tempfile.gettempdir()) / f"cmdai-{os.getuid()}"


def server_paths(*, create: bool = False) -> ServerPaths:
    """The server's paths, after checking the directory is private (created when asked).

    Raises:
        ConfigError: the directory belongs to someone else, is a symlink or is open to others,
            or the socket path is too long for a Unix socket.
    """
    directory = runtime_dir()
    if create:
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"cannot create the server directory {directory}: {exc}",
                hint=f"Set {RUNTIME_DIR_ENV} to a directory of yours.",
            ) from exc
    if directory.exists() or directory.is_symlink():
        problem = _private_problem(directory)
        if problem is not None:
            raise ConfigError(
                f"the server directory {directory} is not private: {problem}",
                hint=f"Remove it (cmdai recreates it with mode 0700), or set {RUNTIME_DIR_ENV}.",
            )
    paths = ServerPaths(directory)
    if len(os.fsencode(paths.socket)) > _MAX_SOCKET_PATH:
        raise ConfigError(
            f"the socket path {paths.socket} is too long for a Unix socket",
            hint=f"Set {RUNTIME_DIR_ENV} to a shorter directory.",
        )
    return paths


def _private_problem(directory: Path) -> str | None:
    """Why ``directory`` is not a private directory of this user (None when it is)."""
    try:
        st = directory.lstat()
    except OSError as exc:
        return str(exc)
    if stat.S_ISLNK(st.st_mode):
        return "it is a symbolic link"
    if not stat.S_ISDIR(st.st_mode):
        return "it is not a directory"
    if st.st_uid != os.getuid():
        return f"it belongs to uid {st.st_uid}"
    if st.st_mode & 0o077:
        return f"its mode is {stat.S_IMODE(st.st_mode):o}, not 700"
    return None


# -- what a server serves ----------------------------------------------------------------------


def identity(resolved: ResolvedSettings) -> dict[str, Any]:
    """The settings that decide which model a backend runs, normalised for comparison.

    Client and server compute this from their own settings; a server answers only a client
    whose identity equals its own. Per-request knobs (temperature, max tokens, prompt, safety
    mode) travel with each request instead.
    """
    from cmdai.models import DEFAULT_MODEL_NAME, REGISTRY, parse_hub_ref

    settings = resolved.settings
    model = settings.model or DEFAULT_MODEL_NAME
    if model not in REGISTRY and parse_hub_ref(model) is None:
        model = str(Path(model).expanduser().resolve())
    cache_dir = resolved.cache_dir.expanduser().resolve()
    sha256, file = _model_file(model, cache_dir)
    return {
        "backend": settings.backend,
        "model": model,
        "sha256": sha256,
        "file": file,
        "n_ctx": settings.n_ctx,
        "n_threads": settings.threads(),
        "seed": settings.seed,
        "cache_dir": str(cache_dir),
    }


def _model_file(model: str, cache_dir: Path) -> tuple[str | None, str | None]:
    """The sha256 of the model's file when known without hashing, else its size and mtime.

    Either way a file replaced at the same path is another model. (None, None) when there is
    no such file (yet).
    """
    from cmdai import models

    try:
        located = models.locate(model, cache_dir)
    except errors.ModelError:
        return None, None
    sha256 = models.known_sha256(located)
    if sha256 is not None:
        return sha256, None
    try:
        st = located.path.stat()
    except OSError:
        return None, None
    return None, f"{st.st_size} bytes, mtime_ns {st.st_mtime_ns}"


def check_servable(resolved: ResolvedSettings) -> None:
    """Refuse to serve a backend that has nothing to keep warm.

    Raises:
        ConfigError: a remote backend.
    """
    _check_servable(resolved.settings.backend)


def _check_servable(backend: str) -> None:
    if backend not in SERVABLE_BACKENDS:
        raise ConfigError(
            f"the warm server keeps a local model loaded; the {backend} backend has none",
            hint="Serve a local model: cmdai serve --backend llamacpp.",
        )


def _differences(ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> str:
    keys = sorted(set(ours) | set(theirs))
    return ", ".join(
        f"{k} {theirs.get(k)!r} (this request: {ours.get(k)!r})"
        for k in keys
        if ours.get(k) != theirs.get(k)
    )


# -- wire format -------------------------------------------------------------------------------


def _encode(message: Mapping[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=True, separators=(",", ":")).encode() + b"\n"


class _Reader:
    """Reads newline-delimited JSON messages from a socket, skipping heartbeat blank lines."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buffer = b""

    def message(self) -> dict[str, Any] | None:
        """The next message; None at end of stream.

        Raises:
            ValueError: not a JSON object, or too long.
            OSError: the socket failed (``TimeoutError`` on silence).
        """
        while True:
            line, sep, rest = self._buffer.partition(b"\n")
            if sep:
                self._buffer = rest
                if not line.strip():
                    continue  # a heartbeat
                doc = json.loads(line)
                if not isinstance(doc, dict):
                    raise ValueError("a message must be a JSON object")
                return doc
            if len(self._buffer) > _MAX_MESSAGE_BYTES:
                raise ValueError("message too long")
            chunk = self._sock.recv(65536)
            if not chunk:
                return None
            self._buffer += chunk


def request_to_wire(request: GenerationRequest) -> dict[str, Any]:
    """A generation request as JSON-ready data."""
    return dataclasses.asdict(request)


def request_from_wire(data: Any) -> GenerationRequest:
    """Rebuild a request sent by a client, checking every field's type.

    Raises:
        ValueError: a missing or mistyped field.
    """
    if not isinstance(data, dict):
        raise ValueError("request must be an object")
    raw_messages = data.get("messages")
    if not isinstance(raw_messages, list) or not raw_messages:
        raise ValueError("messages must be a non-empty list")
    messages = []
    for item in raw_messages:
        if not (
            isinstance(item, dict)
            and item.get("role") in ("system", "user", "assistant")
            and isinstance(item.get("content"), str)
        ):
            raise ValueError("each message needs a role and a text content")
        messages.append(Message(item["role"], item["content"]))
    schema = data.get("json_schema")
    ints = {k: data.get(k) for k in ("max_tokens", "seed", "stable_prefix")}
    floats = {k: data.get(k) for k in ("temperature", "repeat_penalty")}
    if schema is not None and not isinstance(schema, str):
        raise ValueError("json_schema must be text or null")
    if any(type(v) is not int for v in ints.values()):
        raise ValueError("max_tokens, seed and stable_prefix must be integers")
    if any(type(v) not in (int, float) for v in floats.values()):
        raise ValueError("temperature and repeat_penalty must be numbers")
    prefill = data.get("prefill", "")
    stop = data.get("stop", [])
    if not isinstance(prefill, str):
        raise ValueError("prefill must be text")
    if not isinstance(stop, list) or not all(isinstance(x, str) and x for x in stop):
        raise ValueError("stop must be a list of non-empty strings")
    marker = data.get("decline_marker", "")
    threshold = data.get("decline_threshold", 0.5)
    if not isinstance(marker, str) or type(threshold) not in (int, float):
        raise ValueError("decline_marker must be text and decline_threshold a number")
    return GenerationRequest(
        messages=tuple(messages),
        json_schema=schema,
        max_tokens=int(ints["max_tokens"]),  # type: ignore[arg-type]
        temperature=float(floats["temperature"]),  # type: ignore[arg-type]
        seed=int(ints["seed"]),  # type: ignore[arg-type]
        stable_prefix=int(ints["stable_prefix"]),  # type: ignore[arg-type]
        repeat_penalty=float(floats["repeat_penalty"]),  # type: ignore[arg-type]
        prefill=prefill,
        stop=tuple(stop),
        decline_marker=marker,
        decline_threshold=float(threshold),
    )


def generation_from_wire(data: Any) -> Generation:
    """Rebuild a generation sent by the server.

    Raises:
        ValueError: a missing or mistyped field.
    """
    if not isinstance(data, dict):
        raise ValueError("generation must be an object")
    try:
        return Generation(
            text=str(data["text"]),
            prompt_tokens=int(data["prompt_tokens"]),
            completion_tokens=int(data["completion_tokens"]),
            load_s=float(data["load_s"]),
            generate_s=float(data["generate_s"]),
            constrained=bool(data["constrained"]),
            cached_tokens=int(data.get("cached_tokens", 0)),
            truncated=bool(data.get("truncated", False)),
            prefix=str(data.get("prefix", "")),
            stopped=bool(data.get("stopped", False)),
            decline_p=None if data.get("decline_p") is None else float(data["decline_p"]),
            token_logprobs=tuple(float(x) for x in data.get("token_logprobs", ())),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"bad generation: {exc}") from exc


def _error(
    kind: str, message: str, hint: str = "", type_name: str = "ServerError"
) -> dict[str, Any]:
    return {
        "protocol": PROTOCOL,
        "ok": False,
        "error": {"type": type_name, "kind": kind, "message": message, "hint": hint},
    }


def _error_from_exception(exc: CmdaiError) -> dict[str, Any]:
    return _error(exc.kind, exc.message, exc.hint, type(exc).__name__)


def _exception_from_error(error: Mapping[str, Any]) -> CmdaiError:
    """The client-side exception for a server's error (its class when cmdai knows it)."""
    message = str(error.get("message") or "the warm server failed")
    hint = str(error.get("hint") or "")
    kind = str(error.get("kind") or "server")
    if kind == "server_busy":
        return ServerBusyError(message, hint=hint)
    cls = getattr(errors, str(error.get("type")), None)
    if isinstance(cls, type) and issubclass(cls, CmdaiError) and cls is not errors.CmdaiError:
        with contextlib.suppress(TypeError):  # a class needing more than message and hint
            return cls(message, hint=hint)
    exc = ServerError(message, hint=hint)
    exc.kind = kind
    return exc


# -- the server --------------------------------------------------------------------------------


@dataclass
class _Job:
    request: GenerationRequest
    done: threading.Event = field(default_factory=threading.Event)
    cancelled: bool = False
    response: dict[str, Any] | None = None


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
                job.done.set()
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
        return _error("bad_request", f"unknown operation {op!r}")

    def _ok(self, result: Any) -> dict[str, Any]:
        return {"protocol": PROTOCOL, "ok": True, "result": result}

    def _generate(self, conn: socket.socket, message: dict[str, Any]) -> dict[str, Any] | None:
        theirs = message.get("identity")
        if theirs != self.identity:
            differences = _differences(theirs if isinstance(theirs, dict) else {}, self.identity)
            return _error("incompatible", f"the warm server runs {differences}")
        try:
            job = _Job(request_from_wire(message.get("request")))
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
        while not job.done.wait(HEARTBEAT_S):
            try:
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
                job.done.set()
                continue
            with self._state:
                self._busy = True
            try:
                generation = self.backend.generate(job.request)
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
                job.done.set()

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
        }


def _busy_error(limit: int, what: str) -> dict[str, Any]:
    return _error(
        "server_busy",
        f"the warm server is busy ({limit} {what} already)",
        "Try again in a moment, or generate in-process with --server off.",
        "ServerBusyError",
    )


def _peer_is_us(conn: socket.socket) -> bool:
    """True when the process at the other end runs as this user (Linux; elsewhere file modes)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:  # pragma: no cover - not Linux: the 0700 directory is the guard
        return True
    fmt = "3i"
    _pid, uid, _gid = struct.unpack(
        fmt, conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize(fmt))
    )
    return bool(uid == os.getuid())


@contextlib.contextmanager
def server_lock(paths: ServerPaths) -> Iterator[None]:
    """Hold the server lock: at most one server (starting or running) per directory.

    The lock file is never removed (removing a lock file races with the next locker); it
    holds the pid of the server that holds it.

    Raises:
        ServerRunningError: another process holds it.
    """
    fd = os.open(paths.lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = lock_holder(paths)
            raise ServerRunningError(
                f"a cmdai server is already running (pid {pid or 'unknown'}) in {paths.directory}",
                hint="See it with cmdai serve --status; stop it with cmdai serve --stop.",
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the flock


def lock_holder(paths: ServerPaths) -> int | None:
    """The pid written in the lock file, when that process is alive (it may not hold it)."""
    try:
        pid = int(paths.lock.read_text(encoding="ascii").strip() or 0)
    except (OSError, ValueError):
        return None
    if pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return pid


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
        previous = {
            sig: signal.signal(sig, _stopper(server))
            for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
        }
        try:
            server.bind()
            idle = f"{idle_timeout:g} s idle" if idle_timeout > 0 else "never idle"
            say(f"cmdai server: pid {os.getpid()} serving on {paths.socket} (stops after {idle})")
            server.serve_forever()
        finally:
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


# -- the client --------------------------------------------------------------------------------


def call(
    paths: ServerPaths,
    message: Mapping[str, Any],
    *,
    connect_timeout: float = CONNECT_TIMEOUT_S,
    silence_timeout: float = SILENCE_TIMEOUT_S,
) -> dict[str, Any]:
    """Send one request and return the server's answer (the whole document).

    Raises:
        ServerUnavailable: no server answers (not running, refused, gone mid-request, silent
            for ``silence_timeout`` seconds, or not speaking our protocol).
    """
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with sock:
        sock.settimeout(connect_timeout)
        try:
            sock.connect(str(paths.socket))
        except (FileNotFoundError, ConnectionRefusedError):
            raise ServerUnavailable(NOT_RUNNING) from None
        except OSError as exc:
            raise ServerUnavailable(f"the warm server cannot be reached ({exc})") from None
        if not _peer_is_us(sock):
            raise ServerUnavailable("the warm server belongs to another user")
        sock.settimeout(silence_timeout)
        try:
            sock.sendall(_encode({"protocol": PROTOCOL, **message}))
            answer = _Reader(sock).message()
        except TimeoutError:
            raise ServerUnavailable(
                f"the warm server sent nothing for {silence_timeout:g} s"
            ) from None
        except OSError as exc:
            raise ServerUnavailable(f"the warm server went away mid-request ({exc})") from None
        except ValueError as exc:
            raise ServerUnavailable(f"the warm server sent an unreadable answer ({exc})") from None
    if answer is None:
        raise ServerUnavailable("the warm server went away mid-request")
    if answer.get("protocol") != PROTOCOL:
        raise ServerUnavailable(
            f"the warm server speaks protocol {answer.get('protocol')!r} (this cmdai speaks "
            f"{PROTOCOL}); restart it: cmdai serve --stop; cmdai serve"
        )
    return answer


def server_status(paths: ServerPaths | None = None) -> dict[str, Any] | None:
    """The running server's status, or None when none answers."""
    paths = paths or server_paths()
    try:
        answer = call(paths, {"op": "status"}, silence_timeout=5.0)
    except ServerUnavailable:
        return None
    result = answer.get("result")
    return result if answer.get("ok") and isinstance(result, dict) else None


def stop_server(
    paths: ServerPaths | None = None, *, timeout: float = 40.0
) -> dict[str, Any] | None:
    """Stop the running server and wait until it has gone; its last status, or None if none.

    Raises:
        ServerError: it did not stop within ``timeout`` seconds.
    """
    paths = paths or server_paths()
    try:
        answer = call(paths, {"op": "stop"}, silence_timeout=5.0)
    except ServerUnavailable:
        return None
    result = answer.get("result") if answer.get("ok") else None
    result = result if isinstance(result, dict) else {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # The server removes its socket, then empties the lock file just before releasing it.
        if not paths.socket.exists() and lock_holder(paths) != result.get("pid"):
            return result
        time.sleep(0.05)
    raise ServerError(
        f"the server did not stop within {timeout:g} s",
        hint="Its pid is in cmdai serve --status; end it with kill PID.",
    )


def start_server(
    resolved: ResolvedSettings,
    *,
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT_S,
    timeout: float = START_TIMEOUT_S,
    starting: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Start a server in the background for these settings; return its status once it answers.

    The server runs ``python -m cmdai serve --foreground`` in its own session (no controlling
    terminal, stdin from /dev/null, output to the log file), so it outlives this process.

    Raises:
        ServerError: it exited or did not answer within ``timeout`` seconds (the message
            quotes the end of its log).
    """
    from cmdai.execute import spawn_detached

    check_servable(resolved)
    paths = server_paths(create=True)
    ident = identity(resolved)
    argv = [sys.executable, "-m", "cmdai", "serve", "--foreground"]
    argv += ["--backend", ident["backend"], "--model", ident["model"]]
    argv += ["--n-ctx", str(ident["n_ctx"]), "--threads", str(ident["n_threads"])]
    argv += ["--seed", str(ident["seed"]), "--idle-timeout", f"{idle_timeout:g}"]
    env = {
        **os.environ,
        "CMDAI_CACHE_DIR": ident["cache_dir"],
        RUNTIME_DIR_ENV: str(paths.directory),
    }
    try:
        child = spawn_detached(argv, log=paths.log, env=env)
    except CmdaiError as exc:
        raise ServerError(exc.message, hint=exc.hint) from exc
    if starting is not None:
        starting()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = server_status(paths)
        if status is not None:
            return status
        exit_status = child.poll()
        holder = lock_holder(paths)
        if exit_status is not None and (holder is None or holder == child.pid):
            # Ours ended and no other server is starting (a lost race ends ours harmlessly).
            raise ServerError(
                f"the server exited with status {exit_status}: {_log_tail(paths)}",
                hint=f"Its log: {paths.log}",
            )
        time.sleep(0.05)
    raise ServerError(
        f"the server did not answer within {timeout:g} s: {_log_tail(paths)}",
        hint=f"Its log: {paths.log}",
    )


def ensure_server(
    resolved: ResolvedSettings,
    *,
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT_S,
    starting: Callable[[], None] | None = None,
) -> tuple[dict[str, Any], bool]:
    """The running server's status, starting one first if none runs; and whether it started.

    Raises:
        ServerRunningError: a server runs with other model settings.
        ServerError: a new server did not start.
    """
    check_servable(resolved)
    status = server_status()
    if status is None:
        return start_server(resolved, idle_timeout=idle_timeout, starting=starting), True
    ours, theirs = identity(resolved), status.get("identity")
    if theirs != ours:
        raise ServerRunningError(
            f"a server is already running (pid {status.get('pid')}) with other settings: "
            + _differences(ours, theirs if isinstance(theirs, dict) else {}),
            hint="Stop it first: cmdai serve --stop.",
        )
    return status, False


def status_lines(status: Mapping[str, Any] | None) -> list[str]:
    """``cmdai serve --status`` as text: one ``key: value`` line each."""
    if status is None:
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
        ("log", status.get("log")),
    ]
    width = max(len(k) for k, _ in rows) + 1
    return [f"{k + ':':<{width}} {v}" for k, v in rows]


def _error_text(answer: Mapping[str, Any]) -> str:
    error = answer.get("error")
    if isinstance(error, dict):
        return str(error.get("message"))
    return "the warm server sent no status"


def _log_tail(paths: ServerPaths) -> str:
    try:
        lines = paths.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return "(no log)"
    errors_ = [line for line in lines if "error" in line.lower()]
    return (errors_ or lines or ["(empty log)"])[-1].strip()


class ServerBackend:
    """The ``Backend`` protocol, answered by the warm server.

    When the server cannot answer a request (it died, was stopped, or was replaced by an
    incompatible one) the request is generated in-process by the ``fallback`` backend, after a
    one-line warning; every later request then stays in-process.
    """

    name = "server"

    def __init__(
        self,
        paths: ServerPaths,
        identity: Mapping[str, Any],
        status: Mapping[str, Any],
        *,
        fallback: Callable[[], Backend],
        warn: Callable[[str], None],
    ) -> None:
        self.paths = paths
        self.identity = dict(identity)
        self.pid = status.get("pid")
        self._model: dict[str, Any] = dict(status.get("model") or {})
        self._make_fallback = fallback
        self._warn = warn
        self._fallback: Backend | None = None

    def generate(self, request: GenerationRequest) -> Generation:
        """Generate on the server; in-process if the server cannot answer."""
        if self._fallback is not None:
            return self._fallback.generate(request)
        message = {"op": "generate", "identity": self.identity, "request": request_to_wire(request)}
        started = time.perf_counter()
        try:
            answer = call(self.paths, message)
            if not answer.get("ok"):
                error = answer.get("error")
                error = error if isinstance(error, dict) else {}
                if error.get("kind") in _UNAVAILABLE_KINDS:
                    raise ServerUnavailable(str(error.get("message")))
                raise _exception_from_error(error)
            result = answer.get("result")
            if not isinstance(result, dict):
                raise ServerUnavailable("the warm server sent an answer without a result")
            try:
                generation = generation_from_wire(result.get("generation"))
            except ValueError as exc:
                raise ServerUnavailable(
                    f"the warm server sent an unreadable answer ({exc})"
                ) from None
        except ServerUnavailable as exc:
            self._warn(f"{exc.reason}; answering in-process")
            self._fallback = self._make_fallback()
            return self._fallback.generate(request)
        if isinstance(result.get("model"), dict):
            self._model = result["model"]
        log.debug(
            "warm server round trip %.3f s (generation %.3f s)",
            time.perf_counter() - started,
            generation.generate_s,
        )
        return generation

    def describe(self) -> dict[str, Any]:
        """The server's model (as its backend describes it) and which server answered."""
        if self._fallback is not None:
            return self._fallback.describe()
        return {**self._model, "server": {"pid": self.pid, "socket": str(self.paths.socket)}}


def connect(
    resolved: ResolvedSettings,
    *,
    fallback: Callable[[], Backend],
    warn: Callable[[str], None],
    prepare: Callable[[], None] | None = None,
    starting: Callable[[], None] | None = None,
) -> ServerBackend | None:
    """The warm server as a backend, per the ``server`` setting; None means generate in-process.

    ``off``: never. ``on``: the running server, when there is a compatible one. ``auto``: the
    same, starting one in the background first when none runs (``prepare`` runs before that,
    to find or download the model with the user's terminal). A server running other model
    settings is not used: the request is generated in-process, after a warning.

    Raises:
        ConfigError: the server directory is not private.
    """
    mode = resolved.settings.server
    if mode == "off" or resolved.settings.backend not in SERVABLE_BACKENDS:
        return None
    paths = server_paths()
    try:
        answer = call(paths, {"op": "status"}, silence_timeout=5.0)
    except ServerUnavailable as exc:
        if exc.reason != NOT_RUNNING:
            warn(f"{exc.reason}; answering in-process")
            return None
        status = None
    else:
        result = answer.get("result")
        status = result if answer.get("ok") and isinstance(result, dict) else None
        if status is None:
            warn(f"{_error_text(answer)}; answering in-process")
            return None
    if status is None and mode == "auto":
        if prepare is not None:
            prepare()
        try:
            status = start_server(resolved, starting=starting)
        except ServerError as exc:
            warn(f"could not start the warm server: {exc.message}; answering in-process")
            return None
    if status is None:
        log.info("no warm server is running; generating in-process")
        return None
    ours = identity(resolved)
    theirs = status.get("identity")
    if theirs != ours:
        differences = _differences(ours, theirs if isinstance(theirs, dict) else {})
        warn(f"the warm server runs {differences}; answering in-process")
        return None
    return ServerBackend(paths, ours, status, fallback=fallback, warn=warn)

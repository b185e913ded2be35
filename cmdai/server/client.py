"""The client: reaching the server, starting and stopping it, and ``ServerBackend``.

The client side imports neither llama_cpp nor outlines: a request that the server cannot
answer is generated in-process by a fallback backend that the caller builds.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

from cmdai.backends.base import Backend, Generation, GenerationRequest, TextCallback
from cmdai.errors import CmdaiError
from cmdai.safety.model import SafetyReport, SafetyValidator
from cmdai.server.paths import (
    RUNTIME_DIR_ENV,
    ServerPaths,
    _peer_is_us,
    lock_holder,
    server_paths,
)
from cmdai.server.protocol import (
    DEFAULT_IDLE_TIMEOUT_S,
    PROTOCOL,
    SILENCE_TIMEOUT_S,
    ServerError,
    ServerRunningError,
    _encode,
    _exception_from_error,
    _Reader,
    generation_from_wire,
    request_to_wire,
)
from cmdai.server.servable import (
    SERVABLE_BACKENDS,
    _differences,
    check_servable,
    gate_identity,
    identity,
)
from cmdai.settings import ResolvedSettings, SafetyMode

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 2.0
START_TIMEOUT_S = 60.0
"""How long ``auto`` mode and ``cmdai serve`` wait for a new server to answer."""

NOT_RUNNING = "the warm server is not running"

# Error kinds after which a client generates in-process instead (the server cannot serve it).
_UNAVAILABLE_KINDS = frozenset({"protocol", "incompatible", "shutting_down"})


class ServerUnavailable(Exception):
    """The server cannot answer this client (not running, gone, incompatible): go in-process.

    Internal to this module and the CLI's fallback; never shown as an error by itself.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def call(
    paths: ServerPaths,
    message: Mapping[str, Any],
    *,
    connect_timeout: float = CONNECT_TIMEOUT_S,
    silence_timeout: float = SILENCE_TIMEOUT_S,
    on_partial: TextCallback | None = None,
) -> dict[str, Any]:
    """Send one request and return the server's answer (the whole document).

    Messages with a ``partial`` answer (sent when the request asked to stream) go to
    ``on_partial`` on the way.

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
            reader = _Reader(sock)
            answer = reader.message()
            while answer is not None and "partial" in answer and "ok" not in answer:
                if on_partial is not None:
                    on_partial(str(answer["partial"]))
                answer = reader.message()
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


def spawn_server(
    resolved: ResolvedSettings, idle_timeout: float, paths: ServerPaths | None = None
) -> tuple[Any, ServerPaths]:
    """Start ``python -m cmdai serve --foreground`` for these settings, detached; do not wait.

    ``paths``: the runtime directory's files, when the caller has already resolved them.

    Raises:
        ConfigError: a backend with nothing to serve, or a runtime directory that is not private.
        ServerError: the process could not be started.
    """
    from cmdai.execute import spawn_detached

    check_servable(resolved)
    paths = paths or server_paths(create=True)
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
        return spawn_detached(argv, log=paths.log, env=env), paths
    except CmdaiError as exc:
        raise ServerError(exc.message, hint=exc.hint) from exc


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

    A server still measuring weight repacking when ``timeout`` passes (its first start on a
    llama.cpp build) is waited for as long as the probe may take.

    Raises:
        ServerError: it exited or did not answer within ``timeout`` seconds (the message
            quotes the end of its log).
    """
    paths = server_paths(create=True)
    logged = _log_size(paths)  # what earlier servers wrote
    child, paths = spawn_server(resolved, idle_timeout, paths)
    if starting is not None:
        starting()
    deadline = time.monotonic() + timeout
    extended = False
    while True:
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
        if time.monotonic() >= deadline:
            if extended or not _probing(paths, child, logged):
                break
            # A build's first start measures weight repacking in children before the model
            # loads: on a busy machine that outlasts the timeout with nothing wrong.
            from cmdai.repack import PROBE_ROUNDS, PROBE_TIMEOUT_S

            extended = True
            deadline = time.monotonic() + 2 * PROBE_ROUNDS * PROBE_TIMEOUT_S
        time.sleep(0.05)
    raise ServerError(
        f"the server did not answer within {timeout:g} s: {_log_tail(paths)}",
        hint=f"Its log: {paths.log}",
    )


def _log_size(paths: ServerPaths) -> int:
    try:
        return paths.log.stat().st_size
    except OSError:
        return 0


def _probing(paths: ServerPaths, child: Any, since: int) -> bool:
    """Whether the starting server measures weight repacking (its log past ``since`` says so)."""
    from cmdai.repack import PROBING

    if child.poll() is not None:
        return False
    try:
        with paths.log.open("rb") as log_file:
            log_file.seek(since)
            return PROBING.encode() in log_file.read()
    except OSError:
        return False


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


STARTING_WAIT_S = 45.0
"""How long a request waits for a server that is starting (its first start probes repacking)."""


def _started(paths: ServerPaths) -> dict[str, Any] | None:
    """The status of the server now starting once it answers; None if it stops or is late.

    A request that finds a server starting (it holds the lock while it probes and loads) waits
    for it instead of loading the model beside it: two llama.cpp processes on the same cores
    slow each other twenty-fold (a 1.3 s request took 28 s beside the probe on 2 cores).
    """
    deadline = time.monotonic() + STARTING_WAIT_S
    while time.monotonic() < deadline and lock_holder(paths) is not None:
        if (status := server_status(paths)) is not None:
            return status
        time.sleep(0.05)
    log.info("the starting server did not answer; generating in-process")
    return None


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

    def generate(
        self, request: GenerationRequest, on_text: TextCallback | None = None
    ) -> Generation:
        """Generate on the server (streamed to ``on_text``); in-process if it cannot answer."""
        if self._fallback is not None:
            return self._fallback.generate(request, on_text)
        message: dict[str, Any] = {
            "op": "generate",
            "identity": self.identity,
            "request": request_to_wire(request),
        }
        if on_text is not None:
            message["stream"] = True
        started = time.perf_counter()
        try:
            answer = call(self.paths, message, on_partial=on_text)
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
            return self._fallback.generate(request, on_text)
        if isinstance(result.get("model"), dict):
            self._model = result["model"]
        log.debug(
            "warm server round trip %.3f s (generation %.3f s)",
            time.perf_counter() - started,
            generation.generate_s,
        )
        return generation

    def gate(self) -> ServerGate:
        """The safety gate, run by this server when it runs the same gate code."""
        return ServerGate(self.paths)

    def describe(self) -> dict[str, Any]:
        """The server's model (as its backend describes it) and which server answered."""
        if self._fallback is not None:
            return self._fallback.describe()
        return {**self._model, "server": {"pid": self.pid, "socket": str(self.paths.socket)}}


class ServerGate:
    """The safety gate's verdicts from the warm server, when it runs the same gate code.

    Loading the gate (the bash grammar, the effects table, ~80 rule patterns to compile) is
    about a third of a warm request's client; the server has it loaded. It is asked only with
    this process's ``gate_identity``, which it answers only when equal to its own: the same
    files, the same environment, so the same verdict. Otherwise, or when the server is gone,
    the gate is loaded here and used from then on (nothing is shown: the verdict is the same).
    """

    def __init__(self, paths: ServerPaths) -> None:
        self.paths = paths
        self.code = gate_identity()
        self._local: SafetyValidator | None = None

    @property
    def remote(self) -> bool:
        """Whether the server still gives the verdicts (no fallback so far)."""
        return self._local is None

    def assess(self, command: str, mode: SafetyMode, query: str = "") -> SafetyReport:
        """The server's verdict on ``command``; the local gate's when the server cannot."""
        if self._local is None:
            message = {
                "op": "assess",
                "gate": self.code,
                "command": command,
                "mode": mode,
                "query": query,
            }
            try:
                answer = call(self.paths, message, silence_timeout=5.0)
                result = answer.get("result") if answer.get("ok") else None
                if isinstance(result, dict):
                    return SafetyReport.from_json(result.get("safety"))
                log.info("the warm server did not assess: %s", _error_text(answer))
            except (ServerUnavailable, ValueError) as exc:
                log.info("the warm server did not assess (%s)", exc)
            from cmdai.safety.gate import ShellValidator

            self._local = ShellValidator()
        return self._local.assess(command, mode, query)


def connect(
    resolved: ResolvedSettings,
    *,
    fallback: Callable[[], Backend],
    warn: Callable[[str], None],
    on_absent: Callable[[], None] | None = None,
) -> ServerBackend | None:
    """The warm server as a backend, per the ``server`` setting; None means generate in-process.

    ``off``: never. ``on`` and ``auto``: the running server, when there is a compatible one;
    with ``auto``, when none runs, ``on_absent`` is called (the CLI starts one once the request
    is over: ``cmdai.server.warm``). A server running other model settings is not used: the
    request is generated in-process, after a warning.

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
    if status is None and lock_holder(paths) is not None:
        status = _started(paths)
    if status is None and mode == "auto" and on_absent is not None:
        on_absent()
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

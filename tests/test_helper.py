"""The warm server's pre-imported helper: requests handed to it answer exactly as run here.

A real helper process (``python -m cmdai.server.helper``) and real ``cmdai`` processes, the
fake backend behind them; each request is run twice, handed off (``CMDAI_HELPER=require``:
fails if it is not) and here (``CMDAI_HELPER=off``), and the two must not differ.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cmdai.handoff import eligible, hand_off
from cmdai.server import helper
from cmdai.server.paths import ServerPaths
from cmdai.server.where import HELPER_ENV, HELPER_SOCKET


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--dry-run", "list files"], True),
        (["-n", "list files"], True),
        (["list", "files", "--json"], True),
        (["ask", "--json", "list files"], True),
        (["widget", "--", "list files"], True),
        (["list files"], False),  # asks before running: stays here
        (["ask", "list files"], False),
        (["--", "-n"], False),  # the request's own words, not the option
        (["check", "--json", "rm -rf /"], False),
        (["serve", "-n"], False),
        ([], False),
    ],
)
def test_only_requests_that_never_prompt_or_run_are_handed_off(
    args: list[str], expected: bool
) -> None:
    assert eligible(args) is expected


def test_nothing_is_handed_off_when_turned_off_or_without_a_helper(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CMDAI_SERVER", "auto")
    monkeypatch.setenv(HELPER_ENV, "off")
    assert hand_off(["--dry-run", "list files"]) is None
    monkeypatch.delenv(HELPER_ENV)
    assert hand_off(["--dry-run", "list files"]) is None  # no helper.sock: run here
    monkeypatch.setenv(HELPER_ENV, "require")
    assert hand_off(["list files"]) is None  # not eligible: never an error
    assert hand_off(["--dry-run", "list files"]) == 1
    assert "not handed to the warm server's helper" in capsys.readouterr().err
    monkeypatch.setenv("CMDAI_SERVER", "off")
    assert hand_off(["--dry-run", "list files"]) is None


def test_a_helper_of_another_cmdai_refuses() -> None:
    request = {"package": "/elsewhere/cmdai", "version": "0.0.1", "argv": [], "env": {}}
    assert "the helper runs cmdai" in (helper._refusal(request) or "")


@pytest.fixture
def running_helper(tmp_path: Path) -> Iterator[Path]:
    """A helper serving ``tmp_path/run`` for this test process (its 'server')."""
    directory = tmp_path / "run"
    directory.mkdir(mode=0o700)
    env = {**os.environ, HELPER_ENV: "on"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cmdai.server.helper", str(directory), str(os.getpid())],
        env=env,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not (directory / HELPER_SOCKET).exists():
            assert proc.poll() is None, "the helper exited"
            assert time.monotonic() < deadline, "the helper never listened"
            time.sleep(0.05)
        yield directory
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert not (directory / HELPER_SOCKET).exists()  # it removes its socket


def _env(directory: Path, mode: str, **extra: str) -> dict[str, str]:
    """A client's environment: this helper's directory, no server started (CI), fake model."""
    return {
        **os.environ,
        "CMDAI_RUNTIME_DIR": str(directory),
        "CMDAI_SERVER": "auto",
        "CI": "true",  # `server = "auto"` starts no server in CI
        HELPER_ENV: mode,
        "CMDAI_BACKEND": "fake",  # the shell key's widget takes no --backend
        **extra,
    }


def _slow_answer(tmp_path: Path) -> str:
    """A fake-backend script whose one answer takes 30 s: time to interrupt it."""
    script = tmp_path / "slow.json"
    slow = '{"kind": "command", "command": "ls", "explanation": "x"}'
    script.write_text(json.dumps([{"text": slow, "delay_s": 30}]))
    return str(script)


def _cmdai(
    directory: Path, mode: str, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cmdai", *args],
        env=_env(directory, mode, **env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("--dry-run", "--backend", "fake", "list the files"),
        ("--dry-run", "--backend", "fake", "delete everything"),  # blocked: exit status 3
        ("widget", "--", "count lines"),
        ("-n", "--backend", "fake", "-v", "show disk space"),
    ],
)
def test_a_handed_off_request_prints_and_exits_as_one_run_here(
    running_helper: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("a\nb\n", encoding="utf-8")
    os.chdir(work)
    handed = _cmdai(running_helper, "require", *args)
    here = _cmdai(running_helper, "off", *args)
    assert (handed.returncode, handed.stdout, handed.stderr) == (
        here.returncode,
        here.stdout,
        here.stderr,
    )
    assert handed.stdout or handed.stderr
    assert "Usage:" not in handed.stderr


def test_json_stdin_cwd_and_environment_reach_the_fork(
    running_helper: Path, tmp_path: Path
) -> None:
    work = tmp_path / "somewhere"
    work.mkdir()
    os.chdir(work)
    args = ("--json", "--backend", "fake")
    handed = _cmdai(running_helper, "require", *args, stdin="list files\n", NO_COLOR="1")
    here = _cmdai(running_helper, "off", *args, stdin="list files\n", NO_COLOR="1")
    assert handed.returncode == here.returncode == 0, handed.stderr
    a, b = json.loads(handed.stdout), json.loads(here.stdout)
    a.pop("timings"), b.pop("timings")
    assert a == b
    assert a["command"] == "ls -la"


def test_invalid_utf8_in_the_request_is_the_same_clear_error(running_helper: Path) -> None:
    bad = b"bad \xff".decode("utf-8", "surrogateescape")
    argv = [sys.executable, "-m", "cmdai", "--dry-run", "--backend", "fake", bad]
    results = [
        subprocess.run(
            argv, env=_env(running_helper, mode), capture_output=True, timeout=120, check=False
        )
        for mode in ("require", "off")
    ]
    assert results[0].returncode == results[1].returncode == 2
    assert results[0].stderr == results[1].stderr
    assert b"not valid UTF-8" in results[0].stderr


def test_ctrl_c_reaches_the_fork(running_helper: Path, tmp_path: Path) -> None:
    env = _env(running_helper, "require", CMDAI_FAKE_SCRIPT=_slow_answer(tmp_path))
    proc = subprocess.Popen(
        [sys.executable, "-m", "cmdai", "--dry-run", "--backend", "fake", "list files"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)  # handed off, and waiting on the (fake) model
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "interrupted" in err


def test_the_server_starts_and_stops_its_helper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "run"
    directory.mkdir(mode=0o700)
    monkeypatch.setenv(HELPER_ENV, "on")
    started = helper.start(ServerPaths(directory))
    assert started is not None
    deadline = time.monotonic() + 60
    while not (directory / HELPER_SOCKET).exists():
        assert started.poll() is None
        assert time.monotonic() < deadline
        time.sleep(0.05)
    helper.stop(started)
    assert started.poll() is not None
    assert not (directory / HELPER_SOCKET).exists()
    monkeypatch.setenv(HELPER_ENV, "off")
    assert helper.start(ServerPaths(directory)) is None


def test_the_shell_keys_esc_cancels_a_handed_off_request_on_its_terminal(
    running_helper: Path, tmp_path: Path
) -> None:
    """The fork has no terminal of its own: it reads Esc from the one its client passed it."""
    import pty
    import select

    env = _env(running_helper, "require", CMDAI_FAKE_SCRIPT=_slow_answer(tmp_path))
    argv = [sys.executable, "-m", "cmdai", "widget", "--", "list files"]
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes cmdai
        os.execve(sys.executable, argv, env)
    try:
        time.sleep(3)  # handed off, keys read raw, waiting on the (fake) model
        os.write(fd, b"\x1b")
        output = b""
        while select.select([fd], [], [], 20)[0]:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 130, output
    assert b"interrupted" in output

"""The warm server's pre-imported helper: requests handed to it answer exactly as run here.

A real helper process (``python -m cmdai.server.helper``) and real ``cmdai`` processes, the
fake backend behind them; each request is run twice, handed off (``CMDAI_HELPER=require``:
fails if it is not) and here (``CMDAI_HELPER=off``), and the two must not differ.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cmdai.errors import ExitStatus
from cmdai.handoff import eligible, hand_off
from cmdai.server import helper
from cmdai.server.paths import ServerPaths
from cmdai.server.where import HELPER_ENV, HELPER_SOCKET


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--dry-run", "list files"], True),
        (["list", "files", "--json"], True),
        (["widget", "--", "list files"], True),
        (["list files"], True),  # asks: the fork asks, and the client runs what it approves
        (["ask", "-y", "list files"], True),
        (["check", "--json", "rm -rf /"], False),
        (["fix", "cta notes.txt"], False),  # reruns the failed command: here
        (["serve", "-n"], False),
        ([], False),
    ],
)
def test_requests_are_handed_off_and_other_commands_stay_here(
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
    assert hand_off(["doctor"]) is None  # not eligible: never an error
    assert hand_off(["--dry-run", "list files"]) == 1
    assert "not handed to the warm server's helper" in capsys.readouterr().err
    monkeypatch.setenv("CMDAI_SERVER", "off")
    assert hand_off(["--dry-run", "list files"]) is None


def test_a_helper_of_another_cmdai_refuses() -> None:
    request = {"package": "/elsewhere/cmdai", "version": "0.0.1", "argv": [], "env": {}}
    assert "the helper runs cmdai" in (helper._refusal(request) or "")


def test_a_helper_whose_files_changed_since_it_started_refuses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cmdai.server.where import installation

    now = installation()
    request = {**now, "argv": [], "env": {}}
    monkeypatch.setattr(helper, "_LOADED", {**now, "code": "1"})  # imported before an edit
    assert "its files changed since" in (helper._refusal(request) or "")
    monkeypatch.setattr(helper, "_LOADED", now)
    assert helper._refusal(request) is None


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
    env = _env(running_helper, "require", CMDAI_FAKE_SCRIPT=_slow_answer(tmp_path))
    argv = [sys.executable, "-m", "cmdai", "widget", "--", "list files"]
    # After 3 s: handed off, keys read raw, waiting on the (fake) model.
    code, output = _on_a_terminal(argv, env, b"\x1b", after=3.0)
    assert code == 130, output
    assert b"interrupted" in output


def _answer(tmp_path: Path, command: str) -> str:
    """A fake-backend script whose one answer is ``command``."""
    script = tmp_path / "answer.json"
    text = json.dumps({"kind": "command", "command": command, "explanation": "x"})
    script.write_text(json.dumps([text]))
    return str(script)


def test_an_approved_command_runs_in_the_client_not_in_the_fork(
    running_helper: Path, tmp_path: Path
) -> None:
    """``--yes`` without a terminal runs an allow-level command: the client that asked runs it."""
    os.chdir(tmp_path)
    outputs = []
    for mode in ("require", "off"):
        env = _env(running_helper, mode, CMDAI_FAKE_SCRIPT=_answer(tmp_path, "echo ran by $PPID"))
        proc = subprocess.Popen(
            [sys.executable, "-m", "cmdai", "--yes", "--backend", "fake", "say hello"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        # The command (on stdout, which is not a terminal), then its output: bash's parent
        # is the client itself.
        assert out == f"echo ran by $PPID\nran by {proc.pid}\n"
        outputs.append((out.replace(str(proc.pid), "PID"), err))
    assert outputs[0] == outputs[1]


def test_the_commands_exit_status_comes_back_through_the_fork(
    running_helper: Path, tmp_path: Path
) -> None:
    os.chdir(tmp_path)
    script = _answer(tmp_path, "ls no-such-file")
    results = [
        _cmdai(running_helper, mode, "-y", "--backend", "fake", "x", CMDAI_FAKE_SCRIPT=script)
        for mode in ("require", "off")
    ]
    assert results[0].returncode == results[1].returncode == 2  # ls's own status
    assert results[0].stderr == results[1].stderr


def _on_a_terminal(
    argv: list[str], env: dict[str, str], keys: bytes, after: bytes | float = b"Run it?"
) -> tuple[int, bytes]:
    """Run ``argv`` on a new pseudo-terminal; type ``keys`` at the text ``after`` (or after
    that many seconds). Its exit status and everything it wrote."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes cmdai
        os.execve(sys.executable, argv, env)
    output = b""
    typed = False
    try:
        if isinstance(after, float):
            time.sleep(after)
            os.write(fd, keys)
            typed = True
        while select.select([fd], [], [], 30)[0]:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
            if not typed and isinstance(after, bytes) and after in output:
                os.write(fd, keys)
                typed = True
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), output


def test_a_question_on_the_terminal_is_asked_by_the_fork_and_answered_there(
    running_helper: Path, tmp_path: Path
) -> None:
    """On a terminal: the fork asks, the key typed reaches it, the client runs the command."""
    os.chdir(tmp_path)
    argv = [sys.executable, "-m", "cmdai", "--backend", "fake", "show where I am"]
    for keys, status, shown in ((b"y\n", 0, True), (b"n\n", ExitStatus.DECLINED, False)):
        env = _env(
            running_helper,
            "require",
            CMDAI_FAKE_SCRIPT=_answer(tmp_path, "test -t 0 && echo ran on the terminal"),
            CMDAI_HISTORY="0",
        )
        code, output = _on_a_terminal(argv, env, keys)
        assert code == status, output
        assert (b"\nran on the terminal\r\n" in output) is shown, output


class _Bash:
    """An interactive bash on a pseudo-terminal: what it wrote, and keys typed into it."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.output = b""

    def type(self, text: str, enter: bool = True) -> None:
        os.write(self.fd, text.encode() + (b"\n" if enter else b""))

    def until(self, text: bytes, timeout_s: float = 60) -> None:
        """Read until ``text`` has been written (fails after ``timeout_s``)."""
        deadline = time.monotonic() + timeout_s
        while text not in self.output:
            assert time.monotonic() < deadline, self.output
            if select.select([self.fd], [], [], 1)[0]:
                self.output += os.read(self.fd, 4096)


@contextlib.contextmanager
def _interactive_bash(env: dict[str, str]) -> Iterator[_Bash]:
    """Job control needs a shell: ``bash -i`` on a wide pseudo-terminal, killed on the way out."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes the shell
        os.execve("/bin/bash", ["bash", "--norc", "--noprofile", "-i"], env)
    _wide(fd)
    try:
        yield _Bash(fd)
    finally:
        with contextlib.suppress(ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)


def _wide(fd: int) -> None:
    """A terminal wide enough for a long line (bash scrolls a dumb terminal's line)."""
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 400, 0, 0))


def _state(pid: int) -> str:
    """A process's state letter from /proc (T: stopped)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2]


def _stops(pid: int, timeout: float = 5.0) -> str:
    """The state once it is T, or the last one read: a SIGSTOP takes effect when the target
    is next scheduled, which on a loaded machine can be after the shell printed "Stopped"."""
    deadline = time.monotonic() + timeout
    while (state := _state(pid)) != "T" and time.monotonic() < deadline:
        time.sleep(0.02)
    return state


def _children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    found: list[int] = []
    for task in tasks.iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def test_ctrl_z_stops_the_fork_with_its_client_and_only_fg_resumes_it(
    running_helper: Path, tmp_path: Path
) -> None:
    """A stopped client's fork must not go on reading the terminal the shell has taken back.

    Typed into an interactive bash on a pseudo-terminal (job control needs a shell).
    """
    import shlex

    os.chdir(tmp_path)
    env = _env(
        running_helper,
        "require",
        CMDAI_FAKE_SCRIPT=_answer(tmp_path, "echo hi"),
        CMDAI_HISTORY="0",
        PS1="$ ",
        TERM="dumb",
    )
    helper_pid = max(_children(os.getpid()))
    with _interactive_bash(env) as bash:
        bash.type(shlex.join([sys.executable, "-m", "cmdai", "--backend", "fake", "say hi"]))
        bash.until(b"Run it?")
        forks = _children(helper_pid)
        assert len(forks) == 1, bash.output
        bash.type("\x1a", enter=False)  # Ctrl-Z
        bash.until(b"Stopped")
        assert _stops(forks[0]) == "T"  # stopped with its client
        bash.type("bg")  # the client goes on in the background; the fork must not
        bash.until(b"&")
        time.sleep(1)
        assert _state(forks[0]) == "T"
        bash.type("fg")
        deadline = time.monotonic() + 10
        while _state(forks[0]) == "T":
            assert time.monotonic() < deadline, "the fork stayed stopped"
            time.sleep(0.05)
        bash.type("n")
        bash.until(b"not run")
        bash.type("echo status=$?; echo DO''NE")
        bash.until(b"DONE")  # the output, not the echo of what was typed
    assert f"status={int(ExitStatus.DECLINED)}".encode() in bash.output, bash.output
    assert b"not run" in bash.output


def test_a_request_started_in_the_background_is_not_handed_off(
    running_helper: Path, tmp_path: Path
) -> None:
    """A fork would read the terminal from the background: such a request runs in its client."""
    os.chdir(tmp_path)
    env = _env(running_helper, "require", PS1="$ ", TERM="dumb", CMDAI_HISTORY="0")
    with _interactive_bash(env) as bash:
        line = [sys.executable, "-m", "cmdai", "-n", "--backend", "fake", "list files"]
        bash.type(" ".join(line) + " & wait $!; echo status=$?; echo DO''NE")
        bash.until(b"DONE")  # the output, not the echo of what was typed
    output = bash.output
    assert b"\nstatus=1" in output, output  # require: refused, not run by a fork
    assert b"started in the" in output

"""The only module that starts processes: the chosen command, syntax checks, the warm server.

Lint enforces this (ruff TID251 bans ``subprocess`` and ``os.system`` elsewhere). Tests inject
``RecordingExecutor`` so a generated command never runs on the host during tests.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cmdai.errors import ExecutionError

# Shells whose syntax matches what the prompt asks for; anything else (fish, nu, ...) gets bash.
POSIX_SHELLS = ("bash", "zsh", "ksh", "dash", "sh")


def user_shell() -> str:
    """Absolute path of the shell cmdai checks and runs commands with: bash.

    Bash is the language the safety gate parses and the prompt asks the model for; running
    a checked command under the user's zsh, fish or dash would run something else than what
    was checked (globbing, expansions and quoting differ). Only where bash is missing does
    cmdai fall back to a POSIX-like $SHELL, then /bin/sh.
    """
    bash = shutil.which("bash")
    if bash:
        return bash
    shell = os.environ.get("SHELL", "")
    if shell and Path(shell).name in POSIX_SHELLS and os.access(shell, os.X_OK):
        return shell
    return shutil.which("sh") or "/bin/sh"


class Executor(Protocol):
    """Runs an approved command and reports its exit status."""

    def run(self, command: str) -> int:
        """Run ``command`` attached to the terminal; return its exit status (128+N on signal N)."""
        ...


@dataclass
class ShellExecutor:
    """Runs commands with bash (see ``user_shell``), inheriting stdin, stdout and stderr."""

    shell: str = field(default_factory=user_shell)

    def run(self, command: str) -> int:
        """Run with ``shell -c``; Ctrl-C reaches the child, and cmdai reports its status."""
        try:
            proc = subprocess.Popen([self.shell, "-c", command])  # noqa: S603 - the point of cmdai
        except OSError as exc:
            raise ExecutionError(
                f"cannot start {self.shell}: {exc}", hint="Set SHELL to a working shell."
            ) from exc
        # The child shares our terminal and process group, so Ctrl-C reaches it directly; we
        # ignore SIGINT meanwhile and report the child's own status (130 when interrupted).
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            status = proc.wait()
        finally:
            signal.signal(signal.SIGINT, previous)
        return 128 - status if status < 0 else status


@dataclass
class RecordingExecutor:
    """Records commands instead of running them (tests, and anything that must not execute)."""

    status: int = 0
    commands: list[str] = field(default_factory=list)

    def run(self, command: str) -> int:
        """Record the command; return the configured status."""
        self.commands.append(command)
        return self.status


def check_syntax(command: str, shell: str) -> str | None:
    """Parse ``command`` with ``shell -n`` (nothing runs); return the error text or None."""
    if Path(shell).name not in POSIX_SHELLS:  # pragma: no cover - user_shell() guarantees this
        shell = shutil.which("bash") or "/bin/sh"
    try:
        result = subprocess.run(  # noqa: S603 - -n only parses
            [shell, "-n", "-c", command],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"syntax check could not run: {exc}"
    if result.returncode == 0:
        return None
    message = result.stderr.strip().splitlines()
    return message[-1] if message else f"{Path(shell).name} -n exited {result.returncode}"


def help_text(program: Path, args: tuple[str, ...] = ("--help",)) -> str | None:
    """What ``program --help`` prints (stdout and stderr), in the C locale; None on failure.

    Only for utilities known to print their help and do nothing else
    (``cmdai.grounding.CHECKED``): it runs with no stdin, a 2 s timeout and no shell.
    """
    try:
        result = subprocess.run(  # noqa: S603 - a fixed list of GNU utilities' --help
            [str(program), *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=2,
            check=False,
            env={**os.environ, "LC_ALL": "C", "LANG": "C"},
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout + result.stderr


def run_python_child(module_args: list[str], timeout_s: float) -> tuple[int, str]:
    """``python -m MODULE ARGS`` in a child (a probe that may crash): exit status, stdout.

    A crash is an exit status (negative for a signal), never an exception here; a child that
    outlives ``timeout_s`` is killed and reported as status -9.
    """
    try:
        result = subprocess.run(  # noqa: S603 - this interpreter, a cmdai module
            [sys.executable, "-m", *module_args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return -9, ""
    except OSError as exc:
        return 127, str(exc)
    return result.returncode, result.stdout


@dataclass
class DetachedProcess:
    """A process started in its own session; it may outlive cmdai, which never waits for it."""

    pid: int
    _status: int | None = None

    def poll(self) -> int | None:
        """Its exit status once it has ended (reaping it), else None."""
        if self._status is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere: it has ended, status unknown
                self._status = -1
            else:
                if pid:
                    self._status = os.waitstatus_to_exitcode(status)
        return self._status


def spawn_detached(
    argv: Sequence[str], *, log: Path, env: Mapping[str, str] | None = None
) -> DetachedProcess:
    """Start ``argv`` detached from cmdai and its terminal (the warm server).

    It gets its own session (no controlling terminal: Ctrl-C and hang-ups aimed at ours never
    reach it), stdin from /dev/null, stdout and stderr appended to ``log`` (created 0600), no
    other inherited descriptor (so ``$(cmdai ...)`` never waits for it), and ``/`` as cwd.

    Raises:
        ExecutionError: it could not be started.
    """
    try:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise ExecutionError(f"cannot open {log}: {exc}") from exc
    try:
        proc = subprocess.Popen(  # noqa: S603 - argv is cmdai itself, built by cmdai.server
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=fd,
            stderr=fd,
            cwd="/",
            env=None if env is None else dict(env),
            close_fds=True,
            start_new_session=True,
        )
    except OSError as exc:
        raise ExecutionError(f"cannot start {argv[0]}: {exc}") from exc
    finally:
        os.close(fd)
    # Watched by pid from here on (DetachedProcess.poll); mark the Popen object finished, or
    # it would warn when collected that its child still runs, which is the point.
    proc.returncode = 0
    return DetachedProcess(proc.pid)


def rerun_capturing_stderr(command: str, shell: str, timeout_s: float = 60.0) -> tuple[int, str]:
    """Run ``command`` again for ``cmdai fix --rerun``: its exit status and its error output.

    stdout stays on the terminal; stderr is captured (and returned, to be shown and sent to
    the model); stdin is /dev/null, so a command waiting for input ends instead of hanging.

    Raises:
        ExecutionError: the shell could not be started, or the command ran past ``timeout_s``.
    """
    try:
        result = subprocess.run(  # noqa: S603 - the user confirmed this re-run
            [shell, "-c", command],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ExecutionError(
            f"the command ran past {timeout_s:.0f} s and was stopped",
            hint="Fix it without --rerun: cmdai fix.",
        ) from exc
    except OSError as exc:
        raise ExecutionError(f"cannot start {shell}: {exc}") from exc
    status = result.returncode
    return (128 - status if status < 0 else status), result.stderr

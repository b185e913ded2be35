"""Hand a request to the warm server's pre-imported helper instead of importing cmdai here.

A warm request spends about 0.15 s of its client side importing cmdai (click, the engine, the
checks and their grammar), more than a short answer takes to arrive. A warm server keeps a
helper process with all of that imported (``cmdai.server.helper``). This module, which
imports only the standard library, sends the helper this process's arguments, environment,
working directory and standard streams (the descriptors themselves, over the Unix socket); a
fork of the helper runs the same command line on them, and this process forwards signals to
it and exits with its status. When the hand off fails before the fork (no helper, another
cmdai, a closed stream), the request runs here as it always did.

The fork asks and answers on the streams it was given, but a command it approves is run HERE:
the fork is not in the terminal's foreground process group, so a command it started could not
own the terminal (read it, take Ctrl-C or Ctrl-Z). It sends the command back, this process runs
it with ``cmdai.execute`` and returns its exit status. Ctrl-Z stops the fork with this process,
and only ``fg`` continues it (a fork must never read the terminal from the background); a
request started in the background is not handed off.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

_ELSEWHERE = frozenset(
    "cache check config doctor explain fix history init model serve".split()  # noqa: SIM905
)
"""Sub-commands that stay here (they are quick already, or rerun commands, or start servers)."""

_CONNECT_TIMEOUT_S = 5.0
"""How long the helper may take to accept and fork (it answers in milliseconds)."""


class NotHandedOff(Exception):
    """The request could not be handed to the helper (nothing ran there)."""


def eligible(args: list[str]) -> bool:
    """Whether ``args`` (after the program name) is a request the helper can answer."""
    return bool(args) and args[0] not in _ELSEWHERE


def hand_off(args: list[str]) -> int | None:
    """Run ``args`` in the warm server's helper: its exit status, or None to run it here.

    ``CMDAI_HELPER=off`` (or ``CMDAI_SERVER=off``) keeps every request here;
    ``CMDAI_HELPER=require`` makes a request that could be handed off fail when it is not.
    """
    from cmdai.server.where import HELPER_ENV

    mode = os.environ.get(HELPER_ENV, "").strip().lower()
    server = os.environ.get("CMDAI_SERVER", "").strip().lower()
    if mode == "off" or server == "off" or not eligible(args):
        return None
    try:
        return _hand_off(args)
    except NotHandedOff as exc:
        if mode != "require":
            return None
        sys.stderr.write(f"cmdai: error: not handed to the warm server's helper: {exc}\n")
        return 1


def _hand_off(args: list[str]) -> int:
    import json
    import socket

    from cmdai.server.where import HELPER_SOCKET, installation, private_problem, runtime_dir

    directory = runtime_dir()
    if (problem := private_problem(directory)) is not None:
        raise NotHandedOff(f"{directory}: {problem}")
    streams = (sys.stdin, sys.stdout, sys.stderr)
    if any(s is None or not hasattr(s, "encoding") for s in streams):
        raise NotHandedOff("a standard stream is closed")
    if not _in_foreground():  # started with &: here, the terminal stops a reader (SIGTTIN)
        raise NotHandedOff("started in the background")
    try:
        cwd = os.getcwd()
    except OSError as exc:  # the working directory was removed
        raise NotHandedOff(f"no working directory: {exc}") from exc
    request = {
        **installation(),
        "argv": [sys.argv[0], *args],
        "cwd": cwd,
        "env": dict(os.environ),
        "stdio": [[s.encoding, s.errors, s.line_buffering] for s in streams],
    }
    fds = [0, 1, 2]
    tty = _terminal() if args[0] == "widget" else None
    if tty is not None:
        fds.append(tty)
    payload = json.dumps(request).encode("ascii")  # lone surrogates escaped, not encoded
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(_CONNECT_TIMEOUT_S)
        try:
            sock.connect(str(directory / HELPER_SOCKET))
            socket.send_fds(sock, [len(payload).to_bytes(4, "big")], fds)
            sock.sendall(payload)
            answers = sock.makefile("rb")
            first = json.loads(answers.readline() or b"{}")
        except (OSError, ValueError) as exc:
            raise NotHandedOff(str(exc)) from exc
        finally:
            if tty is not None:
                os.close(tty)
        if "pid" not in first:
            raise NotHandedOff(str(first.get("refused") or "the helper did not answer"))
        pid = int(first["pid"])

        def forward(signum: int, _frame: object) -> None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

        def suspend(_signum: int, _frame: object) -> None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
            signal.signal(signal.SIGTSTP, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTSTP)  # stopped here until the shell's fg or bg
            signal.signal(signal.SIGTSTP, suspend)

        def resume(_signum: int, _frame: object) -> None:
            # fg: the fork goes on; bg: it stays stopped (it would read the terminal from
            # the background) until the shell's fg gives this process the terminal, which
            # sends no signal to a job already running.
            if _in_foreground():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)
            else:
                _continue_in_foreground(pid)

        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
            signal.signal(sig, forward)
        signal.signal(signal.SIGWINCH, forward)  # the fork's line editor redraws
        signal.signal(signal.SIGTSTP, suspend)
        signal.signal(signal.SIGCONT, resume)
        sock.settimeout(None)  # the request runs as long as it runs (a slow model, a prompt)
        last: dict[str, object] = {}
        try:
            while True:
                message = json.loads(answers.readline() or b"{}")
                if "run" not in message:
                    last = message
                    break
                reply = _run_here(str(message["run"]), str(message["shell"]))
                sock.sendall(json.dumps(reply).encode("ascii") + b"\n")
        except (OSError, ValueError):
            pass
    finally:
        sock.close()
    status = last.get("exit")
    if not isinstance(status, int):
        sys.stderr.write("cmdai: error: the warm server's helper stopped before answering\n")
        return 1
    return status


def _run_here(command: str, shell: str) -> dict[str, object]:
    """Run a command the fork approved, in this process's place on the terminal."""
    from cmdai.errors import ExecutionError
    from cmdai.execute import ShellExecutor

    try:
        return {"status": ShellExecutor(shell).run(command)}
    except ExecutionError as exc:
        return {"error": exc.message, "hint": exc.hint}


def _continue_in_foreground(pid: int) -> None:
    """Continue the fork ``pid`` once this process's group has the terminal again."""
    import threading
    import time

    def watch() -> None:
        while not _in_foreground():
            time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)

    threading.Thread(target=watch, name="cmdai-foreground", daemon=True).start()


def _in_foreground() -> bool:
    """Whether this process's group owns its terminal (True without a terminal)."""
    for fd in (0, 1, 2):
        try:
            return os.tcgetpgrp(fd) == os.getpgrp()
        except OSError:  # not a terminal
            continue
    return True


def _terminal() -> int | None:
    """This process's terminal, opened for the helper's fork (the shell key reads its keys)."""
    try:
        return os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError:
        return None

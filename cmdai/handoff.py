"""Hand a request to the warm server's pre-imported helper instead of importing cmdai here.

A warm request spends about 0.15 s of its client side importing cmdai (click, the engine, the
checks and their grammar), more than a short answer takes to arrive. A warm server keeps a
helper process with all of that imported (``cmdai.server.helper``). For the requests that
never prompt or run anything (``--dry-run``, ``--json``, and ``widget``, what the shell key
runs), this module, which imports only the standard library, sends the helper this process's
arguments, environment, working directory and standard streams (the descriptors themselves,
over the Unix socket); a fork of the helper runs the same command line on them, and this
process forwards signals to it and exits with its status. For anything else, or when the hand
off fails before the fork (no helper, another cmdai, a closed stream), the request runs here
as it always did.

A request that prompts or runs a command stays here: the helper's fork is not in the
terminal's foreground process group, so a command it ran could not own the terminal.
"""

from __future__ import annotations

import contextlib
import os
import sys

_ELSEWHERE = frozenset(
    "cache check config doctor explain fix history init model serve".split()  # noqa: SIM905
)
"""Sub-commands that stay here (they are quick already, or prompt, or start servers)."""

_NEVER_RUNS = frozenset({"-n", "--dry-run", "--json"})
"""Options of a request after which cmdai never prompts or runs anything."""

_CONNECT_TIMEOUT_S = 5.0
"""How long the helper may take to accept and fork (it answers in milliseconds)."""


class NotHandedOff(Exception):
    """The request could not be handed to the helper (nothing ran there)."""


def eligible(args: list[str]) -> bool:
    """Whether ``args`` (after the program name) is a request that never prompts or runs."""
    if not args or args[0] in _ELSEWHERE:
        return False
    if args[0] == "widget":
        return True
    options = args[: args.index("--")] if "--" in args else args
    return not _NEVER_RUNS.isdisjoint(options)


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
    import signal
    import socket

    from cmdai.server.where import HELPER_SOCKET, installation, private_problem, runtime_dir

    directory = runtime_dir()
    if (problem := private_problem(directory)) is not None:
        raise NotHandedOff(f"{directory}: {problem}")
    streams = (sys.stdin, sys.stdout, sys.stderr)
    if any(s is None or not hasattr(s, "encoding") for s in streams):
        raise NotHandedOff("a standard stream is closed")
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

        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
            signal.signal(sig, forward)
        sock.settimeout(None)  # the request runs as long as it runs (a slow model, a prompt)
        try:
            last = json.loads(answers.readline() or b"{}")
        except (OSError, ValueError):
            last = {}
    finally:
        sock.close()
    if "exit" not in last:
        sys.stderr.write("cmdai: error: the warm server's helper stopped before answering\n")
        return 1
    return int(last["exit"])


def _terminal() -> int | None:
    """This process's terminal, opened for the helper's fork (the shell key reads its keys)."""
    try:
        return os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError:
        return None

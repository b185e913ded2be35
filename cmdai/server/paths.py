"""Where the server lives: its private runtime directory, its files, the lock, the peer check.

Security: the socket lives in a private directory (``$XDG_RUNTIME_DIR/cmdai``, else
``/tmp/cmdai-UID``; mode 0700, owned by the user, checked before use) and is itself 0600; on
Linux both ends also check the peer's uid (``SO_PEERCRED``). Nothing listens on the network.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cmdai.errors import ConfigError
from cmdai.server.protocol import ServerRunningError
from cmdai.server.where import RUNTIME_DIR_ENV as RUNTIME_DIR_ENV
from cmdai.server.where import private_problem as _private_problem
from cmdai.server.where import runtime_dir as runtime_dir

# sockaddr_un.sun_path is 108 bytes on Linux (104 on the BSDs and macOS), NUL included.
_MAX_SOCKET_PATH = 103 if sys.platform == "darwin" or "bsd" in sys.platform else 107


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


# -- who may connect; one server at a time -----------------------------------------------------


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

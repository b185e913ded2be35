"""Run a shell command inside a bubblewrap sandbox, never on the host.

cmdai's rehearsal of drafts (``cmdai.rehearse``) and the eval's execution judge run commands
here. Each run sees the host's ``/usr`` and ``/etc`` read-only and nothing else of it (no
``/home``, ``/root``, ``/run`` and its sockets, no repository); fresh ``/dev`` and ``/proc``;
small private ``/tmp`` and ``/var/tmp``; one writable directory (a throwaway copy of a fixture
or of the working directory, mounted at ``/tmp/work``);
a read-only root; no network and no other shared namespaces (``--unshare-all``); an
ordinary user inside (uid and gid 1000, whoever runs the eval); no capabilities; a cleared
environment (``TZ=UTC``, ``C.UTF-8``); umask 022; stdin from ``/dev/null``; core dumps off,
address space and file size limited; capped output; and a hard timeout that kills the whole
sandbox (bwrap puts the command in its own PID namespace; killing bwrap kills everything in
it). The execution judge and ``python -m evals.data check`` both run here, so a reference
verified by the check ran in the environment the judge gives it, and so does a rehearsed
draft: what agreed there is what the judge would compare.

Not contained: CPU and process count (a fork bomb lives until the timeout; RLIMIT_NPROC does
not bind root), and reads of ``/etc``.

There is deliberately no fallback: if bwrap is missing or cannot create namespaces here,
constructing ``Sandbox`` raises ``SandboxUnavailable`` and nothing runs.

Besides ``cmdai/execute.py``, the only module of ``cmdai`` that starts processes (ruff TID251
exemption in pyproject.toml): every process it starts is bwrap.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from cmdai.errors import CmdaiError

SANDBOX_WORKDIR = "/tmp/work"  # noqa: S108 - a path inside the sandbox's own private tmpfs
"""Where the writable directory appears inside the sandbox (also its ``$HOME`` and cwd)."""

SANDBOX_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

SANDBOX_UID = 1000
SANDBOX_GID = 1000
"""The ordinary user and group commands run as, whoever runs the eval (as on a desktop): as
root, tar (for one) would restore the owners recorded in an archive, so commands would behave
differently on a host that runs the eval as root."""

SANDBOX_UMASK = 0o022
"""Fixed, so the modes of new files do not depend on the umask of whoever runs the eval."""

DEFAULT_OUTPUT_CAP = 1 << 20
"""Bytes kept of each of stdout and stderr; a command that writes more is stopped."""

DEFAULT_MEMORY_LIMIT = 4 << 30
"""RLIMIT_AS for the sandbox (bytes of address space per process)."""

DEFAULT_FILE_SIZE_LIMIT = 1 << 30
"""RLIMIT_FSIZE: no file written in the sandbox grows past this."""

DEFAULT_TMPFS_SIZE = 64 << 20
"""Size of the sandbox's private ``/tmp`` (memory-backed)."""

_INSTALL_HINT = (
    "Install bubblewrap (apt-get install bubblewrap; dnf install bubblewrap) and run where "
    "user namespaces are allowed; commands are never rehearsed or judged outside the sandbox."
)


class SandboxUnavailable(CmdaiError):
    """bubblewrap is missing or cannot build a sandbox on this machine."""


@dataclass(frozen=True)
class SandboxResult:
    """What one sandboxed run did.

    Attributes:
        stdout: Standard output, decoded as UTF-8 with replacement, at most the cap.
        stderr: Standard error, likewise.
        exit_code: The command's exit status (128+N when killed by signal N; -1 when we
            killed it for the timeout or for too much output).
        timed_out: True when the hard timeout stopped it.
        duration_s: Wall-clock seconds from start to exit.
        truncated: True when stdout or stderr passed the cap (the run was then stopped).
    """

    stdout: str
    stderr: str
    exit_code: int
    timed_out: bool
    duration_s: float
    truncated: bool = False


class Sandbox:
    """Runs ``bash -c COMMAND`` in bubblewrap with one writable directory.

    Args:
        bwrap: Path or name of the bubblewrap binary.
        shell: The shell inside the sandbox (read from the host's read-only root).
        output_cap: Bytes kept of each output stream.
        memory_limit: RLIMIT_AS in bytes (0 for none).
        file_size_limit: RLIMIT_FSIZE in bytes (0 for none).
        tmpfs_size: Size in bytes of the private ``/tmp``.

    Raises:
        SandboxUnavailable: bwrap is not installed or a trial sandbox fails.
    """

    def __init__(
        self,
        bwrap: str = "bwrap",
        shell: str = "/bin/bash",
        *,
        output_cap: int = DEFAULT_OUTPUT_CAP,
        memory_limit: int = DEFAULT_MEMORY_LIMIT,
        file_size_limit: int = DEFAULT_FILE_SIZE_LIMIT,
        tmpfs_size: int = DEFAULT_TMPFS_SIZE,
    ) -> None:
        found = shutil.which(bwrap)
        if found is None:
            raise SandboxUnavailable(f"bubblewrap ({bwrap}) is not installed", hint=_INSTALL_HINT)
        self.bwrap = found
        self.shell = shell
        self.output_cap = output_cap
        self.memory_limit = memory_limit
        self.file_size_limit = file_size_limit
        self.tmpfs_size = tmpfs_size
        self._running: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self._self_test()

    def stop_all(self) -> None:
        """Kill every sandbox this object is running (from any thread): Ctrl-C waits for none."""
        with self._lock:
            for proc in self._running:
                _kill_group(proc)

    def argv(self, command: str, workdir: Path) -> list[str]:
        """The full bwrap command line that runs ``command`` with ``workdir`` writable."""
        return [
            self.bwrap,
            *_system_mounts(),
            "--dev", "/dev",
            "--proc", "/proc",
            "--size", str(self.tmpfs_size), "--tmpfs", "/tmp",  # noqa: S108 - private tmpfs
            "--size", str(self.tmpfs_size), "--tmpfs", "/var/tmp",  # noqa: S108 - likewise
            "--bind", str(workdir.resolve()), SANDBOX_WORKDIR,
            "--chdir", SANDBOX_WORKDIR,
            "--remount-ro", "/",
            "--unshare-all",
            "--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_GID),
            "--die-with-parent",
            "--new-session",
            "--cap-drop", "ALL",
            "--clearenv",
            "--setenv", "PATH", SANDBOX_PATH,
            "--setenv", "HOME", SANDBOX_WORKDIR,
            "--setenv", "LANG", "C.UTF-8",
            "--setenv", "LC_ALL", "C.UTF-8",
            "--setenv", "TZ", "UTC",
            "--setenv", "SHELL", self.shell,
            "--",
            # Limits set by the shell itself, then the command runs in a fresh one (no
            # preexec_fn, so runs may start from several threads).
            self.shell, "--noprofile", "--norc", "-c", self._limits_script(),
            self.shell, command,
        ]  # fmt: skip

    def run(self, command: str, workdir: Path, timeout_s: float = 5.0) -> SandboxResult:
        """Run ``command`` in the sandbox with ``workdir`` as its only writable directory.

        Stdin is ``/dev/null``. When the timeout passes, or either output stream passes the
        cap, the whole sandbox is killed.
        """
        if not workdir.is_dir():
            raise ValueError(f"sandbox workdir {workdir} is not a directory")
        start = time.monotonic()
        proc = subprocess.Popen(  # fixed argv; the command itself runs inside bwrap only
            self.argv(command, workdir),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            close_fds=True,
        )
        with self._lock:
            self._running.add(proc)
        assert proc.stdout is not None
        assert proc.stderr is not None
        out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
        buffers = {out_fd: bytearray(), err_fd: bytearray()}
        try:
            timed_out, truncated = self._collect(proc, buffers, start + timeout_s)
            killed = timed_out or truncated
            if killed:
                _kill_group(proc)
            status = proc.wait()
        except BaseException:  # Ctrl-C or a bug here: never leave a sandbox running
            _kill_group(proc)
            proc.wait()
            raise
        finally:
            with self._lock:
                self._running.discard(proc)
            proc.stdout.close()
            proc.stderr.close()
        duration = time.monotonic() - start
        exit_code = -1 if killed else (128 - status if status < 0 else status)
        return SandboxResult(
            stdout=_decode(buffers[out_fd]),
            stderr=_decode(buffers[err_fd]),
            exit_code=exit_code,
            timed_out=timed_out,
            duration_s=duration,
            truncated=truncated,
        )

    def _collect(
        self, proc: subprocess.Popen[bytes], buffers: dict[int, bytearray], deadline: float
    ) -> tuple[bool, bool]:
        """Read both streams into ``buffers`` until EOF, the deadline or the cap.

        Returns:
            (timed out, truncated).
        """
        assert proc.stdout is not None
        assert proc.stderr is not None
        truncated = False
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stdout, selectors.EVENT_READ)
            selector.register(proc.stderr, selectors.EVENT_READ)
            while selector.get_map():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return True, truncated
                for key, _ in selector.select(remaining):
                    chunk = os.read(key.fd, 65536)
                    if not chunk:
                        selector.unregister(key.fileobj)
                        continue
                    buffer = buffers[key.fd]
                    room = self.output_cap - len(buffer)
                    buffer.extend(chunk[:room])
                    truncated = truncated or len(chunk) > room
                if truncated:
                    return False, True
        try:  # both streams closed: the command is done or about to be
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return True, truncated
        return False, truncated

    def _limits_script(self) -> str:
        """Bash that sets the resource limits and umask, then runs ``$1`` with ``$0 -c``."""
        limits = ["-c 0"]
        if self.memory_limit:
            limits.append(f"-v {self.memory_limit // 1024}")  # KiB
        if self.file_size_limit:
            limits.append(f"-f {self.file_size_limit // 1024}")  # KiB outside POSIX mode
        setup = f"ulimit {' '.join(limits)} && umask {SANDBOX_UMASK:03o}"
        return f'{setup} && exec "$0" --noprofile --norc -c "$1"'

    def _self_test(self) -> None:
        """Build one trial sandbox; raise SandboxUnavailable with bwrap's own words if it fails."""
        import tempfile

        with tempfile.TemporaryDirectory(prefix="cmdai-sandbox-check-") as tmp:
            try:
                result = self.run("printf ok", Path(tmp), timeout_s=10.0)
            except OSError as exc:
                raise SandboxUnavailable(
                    f"cannot start bubblewrap: {exc}", hint=_INSTALL_HINT
                ) from exc
        if result.exit_code != 0 or result.stdout != "ok":
            detail = result.stderr.strip().splitlines()
            raise SandboxUnavailable(
                "bubblewrap cannot build a sandbox here"
                + (f": {detail[-1]}" if detail else f" (exit {result.exit_code})"),
                hint=_INSTALL_HINT,
            )


def _system_mounts() -> list[str]:
    """Read-only binds of ``/usr``, ``/etc`` and ``/bin``, ``/lib``... (as the host has them).

    ``/bin`` and friends are merged-usr symlinks or directories, whichever the host has;
    nothing else of the host is visible. Not ``--ro-bind / /``: a read-only mount still lets
    a process connect to the unix sockets on it (``/run/docker.sock``, ``/run/dbus``, a
    database's socket), which no network namespace stops.
    """
    mounts = ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        host = Path("/", name)
        if host.is_symlink():
            mounts += ["--symlink", os.readlink(host), str(host)]
        elif host.is_dir():
            mounts += ["--ro-bind", str(host), str(host)]
    return mounts


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL bwrap's process group; its PID namespace takes every sandboxed process along."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def _decode(data: bytearray) -> str:
    return bytes(data).decode("utf-8", errors="replace")

"""Where the server's files live, in the standard library alone.

``cmdai.handoff`` reads this before anything of cmdai is imported (a warm request's client
must not pay for the rest); ``cmdai.server.paths`` builds on it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

RUNTIME_DIR_ENV = "CMDAI_RUNTIME_DIR"
"""Overrides where the socket, lock and log live (tests; users whose runtime dir is odd)."""

HELPER_ENV = "CMDAI_HELPER"
"""``off``: the warm server starts no helper and requests are never handed to one;
``require``: a request that could be handed off fails when it cannot be (tests, diagnosis)."""

HELPER_SOCKET = "helper.sock"
"""The pre-imported helper's socket, beside the server's (``cmdai.server.helper``)."""


def installation() -> dict[str, str]:
    """Which cmdai this is (version, package folder, its sources' newest modification time).

    A helper serves only its own: the time catches an edited or reinstalled package of the
    same version, whose helper would otherwise run the code it imported at start-up.
    """
    import cmdai

    package = os.path.dirname(os.path.abspath(cmdai.__file__))
    return {"version": cmdai.__version__, "package": package, "code": str(_newest(package))}


def _newest(package: str) -> int:
    """The newest modification time of the package's Python files (about 0.5 ms)."""
    newest, folders = 0, [package]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name != "__pycache__":
                            folders.append(entry.path)
                    elif entry.name.endswith(".py"):
                        newest = max(newest, entry.stat().st_mtime_ns)
        except OSError:
            continue
    return newest


def runtime_dir() -> Path:
    """Where the server's files live: ``CMDAI_RUNTIME_DIR``, else ``$XDG_RUNTIME_DIR/cmdai``.

    Without a usable ``XDG_RUNTIME_DIR`` (unset, or not a private directory of this user, as
    the XDG spec requires), ``cmdai-UID`` in the temporary directory.
    """
    override = os.environ.get(RUNTIME_DIR_ENV)
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and Path(xdg).is_absolute() and private_problem(Path(xdg)) is None:
        return Path(xdg) / "cmdai"
    import tempfile  # only here: it imports random and shutil

    return Path(tempfile.gettempdir()) / f"cmdai-{os.getuid()}"


def private_problem(directory: Path) -> str | None:
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

"""The small files a project fact reads: a manifest, a Makefile, a unit file, CMakeLists.txt."""

from __future__ import annotations

from pathlib import Path

MAX_BYTES = 65536
"""A larger file is not read."""


def small_text(path: Path, replace: bool = False) -> str | None:
    """The text of the file at ``path``, at most ``MAX_BYTES`` (None: none, too big, unreadable).

    With ``replace``, bytes that are not UTF-8 are replaced; without, such a file is unreadable.
    """
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace" if replace else "strict")
    except (OSError, ValueError):
        return None

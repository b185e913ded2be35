"""The tree below the working directory, walked for the checks that look at files.

Breadth first and bounded (``MAX_BELOW`` entries, three levels down), so that a request made
in a home folder or at ``/`` never waits on a whole disk (``cmdai.context``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path


class TooMany(Exception):
    """More than ``MAX_BELOW`` entries below: too big a tree to say which one is meant."""


def walk(workdir: Path) -> Iterator[tuple[os.DirEntry[str], int]]:
    """Every entry here and below, breadth first, with the depth of the folder it is in.

    Three levels down at most; hidden and vendored folders are not entered. Folders that
    cannot be read are skipped.

    Raises:
        TooMany: ``MAX_BELOW`` entries were reached.
    """
    queue, seen = [(workdir, 0)], 0
    while queue:
        current, depth = queue.pop(0)
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    seen += 1
                    if seen >= MAX_BELOW:
                        raise TooMany
                    yield entry, depth
                    hidden = entry.name.startswith(".") or entry.name in VENDORED
                    if depth < 3 and not hidden and entry.is_dir(follow_symlinks=False):
                        queue.append((Path(entry.path), depth + 1))
        except OSError:
            continue


MAX_BELOW = 2000
VENDORED = frozenset({"node_modules", "venv", "__pycache__", "site-packages", "target", "vendor"})

"""What the project facts and fixes share: the small files they read, and a few names.

A manifest, a Makefile, a unit file, CMakeLists.txt, a pom.xml, a Dockerfile.
"""

from __future__ import annotations

import re
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


MAKEFILES = ("GNUmakefile", "makefile", "Makefile")
"""The names make reads, in its order."""

COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
"""The names Docker Compose looks for, in its order."""

RUN_THE_TESTS = re.compile(
    r"\b(?:run|execute)\s+(?:all\s+)?(?:the\s+|my\s+)?(?:unit\s+)?tests\b", re.IGNORECASE
)
"""A request to run a project's whole test suite ("run the tests", "execute all unit tests")."""

"""What the project facts and fixes share: the small files they read, and a few names.

The files: a manifest, a Makefile, a unit file, CMakeLists.txt, a pom.xml, a Dockerfile. The
tests the fixes make of a draft: which programs it runs, what it holds.
"""

from __future__ import annotations

import glob
import itertools
import json
import re
import tomllib
from collections.abc import Callable
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


def runs_only(command: str, programs: frozenset[str]) -> bool:
    """Whether every program the draft runs is one of ``programs`` (False: none, or unparsable).

    The project fixes replace only drafts made of their own tool and readers of files; a draft
    of another tool (``helm`` beside manifests, ``npm test`` in a Go module) is left alone.
    """
    from cmdai.shellparse.walk import split_commands

    try:
        argvs = split_commands(command)
    except ValueError:
        return False
    names = [argv[0] for argv in argvs if argv]
    return bool(names) and all(name in programs for name in names)


Done = Callable[[str], object]
"""Whether a draft already does a task (a compiled pattern's ``search``)."""


def holds(*patterns: str) -> Done:
    """A test that a draft holds every one of ``patterns``, in any order."""
    return re.compile("".join(f"(?=.*{p})" for p in patterns), re.S).search


ENVIRONMENT_SYNONYMS = ({"prod", "production"}, {"stage", "staging"}, {"dev", "development"})
"""Names of one environment: "in production" names an ``overlays/prod`` or a ``prod.tfvars``."""


def environment_names(name: str) -> set[str]:
    """The words that name the environment called ``name`` (``prod``: prod, production)."""
    names = {name.lower()} - {""}
    for synonyms in ENVIRONMENT_SYNONYMS:
        if name.lower() in synonyms:
            names |= synonyms
    return names


def expand_in(folder: Path, pattern: str) -> list[str]:
    """The entries of ``folder`` the relative glob ``pattern`` expands to (at most 100, sorted).

    As bash would: hidden entries only for a pattern that starts with a dot.
    """
    try:
        return sorted(itertools.islice(glob.iglob(pattern, root_dir=folder), 100))
    except (OSError, ValueError):
        return []


def parse_manifest(name: str, text: str) -> dict[str, object] | None:
    """A ``package.json`` (JSON) or ``pyproject.toml`` (TOML) as a table (None: unreadable)."""
    try:
        data = tomllib.loads(text) if name.endswith(".toml") else json.loads(text)
    except ValueError:
        return None
    return {str(k): v for k, v in data.items()} if isinstance(data, dict) else None


def section(table: dict[str, object], key: str) -> dict[str, object]:
    """The sub-table ``key`` of a manifest (empty: none, or not a table)."""
    found = table.get(key)
    return {str(k): v for k, v in found.items()} if isinstance(found, dict) else {}


def yaml_documents(text: str) -> list[object]:
    """The YAML documents of a text (empty: not YAML, or PyYAML missing).

    PyYAML comes with huggingface_hub; libyaml's safe loader where PyYAML has it (several times
    faster: a folder's manifests or playbooks are read for every request that may name theirs).
    """
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        return []
    try:
        return list(yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    except yaml.YAMLError:
        return []


def joined(lines: Callable[[str], list[str] | None]) -> Callable[[str], str | None]:
    """A reader of a file's text from a reader of its lines (``Workdir.lines``; None: none)."""

    def text(name: str) -> str | None:
        return "\n".join(lines(name) or []) or None

    return text


def request_words(request: str) -> set[str]:
    """The request's words, lower case, dots and dashes kept (``shop-web``, ``prod.tfvars``)."""
    return {w.lower() for w in re.findall(r"[\w.-]+", request)}

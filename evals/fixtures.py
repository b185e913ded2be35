"""Filesystem fixtures for the core eval set: JSON specs, validated, built deterministically.

A fixture is a small directory tree described in ``datasets/core/fixtures/<name>.json``::

    {"description": "...", "entries": [
        {"path": "src/app.py", "type": "file", "content": "print('hi')", "mode": "0644",
         "age_days": 2.0},
        {"path": "big/video.mp4", "type": "file", "size": 157286400, "age_days": 3},
        {"path": "logs", "type": "dir", "mode": "0755"},
        {"path": "link", "type": "symlink", "target": "src/app.py"}]}

A file has at most one of ``content`` (UTF-8 text), ``content_b64`` (bytes, for archives) and
``size`` (that many bytes: a sparse file by default, real zero bytes with ``"sparse": false``
so that ``du`` sees them); none means an empty file. ``age_days`` puts the mtime that many days
before ``now``; files and symlinks without it get ``now``; a directory without it (implicit
parents and the root included) gets the mtime of its newest child, as if that child was the
last one added, or ``now`` when empty. Parents are created implicitly with mode 0755. Paths
are relative, use ``/`` and never leave the root (no ``..``, no absolute paths, symlink targets
included).

``materialize`` is deterministic: the same spec and ``now`` give the same tree, modes and
mtimes included. Pass the real current time as ``now``: ``find -mtime`` and friends compare
against the clock, not against the fixture.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

REPO = Path(__file__).resolve().parent.parent
FIXTURES_DIR = REPO / "datasets" / "core" / "fixtures"
DAY = 86_400.0
DEFAULT_FILE_MODE = 0o644
DEFAULT_DIR_MODE = 0o755

EntryType = Literal["file", "dir", "symlink"]

_KEYS: dict[str, frozenset[str]] = {
    "file": frozenset(
        {"path", "type", "content", "content_b64", "size", "sparse", "mode", "age_days"}
    ),
    "dir": frozenset({"path", "type", "mode", "age_days"}),
    "symlink": frozenset({"path", "type", "target", "age_days"}),
}


class FixtureError(ValueError):
    """A fixture spec is malformed, unsafe, or cannot be built where asked."""


@dataclass(frozen=True)
class Entry:
    """One path of a fixture.

    Attributes:
        path: Relative POSIX path inside the fixture root.
        type: ``file``, ``dir`` or ``symlink``.
        content: The file's bytes, when given (``content`` or ``content_b64``).
        size: The file's size when it has no content.
        sparse: Whether a ``size``-only file is sparse (a hole) or real zero bytes.
        mode: Permission bits (files and directories).
        age_days: Days before ``now`` for the mtime; None when the spec does not say.
        target: A symlink's target, relative to the link's directory.
    """

    path: str
    type: EntryType
    content: bytes | None = None
    size: int | None = None
    sparse: bool = True
    mode: int | None = None
    age_days: float | None = None
    target: str | None = None

    @property
    def nbytes(self) -> int:
        """Apparent size in bytes (0 for directories and symlinks)."""
        if self.content is not None:
            return len(self.content)
        return self.size or 0


@dataclass(frozen=True)
class Fixture:
    """A validated fixture: a name, what it is for, and its entries in spec order."""

    name: str
    description: str
    entries: tuple[Entry, ...]

    def entry(self, path: str) -> Entry:
        """The entry declared at ``path``.

        Raises:
            KeyError: no entry has that path.
        """
        for entry in self.entries:
            if entry.path == path:
                return entry
        raise KeyError(path)


def fixture_names(root: Path = FIXTURES_DIR) -> list[str]:
    """Names of the fixtures under ``root``, sorted."""
    return sorted(p.stem for p in root.glob("*.json"))


def load_fixture(name: str, root: Path = FIXTURES_DIR) -> Fixture:
    """Read and validate ``<root>/<name>.json``.

    Raises:
        FixtureError: the file is missing, is not JSON, or the spec is invalid or unsafe.
    """
    if not name or "/" in name or name.startswith("."):
        raise FixtureError(f"bad fixture name {name!r}")
    path = root / f"{name}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FixtureError(f"no fixture {name!r} (looked for {path})") from None
    except json.JSONDecodeError as exc:
        raise FixtureError(f"{path}: not valid JSON: {exc}") from None
    return parse_fixture(name, raw, source=str(path))


def parse_fixture(name: str, raw: Any, source: str = "<spec>") -> Fixture:
    """Validate a decoded spec (see the module docstring for the format).

    Raises:
        FixtureError: naming ``source`` and the offending entry.
    """
    if not isinstance(raw, dict):
        raise FixtureError(f"{source}: a fixture is a JSON object")
    unknown = set(raw) - {"description", "entries"}
    if unknown:
        raise FixtureError(f"{source}: unknown keys {sorted(unknown)}")
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        raise FixtureError(f"{source}: 'description' must be a non-empty string")
    items = raw.get("entries")
    if not isinstance(items, list):
        raise FixtureError(f"{source}: 'entries' must be a list")
    entries = tuple(_parse_entry(item, f"{source}: entries[{i}]") for i, item in enumerate(items))
    _check_tree(entries, source)
    return Fixture(name=name, description=description, entries=entries)


def _parse_entry(item: Any, where: str) -> Entry:
    if not isinstance(item, dict):
        raise FixtureError(f"{where}: an entry is a JSON object")
    kind = item.get("type")
    if kind not in _KEYS:
        raise FixtureError(f"{where}: 'type' must be one of {sorted(_KEYS)}, got {kind!r}")
    unknown = set(item) - _KEYS[kind]
    if unknown:
        raise FixtureError(f"{where}: keys {sorted(unknown)} are not allowed on a {kind}")
    path = _check_path(item.get("path"), where)
    where = f"{where} ({path})"
    raw_age = item.get("age_days")
    age: float | None = None
    if raw_age is not None:
        if isinstance(raw_age, bool) or not isinstance(raw_age, int | float):
            raise FixtureError(f"{where}: 'age_days' must be a number")
        if not 0 <= raw_age < 36_500:
            raise FixtureError(f"{where}: 'age_days' must be in [0, 36500)")
        age = float(raw_age)
    mode = _parse_mode(item["mode"], where) if "mode" in item else None
    if kind == "dir":
        return Entry(path=path, type="dir", mode=mode, age_days=age)
    if kind == "symlink":
        target = item.get("target")
        if not isinstance(target, str) or not target or target.startswith("/"):
            raise FixtureError(f"{where}: 'target' must be a non-empty relative path")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
        if resolved == ".." or resolved.startswith("../"):
            raise FixtureError(f"{where}: target {target!r} points outside the fixture")
        return Entry(path=path, type="symlink", target=target, age_days=age)
    given = [k for k in ("content", "content_b64", "size") if k in item]
    if len(given) > 1:
        raise FixtureError(f"{where}: give at most one of {given}")
    content: bytes | None = None
    size: int | None = None
    if "content" in item:
        if not isinstance(item["content"], str):
            raise FixtureError(f"{where}: 'content' must be a string")
        content = item["content"].encode("utf-8")
    elif "content_b64" in item:
        try:
            content = base64.b64decode(item["content_b64"], validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise FixtureError(f"{where}: 'content_b64' is not valid base64") from None
    elif "size" in item:
        size = item["size"]
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise FixtureError(f"{where}: 'size' must be a non-negative integer")
    sparse = item.get("sparse", True)
    if "sparse" in item and (size is None or not isinstance(sparse, bool)):
        raise FixtureError(f"{where}: 'sparse' is a boolean and only goes with 'size'")
    if not sparse and size is not None and size > 64 * 1024 * 1024:
        raise FixtureError(f"{where}: a non-sparse file is at most 64 MiB")
    return Entry(
        path=path,
        type="file",
        content=content,
        size=size,
        sparse=sparse,
        mode=mode,
        age_days=age,
    )


def _check_path(path: Any, where: str) -> str:
    if not isinstance(path, str) or not path:
        raise FixtureError(f"{where}: 'path' must be a non-empty string")
    if path.startswith("/"):
        raise FixtureError(f"{where}: absolute path {path!r} is not allowed")
    if "\\" in path or "\0" in path:
        raise FixtureError(f"{where}: path {path!r} contains a backslash or NUL")
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise FixtureError(
            f"{where}: path {path!r} must be normalised (no '..', '.', empty or trailing parts)"
        )
    return path


def _parse_mode(mode: Any, where: str) -> int:
    if not isinstance(mode, str) or not mode.isdigit() or set(mode) - set("01234567"):
        raise FixtureError(f"{where}: 'mode' must be an octal string such as \"0644\"")
    value = int(mode, 8)
    if value > 0o7777:
        raise FixtureError(f"{where}: mode {mode} is out of range")
    return value


def _check_tree(entries: tuple[Entry, ...], source: str) -> None:
    kinds: dict[str, EntryType] = {}
    for entry in entries:
        if entry.path in kinds:
            raise FixtureError(f"{source}: {entry.path!r} is declared twice")
        kinds[entry.path] = entry.type
    for entry in entries:
        parent = posixpath.dirname(entry.path)
        while parent:
            if kinds.get(parent, "dir") != "dir":
                raise FixtureError(
                    f"{source}: {entry.path!r} is inside {parent!r}, which is a {kinds[parent]}"
                )
            parent = posixpath.dirname(parent)


def materialize(fixture: Fixture, dest: Path, now: float) -> None:
    """Build ``fixture`` under ``dest`` (created if missing, otherwise it must be empty).

    Modes are set explicitly (the umask does not matter); file and symlink mtimes are set as
    they are written, directory modes and mtimes last, deepest first, so that writing children
    does not disturb them. ``dest`` itself is dated like any directory without ``age_days``.

    Raises:
        FixtureError: ``dest`` exists and is not an empty directory.
    """
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise FixtureError(f"{dest} is not empty: a fixture is built into an empty directory")
    dirs: dict[str, Entry | None] = {}
    for entry in fixture.entries:
        parent = posixpath.dirname(entry.path)
        while parent:
            dirs.setdefault(parent, None)
            parent = posixpath.dirname(parent)
        if entry.type == "dir":
            dirs[entry.path] = entry
    for path in sorted(dirs, key=lambda p: p.count("/")):
        (dest / path).mkdir(exist_ok=True)
    for entry in fixture.entries:
        target = dest / entry.path
        when = now - (entry.age_days or 0.0) * DAY
        if entry.type == "file":
            _write_file(entry, target)
            os.chmod(target, DEFAULT_FILE_MODE if entry.mode is None else entry.mode)
            os.utime(target, (when, when))
        elif entry.type == "symlink":
            assert entry.target is not None
            os.symlink(entry.target, target)
            os.utime(target, (when, when), follow_symlinks=False)
    # A directory without age_days looks as if its newest child was the last one added.
    newest: dict[str, float] = {}
    for entry in fixture.entries:
        if entry.type != "dir":
            _touch_parent(newest, entry.path, entry.age_days or 0.0)
    for path in sorted(dirs, key=lambda p: (-p.count("/"), p)):
        spec = dirs[path]
        os.chmod(dest / path, DEFAULT_DIR_MODE if spec is None or spec.mode is None else spec.mode)
        if spec is not None and spec.age_days is not None:
            age = spec.age_days
        else:
            age = newest.get(path, 0.0)
        _touch_parent(newest, path, age)
        os.utime(dest / path, (now - age * DAY, now - age * DAY))
    root_age = newest.get("", 0.0)
    os.utime(dest, (now - root_age * DAY, now - root_age * DAY))


def _touch_parent(newest: dict[str, float], path: str, age: float) -> None:
    parent = posixpath.dirname(path)
    newest[parent] = min(age, newest.get(parent, age))


def _write_file(entry: Entry, target: Path) -> None:
    with target.open("wb") as handle:
        if entry.content is not None:
            handle.write(entry.content)
        elif entry.size:
            if entry.sparse:
                handle.truncate(entry.size)
            else:
                chunk = b"\0" * (1 << 20)
                left = entry.size
                while left:
                    handle.write(chunk[: min(left, len(chunk))])
                    left -= min(left, len(chunk))

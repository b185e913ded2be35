"""cmdai's cache directory: what is in it, the bound on its state files, and clearing it.

``<cache_dir>/models/`` holds model files (see ``models``); ``<cache_dir>/state/`` holds what
the llama.cpp backend saves to start faster (see ``backends.llamacpp``):

- ``prefix-<model>-<key>.kv``: the KV cache of a prompt's stable prefix (about 10 MB each);
- ``index-<model>-<key>.bin``: outlines' token index of an answer schema.

``<model>`` is the first 16 hex digits of the model's sha256 (of its path, size and mtime when
the sha256 is unknown), so a model's states can be removed with it; ``<key>`` covers everything
else the file depends on (context size, library versions, the prompt or schema). New keys
appear whenever one of those changes, so after each write the directory is pruned, least
recently used first: files unused for ``MAX_STATE_AGE_S`` go, then the oldest until the rest
fit in ``MAX_STATE_BYTES``. Reading a file marks it used (its mtime). Every failure here only
costs speed: it is logged, never raised.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from cmdai.models import LocatedModel

log = logging.getLogger(__name__)

MAX_STATE_BYTES = 256_000_000
"""The state directory is pruned to this size (least recently used files first)."""

MAX_STATE_AGE_S = 30 * 24 * 3600.0
"""A state file unused (not written or read) for this long is deleted at the next prune."""

STALE_TEMPORARY_S = 3600.0
"""A writer's temporary file this old was left by a process that died; it is deleted."""

MODEL_KEY_CHARS = 16

StateKind = Literal["prefix", "index"]

_SUFFIX: dict[StateKind, str] = {"prefix": ".kv", "index": ".bin"}
# The model part is optional: files written before it existed are still pruned and counted.
_STATE_NAME = re.compile(
    r"^(?P<kind>prefix|index)-(?:(?P<model>[0-9a-f]{16})-)?[0-9a-f]{32}\.(?:kv|bin)$"
)


def state_dir(cache_dir: Path) -> Path:
    """Where the backend's prefix states and schema indexes live."""
    return cache_dir / "state"


def model_key(path: Path, sha256: str | None) -> str | None:
    """The 16 hex digits that name a model in state file names.

    The start of its sha256 when known, else a digest of its resolved path, size and mtime
    (so a file replaced at the same path gets new states). None when neither is available.
    """
    if sha256:
        return sha256[:MODEL_KEY_CHARS]
    try:
        st = path.stat()
    except OSError:
        return None
    identity = f"{path.resolve()}:{st.st_size}:{st.st_mtime_ns}"
    return hashlib.sha256(identity.encode()).hexdigest()[:MODEL_KEY_CHARS]


def state_path(directory: Path, kind: StateKind, model: str, key: str) -> Path:
    """The state file of ``kind`` for a model key and a 32-hex-digit content key."""
    return directory / f"{kind}-{model}-{key}{_SUFFIX[kind]}"


def _parse(name: str) -> tuple[str, str | None] | None:
    """(kind, model key or None) of a state file name; None for any other name."""
    match = _STATE_NAME.match(name)
    return (match["kind"], match["model"]) if match else None


def _is_temporary(name: str) -> bool:
    return name.startswith(".") and name.endswith(".tmp")


# -- writing, reading, pruning -----------------------------------------------------------------


def store(path: Path, write: Callable[[Path], bool]) -> bool:
    """Write a state file through a temporary name, then prune its directory.

    Args:
        path: The state file.
        write: Writes the content to the temporary path it is given; False when it could not.

    Returns:
        True when ``path`` now holds the new content.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        log.warning("cannot write cache file %s: %s", path, exc)
        return False
    tmp = Path(tmp_name)
    try:
        if not write(tmp):
            log.info("could not write cache file %s", path)
            return False
        tmp.replace(path)
    except OSError as exc:
        log.warning("cannot write cache file %s: %s", path, exc)
        return False
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    prune(path.parent, keep=path)
    return True


def store_bytes(path: Path, data: bytes) -> bool:
    """``store`` for content already in memory."""

    def write(tmp: Path) -> bool:
        tmp.write_bytes(data)
        return True

    return store(path, write)


def touch(path: Path) -> None:
    """Mark a state file used now, so pruning keeps it over files that were not."""
    try:
        os.utime(path)
    except OSError as exc:
        log.debug("cannot mark %s used: %s", path, exc)


def prune(
    directory: Path,
    *,
    keep: Path | None = None,
    max_bytes: int | None = None,
    max_age_s: float | None = None,
    now: float | None = None,
) -> list[Path]:
    """Delete state files unused for ``max_age_s``, then the least recently used over ``max_bytes``.

    Args:
        directory: The state directory.
        keep: Never deleted (the file just written), even when it alone is over the limit.
        max_bytes: Size limit of the state files together (default ``MAX_STATE_BYTES``).
        max_age_s: Age limit, by the time each file was last written or read (its mtime;
            default ``MAX_STATE_AGE_S``).
        now: The current time (tests).

    Returns:
        The files deleted (temporaries left by dead writers included).
    """
    now = time.time() if now is None else now
    max_bytes = MAX_STATE_BYTES if max_bytes is None else max_bytes
    max_age_s = MAX_STATE_AGE_S if max_age_s is None else max_age_s
    try:
        paths = list(directory.iterdir())
    except OSError as exc:
        log.debug("cannot list %s: %s", directory, exc)
        return []
    removed: list[Path] = []
    files: list[tuple[float, int, Path]] = []
    for path in paths:
        try:
            st = path.lstat()
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        if _is_temporary(path.name):
            if now - st.st_mtime > STALE_TEMPORARY_S and _unlink(path):
                removed.append(path)
        elif _parse(path.name) is not None:
            files.append((st.st_mtime, st.st_size, path))
    total = sum(size for _, size, _ in files)
    for mtime, size, path in sorted(files, key=lambda f: f[0]):  # least recently used first
        if keep is not None and path.name == keep.name:
            continue
        if (now - mtime > max_age_s or total > max_bytes) and _unlink(path):
            total -= size
            removed.append(path)
    if removed:
        log.info("pruned %d file(s) from %s", len(removed), directory)
    return removed


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False  # another process pruned it first
    except OSError as exc:
        log.warning("cannot delete cache file %s: %s", path, exc)
        return False
    return True


# -- what is in the cache ----------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """A number of files and the bytes they hold."""

    files: int = 0
    bytes: int = 0

    def plus(self, size: int) -> Tally:
        """This tally with one more file of ``size`` bytes."""
        return Tally(self.files + 1, self.bytes + size)

    def to_json(self) -> dict[str, Any]:
        """``{"files", "bytes", "mb"}``."""
        return {"files": self.files, "bytes": self.bytes, "mb": round(self.bytes / 1e6, 1)}

    def __str__(self) -> str:
        return f"{self.files} file{'' if self.files == 1 else 's'}, {_mb(self.bytes)}"


KINDS: dict[str, str] = {
    "models": "models",
    "partial_downloads": "partial downloads",
    "prefix_states": "prefix states",
    "schema_indexes": "schema indexes",
    "other": "other files",
}
"""The kinds of file ``usage`` counts: JSON key -> label."""


@dataclass(frozen=True)
class ModelStates:
    """The state files of one model (``name`` None when no known model has this key)."""

    key: str | None
    name: str | None
    prefix_states: Tally = field(default_factory=Tally)
    schema_indexes: Tally = field(default_factory=Tally)


@dataclass(frozen=True)
class CacheUsage:
    """What ``cmdai cache info`` reports."""

    location: Path
    kinds: dict[str, Tally] = field(default_factory=dict)
    per_model: tuple[ModelStates, ...] = ()

    @property
    def total(self) -> Tally:
        """Every file counted."""
        return Tally(
            sum(t.files for t in self.kinds.values()), sum(t.bytes for t in self.kinds.values())
        )

    def to_json(self) -> dict[str, Any]:
        """The report as one JSON document."""
        return {
            "location": str(self.location),
            "kinds": {kind: tally.to_json() for kind, tally in self.kinds.items()},
            "total": self.total.to_json(),
            "per_model": [
                {
                    "model": m.name,
                    "key": m.key,
                    "prefix_states": m.prefix_states.to_json(),
                    "schema_indexes": m.schema_indexes.to_json(),
                }
                for m in self.per_model
            ],
            "state_limits": {"mb": MAX_STATE_BYTES / 1e6, "days_unused": MAX_STATE_AGE_S / 86400},
        }

    def lines(self) -> list[str]:
        """The report as text, one fact a line."""
        width = max(len(label) for label in KINDS.values()) + 1
        rows = [f"{'location:':<{width}} {self.location}"]
        rows += [f"{label + ':':<{width}} {self.kinds[k]}" for k, label in KINDS.items()]
        rows.append(f"{'total:':<{width}} {self.total}")
        rows.append(
            f"states are kept up to {MAX_STATE_BYTES / 1e6:g} MB and "
            f"{MAX_STATE_AGE_S / 86400:g} days unused; cmdai cache clear --states-only "
            "deletes them now"
        )
        if self.per_model:
            rows.append("states by model:")
        for m in self.per_model:
            name = m.name or (f"unknown model {m.key}" if m.key else "unknown model (older files)")
            rows.append(
                f"  {name}: {m.prefix_states.files} prefix states, "
                f"{m.schema_indexes.files} schema indexes, "
                f"{_mb(m.prefix_states.bytes + m.schema_indexes.bytes)}"
            )
        return rows


def usage(cache_dir: Path, names: Mapping[str, str] | None = None) -> CacheUsage:
    """Count the cache's files by kind, and its state files by model.

    Args:
        cache_dir: cmdai's cache directory.
        names: Model key (see ``model_key``) -> model name, for the per-model lines.
    """
    from cmdai.models import models_dir

    names = names or {}
    kinds = dict.fromkeys(KINDS, Tally())
    per_model: dict[str | None, dict[str, Tally]] = {}
    for path, size in _files(models_dir(cache_dir)).items():
        if path.suffix == ".gguf" and not path.name.startswith("."):
            kinds["models"] = kinds["models"].plus(size)
        elif path.suffix == ".partial":
            kinds["partial_downloads"] = kinds["partial_downloads"].plus(size)
        elif path.suffix != ".verified":  # stamps are part of their model
            kinds["other"] = kinds["other"].plus(size)
    for path, size in _files(state_dir(cache_dir)).items():
        parsed = _parse(path.name)
        if parsed is None:
            kinds["other"] = kinds["other"].plus(size)
            continue
        kind = "prefix_states" if parsed[0] == "prefix" else "schema_indexes"
        kinds[kind] = kinds[kind].plus(size)
        tallies = per_model.setdefault(parsed[1], {})
        tallies[kind] = tallies.get(kind, Tally()).plus(size)
    states = [
        ModelStates(
            key,
            names.get(key) if key else None,
            tallies.get("prefix_states", Tally()),
            tallies.get("schema_indexes", Tally()),
        )
        for key, tallies in per_model.items()
    ]
    # Named models first, then unknown keys, then files older than model keys.
    states.sort(key=lambda m: (m.name is None, m.key is None, m.name or m.key or ""))
    return CacheUsage(cache_dir, kinds, tuple(states))


def model_names(cache_dir: Path, setting: str | None = None) -> dict[str, str]:
    """Model key -> name for every model cmdai can name without hashing a file.

    The registry's models, the downloads in the cache, and the ``model`` setting (a path).
    """
    from cmdai import models
    from cmdai.errors import ModelError

    names = {spec.sha256[:MODEL_KEY_CHARS]: spec.name for spec in models.REGISTRY.values()}
    located = list(models.installed(cache_dir))
    if setting:
        with contextlib.suppress(ModelError):
            located.append(models.locate(setting, cache_dir))
    for model in located:
        key = model_key(model.path, models.known_sha256(model))
        if key is not None:
            names.setdefault(key, model.name)
    return names


def _files(root: Path) -> dict[Path, int]:
    """Every file under ``root`` (not following links) with its size."""
    found: dict[Path, int] = {}
    for directory, _, filenames in os.walk(root):
        for name in filenames:
            path = Path(directory) / name
            with contextlib.suppress(OSError):
                found[path] = path.lstat().st_size
    return dict(sorted(found.items()))


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


# -- removing ----------------------------------------------------------------------------------


def remove_states(cache_dir: Path, key: str) -> Tally:
    """Delete every state file of the model with this key; what was deleted."""
    removed = Tally()
    for path, size in _files(state_dir(cache_dir)).items():
        parsed = _parse(path.name)
        if parsed is not None and parsed[1] == key and _unlink(path):
            removed = removed.plus(size)
    return removed


@dataclass(frozen=True)
class RemovedModel:
    """What ``remove_model`` deleted: the model's files (with their sizes) and its states."""

    files: dict[Path, int]
    states: Tally

    @property
    def freed(self) -> int:
        """Bytes freed in all."""
        return sum(self.files.values()) + self.states.bytes


def remove_model(model: LocatedModel, cache_dir: Path) -> RemovedModel:
    """Delete a cached model (``models.remove``) and the state files made with it.

    States are removed even when the model file itself is already gone.

    Raises:
        ModelError: the file is not in cmdai's cache.
        ModelMissingError: neither the model nor any state of it is there.
    """
    from cmdai import models
    from cmdai.errors import ModelMissingError

    key = model_key(model.path, models.known_sha256(model))  # before the file goes
    try:
        files = models.remove(model)
    except ModelMissingError:
        states = remove_states(cache_dir, key) if key else Tally()
        if not states.files:
            raise
        return RemovedModel({}, states)
    return RemovedModel(files, remove_states(cache_dir, key) if key else Tally())


def clearable(cache_dir: Path, *, states_only: bool) -> dict[Path, int]:
    """The files ``cmdai cache clear`` deletes, with their sizes.

    The state directory's files, and the models directory's unless ``states_only``.
    """
    from cmdai.models import models_dir

    found = _files(state_dir(cache_dir))
    if not states_only:
        found.update(_files(models_dir(cache_dir)))
    return found


def delete(files: Mapping[Path, int]) -> Tally:
    """Delete ``files`` (from ``clearable``) and the directories they leave empty."""
    deleted = Tally()
    for path, size in files.items():
        if _unlink(path):
            deleted = deleted.plus(size)
    for directory in sorted({p.parent for p in files}, key=lambda d: -len(d.parts)):
        with contextlib.suppress(OSError):
            directory.rmdir()  # only when empty
    return deleted

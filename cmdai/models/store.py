"""Where model files live in cmdai's cache, their ``.verified`` stamps, listing and removal.

Registry models are kept as ``models/<file>``; a user's hub reference ``owner/repo:file.gguf``
is downloaded into ``models/hub/owner--repo/``. A small ``.verified`` stamp (size, mtime,
sha256) beside a file lets later runs trust it without re-hashing a gigabyte on every start;
the checks that write stamps are in ``verify``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cmdai.errors import ModelError, ModelMissingError
from cmdai.models.registry import (
    REGISTRY,
    HubFile,
    ModelSpec,
    hub_ref_for,
    known_names,
    looks_like_path,
    spec_for_file,
)

ProgressCallback = Callable[[int, int], None]
"""Called with (bytes done, bytes total) while a model file is produced."""


def gb(n: int) -> str:
    """A byte count in gigabytes, for messages."""
    return f"{n / 1e9:.1f} GB"


def models_dir(cache_dir: Path) -> Path:
    """Where registry models are kept."""
    return cache_dir / "models"


def hub_ref_path(cache_dir: Path, ref: HubFile) -> Path:
    """Where a downloaded ``repo:file`` lives in the cache."""
    return models_dir(cache_dir) / "hub" / ref.repo.replace("/", "--") / ref.filename


def stamp_path(path: Path) -> Path:
    """The ``.verified`` stamp beside a model file."""
    return path.with_name(path.name + ".verified")


def write_stamp(path: Path, sha256: str) -> None:
    """Record that ``path``, as it is now (size, mtime), has the sha256 ``sha256``."""
    st = path.stat()
    stamp = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha256}
    stamp_path(path).write_text(json.dumps(stamp), encoding="utf-8")


def stamp_matches(path: Path, sha256: str) -> bool:
    """True when a stamp vouches that ``path`` is unchanged and has the sha256 ``sha256``."""
    try:
        stamp = json.loads(stamp_path(path).read_text(encoding="utf-8"))
        st = path.stat()
    except (OSError, ValueError):
        return False
    return bool(
        stamp.get("size") == st.st_size
        and stamp.get("mtime_ns") == st.st_mtime_ns
        and stamp.get("sha256") == sha256
    )


def stamped_sha(path: Path) -> str | None:
    """The sha256 the stamp of ``path`` records (whether or not the file changed since)."""
    try:
        sha = json.loads(stamp_path(path).read_text(encoding="utf-8")).get("sha256")
    except (OSError, ValueError, AttributeError):
        return None
    return sha if isinstance(sha, str) else None


@dataclass(frozen=True)
class LocatedModel:
    """Where a model named by the user lives (or would live) on disk.

    Attributes:
        name: The registry name, ``owner/repo:file``, or the file's name.
        path: The file (it may not exist yet).
        spec: The registry entry, when there is one.
        ref: The hub reference, for a user's ``owner/repo:file``.
        in_cache: True for files in cmdai's cache (these may be removed by cmdai).
    """

    name: str
    path: Path
    spec: ModelSpec | None
    ref: HubFile | None
    in_cache: bool


def locate(name: str, cache_dir: Path) -> LocatedModel:
    """Where the model ``name`` (registry name, ``owner/repo:file.gguf`` or path) lives.

    Raises:
        ModelMissingError: ``name`` is none of those.
    """
    if name in REGISTRY:
        spec = REGISTRY[name]
        return LocatedModel(name, models_dir(cache_dir) / spec.filename, spec, spec.hub, True)
    path = Path(name).expanduser()
    ref = hub_ref_for(name)
    if ref is not None and not path.exists():
        return LocatedModel(name, hub_ref_path(cache_dir, ref), None, ref, True)
    if path.exists() or looks_like_path(name):
        return LocatedModel(path.name, path.resolve(), spec_for_file(path), None, False)
    known = ", ".join(known_names())
    raise ModelMissingError(
        f"unknown model {name!r}: not a file, a hub owner/repo:file.gguf, or a known name",
        hint=f"Known models: {known}.",
    )


def installed(cache_dir: Path) -> list[LocatedModel]:
    """Every model file in cmdai's cache: registry models, then downloaded hub references."""
    found = [locate(name, cache_dir) for name in REGISTRY]
    result = [m for m in found if m.path.is_file()]
    hub_root = models_dir(cache_dir) / "hub"
    for path in sorted(hub_root.glob("*/*.gguf")):
        ref = HubFile(path.parent.name.replace("--", "/", 1), path.name)
        result.append(LocatedModel(f"{ref.repo}:{ref.filename}", path, None, ref, True))
    return result


def stamp_state(model: LocatedModel) -> str:
    """``verified`` when a fresh stamp vouches for the file, else ``not verified``."""
    sha = model.spec.sha256 if model.spec else stamped_sha(model.path)
    return "verified" if sha and stamp_matches(model.path, sha) else "not verified"


def known_sha256(model: LocatedModel) -> str | None:
    """The sha256 ``resolve_model`` reports for this model, found without hashing the file.

    The registry's for a registry model (or a file named like one: it is verified on load);
    for a download in the cache, the sha256 its stamp records while the file is unchanged;
    None for any other file.
    """
    if model.spec is not None:
        return model.spec.sha256
    if model.ref is not None and model.in_cache:
        sha = stamped_sha(model.path)
        return sha if sha and stamp_matches(model.path, sha) else None
    return None


def remove(model: LocatedModel) -> dict[Path, int]:
    """Delete a cached model file with its stamp and any partial download.

    Returns:
        The paths deleted, with the bytes each held.

    Raises:
        ModelError: the file is not in cmdai's cache (cmdai never deletes a user's own file).
        ModelMissingError: nothing to remove.
    """
    if not model.in_cache:
        raise ModelError(
            f"{model.path} is not in cmdai's cache; cmdai does not delete your own files",
            hint="Delete it yourself if you no longer need it.",
        )
    targets = [model.path, stamp_path(model.path)]
    targets += sorted(model.path.parent.glob(f".{model.path.name}.*.partial"))
    removed = {}
    for path in targets:
        with contextlib.suppress(FileNotFoundError):
            size = path.lstat().st_size
            path.unlink()
            removed[path] = size
    if not removed:
        raise ModelMissingError(f"model {model.name} is not installed", hint="")
    return removed

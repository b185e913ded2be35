"""Every use of outlines' and outlines_core's internals, in one place.

cmdai builds outlines' JSON-schema index itself (to keep it across processes and to run its
own greedy loop over it) instead of going through ``outlines.Generator``: see
``cmdai.backends.llamacpp``. That reaches past outlines' public API in three places: the
``Index`` serialisation (its pickle form), the backend object that turns a schema into an
index, and the numba kernel whose JIT cache is switched on. An upgrade that renames one of
them fails in ``tests/test_outlines_compat.py`` (fast tier, no model): ``missing_internals()``
lists what is gone.
"""

from __future__ import annotations

import contextlib
import inspect
import re
from typing import Any

# (module, attribute path) pairs cmdai uses; checked by missing_internals(). The last part of a
# path may be an instance attribute: then the class's source must assign ``self.<name>``.
INTERNALS: tuple[tuple[str, str], ...] = (
    ("outlines.backends.outlines_core", "OutlinesCoreBackend.get_json_schema_logits_processor"),
    ("outlines.backends.outlines_core", "OutlinesCoreLogitsProcessor.index"),
    ("outlines.backends.outlines_core", "OutlinesCoreLogitsProcessor.reset"),
    ("outlines_core", "Index.from_binary"),
    ("outlines_core", "Index.__reduce__"),
    ("outlines_core.kernels.numpy", "_apply_token_bitmask_inplace_kernel.enable_caching"),
)


def missing_internals() -> list[str]:
    """The internals cmdai relies on that this outlines / outlines_core lack (empty: all there)."""
    import importlib

    missing = []
    for module_name, path in INTERNALS:
        try:
            obj: Any = importlib.import_module(module_name)
            *parents, last = path.split(".")
            for part in parents:
                obj = getattr(obj, part)
            if not hasattr(obj, last) and not _assigns_attribute(obj, last):
                raise AttributeError(last)
        except (ImportError, AttributeError):
            missing.append(f"{module_name}.{path}")
    return missing


def _assigns_attribute(cls: Any, name: str) -> bool:
    """Whether a class's source sets ``self.<name>`` (an attribute only instances have)."""
    if not inspect.isclass(cls):
        return False
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return False
    return re.search(rf"\bself\.{re.escape(name)}\s*(:[^=\n]+)?=(?!=)", source) is not None


def json_schema_index(outlines_model: Any, schema_text: str, whitespace: str) -> Any:
    """The outlines_core ``Index`` of a JSON schema over an outlines-wrapped model's vocabulary.

    Goes through outlines' own backend (not ``outlines_core`` directly) so that the schema's
    regex and the vocabulary are exactly those ``outlines.Generator`` would use.
    """
    from outlines.backends.outlines_core import OutlinesCoreBackend

    backend = OutlinesCoreBackend(outlines_model)
    return backend.get_json_schema_logits_processor(schema_text, whitespace).index


def logits_processor(index: Any) -> Any:
    """The outlines logits processor of an ``Index``, on numpy arrays (llama-cpp-python's)."""
    from outlines.backends.outlines_core import OutlinesCoreLogitsProcessor

    return OutlinesCoreLogitsProcessor(index, "numpy")


def index_to_bytes(index: Any) -> bytes:
    """outlines_core's own binary form of an ``Index`` (what its pickle support writes)."""
    return bytes(index.__reduce__()[1][0])


def index_from_bytes(data: bytes) -> Any:
    """An ``Index`` from ``index_to_bytes``'s output.

    Raises:
        ValueError, TypeError: the bytes are not an index of this outlines_core.
    """
    from outlines_core import Index

    return Index.from_binary(data)


def enable_numba_cache() -> None:
    """Cache outlines' numba kernel on disk: its JIT costs about 0.5 s in every new process."""
    from outlines_core.kernels import numpy as kernels

    kernel = getattr(kernels, "_apply_token_bitmask_inplace_kernel", None)
    if kernel is not None and hasattr(kernel, "enable_caching"):
        with contextlib.suppress(Exception):  # a read-only cache location only costs speed
            kernel.enable_caching()

"""Every use of huggingface_hub's internals, in one place.

``cmdai.models.hub`` downloads through ``huggingface_hub.file_download.http_get`` (Range requests,
retries and resumption inside one run) rather than ``hf_hub_download``, which since
huggingface_hub 1.x deletes its temporary file on failure and so cannot resume across runs.
``http_get`` is not in huggingface_hub's public API, nor is the module that defines
``build_hf_headers`` for type checkers, nor is switching telemetry off after import. An upgrade
that renames one of them fails in ``tests/test_hub_compat.py`` (fast tier, no network):
``missing_internals()`` lists what is gone.
"""

from __future__ import annotations

import inspect
from typing import IO, Any, cast

# (module, attribute path) pairs cmdai uses; checked by missing_internals().
INTERNALS: tuple[tuple[str, str], ...] = (
    ("huggingface_hub.constants", "HF_HUB_DISABLE_TELEMETRY"),
    ("huggingface_hub.utils._headers", "build_hf_headers"),
    ("huggingface_hub.file_download", "http_get"),
)

HTTP_GET_KEYWORDS: tuple[str, ...] = (
    "resume_size",
    "headers",
    "expected_size",
    "displayed_filename",
    "tqdm_class",
)
"""The keyword arguments of ``http_get`` that ``http_get`` below passes."""


def missing_internals() -> list[str]:
    """The internals cmdai relies on that this huggingface_hub lacks (empty: all there)."""
    import importlib

    missing = []
    for module_name, path in INTERNALS:
        try:
            obj: Any = importlib.import_module(module_name)
            for part in path.split("."):
                obj = getattr(obj, part)
        except (ImportError, AttributeError):
            missing.append(f"{module_name}.{path}")
    try:
        from huggingface_hub.file_download import http_get as function

        parameters = inspect.signature(function).parameters
    except (ImportError, ValueError, TypeError):
        return missing
    missing += [
        f"huggingface_hub.file_download.http_get({name}=)"
        for name in HTTP_GET_KEYWORDS
        if name not in parameters
    ]
    return missing


def disable_telemetry() -> None:
    """Make huggingface_hub send only the download requests.

    With telemetry on, every request's headers call ``detect_agent()``, which fetches
    ``{ENDPOINT}/api/agent-harnesses`` with the endpoint read at import time
    (huggingface_hub ``utils/_detect_agent.py``): an extra request, possibly to another host
    than ``HF_ENDPOINT``. The flag is read from ``constants`` at call time.
    """
    from huggingface_hub import constants

    constants.HF_HUB_DISABLE_TELEMETRY = True


def hf_headers() -> dict[str, str]:
    """The headers huggingface_hub sends to the hub (user agent, and the token when logged in)."""
    # Not re-exported by huggingface_hub.utils for type checkers; the function is public API.
    from huggingface_hub.utils._headers import build_hf_headers

    return dict(build_hf_headers())


def http_get(
    url: str,
    out: IO[bytes],
    *,
    resume_size: int,
    headers: dict[str, str],
    expected_size: int,
    displayed_filename: str,
    progress_class: type,
) -> None:
    """Stream ``url`` into ``out`` from byte ``resume_size``, with huggingface_hub's retries.

    ``progress_class`` stands in for tqdm: huggingface_hub calls it with ``total``, ``initial``
    and display keywords, uses it as a context manager and calls ``update(n)`` per chunk.

    Raises:
        OSError: the transfer ended early and could not resume (a size check failed).
        httpx2.HTTPError, huggingface_hub.errors.HfHubHTTPError: the request failed.
    """
    from huggingface_hub.file_download import http_get as get

    get(
        url,
        cast(Any, out),
        resume_size=resume_size,
        headers=headers,
        expected_size=expected_size,
        displayed_filename=displayed_filename,
        tqdm_class=cast(Any, progress_class),
    )

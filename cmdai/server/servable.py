"""What a server serves: which backends are worth serving, and the identity of a model.

A server answers only clients whose model settings (backend, model and the model file's
sha256, n_ctx, threads, seed, cache dir) equal its own: a client with other settings, or whose
model file was replaced since the server loaded it, generates in-process, with a notice, rather
than silently using a different model.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cmdai import errors
from cmdai.errors import ConfigError
from cmdai.settings import ResolvedSettings

SERVABLE_BACKENDS = ("llamacpp", "fake")
"""Backends worth keeping warm: in-process ones (a remote backend has nothing to load)."""

GATE_SOURCES = (
    "__init__.py",
    "errors.py",
    "inline.py",
    "lazy.py",
    "safety",
    "settings.py",
    "shellparse",
)
"""The safety gate's code, relative to the cmdai package (a test checks that every cmdai module
the gate imports is here)."""


def gate_identity(package: Path | None = None) -> str:
    """A digest of the safety gate as this process would load it: its files and environment.

    Each file's path, size and modification time, and the Python environment (its other
    packages: the bash grammar's version). A client asks the warm server for the gate's verdict
    only when the server computed the same digest when it started: the server then runs the
    very gate the client would, and the client need not load it (a third of its start-up).
    """
    package = package or Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{sys.prefix}\n{sys.version}\n{package}\n".encode())
    for source in GATE_SOURCES:
        root = package / source
        files = sorted(root.rglob("*.py")) if root.is_dir() else [root]
        for file in files:
            try:
                st = file.stat()
            except OSError:
                continue
            digest.update(f"{file.relative_to(package)} {st.st_size} {st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def identity(resolved: ResolvedSettings) -> dict[str, Any]:
    """The settings that decide which model a backend runs, normalised for comparison.

    Client and server compute this from their own settings; a server answers only a client
    whose identity equals its own. Per-request knobs (temperature, max tokens, prompt, safety
    mode) travel with each request instead.
    """
    from cmdai.models import DEFAULT_MODEL_NAME, REGISTRY, parse_hub_ref

    settings = resolved.settings
    model = settings.model or DEFAULT_MODEL_NAME
    if model not in REGISTRY and parse_hub_ref(model) is None:
        model = str(Path(model).expanduser().resolve())
    cache_dir = resolved.cache_dir.expanduser().resolve()
    sha256, file = _model_file(model, cache_dir)
    return {
        "backend": settings.backend,
        "model": model,
        "sha256": sha256,
        "file": file,
        "n_ctx": settings.n_ctx,
        "n_threads": settings.threads(),
        "seed": settings.seed,
        "cache_dir": str(cache_dir),
    }


def _model_file(model: str, cache_dir: Path) -> tuple[str | None, str | None]:
    """The sha256 of the model's file when known without hashing, else its size and mtime.

    Either way a file replaced at the same path is another model. (None, None) when there is
    no such file (yet).
    """
    from cmdai import models

    try:
        located = models.locate(model, cache_dir)
    except errors.ModelError:
        return None, None
    sha256 = models.known_sha256(located)
    if sha256 is not None:
        return sha256, None
    try:
        st = located.path.stat()
    except OSError:
        return None, None
    return None, f"{st.st_size} bytes, mtime_ns {st.st_mtime_ns}"


def check_servable(resolved: ResolvedSettings) -> None:
    """Refuse to serve a backend that has nothing to keep warm.

    Raises:
        ConfigError: a remote backend.
    """
    _check_servable(resolved.settings.backend)


def _check_servable(backend: str) -> None:
    if backend not in SERVABLE_BACKENDS:
        raise ConfigError(
            f"the warm server keeps a local model loaded; the {backend} backend has none",
            hint="Serve a local model: cmdai serve --backend llamacpp.",
        )


def _differences(ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> str:
    keys = sorted(set(ours) | set(theirs))
    return ", ".join(
        f"{k} {theirs.get(k)!r} (this request: {ours.get(k)!r})"
        for k in keys
        if ours.get(k) != theirs.get(k)
    )

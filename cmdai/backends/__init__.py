"""Model backends, selectable by name. Each module imports its heavy dependencies lazily.

``llamacpp`` runs a GGUF in-process; ``openai`` and ``ollama`` talk to a model server over HTTP
(``base_url``, ``remote_model``, the API key, ``timeout_s`` and ``retries`` come from Settings);
``fake`` answers from a script or canned replies.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cmdai.backends.base import Backend, Generation, GenerationRequest, Message
from cmdai.errors import ConfigError
from cmdai.settings import Settings

if TYPE_CHECKING:
    from cmdai.models import ProgressCallback

__all__ = [
    "BACKENDS",
    "Backend",
    "Generation",
    "GenerationRequest",
    "Message",
    "create_backend",
]

Notice = Callable[[str], None]
"""Told one line before slow one-time work (assembling a model, caching a prompt)."""

BackendFactory = Callable[[Settings, Path, "ProgressCallback | None", Notice | None], Backend]


def _llamacpp(
    settings: Settings, cache_dir: Path, progress: ProgressCallback | None, notice: Notice | None
) -> Backend:
    from cmdai.backends.llamacpp import LlamaCppBackend
    from cmdai.models import resolve_model

    return LlamaCppBackend(
        lambda: resolve_model(settings.model, cache_dir=cache_dir, progress=progress),
        n_ctx=settings.n_ctx,
        n_threads=settings.threads(),
        seed=settings.seed,
        state_dir=cache_dir / "state",
        notice=notice,
        # "auto" is resolved to on or off where repacking can pay (the warm server); a
        # one-shot process would pay the slower load for a dozen tokens.
        repack=settings.repack == "on",
    )


def _fake(
    settings: Settings, cache_dir: Path, progress: ProgressCallback | None, notice: Notice | None
) -> Backend:
    from cmdai.backends.fake import FakeBackend

    return FakeBackend()


def _openai(
    settings: Settings, cache_dir: Path, progress: ProgressCallback | None, notice: Notice | None
) -> Backend:
    from cmdai.backends.openai import OpenAIBackend

    return OpenAIBackend.from_settings(settings)


def _ollama(
    settings: Settings, cache_dir: Path, progress: ProgressCallback | None, notice: Notice | None
) -> Backend:
    from cmdai.backends.ollama import OllamaBackend

    return OllamaBackend.from_settings(settings)


BACKENDS: dict[str, BackendFactory] = {
    "llamacpp": _llamacpp,
    "openai": _openai,
    "ollama": _ollama,
    "fake": _fake,
}


def create_backend(
    settings: Settings,
    cache_dir: Path,
    progress: ProgressCallback | None = None,
    notice: Notice | None = None,
) -> Backend:
    """Build the backend named by ``settings.backend`` (nothing heavy is loaded yet).

    Raises:
        ConfigError: unknown backend name.
    """
    try:
        factory = BACKENDS[settings.backend]
    except KeyError:
        raise ConfigError(
            f"unknown backend {settings.backend!r}",
            hint="Known backends: " + ", ".join(sorted(BACKENDS)) + ".",
        ) from None
    return factory(settings, cache_dir, progress, notice)

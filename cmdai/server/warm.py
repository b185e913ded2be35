"""``server = "auto"`` (the default): keep the model warm for the next request, when affordable.

People ask a command-line helper in bursts (Ollama keeps a model loaded for five minutes after
use for the same reason). With ``auto``, a request that finds a compatible warm server uses it;
one that finds none is answered in-process, exactly as with ``server = "off"``, so the first
request is never slower, and once it is over a server is started in the background for the
requests that follow. That server exits after ``AUTO_IDLE_TIMEOUT_S`` without requests.

None is started:
- in CI (the ``CI`` environment variable set to anything but ``false`` or ``0``): a test run
  must not leave processes behind;
- when the machine's available memory is under twice the server's resident size (the model
  file's size times ``RESIDENT``: it maps the file and keeps its own buffers): said once, then
  only logged;
- for a backend with nothing to load (a remote server) or a model that is not there yet.

``server = "off"`` turns it all off; ``cmdai serve --status`` and ``--stop`` show and stop it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from cmdai.errors import CmdaiError
from cmdai.memory import MEMORY_FACTOR, RESIDENT, available_memory
from cmdai.server.paths import lock_holder, server_paths
from cmdai.server.servable import SERVABLE_BACKENDS
from cmdai.settings import ResolvedSettings

log = logging.getLogger(__name__)

AUTO_IDLE_TIMEOUT_S = 300.0
"""An automatically started server exits after this many seconds without a request."""

_MEMORY_NOTICE = "auto-memory-notice"


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """True under a CI system (``CI`` set, as GitHub Actions, GitLab and others set it)."""
    value = (os.environ if environ is None else environ).get("CI", "")
    return value.strip().lower() not in ("", "0", "false", "no")


def why_not(
    resolved: ResolvedSettings,
    *,
    environ: Mapping[str, str] | None = None,
    memory: Callable[[], int | None] | None = None,
) -> str | None:
    """Why no server should be started for these settings now; None when one may be."""
    if resolved.settings.backend not in SERVABLE_BACKENDS:
        return f"the {resolved.settings.backend} backend has no local model to keep warm"
    if in_ci(environ):
        return "running in CI"
    size = _model_size(resolved)
    if size is None:
        return "the model file is not there yet"
    available = (memory or available_memory)()
    if available is None:
        return "this machine's available memory is unknown"
    if available < MEMORY_FACTOR * RESIDENT * size:
        return (
            f"available memory ({available / 1e9:.1f} GB) is under twice what the model holds "
            f"in memory (about {RESIDENT * size / 1e9:.1f} GB)"
        )
    return None


def warm_for_later(resolved: ResolvedSettings, notice: Callable[[str], None]) -> bool:
    """Start a server in the background for the next requests, when it is worth it.

    Never raises: the request this follows has been answered; a failure is logged, and a lack
    of memory is told once (``notice``) and then only logged.
    """
    from cmdai.server.client import spawn_server

    reason = why_not(resolved)
    if reason is not None:
        log.info("not starting a warm server: %s", reason)
        if reason.startswith("available memory") and _first_time(_MEMORY_NOTICE):
            notice(f"not keeping the model warm: {reason} (said once; server = off silences it)")
        return False
    try:
        paths = server_paths(create=True)
        if (holder := lock_holder(paths)) is not None:
            # One is starting (it holds the lock while it probes and loads): a second start
            # would only wait for the lock, or measure beside it on the same cores.
            log.info("a warm server is starting (pid %s)", holder)
            return False
        spawn_server(resolved, AUTO_IDLE_TIMEOUT_S, paths)
    except CmdaiError as exc:
        log.info("could not start a warm server: %s", exc.message)
        return False
    log.info(
        "started a warm server for the next requests (exits after %gs idle)", AUTO_IDLE_TIMEOUT_S
    )
    return True


def _model_size(resolved: ResolvedSettings) -> int | None:
    if resolved.settings.backend != "llamacpp":
        return 0  # the fake backend: nothing to map
    from cmdai import errors, models

    try:
        return (
            models.locate(resolved.settings.model or models.DEFAULT_MODEL_NAME, resolved.cache_dir)
            .path.stat()
            .st_size
        )
    except (errors.ModelError, OSError):
        return None


def _first_time(name: str) -> bool:
    """True the first time this is asked for ``name`` (a stamp in the runtime directory)."""
    try:
        stamp: Path = server_paths(create=True).directory / name
        with open(stamp, "x", encoding="ascii"):
            return True
    except FileExistsError:
        return False
    except (OSError, CmdaiError):
        return True

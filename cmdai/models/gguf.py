"""A small pure-Python reader for GGUF headers: the metadata, never the weights.

GGUF (v2 and v3; v1 used 32-bit counts and is long obsolete) starts with the magic ``GGUF``, a
u32 version, a u64 tensor count and a u64 key/value count, then the typed key/values, then one
record per tensor (name, dims, type, offset). Everything is little-endian. This reads just
enough to describe a file (``cmdai model info``) and to say what is wrong with one before
llama.cpp sees it (``check_usable``). Large arrays (the tokenizer's ~150k tokens and merges)
are skipped over, not decoded.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cmdai.errors import ModelCorruptError

MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)

# GGUF value types (gguf.h: enum gguf_type).
_UINT8, _INT8, _UINT16, _INT16, _UINT32, _INT32, _FLOAT32, _BOOL = range(8)
_STRING, _ARRAY, _UINT64, _INT64, _FLOAT64 = 8, 9, 10, 11, 12
_SCALARS: dict[int, str] = {
    _UINT8: "<B",
    _INT8: "<b",
    _UINT16: "<H",
    _INT16: "<h",
    _UINT32: "<I",
    _INT32: "<i",
    _FLOAT32: "<f",
    _BOOL: "<?",
    _UINT64: "<Q",
    _INT64: "<q",
    _FLOAT64: "<d",
}
# Arrays longer than this are skipped (their length is kept), so a header read stays cheap.
_MAX_ARRAY = 64
# Sanity limits: a corrupt count must not make the reader allocate or loop forever.
_MAX_KV = 1 << 16
_MAX_TENSORS = 1 << 20
_MAX_STRING = 64 << 20

# llama.cpp's general.file_type values (enum llama_ftype).
FILE_TYPES: dict[int, str] = {
    0: "F32",
    1: "F16",
    2: "Q4_0",
    3: "Q4_1",
    7: "Q8_0",
    8: "Q5_0",
    9: "Q5_1",
    10: "Q2_K",
    11: "Q3_K_S",
    12: "Q3_K_M",
    13: "Q3_K_L",
    14: "Q4_K_S",
    15: "Q4_K_M",
    16: "Q5_K_S",
    17: "Q5_K_M",
    18: "Q6_K",
    19: "IQ2_XXS",
    20: "IQ2_XS",
    21: "Q2_K_S",
    22: "IQ3_XS",
    23: "IQ3_XXS",
    24: "IQ1_S",
    25: "IQ4_NL",
    26: "IQ3_S",
    27: "IQ3_M",
    28: "IQ2_S",
    29: "IQ2_M",
    30: "IQ4_XS",
    31: "IQ1_M",
    32: "BF16",
    36: "TQ1_0",
    37: "TQ2_0",
}

# Architectures llama.cpp reads but that cannot answer a chat request (encoders, embedders).
NOT_GENERATIVE = frozenset(
    {
        "bert",
        "nomic-bert",
        "nomic-bert-moe",
        "jina-bert-v2",
        "clip",
        "t5encoder",
        "wavtokenizer-dec",
    }
)


class TruncatedHeaderError(ModelCorruptError):
    """The file ends inside its GGUF header."""


@dataclass(frozen=True)
class SkippedArray:
    """An array too long to keep: its element type and length."""

    item_type: int
    length: int


@dataclass(frozen=True)
class GGUFInfo:
    """What a GGUF header says about a model.

    Attributes:
        version: GGUF format version.
        tensor_count: Number of tensors in the file.
        metadata: Every key/value (long arrays as ``SkippedArray``).
        parameter_count: Sum of the tensors' element counts, when the tensor table was read.
    """

    version: int
    tensor_count: int
    metadata: dict[str, Any] = field(repr=False)
    parameter_count: int | None = None

    @property
    def architecture(self) -> str | None:
        """``general.architecture`` (for example ``qwen2``, ``llama``)."""
        value = self.metadata.get("general.architecture")
        return value if isinstance(value, str) else None

    @property
    def context_length(self) -> int | None:
        """The context length the model was trained for (``{arch}.context_length``)."""
        value = self.metadata.get(f"{self.architecture}.context_length")
        return value if isinstance(value, int) else None

    @property
    def file_type(self) -> str | None:
        """The quantization, as llama.cpp names it (``Q4_K_M``), from ``general.file_type``."""
        value = self.metadata.get("general.file_type")
        if not isinstance(value, int):
            return None
        return FILE_TYPES.get(value, f"type {value}")

    @property
    def chat_template(self) -> str | None:
        """The Jinja chat template carried in the file, if any."""
        value = self.metadata.get("tokenizer.chat_template")
        return value if isinstance(value, str) and value.strip() else None

    @property
    def name(self) -> str | None:
        """``general.name`` when present."""
        value = self.metadata.get("general.name")
        return value if isinstance(value, str) else None


class _Reader:
    """Buffered little-endian reads from a binary file."""

    def __init__(self, f: IO[bytes], where: Path) -> None:
        self.f = f
        self.where = where

    def take(self, n: int) -> bytes:
        data = self.f.read(n)
        if len(data) != n:
            raise TruncatedHeaderError(
                f"{self.where} ends inside its GGUF header (truncated or not a GGUF file)",
                hint="Download the file again, or pick another model.",
            )
        return data

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        n = self.unpack("<Q")
        if n > _MAX_STRING:
            raise _corrupt(self.where, f"a string of {n} bytes")
        return self.take(n).decode("utf-8", "replace")

    def skip(self, n: int) -> None:
        self.f.seek(n, 1)

    def value(self, kind: int) -> Any:
        if kind in _SCALARS:
            return self.unpack(_SCALARS[kind])
        if kind == _STRING:
            return self.string()
        if kind == _ARRAY:
            item = self.unpack("<I")
            length = self.unpack("<Q")
            if length <= _MAX_ARRAY:
                return [self.value(item) for _ in range(length)]
            self.skip_array(item, length)
            return SkippedArray(item, length)
        raise _corrupt(self.where, f"an unknown value type {kind}")

    def skip_array(self, item: int, length: int) -> None:
        if item in _SCALARS:
            self.skip(struct.calcsize(_SCALARS[item]) * length)
        elif item == _STRING:
            self.skip_strings(length)
        else:
            for _ in range(length):
                self.value(item)

    def skip_strings(self, length: int) -> None:
        """Skip ``length`` length-prefixed strings (a tokenizer's ~150k tokens) in bulk reads."""
        data = b""
        pos = 0
        for _ in range(length):
            if pos + 8 > len(data):
                data = data[pos:] + self.f.read(1 << 20)
                pos = 0
                if len(data) < 8:
                    self.take(8)  # raises: truncated
            (n,) = _U64.unpack_from(data, pos)
            pos += 8 + n
            if pos > len(data):  # the string runs past the buffer: continue from the file
                self.skip(pos - len(data))
                data = b""
                pos = 0
        self.skip(pos - len(data))  # give back what was read ahead


_U64 = struct.Struct("<Q")


def _corrupt(path: Path, what: str) -> ModelCorruptError:
    return ModelCorruptError(
        f"{path} has a damaged GGUF header ({what})",
        hint="Download the file again, or pick another model.",
    )


def read_info(path: Path, *, tensors: bool = True) -> GGUFInfo:
    """Read a GGUF file's header: version, metadata and (optionally) its parameter count.

    Raises:
        ModelCorruptError: not a GGUF file, an unsupported version, or a damaged header.
        OSError: the file cannot be read.
    """
    with path.open("rb", buffering=1 << 20) as f:
        r = _Reader(f, path)
        head = f.read(4)
        if head != MAGIC:
            raise ModelCorruptError(
                f"{path} is not a GGUF model file (it starts with {head!r})",
                hint="cmdai loads llama.cpp GGUF files; convert the model or pick another file.",
            )
        version = r.unpack("<I")
        if version not in SUPPORTED_VERSIONS:
            raise ModelCorruptError(
                f"{path} is GGUF version {version}; cmdai reads versions 2 and 3",
                hint="Convert the model with a current llama.cpp, or pick another file.",
            )
        tensor_count = r.unpack("<Q")
        kv_count = r.unpack("<Q")
        if kv_count > _MAX_KV or tensor_count > _MAX_TENSORS:
            raise _corrupt(path, f"{kv_count} keys, {tensor_count} tensors")
        metadata: dict[str, Any] = {}
        for _ in range(kv_count):
            key = r.string()
            metadata[key] = r.value(r.unpack("<I"))
        params: int | None = None
        if tensors:
            params = 0
            for _ in range(tensor_count):
                r.skip(r.unpack("<Q"))  # name
                n_dims = r.unpack("<I")
                if n_dims > 8:
                    raise _corrupt(path, f"a tensor with {n_dims} dimensions")
                count = 1
                for _ in range(n_dims):
                    count *= r.unpack("<Q")
                r.skip(4 + 8)  # type, offset
                params += count
    return GGUFInfo(version, tensor_count, metadata, params)


def check_usable(path: Path) -> GGUFInfo:
    """Check that cmdai can use this GGUF: a readable header, a chat model, a chat template.

    Raises:
        ModelCorruptError: what is wrong, with a hint.
    """
    info = read_info(path, tensors=False)
    arch = info.architecture
    if not arch:
        raise ModelCorruptError(
            f"{path} does not name its architecture (general.architecture)",
            hint="The file is not a llama.cpp model; convert it with a current llama.cpp.",
        )
    if arch in NOT_GENERATIVE:
        raise ModelCorruptError(
            f"{path} is a {arch} model, which cannot generate text",
            hint="cmdai needs an instruction-tuned (chat) model, such as Qwen2.5-Coder-Instruct.",
        )
    if info.chat_template is None:
        raise ModelCorruptError(
            f"{path} has no chat template in its metadata (tokenizer.chat_template)",
            hint="cmdai needs an instruction-tuned GGUF that carries its chat template.",
        )
    return info


def write_gguf(
    path: Path,
    metadata: dict[str, Any],
    tensors: dict[str, list[int]] | None = None,
    version: int = 3,
) -> None:
    """Write a minimal GGUF (header, metadata, tensor table; no tensor data): for tests.

    Values: ``str``, ``bool``, ``int`` (u32, or i64 when large), ``float`` (f32), and lists of
    those. ``tensors`` maps a tensor name to its dimensions.
    """
    tensors = tensors or {}
    out = bytearray(MAGIC)
    out += struct.pack("<IQQ", version, len(tensors), len(metadata))

    def string(text: str) -> bytes:
        raw = text.encode("utf-8")
        return struct.pack("<Q", len(raw)) + raw

    def typed(value: Any) -> tuple[int, bytes]:
        if isinstance(value, bool):
            return _BOOL, struct.pack("<?", value)
        if isinstance(value, int):
            if 0 <= value < 1 << 32:
                return _UINT32, struct.pack("<I", value)
            return _INT64, struct.pack("<q", value)
        if isinstance(value, float):
            return _FLOAT32, struct.pack("<f", value)
        if isinstance(value, str):
            return _STRING, string(value)
        if isinstance(value, list):
            items = [typed(v) for v in value]
            kind = items[0][0] if items else _UINT32
            return _ARRAY, struct.pack("<IQ", kind, len(items)) + b"".join(b for _, b in items)
        raise TypeError(f"cannot write {type(value).__name__} to GGUF")

    for key, value in metadata.items():
        kind, raw = typed(value)
        out += string(key) + struct.pack("<I", kind) + raw
    for name, dims in tensors.items():
        out += string(name) + struct.pack("<I", len(dims))
        out += b"".join(struct.pack("<Q", d) for d in dims) + struct.pack("<IQ", 0, 0)
    path.write_bytes(bytes(out))

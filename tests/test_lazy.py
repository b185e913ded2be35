"""The package facades (``cmdai.safety``, ``cmdai.models``, ``cmdai.server``): every name they
export is the part's own object, imported on first use; other names are not there."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

FACADES = ("cmdai.safety", "cmdai.models", "cmdai.server")


@pytest.mark.parametrize("package", FACADES)
def test_every_exported_name_is_the_parts_own(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        value = getattr(module, name)
        owner = getattr(value, "__module__", None)
        if owner and owner.startswith(package + "."):  # a function or class: where it lives
            assert getattr(importlib.import_module(owner), name) is value


@pytest.mark.parametrize("package", FACADES)
def test_an_unknown_name_is_an_attribute_error(package: str) -> None:
    module = importlib.import_module(package)
    with pytest.raises(AttributeError, match=f"module '{package}' has no attribute 'nothing'"):
        module.nothing  # noqa: B018


def test_a_submodule_is_still_imported_by_name() -> None:
    from cmdai.models import gguf
    from cmdai.server import warm

    assert gguf.__name__ == "cmdai.models.gguf"
    assert warm.__name__ == "cmdai.server.warm"


def test_importing_a_facade_imports_none_of_its_heavy_parts() -> None:
    code = (
        "import sys, cmdai.safety, cmdai.models, cmdai.server\n"
        "heavy = ('cmdai.safety.rules', 'cmdai.safety.gate', 'cmdai.models.hub',\n"
        "         'cmdai.models.resolve', 'cmdai.server.daemon', 'cmdai.server.client')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

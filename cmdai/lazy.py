"""Package facades that import their parts on first use (PEP 562).

``cmdai.safety`` and ``cmdai.models`` re-export names from their parts so that callers need
not know the split; importing every part up front cost a warm request's client a third of its
start-up (the gate's rule table, the hub client) for parts it never used.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def exports(package: str, parts: Mapping[str, tuple[str, ...]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: each name of ``parts[module]`` from that module.

    The name is looked up once, then kept on the package. Unknown names raise AttributeError,
    so that ``from package import submodule`` still imports the submodule.
    """
    where = {name: module for module, names in parts.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__

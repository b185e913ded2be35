"""The layout's promises: no import cycle, one direction of dependency, modules a reader can hold.

Read from the source (``ast``), so imports inside functions count too: a lazy import that
closes a circle still ties the two modules together for a maintainer, and breaks when one of
them is imported half-way. Imports under ``if TYPE_CHECKING:`` never run, and those under
``if __name__ == "__main__":`` run only in the program's own copy of the module: neither counts.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Data tables: long by nature, a row per rule or per tool; code stays under the limit.
DATA_TABLES = {"cmdai/safety/rules.py", "cmdai/safety/effects_table.py"}
MAX_LINES = 600


def _modules(package: str) -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _never_imported(node: ast.If) -> bool:
    """An ``if TYPE_CHECKING:`` or ``if __name__ == "__main__":`` block."""
    test = node.test
    if isinstance(test, ast.Compare) and isinstance(test.left, ast.Name):
        return test.left.id == "__name__"
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(tree: ast.AST, modules: dict[str, Path], here: str) -> set[str]:
    """The project modules a module imports, anywhere in its body."""
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _never_imported(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                package = here.split(".")
                if not here_is_package:
                    package = package[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            for alias in node.names:
                # `from pkg import sub` imports the submodule; `from mod import name` the module.
                names.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    here_is_package = modules[here].name == "__init__.py"
    visit(tree)
    return {name for name in names if name in modules and name != here}


def _graph(*packages: str) -> dict[str, set[str]]:
    modules: dict[str, Path] = {}
    for package in packages:
        modules.update(_modules(package))
    return {
        name: _imported(ast.parse(path.read_text(encoding="utf-8")), modules, name)
        for name, path in modules.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules around it; None when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := walk(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := walk(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_a_lazy_import_counts(tmp_path: Path) -> None:
    code = "def f():\n    from cmdai import hub\n"
    modules = {"cmdai.models": tmp_path / "models.py", "cmdai.hub": tmp_path / "hub.py"}
    assert _imported(ast.parse(code), modules, "cmdai.models") == {"cmdai.hub"}
    typing_only = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cmdai import hub\n"
    assert _imported(ast.parse(typing_only), modules, "cmdai.models") == set()
    program = 'if __name__ == "__main__":\n    from cmdai import hub\n'
    assert _imported(ast.parse(program), modules, "cmdai.models") == set()


def test_cmdai_and_evals_import_no_cycle() -> None:
    assert _cycle(_graph("cmdai", "evals")) is None


def test_the_product_never_imports_the_harness() -> None:
    graph = _graph("cmdai", "evals")
    wrong = {
        (name, target)
        for name, targets in graph.items()
        if name.startswith("cmdai")
        for target in targets
        if target.startswith("evals")
    }
    assert not wrong


@pytest.mark.parametrize(
    "path", sorted(_modules("cmdai").values()), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_a_module_is_short_enough_to_read(path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    if relative in DATA_TABLES:
        pytest.skip("a data table")
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{relative}: {lines} lines; split it by job"

"""A Python package built from pyproject.toml (cmdai.projects' facts, cmdai.pyproject_fixes;
the thirty-eighth by-hand round). Commands that need no network run here."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.projects import python_fact

PYPROJECT = """[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "notecli"
version = "0.3.1"
dependencies = ["click>=8.1"]

[project.optional-dependencies]
dev = ["pytest", "ruff"]

[project.scripts]
notes = "notecli.cli:main"
"""


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return write_files(tmp_path, {"pyproject.toml": PYPROJECT, "src/notecli/__init__.py": ""})


def test_the_project_is_shown_where_the_request_speaks_of_it(package: Path) -> None:
    shown = python_fact("install the project with its dev extras", package)
    assert shown == (
        "pyproject.toml",
        "Python project notecli 0.3.1 (built with setuptools); dependencies: click>=8.1; "
        "extras: dev (pytest, ruff); scripts: notes (notecli.cli:main)",
    )
    assert python_fact("which version of click is installed", package) is not None
    for request in ("run the notes command", "show the kernel version", "count the lines"):
        assert python_fact(request, package) is None, request
    (package / "pyproject.toml").write_text("[project\n")
    assert python_fact("show the project's version", package) is None


def test_the_package_installed_built_and_read_its_way(package: Path) -> None:
    assert (
        fixed(
            "pip install -r pyproject.toml[dev]", "install the project with its dev extras", package
        )
        == "pip install '.[dev]'"
    )
    assert fixed("pip install -e .", "install the project with its docs extras", package) is None
    version = fixed(
        "grep -oP '(?<=version=)[^;]+' pyproject.toml", "show the project's version", package
    )
    assert version == "grep -m 1 '^version' pyproject.toml"
    assert run_bash(version, package).stdout == 'version = "0.3.1"\n'
    venv = fixed(
        "python -m venv .venv",
        "make a virtual environment in .venv and install the project into it",
        package,
    )
    assert venv == "python -m venv .venv && .venv/bin/pip install ."
    assert fixed("python -m venv .venv", "make a virtual environment in .venv", package) is None
    outputs = fixed("rm -rf build", "remove the build outputs", package)
    assert outputs == "rm -rf build dist *.egg-info src/*.egg-info"
    write_files(package, {"build/x": "", "dist/a.whl": "", "src/notecli.egg-info/PKG-INFO": ""})
    run_bash(outputs, package)
    assert sorted(p.name for p in package.iterdir()) == ["pyproject.toml", "src"]
    assert sorted(p.name for p in (package / "src").iterdir()) == ["notecli"]


def test_ruffs_own_sub_commands(tmp_path: Path) -> None:
    assert fixed("ruff .", "check the code with ruff", tmp_path) == "ruff check ."
    assert fixed("ruff --fix src", "fix what ruff finds in src", tmp_path) == "ruff check --fix src"
    assert fixed("ruff --fix .", "format the code with ruff", tmp_path) == "ruff format ."
    assert fixed("ruff check .", "check the code with ruff", tmp_path) is None
    assert fixed("ruff format .", "format the code with ruff", tmp_path) is None

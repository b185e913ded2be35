"""Sure fixes from the twenty-second by-hand round: the chores of a Python project.

A test run by its name (``pytest -k``), the version of a package the project's requirements
list (``pip show``, not the system's ``dpkg``), and the functions the project's files define.

Each returns the fixed command with a ``fixed here:`` note, or None; ``project_fix`` is the one
``cmdai.sure_fixes`` calls, for any draft, with the working directory to read (it also tries
``cmdai.pyproject_fixes``, ``cmdai.cargo_fixes``, ``cmdai.compose_fixes``,
``cmdai.make_target_fixes``, ``cmdai.unit_fixes``, ``cmdai.cmake_fixes``,
``cmdai.maven_fixes``, ``cmdai.docker_fixes``, ``cmdai.go_fixes``, ``cmdai.venv_fixes``,
``cmdai.k8s_fixes``, ``cmdai.terraform_fixes``, ``cmdai.workspace_fixes``,
``cmdai.submodule_fixes``, ``cmdai.ansible_fixes``, ``cmdai.django_fixes`` and
``cmdai.managed_fixes``).
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.ansible_fixes import ansible_fix
from cmdai.cargo_fixes import cargo_fix
from cmdai.cmake_fixes import cmake_fix
from cmdai.compose_fixes import compose_fix
from cmdai.django_fixes import django_fix
from cmdai.docker_fixes import docker_fix
from cmdai.go_fixes import go_fix
from cmdai.k8s_fixes import k8s_fix
from cmdai.make_target_fixes import make_target_fix
from cmdai.managed_fixes import managed_fix
from cmdai.maven_fixes import maven_fix
from cmdai.pyproject_fixes import pyproject_fix
from cmdai.submodule_fixes import submodule_fix
from cmdai.terraform_fixes import terraform_fix
from cmdai.unit_fixes import unit_fix
from cmdai.venv_fixes import venv_fix
from cmdai.workspace_fixes import workspace_fix

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def project_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of this module's fixes that applies (None: none does)."""
    return (
        test_name_fix(command, request, here)
        or requirement_version_fix(command, request, here)
        or functions_fix(command, request, here)
        or pyproject_fix(command, request, here)  # a package built from pyproject.toml
        or cargo_fix(command, request, here)  # a Rust crate
        or compose_fix(command, request, here)  # an app run with Docker Compose
        or docker_fix(command, request, here)  # a Dockerfile here, and Docker's chores
        or make_target_fix(command, request, here)  # tasks as a Makefile's targets
        or unit_fix(command, request, here)  # systemd unit files here
        or cmake_fix(command, request, here)  # a C or C++ project built with CMake
        or maven_fix(command, request, here)  # a Java project built with Maven
        or go_fix(command, request, here)  # a Go module
        or venv_fix(command, request, here)  # a Python virtual environment here
        or k8s_fix(command, request, here)  # Kubernetes manifests, with kustomize
        or terraform_fix(command, request, here)  # a Terraform configuration
        or workspace_fix(command, request, here)  # npm workspaces (a monorepo)
        or submodule_fix(command, request, here)  # a git repository's submodules
        or ansible_fix(command, request, here)  # an Ansible project
        or django_fix(command, request, here)  # a Django project
        or managed_fix(command, request, here)  # a Python project managed with Poetry or uv
    )


_TEST_NAMED = re.compile(
    r"\b(?:run|start|execute)\s+(?:only\s+)?(?:the\s+)?(?:test|tests)\s+(?:called|named)\s+"
    r"(?P<name>test_?\w+)\b",
    re.IGNORECASE,
)


def test_name_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``pytest -k test_add`` for ``./test_add``, "run the test called test_add".

    A test is a function in a test file, not a program: pytest picks it by name. Only where
    this project has test files (``test_*.py``) and the draft runs the name itself.
    """
    asked = _TEST_NAMED.search(request)
    if asked is None:
        return None
    name = asked["name"]
    if command.strip() not in (name, f"./{name}", f"bash {name}", f"sh {name}"):
        return None
    if here.exists(name) or not (here.expand("test_*.py") or here.below("test_*.py")):
        return None
    fixed = f"pytest -k {shlex.quote(name)}"
    return fixed, f"fixed here: {name} is a test in this project's test files; pytest -k runs it"


_SYSTEM_PACKAGE = re.compile(
    r"^(?:dpkg\s+(?:-s|-l|--status|--list)|apt(?:-cache)?\s+(?:show|policy)|rpm\s+-q)"
    r"\s+(?P<name>[\w.-]+)(?:\s*\|\s*grep\s+.*)?$"
)
_REQUIREMENT = re.compile(r"^\s*(?P<name>[A-Za-z0-9][\w.-]*)")


def requirement_version_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``pip show requests`` for ``dpkg -s requests``, a package this project's requirements list.

    ``dpkg`` and ``apt`` know the system's packages; a Python package installed with pip is
    not among them ("package 'requests' is not installed").
    """
    found = _SYSTEM_PACKAGE.match(command.strip())
    if found is None or not re.search(r"\bversion|\binstalled\b", request, re.IGNORECASE):
        return None
    name = found["name"].lower()
    listed = [
        m["name"].lower()
        for m in (_REQUIREMENT.match(line) for line in here.lines("requirements.txt") or [])
        if m is not None
    ]
    if name not in listed:
        return None
    note = f"{name} is in requirements.txt, a Python package: pip knows its version, dpkg does not"
    return f"pip show {shlex.quote(name)}", f"fixed here: {note}"


_FUNCTIONS = re.compile(
    r"\b(?:list|show|find|print)\s+(?:all\s+)?(?:the\s+)?functions\b", re.IGNORECASE
)


def functions_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    r"""``grep -rnE '^\s*(async\s+)?def ' --include='*.py' src`` for "the functions in src".

    Only for Python files (the request says python, or the folder holds ``.py`` files) and a
    draft that never looks for ``def``.
    """
    if not _FUNCTIONS.search(request) or "def" in command:
        return None
    folders = here.named_folders(request)
    where = folders[0] if len(folders) == 1 else "."
    prefix = "" if where == "." else f"{where}/"
    python = [f for f in here.below("*.py") + here.expand("*.py") if f.startswith(prefix)]
    if not python or (not re.search(r"\bpython\b|\.py\b", request, re.I) and where == "."):
        return None
    pattern = r"'^\s*(async\s+)?def '"
    fixed = f"grep -rnE {pattern} --include='*.py' {shlex.quote(where)}"
    return fixed, "fixed here: a Python function starts with def; grep lists each with its file"

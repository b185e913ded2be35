"""Sure fixes from the thirty-eighth by-hand round: a Python package built from pyproject.toml.

The project installed with an extra it declares (``pip install '.[dev]'``; a draft gave pip
``-r pyproject.toml[dev]``), its own version read from the file (a draft's look-behind wanted
``version=`` with no spaces), a virtual environment made "and the project installed into it"
(a draft stopped at the venv), the build outputs removed (``dist`` and the ``.egg-info`` too),
and ruff's own sub-commands (``ruff check``; ``ruff format`` to format, not ``--fix``).

``pyproject_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called
(through ``cmdai.project_fixes.project_fix``) with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.project_files import parse_manifest, section

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def pyproject_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does)."""
    fixed = ruff_fix(command, request)
    if fixed is not None:
        return fixed
    project = _project(here)
    if project is None:
        return None
    return (
        extras_fix(command, request, project)
        or own_version_fix(command, request, project)
        or venv_install_fix(command, request)
        or build_outputs_fix(command, request)
    )


def _project(here: Here) -> dict[str, object] | None:
    lines = here.lines("pyproject.toml")
    data = parse_manifest("pyproject.toml", "\n".join(lines)) if lines else None
    return section(data, "project") or None if data is not None else None


_EXTRAS = re.compile(r"\bwith\s+(?:its|the)\s+(?P<extra>[\w-]+)\s+extras?\b", re.IGNORECASE)


def extras_fix(command: str, request: str, project: dict[str, object]) -> tuple[str, str] | None:
    """``pip install -e '.[dev]'`` for "install the project with its dev extras"."""
    asked = _EXTRAS.search(request)
    extras = project.get("optional-dependencies")
    if asked is None or not isinstance(extras, dict) or asked["extra"] not in extras:
        return None
    if f"[{asked['extra']}]" in command and "pyproject.toml" not in command:
        return None
    editable = "-e " if re.search(r"\beditable\b|\bdevelop", request, re.IGNORECASE) else ""
    fixed = f"pip install {editable}'.[{asked['extra']}]'"
    return fixed, f"fixed here: .[{asked['extra']}] installs the project with that extra"


def own_version_fix(
    command: str, request: str, project: dict[str, object]
) -> tuple[str, str] | None:
    """``grep -m 1 '^version' pyproject.toml`` for "show the project's version"."""
    if not re.search(r"\b(?:the|this)\s+(?:project|package)(?:'s)?\s+version\b", request, re.I):
        return None
    if not isinstance(project.get("version"), str) or "pyproject.toml" not in command:
        return None  # a version set at build time is not in the file
    if re.search(r"\^version|tomllib|toml", command.replace("pyproject.toml", "")):
        return None
    fixed = "grep -m 1 '^version' pyproject.toml"
    return fixed, "fixed here: the version is pyproject.toml's version = line"


_VENV_AND_INSTALL = re.compile(
    r"\bvirtual\s*env\w*\b.*\band\s+install\s+(?:the\s+|this\s+)?(?:project|package)\b", re.I
)


def venv_install_fix(command: str, request: str) -> tuple[str, str] | None:
    """``python3 -m venv .venv && .venv/bin/pip install .``: a venv with the project in it.

    Seen: the venv alone, for "make a virtual environment in .venv and install the project".
    """
    if not _VENV_AND_INSTALL.search(request):
        return None
    made = re.fullmatch(r"\s*(python3?)\s+-m\s+venv\s+(?P<dir>[\w./-]+)\s*", command)
    if made is None:
        return None
    folder = made["dir"].rstrip("/")
    editable = "-e " if re.search(r"\beditable\b", request, re.IGNORECASE) else ""
    fixed = f"{command.strip()} && {shlex.quote(folder)}/bin/pip install {editable}."
    return fixed, f"fixed here: {folder}/bin/pip installs the project into the new environment"


def build_outputs_fix(command: str, request: str) -> tuple[str, str] | None:
    """``rm -rf build dist *.egg-info src/*.egg-info`` for "remove the build outputs"."""
    if not re.search(
        r"\b(?:remove|delete|clean)\b.*\bbuild\s+(?:outputs|artifacts|files)\b", request
    ):
        return None
    if not re.fullmatch(r"\s*rm\s+-(?:rf|fr)\s+(?:\./)?build/?\s*", command):
        return None
    fixed = "rm -rf build dist *.egg-info src/*.egg-info"
    return fixed, "fixed here: a Python build also leaves dist/ and the .egg-info folders"


def ruff_fix(command: str, request: str) -> tuple[str, str] | None:
    """``ruff check .`` for ``ruff .``, and ``ruff format .`` for "format the code with ruff".

    Since ruff 0.5 a path alone is no command; formatting is ``ruff format``, not ``--fix``
    (which applies the linter's fixes).
    """
    found = re.fullmatch(r"\s*ruff\s+(?P<rest>(?:--fix\s+)?(?:[\w./-]+\s*)+)", command)
    if found is None or found["rest"].split()[0] in ("check", "format", "rule", "version"):
        return None
    paths = [w for w in found["rest"].split() if w != "--fix"]
    if re.search(r"\bformat\b", request, re.IGNORECASE):
        return f"ruff format {' '.join(paths)}", "fixed here: ruff format formats the code"
    fix = " --fix" if "--fix" in found["rest"] else ""
    return f"ruff check{fix} {' '.join(paths)}", "fixed here: ruff lints with ruff check PATH"

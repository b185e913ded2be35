"""A Python project managed with Poetry or uv, where a request speaks of it.

In a folder whose ``pyproject.toml`` has a ``[tool.poetry]`` table (the fifty-ninth by-hand
round), "install the project's dependencies" was ``npm install``, "add httpx as a dependency" a
``pip install`` into whatever Python was first on the PATH, "remove the requests dependency"
``rm requests``, and "update only click to the newest allowed version" was declined; beside a
``[tool.uv]`` table (the sixtieth), ``pip install -r pyproject.toml`` and a ``sed`` of the
project's dependency list. Where the request speaks of the project or its words
(dependencies, packages, version, build, lock, environment, tests) or names one of its
dependencies or scripts, the facts (through ``cmdai.projects.project_facts``) show it as its
manager's: its dependencies by group, its scripts, its lock file and whether its environment
was made. ``cmdai.managed_fixes`` reads the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cmdai.project_files import parse_manifest, request_words, section, small_text

MANAGED_WORDS = re.compile(
    r"\b(?:poetry|uv|dependenc\w*|packages?|versions?|build|wheel|sdist|distribution|lock\w*"
    r"|environment|venv|virtualenv|install\w*|tests?|publish\w*|pypi|release|outdated|tree"
    r"|requirements|pyproject\.toml|project(?:'s)?|bump|upgrade|update)\b",
    re.IGNORECASE,
)


@dataclass
class Managed:
    """What a Poetry or uv project's ``pyproject.toml`` says, as far as facts and fixes need."""

    manager: str = "poetry"  # or "uv"
    name: str = ""
    version: str = ""
    python: str = ""
    groups: dict[str, dict[str, str]] = field(default_factory=dict)  # main -> {click: ^8.1}
    scripts: dict[str, str] = field(default_factory=dict)  # wordstats -> wordstats.cli:main
    locked: bool = False
    environment: str = ""  # .venv, where the project keeps one in its folder

    def group_of(self, package: str) -> str | None:
        """The group that lists ``package`` (``main`` for the dependencies; None: none)."""
        wanted = package.lower().replace("_", "-")
        for group, packages in self.groups.items():
            if wanted in (p.lower().replace("_", "-") for p in packages):
                return group
        return None


def read_managed(workdir: Path) -> Managed | None:
    """The Poetry or uv project here (None: no ``pyproject.toml`` of theirs here)."""

    def text(name: str) -> str | None:
        return small_text(workdir / name)

    return parse_managed(text, lambda name: (workdir / name).exists())


def parse_managed(
    text: Callable[[str], str | None], exists: Callable[[str], bool]
) -> Managed | None:
    """The project that ``text`` (a small file's text here) and ``exists`` show (None: none)."""
    body = text("pyproject.toml")
    data = parse_manifest("pyproject.toml", body) if body is not None else None
    if data is None:
        return None
    tool = section(section(data, "tool"), "poetry")
    backend = str(section(data, "build-system").get("build-backend", ""))
    uv = "uv" in section(data, "tool") or exists("uv.lock")
    if not tool and not backend.startswith("poetry") and not uv:
        return None
    project = section(data, "project")  # Poetry 2 reads PEP 621's table too; uv only it
    manager = "poetry" if tool or backend.startswith("poetry") else "uv"
    found = Managed(
        manager=manager,
        name=str(tool.get("name") or project.get("name") or ""),
        version=str(tool.get("version") or project.get("version") or ""),
        locked=exists("poetry.lock" if manager == "poetry" else "uv.lock"),
        environment=".venv" if exists(".venv/pyvenv.cfg") else "",
    )
    found.python = str(project.get("requires-python") or "")
    main = {str(k): _spec(v) for k, v in section(tool, "dependencies").items()}
    found.python = main.pop("python", "") or found.python
    listed = project.get("dependencies")
    main.update(_requirement(line) for line in (listed if isinstance(listed, list) else []))
    found.groups["main"] = main
    for group, table in section(tool, "group").items():
        packages = section(table, "dependencies") if isinstance(table, dict) else {}
        found.groups[str(group)] = {str(k): _spec(v) for k, v in packages.items()}
    for group, lines in section(data, "dependency-groups").items():  # PEP 735, uv's
        listed = lines if isinstance(lines, list) else []
        found.groups[str(group)] = dict(_requirement(line) for line in listed)
    scripts = {**section(tool, "scripts"), **section(project, "scripts")}
    found.scripts = {str(k): str(v) for k, v in scripts.items()}
    return found


def _requirement(line: object) -> tuple[str, str]:
    """``("click", ">=8.1")`` of a PEP 508 line ``click>=8.1``."""
    name = re.split(r"[\s<>=!~;\[(]", str(line), maxsplit=1)[0]
    return name, str(line)[len(name) :].strip()


def _spec(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("version", ""))
    return str(value)


def managed_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("pyproject.toml", "Poetry project wordstats 0.3.1 (...): dependencies ...")``.

    None where no Poetry or uv project is here, or the request speaks neither of a project's words
    nor of one of its dependencies or scripts by name.
    """
    if not (workdir / "pyproject.toml").is_file():
        return None
    found = read_managed(workdir)
    if found is None:
        return None
    words = request_words(request)
    names = {p.lower() for g in found.groups.values() for p in g} | set(found.scripts)
    if not MANAGED_WORDS.search(request) and not words & names:
        return None
    manager = "Poetry" if found.manager == "poetry" else "uv"
    parts = [f"{manager} project {found.name} {found.version}".strip()]
    parts[0] += f" (run its tools in its environment with {found.manager} run)"
    for group, packages in found.groups.items():
        shown = ", ".join(f"{p} {v}".strip() for p, v in packages.items())
        label = "dependencies" if group == "main" else f"group {group}"
        parts.append(f"{label}: {shown or 'none'}")
    if found.python:
        parts.append(f"python {found.python}")
    if found.scripts:
        parts.append("scripts: " + ", ".join(f"{k} ({v})" for k, v in found.scripts.items()))
    lock = "poetry.lock" if found.manager == "poetry" else "uv.lock"
    parts.append(lock if found.locked else f"no {lock} yet")
    if found.environment:
        parts.append(f"environment {found.environment}")
    return "pyproject.toml", "; ".join(parts)

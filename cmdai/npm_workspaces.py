"""A Node.js monorepo's npm workspaces, where a request speaks of them or of one by name.

In a folder whose ``package.json`` lists ``"workspaces": ["packages/*"]`` (the fifty-fifth
by-hand round), "run the tests of the api package" was the root's ``npm test`` (every
workspace's), "add express to the web package" an ``npm install express`` into the root, and
"which version is the api package" the root's version: the root's facts
(``cmdai.projects.node_fact``) say nothing of the packages below it. Where the request speaks
of workspaces or packages, or names one of them ("api", "@shop/api"), the facts (through
``cmdai.projects.project_facts``) list each workspace: its package name, folder, version,
scripts and dependencies. ``cmdai.workspace_fixes`` reads the same files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cmdai.project_files import expand_in, parse_manifest, small_text

MAX_WORKSPACES = 24
_WORDS = re.compile(r"\b(?:workspaces?|packages?|monorepo|npm)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Workspace:
    """One workspace: its package name and folder, and what its package.json says."""

    name: str  # @shop/api
    folder: str  # packages/api
    version: str
    scripts: tuple[str, ...]
    dependencies: tuple[str, ...]
    dev_dependencies: tuple[str, ...]

    @property
    def short(self) -> str:
        """The name without its scope (``api``), as people say it."""
        return self.name.rsplit("/", 1)[-1]


def _manifest(text: str | None) -> dict[str, object] | None:
    return parse_manifest("package.json", text) if text is not None else None


def _keys(table: object) -> tuple[str, ...]:
    return tuple(str(k) for k in table) if isinstance(table, dict) else ()


def parse_workspaces(
    read: Callable[[str], str | None], expand: Callable[[str], list[str]]
) -> list[Workspace]:
    """The workspaces the ``package.json`` here lists (empty: none, or no such manifest).

    ``read`` gives a small file's text here, ``expand`` globs a relative pattern here.
    """
    root = _manifest(read("package.json"))
    listed = root.get("workspaces") if root else None
    if isinstance(listed, dict):  # {"packages": [...]}, as yarn also reads it
        listed = listed.get("packages")
    if not isinstance(listed, list):
        return []
    found: list[Workspace] = []
    for pattern in listed:
        if not isinstance(pattern, str) or pattern.startswith(("/", "!")) or ".." in pattern:
            continue
        for folder in expand(pattern.rstrip("/")):
            manifest = _manifest(read(f"{folder}/package.json"))
            name = manifest.get("name") if manifest else None
            if manifest is None or not isinstance(name, str):
                continue
            found.append(
                Workspace(
                    name=name,
                    folder=folder,
                    version=str(manifest.get("version", "")),
                    scripts=_keys(manifest.get("scripts")),
                    dependencies=_keys(manifest.get("dependencies")),
                    dev_dependencies=_keys(manifest.get("devDependencies")),
                )
            )
            if len(found) >= MAX_WORKSPACES:
                return found
    return found


def read_workspaces(workdir: Path) -> list[Workspace]:
    """The workspaces of the ``package.json`` in ``workdir``."""
    return parse_workspaces(
        lambda name: small_text(workdir / name), lambda pattern: expand_in(workdir, pattern)
    )


def named(request: str, workspaces: list[Workspace]) -> list[Workspace]:
    """The workspaces the request names: by package name, its last part or its folder."""
    words = {w.lower() for w in re.findall(r"[@\w./-]+", request)}
    words |= {w.lower() for w in re.findall(r"[\w-]+", request)}
    return [
        w
        for w in workspaces
        if {w.name.lower(), w.short.lower(), w.folder.lower(), w.folder.lower() + "/"} & words
    ]


def workspaces_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("workspaces", "npm workspaces (run in one with -w NAME): @shop/api (...), ...")``.

    None where the ``package.json`` here lists no workspaces, or the request speaks neither
    of workspaces, packages or npm nor of one of them by name.
    """
    found = read_workspaces(workdir)  # empty without a package.json that lists workspaces
    if not found or not (_WORDS.search(request) or named(request, found)):
        return None
    shown = []
    for w in found:
        said = [w.folder] + ([w.version] if w.version else [])
        if w.scripts:
            said.append("scripts " + ", ".join(w.scripts[:8]))
        if w.dependencies:
            said.append("depends on " + ", ".join(w.dependencies[:8]))
        if w.dev_dependencies:
            said.append("dev " + ", ".join(w.dev_dependencies[:8]))
        shown.append(f"{w.name} ({'; '.join(said)})")
    return "workspaces", "npm workspaces (run in one with -w NAME): " + ", ".join(shown)

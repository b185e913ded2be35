"""A git repository's submodules, where a request speaks of them or names one.

In a repository with two submodules (the fifty-sixth by-hand round: a library tracking a
branch, a vendored theme), "update only the parser submodule" updated every one, "which
branch does the parser submodule track" was a ``git branch`` of the outer repository, and
"remove the theme submodule" an ``rm -rf`` of its folder: the model is shown files a request
names, and ``.gitmodules`` is named by none. Where the request speaks of submodules or names
one (by its path or its last part), the facts (through ``cmdai.projects.project_facts``)
show what ``.gitmodules`` says: each submodule's path, URL and branch. ``cmdai.submodule_fixes``
reads the same file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cmdai.project_files import small_text

MAX_SHOWN = 12
_SECTION = re.compile(r'^\s*\[submodule\s+"(?P<name>[^"]+)"\]\s*$')
_SETTING = re.compile(r"^\s*(?P<key>path|url|branch)\s*=\s*(?P<value>.*?)\s*$")


@dataclass(frozen=True)
class Submodule:
    """One ``[submodule "..."]`` section of ``.gitmodules``."""

    name: str
    path: str
    url: str
    branch: str

    @property
    def short(self) -> str:
        """The last part of its path (``parser`` for ``lib/parser``), as people say it."""
        return self.path.rstrip("/").rsplit("/", 1)[-1]


def parse_gitmodules(text: str) -> list[Submodule]:
    """The submodules a ``.gitmodules`` declares (those with a path), in its order."""
    found: list[Submodule] = []
    sections: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        section = _SECTION.match(line)
        if section is not None:
            sections.append((section["name"], {}))
        elif re.match(r"^\s*\[", line):  # another kind of section: its settings are not ours
            sections.append(("", {}))
        elif (setting := _SETTING.match(line)) is not None and sections:
            sections[-1][1][setting["key"]] = setting["value"]
    for name, settings in sections:
        if name and settings.get("path"):
            url, branch = settings.get("url", ""), settings.get("branch", "")
            found.append(Submodule(name, settings["path"], url, branch))
    return found


def read_submodules(read: Callable[[str], str | None]) -> list[Submodule]:
    """The submodules of the ``.gitmodules`` that ``read`` gives (empty: none)."""
    text = read(".gitmodules")
    return parse_gitmodules(text) if text else []


def named(request: str, submodules: list[Submodule]) -> list[Submodule]:
    """The submodules the request names by their path or its last part."""
    words = {w.lower().rstrip("/") for w in re.findall(r"[\w./-]+", request)}
    return [s for s in submodules if {s.path.lower(), s.short.lower(), s.name.lower()} & words]


def submodules_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``(".gitmodules", "git submodules: lib/parser (url ...; tracks branch stable), ...")``.

    None where no ``.gitmodules`` declares one here, or the request speaks neither of
    submodules nor of one by name.
    """
    found = read_submodules(lambda name: small_text(workdir / name, replace=True))
    if not found:
        return None
    if not re.search(r"\bsub-?modules?\b", request, re.I) and not named(request, found):
        return None
    shown = [
        f"{s.path} (url {s.url}" + (f"; tracks branch {s.branch}" if s.branch else "") + ")"
        for s in found[:MAX_SHOWN]
    ]
    return ".gitmodules", "git submodules: " + ", ".join(shown)

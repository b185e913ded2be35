"""A Java project built with Maven in the working directory, where a request speaks of it.

In a folder with a ``pom.xml`` (the forty-ninth by-hand round), "build the project" was
``make``, "run the tests" and "run the app" were declined, "compile the code without running
the tests" a ``gcc`` of a made-up ``my_program.c`` and "which Java version does the project
target" ``java -version`` (the installed one's): the model is shown files a request names,
and these name none. Where the request speaks of building, testing, packaging, running or
installing the project, Maven, its dependencies, a profile, Java or a dependency by name, the
facts (through ``cmdai.projects.project_facts``) show the project: its coordinates and
packaging, the Java release, its dependencies with their versions and scopes, the main class
a plugin runs, its profiles and modules. ``cmdai.maven_fixes`` reads the same file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cmdai.project_files import request_words, small_text

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

_MAVEN_WORDS = re.compile(
    r"\b(?:maven|mvn|pom(?:\.xml)?|build|compile|compiles|compiling|package|jar|war|install"
    r"|dependenc\w*|profiles?|java|jdk|junit|tests?|surefire|artifact\w*"
    r"|(?:the|this|my|our)\s+(?:app|application|program|project|code))\b",
    re.IGNORECASE,
)
MAX_DEPENDENCIES = 10


@dataclass(frozen=True)
class Pom:
    """What a pom.xml says, as far as the facts and the fixes need it."""

    group: str
    artifact: str
    version: str
    packaging: str
    java: str
    dependencies: tuple[tuple[str, str, str], ...]  # (artifactId, version, scope)
    main_class: str
    profiles: tuple[str, ...]
    modules: tuple[str, ...]

    @property
    def jar(self) -> str:
        """The file ``mvn package`` writes (``target/invoice-tool-2.2.0-SNAPSHOT.jar``)."""
        return f"target/{self.artifact}-{self.version}.{self.packaging or 'jar'}"


def read_pom(workdir: Path) -> Pom | None:
    """The ``pom.xml`` here (None: none, too big, unreadable or not a Maven project)."""
    text = small_text(workdir / "pom.xml", replace=True)
    return parse_pom(text) if text is not None else None


def pom_from_lines(lines: list[str]) -> Pom | None:
    """``parse_pom`` of a pom.xml read as lines (``Here.lines``)."""
    return parse_pom("\n".join(lines))


def parse_pom(text: str) -> Pom | None:
    """What a pom.xml says (None: not XML, or not a Maven project)."""
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        return None  # a pom has no document type: no entity is ever expanded
    import xml.etree.ElementTree as ET  # only where a pom.xml is read

    try:
        root = ET.fromstring(text)  # noqa: S314 - at most 64 KB, no DTD (above)
    except ET.ParseError:
        return None
    if _local(root.tag) != "project":
        return None
    properties = {_local(e.tag): (e.text or "").strip() for e in _child(root, "properties")}

    def value(node: ET.Element | None, name: str) -> str:
        found = _first(node, name) if node is not None else None
        text = (found.text or "").strip() if found is not None else ""
        return re.sub(r"\$\{([\w.-]+)\}", lambda m: properties.get(m[1], m[0]), text)

    parent = _first(root, "parent")
    dependencies = tuple(
        (value(d, "artifactId"), value(d, "version"), value(d, "scope"))
        for d in _child(root, "dependencies")
        if _local(d.tag) == "dependency"
    )
    java = (
        properties.get("maven.compiler.release")
        or properties.get("maven.compiler.target")
        or properties.get("java.version")
        or ""
    )
    main_class = next(
        (
            (e.text or "").strip()
            for e in root.iter()
            if _local(e.tag) == "mainClass" and (e.text or "").strip()
        ),
        "",
    )
    return Pom(
        group=value(root, "groupId") or value(parent, "groupId"),
        artifact=value(root, "artifactId"),
        version=value(root, "version") or value(parent, "version"),
        packaging=value(root, "packaging") or "jar",
        java=java,
        dependencies=dependencies,
        main_class=main_class,
        profiles=tuple(value(p, "id") for p in _child(root, "profiles") if value(p, "id")),
        modules=tuple((m.text or "").strip() for m in _child(root, "modules")),
    )


def maven_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("pom.xml", "Maven project com.example:invoice-tool 2.2.0-SNAPSHOT (jar); ...")``."""
    if not (workdir / "pom.xml").is_file():
        return None
    pom = read_pom(workdir)
    if pom is None:
        return None
    words = request_words(request)
    named = {a.lower() for a, _, _ in pom.dependencies} | {p.lower() for p in pom.profiles}
    if not (_MAVEN_WORDS.search(request) or named & words):
        return None
    parts = [f"Maven project {pom.group}:{pom.artifact} {pom.version} ({pom.packaging})"]
    if pom.java:
        parts.append(f"Java {pom.java}")
    if pom.dependencies:
        shown = [
            f"{a} {v}".strip() + (f" ({s})" if s else "")
            for a, v, s in pom.dependencies[:MAX_DEPENDENCIES]
        ]
        parts.append("dependencies: " + ", ".join(shown))
    if pom.main_class:
        parts.append(f"main class: {pom.main_class}")
    if pom.profiles:
        parts.append("profiles: " + ", ".join(pom.profiles))
    if pom.modules:
        parts.append("modules: " + ", ".join(pom.modules))
    parts.append("built" if (workdir / "target").is_dir() else "not built yet (no target/)")
    return "pom.xml", "; ".join(parts)


def _local(tag: str) -> str:
    """A tag without its namespace (``{http://maven.apache.org/POM/4.0.0}version``)."""
    return tag.rsplit("}", 1)[-1]


def _first(node: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in node if _local(c.tag) == name), None)


def _child(node: ET.Element, name: str) -> list[ET.Element]:
    found = _first(node, name)
    return list(found) if found is not None else []

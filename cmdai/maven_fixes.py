"""Sure fixes from the forty-ninth by-hand round: a Java project built with Maven.

Shown the project (``cmdai.maven_project.maven_fact``), the model wrote Maven's commands, some
of them for another task: ``mvn clean install -Pintegration`` for "run the tests" and for "run
the app" (a profile nobody asked for, and no app run), ``mvn clean install -DskipTests`` for
"run the tests without going to the network" (skips them), ``-Dtest=com.example.invoice.parser.
InvoiceParserTest`` (a package that does not exist: no test runs), ``mvn dependency:tree
-DoutputFile=...`` for "check for newer versions of the dependencies" and for "find dependencies
that are declared but not used", ``mvn install:install-file -Dfile=pom.xml`` for "install it
into my local maven repository", ``mvn clean package`` for "package it and run the jar" (no
jar run), and ``mvn exec:java ... -Djava.version=17`` for "which Java version does the project
target".

Where the folder holds a ``pom.xml`` that reads as a Maven project and the request asks for one
of the project's everyday tasks the draft does not do, the draft is replaced by Maven's own
form of it. ``maven_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is
called (through ``cmdai.project_fixes.project_fix``) with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.maven_project import Pom, pom_from_lines
from cmdai.project_files import RUN_THE_TESTS
from cmdai.shellparse import split_commands

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_NOTE = "fixed here: Maven's own way for this project (pom.xml)"


def maven_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does, or no Maven project is here)."""
    if re.search(r"\b(?:gradle|gradlew|ant|sbt|cargo|npm|make|cmake|pytest)\b", request, re.I):
        return None  # another tool, named
    lines = here.lines("pom.xml")
    pom = pom_from_lines(lines) if lines else None
    if pom is None:
        return None
    task = _task(request, pom, here) if _replaceable(command) else None
    if task is not None:
        fixed, needed = task
        if not needed.search(command):
            return fixed, _NOTE
        return None
    return _test_class_fix(command, here)


_REPLACEABLE = frozenset(
    "mvn mvnw java javac jar grep egrep cat sed awk xmllint ls find echo cd mkdir rm".split()  # noqa: SIM905
)
"""The programs of a draft these fixes may replace: Maven's, Java's, and looking in files. A
draft that runs anything else (``pytest``, ``cargo test``, ``tox``, ``make test``) is some
other project's way, left alone."""


def _replaceable(command: str) -> bool:
    try:
        argvs = split_commands(command)
    except ValueError:  # cut short (``mvn install:install-file -Dfile=pom.xml \``): its start
        argvs = [command.split()[:1]]
    names = [argv[0].rsplit("/", 1)[-1] for argv in argvs if argv]
    return bool(names) and all(name in _REPLACEABLE for name in names)


_OFFLINE = re.compile(
    r"\boffline\b|\bwithout\s+(?:going\s+to\s+|using\s+|touching\s+)?(?:the\s+)?network\b", re.I
)
_RUN_APP = re.compile(r"\brun\s+(?:the|this|my)\s+(?:app|application|program|project)\b", re.I)
_RUN_JAR = re.compile(r"\brun\s+(?:the|that|this)\s+jar\b", re.I)
_LOCAL_REPO = re.compile(
    r"\binstall\b.*\blocal\s+(?:maven\s+)?(?:repo|repository)\b|\binto\s+~/\.m2\b", re.I
)
_NEWER = re.compile(
    r"\b(?:newer|latest)\s+versions?\b|\boutdated\b|\bupdates?\s+(?:available|for)\b", re.I
)
_UNUSED = re.compile(r"\bunused\b|\bnot\s+used\b|\bdeclared\s+but\b", re.I)
_JAVA_VERSION = re.compile(
    r"\b(?:which|what)\s+java\s+(?:version|release)\b|\bjava\s+version\b.*\b(?:target|compile|built?)",
    re.I,
)
_DEPENDENCY_VERSION = re.compile(r"\b(?:which|what)\s+version\s+of\s+(?P<name>[\w.-]+)", re.I)


def _task(request: str, pom: Pom, here: Here) -> tuple[str, re.Pattern[str]] | None:
    """The command for the task the request asks for, and what a draft doing it must hold."""
    offline = " -o" if _OFFLINE.search(request) else ""
    if _UNUSED.search(request) and re.search(r"\bdependenc", request, re.I):
        return "mvn dependency:analyze", re.compile(r"dependency:analyze")
    if _NEWER.search(request) and re.search(r"\bdependenc", request, re.I):
        return "mvn versions:display-dependency-updates", re.compile(
            r"versions:display-(?:dependency|property)-updates"
        )
    if _JAVA_VERSION.search(request):
        return "grep -n -E 'maven\\.compiler\\.(release|source|target)|java\\.version' pom.xml", (
            re.compile(
                r"\b(?:grep|cat|sed|xmllint|help:evaluate)\b.*(?:maven\.compiler|java\.version|pom\.xml)"
            )
        )
    if asked := _DEPENDENCY_VERSION.search(request):
        name = asked["name"].lower()
        hits = [
            a
            for a, _, _ in pom.dependencies
            if a.lower() == name or a.lower().startswith(name + "-")
        ]
        if len(hits) == 1:
            return f"mvn dependency:tree -Dincludes=:{hits[0]}", re.compile(
                r"dependency:(?:tree|list)|" + re.escape(f"{hits[0]}") + r".*\bversion\b"
            )
    if _LOCAL_REPO.search(request):
        return f"mvn{offline} install", re.compile(
            r"^\s*mvn\b(?!.*install:install-file).*\binstall\b"
        )
    if _RUN_JAR.search(request) and pom.main_class:
        jar = pom.jar
        return (
            f"mvn{offline} package && java -cp {shlex.quote(jar)} {pom.main_class}",
            re.compile(r"\bjava\s+(?:-jar|-cp|-classpath)\b"),
        )
    if _RUN_APP.search(request) and pom.main_class and here.exists("src/main/java"):
        return f"mvn{offline} compile exec:java", re.compile(r"exec:java|\bjava\s+-(?:jar|cp)\b")
    if RUN_THE_TESTS.search(request) and not re.search(r"\b(?:only|just)\b", request, re.I):
        needed = (  # runs the tests: no skipping, no profile nobody asked for
            r"^\s*mvn\b(?!.*-D(?:skipTests|maven\.test\.skip)\b)(?!.*\s-P)"
            r"(?=.*\b(?:test|verify|install|package)\b)"
        )
        if offline:
            needed += r"(?=.*\s(?:-o|--offline)\b)"
        return f"mvn{offline} test", re.compile(needed)
    return None


def _test_class_fix(command: str, here: Here) -> tuple[str, str] | None:
    """``-Dtest=InvoiceParserTest`` for ``-Dtest=com.example.invoice.parser.InvoiceParserTest``.

    A qualified name whose package has no folder of tests here runs no test ("No tests
    matching pattern"): the class's simple name finds it wherever it is.
    """
    if not re.match(r"\s*mvn\b", command):
        return None
    match = re.search(
        r"-Dtest=(?P<name>(?:[a-z_][\w]*\.)+(?P<cls>[A-Z]\w*))(?P<method>#\w+)?", command
    )
    if match is None:
        return None
    package = match["name"].rsplit(".", 1)[0]
    if here.is_dir("src/test/java/" + package.replace(".", "/")) or not here.is_dir(
        "src/test/java"
    ):
        return None
    fixed = command[: match.start("name")] + match["cls"] + command[match.end("name") :]
    return fixed, f"fixed here: no tests in a package {package} here; the class name finds it"

"""Sure fixes from the thirtieth by-hand round: a C program built with make.

The Makefile's own targets where the request names them (``make clean``, ``make -B``,
``make -n``; drafts deleted a ``build/`` that is not there, ran ``sudo apt-get upgrade`` or
``which make``), a binary stripped or its sections sized (drafts read ``objdump -d`` or ``du``),
and the headers a file includes read from the file (a grep over the preprocessor's output finds
none: it has replaced every ``#include``).

Each returns the fixed command with a ``fixed here:`` note, or None; ``build_fix`` is called
for any draft.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.project_files import MAKEFILES
from cmdai.shellparse import split_commands
from cmdai.stages import command_stages, short_flags

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

# Another build system's file here: its own tool may be the one meant, so make is not sure.
_OTHER_BUILDS = (
    "CMakeLists.txt",
    "build.ninja",
    "meson.build",
    "build.gradle",
    "build.gradle.kts",
    "pom.xml",
    "build.xml",
    "Cargo.toml",
    "package.json",
    "setup.py",
    "pyproject.toml",
    "go.mod",
    "SConstruct",
    "BUILD",
    "BUILD.bazel",
    "Rakefile",
    "mix.exs",
    "build.sbt",
)
# Drafts that build another way (tldr's "clean the build directory" is `gradle clean`).
_BUILDERS = frozenset(
    (
        *("make", "gmake", "ninja", "cmake", "meson", "gradle", "gradlew", "mvn", "ant"),
        *("cargo", "npm", "yarn", "pnpm", "go", "dotnet", "scons", "bazel", "rake", "mix"),
        *("sbt", "stack", "cabal", "gprclean", "lando", "aur", "git", "python", "python3"),
        *("pip", "tox", "nox"),
    )
)


def build_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of the fixes for any draft that applies (None: none does)."""
    fixed = included_headers_fix(command)
    if fixed is None and here is not None:
        fixed = (
            make_target_fix(command, request, here)
            or strip_fix(command, request, here)
            or sections_fix(command, request, here)
        )
    return fixed


_CLEAN_ASKED = re.compile(
    r"^\s*(?:please\s+)?(?:make\s+)?clean(?:\s+up)?\s+(?:the\s+)?(?:build|compiled|project)\b",
    re.IGNORECASE,
)
_REBUILD_ASKED = re.compile(
    r"\b(?:re-?build|re-?compile|build|compile)\b.*\b(?:even if nothing (?:has )?changed|"
    r"from scratch|everything again|even if (?:it is|they are) up to date)\b",
    re.IGNORECASE,
)
_DRY_RUN_ASKED = re.compile(
    r"\bwhat\s+make\s+would\s+(?:run|do)\b|\bmake\b.*\b(?:dry[- ]run|without running)\b",
    re.IGNORECASE,
)


def make_target_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The Makefile's way where the request names it and the draft does not use make.

    "clean the build outputs" -> ``make clean`` (the Makefile here has that target; seen:
    ``rm -rf build/*`` with no ``build/``); "rebuild everything even if nothing changed" ->
    ``make -B`` (seen: ``sudo apt-get upgrade``); "show what make would run without running
    anything" -> ``make -n`` (seen: ``which make``).
    """
    makefile = next((name for name in MAKEFILES if here.exists(name)), None)
    if makefile is None or any(here.exists(name) for name in _OTHER_BUILDS):
        return None
    try:
        programs = {argv[0].rsplit("/", 1)[-1] for argv in split_commands(command) if argv}
    except ValueError:
        return None
    if programs & _BUILDERS:
        return None
    if _CLEAN_ASKED.search(request):
        lines = here.lines(makefile) or []
        if any(re.match(r"clean\s*:", line) for line in lines):
            return "make clean", f"fixed here: the {makefile} here has a clean target"
    if _REBUILD_ASKED.search(request):
        return "make -B", "fixed here: make -B remakes every target, up to date or not"
    if _DRY_RUN_ASKED.search(request):
        return "make -n", "fixed here: make -n prints the commands it would run, running none"
    return None


def _binary_named(request: str, here: Here) -> str | None:
    """A program, object or library here that the request names (not a text file)."""
    for word in re.findall(r"[\w.][\w./-]*", request):
        name: str = word.rstrip(".")
        binary = here.exists(name) and not here.is_dir(name) and here.first_line(name) is None
        if binary and (here.executable(name) or name.endswith((".o", ".so", ".a"))):
            return name
    return None


def strip_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``strip app`` for "strip the symbols from app" (seen: an ``objdump -d`` of it)."""
    if not re.search(r"\bstrip\b.*\bsymbols\b", request, re.IGNORECASE):
        return None
    stages = command_stages(command)
    if any(stage and stage[0] == "strip" for stage in stages):
        return None
    name = _binary_named(request, here)
    if name is None:
        return None
    debug = re.search(r"\bdebug(?:ging)?\s+symbols\b", request, re.IGNORECASE)
    fixed = f"strip --strip-debug {shlex.quote(name)}" if debug else f"strip {shlex.quote(name)}"
    return fixed, f"fixed here: strip removes the symbols from {name} (it is changed in place)"


def sections_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``size -A app`` for "how big is each section of app" (seen: ``du -sh app``)."""
    if not re.search(r"\bsections?\b", request, re.IGNORECASE):
        return None
    words = {word for stage in command_stages(command) for word in stage[:1]}
    if words & {"size", "readelf", "objdump"}:
        return None
    name = _binary_named(request, here)
    if name is None:
        return None
    return f"size -A {shlex.quote(name)}", f"fixed here: size -A lists each section of {name}"


_INCLUDE_GREP = re.compile(r"include", re.IGNORECASE)


def included_headers_fix(command: str) -> tuple[str, str] | None:
    """``grep '^#include' main.c`` for ``gcc -E main.c | grep '#include'``.

    The preprocessor's output has no ``#include`` left: each was replaced by the header's text.
    """
    stages = command_stages(command)
    if len(stages) != 2 or not stages[0] or not stages[1] or stages[1][0] != "grep":
        return None
    first = stages[0]
    preprocessed = first[0] == "cpp" or (
        first[0] in ("gcc", "cc", "clang", "g++", "c++") and "E" in short_flags(first)
    )
    sources = [w for w in first[1:] if re.fullmatch(r"[\w./-]+\.(?:c|h|cc|cpp|hpp)", w)]
    if not preprocessed or len(sources) != 1 or not _INCLUDE_GREP.search(" ".join(stages[1])):
        return None
    return (
        f"grep '^#include' {shlex.quote(sources[0])}",
        "fixed here: the preprocessor's output has no #include left (each is replaced by the "
        f"header's text); {sources[0]} has them",
    )

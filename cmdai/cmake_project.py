"""A CMake project in the working directory, where a request speaks of building it.

In a folder with a ``CMakeLists.txt`` (the forty-eighth by-hand round), "run the tests" was a
test compiled by hand with ``gcc``, "build with debug symbols" a ``gcc`` of a made-up
``my_program.c`` and "what version is the project" ``git describe``: the model is shown files
a request names, and these name none. Where the request speaks of building, testing,
installing, the project or one of its targets by name, the facts (``cmdai.context``, through
``cmdai.projects.project_facts``) show the project: its name, version and languages, the
language standard, its programs, libraries, ctest tests and options, and whether a build
folder is configured. ``cmdai.cmake_fixes`` reads the same file for its sure fixes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cmdai.project_files import request_words, small_text

_COMMAND = re.compile(
    r"^\s*(?P<name>[A-Za-z_]\w*)\s*\((?P<args>[^()]*(?:\([^()]*\)[^()]*)*)\)", re.M
)
_CMAKE_WORDS = re.compile(
    r"\b(?:c?make|ctest|cmakelists(?:\.txt)?|configure|build(?:s|ing)?|rebuild|compil\w*"
    r"|the\s+tests?|targets?|install|release|debug|options?|ninja|compile_commands(?:\.json)?"
    r"|(?:the|this|my|our)\s+(?:program|library|binary|project|code))\b",
    re.IGNORECASE,
)
BUILD_DIRS = ("build", "_build", "cmake-build-debug", "cmake-build-release", "out")


def cmake_commands(text: str) -> list[tuple[str, list[str]]]:
    """The commands of a CMakeLists.txt, each name in lower case with its arguments."""
    text = re.sub(r"#[^\n]*", "", text)
    found = []
    for match in _COMMAND.finditer(text):
        args = re.findall(r'"[^"]*"|[^\s()]+', match["args"])
        found.append((match["name"].lower(), [a.strip('"') for a in args]))
    return found


@dataclass(frozen=True)
class CMakeLists:
    """What a CMakeLists.txt declares, as far as the facts and the fixes need it."""

    project: list[str]  # project()'s arguments: name, VERSION, LANGUAGES...
    standards: list[tuple[str, str]]  # ("CMAKE_C_STANDARD", "11")
    programs: list[str]
    libraries: list[str]
    tests: list[str]  # add_test's NAME
    options: list[list[str]]  # option()'s arguments: name, description, default


def parse_cmakelists(text: str) -> CMakeLists | None:
    """A CMakeLists.txt's project, targets, tests and options (None: no ``project()``)."""
    commands = cmake_commands(text)
    project = next((args for name, args in commands if name == "project" and args), None)
    if project is None:
        return None
    return CMakeLists(
        project=project,
        standards=[
            (a[0], a[1])
            for n, a in commands
            if n == "set" and len(a) >= 2 and a[0] in ("CMAKE_C_STANDARD", "CMAKE_CXX_STANDARD")
        ],
        programs=[a[0] for n, a in commands if n == "add_executable" and a],
        libraries=[a[0] for n, a in commands if n == "add_library" and a],
        tests=[_after(a, "NAME") or a[0] for n, a in commands if n == "add_test" and a],
        options=[a for n, a in commands if n == "option" and a],
    )


def cmake_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("CMakeLists.txt", "CMake project wordstat 1.4.0 (C); programs: wordstat; ...")``.

    None where no readable CMakeLists.txt with a ``project()`` is here, or the request speaks
    neither of building, testing or installing nor of one of its targets by name.
    """
    text = small_text(workdir / "CMakeLists.txt", replace=True)
    found = parse_cmakelists(text) if text is not None else None
    if found is None:
        return None
    programs, libraries, tests = found.programs, found.libraries, found.tests
    names = {t.lower() for t in (*programs, *libraries, *tests)}
    words = request_words(request)
    if not (_CMAKE_WORDS.search(request) or names & words):
        return None
    project = found.project
    head = f"CMake project {project[0]}"
    if version := _after(project, "VERSION"):
        head += f" {version}"
    languages = _all_after(project, "LANGUAGES")
    parts = [head + (f" ({', '.join(languages)})" if languages else "")]
    for variable, value in found.standards:
        parts.append(f"{'C++' if 'CXX' in variable else 'C'} standard {value}")
    if programs:
        parts.append("programs: " + ", ".join(programs))
    if libraries:
        parts.append("libraries: " + ", ".join(libraries))
    if tests:
        parts.append("tests (ctest): " + ", ".join(tests))
    options = [
        f"{a[0]} ({a[1]}, {a[2] if len(a) > 2 else 'OFF'})" for a in found.options if len(a) >= 2
    ]
    if options:
        parts.append("options: " + ", ".join(options))
    parts.append(_build_folder(workdir))
    return "CMakeLists.txt", "; ".join(parts)


def _build_folder(workdir: Path) -> str:
    for name in BUILD_DIRS:
        if (workdir / name / "CMakeCache.txt").is_file():
            return f"configured in {name}/"
    return "not configured yet (no build folder)"


def _after(args: list[str], keyword: str) -> str | None:
    """The argument after ``keyword`` (``VERSION 1.4.0``), or None."""
    if keyword in args and args.index(keyword) + 1 < len(args):
        return args[args.index(keyword) + 1]
    return None


def _all_after(args: list[str], keyword: str) -> list[str]:
    """The arguments after ``keyword`` up to the next upper-case keyword-like one."""
    if keyword not in args:
        return []
    out = []
    for arg in args[args.index(keyword) + 1 :]:
        if arg in ("VERSION", "DESCRIPTION", "HOMEPAGE_URL"):
            break
        out.append(arg)
    return out

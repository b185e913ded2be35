"""Sure fixes from the forty-eighth by-hand round: a C or C++ project built with CMake.

Shown the project (``cmdai.cmake_project.cmake_fact``), the model still wrote a build by hand
or by half: ``gcc -o tests/test_count tests/test_count.c`` and ``cd tests`` for "run the
tests" (ctest runs them, once built), ``cmake -DCMAKE_BUILD_TYPE=Debug`` with no build for
"build with debug symbols", ``make lib`` for "build only the library" (a target named
``wordstat_core``), ``mkdir -p ~/.local/bin`` for "install the program into ~/.local", ``cmake
--version`` for "what version is the project", ``make -v`` (make's own version) for "show the
compiler commands while building", and options the request never asked for copied from the
facts (``-D CMAKE_BUILD_TYPE=Release -D CMAKE_C_STANDARD=11`` for "using 2 jobs").

Where the folder holds a ``CMakeLists.txt`` with a ``project()``, a request that asks for one
of the project's everyday tasks, and a draft that works on the build (it runs cmake, ctest,
make, ninja or a compiler, or names the build folder) but lacks what the task needs, the draft
is replaced by CMake's own way of doing it, out of source in ``build/`` (or the folder already
configured): ``cmake -B build`` configures it (a no-op when it is), ``cmake --build build``
builds it, ``ctest --test-dir build`` runs the tests, ``cmake --install build --prefix P``
installs. ``cmake_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is
called (through ``cmdai.project_fixes.project_fix``) with the working directory.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cmdai.cmake_project import BUILD_DIRS, parse_cmakelists
from cmdai.project_files import MAKEFILES, RUN_THE_TESTS
from cmdai.shellparse import split_commands

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_BUILD_WORLD = re.compile(
    r"\b(?:c?make|ctest|ninja|gcc|cc|g\+\+|clang|CMakeLists\.txt)\b|\bCMAKE_|(?:^|[\s/])(?:build|tests?)\b"
)
"""A draft that works on the build: the only drafts these fixes replace."""


@dataclass(frozen=True)
class Project:
    """What the fixes need of the project: its targets and tests, and its build folder."""

    programs: tuple[str, ...]
    libraries: tuple[str, ...]
    tests: tuple[str, ...]
    options: tuple[str, ...]
    build: str
    configured: bool


def read_project(here: Here) -> Project | None:
    """The CMake project here (None: no CMakeLists.txt with a ``project()``)."""
    lines = here.lines("CMakeLists.txt")
    found = parse_cmakelists("\n".join(lines)) if lines else None
    if found is None:
        return None
    configured = [d for d in BUILD_DIRS if here.exists(f"{d}/CMakeCache.txt")]
    return Project(
        programs=tuple(found.programs),
        libraries=tuple(found.libraries),
        tests=tuple(found.tests),
        options=tuple(a[0] for a in found.options),
        build=configured[0] if configured else "build",
        configured=bool(configured),
    )


def cmake_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """CMake's way of doing the task the request asks for.

    None: no such task, or the draft already does it, or is not about the build.
    """
    if not (_BUILD_WORLD.search(command) or _OURS.search(request)):
        return None
    if _NAMES_A_SOURCE.search(request) or _OTHER_WORLD.search(request):
        return None  # "compile hello.c": that file, not the project; "run the tests with pytest"
    project = read_project(here)
    if project is None or not _only_builds(command, here) or _OTHER_MANIFEST.search(command):
        return None
    task = _task(request, project)
    if task is None:
        return None
    fixed, needed = task
    copied = ("CMAKE_BUILD_TYPE", *project.options)
    if needed.search(command) and not _unasked_definitions(command, request, fixed, copied):
        return None
    return fixed, "fixed here: CMake builds this project out of source in " + project.build + "/"


_NAMES_A_SOURCE = re.compile(r"[\w-]\.(?:c|cc|cpp|cxx|h|hpp|o|s)\b", re.I)
_OTHER_WORLD = re.compile(
    r"\b(?:pytest|npm|cargo|pip|venv|virtual\s+environment|node_modules|python|rust|java"
    r"|docker|linter|makefile|meson|bazel|zig|go)\b|\b(?:with|using)\s+make\b|\bmake\s+thinks\b"
    r"|\bwithout\s+(?:building|compiling)\b"
    r"|\b(?:current|this|the\s+CMake)\s+(?:CMake\s+)?build\s+(?:directory|folder|dir)\b",
    re.I,
)
_OTHER_MANIFEST = re.compile(r"pyproject\.toml|package\.json|Cargo\.toml|setup\.py|Makefile")
_REPLACEABLE = frozenset(
    "cmake ctest make ninja gcc cc g++ c++ clang clang++ mkdir cd rm ls echo grep set git".split()  # noqa: SIM905
)
"""The programs of a draft these fixes may replace: building by hand or by half, or looking
in the wrong place. A draft that runs anything else (``cargo``, ``pytest``, ``zig build``) is
some other project's way, left alone."""


def _only_builds(command: str, here: Here) -> bool:
    """Whether every program the draft runs is one of ``_REPLACEABLE`` (or one it built).

    And it runs ``make`` or ``ninja`` only where no Makefile or build.ninja of the folder's
    own is here (those are the folder's way of building, not CMake's).
    """
    try:
        argvs = split_commands(command)
    except ValueError:
        return False
    for argv in argvs:
        if not argv:
            continue
        name = argv[0]
        if name.startswith(("./", "build/")):
            continue
        if name not in _REPLACEABLE:
            return False
        if name == "make" and "-C" not in argv and any(here.exists(m) for m in MAKEFILES):
            return False
        if name == "ninja" and "-C" not in argv and here.exists("build.ninja"):
            return False
    return True


_OURS = re.compile(r"\b(?:the|this|my|our)\s+(?:program|project|library)\b", re.I)
"""A request about the project itself: its draft is replaced whatever it runs."""

_DEFINE = re.compile(r"-D\s*([A-Z][A-Z0-9_]*)=")


def _unasked_definitions(command: str, request: str, fixed: str, copied: tuple[str, ...]) -> bool:
    """Whether the draft sets a cache variable the facts show and the request does not ask for.

    An option of the project, the build type or the language standard, set by neither the
    request nor the task.

    Seen: ``-D CMAKE_C_STANDARD=11`` copied from the facts into "build using 2 jobs".
    """
    wanted = set(_DEFINE.findall(fixed))
    return any(
        name not in wanted
        and name.lower() not in request.lower()
        and (name in copied or name.startswith("CMAKE_CMAKE_") or name.endswith("_STANDARD"))
        for name in _DEFINE.findall(command)
    )


_BUILT = r"--build\b|\b(?:make|ninja)\s+(?:\S+\s+)*-C|\bcd\s+\S+\s*&&.*\b(?:make|ninja)\b"
"""A draft that builds: ``cmake --build``, or make or ninja run in the build folder."""
_JOBS = re.compile(r"\b(\d{1,3})\s+(?:parallel\s+)?(?:jobs|cores|threads|processes)\b", re.I)
_RELEASE = re.compile(r"\brelease\s+(?:mode|build|configuration|config)\b|\boptimi[sz]", re.I)
_DEBUG = re.compile(r"\bdebug(?:ging)?\s+(?:symbols|info|information|mode|build)\b", re.I)
_VERBOSE = re.compile(
    r"\b(?:compiler|compile|full)\s+(?:commands|command\s+lines)\b|\bverbose(?:ly)?\b", re.I
)
_BUILD_VERB = re.compile(r"\b(?:build|rebuild|compile|recompile)(?:s|ing)?\b", re.I)
_CONFIGURE = re.compile(r"\bconfigure\b", re.I)
_BUILD_TOO = re.compile(r"\b(?:and|then)\s+(?:re)?(?:build|compile|make)\b", re.I)
_COMPILER = re.compile(r"\b(?:with|using)\s+(?P<cc>clang|gcc)\b", re.I)
_ALL_CORES = re.compile(
    r"\ball\s+(?:the\s+)?(?:processor\s+|cpu\s+)?cores\b|\bin\s+parallel\b", re.I
)
_FAILING = re.compile(r"\b(?:fail|failing|failed|fails)\b", re.I)
_INSTALL = re.compile(r"\binstall\b.*?\b(?:in|into|to|under)\s+(?P<prefix>[~/$][^\s'\"]*)", re.I)
_FRESH = re.compile(
    r"\b(?:delete|remove|wipe)\s+the\s+build\s+(?:folder|directory|dir)\b.*\b(?:build|rebuild)"
    r"|\bfrom\s+scratch\b|\bclean\s+(?:build|rebuild)\b",
    re.I,
)
_LIST_TARGETS = re.compile(r"\b(?:list|show|which|what)\b.*\btargets\b", re.I)
_OPTION = re.compile(r"\bturn\s+(?P<how>on|off)\b|\b(?P<verb>enable|disable)\b", re.I)
_STANDARD = re.compile(r"\b(?:which|what)\b.*\b(?:C|C\+\+)\s+standard\b", re.I)
_VERSION = re.compile(
    r"\b(?:what|which|show)\b.*\bversion\b.*\b(?:this|the|my)\s+project\b"
    r"|\b(?:this|the|my)\s+project(?:'s)?\s+version\b",
    re.I,
)
_RUN_PROGRAM = re.compile(r"\brun\s+(?:the|this|my)\s+program\b", re.I)


def _task(request: str, project: Project) -> tuple[str, re.Pattern[str]] | None:
    """The command for the task the request asks for, and what a draft doing it must hold."""
    b = project.build
    configure = f"cmake -B {b}"
    build = f"cmake --build {b}"
    made = "" if project.configured else rf"(?=.*(?:{_BUILT}))"
    if "compile_commands" in request.lower():
        return f"{configure} -DCMAKE_EXPORT_COMPILE_COMMANDS=ON", re.compile(
            r"CMAKE_EXPORT_COMPILE_COMMANDS=(?:ON|1|TRUE)", re.I
        )
    if _CONFIGURE.search(request) and not _BUILD_TOO.search(request):
        return configure, re.compile(r"\bcmake\b(?!\s+--build)")
    if _STANDARD.search(request):
        return "grep -n 'CMAKE_C.*_STANDARD' CMakeLists.txt", re.compile(r"STANDARD")
    if _VERSION.search(request):
        return "grep -m 1 -i 'project(' CMakeLists.txt", re.compile(r"project\s*\(|CMakeLists")
    if _LIST_TARGETS.search(request):
        return f"{configure} && {build} --target help", re.compile(r"--target\s+help|\bhelp\b")
    if RUN_THE_TESTS.search(request):
        filters = [t for t in project.tests if re.search(rf"\b{re.escape(t)}\b", request)]
        test = f"ctest --test-dir {b}"
        if len(filters) == 1:
            test += f" -R {shlex.quote('^' + filters[0] + '$')}"
        if jobs := _JOBS.search(request):
            test += f" -j {jobs[1]}"
        elif _ALL_CORES.search(request):
            test += " -j $(nproc)"
        if _FAILING.search(request):
            test += " --output-on-failure"
        must = rf"(?=.*ctest\b.*--test-dir\s+{b}\b|.*\bcd\s+{b}\b.*\bctest\b)" + made
        if _FAILING.search(request):
            must += r"(?=.*--output-on-failure)"
        return f"{configure} && {build} && {test}", re.compile(must, re.S)
    only = re.search(r"\b(?:run|execute)\s+only\s+the\s+(?P<name>[\w.-]+)\s+test\b", request)
    if only is not None and only["name"] in project.tests:
        name = shlex.quote("^" + only["name"] + "$")
        return f"{configure} && {build} && ctest --test-dir {b} -R {name}", re.compile(
            rf"(?=.*ctest\b.*-R.*--test-dir\s+{b}\b|.*ctest\b.*--test-dir\s+{b}\b.*-R"
            rf"|.*\bcd\s+{b}\b.*\bctest\b.*-R)" + made,
            re.S,
        )
    if re.search(r"\binstall\b", request, re.I) and not _INSTALL.search(request):
        return None  # installed where? the draft's own place stands
    if (asked := _INSTALL.search(request)) and len(project.programs) >= 1:
        prefix = asked["prefix"].rstrip(".,")
        return (
            f"{configure} && {build} && cmake --install {b} --prefix {prefix}",
            re.compile(r"(?=.*cmake\s+--install\b.*--prefix|.*CMAKE_INSTALL_PREFIX)" + made, re.S),
        )
    if _RUN_PROGRAM.search(request) and len(project.programs) >= 1:
        program = next((p for p in project.programs if not p.startswith("test")), None)
        quoted = re.findall(r"\"([^\"]*)\"|'([^']*)'", request)
        if program is not None:
            args = "".join(" " + shlex.quote(a or c) for a, c in quoted)
            return f"{configure} && {build} && ./{b}/{program}{args}", re.compile(
                rf"(?=.*(?:^|[\s/]){re.escape(program)}\b)" + made, re.S
            )
    if not _BUILD_VERB.search(request):
        return None
    if _FRESH.search(request):
        return f"rm -rf {b} && {configure} && {build}", re.compile(
            rf"rm\s+-r\w*\s+{re.escape(b)}\b.*(?:{_BUILT})"
        )
    if asked_option := _OPTION.search(request):
        on = (asked_option["how"] or asked_option["verb"]).lower() in ("on", "enable")
        named = [o for o in project.options if _names_option(o, request)]
        if len(named) == 1:
            value = "ON" if on else "OFF"
            return f"{configure} -D{named[0]}={value} && {build}", re.compile(
                rf"-D\s*{named[0]}={value}\b.*(?:{_BUILT})"
            )
        return None
    definitions = ""
    needed = [_BUILT]
    if _RELEASE.search(request):
        definitions += " -DCMAKE_BUILD_TYPE=Release"
        needed.append(r"CMAKE_BUILD_TYPE=Release")
    elif _DEBUG.search(request):
        definitions += " -DCMAKE_BUILD_TYPE=Debug"
        needed.append(r"CMAKE_BUILD_TYPE=(?:Debug|RelWithDebInfo)")
    generator = ""
    if compiler := _COMPILER.search(request):
        if project.configured:
            return None  # its compiler is set: a new folder would be a guess
        generator = f" -DCMAKE_C_COMPILER={compiler['cc'].lower()}"
        needed.append(rf"CC={compiler['cc']}|CMAKE_C(?:XX)?_COMPILER={compiler['cc']}")
    if re.search(r"\bninja\b", request, re.I):
        generator += " -G Ninja"
        needed.append(r"-G\s*['\"]?Ninja")
        if project.configured:
            return None  # its generator is set: a new folder would be a guess
    flags = ""
    if jobs := _JOBS.search(request):
        flags += f" -j {jobs[1]}"
        needed.append(rf"(?:-j\s*{jobs[1]}|--parallel\s+{jobs[1]})\b")
    if _VERBOSE.search(request):
        flags += " --verbose"
        needed.append(r"--verbose|--build\b.*\s-v\b|VERBOSE=1|CMAKE_VERBOSE_MAKEFILE")
    if re.search(r"\bonly\s+the\s+library\b", request, re.I) and len(project.libraries) == 1:
        flags += f" --target {project.libraries[0]}"
        needed.append(rf"\b{re.escape(project.libraries[0])}\b")
    plain = re.search(r"\b(?:it|this|the\s+project)\b", request)
    if not (definitions or generator or flags or plain):
        return None
    pattern = "".join(f"(?=.*(?:{n}))" for n in needed)
    return f"{configure}{generator}{definitions} && {build}{flags}", re.compile(pattern, re.S)


def _names_option(option: str, request: str) -> bool:
    """Whether the request names ``option``.

    By its name, or by the words of it past the project's prefix ("the colour option" for
    ``WORDSTAT_WITH_COLOR``).
    """
    if option.lower() in request.lower():
        return True
    words = {w.lower().replace("colour", "color") for w in re.findall(r"[A-Za-z]+", request)}
    parts = [p.lower() for p in option.split("_")[1:] if p.lower() not in ("with", "use", "enable")]
    return bool(parts) and set(parts) <= words

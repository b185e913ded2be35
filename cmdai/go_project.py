"""A Go module in the working directory, where a request speaks of it.

In a folder with a ``go.mod`` (the fifty-first by-hand round), "run all the tests", "show the
test coverage" and "run the benchmarks" were declined, "run the tests with the race detector"
was ``cargo test -- --race``, "tidy up the module's dependencies" ``npm install`` and "build
the linkcheck program into bin/" ``go build -o bin/linkcheck linkcheck.go`` (the program is
``./cmd/linkcheck``): the model is shown files a request names, and these name none. Where
the request speaks of Go, the module, its tests, benchmarks, coverage, building, formatting,
its dependencies or one of its programs, the facts (through ``cmdai.projects.project_facts``)
show the module: its path and Go version, its direct requirements, its programs (each folder
with a ``main.go``, by its path) and the packages that have tests. ``cmdai.go_fixes`` reads
the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cmdai.project_files import small_text
from cmdai.walk import TooMany, walk

_GO_WORDS = re.compile(
    r"\b(?:go|golang|modules?|tests?|benchmarks?|coverage|race|build|compile|install|tidy"
    r"|dependenc\w*|vet|gofmt|format\w*|packages?|programs?|commands?|binar(?:y|ies))\b",
    re.IGNORECASE,
)
MAX_SHOWN = 8


@dataclass(frozen=True)
class GoModule:
    """What go.mod and the tree below say, as far as the facts and the fixes need it."""

    path: str
    go: str
    requires: tuple[str, ...]  # "github.com/spf13/cobra v1.8.0", direct ones
    programs: tuple[str, ...]  # "./cmd/linkcheck", "." for a main.go at the top
    tested: tuple[str, ...]  # "./internal/crawl"


def parse_go_mod(text: str) -> tuple[str, str, tuple[str, ...]] | None:
    """A go.mod's module path, Go version and direct requirements (None: no module line)."""
    module = re.search(r"^module\s+(\S+)", text, re.M)
    if module is None:
        return None
    go = re.search(r"^go\s+(\S+)", text, re.M)
    blocks = "\n".join(re.findall(r"^require\s*\((.*?)^\)", text, re.M | re.S))
    lines = [*blocks.splitlines(), *re.findall(r"^require\s+([^(\s].*)$", text, re.M)]
    requires = tuple(
        " ".join(line.split("//")[0].split()[:2])
        for line in lines
        if line.split("//")[0].strip() and not re.search(r"//\s*indirect\b", line)
    )
    return module[1], go[1] if go else "", requires


def read_go_module(workdir: Path) -> GoModule | None:
    """The Go module here (None: no readable go.mod with a module line)."""
    text = small_text(workdir / "go.mod", replace=True)
    parsed = parse_go_mod(text) if text is not None else None
    if parsed is None:
        return None
    programs: list[str] = []
    tested: set[str] = set()
    try:
        for entry, _ in walk(workdir):
            folder = Path(entry.path).parent.relative_to(workdir).as_posix()
            package = "." if folder == "." else "./" + folder
            if entry.name == "main.go":
                programs.append(package)
            elif entry.name.endswith("_test.go"):
                tested.add(package)
    except TooMany:
        pass
    return GoModule(
        path=parsed[0],
        go=parsed[1],
        requires=parsed[2],
        programs=tuple(sorted(programs)),
        tested=tuple(sorted(tested)),
    )


def go_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("go.mod", "Go module github.com/example/linkcheck (go 1.22); programs: ...")``."""
    if not (workdir / "go.mod").is_file():
        return None
    if not _GO_WORDS.search(request):
        return None
    module = read_go_module(workdir)
    if module is None:
        return None
    parts = [f"Go module {module.path}" + (f" (go {module.go})" if module.go else "")]
    if module.requires:
        parts.append("requires: " + ", ".join(module.requires[:MAX_SHOWN]))
    if module.programs:
        parts.append("programs: " + ", ".join(module.programs[:MAX_SHOWN]))
    if module.tested:
        parts.append("packages with tests: " + ", ".join(module.tested[:MAX_SHOWN]))
    return "go.mod", "; ".join(parts)

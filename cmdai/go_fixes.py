"""Sure fixes from the fifty-first by-hand round: a Go module.

Shown the module (``cmdai.go_project.go_fact``), the model wrote ``go`` commands, many for
another task: ``go test ./internal/crawl`` for "show the test coverage" (no ``-cover``) and
for "run the TestLinksRelative test" (no ``-run``), ``go mod tidy`` for "format all the code",
``go clean -modcache`` for "clear the test cache" (it deletes every downloaded module),
``go mod download`` for "build everything and report any compile errors", ``go list -m``
for "list the packages in this module" (the module, not its packages), and ``go build -o
bin/linkcheck cmd/linkcheck`` (without ``./``, Go reads ``cmd/linkcheck`` as a package of
the standard library).

Where the folder holds a ``go.mod`` and the request asks for one of the module's everyday
tasks that the draft does not do, the draft is replaced by Go's own form of it, over every
package (``./...``). ``go_fix`` returns the fixed command with a ``fixed here:`` note, or
None; it is called (through ``cmdai.project_fixes.project_fix``) with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.go_project import parse_go_mod
from cmdai.project_files import RUN_THE_TESTS, runs_only

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_NOTE = "fixed here: Go's own way for this module (go.mod)"
_REPLACEABLE = frozenset(
    "go gofmt grep egrep find xargs sed cat ls head".split()  # noqa: SIM905
)
"""The programs of a draft these fixes may replace: Go's and readers of files. Anything else
(``cargo bench``, ``npm test``, ``make``) is another project's way, left alone."""


def go_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does, or no Go module is here)."""
    lines = here.lines("go.mod")
    parsed = parse_go_mod("\n".join(lines)) if lines else None
    if parsed is None:
        return None
    if re.search(r"\b(?:cargo|npm|pip|pytest|make|bazel|docker)\b", request, re.I):
        return None  # another tool, named
    update = _update(request, parsed[2])  # names a requirement: whatever the draft ran
    if update is not None:
        return (update, _NOTE) if not re.search(r"\bgo\s+get\b", command) else None
    if not runs_only(command, _REPLACEABLE):
        return None
    task = _task(request)
    if task is not None:
        fixed, needed = task
        return (fixed, _NOTE) if not needed.search(command) else None
    return _package_path_fix(command, here)


_TEST_NAME = re.compile(r"\b(?P<name>(?:Test|Example|Fuzz)[A-Z0-9_]\w*)\b")
_CROSS = re.compile(
    r"\bfor\s+(?P<os>linux|darwin|macos|windows|freebsd)\b.*?\b(?P<arch>arm64|amd64|386|arm)\b"
    r"|\bfor\s+(?P<arch2>arm64|amd64)\b.*?\b(?P<os2>linux|darwin|macos|windows|freebsd)\b",
    re.I,
)


def _update(request: str, requires: tuple[str, ...]) -> str | None:
    """``go get PATH@latest`` for "update cobra to its latest version".

    A requirement named by its path or its last part, of four letters or more.
    """
    if not re.search(r"\b(?:update|upgrade|bump)\b", request, re.I) or not re.search(
        r"\b(?:latest|newest)\b", request, re.I
    ):
        return None
    for require in requires:
        path = require.split()[0]
        last = path.rsplit("/", 1)[-1]
        if path in request or (
            len(last) >= 4 and re.search(rf"\b{re.escape(last)}\b", request, re.I)
        ):
            return f"go get {path}@latest"
    return None


def _task(request: str) -> tuple[str, re.Pattern[str]] | None:
    """The command for the task the request asks for, and what a draft doing it must hold."""
    if (named := _TEST_NAME.search(request)) and re.search(r"\b(?:run|test)\b", request, re.I):
        name = shlex.quote("^" + named["name"] + "$")
        return f"go test -run {name} ./...", re.compile(r"\bgo\s+test\b.*\s-run\b")
    if re.search(r"\bcoverage\b", request, re.I):
        return "go test -cover ./...", re.compile(r"\bgo\s+test\b.*-cover")
    if re.search(r"\bbenchmarks?\b", request, re.I):
        return "go test -run '^$' -bench . ./...", re.compile(r"\bgo\s+test\b.*-bench\b")
    if cross := _CROSS.search(request):
        goos = (cross["os"] or cross["os2"]).lower().replace("macos", "darwin")
        goarch = (cross["arch"] or cross["arch2"]).lower()
        return f"GOOS={goos} GOARCH={goarch} go build -o bin/{goos}-{goarch}/ ./...", re.compile(
            rf"GOOS={goos}\b.*GOARCH={goarch}\b|GOARCH={goarch}\b.*GOOS={goos}\b"
        )
    if re.search(
        r"\bsuspicious\s+(?:constructs|code)\b|\bvet\s+(?:the\s+)?(?:code|module|packages)\b",
        request,
        re.I,
    ):
        return "go vet ./...", re.compile(r"\bgo\s+vet\b.*\./|staticcheck|golangci-lint")
    if re.search(
        r"\bnot\s+(?:yet\s+)?formatted\b|\bunformatted\b|\bneeds?\s+formatting\b", request, re.I
    ):
        return "gofmt -l .", re.compile(r"\bgofmt\s+(?:-\w+\s+)*-l\b")
    if re.search(
        r"(?<!long )(?<!in )\bformat\s+(?:all\s+)?(?:the\s+|my\s+)?(?:go\s+)?code\b", request, re.I
    ):
        return "gofmt -w .", re.compile(r"\bgofmt\s+(?:-\w+\s+)*-w\b|\bgo\s+fmt\b")
    if re.search(r"\b(?:which|what)\s+go\s+version\b", request, re.I):
        return "grep '^go ' go.mod", re.compile(r"\bgrep\b.*go\.mod|go\s+mod\s+edit\s+-json")
    if re.search(
        r"\b(?:list|show)\s+(?:all\s+)?(?:the\s+)?packages\s+(?:in|of)\s+(?:this|the|my)\s+"
        r"(?:module|project)\b",
        request,
        re.I,
    ):
        return "go list ./...", re.compile(r"\bgo\s+list\s+(?:-\S+\s+)*\./\.\.\.")
    why = re.search(
        r"\bwhy\s+(?P<path>[\w.-]+(?:/[\w.-]+)+)\s+is\s+(?:needed|required|used)", request, re.I
    )
    if why is not None:
        path = why["path"]
        return f"go mod why -m {path}", re.compile(rf"\bgo\s+mod\s+why\b.*{re.escape(path)}")
    if re.search(r"\b(?:clear|clean|remove|delete|wipe)\b.*\btest\s+cache\b", request, re.I):
        return "go clean -testcache", re.compile(r"-testcache\b")
    if re.search(
        r"\bbuild\s+(?:everything|all\s+(?:the\s+)?packages)\b|\bcompile\s+errors?\b", request, re.I
    ):
        return "go build ./...", re.compile(r"\bgo\s+(?:build|vet)\b.*\./\.\.\.")
    if RUN_THE_TESTS.search(request) and not re.search(r"\b(?:only|just)\b", request, re.I):
        return "go test ./...", re.compile(r"\bgo\s+test\b")
    return None


def _package_path_fix(command: str, here: Here) -> tuple[str, str] | None:
    """``./cmd/linkcheck`` for ``cmd/linkcheck``: a package here is named by its path from ``.``.

    Without the ``./`` Go looks for ``cmd/linkcheck`` in the standard library ("package
    cmd/linkcheck is not in std").
    """
    match = re.match(r"\s*go\s+(?:build|run|install|test|vet|list)\b", command)
    if match is None:
        return None
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    fixed, changed = [], False
    previous = ""
    for word in words:
        if (
            previous != "-o"
            and not word.startswith(("-", ".", "/"))
            and "/" in word
            and "." not in word.split("/")[0]  # github.com/...: a module path
            and here.is_dir(word.rstrip("/").removesuffix("/..."))
        ):
            word, changed = "./" + word, True
        fixed.append(word)
        previous = word
    if not changed:
        return None
    return shlex.join(fixed), "fixed here: a package here is named from ./ (else Go looks in std)"

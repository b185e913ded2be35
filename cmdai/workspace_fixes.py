"""Sure fixes from the fifty-fifth by-hand round: a Node.js monorepo with npm workspaces.

Shown the workspaces (``cmdai.npm_workspaces.workspaces_fact``), the model still wrote the
root's npm for one package's task: ``npm test`` for "run the tests of the api package" (every
workspace's), ``npm install express`` for "add express to the web package" (into the root),
``npm version`` of the root for one package's bump, ``npm ls`` of the root for a package's
dependencies.

Where the ``package.json`` here lists workspaces and the request names one (by its package
name, its last part or its folder: "@shop/api", "api", "packages/api") or speaks of every
one, npm's own form is written: ``-w NAME`` for one (``npm test -w @shop/api``, ``npm install
express -w @shop/web``, ``npm pkg get version -w @shop/api``), ``--workspaces`` for all, with
``--if-present`` for "every package that has one". A draft that runs the task inside the
workspace's folder (``cd packages/api && npm test``, ``--prefix packages/api``) is left as
it is. ``workspace_fix`` returns the fixed command with a ``fixed here:`` note, or None; it
is called (through ``cmdai.project_fixes.project_fix``) with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.npm_workspaces import Workspace, named, parse_workspaces
from cmdai.project_files import Done, holds, joined, runs_only

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_NOTE = "fixed here: npm's own way for a workspace (-w)"
_REPLACEABLE = frozenset(
    "npm npx node cd jq cat grep ls find mkdir echo".split()  # noqa: SIM905
)
"""The programs of a draft these fixes may replace: npm's and readers of files. Another tool
(``yarn``, ``pnpm``, ``lerna``) is the user's own choice, left alone."""
_EVERY = re.compile(
    r"\b(?:every|each|all(?:\s+the)?)\s+(?:workspaces?|packages?)\b|\bacross\s+(?:all\s+)?"
    r"(?:the\s+)?(?:workspaces|packages)\b",
    re.IGNORECASE,
)
_IF_PRESENT = re.compile(
    r"\b(?:that|which)\s+(?:has|have|define|defines)\s+(?:one|it|a\s+\w+\s+script)\b"
    r"|\bif\s+present\b|\bwhere\s+(?:there\s+is|it\s+exists)\b",
    re.IGNORECASE,
)


def workspace_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does, or no workspace is here)."""
    if not runs_only(command, _REPLACEABLE) or re.search(r"\b(?:yarn|pnpm|lerna|nx)\b", request):
        return None
    found = parse_workspaces(joined(here.lines), here.expand)
    if not found:
        return None
    task = _task(request, found, command)
    if task is None:
        return None
    fixed, done = task
    return None if done(command) else (fixed, _NOTE)


def _in(workspace: Workspace) -> str:
    """What in a draft runs its npm in ``workspace``: ``-w NAME``, its folder, ``--prefix``."""
    name, folder = re.escape(workspace.name), re.escape(workspace.folder)
    return (
        rf"(?:(?:-w|--workspace)[= ](?:{name}|{folder}/?)(?:\s|$)"
        rf"|\bcd\s+(?:\./)?{folder}/?\s*(?:&&|;)|--prefix[= ](?:\./)?{folder}\b)"
    )


def _script(request: str, workspace: Workspace | None) -> str | None:
    """The npm script the request runs: test, start, build, or one named or described."""
    scripts = workspace.scripts if workspace is not None else ()
    for script in scripts:
        if re.search(rf"\b(?:the\s+)?{re.escape(script)}\s+script\b", request, re.I):
            return script
    if re.search(r"\btests?\b", request, re.I) and re.search(r"\brun\b", request, re.I):
        return "test"
    if re.search(r"\bwatch\s+mode\b|\bwatching\b", request, re.I):
        watching = [s for s in scripts if s in ("dev", "watch")]
        return watching[0] if len(watching) == 1 else None
    if re.search(r"\bstart\b", request, re.I):
        return "start"
    if re.search(r"\bbuild\b", request, re.I):
        return "build"
    return None


def _run(script: str) -> str:
    return f"npm {script}" if script in ("test", "start") else f"npm run {script}"


def _task(request: str, found: list[Workspace], command: str) -> tuple[str, Done] | None:
    """The command for the task the request asks for, and a test a draft doing it passes."""
    meant = named(request, found)
    every = _EVERY.search(request)
    if re.search(r"\bonly\s+in\s+the\s+root\b|\bthe\s+root\s+package\b", request, re.I):
        return _root_only(command)
    dependency = re.search(
        r"\b(?:add|install)\s+(?P<dep>@?[\w./-]+)\s+(?:as\s+an?\s+(?P<dev>dev(?:elopment)?\s+)?"
        r"dependency\s+)?(?:to|into|in|of|for)\s+(?:the\s+)?",
        request,
        re.I,
    )
    if (
        dependency is not None
        and len(meant) == 1
        and dependency["dep"].lower()
        not in (
            "the",
            "a",
        )
    ):
        dep, where = dependency["dep"], meant[0]
        dev = " -D" if dependency["dev"] else ""
        return f"npm install {shlex.quote(dep)}{dev} -w {where.name}", holds(
            r"\bnpm\s+(?:i|install|add)\b",
            re.escape(dep),
            _in(where),
            *([r"(?:-D|--save-dev)\b"] if dev else []),
        )
    removed = re.search(
        r"\b(?:remove|uninstall|drop)\s+(?P<dep>@?[\w./-]+)\s+from\s+(?:the\s+)?", request, re.I
    )
    if removed is not None and len(meant) == 1:
        dep, where = removed["dep"], meant[0]
        options = r"(?:-\S+\s+(?:@\S+\s+)?)*"  # -w @shop/web, --save
        verb = r"\bnpm\s+(?:uninstall|remove|rm|un)\s+"
        only = rf"{verb}{options}{re.escape(dep)}(?:\s+-|\s*$)"  # that one, nothing else
        return f"npm uninstall {shlex.quote(dep)} -w {where.name}", holds(only, _in(where))
    version = re.search(r"\bto\s+(?:version\s+)?v?(\d+\.\d+\.\d+)\b", request, re.I)
    if (
        version is not None
        and len(meant) == 1
        and re.search(r"\b(?:bump|set|change)\b", request, re.I)
    ):
        where = meant[0]
        number = re.escape(version[1])
        sets = (
            rf"\bversion={number}\b|\bnpm\s+version\s+(?:(?:-w|--workspace)[= ]\S+\s+)*v?{number}\b"
        )
        return f"npm pkg set version={version[1]} -w {where.name}", holds(sets, _in(where))
    if len(meant) == 1 and (task := _question(request, meant[0])) is not None:
        return task
    dependents = re.search(
        r"\b(?:which|what)\s+(?:packages|workspaces)\s+depends?\s+on\b", request, re.I
    )
    if dependents is not None and len(meant) == 1:
        files = " ".join(f"{w.folder}/package.json" for w in found if w != meant[0])
        return f"grep -l '\"{meant[0].name}\"' {files}", holds(
            r"\bgrep\b", re.escape(meant[0].name)
        )
    new = re.search(
        r"\b(?:create|add|make)\s+(?:a\s+)?new\s+(?:workspace|package)\s+(?:called|named)\s+([\w-]+)",
        request,
        re.I,
    )
    if new is not None:
        parent = found[0].folder.rsplit("/", 1)[0] if "/" in found[0].folder else "."
        folder = f"{parent}/{new[1]}" if parent != "." else new[1]
        return f"npm init -y -w {folder}", holds(
            r"\binit\b", rf"(?:-w|--workspace)[= ]{re.escape(folder)}"
        )
    if not meant and re.search(r"\b(?:list|show|which)\b.*\bworkspaces\b", request, re.I):
        return "npm pkg get name --workspaces", holds(r"--workspaces\b|\bls\s+packages\b")
    script = _script(request, meant[0] if len(meant) == 1 else None)
    if script is None:
        return None
    if every:
        present = " --if-present" if _IF_PRESENT.search(request) else ""
        return f"{_run(script)} --workspaces{present}", holds(
            rf"\b{script}\b", r"(?:--workspaces|-ws)\b", *([r"--if-present"] if present else [])
        )
    if not meant or any(script not in w.scripts for w in meant):
        return None
    flags = " ".join(f"-w {w.name}" for w in meant)
    return f"{_run(script)} {flags}", holds(rf"\b{script}\b", *(_in(w) for w in meant))


def _question(request: str, where: Workspace) -> tuple[str, Done] | None:
    """What one workspace's package.json says: its version, scripts or dependencies."""
    if re.search(r"\b(?:which|what)\s+version\b", request, re.I):
        return f"npm pkg get version -w {where.name}", holds(r"\bversion\b", _in(where))
    if re.search(r"\b(?:show|list|what)\b.*\bscripts\b", request, re.I):
        return f"npm pkg get scripts -w {where.name}", holds(r"\bscripts\b", _in(where))
    if re.search(r"\bdepend\s+on\b|\bdependencies\b", request, re.I) and not re.search(
        r"\b(?:which|what)\s+(?:packages|workspaces)\b", request, re.I
    ):
        return f"npm pkg get dependencies -w {where.name}", holds(r"\bdependencies\b", _in(where))
    return None


_WORKSPACE_FLAGS = re.compile(
    r"\s+(?:--workspaces(?:=\S+)?|-ws|--include-workspace-root|--root|--if-present"
    r"|(?:-w|--workspace)(?:=|\s+)\S+)(?=\s|$)"
)


def _root_only(command: str) -> tuple[str, Done] | None:
    """The root package's own script: npm run at the root runs only the root's."""
    if not re.match(r"\s*npm\s+(?:run\b|test\b|start\b)", command):
        return None
    fixed = _WORKSPACE_FLAGS.sub("", command).strip()
    return fixed, lambda draft: not _WORKSPACE_FLAGS.search(draft)

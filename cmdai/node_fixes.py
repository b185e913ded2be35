"""Sure fixes from the thirty-seventh by-hand round: a Node.js project and npm.

Each only beside a ``package.json`` that says what the request names (``cmdai.projects``
reads it): the project's scripts listed (``npm run``; a draft grepped the word "scripts"), a
dependency removed (``npm uninstall``; a draft edited package.json with sed), the project's
own version (``npm pkg get version``; a draft asked the registry for a package of the same
name), one test file run (by the test script's runner; a draft ran them all), the modules
installed again after ``rm -rf node_modules`` (a draft stopped at the delete), and what
depends on a package (``npm ls``).

``node_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called for
any draft, with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.project_files import parse_manifest, section

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_RUNNERS = (  # the test script's runner, and how it runs one file
    (re.compile(r"^node\s+--test\b"), "node --test {}"),
    (re.compile(r"\bjest\b"), "npx jest {}"),
    (re.compile(r"\bvitest\b"), "npx vitest run {}"),
    (re.compile(r"\bmocha\b"), "npx mocha {}"),
)


def node_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of the fixes that applies beside a package.json (None: none does)."""
    manifest = _manifest(here) if here is not None else None
    if manifest is None or here is None:
        return None
    return (
        scripts_fix(command, request, manifest)
        or uninstall_fix(command, request, manifest)
        or own_version_fix(command, request, manifest)
        or one_test_fix(command, request, manifest, here)
        or reinstall_fix(command, request)
        or dependents_fix(command, request, manifest)
    )


def _manifest(here: Here) -> dict[str, object] | None:
    lines = here.lines("package.json")
    return parse_manifest("package.json", "\n".join(lines)) if lines else None


_SCRIPTS_ASKED = re.compile(
    r"\b(?:npm\s+scripts|scripts\s+(?:this|the|of\s+the|in\s+the)\s+(?:project|package)|"
    r"(?:project|package)(?:'s|\.json's)?\s+scripts|scripts\s+(?:in|of|from)\s+package\.json)\b",
    re.IGNORECASE,
)


def scripts_fix(command: str, request: str, manifest: dict[str, object]) -> tuple[str, str] | None:
    """``npm run`` for "list the scripts this project has" (seen: ``grep -r scripts``)."""
    asked = _SCRIPTS_ASKED.search(request)
    if asked is None or not section(manifest, "scripts"):
        return None
    if re.fullmatch(r"\s*npm\s+run(?:-script)?\s*", command) or ".scripts" in command:
        return None
    return "npm run", "fixed here: npm run with no script lists package.json's scripts"


def _dependency(manifest: dict[str, object], name: str) -> bool:
    return any(name in section(manifest, k) for k in ("dependencies", "devDependencies"))


_REMOVE = re.compile(
    r"\b(?:remove|uninstall|drop|delete)\s+(?:the\s+)?(?P<name>[\w@./-]+)\s+(?:from\s+the\s+|as\s+a\s+)"
    r"(?:dev\s*)?dependenc",
    re.IGNORECASE,
)


def uninstall_fix(
    command: str, request: str, manifest: dict[str, object]
) -> tuple[str, str] | None:
    """``npm uninstall left-pad`` for "remove left-pad from the dependencies".

    Seen: ``sed -i 's/^ *left-pad *//g' package.json``, which breaks its JSON.
    """
    asked = _REMOVE.search(request)
    if asked is None or not _dependency(manifest, asked["name"]):
        return None
    if re.search(r"\bnpm\s+(?:uninstall|remove|rm|un|r)\b", command):
        return None
    name = asked["name"]
    return f"npm uninstall {shlex.quote(name)}", (
        f"fixed here: npm uninstall takes {name} out of package.json and node_modules"
    )


def own_version_fix(
    command: str, request: str, manifest: dict[str, object]
) -> tuple[str, str] | None:
    """``npm pkg get version`` for "show the project's version".

    Seen: ``npm show shop-api version``, the registry's package of that name.
    """
    if not re.search(r"\b(?:the\s+)?(?:project|package)(?:'s)?\s+(?:own\s+)?version\b", request):
        return None
    name = str(manifest.get("name", ""))
    if not name or not re.search(rf"\bnpm\s+(?:show|view|info|v)\s+{re.escape(name)}\b", command):
        return None
    return "npm pkg get version", f"fixed here: {name} is this project: its package.json's version"


def one_test_fix(
    command: str, request: str, manifest: dict[str, object], here: Here
) -> tuple[str, str] | None:
    """``node --test test/add.test.js`` for "run add.test.js on its own" (seen: ``npm test``)."""
    asked = re.search(
        r"\brun\s+(?:only\s+)?(?P<file>[\w./-]+\.(?:test|spec)\.[cm]?[jt]s)\b", request
    )
    if asked is None:
        return None
    found = [asked["file"]] if here.exists(asked["file"]) else here.below(asked["file"])
    if found and re.search(rf"(?<![\w/.-]){re.escape(found[0])}\b", command):
        return None  # run by its path already (``node add.test.js`` names none here)
    script = str(section(manifest, "scripts").get("test", ""))
    runner = next((form for pattern, form in _RUNNERS if pattern.search(script)), None)
    if len(found) != 1 or runner is None:
        return None
    fixed = runner.format(shlex.quote(found[0]))
    return fixed, f"fixed here: the test script runs them all; {fixed} runs {found[0]} alone"


def reinstall_fix(command: str, request: str) -> tuple[str, str] | None:
    """``rm -rf node_modules && npm install`` for "delete node_modules and install ... again"."""
    if not re.search(r"\b(?:re-?install|install\b.*\bagain)\b", request, re.IGNORECASE):
        return None
    if not re.fullmatch(r"\s*rm\s+-(?:rf|fr|r)\s+(?:\./)?node_modules/?\s*", command):
        return None
    return f"{command.strip()} && npm install", "fixed here: npm install puts the modules back"


def dependents_fix(
    command: str, request: str, manifest: dict[str, object]
) -> tuple[str, str] | None:
    """``npm ls left-pad`` for "show which packages depend on left-pad"."""
    asked = re.search(r"\b(?:depend|depends|require|requires)\s+on\s+(?P<name>[\w@./-]+)", request)
    if asked is None or re.search(
        r"\bnpm\s+(?:ls|list|explain|why)\b.*\s" + re.escape(asked["name"]), command
    ):
        return None
    name = asked["name"].rstrip(".")
    if not _dependency(manifest, name):
        return None  # "the specified package" is no name; another manager's package is not npm's
    return f"npm ls {shlex.quote(name)}", f"fixed here: npm ls {name} shows the tree down to it"

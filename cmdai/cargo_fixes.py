"""Sure fixes from the thirty-ninth by-hand round: a Rust crate built with Cargo.

Shown the crate (``cmdai.projects.rust_fact``), the model wrote Cargo's commands, some with an
argument Cargo refuses or reads otherwise: ``cargo fmt Cargo.toml`` and ``cargo tree
wordcount`` (both refuse the name), ``cargo install wordcount`` for "install this program"
(that fetches a crate of the same name from crates.io; this one is ``--path .``), ``cargo
update regex`` for "update the dependencies" (only that one), ``cargo test`` for "run the
tests and show what they print" (the harness hides a passing test's output without
``-- --nocapture``), and a ``sed`` on Cargo.toml for "add the serde crate as a dependency"
(``cargo add serde``, which writes the line and resolves a version).

``cargo_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called
(through ``cmdai.project_fixes.project_fix``) with the working directory.
"""

from __future__ import annotations

import itertools
import re
import shlex
from typing import TYPE_CHECKING

from cmdai.project_files import parse_manifest, section
from cmdai.stages import lone_call

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def cargo_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does, or no crate is here)."""
    package = _package(here)
    if package is None:
        return None
    words = _cargo_words(command)
    return (
        add_dependency_fix(command, request)
        or own_version_fix(command, request)
        or (
            None
            if words is None
            else (
                no_operand_fix(words, request)
                or install_here_fix(words, request, package)
                or update_all_fix(words, request)
                or test_output_fix(words, request)
                or unasked_features_fix(words, request)
            )
        )
    )


def _package(here: Here) -> dict[str, object] | None:
    lines = here.lines("Cargo.toml")
    data = parse_manifest("Cargo.toml", "\n".join(lines)) if lines else None
    return section(data, "package") or None if data is not None else None


def _cargo_words(command: str) -> list[str] | None:
    """The words of a command that is one ``cargo`` call with a sub-command (None: it is not)."""
    words = lone_call(command, "cargo")
    return words if words is not None and len(words) >= 2 else None


def _fixed(words: list[str]) -> str:
    return shlex.join(words)


def no_operand_fix(words: list[str], request: str) -> tuple[str, str] | None:
    """``cargo fmt`` for ``cargo fmt Cargo.toml`` and ``cargo tree`` for ``cargo tree NAME``.

    Both work on the whole crate and refuse a name (``unexpected argument``).
    """
    if words[1] not in ("fmt", "tree") or "--" in words:
        return None
    rest = words[2:]
    kept = [w for w in rest if w.startswith("-")]
    if len(kept) == len(rest):
        return None
    if any(
        a.startswith("-") and "=" not in a and not b.startswith("-")
        for a, b in itertools.pairwise(rest)
    ):
        return None  # the word may be an option's value (--prune NAME): leave the command alone
    return _fixed(words[:2] + kept), f"fixed here: cargo {words[1]} takes the whole crate, no name"


_THIS_PROGRAM = re.compile(r"\b(?:this|the|my|our)\s+(?:program|crate|project|tool|binary)\b", re.I)


def install_here_fix(
    words: list[str], request: str, package: dict[str, object]
) -> tuple[str, str] | None:
    """``cargo install --path .`` for ``cargo install NAME`` where NAME is the crate here."""
    name = package.get("name")
    if words[1] != "install" or not _THIS_PROGRAM.search(request) or not isinstance(name, str):
        return None
    if name not in words[2:] or "--path" in words or re.search(rf"\b{re.escape(name)}\b", request):
        return None
    fixed = [*words[:2], *(w for w in words[2:] if w != name), "--path", "."]
    return _fixed(fixed), f"fixed here: cargo install {name} fetches a crate from crates.io"


_ALL_DEPENDENCIES = re.compile(
    r"\b(?:update|upgrade)\s+(?:all\s+)?(?:the\s+|its\s+|my\s+)?(?:dependencies|crates|deps)\b",
    re.IGNORECASE,
)


def update_all_fix(words: list[str], request: str) -> tuple[str, str] | None:
    """``cargo update`` for ``cargo update regex`` when the request says "the dependencies"."""
    if words[1] != "update" or not _ALL_DEPENDENCIES.search(request):
        return None
    named = [w for w in words[2:] if not w.startswith("-")]
    if not named or any(re.search(rf"\b{re.escape(w)}\b", request) for w in named):
        return None
    kept = [w for w in words[2:] if w.startswith("-") and w not in ("-p", "--package")]
    return _fixed(words[:2] + kept), "fixed here: cargo update with no name updates them all"


_SHOW_OUTPUT = re.compile(
    r"\b(?:show|see|print|display)\w*\s+(?:what\s+they\s+print|(?:their|the|its)\s+"
    r"(?:output|printed\s+output|prints?|println))|\bnocapture\b",
    re.IGNORECASE,
)


def test_output_fix(words: list[str], request: str) -> tuple[str, str] | None:
    """``cargo test -- --nocapture`` for "run the tests and show what they print"."""
    if words[1] != "test" or not _SHOW_OUTPUT.search(request):
        return None
    if "--nocapture" in words or "--show-output" in words:
        return None
    fixed = [*words, "--nocapture"] if "--" in words else [*words, "--", "--nocapture"]
    return _fixed(fixed), "fixed here: the test harness hides what passing tests print"


def unasked_features_fix(words: list[str], request: str) -> tuple[str, str] | None:
    """``cargo clippy`` for ``cargo clippy --features json`` when no feature was asked for."""
    if re.search(r"\bfeatures?\b", request, re.IGNORECASE):
        return None
    kept: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in ("--features", "-F"):
            skip = True
        elif not word.startswith("--features="):
            kept.append(word)
    if len(kept) == len(words):
        return None
    return _fixed(kept), "fixed here: the request asked for no feature"


_ADD_CRATE = re.compile(
    r"\badd\s+(?:the\s+)?(?P<name>[A-Za-z][\w-]*)\s+(?:crate\s+)?(?:as\s+a\s+dependency|to\s+"
    r"(?:the\s+|its\s+|my\s+)?(?:dependencies|crate|project))\b",
    re.IGNORECASE,
)


def add_dependency_fix(command: str, request: str) -> tuple[str, str] | None:
    """``cargo add serde`` for "add the serde crate as a dependency" (a draft edited the file)."""
    asked = _ADD_CRATE.search(request)
    if asked is None or asked["name"].lower() in ("a", "an", "new", "crate", "dependency"):
        return None
    name = asked["name"]
    if re.match(rf"\s*cargo\s+add\b.*\b{re.escape(name)}\b", command):
        return None
    if "Cargo.toml" not in command and not re.match(r"\s*cargo\b", command):
        return None
    fixed = f"cargo add {shlex.quote(name)}"
    return fixed, "fixed here: cargo add writes the dependency into Cargo.toml"


_OWN_VERSION = re.compile(
    r"\b(?:what|which|show)\b.*\bversion\b.*\b(?:this|the|my)\s+(?:crate|project|package)\b"
    r"|\b(?:this|the|my)\s+(?:crate|project|package)(?:'s)?\s+version\b",
    re.IGNORECASE,
)


def own_version_fix(command: str, request: str) -> tuple[str, str] | None:
    """``grep -m 1 '^version' Cargo.toml`` for "what version is this crate".

    Seen: ``cargo metadata ... | jq '.dependencies["regex"].version'`` (a dependency's).
    """
    if not _OWN_VERSION.search(request) or re.search(r"\^version|cargo\s+pkgid", command):
        return None
    if not re.match(r"\s*cargo\s+metadata\b", command) and "Cargo.toml" not in command:
        return None
    if re.search(r"\.packages\b.*\.version", command):
        return None  # the crate's own entry of cargo metadata: right as it is
    return "grep -m 1 '^version' Cargo.toml", "fixed here: the version is Cargo.toml's version line"

"""Requests that point at something they never name: "delete them", "copy it there".

A request typed at a prompt has no earlier sentence, so a pronoun as the object of its verb
("it", "them", "that", "the old ones") refers to nothing cmdai can see. The model guesses
anyway (``delete them`` was answered ``rm -f *.txt``), and a guessed object is the worst
kind of wrong command: one that acts on the wrong files. Such a request is answered
``ambiguous`` before the model runs, with a hint saying what to name.

Deliberately narrow, so that a shell request is never declined: the pronoun must be the
verb's object at the start of a short request, and the request must hold nothing concrete
(a path, a file name, a number, a quoted word, an option). "find the logs and delete them"
names its object and is answered. So is "build it in release mode" in a project's folder
(a ``Cargo.toml``, ``package.json``, ``Makefile``... here): what a project's verbs act on is
the project (the forty-eighth by-hand round, where it was declined beside a crate).
"""

from __future__ import annotations

import re
from pathlib import Path

from cmdai.project_files import COMPOSE_FILES, MAKEFILES

_MAX_WORDS = 8
"""Longer requests usually describe their object somewhere; they go to the model."""

_LEADS = frozenset(
    "please pls kindly now then just ok okay so and also can could would will you u".split()  # noqa: SIM905
)
"""Words a request may open with before its verb ("can you delete them")."""

_PRONOUNS = frozenset({"it", "them"})
_DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
_QUANTIFIERS = frozenset({"all", "both", "each", "every"})
_AFTER_PRONOUN = frozenset(
    {"to", "into", "onto", "in", "on", "with", "from", "for", "as", "there", "here", "again"}
    | {"now", "back", "up", "down", "away", "over", "too", "please"}
)
"""Words that can follow a demonstrative used as a pronoun ("move that there"); any other word
makes it a determiner ("delete that folder") and the request names its object."""

_CONCRETE = re.compile(r"[/\\~*$`'\"0-9=]|\.\w|(?:^|\s)-")
"""A path, glob, variable, quoted word, number, file extension or option: something named."""

_WORD = re.compile(r"[a-z']+")

PROJECT_VERBS = frozenset(
    {
        "build",
        "rebuild",
        "compile",
        "recompile",
        "run",
        "rerun",
        "test",
        "retest",
        "lint",
        "format",
        "check",
        "install",
        "package",
        "publish",
        "release",
        "deploy",
        "start",
        "serve",
        "launch",
        "debug",
        "profile",
        "bench",
        "benchmark",
        "clean",
    }
)
"""Verbs whose "it" or "this" is the project, where the working directory is one."""

PROJECT_FILES = (
    "Cargo.toml",
    "package.json",
    "pyproject.toml",
    "setup.py",
    "go.mod",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "CMakeLists.txt",
    "meson.build",
    "Gemfile",
    "composer.json",
    "mix.exs",
    "Dockerfile",
    *MAKEFILES,
    *COMPOSE_FILES,
)
"""A folder holding one of these is a project its verbs act on."""


def is_project(workdir: Path) -> bool:
    """Whether ``workdir`` holds a project's manifest or build file (a stat per name)."""
    try:
        return any((workdir / name).is_file() for name in PROJECT_FILES)
    except OSError:
        return False


def unresolved_object(request: str, project: bool = False) -> str | None:
    """The word a request uses for an object it never names, or None.

    ``project``: the working directory is a project, so "build it" builds it.

    >>> unresolved_object("delete them")
    'them'
    >>> unresolved_object("can you remove the old ones?")
    'the old ones'
    >>> unresolved_object("delete that folder") is None
    True
    """
    text = request.strip().rstrip("?!.").strip()
    if not text or _CONCRETE.search(text):
        return None
    words: list[str] = _WORD.findall(text.lower())
    if len(words) != len(text.split()):
        return None  # a word of other characters (a name, a symbol): leave it to the model
    while words and words[0] in _LEADS:
        words = words[1:]
    if not 2 <= len(words) <= _MAX_WORDS:
        return None
    rest = words[1:]  # words[0] is the verb: "delete", "undo", "merge"
    if project and words[0] in PROJECT_VERBS and rest[0] in ("it", "this"):
        return None
    if rest[0] in _PRONOUNS:
        return rest[0]
    if rest[0] in _DEMONSTRATIVES and (len(rest) == 1 or rest[1] in _AFTER_PRONOUN):
        return rest[0]
    if (
        len(rest) >= 3
        and rest[0] in _QUANTIFIERS
        and rest[1] == "of"
        and rest[2] in (_PRONOUNS | _DEMONSTRATIVES)
    ):
        return " ".join(rest[:3])  # "all of them"
    if rest[0] == "the":
        # "the old ones", "the big one": an adjective or two, then "one(s)" as the noun.
        for end in (2, 3, 4):
            if len(rest) > end - 1 and rest[end - 1] in ("one", "ones"):
                return " ".join(rest[:end])
    return None


_FIX = re.compile(r"^\W*(?:(?:please|now|just|can you)\s+)*(?:fix|retry|rerun|redo)\b", re.I)
"""A request to repair or repeat "it": most likely the command that just failed."""


def vague_hint(word: str, request: str = "") -> str:
    """What the user is told when a request's object is ``word``."""
    hint = (
        f'the request says "{word}" without saying what: name the files, folder, program or '
        'command it means (for example "delete the .log files in logs")'
    )
    if _FIX.match(request):
        hint += "; to fix the command that just failed, run cmdai fix"
    return hint

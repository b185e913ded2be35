"""What a command hands its tools, read as bash would: operands, globs and grep's patterns.

Notes, each proving a draft wrong (``cmdai.pitfalls`` runs them with the other checks):
``glob:`` a glob that matches nothing here while files in the folders below match it;
``regex:`` a grep given no pattern, or a second pattern written where a file name goes.
Found by trying cmdai by hand (docs/accuracy.md).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cmdai.pitfalls import Here
    from cmdai.shellparse import Analysis

ONLY_HERE = re.compile(
    r"\bonly (?:here|in this (?:folder|directory))\b|\bnot (?:in )?(?:the )?sub-?(?:folders?"
    r"|director(?:y|ies)|dirs?)\b|\bnon-?recursive(?:ly)?\b|\btop[- ]level\b",
    re.IGNORECASE,
)
"""A request for this folder alone, not the folders below it."""

CHANGERS = frozenset(
    " ".join(
        (
            "rm rmdir unlink shred mv cp ln dd truncate xargs parallel tee sponge chmod chown",
            "chgrp kill pkill killall install touch mkdir",
        )
    ).split()
)
"""Utilities that change files or processes (xargs and parallel: whatever they are handed);
sed and perl only with -i."""


def changes_things(analysis: Analysis) -> bool:
    """Whether a command writes a file, runs a changing utility or has find delete or run."""
    if any(r.operator in (">", ">>", ">|", "&>", "&>>") for r in analysis.redirects):
        return True
    return any(
        simple.argv[0] in CHANGERS
        or (simple.argv[0] == "find" and {"-delete", "-exec", "-execdir"} & set(simple.argv))
        or (simple.argv[0] in ("sed", "perl") and any(w.startswith("-i") for w in simple.argv))
        for simple in analysis.commands
        if simple.argv
    )


_BARE_GLOB = re.compile(r"\*\.\w+")
ALL_OF = re.compile(r"\b(?:all|every|each)\b", re.IGNORECASE)
"""A request for all of some files ("delete all the .bak files")."""
THIS_FOLDER = re.compile(
    r"\b(?:current|this|working)\s+(?:folder|directory|dir)\b|\bhere\b", re.IGNORECASE
)
"""A request that names this folder ("in the current directory", "here")."""
# Utilities that only read the files they are given (sed and awk: not when they write).
_READERS = frozenset(
    " ".join(
        (
            "grep egrep fgrep rg zgrep wc cat tac nl head tail less more md5sum sha1sum sha256sum",
            "sha512sum cksum ls du file stat sort uniq cut diff strings od xxd hexdump jq awk sed",
        )
    ).split()
)


def bare_words(analysis: Analysis) -> set[str]:
    """The line's words as written, quotes kept: ``*.py`` is in it, ``'*.py'`` is not bare."""
    lexer = shlex.shlex(analysis.sources[0] if analysis.sources else "", punctuation_chars=True)
    lexer.whitespace_split, lexer.commenters = True, ""
    try:
        return set(lexer)  # not POSIX mode, so quotes stay part of the word
    except ValueError:
        return set()


def unmatched_globs(analysis: Analysis, request: str, here: Here) -> list[str]:
    """A bare glob (``*.py``) that matches nothing here while files in folders below match it.

    Found by hand: "show all TODO comments in the python files", in a project that keeps its
    code in ``src/``, was answered ``grep -r "# TODO" *.py``: bash passes an unmatched glob on
    as it is, and grep fails on a file called ``*.py``. Only an operand of a utility that
    reads it, in a command that changes nothing, and not for a request about this folder
    alone; a quoted glob (``find -name '*.py'``) is a pattern the tool reads itself. ``rm *.bak``
    is pointed at the files below only when the request deletes "all" of them and does not
    write the glob itself: the model is asked again, and the gate judges the delete it writes
    (no fix here widens a delete).
    """
    if ONLY_HERE.search(request):
        return []
    changes = changes_things(analysis)
    if changes and (not ALL_OF.search(request) or THIS_FOLDER.search(request)):
        return []
    tools = {"rm"} if changes else _READERS
    bare = bare_words(analysis)
    for simple in analysis.commands:
        if not simple.argv or simple.argv[0] not in tools:
            continue
        for word in simple.argv[1:]:
            if changes and word in request:
                continue  # "remove all files like '*.bak'": the glob the user wrote, here
            below = here.only_below(word) if _BARE_GLOB.fullmatch(word) and word in bare else []
            if below:
                more = f" and {len(below) - 2} more" if len(below) > 2 else ""
                shown = ", ".join(below[:2]) + more
                done, reach = (
                    ("deletes nothing", f"find . -type f -name '{word}'")
                    if changes
                    else ("reads nothing", f"find . -name '{word}' or grep -r --include='{word}'")
                )
                return [
                    f"glob: no file in this folder matches {word}, so bash passes it on as it is "
                    f"and {simple.argv[0]} {done}; the files that match are in folders below "
                    f"({shown}): reach them with {reach}"
                ]
    return []


_GLOBBY = re.compile(r"[*?[]")


def only_folders(operands: Sequence[str], bare: set[str], here: Here) -> list[str]:
    """The folders an unquoted glob among ``operands`` expands to, when it expands to no file."""
    for word in operands:
        if word in bare and _GLOBBY.search(word):
            entries = here.expand(word)
            if entries and all(here.is_dir(e) for e in entries):
                return entries
    return []


VALUED = {
    "grep": ("-e", "-f", "-m", "-A", "-B", "-C", "--regexp", "--file", "--max-count"),
    "cp": ("-t", "-S", "--target-directory", "--suffix"),
    "scp": ("-P", "-i", "-o", "-F", "-l", "-c", "-J"),
    "zip": ("-b", "-n", "-t", "-tt", "-x", "-i"),
}
"""Options that take the next word as their value, per tool (that word is not a file)."""


def operand_words(words: Sequence[str], valued: Sequence[str]) -> list[str]:
    """The words that are not options nor options' values."""
    operands: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in valued or (word[:1] == "-" != word[1:2] and "-" + word[-1] in valued):
            skip = True  # `-m 5`, or a cluster ending in one: `grep -zom 1 PATTERN`
        elif not word.startswith("-"):
            operands.append(word)
    return operands


_GREPS = frozenset({"grep", "egrep", "fgrep"})


def _plain_greps(analysis: Analysis) -> Iterator[tuple[str, list[str]]]:
    """Each grep on the line itself whose pattern is its first operand, with its operands.

    Left out: code handed on (xargs, an alias), not read closely enough to say; a grep whose
    patterns come with -e or from a file, or that only prints help.
    """
    for simple in analysis.commands:
        argv = simple.argv
        if simple.depth or not argv or argv[0] not in _GREPS or pattern_given(argv):
            continue
        yield argv[0], operand_words(argv[1:], VALUED["grep"])


def patternless_grep(analysis: Analysis) -> list[str]:
    """``grep -r helper src | grep -n``: a grep given no pattern stops with a usage error.

    Found by hand ("search for the word helper in src and show line numbers"): the model
    moved an option into a second grep of its own.
    """
    for name, operands in _plain_greps(analysis):
        if not operands:
            return [f"regex: {name} is given no pattern, so it stops with a usage error"]
    return []


def pattern_given(argv: Sequence[str]) -> bool:
    """Whether grep's patterns come with -e or from a file (or it only prints help)."""
    return any(
        w.startswith(("--regexp", "--file", "--help", "--version", "-V"))
        or (w.startswith("-") and not w.startswith("--") and ("e" in w or "f" in w))
        for w in argv[1:]
    )


# A word that reads as a regular expression, not a file name: `^#`, `^$`, `error$`, `.*`, `\s`.
_REGEXY = re.compile(r"^\^|(?<![\w{])\$$|\.\*|\\[sdwb]")


def patterns_as_files(analysis: Analysis, here: Here) -> list[str]:
    """``grep -v '^#' -v '^$' .env``: a second pattern without -e is read as a file name.

    Found by hand ("print the env file without the comments and blank lines"): grep takes
    its first operand as the pattern and every other as a file, so ``^$`` is a missing file.
    """
    written = {w.strip("'\"") for w in bare_words(analysis)}  # as written: not brace-expanded
    for name, operands in _plain_greps(analysis):
        pattern, *files = operands or [""]
        odd = next(
            (f for f in files if _REGEXY.search(f) and f in written and not here.exists(f)),
            None,
        )
        if odd is not None:
            return [
                f"regex: {name} reads {odd} as a file to search, not as a pattern; give each "
                f"pattern with -e ({name} -e '{pattern}' -e '{odd}' FILE)"
            ]
    return []

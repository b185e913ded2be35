"""A parsed command's pipelines read as word lists: their stages and options.

Shared by the checks that read how one stage's output feeds the next (``cmdai.pitfalls``,
``cmdai.titles``, ``cmdai.intent``), and by the sure fixes that edit a command where what they
change is written once (``replace_once``).
"""

from __future__ import annotations

import itertools
import re
import shlex
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cmdai.pitfalls import Here
    from cmdai.shellparse import Analysis


def short_flags(argv: Sequence[str]) -> str:
    """The letters of the short options in ``argv`` (``-rh -k5`` -> ``rhk5``)."""
    return "".join(w[1:] for w in argv[1:] if w.startswith("-") and not w.startswith("--"))


def gives(words: Sequence[str], *options: str) -> bool:
    """Whether ``words`` give one of ``options`` (``--format=...`` counts as ``--format``)."""
    return any(w in options or w.split("=", 1)[0] in options for w in words)


def replace_once(
    command: str, pattern: str, by: str | Callable[[re.Match[str]], str]
) -> str | None:
    """``command`` with the one match of ``pattern`` replaced (None: not exactly one match).

    ``by`` is the text itself (no group references) or a function of the match.
    """
    fixed, count = re.subn(pattern, by if callable(by) else lambda _: by, command)
    return fixed if count == 1 else None


def pipeline_stages(analysis: Analysis) -> Iterator[list[list[str]]]:
    """Each of the command's pipelines as its stages' word lists (unsplittable ones skipped)."""
    for pipeline in analysis.pipelines:
        try:
            stages = [shlex.split(stage) for stage in pipeline.split(" | ")]
        except ValueError:
            continue
        yield stages


def adjacent_stages(analysis: Analysis) -> list[tuple[list[str], list[str]]]:
    """Each pair of neighbouring stages of the command's pipelines, as word lists."""
    return [
        (a, b)
        for stages in pipeline_stages(analysis)
        for a, b in itertools.pairwise(stages)
        if a and b
    ]


def command_stages(command: str) -> list[list[str]]:
    r"""The stages of a one-pipeline command as their words, quotes kept together ([]: other).

    Split here from the command's own text: the parser's pipeline text has lost its quotes.
    find's ``-exec ... \;`` ends in a word ``;``, not in a list of commands.
    """
    lexer = shlex.shlex(command.replace("\\;", "\0"), posix=True, punctuation_chars="|;&<>()")
    lexer.whitespace_split = True
    stages: list[list[str]] = [[]]
    try:
        for word in lexer:
            if word == "|":
                stages.append([])
            elif word and set(word) <= set("|;&<>()"):
                return []
            else:
                stages[-1].append(word.replace("\0", ";"))
    except ValueError:
        return []
    return stages if all(stages) else []


XARGS_VALUED = frozenset({"-n", "-d", "-L", "-P", "-s", "-a", "-E", "-I", "--delimiter"})
"""xargs's options that take the next word as their value (``-n 1``, ``-I {}``)."""


def xargs_runs(argv: Sequence[str]) -> str | None:
    """The utility an ``xargs`` stage runs (None: echo by default)."""
    skip = False
    for word in argv[1:]:
        if skip:
            skip = False
        elif word in XARGS_VALUED:
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def request_words(request: str) -> list[str]:
    """The request's words as written, with quotes and the punctuation around them taken off."""
    return [word.strip("'\"`,;:()") for word in request.split()]


def request_entries(request: str, here: Here) -> list[str]:
    """The entries here that the request names by their names, in its order, each once."""
    words = [w.rstrip("/") for w in request_words(request)]
    return [w for w in dict.fromkeys(words) if w and here.exists(w)]


def lone_call(command: str, *program: str) -> list[str] | None:
    """The words of a command that is one call of ``program`` and nothing else, or None.

    ``lone_call("docker compose logs web", "docker", "compose")`` gives all four words; a
    pipe, list, redirection or substitution, or quotes that do not close, give None.
    """
    if re.search(r"[|;&<>`$()]", command):
        return None
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    return words if words[: len(program)] == list(program) else None

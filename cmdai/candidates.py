"""Choosing among several drafts of one command (the ``candidates`` setting).

A small model's greedy answer is one draw; a few sampled drafts are often right where it is
wrong (issue 11 measured: at least one of five right for 0.72 of requests, the greedy one for
0.55). Decoding a draft costs its ~12 tokens on top of the cached prompt, so a handful fits
a "careful" mode. Which draft is shown is decided by signals that need no reference: a draft
that fails a check here (syntax, a missing utility, an option the installed tool lacks) loses
to one that passes; among the rest, the form most drafts agree on wins; ties go to the greedy
draft, which is first.
"""

from __future__ import annotations

import shlex
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """One draft of the command, with what the checks here said about it."""

    command: str
    problems: tuple[str, ...] = ()
    votes: int = 1
    """How many drafts (this one included) share its normal form."""
    agreed: int | None = None
    """With ``rehearse``: how many drafts (this one included) had its effect in the sandbox;
    0 when it failed there, None when it was not rehearsed."""


def normal_form(command: str) -> str:
    """The command with its quoting and spacing made canonical (``'*.txt'`` = ``"*.txt"``)."""
    try:
        words = shlex.split(command, comments=False, posix=True)
    except ValueError:  # unbalanced quotes: compare the text as written
        words = command.split()
    return " ".join(words).rstrip(";").strip()


def same_command(a: str, b: str) -> bool:
    """Whether two commands are the same command: spacing and needless quoting aside.

    Quoting that changes what the shell expands is a difference: ``find . -name '*.py'`` is
    the fix of ``find . -name *.py``, not a repeat of it.
    """
    if normal_form(a) != normal_form(b):
        return False
    try:
        words_a, words_b = shlex.split(a, posix=False), shlex.split(b, posix=False)
    except ValueError:
        return True
    if len(words_a) != len(words_b):
        return False
    expanding = "*?[$~{`"
    pairs = zip(words_a, words_b, strict=True)
    return not any(x != y and any(c in x + y for c in expanding) for x, y in pairs)


def tally(drafts: Sequence[tuple[str, Sequence[str]]]) -> tuple[Candidate, ...]:
    """The drafts as candidates, each with the number of drafts that share its form."""
    forms = [normal_form(command) for command, _ in drafts]
    votes = Counter(forms)
    return tuple(
        Candidate(command, tuple(problems), votes[form])
        for (command, problems), form in zip(drafts, forms, strict=True)
    )


def choose(candidates: Sequence[Candidate]) -> int:
    """The index of the candidate to show: passes the checks, then most votes, then first.

    Raises:
        ValueError: no candidates.
    """
    if not candidates:
        raise ValueError("no candidates to choose from")
    return max(
        range(len(candidates)),
        key=lambda i: (not candidates[i].problems, candidates[i].votes, -i),
    )

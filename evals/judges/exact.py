"""The exact-match judge: equal after normalisation.

Whitespace, safe quoting, ``./`` prefixes of arguments and a trailing ``;`` do not count.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from evals.judges.base import JudgeItem, Score

_SAFE_QUOTED = re.compile(r"""^(?:'[^']*'|"[^"$`\\!]*")$""")


def normalise_command(command: str) -> str:
    """Canonical text of a command for exact match.

    Whitespace between words collapses, shell operators are spaced, a word wholly inside
    quotes is requoted canonically when its quoting cannot change its meaning (``"a b"`` and
    ``'a b'``; ``'x'`` and ``x``), an argument's leading ``./`` is dropped (``./a`` is ``a``,
    ``./`` is ``.``; never the command's own name), and a trailing ``;`` goes.
    """
    lexer = shlex.shlex(command.strip(), posix=False, punctuation_chars=";&|<>()")
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        tokens = list(lexer)
    except ValueError:  # unbalanced quotes: fall back to whitespace only
        return " ".join(command.split()).rstrip(";").strip()
    out: list[str] = []
    first = True
    for token in tokens:
        if token and set(token) <= set(";&|<>()"):
            out.append(token)
            first = token not in ("<", ">", ">>", "<<", "<<<", "&>", ">&")
            continue
        word = token
        if _SAFE_QUOTED.match(word):
            word = shlex.quote(word[1:-1])
        if not first and word.startswith("./"):
            word = word[2:] or "."
        out.append(word)
        first = False
    while out and out[-1] == ";":
        out.pop()
    return " ".join(out)


@dataclass
class ExactMatchJudge:
    """1.0 when the candidate equals a reference after ``normalise_command``."""

    name: str = "exact"

    def score(self, item: JudgeItem, candidate: str) -> Score:
        """Best over the references."""
        norm = normalise_command(candidate)
        for ref in item.references:
            if normalise_command(ref) == norm:
                return Score(1.0, self.name, "equal after normalisation", reference=ref)
        return Score(0.0, self.name, "differs from every reference", details={"normalised": norm})

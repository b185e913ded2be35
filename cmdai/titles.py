"""Column titles read as data: the first line ``ps``, ``lsof``, ``df`` or ``top`` print.

A count that keeps the titles among the rows it was asked for, and a ``PID`` title handed to
``kill`` with the process ids. Part of the pitfall checks (``cmdai.pitfalls``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from cmdai.stages import adjacent_stages, pipeline_stages, short_flags

if TYPE_CHECKING:
    from cmdai.shellparse import Analysis


_HEADED = {
    "ps": frozenset({"h", "--no-headers", "--no-heading", "--noheader", "--noheading"}),
    "df": frozenset(),
    "free": frozenset(),
    "lsof": frozenset({"-t"}),
    "top": frozenset(),
}
"""Utilities whose output starts with column titles, and the words that leave them out."""

_TOP_LINES = 7
"""Lines ``top -b`` prints before its first process: five of summary, a blank, the titles."""

NUMBER_WORDS = (  # noqa: SIM905 - one line of words reads better than 21 strings
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()


def number_value(word: str) -> int | None:
    """The number a count in a request gives: digits, or a word from zero to twenty."""
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.index(word) if word in NUMBER_WORDS else None


def _kept_lines(argv: Sequence[str]) -> int | None:
    """How many first lines a ``head -n N``, ``sed -n 1p`` or ``awk 'NR==1'`` stage keeps.

    None for anything else, ``head`` without a count included.
    """
    words = [w.replace(" ", "") for w in argv]
    count = None
    if words[0] == "head" and len(words) in (2, 3):
        if len(words) == 3 and words[1] in ("-n", "--lines"):
            count = words[2]
        elif len(words) == 2:
            for prefix in ("--lines=", "-n", "-"):
                if words[1].startswith(prefix):
                    count = words[1][len(prefix) :]
                    break
    elif words in (["sed", "-n", "1p"], ["sed", "-n", "1{p;q}"], ["awk", "NR==1"]):
        count = "1"
    return int(count) if count is not None and count.isdigit() else None


def names_number(request: str, n: int) -> bool:
    """Whether the request says ``n``, in digits or (up to twenty) in words."""
    found = re.findall(r"[a-z]+|\d+", request.lower())
    return str(n) in found or (n < len(NUMBER_WORDS) and NUMBER_WORDS[n] in found)


def titled_cuts(analysis: Analysis) -> Iterator[tuple[list[str], list[str], int, int]]:
    """Each stage that prints column titles, piped into one that keeps its first lines.

    Yields the titled stage, the cutting stage, how many lines it keeps and how many of
    them are titles.
    """
    for before, after in adjacent_stages(analysis):
        drops = _HEADED.get(before[0])
        kept = _kept_lines(after)
        if drops is None or kept is None or drops.intersection(before[1:]):
            continue
        if before[0] == "ps" and _bsd_no_header(before):
            continue
        yield before, after, kept, _TOP_LINES if before[0] == "top" else 1


def _bsd_no_header(argv: Sequence[str]) -> bool:
    """``ps haux``, ``ps aux h``: BSD-style option words (no dash) that include ``h``.

    A word after a dashed option is that option's value (``ps -C httpd``), not options.
    """
    return any(
        "h" in word and word.isalpha() and not argv[i].startswith("-")
        for i, word in enumerate(argv[1:])
        if not word.startswith("-")
    )


def header_pitfalls(analysis: Analysis, request: str = "") -> list[str]:
    """Warnings for counting a tool's column titles among the rows it was asked for.

    ``ps --sort=-%mem | head -n 1`` answers "which process uses the most memory" with the
    titles alone, and ``ps aux --sort=-%cpu | head -n 3`` shows two processes for "the 3
    processes using the most cpu" (the number is read from the request); both run cleanly.
    """
    found: list[str] = []
    for before, after, kept, titles in titled_cuts(analysis):
        shown = " ".join(after)
        if before[0] == "top":
            what = "top -b prints 7 lines of summary and titles before the processes"
            fix = "ps -eo pid,comm,%cpu --sort=-%cpu has one title line"
        else:
            what = f"the first line {before[0]} prints is its column titles"
            fix = "ps --no-headers leaves them out" if before[0] == "ps" else ""
        if kept <= titles:
            message = f"header: {what}, so {shown} keeps none of the rows"
        elif names_number(request, kept):
            rows = kept - titles
            message = f"header: {what}, so {shown} keeps only {rows} row{'s' * (rows > 1)}"
            fix = f"head -n {kept + titles} keeps the titles and {kept} rows"
        else:
            continue
        message += f" ({fix})" if fix else ""
        if message not in found:
            found.append(message)
    return found


def _prints_titles(argv: Sequence[str]) -> bool:
    """``lsof`` without ``-t``, or ``ps`` without a no-titles option or ``-o pid=`` columns."""
    if argv[0] == "lsof":
        return "t" not in short_flags(argv)
    return (
        argv[0] == "ps"
        and _HEADED["ps"].isdisjoint(argv[1:])
        and not _bsd_no_header(argv)
        and not any(w.endswith("=") or "=," in w for w in argv[1:])
    )


def _keeps_titles(argv: Sequence[str]) -> bool:
    """Whether a stage passes its input's title line on: ``grep -v grep``, ``awk '{print $2}'``."""
    program = " ".join(argv[1:])
    if argv[0] == "grep":
        return "v" in short_flags(argv) and not re.search(r"PID|COMMAND|CMD|USER", program, re.I)
    if argv[0] == "awk":
        return program.startswith("{") and "NR" not in program
    return argv[0] in ("uniq", "cut", "tr", "head")  # not sort: the titles may sort anywhere


def titles_killed(analysis: Analysis) -> list[str]:
    """``lsof -i :8080 | awk '{print $2}' | xargs kill``: kill is given the title ``PID`` too.

    procps ``kill`` refuses the whole list when one argument is not a number, so the command
    kills nothing (seen by hand: "kill the process listening on port 8080").
    """
    into_kill = any(
        s.argv[:1] == ("kill",) and any(w.startswith(("$(", "`")) for w in s.argv[1:])
        for s in analysis.commands
    )
    for stages in pipeline_stages(analysis):
        if not all(stages) or not _prints_titles(stages[0]):
            continue
        rest = list(itertools.dropwhile(_keeps_titles, stages[1:]))
        xargs = rest[0] if rest and rest[0][0] == "xargs" else []
        if (not rest and into_kill) or "kill" in xargs:
            fix = "lsof -t prints the PIDs alone" if stages[0][0] == "lsof" else "pgrep NAME"
            return [
                f"header: the first line {stages[0][0]} prints is its column titles, so kill is "
                f"given PID as well and kills nothing ({fix})"
            ]
    return []

"""Lines compared as sets: ``comm``'s columns and sorted input, duplicates dropped in order.

Sure fixes (``cmdai.sure_fixes``), found in the eighth by-hand round (a folder of data files):
"which fruits are in fruits.txt but not in basket.txt" answered ``comm -12 fruits.txt
basket.txt``, the lines in BOTH: the columns to hide are read off the request ("in A but not
in B", "only in A", "in both"); ``comm`` given a file here that is not sorted prints wrong
columns (and complains), so the file goes through ``<(sort -u FILE)``; and "remove the duplicate
lines keeping the first of each" answered ``sort fruits.txt | uniq``, which reorders them:
``awk '!seen[$0]++'`` keeps the first of each where it was.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cmdai.stages import replace_once

if TYPE_CHECKING:
    from cmdai.pitfalls import Here
    from cmdai.shellparse import Analysis

_NAME = r"['\"]?([\w./~-]+?)['\"]?"
_A_NOT_B = re.compile(
    rf"\b(?:in|from|of)\s+{_NAME}\s+(?:but|and|that are|that is)\s+not\s+(?:in\s+|from\s+)?{_NAME}"
    rf"(?=[\s,.;:!?]|$)",
    re.IGNORECASE,
)
_ONLY_IN = re.compile(rf"\bonly\s+in\s+{_NAME}(?=[\s,.;:!?]|$)", re.IGNORECASE)
_IN_BOTH = re.compile(r"\b(?:in both|common to both|in common|shared by both|both files)\b", re.I)


def _wanted_column(request: str, first: str, second: str) -> str | None:
    """The ``comm`` option that shows what the request asks for (None: it does not say)."""
    if (match := _A_NOT_B.search(request)) or (match := _ONLY_IN.search(request)):
        return {first: "-23", second: "-13"}.get(match.group(1))
    return "-12" if _IN_BOTH.search(request) else None


def comm_fix(
    command: str, analysis: Analysis, request: str, here: Here | None
) -> tuple[str, str] | None:
    """``comm`` showing the column the request asks for, reading its files sorted.

    ``comm -12 A B`` for "in A but not in B" becomes ``comm -23 A B``; a file here that is not
    sorted is read through ``<(sort -u FILE)`` (with ``here``; None when ``context`` is off).
    """
    comms = [c for c in analysis.commands if c.argv[:1] == ("comm",)]
    if len(comms) != 1:
        return None
    flags = [w for w in comms[0].argv[1:] if re.fullmatch(r"-[123]+", w)]
    files = [w for w in comms[0].argv[1:] if not w.startswith("-")]
    if len(flags) > 1 or len(files) != 2:
        return None
    fixed: str | None = command
    notes = []
    wanted = _wanted_column(request, *files)
    if flags and wanted is not None and set(wanted) != set(flags[0]):
        fixed = _replace_word(fixed, flags[0], wanted)
        shows = {"-12": "in both files", "-23": f"only in {files[0]}", "-13": f"only in {files[1]}"}
        notes.append(f"comm {wanted} shows the lines {shows[wanted]}, as asked")
    unsorted = [f for f in files if here is not None and _unsorted(here.lines(f))]
    for name in unsorted:
        fixed = _replace_word(fixed, name, f"<(sort -u {name})")
    if unsorted:
        notes.append(f"comm reads sorted files, and {' and '.join(unsorted)} is not sorted")
    if not notes or not fixed:
        return None
    return fixed, "fixed here: " + "; ".join(notes)


def _replace_word(command: str | None, word: str, by: str) -> str | None:
    """``command`` with its one ``word`` between spaces replaced (None: not just one)."""
    if command is None:
        return None
    return replace_once(command, rf"(?<=\s){re.escape(word)}(?=\s|$|[;&|)])", by)


def _unsorted(lines: list[str] | None) -> bool:
    """Whether ``lines`` are out of order both bytewise and ignoring case (either locale)."""
    if not lines:
        return False
    return lines != sorted(lines) and lines != sorted(lines, key=str.casefold)


_IN_ORDER = re.compile(
    r"\b(?:keep|preserv|retain|maintain)\w*\s+(?:the\s+|their\s+)?(?:original\s+|first\b|order\b)"
    r"|\bwithout sorting\b|\bin (?:the |their )?(?:original|same) order\b",
    re.IGNORECASE,
)
_DUPLICATES = re.compile(r"\b(?:duplicat\w*|dedup\w*|repeated|unique)\b", re.IGNORECASE)
_SORT_UNIQ = re.compile(
    r"^\s*(?:sort\s+-u\s+(?P<a>[\w./~-]+)|sort\s+(?P<b>[\w./~-]+)\s*\|\s*uniq)(?P<rest>\s*(?:>\s*\S+)?\s*)$"
)


def ordered_unique_fix(command: str, request: str) -> tuple[str, str] | None:
    """``sort F | uniq`` for duplicates dropped "keeping the first of each": ``awk`` keeps it."""
    if not (_IN_ORDER.search(request) and _DUPLICATES.search(request)):
        return None
    match = _SORT_UNIQ.match(command)
    if match is None:
        return None
    name = match.group("a") or match.group("b")
    fixed = f"awk '!seen[$0]++' {name}{match.group('rest').rstrip()}"
    return (
        fixed,
        "fixed here: sort reorders the lines; awk '!seen[$0]++' keeps each first one in place",
    )

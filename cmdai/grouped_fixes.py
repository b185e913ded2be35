"""Sure fixes from the thirty-fourth by-hand round: a table's columns named by their titles.

A CSV's title line says which field each name is, so a request that names its columns can be
answered from the file: "total amount per region" is a sum of ``amount`` grouped by
``region`` (drafts printed the two columns and counted the pairs, or averaged everything),
"how many different customers" reads the ``customer`` field and not the title line (a draft
read ``region``, and counted the title as a value), "only the region and amount columns" are
the fields those titles head, "the smallest and the largest amount" both ends of that field,
and "which names appear more than once" is ``uniq -d`` (a draft filtered ``uniq -c``'s output
on the name instead of the count).

``grouped_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called
(through ``cmdai.table_fixes.table_fix``) for a draft that shows and changes nothing.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.pitfalls import is_titles
from cmdai.stages import command_stages, request_words
from cmdai.table_filter_fixes import table_filter_fix

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_SEPARATORS = {".csv": ",", ".tsv": "\t"}


def grouped_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does)."""
    fixed = more_than_once_fix(command, request)
    if fixed is not None:
        return fixed
    table = _table(command, request, here)
    if table is None:
        table = _table_by_stem(request, here)  # "the sales": sales.csv (round 45's fixes only)
        return table_filter_fix(command, request, table, here) if table is not None else None
    return (
        group_total_fix(command, request, table)
        or counted_column_fix(command, request, table)
        or picked_columns_fix(command, request, table)
        or both_ends_fix(command, request, table)
        or table_filter_fix(command, request, table, here)
    )


class _Table:
    """A CSV or TSV file here with a title line: its name, separator and titles."""

    def __init__(self, name: str, separator: str, titles: list[str]) -> None:
        self.name, self.separator, self.titles = name, separator, titles

    def field(self, word: str) -> int | None:
        """The field (from 1) whose title is ``word`` or its singular (None: no one such)."""
        word = word.lower()
        for candidate in (word, word[:-1] if word.endswith("s") else None):
            if candidate and self.titles.count(candidate) == 1:
                return self.titles.index(candidate) + 1
        return None

    def named(self, request: str) -> list[int]:
        """The fields the request names by their titles, in its order, each once."""
        found = [self.field(w) for w in request_words(request)]
        return list(dict.fromkeys(f for f in found if f is not None))

    @property
    def awk(self) -> str:
        return "awk -F," if self.separator == "," else "awk -F'\\t'"


def table_named(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The one CSV or TSV file here that the request or the draft names, and its separator."""
    words = set(request_words(request)) | set(command.split())
    tables = sorted(w for w in words if w[-4:] in _SEPARATORS and here.exists(w))
    return (tables[0], _SEPARATORS[tables[0][-4:]]) if len(tables) == 1 else None


def column_titles(title: str, separator: str) -> list[str]:
    """A title line's column names, in lower case, quotes and blanks taken off."""
    return [t.strip().strip('"').lower() for t in title.split(separator)]


def _table(command: str, request: str, here: Here) -> _Table | None:
    named = table_named(command, request, here)
    return _titled(named[0], here) if named is not None else None


def _table_by_stem(request: str, here: Here) -> _Table | None:
    """The one CSV or TSV here whose name is a word of the request ("the sales"), titled."""
    found = [
        w + suffix
        for w in dict.fromkeys(request_words(request))
        for suffix in _SEPARATORS
        if len(w) >= 3 and here.exists(w + suffix)
    ]
    return _titled(found[0], here) if len(found) == 1 else None


def _titled(name: str, here: Here) -> _Table | None:
    """The CSV or TSV ``name`` here as a table, where its first line is a title line."""
    title = here.first_line(name)
    if title is None or not is_titles(title):
        return None
    separator = _SEPARATORS[name[-4:]]
    return _Table(name, separator, column_titles(title, separator))


_GROUPED = re.compile(
    r"\b(?P<agg>total|sum|average|mean|avg|biggest|largest|highest|maximum|max|smallest|lowest"
    r"|minimum|min)\s+(?:of\s+)?(?:the\s+)?(?P<x>[a-z_][\w-]*)\s+(?:per|by|for\s+each|of\s+each"
    r"|in\s+each|for\s+every|of\s+every)\s+(?P<y>[a-z_][\w-]*)",
    re.IGNORECASE,
)
_PROGRAMS = {  # what is kept per group, and what is printed for it
    "sum": ("s[$Y] += $X", "s[k]"),
    "mean": ("s[$Y] += $X; n[$Y]++", "s[k] / n[k]"),
    "max": ("if (!($Y in s) || $X + 0 > s[$Y]) s[$Y] = $X + 0", "s[k]"),
    "min": ("if (!($Y in s) || $X + 0 < s[$Y]) s[$Y] = $X + 0", "s[k]"),
}
_AGGREGATES = {"total": "sum", "average": "mean", "avg": "mean", "biggest": "max"}
_AGGREGATES |= {"largest": "max", "highest": "max", "maximum": "max", "smallest": "min"}
_AGGREGATES |= {"lowest": "min", "minimum": "min"}


def group_total_fix(command: str, request: str, table: _Table) -> tuple[str, str] | None:
    """An awk sum (mean, max, min) of one column per value of another: "total amount per region".

    ``awk -F, 'NR > 1 {s[$3] += $4} END {for (k in s) print k, s[k]}' F | sort``; seen: the
    two columns printed and their pairs counted.
    """
    asked = _GROUPED.search(request)
    if asked is None:
        return None
    x, y = table.field(asked["x"]), table.field(asked["y"])
    if x is None or y is None or x == y:
        return None
    if f"[${y}]" in command and f"${x}" in command:
        return None  # the draft groups by that field already
    kind = _AGGREGATES.get(asked["agg"].lower(), asked["agg"].lower())
    keep, shown = _PROGRAMS[kind]
    keep = keep.replace("$X", f"${x}").replace("$Y", f"${y}")
    program = f"NR > 1 {{{keep}}} END {{for (k in s) print k, {shown}}}"
    fixed = f"{table.awk} {shlex.quote(program)} {shlex.quote(table.name)} | sort"
    what = f"{table.titles[x - 1]} is field {x} and {table.titles[y - 1]} field {y}"
    return fixed, f"fixed here: {what} of {table.name}; awk keeps the {kind} of each group"


def _lone_print(stage: list[str]) -> tuple[str, list[int]] | None:
    """An ``awk -F, '{print $2, $4}' FILE`` stage: its program and the fields it prints."""
    if len(stage) != 4 or stage[0] != "awk" or stage[1] not in ("-F,", "-F\t", "-F\\t"):
        return None
    found = re.fullmatch(r"\s*\{\s*print\s+(\$\d+(?:\s*,\s*\$\d+)*)\s*;?\s*\}\s*", stage[2])
    if found is None:
        return None
    return stage[2], [int(f) for f in re.findall(r"\$(\d+)", found[1])]


def counted_column_fix(command: str, request: str, table: _Table) -> tuple[str, str] | None:
    """``awk -F, 'NR > 1 {print $2}' F | sort | uniq -c`` for a count of one column's values.

    Seen: ``awk -F, '{print $3}' orders.csv | sort | uniq | wc -l`` for "how many different
    customers": ``region``'s field, and the title line counted as one more value.
    """
    stages = command_stages(command)
    if len(stages) < 2 or not all(s and s[0] in ("sort", "uniq", "wc", "head") for s in stages[1:]):
        return None
    lone = _lone_print(stages[0])
    if lone is None or len(lone[1]) != 1 or stages[0][3] != table.name:
        return None
    named = table.named(request)
    field = named[0] if len(named) == 1 else lone[1][0]
    program = f"NR > 1 {{print ${field}}}"
    fixed = command.replace(shlex.quote(lone[0]), shlex.quote(program), 1)
    if fixed == command:
        return None
    title = table.titles[field - 1] if field <= len(table.titles) else f"field {field}"
    note = f"{title} is field {field} of {table.name}, whose title line is no value to count"
    return fixed, f"fixed here: {note}"


def picked_columns_fix(command: str, request: str, table: _Table) -> tuple[str, str] | None:
    """``awk -F, '{print $3, $4}' F`` for "only the region and amount columns" (``$2, $4``)."""
    if not re.search(r"\b(?:columns|fields)\b", request, re.IGNORECASE):
        return None
    stages = command_stages(command)
    lone = _lone_print(stages[0]) if len(stages) == 1 else None
    named = table.named(request)
    if lone is None or len(named) != len(lone[1]) or set(named) == set(lone[1]):
        return None
    program = "{print " + ", ".join(f"${f}" for f in named) + "}"
    fixed = command.replace(shlex.quote(lone[0]), shlex.quote(program), 1)
    if fixed == command:
        return None
    titles = " and ".join(f"{table.titles[f - 1]} is field {f}" for f in named)
    return fixed, f"fixed here: {titles} of {table.name}"


_BOTH_ENDS = re.compile(
    r"\b(?:smallest|lowest|minimum|min)\s+and\s+(?:the\s+)?(?:largest|biggest|highest|maximum"
    r"|max)\s+(?P<x>[a-z_][\w-]*)|\b(?:largest|biggest|highest|maximum|max)\s+and\s+(?:the\s+)?"
    r"(?:smallest|lowest|minimum|min)\s+(?P<y>[a-z_][\w-]*)",
    re.IGNORECASE,
)


def both_ends_fix(command: str, request: str, table: _Table) -> tuple[str, str] | None:
    """``cut -d, -f4 F | tail -n +2 | sort -n | sed -n '1p;$p'``: "the smallest and largest X".

    Seen: the smallest alone, from another field.
    """
    asked = _BOTH_ENDS.search(request)
    if asked is None or "1p;$p" in command or ("min" in command and "max" in command):
        return None
    x = table.field(asked["x"] or asked["y"])
    if x is None:
        return None
    cut = f"cut -d, -f{x}" if table.separator == "," else f"cut -f{x}"
    fixed = f"{cut} {shlex.quote(table.name)} | tail -n +2 | sort -n | sed -n '1p;$p'"
    title = table.titles[x - 1]
    return (
        fixed,
        f"fixed here: {title} is field {x} of {table.name}; sort puts both ends first and last",
    )


_MORE_THAN_ONCE = re.compile(r"\bmore\s+than\s+once\b|\b(?:twice|two\s+times)\s+or\s+more\b", re.I)
_UNIQ_COUNTED = re.compile(r"(\|\s*sort\b[^|]*)\|\s*uniq\s+-c\b.*$", re.DOTALL)


def more_than_once_fix(command: str, request: str) -> tuple[str, str] | None:
    """``... | sort | uniq -d`` for "which names appear more than once".

    Seen: ``sort | uniq -c | awk '$2 > 1'``, the name compared with 1 where the count is ``$1``.
    """
    if not _MORE_THAN_ONCE.search(request) or "uniq -d" in command:
        return None
    fixed = _UNIQ_COUNTED.sub(r"\1| uniq -d", command, count=1)
    if fixed == command:
        return None
    return fixed, "fixed here: uniq -d prints each line that sort put more than once in a row"

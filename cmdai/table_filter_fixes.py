"""Sure fixes from the forty-fifth by-hand round: a table's rows filtered and ranked by column.

A CSV's title line names its columns and its cells say which column holds a value, so "the
sales with more than 3 units", "the sales in the south region", "the sales made by ann",
"how many sales were made in february", "the products without duplicates", "which product
sold the most units in total" and "the highest price" can be answered from the file. Seen:
``awk -F, '$4 > 3'`` (the product column compared with a number), ``$2 == "South"`` (the file
says ``south``), ``grep -c Feb`` (the dates are ``2026-02-11``), ``awk '!seen[$0]++'`` (whole
lines), sums printed with a made-up ``max_product``, ``$7`` of a six-column file.

``table_filter_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is
called (through ``cmdai.grouped_fixes.grouped_fix``) for a draft that shows and changes
nothing, with the one CSV or TSV file the request or the draft names, or whose name the
request uses as a word ("the sales": ``sales.csv``).
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING, Protocol

from cmdai.stages import request_words

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


class Table(Protocol):
    """What the fixes need of a table (``cmdai.grouped_fixes._Table``)."""

    name: str
    separator: str
    titles: list[str]

    def field(self, word: str) -> int | None:
        """The field (from 1) whose title is ``word`` or its singular (None: no one such)."""

    @property
    def awk(self) -> str:
        """The awk call that splits on the table's separator."""


def table_filter_fix(
    command: str, request: str, table: Table, here: Here
) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does)."""
    rows = [line.split(table.separator) for line in (here.lines(table.name) or [])[1:]]
    return (
        number_filter_fix(command, request, table)
        or month_fix(command, request, table, rows)
        or value_filter_fix(command, request, table, rows)
        or distinct_fix(command, request, table)
        or top_total_fix(command, request, table)
        or column_end_fix(command, request, table)
        or count_per_fix(command, request, table)
        or product_total_fix(command, request, table)
    )


def _file(table: Table) -> str:
    return shlex.quote(table.name)


_COMPARED = re.compile(
    r"\b(?P<op>more\s+than|greater\s+than|over|above|at\s+least|less\s+than|fewer\s+than|under"
    r"|below|at\s+most)\s+(?P<n>\d+(?:\.\d+)?)\s+(?P<col>[a-z_]\w*)",
    re.IGNORECASE,
)
_OPS = {"more than": ">", "greater than": ">", "over": ">", "above": ">", "at least": ">="}
_OPS |= {"less than": "<", "fewer than": "<", "under": "<", "below": "<", "at most": "<="}


def number_filter_fix(command: str, request: str, table: Table) -> tuple[str, str] | None:
    """``awk -F, 'NR == 1 || $5 > 3' sales.csv`` for "the sales with more than 3 units"."""
    asked = _COMPARED.search(request)
    if asked is None or not re.match(r"\s*(?:show|list|print|which|find|get)\b", request, re.I):
        return None
    field = table.field(asked["col"])
    if field is None:
        return None
    op = _OPS[" ".join(asked["op"].lower().split())]
    if f"${field} {op} {asked['n']}" in command or f"${field}{op}{asked['n']}" in command:
        return None
    program = f"NR == 1 || ${field} {op} {asked['n']}"
    fixed = f"{table.awk} {shlex.quote(program)} {_file(table)}"
    return fixed, f"fixed here: {asked['col']} is field {field} of {table.name} (its title stays)"


_MONTHS = "january february march april may june july august september october november december"
_MONTH = re.compile(r"\bin\s+(?P<month>" + "|".join(_MONTHS.split()) + r")\b", re.IGNORECASE)


def month_fix(
    command: str, request: str, table: Table, rows: list[list[str]]
) -> tuple[str, str] | None:
    """The rows of one month, where one column holds ISO dates (seen: ``grep -c Feb``).

    "how many sales were made in february": ``awk -F, 'NR > 1 && substr($1, 6, 2) == "02"'
    sales.csv | wc -l``.
    """
    asked = _MONTH.search(request)
    if asked is None or not rows:
        return None
    dated = [
        i
        for i in range(len(table.titles))
        if all(len(r) > i and re.fullmatch(r"\d{4}-\d\d-\d\d.*", r[i]) for r in rows)
    ]
    if len(dated) != 1 or "substr" in command:
        return None
    month = f"{_MONTHS.split().index(asked['month'].lower()) + 1:02d}"
    program = f'NR > 1 && substr(${dated[0] + 1}, 6, 2) == "{month}"'
    counted = re.search(r"\bhow\s+many\b|\bcount\b|\bnumber\s+of\b", request, re.I)
    fixed = f"{table.awk} {shlex.quote(program)} {_file(table)}" + (" | wc -l" if counted else "")
    return fixed, f"fixed here: {table.titles[dated[0]]} holds dates like {rows[0][dated[0]]}"


def value_filter_fix(
    command: str, request: str, table: Table, rows: list[list[str]]
) -> tuple[str, str] | None:
    """``awk -F, 'NR == 1 || $2 == "south"' sales.csv`` for "the sales in the south region".

    The value is a word of the request that is a cell of exactly one column (as the file
    writes it); a column the request names beside it must be that one.
    """
    if not re.match(r"\s*(?:show|list|print|which|find|get)\b", request, re.I) or not rows:
        return None
    found: dict[str, set[int]] = {}
    for word in request_words(request):
        if not re.fullmatch(r"[A-Za-z][\w.@-]+", word) or table.field(word) is not None:
            continue  # a number is a count or a field's number; a title is a column's name
        columns = {i for r in rows for i, cell in enumerate(r) if cell.lower() == word.lower()}
        if columns:
            found[word] = columns
    if len(found) != 1:
        return None
    word, columns = found.popitem()
    if len(columns) != 1:
        return None
    field = columns.pop() + 1
    named = [f for w in request_words(request) if (f := table.field(w)) is not None]
    if any(f != field for f in named if table.titles[f - 1] not in ("sale", "sales")):
        return None  # "the sales of lamps by units": another column named too
    cell = next(
        r[field - 1] for r in rows if len(r) >= field and r[field - 1].lower() == word.lower()
    )
    if f'${field} == "{cell}"' in command:
        return None
    program = f'NR == 1 || ${field} == "{cell}"'
    fixed = f"{table.awk} {shlex.quote(program)} {_file(table)}"
    title = table.titles[field - 1]
    return fixed, f'fixed here: "{cell}" is a {title} (field {field} of {table.name})'


_DISTINCT = re.compile(
    r"\b(?:list|show|print)\s+(?:all\s+)?the\s+(?P<col>[a-z_]\w*)\s+without\s+duplicates\b"
    r"|\b(?:list|show)\s+(?:all\s+)?the\s+(?:different|distinct|unique)\s+(?P<col2>[a-z_]\w*)",
    re.IGNORECASE,
)


def distinct_fix(command: str, request: str, table: Table) -> tuple[str, str] | None:
    """``awk -F, 'NR > 1 {print $4}' sales.csv | sort -u`` for "the products without duplicates"."""
    asked = _DISTINCT.search(request)
    if asked is None:
        return None
    field = table.field(asked["col"] or asked["col2"])
    if field is None or re.search(rf"\${field}\b|-f\s*{field}\b", command):
        return None
    fixed = f"{table.awk} 'NR > 1 {{print ${field}}}' {_file(table)} | sort -u"
    return fixed, f"fixed here: {table.titles[field - 1]} is field {field} of {table.name}"


_TOP = re.compile(
    r"\bwhich\s+(?P<x>[a-z_]\w*)\s+(?:sold|had|has|made|got)\s+the\s+most\s+(?P<y>[a-z_]\w*)"
    r"|\b(?:the\s+)?(?P<n>\d+)\s+(?P<x2>[a-z_]\w*)\s+with\s+the\s+most\s+(?P<y2>[a-z_]\w*)",
    re.IGNORECASE,
)


def top_total_fix(command: str, request: str, table: Table) -> tuple[str, str] | None:
    """The values of one column with the largest totals of another, most first.

    "which product sold the most units in total": ``awk -F, 'NR > 1 {s[$4] += $5} END {for (k
    in s) print s[k], k}' sales.csv | sort -nr | head -n 1``.
    """
    asked = _TOP.search(request)
    if asked is None:
        return None
    x, y = table.field(asked["x"] or asked["x2"]), table.field(asked["y"] or asked["y2"])
    if x is None or y is None or x == y or f"[${x}] += ${y}" in command:
        return None
    program = f"NR > 1 {{s[${x}] += ${y}}} END {{for (k in s) print s[k], k}}"
    n = asked["n"] or "1"
    fixed = f"{table.awk} {shlex.quote(program)} {_file(table)} | sort -nr | head -n {n}"
    what = f"{table.titles[y - 1]} (field {y}) added up per {table.titles[x - 1]} (field {x})"
    return fixed, f"fixed here: {what}, largest first"


_END = re.compile(
    r"^\s*(?:what\s+is\s+|show\s+)?the\s+(?P<end>highest|largest|biggest|lowest|smallest)\s+"
    r"(?P<col>[a-z_]\w*)(?:\s+in\s+[\w./-]+)?\s*\??\s*$",
    re.IGNORECASE,
)


def column_end_fix(command: str, request: str, table: Table) -> tuple[str, str] | None:
    """``awk -F, 'NR > 1 {print $6}' sales.csv | sort -n | tail -n 1`` for "the highest price"."""
    asked = _END.match(request)
    if asked is None:
        return None
    field = table.field(asked["col"])
    if field is None or f"${field}" in command:
        return None
    end = "head" if asked["end"].lower() in ("lowest", "smallest") else "tail"
    fixed = f"{table.awk} 'NR > 1 {{print ${field}}}' {_file(table)} | sort -n | {end} -n 1"
    return fixed, f"fixed here: {table.titles[field - 1]} is field {field} of {table.name}"


_PER = re.compile(
    r"\bcount\s+(?:the\s+)?(?P<rows>[a-z_]\w*)\s+(?:per|by|for\s+each|of\s+each)\s+(?P<col>[a-z_]\w*)"
    r"|\bhow\s+many\s+(?P<rows2>[a-z_]\w*)\s+(?:per|by|for\s+each)\s+(?P<col2>[a-z_]\w*)",
    re.IGNORECASE,
)


def count_per_fix(command: str, request: str, table: Table) -> tuple[str, str] | None:
    """``awk -F, 'NR > 1 {print $3}' sales.csv | sort | uniq -c`` for "count the sales per rep".

    Only where the rows are the table's own ("the sales" of ``sales.csv``); seen: the count
    read from a made-up ``orders.json``.
    """
    asked = _PER.search(request)
    if asked is None:
        return None
    rows, column = asked["rows"] or asked["rows2"], asked["col"] or asked["col2"]
    stem = table.name.rsplit(".", 1)[0].lower()
    field = table.field(column)
    if field is None or rows.lower() not in (stem, stem + "s", "rows", "lines", "entries"):
        return None
    if table.name in command and f"${field}" in command:
        return None
    fixed = f"{table.awk} 'NR > 1 {{print ${field}}}' {_file(table)} | sort | uniq -c"
    return fixed, f"fixed here: {column} is field {field} of {table.name}, counted per value"


_TIMES = re.compile(r"\b(?P<a>[a-z_]\w*)\s+(?:times|multiplied\s+by|x)\s+(?P<b>[a-z_]\w*)\b", re.I)


def product_total_fix(command: str, request: str, table: Table) -> tuple[str, str] | None:
    """``awk -F, 'NR > 1 {s += $5 * $6} END {print s}' sales.csv`` for "units times price"."""
    asked = _TIMES.search(request)
    if asked is None or not re.search(r"\b(?:total|sum|revenue|altogether)\b", request, re.I):
        return None
    a, b = table.field(asked["a"]), table.field(asked["b"])
    if a is None or b is None or a == b or f"${a} * ${b}" in command:
        return None
    program = f"NR > 1 {{s += ${a} * ${b}}} END {{print s}}"
    fixed = f"{table.awk} {shlex.quote(program)} {_file(table)}"
    return (
        fixed,
        f"fixed here: {asked['a']} is field {a} and {asked['b']} field {b} of {table.name}",
    )

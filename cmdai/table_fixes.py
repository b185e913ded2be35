"""A table sorted by the column a request names, its title line kept on top.

From the sixteenth by-hand round: "sort data.csv by age, keeping the header on top" was
answered ``head -n 1 data.csv | cat -n data.csv | sort -k 3 -n | tail -n +2``: numbered lines,
split on blanks, the title line lost. The file's own title line says which field ``age`` is,
and its values whether to sort them as numbers. A sure fix (``cmdai.sure_fixes``) of a draft
that sorts and changes nothing; ``table_fix`` also tries ``cmdai.grouped_fixes``. And
``awk_fix``: an awk over a CSV given its separator and told to skip its title line.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.grouped_fixes import column_titles, grouped_fix, table_named
from cmdai.pitfalls import AWK_FIELD, DIVIDES_BY_NR, SKIPS_A_LINE, awk_parts, is_titles, separator
from cmdai.stages import command_stages

if TYPE_CHECKING:
    from cmdai.pitfalls import Here
    from cmdai.shellparse import Analysis

# "sort data.csv by age", "sort the rows of people.tsv by their score, highest first"
_SORT_BY = re.compile(
    r"\bsort\w*\b(?:\s+\S+){0,5}?\s+by\s+(?:the\s+|its\s+|their\s+)?(?P<column>[A-Za-z_][\w-]*)",
    re.IGNORECASE,
)
_DESCENDING = re.compile(
    r"\b(?:descending|decreasing|reversed?|highest|largest|biggest|most|greatest)\b", re.I
)
# What keeps a title line out of the sort in a draft: `head -n 1`, `tail -n +2`, `NR==1`, `1d`.
_HEADER_KEPT = re.compile(r"head\s+-n\s*1\b|head\s+-1\b|tail\s+-n\s*\+2\b|NR\s*[=>]=?\s*1|\b1d\b")


def table_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """This fix or one of ``cmdai.grouped_fixes`` (columns named by their titles)."""
    return sorted_table_fix(command, request, here) or grouped_fix(command, request, here)


def sorted_table_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``(head -n 1 F && tail -n +2 F | sort -t, -k3,3n)`` for "sort F by age"."""
    asked = _SORT_BY.search(request)
    if asked is None or not any(s[0] == "sort" for s in command_stages(command) or [[""]]):
        return None
    named = table_named(command, request, here)
    if named is None:
        return None
    table, separator = named
    title, lines = here.first_line(table), here.lines(table)
    if title is None or not lines:
        return None
    titles = column_titles(title, separator)
    column = asked["column"].lower()
    if titles.count(column) != 1:
        return None
    field = titles.index(column) + 1
    values = [row.split(separator)[field - 1].strip() for row in lines[1:] if row.strip()]
    numeric = bool(values) and all(_number(v) for v in values if v)
    order = ("n" if numeric else "") + ("r" if _DESCENDING.search(request) else "")
    key = f"-k{field},{field}{order}"
    split_right = separator == "\t" or re.search(r"-t\s*['\"]?,", command)
    if split_right and _HEADER_KEPT.search(command) and re.search(rf"-k\s*{field}\b", command):
        return None  # the draft's own way may be right: a key on this field, the title kept
    option = "-t," if separator == "," else "-t $'\\t'"
    name = shlex.quote(table)
    fixed = f"(head -n 1 {name} && tail -n +2 {name} | sort {option} {key})"
    note = f"{column} is field {field} of {table}; its title line stays on top"
    return fixed, f"fixed here: {note}"


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def awk_fix(command: str, analysis: Analysis, here: Here) -> tuple[str, str] | None:
    """``awk -F,`` for a comma-separated file, and ``NR > 1`` for a mean over its titles.

    ``awk '{s += $3} END {print s/NR}' scores.csv`` on ``id,name,score``: the fields need the
    file's separator, and a title line counted in NR makes the mean too small. Only a lone
    ``awk`` whose program is one quoted word; the header fix only for a program that starts
    with its main block (no pattern of its own).
    """
    if not command.startswith("awk "):
        return None
    if len(analysis.commands) != 1 or analysis.redirects:
        return None
    parts = awk_parts(analysis.commands[0].argv)
    if parts is None or not parts[2]:
        return None
    sets_fs, program, files = parts
    line = here.first_line(files[0])
    sep = separator(line)
    fixed, notes = command, []
    if not sets_fs and sep is not None and AWK_FIELD.search(program):
        fixed = f"awk -F{sep if sep == ',' else repr(sep)}{fixed[3:]}"
        notes.append(f"awk -F{sep}: {files[0]}'s fields are separated by '{sep}'")
    quoted = f"'{program}'"
    if (
        is_titles(line)
        and DIVIDES_BY_NR.search(program)
        and not SKIPS_A_LINE.search(program)
        and program.lstrip().startswith("{")
        and fixed.count(quoted) == 1
    ):
        body = DIVIDES_BY_NR.sub(r"/\1(NR - 1)", program.lstrip())
        fixed = fixed.replace(quoted, f"'NR > 1 {body}'")
        notes.append(f"NR > 1 skips {files[0]}'s title line, and the mean divides by NR - 1")
    if not notes:
        return None
    return fixed, "fixed here: " + "; ".join(notes)

"""Sure fixes from the thirty-sixth by-hand round: a SQLite database used from the shell.

Each for a request that names a table of the one database here that has it (found as the
facts find "the users table", ``cmdai.databases``, read without writing): the table exported
to a CSV with its title row (``sqlite3 -header -csv``; a draft piped ``.dump``'s SQL through
sed), a CSV imported into it
(``.import --csv``, skipping the CSV's title line; a draft fed the CSV to sqlite3 as SQL), and
the table shown as a table with its column names (``-header -column``; a draft showed its
``.schema``).

``sqlite_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called
for any draft, with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.pitfalls import is_titles

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def sqlite_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does)."""
    if here is None or ("sqlite3" not in command and not re.search(r"\btable\b", request)):
        return None
    return (
        export_fix(command, request, here)
        or import_fix(command, request, here)
        or shown_table_fix(command, request, here)
    )


_EXPORT = re.compile(
    r"\b(?:export|save|dump|write)\s+(?:the\s+)?(?P<table>\w+)\s+(?:table\s+)?(?:to|into|as)\s+"
    r"(?P<file>[\w./-]+\.csv)\b",
    re.IGNORECASE,
)


def export_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``sqlite3 -header -csv app.db "SELECT * FROM users" > users.csv``: a table to a CSV."""
    asked = _EXPORT.search(request)
    if asked is None or re.search(r"-csv\b|\.mode\s+csv|\.output", command):
        return None
    database = here.database_with(asked["table"])
    if database is None:
        return None
    table, target = asked["table"], asked["file"]
    header = "-header " if re.search(r"\b(?:header|titles?|column names)\b", request, re.I) else ""
    query = shlex.quote(f"SELECT * FROM {table}")  # noqa: S608 (a \w+ name the database has)
    fixed = f"sqlite3 {header}-csv {shlex.quote(database)} {query} > {shlex.quote(target)}"
    return fixed, f"fixed here: {table} is a table of {database}; sqlite3 -csv writes its rows"


_IMPORT = re.compile(
    r"\b(?:import|load|add)\s+(?P<file>[\w./-]+\.csv)\s+(?:in|into|to)\s+(?:the\s+)?"
    r"(?P<table>\w+)(?:\s+table)?\b",
    re.IGNORECASE,
)


def import_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``sqlite3 app.db ".import --csv --skip 1 new_users.csv users"``: a CSV into a table.

    Seen: ``sqlite3 app.db < new_users.csv``, the CSV read as SQL. The CSV's title line is
    skipped where it has one (the table has its columns already).
    """
    asked = _IMPORT.search(request)
    if asked is None or ".import" in command or not here.exists(asked["file"]):
        return None
    database = here.database_with(asked["table"])
    if database is None:
        return None
    skip = "--skip 1 " if is_titles(here.first_line(asked["file"])) else ""
    dot = f".import --csv {skip}{asked['file']} {asked['table']}"
    fixed = f"sqlite3 {shlex.quote(database)} {shlex.quote(dot)}"
    note = f"{asked['table']} is a table of {database}; .import --csv adds the rows"
    return fixed, f"fixed here: {note}" + (", past the title line" if skip else "")


_SHOWN = re.compile(
    r"\bshow\s+(?:me\s+)?(?:the\s+)?(?P<table>\w+)\s+table\s+as\s+a\s+table\b", re.IGNORECASE
)


def shown_table_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``sqlite3 -header -column app.db "SELECT * FROM users"``: a table shown as a table.

    Seen: ``sqlite3 app.db .schema users``, its definition.
    """
    asked = _SHOWN.search(request)
    if asked is None or re.search(r"-column\b|\.mode\s+(?:column|table|box)", command):
        return None
    database = here.database_with(asked["table"])
    if database is None:
        return None
    query = shlex.quote(f"SELECT * FROM {asked['table']}")  # noqa: S608 (as above)
    fixed = f"sqlite3 -header -column {shlex.quote(database)} {query}"
    return fixed, "fixed here: -header -column lines the rows up under their column names"

"""The data file here a request means by naming one of its columns.

"which customer spent the most" beside ``sales.csv`` (``date,customer,product,amount``), or
"what is the average age of the users" beside ``users.json`` (objects with an ``age``), names
no file: the model, shown none, made one up (``orders.json``) or read ``/etc/passwd``. When
no entry is named and exactly one CSV or TSV file here has a column, one JSON file of
records a key, or one SQLite database a table or a column, that is a word of the request,
that file is the one meant (``cmdai.context`` shows its first line, or the database's tables).
Words that requests use for other things ("name", "date", "size", "lines") never count.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from cmdai import databases

HEAD_BYTES = 1024
"""How much of a file is read for its columns or keys."""
MAX_ENTRIES = 200
"""Entries of the working directory looked at (a bigger folder: none is guessed)."""

_TABLES = frozenset({".csv", ".tsv"})
_DOCUMENTS = frozenset({".json", ".jsonl", ".ndjson"})
_KEY = re.compile(r'"([A-Za-z_][\w-]*)"\s*:')
_WORD = re.compile(r"[a-z][a-z_]{2,}")
_GENERIC = frozenset(
    " ".join(
        (
            "all and any are count data date day days file files for from how id key keys line",
            "lines list name names number path size sum text the this time total type value",
            "values what when where which who with",
        )
    ).split()
)
"""Words that name a column in some files and mean something else in most requests."""
_DATABASE = frozenset({"database", "databases", "sqlite"})
"""Words for the one SQLite database here, whatever its tables."""


def columns(path: Path) -> frozenset[str]:
    """The lower-case column titles of a CSV/TSV file or keys of a JSON file (empty: none).

    Of a SQLite database, its tables' names and their columns' (``cmdai.databases``).
    """
    suffix = path.suffix.lower()
    if suffix in databases.SUFFIXES:
        schema = databases.sqlite_schema(path)
        return databases.names(schema) if schema else frozenset()
    if suffix not in _TABLES | _DOCUMENTS:
        return frozenset()
    try:
        with path.open("rb") as f:
            text = f.read(HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return frozenset()
    if suffix in _DOCUMENTS:
        # Records (an array of objects, or one object a line), not a document's settings:
        # package.json's "version" is not what "the kernel version" means.
        records = text.lstrip("\ufeff \t\r\n").startswith("[") or suffix != ".json"
        return frozenset(k.lower() for k in _KEY.findall(text)) if records else frozenset()
    first = text.split("\n", 1)[0].strip("\r\ufeff")
    separator = max((",", "\t", ";"), key=first.count)
    titles = [t.strip().strip("\"'").lower() for t in first.split(separator)]
    if len(titles) < 2 or any(not t or t[0].isdigit() or t[0] == "-" for t in titles):
        return frozenset()  # no title line: a row of data
    return frozenset(titles)


def file_by_column(request: str, workdir: Path) -> Path | None:
    """The data file here with the most columns the request names (None: none, or a tie)."""
    words = {w for w in _WORD.findall(request.lower()) if w not in _GENERIC}
    if not words:
        return None
    wanted = words | {w[:-1] for w in words if w.endswith("s")}  # "customers": customer
    found: list[tuple[int, Path]] = []  # how many of the request's words, and the file
    try:
        with os.scandir(workdir) as entries:
            for n, entry in enumerate(entries):
                if n >= MAX_ENTRIES:
                    return None
                if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                    continue
                path = Path(entry.path)
                hits = len(wanted & columns(path))
                if not hits and wanted & _DATABASE and databases.is_sqlite(path):
                    hits = 1
                if hits:
                    found.append((hits, path))
    except OSError:
        return None
    # the one file with the most of them: "the users created in December" is app.db's users
    # table (users, created) rather than new_users.csv (created)
    best = max((hits for hits, _ in found), default=0)
    most = [path for hits, path in found if hits == best]
    return most[0] if len(most) == 1 else None

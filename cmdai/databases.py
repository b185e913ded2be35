"""What a SQLite database here holds: its tables and their columns, read without writing.

"how many rows does the orders table have" beside ``app.db`` names no file; shown nothing of
it, the model answered with ``mysql -u your_username``, a ``users.txt`` or an ``orders.json``
(the thirty-sixth by-hand round). A database whose table or column the request names is the
file meant (``cmdai.columns``), and the facts show its tables (``cmdai.context``), so the
answer is a ``sqlite3 app.db "SELECT ..."``.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

SUFFIXES = frozenset({".db", ".sqlite", ".sqlite3", ".db3"})
"""The names a SQLite database is looked for under (its first bytes decide)."""
MAX_TABLES = 12
"""Tables shown of one database (the rest are counted)."""
MAX_COLUMNS = 12
"""Columns shown of one table."""
_MAGIC = b"SQLite format 3\x00"


def is_sqlite(path: Path) -> bool:
    """Whether ``path`` is a SQLite database file (by its suffix and its first bytes)."""
    if path.suffix.lower() not in SUFFIXES:
        return False
    try:
        with path.open("rb") as f:
            return f.read(len(_MAGIC)) == _MAGIC
    except OSError:
        return False


def sqlite_schema(path: Path) -> dict[str, tuple[str, ...]] | None:
    """The database's tables and their columns, in order (None: not a readable database).

    Opened read-only and immutable: nothing is written, not even a journal, and no lock is
    taken. Tables that SQLite keeps for itself (``sqlite_sequence``) are left out.
    """
    if not is_sqlite(path):
        return None
    import sqlite3  # only where a database is here: most requests never need it

    try:
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            rows = db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " ORDER BY rowid"
            ).fetchall()
            schema: dict[str, tuple[str, ...]] = {}
            for (table,) in rows:
                quoted = '"' + str(table).replace('"', '""') + '"'
                info = db.execute(f"PRAGMA table_info({quoted})").fetchall()
                schema[str(table)] = tuple(str(c[1]) for c in info)
        return schema
    except (sqlite3.Error, OSError, ValueError):
        return None


def describe(schema: dict[str, tuple[str, ...]]) -> str:
    """``SQLite database: tables users (id, name), orders (id, amount)``, for the facts."""
    if not schema:
        return "SQLite database: no tables"
    shown = list(schema.items())[:MAX_TABLES]
    parts = []
    for table, cols in shown:
        more = f", +{len(cols) - MAX_COLUMNS}" if len(cols) > MAX_COLUMNS else ""
        parts.append(f"{table} ({', '.join(cols[:MAX_COLUMNS])}{more})")
    rest = len(schema) - len(shown)
    return "SQLite database: tables " + ", ".join(parts) + (f", +{rest} more" if rest else "")


def names(schema: dict[str, tuple[str, ...]]) -> frozenset[str]:
    """The lower-case names of its tables and columns: what a request may call them by."""
    found = {t.lower() for t in schema}
    found.update(c.lower() for cols in schema.values() for c in cols)
    return frozenset(found)


_TABLE_NAMED = re.compile(r"\b([A-Za-z_]\w*)\s+table\b|\btable\s+([A-Za-z_]\w*)", re.IGNORECASE)


def database_with_table(request: str, workdir: Path) -> Path | None:
    """The one database here with the table the request names ("the users table").

    "import new_users.csv into the users table" names a file, but the table is in ``app.db``.
    """
    wanted = {m.group(1) or m.group(2) for m in _TABLE_NAMED.finditer(request)}
    wanted = {w.lower() for w in wanted} - {"the", "a", "this", "that", "each", "every"}
    found = databases_with_tables(workdir, wanted) if wanted else []
    return found[0] if len(found) == 1 else None


def databases_with_tables(workdir: Path, tables: set[str], max_entries: int = 200) -> list[Path]:
    """The databases in ``workdir`` (not below) with one of ``tables``, any case.

    None of them where the folder has more than ``max_entries`` entries: no guess is made.
    """
    wanted = {t.lower() for t in tables}
    found: list[Path] = []
    try:
        with os.scandir(workdir) as entries:
            for n, entry in enumerate(entries):
                if n >= max_entries:
                    return []
                path = Path(entry.path)
                if entry.is_file(follow_symlinks=False) and is_sqlite(path):
                    schema = sqlite_schema(path) or {}
                    if wanted & {t.lower() for t in schema}:
                        found.append(path)
    except OSError:
        return []
    return found

"""A SQLite database used from the shell (cmdai.databases, the facts about it, and
cmdai.sqlite_fixes; the thirty-sixth by-hand round). Fixed commands run with the sqlite3 here."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai import databases
from cmdai.columns import file_by_column
from cmdai.context import render_facts, workspace_facts

TABLES = "users (id, name, email, created), orders (id, user_id, amount, status)"


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    with sqlite3.connect(tmp_path / "app.db") as db:
        db.executescript(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT, created TEXT);"
            "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, amount REAL,"
            " status TEXT);"
            "INSERT INTO users VALUES (1, 'ann', 'ann@example.com', '2026-10-01'),"
            " (2, 'bob', NULL, '2026-12-01');"
        )
    db.close()
    write_files(tmp_path, {"new_users.csv": "id,name,email,created\n3,cat,c@x.org,2026-12-05\n"})
    return tmp_path


def facts(request: str, where: Path) -> str:
    return render_facts(workspace_facts(request, where))


def test_a_databases_tables_are_read_and_nothing_is_written(shop: Path) -> None:
    before = sorted(p.name for p in shop.iterdir())
    schema = databases.sqlite_schema(shop / "app.db")
    assert schema == {
        "users": ("id", "name", "email", "created"),
        "orders": ("id", "user_id", "amount", "status"),
    }
    assert databases.describe(schema) == f"SQLite database: tables {TABLES}"
    assert sorted(p.name for p in shop.iterdir()) == before  # no journal, no lock file
    (shop / "fake.db").write_text("not a database\n")
    assert databases.sqlite_schema(shop / "fake.db") is None
    assert databases.sqlite_schema(shop / "new_users.csv") is None
    assert databases.describe({}) == "SQLite database: no tables"


def test_the_facts_show_the_tables_a_request_names(shop: Path) -> None:
    shown = f"(here: app.db (SQLite database: tables {TABLES}))"
    assert facts("how many rows does the orders table have", shop) == shown
    assert facts("show the first 5 users", shop) == shown
    assert facts("show the schema of the whole database", shop) == shown
    # the users table (users, created) rather than new_users.csv (created)
    assert file_by_column("show the users created in December", shop) == shop / "app.db"
    both = facts("import new_users.csv into the users table", shop)
    assert both.startswith("(here: new_users.csv (first line: id,name,email,created); app.db")
    # named by its file, it is only called a database: "how big is app.db" is no query
    assert facts("how big is app.db", shop) == "(here: app.db (SQLite database))"


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="needs the sqlite3 program")
def test_a_table_exported_imported_and_shown(shop: Path) -> None:
    export = fixed(
        "sqlite3 app.db .dump | sed '1s/^/id,name\\n/' > users.csv",
        "export the users table to users.csv with a header",
        shop,
    )
    assert export == "sqlite3 -header -csv app.db 'SELECT * FROM users' > users.csv"
    run_bash(export, shop)
    assert (shop / "users.csv").read_text().splitlines()[:2] == [
        "id,name,email,created",
        "1,ann,ann@example.com,2026-10-01",
    ]
    imported = fixed(
        "sqlite3 app.db < new_users.csv", "import new_users.csv into the users table", shop
    )
    assert imported == "sqlite3 app.db '.import --csv --skip 1 new_users.csv users'"
    run_bash(imported, shop)
    with sqlite3.connect(shop / "app.db") as db:
        names = [row[0] for row in db.execute("SELECT name FROM users ORDER BY id")]
    db.close()
    assert names == ["ann", "bob", "cat"]  # the title line was no user
    shown = fixed(
        "sqlite3 app.db .schema users", "show the users table as a table with column names", shop
    )
    assert shown == "sqlite3 -header -column app.db 'SELECT * FROM users'"
    assert run_bash(shown, shop).stdout.split()[:4] == ["id", "name", "email", "created"]
    # a draft that does it already, or a table no database here has, stays
    assert fixed(export, "export the users table to users.csv with a header", shop) is None
    assert fixed("cat pets.csv", "export the pets table to pets.csv", shop) is None

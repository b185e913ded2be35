"""The history database: schema migrations, concurrent writers, privacy, opt-out, the CLI."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Invoker, answer
from test_cli import tty_terminal

from cmdai.errors import ExitStatus
from cmdai.history import MIGRATIONS, Entry, History, HistoryError, default_path, now, redact


def entry(request: str = "list files", **values: object) -> Entry:
    fields: dict[str, object] = {"time": now(), "cwd": "/home/me", "source": "ask"}
    return Entry(request=request, **{**fields, **values})  # type: ignore[arg-type]


def rows(path: Path | None = None) -> list[dict[str, object]]:
    with sqlite3.connect(path or default_path()) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM requests ORDER BY id")]


# -- the database ------------------------------------------------------------------------------


def test_record_and_read_back(tmp_path: Path) -> None:
    history = History(tmp_path / "h.db")
    findings = ({"rule": "rm-files", "risk": "low", "message": "Deletes files permanently."},)
    first = history.record(entry(command="ls", action="ran", exit_status=0, run_s=0.5))
    second = history.record(entry("remove a", command="rm a", findings=findings, edited=True))
    assert (first, second) == (1, 2)
    got = history.recent()
    assert [e.id for e in got] == [1, 2]  # oldest first
    assert got[0].action == "ran"
    assert got[0].exit_status == 0
    assert got[1].findings == findings
    assert got[1].edited is True
    assert [e.request for e in history.recent(1)] == ["remove a"]
    assert [e.request for e in history.recent(search="LIST")] == ["list files"]
    assert [e.request for e in history.recent(search="rm a")] == ["remove a"]


def test_text_that_was_not_utf8_is_recorded_with_replacements(tmp_path: Path) -> None:
    # argv bytes that are not UTF-8 reach Python as lone surrogates, which SQLite refuses.
    history = History(tmp_path / "h.db")
    request = b"list \xff\xfe files".decode("utf-8", "surrogateescape")
    cwd = b"/home/me/caf\xe9".decode("utf-8", "surrogateescape")
    assert history.record(entry(request, cwd=cwd, command="ls \udcff")) == 1
    (got,) = history.recent()
    assert got.request == "list \ufffd\ufffd files"
    assert got.cwd == "/home/me/caf\ufffd"
    assert got.command == "ls \ufffd"


def test_the_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "h.db"
    History(path).record(entry())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # SQLite's side files (WAL, shared memory) take the database's mode.
    for side in path.parent.iterdir():
        assert stat.S_IMODE(side.stat().st_mode) & 0o077 == 0, side
    path.chmod(0o644)
    History(path).record(entry())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_migrations_upgrade_an_old_database(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    old = History(path, migrations=MIGRATIONS[:1])
    assert old.applied() == []
    with old._connect() as conn:  # a row written by the first schema
        conn.execute(
            "INSERT INTO requests (time, cwd, request, action) VALUES ('t', '/', 'old one', 'ran')"
        )
    assert old.applied() == ["m001_requests"]
    new = History(path)
    new.record(entry("new one", source="fix", backend="fake", run_s=1.5))
    assert new.applied() == ["m001_requests", "m002_source_backend_run_time"]
    by_request = {r["request"]: r for r in rows(path)}
    assert by_request["old one"]["source"] == "ask"  # the new column's default
    assert by_request["new one"]["source"] == "fix"
    assert by_request["new one"]["run_s"] == 1.5
    with sqlite3.connect(path) as conn:
        indexes = [r[1] for r in conn.execute("PRAGMA index_list(requests)")]
    assert "requests_time" in indexes


def test_the_hot_path_does_not_import_sqlite_utils(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    History(path).record(entry())  # migrations applied here
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from cmdai.history import Entry, History, now\n"
        f"History(Path({str(path)!r})).record(Entry(now(), '/', 'ask', 'again'))\n"
        "print('SQLITE_UTILS', 'sqlite_utils' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "SQLITE_UTILS False" in result.stdout
    assert len(rows(path)) == 2


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "h.db"  # new: the writers also race to apply the migrations
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from cmdai.history import Entry, History, now\n"
        "history = History(Path(sys.argv[1]))\n"
        "for i in range(25):\n"
        "    history.record(Entry(now(), '/', 'ask', f'{sys.argv[2]}-{i}'))\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path), f"w{n}"]) for n in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    requests = [r["request"] for r in rows(path)]
    assert len(requests) == 100
    assert len(set(requests)) == 100
    assert History(path).applied() == [m.__name__ for m in MIGRATIONS]


def test_an_unusable_database_is_a_history_error(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError, match="history database"):
        History(path).record(entry())


# -- nothing secret is stored ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123", "ghp_abcdefghij"),
        ("PGPASSWORD='s3cr3t pw' psql -h db", "s3cr3t"),
        ("curl -H 'Authorization: Bearer abc.def.ghi' https://api", "abc.def.ghi"),
        ("curl -u alice:hunter2 https://example.com", "hunter2"),
        ("git clone https://alice:hunter2@example.com/r.git", "hunter2"),
        ("mysql -u root -phunter2 shop", "hunter2"),
        ("sshpass -p hunter2 ssh host", "hunter2"),
        ("tool --password=hunter2 --user bob", "hunter2"),
        ("tool --api-key hunter2", "hunter2"),
        ("use key sk-proj-ABCDEFGHIJKLMNOPQRSTUV in the request", "sk-proj-ABCDEF"),
        ("aws configure set aws_access_key_id AKIAABCDEFGHIJKLMNOP", "AKIAABCDEFGHIJKLMNOP"),
        ("echo eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4f", "SflKxwRJSMeKKF2QT4f"),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAB3Nza\n-----END OPENSSH PRIVATE KEY-----",
            "AAAAB3Nza",
        ),
    ],
)
def test_redact_masks_credentials(text: str, secret: str) -> None:
    masked = redact(text)
    assert secret not in masked
    assert "***" in masked


@pytest.mark.parametrize(
    "text",
    [
        "find . -name '*.py' -size +1M",
        "git log --author=alice",
        "GIT_AUTHOR_NAME=alice git commit",
        "ls -p /tmp",
        "grep -r password src/",
        "curl https://example.com/path",
    ],
)
def test_redact_leaves_ordinary_commands_alone(text: str) -> None:
    assert redact(text) == text


def test_no_secret_reaches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    token = "ghp_" + "x" * 36
    History(path).record(
        entry(f"push with token {token}", command=f"GH_TOKEN={token} gh pr list", proposed=token)
    )
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert token.encode() not in raw
    assert b"GH_TOKEN=***" in raw


def test_a_request_typed_with_a_leading_space_is_not_recorded(
    tmp_path: Path, invoke: Invoker
) -> None:
    history = History(tmp_path / "h.db")
    assert history.record(entry(" private request")) == 0
    assert history.recent() == []
    invoke.fake.enqueue(answer("ls"))
    assert invoke("-n", " list my private files").exit_code == 0
    invoke.fake.enqueue(answer("ls"))
    assert invoke("-n", "list\nfiles\n").exit_code == 0
    assert [r["request"] for r in rows()] == ["list files"]


# -- what the CLI records ----------------------------------------------------------------------


def test_dry_run_is_recorded_as_shown(invoke: Invoker) -> None:
    invoke.fake.enqueue(answer("ls -la", "Lists files."))
    assert invoke("-n", "list files").exit_code == 0
    (row,) = rows()
    assert row["request"] == "list files"
    assert row["command"] == row["proposed"] == "ls -la"
    assert (row["action"], row["status"], row["source"]) == ("shown", 0, "ask")
    assert (row["decision"], row["risk"], row["model"], row["backend"]) == (
        "allow",
        "safe",
        "fake",
        "fake",
    )
    assert row["prompt"]
    assert row["cwd"] == os.getcwd()
    assert row["total_s"] is not None


def test_ran_edited_revised_explained_and_the_exit_status(invoke: Invoker) -> None:
    invoke.recorder.status = 3
    invoke.fake.enqueue(answer("ls"))
    invoke.fake.enqueue("`ls`: lists files")
    invoke.fake.enqueue(answer("ls -la", "Lists all files."))
    terminal, _, _ = tty_terminal("x\nr\nwith hidden ones\ne\nls -la /tmp\ny\n")
    result = invoke("list files", terminal=terminal)
    assert result.exit_code == 3
    assert invoke.recorder.commands == ["ls -la /tmp"]
    (row,) = rows()
    assert row["action"] == "ran"
    assert row["exit_status"] == 3
    assert row["proposed"] == "ls -la"
    assert row["command"] == "ls -la /tmp"
    assert (row["edited"], row["revisions"], row["explained"]) == (1, 1, 1)
    assert row["run_s"] is not None


@pytest.mark.parametrize(
    ("args", "script", "action", "status"),
    [
        (("list files",), answer("ls"), "declined", ExitStatus.DECLINED),
        (("--yes", "wipe"), answer("rm -rf /"), "blocked", ExitStatus.BLOCKED),
        (("write a poem",), answer("", "Not a shell task.", "not_a_shell_task"), "no_command", 6),
        (("hmm",), "no idea at all", "error", ExitStatus.MODEL_ERROR),
        (("--json", "list files"), answer("ls"), "shown", 0),
    ],
)
def test_every_outcome_is_recorded(
    invoke: Invoker, args: tuple[str, ...], script: str, action: str, status: int
) -> None:
    invoke.fake.enqueue(script)
    assert invoke(*args).exit_code == status
    (row,) = rows()
    assert (row["action"], row["status"]) == (action, status)


def test_history_false_records_nothing(
    invoke: Invoker, monkeypatch: pytest.MonkeyPatch, isolated_user_dirs: Path
) -> None:
    monkeypatch.setenv("CMDAI_HISTORY", "0")
    invoke.fake.enqueue(answer("ls"))
    assert invoke("-n", "list files").exit_code == 0
    monkeypatch.delenv("CMDAI_HISTORY")
    config = isolated_user_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("history = false\n")
    invoke.fake.enqueue(answer("ls"))
    assert invoke("-n", "list files").exit_code == 0
    assert not default_path().exists()


def test_a_broken_history_only_warns(invoke: Invoker) -> None:
    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database" * 100)
    invoke.fake.enqueue(answer("ls"))
    result = invoke("-n", "list files")
    assert result.exit_code == 0
    assert result.stdout == "ls\n"
    assert "warning: not recorded in the history" in result.stderr


def test_cmdai_history_lists_searches_and_prints_json(invoke: Invoker) -> None:
    for command in ("ls -la", "df -h", "du -sh ."):
        invoke.fake.enqueue(answer(command))
        invoke("-n", f"run {command}")
    result = invoke("history")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert len(lines) == 3
    assert lines[0].split()[0] == "1"
    assert "shown" in lines[0]
    assert lines[0].endswith("ls -la  # run ls -la")
    assert invoke("history", "-n", "1").stdout.splitlines() == lines[-1:]
    assert invoke("history", "--search", "DF").stdout.splitlines() == lines[1:2]
    docs = [json.loads(line) for line in invoke("history", "--json").stdout.splitlines()]
    assert [d["command"] for d in docs] == ["ls -la", "df -h", "du -sh ."]
    assert docs[0]["findings"] == []


def test_cmdai_history_when_empty(invoke: Invoker) -> None:
    result = invoke("history")
    assert (result.exit_code, result.stdout) == (0, "")
    assert "no requests recorded" in result.stderr


def test_cmdai_history_clear(invoke: Invoker) -> None:
    invoke.fake.enqueue(answer("echo remember-this-text"))
    invoke("-n", "say something memorable")
    refused = invoke("history", "clear")
    assert refused.exit_code == ExitStatus.USAGE
    terminal, _, _ = tty_terminal("n\n")
    assert invoke("history", "clear", terminal=terminal).exit_code == ExitStatus.DECLINED
    result = invoke("history", "clear", "--yes")
    assert result.exit_code == 0
    assert "deleted 1 requests" in result.stderr
    assert invoke("history").stdout == ""
    raw = b"".join(p.read_bytes() for p in default_path().parent.iterdir() if p.is_file())
    assert b"remember-this-text" not in raw

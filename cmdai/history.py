"""The history of requests: one SQLite row per request, private to the user, never a secret.

Every request (``cmdai "..."``, ``cmdai fix``, the shell key) becomes one row: when, where,
the request, the proposed and the final command, the model and prompt, the gate's decision
and findings, what the user did (ran, declined, shown, blocked...; edited, revised,
explained) and the command's exit status when cmdai ran it, with timings. The database is
``history.db`` in the user data directory (``CMDAI_DATA_DIR`` overrides it), mode 0600 in a
0700 directory; the ``history = false`` setting turns recording off.

Nothing secret is stored: ``redact`` masks what looks like a credential (known token formats,
``*_TOKEN=``/``*PASSWORD=`` assignments, ``--password``-style options, ``Authorization:``
headers, ``user:password@`` in URLs) in every text before it is written, and a request
typed with a leading space is not recorded at all (the shells' ``ignorespace`` convention).

Schema changes are named migrations applied with sqlite-utils (``Migrations``), under a lock
file so two processes never apply one twice. sqlite-utils imports pandas and numpy when they
are installed (hundreds of milliseconds), so it is imported only when a migration is pending;
the hot path (one insert per request) checks the applied names with plain ``sqlite3``.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from cmdai.errors import CmdaiError

if TYPE_CHECKING:
    from sqlite_utils import Database

DATA_DIR_ENV = "CMDAI_DATA_DIR"
FILENAME = "history.db"
MIGRATION_SET = "cmdai-history"
BUSY_TIMEOUT_S = 5.0
"""How long a writer waits for another one (WAL mode lets readers go on meanwhile)."""

ACTIONS = ("ran", "declined", "shown", "blocked", "no_command", "error", "interrupted")
"""What became of a request: run, declined (or not confirmable), shown only (--dry-run,
--json, the shell key), blocked by the gate, no command proposed, failed, interrupted."""


class HistoryError(CmdaiError):
    """The history database cannot be opened, read or written."""

    kind = "history"


def data_dir() -> Path:
    """The user data directory (``CMDAI_DATA_DIR`` overrides the platform default)."""
    return Path(os.environ.get(DATA_DIR_ENV) or platformdirs.user_data_dir("cmdai"))


def default_path() -> Path:
    """Where the history database lives."""
    return data_dir() / FILENAME


@dataclass(frozen=True)
class Entry:
    """One request as recorded (every text already redacted).

    Attributes:
        time: When it was asked (UTC, ISO 8601).
        cwd: The working directory.
        source: ``ask``, ``fix`` or ``shell`` (the key binding).
        request: The request as typed (for ``fix``: what was asked of the model).
        proposed: The model's last proposed command (None when it declined).
        command: The command at the end: the proposal, or what the user edited it into.
        kind: ``command`` or why there is none (``not_a_shell_task``, ``ambiguous``).
        model: The model's name; backend: the backend's name; prompt: the template id.
        decision: The gate's decision (allow, confirm, block) on ``command``.
        risk: The gate's risk label.
        findings: The gate's findings as JSON objects (rule, risk, message).
        action: One of ``ACTIONS``.
        edited: The user edited the command; revisions: how many revisions were asked for;
            explained: an explanation was asked for.
        exit_status: The command's exit status when cmdai ran it.
        status: cmdai's own exit status.
        generate_s: The last generation's time; total_s: from start to the decision;
            run_s: how long the command ran.
        id: The row id (0 before it is recorded).
    """

    time: str
    cwd: str
    source: str
    request: str
    proposed: str | None = None
    command: str | None = None
    kind: str | None = None
    model: str | None = None
    backend: str | None = None
    prompt: str | None = None
    decision: str | None = None
    risk: str | None = None
    findings: tuple[dict[str, str], ...] = ()
    action: str = "shown"
    edited: bool = False
    revisions: int = 0
    explained: bool = False
    exit_status: int | None = None
    status: int | None = None
    generate_s: float | None = None
    total_s: float | None = None
    run_s: float | None = None
    id: int = 0

    def to_json(self) -> dict[str, Any]:
        """The entry as a JSON object (``cmdai history --json``)."""
        doc = asdict(self)
        doc["findings"] = list(self.findings)
        return doc


def now() -> str:
    """The current time as stored: UTC, ISO 8601, to the millisecond."""
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")


# -- nothing secret is stored ------------------------------------------------------------------

MASK = "***"
# Words that name a secret (not a secret).
_SECRET_NAMES = (
    r"TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|PASS|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY"  # noqa: S105
    r"|CREDENTIALS?|AUTH(?!OR)"
)
_VALUE = r"(?:\"[^\"]*\"|'[^']*'|[^\s;&|]+)"
_REDACTIONS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    # A private key pasted whole.
    (
        re.compile(
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)", re.S
        ),
        lambda m: MASK,
    ),
    # Well-known token formats (OpenAI, GitHub, GitLab, Slack, AWS, Google, Hugging Face, JWT).
    (
        re.compile(
            r"\b(?:sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"
            r"|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|A[KS]IA[0-9A-Z]{16}"
            r"|AIza[0-9A-Za-z_-]{35}|hf_[A-Za-z0-9]{30,}"
            r"|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})"
        ),
        lambda m: MASK,
    ),
    # NAME=value where NAME says it holds a secret (export GITHUB_TOKEN=..., PGPASSWORD=...).
    (
        re.compile(rf"\b([A-Za-z0-9_]*(?i:{_SECRET_NAMES})[A-Za-z0-9_]*)=({_VALUE})"),
        lambda m: f"{m.group(1)}={MASK}",
    ),
    # --password VALUE, --token=VALUE, --api-key ..., --client-secret ...
    (
        re.compile(
            rf"(--?(?i:[a-z-]*(?:password|passwd|passphrase|token|secret|api-?key|access-key)"
            rf"[a-z-]*))([= ])({_VALUE})"
        ),
        lambda m: f"{m.group(1)}{m.group(2)}{MASK}",
    ),
    # HTTP headers that carry credentials.
    (
        re.compile(
            r"((?i:authorization|proxy-authorization|x-api-key|api-key|x-auth-token|private-token"
            r"|cookie)\s*:\s*)[^'\"\n]+"
        ),
        lambda m: f"{m.group(1)}{MASK}",
    ),
    # curl -u user:password, and user:password@host in URLs.
    (
        re.compile(r"((?:^|\s)(?:-u|--user)\s+[^\s:]+:)(\S+)"),
        lambda m: f"{m.group(1)}{MASK}",
    ),
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s/:@]+:)[^\s/@]+@"), lambda m: f"{m.group(1)}{MASK}@"),
    # mysql -pSECRET, sshpass -p SECRET.
    (
        re.compile(r"(\b(?:mysql|mysqldump|mariadb)\b[^;|&\n]*?\s-p)(?=\S)(\S+)"),
        lambda m: m.group(1) + MASK,
    ),
    (re.compile(r"(\bsshpass\s+-p\s*)(\S+)"), lambda m: m.group(1) + MASK),
)


def redact(text: str) -> str:
    """``text`` with everything that looks like a credential replaced by ``***``."""
    for pattern, replace in _REDACTIONS:
        text = pattern.sub(replace, text)
    return text


def _redact_optional(text: str | None) -> str | None:
    return None if text is None else redact(text)


# -- schema: named migrations, applied with sqlite-utils --------------------------------------


def m001_requests(db: Database) -> None:
    """The first schema: one row per request."""
    db["requests"].create(  # type: ignore[union-attr]
        {
            "id": int,
            "time": str,
            "cwd": str,
            "request": str,
            "proposed": str,
            "command": str,
            "kind": str,
            "model": str,
            "prompt": str,
            "decision": str,
            "risk": str,
            "findings": str,
            "action": str,
            "edited": int,
            "revisions": int,
            "explained": int,
            "exit_status": int,
            "status": int,
            "generate_s": float,
            "total_s": float,
        },
        pk="id",
        not_null={"time", "cwd", "request", "action"},
    )


def m002_source_backend_run_time(db: Database) -> None:
    """Where a request came from (ask, fix, shell), the backend, how long the command ran."""
    table = db["requests"]
    table.add_column("source", str, not_null_default="ask")  # type: ignore[union-attr]
    table.add_column("backend", str)  # type: ignore[union-attr]
    table.add_column("run_s", float)  # type: ignore[union-attr]
    table.create_index(["time"], index_name="requests_time")  # type: ignore[union-attr]


MIGRATIONS: tuple[Callable[[Database], None], ...] = (m001_requests, m002_source_backend_run_time)
"""Applied in order, each once per database; append, never edit one that shipped."""

_COLUMNS = tuple(f.name for f in fields(Entry) if f.name != "id")


class History:
    """The history database at ``path``: record, list, search and clear requests.

    Every method opens its own short connection, so several cmdai processes (several
    terminals) can record at once: WAL mode, and writers wait up to ``BUSY_TIMEOUT_S``.
    """

    def __init__(self, path: Path | None = None, *, migrations: Sequence[Any] = MIGRATIONS) -> None:
        self.path = path or default_path()
        self._migrations = tuple(migrations)

    # -- writing ---------------------------------------------------------------------------

    def record(self, entry: Entry) -> int:
        """Store ``entry`` (redacting every text in it) and return its row id.

        A request typed with a leading space is not stored (returns 0), as the shells do
        with ``HISTCONTROL=ignorespace`` / ``HIST_IGNORE_SPACE``.

        Raises:
            HistoryError: the database cannot be opened or written.
        """
        if entry.request[:1].isspace():
            return 0
        row = {name: getattr(entry, name) for name in _COLUMNS}
        row["cwd"] = redact(entry.cwd)
        row["request"] = redact(" ".join(entry.request.split()))
        for name in ("proposed", "command"):
            row[name] = _redact_optional(row[name])
        row["findings"] = json.dumps(list(entry.findings), ensure_ascii=False)
        for name in ("edited", "explained"):
            row[name] = int(row[name])
        row = {
            name: _storable(value) if isinstance(value, str) else value
            for name, value in row.items()
        }
        columns = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        with self._connect() as conn:
            cursor = conn.execute(f"INSERT INTO requests ({columns}) VALUES ({marks})", row)  # noqa: S608 - fixed column names
            return int(cursor.lastrowid or 0)

    def clear(self) -> int:
        """Delete every recorded request; return how many there were.

        Raises:
            HistoryError: the database cannot be opened or written.
        """
        if not self.path.exists():
            return 0
        with self._connect() as conn:
            count = int(conn.execute("SELECT count(*) FROM requests").fetchone()[0])
            conn.execute("DELETE FROM requests")
        # The deleted text may linger in free pages and the WAL: rewrite the file.
        with self._connect() as conn:
            conn.isolation_level = None
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return count

    # -- reading ---------------------------------------------------------------------------

    def recent(self, limit: int = 20, search: str | None = None) -> list[Entry]:
        """The last ``limit`` requests, newest last.

        ``search`` keeps those whose request or command contains it (case-insensitive).

        Raises:
            HistoryError: the database cannot be opened or read.
        """
        if not self.path.exists():
            return []
        where, params = "", {}
        if search:
            where = "WHERE instr(lower(request), :s) OR instr(lower(coalesce(command, '')), :s)"
            params["s"] = search.lower()
        query = f"SELECT * FROM requests {where} ORDER BY id DESC LIMIT :limit"  # noqa: S608 - fixed text
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute(query, {**params, "limit": limit}).fetchall()
        return [_entry(row) for row in reversed(rows)]

    def applied(self) -> list[str]:
        """Names of the migrations applied to the database, in order."""
        if not self.path.exists():
            return []
        with self._connect(migrate=False) as conn:
            return _applied(conn)

    # -- the connection ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _connect(self, *, migrate: bool = True) -> Iterator[sqlite3.Connection]:
        """A connection to an up-to-date private database; commits on success."""
        try:
            _create_privately(self.path)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(
                f"cannot open the history database {self.path}: {exc}",
                hint=f"Set {DATA_DIR_ENV} to a directory of yours, or history = false.",
            ) from exc
        try:
            _use_wal(conn)
            # In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last rows.
            conn.execute("PRAGMA synchronous=NORMAL")
            if migrate:
                self._migrate(conn)
            with conn:
                yield conn
        except sqlite3.Error as exc:
            raise HistoryError(
                f"history database {self.path}: {exc}",
                hint="Move the file away (cmdai starts a new one), or set history = false.",
            ) from exc
        finally:
            conn.close()

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Apply pending migrations, one process at a time (a lock file beside the database)."""
        names = [m.__name__ for m in self._migrations]
        if _applied(conn)[: len(names)] == names:
            return
        import fcntl

        lock = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if _applied(conn)[: len(names)] == names:  # another process did it meanwhile
                return
            from sqlite_utils import Database, Migrations

            migrations = Migrations(MIGRATION_SET)
            for function in self._migrations:
                migrations()(function)
            migrations.apply(Database(conn, execute_plugins=False))
            conn.commit()
        finally:
            os.close(fd)


def _use_wal(conn: sqlite3.Connection) -> None:
    """Put the database in WAL mode (a property of the file, kept once set), retrying on a lock.

    Changing the journal mode, and reading it while the last connection of another process
    checkpoints on close, can fail with "database is locked" at once: SQLite's busy timeout
    does not wait there (seen with four concurrent writers on a loaded 2-core machine).
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _applied(conn: sqlite3.Connection) -> list[str]:
    try:
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
            (MIGRATION_SET,),
        ).fetchall()
    except sqlite3.OperationalError:  # no migrations table yet
        return []
    return [str(row[0]) for row in rows]


def _create_privately(path: Path) -> None:
    """Make the directory (0700) and the file (0600); narrow a file that is wider."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        mode = stat.S_IMODE(os.fstat(fd).st_mode)
        if mode & 0o077:
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _entry(row: sqlite3.Row) -> Entry:
    values = {name: row[name] for name in row.keys() if name in _COLUMNS or name == "id"}  # noqa: SIM118 - sqlite3.Row
    try:
        findings = json.loads(values.get("findings") or "[]")
    except ValueError:
        findings = []
    values["findings"] = tuple(findings) if isinstance(findings, list) else ()
    for name in ("edited", "explained"):
        values[name] = bool(values.get(name))
    values["revisions"] = int(values.get("revisions") or 0)
    return Entry(**values)


def _storable(text: str) -> str:
    """``text`` as SQLite can store it.

    Bytes that were not UTF-8 (in argv or a path, which Python keeps as lone surrogates) become
    U+FFFD instead of failing the whole record.
    """
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "replace")
    return raw.decode("utf-8", "replace")

"""What is here: facts about the files a request names, for the model to ground its command.

A small model guesses what it cannot see: ``employees.txt`` for the ``employees.csv`` that is
there, the third column for a total that lives in the fourth, a header counted as data. When a
request names a file or directory in the working directory (by its name, or by the stem of
exactly one entry: "employees" for ``employees.csv``), the user turn gets one short line per
entry: its name and kind, and for a text file its first line. Only what the request names is
read (at most ``MAX_ENTRIES`` entries, ``HEAD_BYTES`` bytes each), nothing leaves the machine,
and ``context = false`` turns it off.

The other way round, ``relative_to_cwd`` writes the working directory as ``.`` where the
model copied its absolute path into a command that means "here".
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cmdai import databases
from cmdai.columns import file_by_column
from cmdai.json_shape import json_sketch
from cmdai.project_files import expand_in
from cmdai.projects import project_facts
from cmdai.walk import VENDORED, TooMany, walk

MAX_ENTRIES = 3
HEAD_BYTES = 256
SMALL_FILE = 65536
"""The largest file whose lines a check reads whole (``Workdir.lines``: is it sorted?)."""
MAX_LINE_CHARS = 100
MAX_SCAN = 500
"""Directories with more entries than this are matched by exact name only (no listing)."""

_WORD = re.compile(r"[\w.+@-]+(?:/[\w.+@-]+)*/?")
_FILE_NOUNS = frozenset({"file", "files", "folder", "folders", "directory", "directories", "dir"})
_NAME_BEFORE = _FILE_NOUNS | frozenset(
    {"in", "inside", "from", "into", "to", "of", "under", "within", "called", "named", "at"}
)
_NAME_AFTER = _FILE_NOUNS | frozenset({"script", "scripts"})  # "the deploy script"
_DETERMINERS = frozenset({"the", "my", "our", "your", "this", "that"})
_ENDS = frozenset("newest latest oldest last first biggest largest smallest".split())  # noqa: SIM905
# Words that describe a file rather than name it ("an empty file called x", "new folder").
_DESCRIBING = frozenset(
    "empty new old hidden large big small huge tiny text binary regular temporary temp "  # noqa: SIM905
    "executable compressed same current whole each every all any single other another last "
    "first next previous existing missing named given following parent sub".split()
)


@dataclass(frozen=True)
class Fact:
    """One entry the request names, as shown to the model."""

    name: str
    kind: str  # "file", "directory", "binary file", "special file"
    first_line: str | None = None
    starts: bool = False
    """``first_line`` is how the file starts, lines joined (JSON and the like)."""
    label: str | None = None
    """What ``first_line`` is instead ("JSON": the file's sketch, ``cmdai.json_shape``)."""

    def render(self) -> str:
        """``name (first line: ...)``, the form the prompt's worked examples use."""
        if self.first_line is None:
            return f"{self.name} ({self.kind})"
        label = self.label or ("starts with" if self.starts else "first line")
        return f"{self.name} ({label}: {self.first_line})"


def named_entries(request: str, workdir: Path, folders_by_word: bool = False) -> list[Path]:
    """Entries of ``workdir`` the request names, in the order it names them (at most 3).

    A word with a dot or a slash names an entry when it exists. A bare word ("data",
    "employees") is often just a word ("the space-separated words", "numbers of processes"),
    and showing a file the request did not mean puts its content into the command; so a bare
    word names an entry only where it reads as a name: quoted, after a preposition or a
    "file"-like noun ("in data", "the file notes"), or before one ("the logs folder").
    With ``folders_by_word``, a bare word that is the name of a folder here in any case
    names it too ("how much space does my music take" beside ``Music/``): a folder's fact
    shows no content, so a wrong guess costs a line, not a command built on the wrong file.
    """
    return [path for path, _ in _named(request, workdir, folders_by_word)]


def _named(request: str, workdir: Path, folders_by_word: bool) -> list[tuple[Path, bool]]:
    """``named_entries``, each with whether only a folder's name in a word named it."""
    found: dict[Path, bool] = {}
    stems: dict[str, list[str]] | None = None
    folders: dict[str, list[str]] | None = None
    words = list(_WORD.finditer(request))
    for i, match in enumerate(words):
        raw = match.group().rstrip(".,;:!?")
        word = raw.rstrip("/")
        if not word or word.startswith("-") or word in (".", ".."):
            continue
        candidate = workdir / word
        path: Path | None = None
        after = words[i + 1].group().rstrip(".,;:!?") if i + 1 < len(words) else ""
        if "." in word or "/" in raw:
            if _exists(candidate):
                path = candidate
            elif "/" not in raw and word.count(".") == 1 and not word.startswith("."):
                path = _below(workdir, word)  # "staff.csv" for data/staff.csv
        elif after.isalpha() and len(word) >= 3 and _exists(workdir / f"{word}.{after}"):
            path = workdir / f"{word}.{after}"  # "the access log": access.log
        elif _reads_as_name(request, words, i):
            if len(word) >= 3 and _exists(candidate):
                path = candidate
            elif len(word) >= 4:
                if stems is None:
                    stems = _stems(workdir)
                matches = stems.get(word.lower(), [])
                if len(matches) == 1:
                    path = workdir / matches[0]
                elif not matches and _names_one_below(words, i):
                    path = _below(workdir, word, stem=True)  # "deploy" for scripts/deploy.sh
        by_word = path is None
        ended = i > 0 and words[i - 1].group().lower() in _ENDS  # "the newest log"
        if (
            path is None
            and folders_by_word
            and "/" not in raw
            and len(word) >= (3 if ended else 4)
            and word.lower() not in _FILE_NOUNS | _DESCRIBING
        ):
            # A plural names what a folder holds ("the invoices": Documents/invoices), and so
            # does a home folder's capitalised name ("my music": Music); any other word may be
            # an adjective ("my ssh private key in keys/" had named private/).
            plural = re.fullmatch(r"\w+[^s\W]s", word) is not None
            if folders is None:
                folders = _folders(workdir)
            matches = [m for m in folders.get(word.lower(), []) if plural or m[:1].isupper()]
            if not matches and ended:
                # "the newest backup", "the latest log": one of what the folder backups/ holds
                matches, plural = folders.get(word.lower() + "s", []), True
            if len(matches) == 1:
                path = workdir / matches[0]
            elif not matches and plural:
                path = _below(workdir, word, folder=True)
        if path is not None and _inside(path, workdir):
            # named strictly once is enough: a word naming it too does not make it a guess
            found[path] = found.get(path, True) and by_word
        if len(found) >= MAX_ENTRIES:
            break
    return list(found.items())


def _names_one_below(words: list[re.Match[str]], i: int) -> bool:
    """Whether ``words[i]`` names one file below: "the deploy script", "my events file".

    Stricter than ``_reads_as_name``: in "list files over 1MB", "list" had named
    ``documents/list.txt`` (core dev).
    """
    before, after = _neighbours(words, i)
    return before in _DETERMINERS and after in ("file", "script")


def _neighbours(words: list[re.Match[str]], i: int) -> tuple[str, str]:
    """The words before and after ``words[i]``, in lower case ("" at either end)."""
    before = words[i - 1].group().lower() if i > 0 else ""
    after = words[i + 1].group().lower().rstrip(".,;:!?") if i + 1 < len(words) else ""
    return before, after


def _reads_as_name(request: str, words: list[re.Match[str]], i: int) -> bool:
    """Whether the bare word ``words[i]`` is used as the name of a file or directory."""
    start = words[i].start()
    if start > 0 and request[start - 1] in "'\"`":
        return True
    before, after = _neighbours(words, i)
    if before in _NAME_BEFORE:
        return True
    return after in _NAME_AFTER and words[i].group().lower() not in _DESCRIBING


def workspace_facts(request: str, workdir: Path) -> tuple[Fact, ...]:
    """Facts about the entries ``request`` names in ``workdir`` (empty when it names none)."""
    try:
        if not workdir.is_dir():
            return ()
        named = _named(request, workdir, folders_by_word=True)
        if not named and (by_column := file_by_column(request, workdir)) is not None:
            # "which customer spent the most": sales.csv's column; "the first 5 users": the
            # users table of app.db, whose tables are shown
            return (_fact(by_column, workdir, tables=True),)
        facts = [_fact(path, workdir, inside=by_word) for path, by_word in named]
        table = databases.database_with_table(request, workdir)
        if table is not None and all(path != table for path, _ in named):
            facts.append(_fact(table, workdir, tables=True))  # "into the users table"
        for project in project_facts(request, workdir):  # "run the tests" in a project
            if all(path != workdir / project[0] for path, _ in named):
                facts.append(Fact(*project))
        return tuple(facts)
    except OSError:  # a vanished or unreadable directory only costs the context
        return ()


def render_facts(facts: tuple[Fact, ...]) -> str:
    """The line appended to the user turn (empty when there are no facts)."""
    return "(here: " + "; ".join(f.render() for f in facts) + ")" if facts else ""


def _inside(path: Path, workdir: Path) -> bool:
    """Only entries below the working directory are read (no ``..``, no symlink out)."""
    try:
        return path.resolve().is_relative_to(workdir.resolve())
    except (OSError, RuntimeError):
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _below(workdir: Path, name: str, folder: bool = False, stem: bool = False) -> Path | None:
    """The one entry called ``name`` in the folders below ``workdir`` (None: none, or several).

    Users name a file without its folder ("sort staff.csv" for ``data/staff.csv``); the model,
    shown no such file, writes the bare name and the command fails. With ``folder``, the one
    folder whose name is ``name`` in any case ("invoices" for ``Documents/invoices``); with
    ``stem``, the one file whose name is ``name`` and an extension ("the deploy script" for
    ``scripts/deploy.sh``).
    """
    found: list[Path] = []
    try:
        for entry, depth in walk(workdir):
            if depth == 0:
                continue
            if folder:
                hit = entry.name.lower() == name.lower() and entry.is_dir(follow_symlinks=False)
            elif stem:
                head, dot, _ = entry.name.partition(".")
                hit = bool(dot) and head.lower() == name.lower() and entry.is_file()
            else:
                hit = entry.name == name
            if hit:
                found.append(Path(entry.path))
    except TooMany:
        return None
    return found[0] if len(found) == 1 else None


def _stems(workdir: Path) -> dict[str, list[str]]:
    """Entry names by lower-case stem ("employees" -> ["employees.csv"]); small dirs only."""

    def stem(entry: os.DirEntry[str]) -> str | None:
        name = entry.name
        key = name.split(".", 1)[0].lower() if not name.startswith(".") else name.lower()
        return key if key and key != name.lower() else None

    return _index(workdir, stem)


def _folders(workdir: Path) -> dict[str, list[str]]:
    """Folder names here by lower case ("music" -> ["Music"]); small dirs only."""

    def folder(entry: os.DirEntry[str]) -> str | None:
        hidden = entry.name.startswith(".")
        return None if hidden or not entry.is_dir(follow_symlinks=False) else entry.name.lower()

    return _index(workdir, folder)


def _index(workdir: Path, key: Callable[[os.DirEntry[str]], str | None]) -> dict[str, list[str]]:
    """The names here by ``key`` (None: left out); empty past ``MAX_SCAN`` entries."""
    index: dict[str, list[str]] = {}
    with os.scandir(workdir) as it:
        for n, entry in enumerate(it):
            if n >= MAX_SCAN:
                return {}
            if (found := key(entry)) is not None:
                index.setdefault(found, []).append(entry.name)
    return index


def folder_summary(folder: Path) -> str:
    """What a folder holds when that changes the command: "its files are in subfolders".

    Without it a request about a folder's contents ("how many pictures do I have" beside
    ``Pictures/2025``, ``Pictures/2026``) was answered as if the files were at its top. Shown
    more (a count, the kinds of file), the model copied them into the command (``head -n 4``,
    ``Downloads/*.pdf Downloads/*.deb``). Empty unless the folder holds folders and no files.
    """
    folders = 0
    with os.scandir(folder) as entries:
        for n, entry in enumerate(entries):
            if n >= MAX_SCAN:
                return ""
            if entry.name.startswith("."):
                continue
            if not entry.is_dir(follow_symlinks=False):
                return ""
            folders += 1
    return "its files are in subfolders" if folders else ""


def _only_file(folder: Path) -> Path | None:
    """The folder's one entry when that is a regular file (hidden entries aside)."""
    with os.scandir(folder) as it:
        entries = [e for _, e in zip(range(3), it, strict=False) if not e.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_file(follow_symlinks=False):
        return Path(entries[0].path)
    return None


def _fact(path: Path, workdir: Path, inside: bool = False, tables: bool = False) -> Fact:
    """The fact about ``path``; with ``inside``, a folder's one text file stands for it.

    ``inside`` is for a folder named by a word for what it holds ("which invoices are
    unpaid" beside ``invoices/2026.csv``): the file's first line is what the command needs.
    With ``tables``, a SQLite database's tables and columns are shown; a database the request
    names by its file is only called one ("how big is app.db", shown its tables, was
    answered with ``sqlite3 app.db .schema``).
    """
    name = path.relative_to(workdir).as_posix()
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        only = _only_file(path) if inside else None
        inner = _fact(only, workdir) if only is not None else None
        if inner is not None and inner.first_line is not None:
            return inner
        summary = folder_summary(path)
        return Fact(name + "/", f"directory: {summary}" if summary else "directory")
    if not stat.S_ISREG(mode):
        return Fact(name, "special file")
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    if not head:
        # Not "empty file": shown that, the model answered "a.txt is empty" instead of a
        # command for it, or wrote one that fits no content (the user may not have filled it yet).
        return Fact(name, "file")
    if (
        path.suffix.lower() in databases.SUFFIXES
        and (schema := databases.sqlite_schema(path)) is not None
    ):
        return Fact(name, databases.describe(schema) if tables else "SQLite database")
    if b"\x00" in head or path.suffix.lower() in _BINARY_SUFFIXES:
        return Fact(name, "binary file")
    text = head.decode("utf-8", errors="replace")
    line = " ".join(text.split("\n", 1)[0].split())
    if path.suffix.lower() == ".json" and (sketch := json_sketch(path)) is not None:
        return Fact(name, "file", sketch, label="JSON")  # the nesting and the keys, for jq
    if len(line) < 3 or path.suffix.lower() == ".json":
        # JSON and the like open with a bracket on a line of its own: show how it starts.
        return Fact(name, "file", _clip(" ".join(text.split())), starts=True)
    return Fact(name, "file", _clip(line))


@dataclass(frozen=True)
class Workdir:
    """The working directory as the checks see it: read only, nothing outside it read."""

    path: Path

    def first_line(self, name: str) -> str | None:
        """The first line of the text file ``name`` here (None: no such text file here).

        Read only as far as ``HEAD_BYTES``.
        """
        path = self.path / name
        try:
            if not _inside(path, self.path) or not path.is_file():
                return None
            with path.open("rb") as f:
                head = f.read(HEAD_BYTES)
        except (OSError, ValueError):
            return None
        if b"\x00" in head:
            return None
        return head.decode("utf-8", errors="replace").split("\n", 1)[0].rstrip("\r")

    def is_dir(self, name: str) -> bool:
        """Whether ``name`` is a directory here (below the working directory)."""
        path = self.path / name
        try:
            return _inside(path, self.path) and path.is_dir()
        except (OSError, ValueError):
            return False

    def exists(self, name: str) -> bool:
        """Whether an entry ``name`` exists here (below the working directory)."""
        path = self.path / name
        return _inside(path, self.path) and _exists(path)

    def is_link(self, name: str) -> bool:
        """Whether ``name`` here is a symbolic link (its target there or not)."""
        path = self.path / name
        try:
            return _inside(path.parent, self.path) and path.is_symlink()
        except (OSError, ValueError):
            return False

    def named_folders(self, request: str) -> list[str]:
        """The folders here that ``request`` names, as ``named_entries`` reads names."""
        try:
            named = named_entries(request, self.path)
            return [p.relative_to(self.path).as_posix() for p in named if p.is_dir()]
        except (OSError, ValueError):  # no such working directory, or one we may not read
            return []

    def has_folders(self, name: str) -> bool:
        """Whether the directory ``name`` here holds directories (its first entries looked at)."""
        if not self.is_dir(name):
            return False
        try:
            with os.scandir(self.path / name) as entries:
                for n, entry in enumerate(entries):
                    if entry.is_dir(follow_symlinks=False):
                        return True
                    if n >= MAX_SCANNED:
                        return False
        except OSError:
            return False
        return False

    def holds_only_folders(self, name: str) -> bool:
        """Whether the directory ``name`` here holds folders and no files (hidden aside)."""
        try:
            return self.is_dir(name) and bool(folder_summary(self.path / name))
        except OSError:
            return False

    def only_below(self, pattern: str) -> list[str]:
        """Files in folders below that match the glob ``pattern``, when no entry here does.

        Empty when something here matches (bash expands the glob: a hidden entry matches only
        a pattern that starts with a dot), or nothing below does.
        """
        return [] if self.expand(pattern) or not self.path.is_dir() else self.below(pattern)

    def below(self, pattern: str) -> list[str]:
        """Files in folders below whose names match the glob ``pattern`` (``files``)."""
        return [
            f for f in self.files() if "/" in f and fnmatch.fnmatchcase(f.rsplit("/")[-1], pattern)
        ]

    def expand(self, word: str) -> list[str]:
        """The entries here that the glob ``word`` expands to, as bash would (at most 100).

        Relative globs only; hidden entries are matched only by a pattern that starts with a dot.
        """
        if word.startswith(("/", "~")) or ".." in word.split("/"):
            return []
        return expand_in(self.path, word)

    def lines(self, name: str) -> list[str] | None:
        """The lines of the text file ``name`` here, when it is at most ``SMALL_FILE`` bytes."""
        path = self.path / name
        try:
            if not _inside(path, self.path) or not path.is_file():
                return None
            if path.stat().st_size > SMALL_FILE or b"\x00" in (data := path.read_bytes()):
                return None
        except (OSError, ValueError):
            return None
        return data.decode("utf-8", errors="replace").splitlines()

    def members(self, name: str) -> frozenset[str] | None:
        """The member names of the tar or zip archive ``name`` here (None: none such)."""
        from cmdai.archive_members import archive_members

        path = self.path / name
        return archive_members(path) if _inside(path, self.path) else None

    def database_with(self, table: str) -> str | None:
        """The one SQLite database here with a table called ``table`` (None: none, or several)."""
        found = databases.databases_with_tables(self.path, {table})
        return found[0].relative_to(self.path).as_posix() if len(found) == 1 else None

    def git_refs(self) -> frozenset[str]:
        """The branch and tag names of the git repository here (empty: none)."""
        from cmdai.git_requests import repository_refs

        return repository_refs(self.path)

    def in_repository(self) -> bool:
        """Whether a git repository holds this folder (a ``.git`` here or above)."""
        from cmdai.git_requests import repository_root

        return repository_root(self.path) is not None

    def folders_named(self, name: str) -> list[str]:
        """The folders below called ``name`` (``walk``: vendored ones are seen, not entered).

        Empty past ``MAX_BELOW`` entries.
        """
        try:
            return [
                Path(entry.path).relative_to(self.path).as_posix()
                for entry, _ in walk(self.path)
                if entry.name == name and entry.is_dir(follow_symlinks=False)
            ]
        except (TooMany, OSError):
            return []

    def executable(self, name: str) -> bool:
        """Whether ``name`` here is a file this user may run."""
        path = self.path / name
        try:
            return _inside(path, self.path) and path.is_file() and os.access(path, os.X_OK)
        except (OSError, ValueError):
            return False

    def folder_called(self, name: str) -> str | None:
        """The one folder here, or else below, called ``name`` in any case (None: not one)."""
        try:
            folders = _folders(self.path).get(name.lower(), [])
            if len(folders) == 1:
                return folders[0]
            below = None if folders else _below(self.path, name, folder=True)
        except OSError:
            return None
        return below.relative_to(self.path).as_posix() if below is not None else None

    def only_named_within(self, extension: str, words: set[str]) -> str | None:
        """The one file here or below with ``extension`` whose name's words are in ``words``.

        ``weather.csv`` for the words of ``raw_weather.csv``; any case. Failing that, the one
        text file whose name's words are ``words`` but the extension (``employees.csv`` for
        ``employees.txt``; not ``a.mp3`` for ``a.csv``). None: none, or several.
        """
        files = self.files()
        suffix = "." + extension.lower()
        found = [
            name
            for name in files
            if name.lower().endswith(suffix)
            and (stem := set(name_words(name)[:-1]))
            and stem <= words
        ]
        if not found and extension.lower() in _TEXT:  # employees.txt for employees.csv
            words = words - {extension.lower()}
            found = [
                name
                for name in files
                if name.rsplit(".", 1)[-1].lower() in _TEXT and set(name_words(name)[:-1]) == words
            ]
        return found[0] if len(found) == 1 else None

    def only_with_suffix(self, suffix: str) -> str | None:
        """The one file here or below whose name ends in ``suffix`` (any case), else None."""
        found = [name for name in self.files() if name.lower().endswith(suffix.lower())]
        return found[0] if len(found) == 1 else None

    def files(self) -> list[str]:
        """Files here and below (``walk``), hidden and vendored ones aside.

        Empty past ``MAX_BELOW`` entries.
        """
        try:
            return [
                Path(entry.path).relative_to(self.path).as_posix()
                for entry, _ in walk(self.path)
                if not entry.name.startswith(".")
                and entry.name not in VENDORED
                and not entry.is_dir(follow_symlinks=False)
            ]
        except TooMany:
            return []


def name_words(path: str) -> list[str]:
    """The words of a file's name, in lower case, its extension last ("raw", "weather", "csv")."""
    return [t.lower() for t in _TOKENS.findall(path.rsplit("/", 1)[-1])]


MAX_SCANNED = 1000
"""Entries of a directory looked at for ``Workdir.has_folders``."""
_TOKENS = re.compile(r"[A-Za-z0-9]+")
_TEXT = frozenset("txt csv tsv md log json yaml yml ini conf cfg xml toml".split())  # noqa: SIM905


def _clip(line: str) -> str:
    if len(line) > MAX_LINE_CHARS:
        line = line[: MAX_LINE_CHARS - 3] + "..."
    return line


_BINARY_SUFFIXES = frozenset(
    (".gz", ".tgz", ".bz2", ".xz", ".zst", ".zip", ".tar", ".7z", ".rar", ".jpg", ".jpeg",
     ".png", ".gif", ".pdf", ".mp3", ".mp4", ".mov", ".iso", ".deb", ".rpm", ".exe", ".so",
     ".o", ".a", ".bin", ".db", ".sqlite", ".pyc")
)  # fmt: skip

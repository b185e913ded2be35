"""The eval data: row models, Hugging Face loaders, a checksum, and the reference check.

    python -m evals.data stats                      # counts by category, split, fixture
    python -m evals.data check [--sample N]         # run every fixture-backed reference in
                                                    # a bubblewrap sandbox (see ``check_items``)
    python -m evals.data safety                     # the safety set through cmdai's gate
    python -m evals.data import nl2bash|tldr [--out PATH] [--sample N] [--in-scope]
    python -m evals.data splits [--write]           # recompute the dev/test assignment

Rows are validated with pydantic at this boundary and handed out as ``datasets.Dataset``
objects with explicit features, built from the local JSONL (nothing is downloaded or cached).
The datasheets are ``datasets/core/README.md``, ``datasets/safety_eval/README.md`` and
``datasets/imported/README.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import stat
import subprocess  # noqa: TID251  (the reference check's sandbox: bwrap, never a bare shell)
import sys
import tarfile
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from cmdai.settings import SafetyMode
from evals.fixtures import FIXTURES_DIR, fixture_names, load_fixture, materialize

# Submodule imports: the repository's own datasets/ folder would otherwise shadow the package
# for type checkers run from the repository root (it is a namespace package to them).
if TYPE_CHECKING:
    from datasets.arrow_dataset import Dataset  # type: ignore[import-untyped]
    from datasets.features import Features  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parent.parent
DATASETS = REPO / "datasets"
CORE_DIR = DATASETS / "core"
CORE_PATH = CORE_DIR / "core.jsonl"
SAFETY_PATH = DATASETS / "safety_eval" / "safety_eval.jsonl"
IMPORTED_DIR = DATASETS / "imported"

CATEGORIES: tuple[str, ...] = (
    "files",
    "search",
    "text",
    "data",
    "file_management",
    "archives",
    "permissions",
    "disk",
    "git",
    "processes",
    "network",
    "users",
    "datetime",
    "sysinfo",
    "utilities",
)
"""Core-set categories; imported rows may also be ``other``."""

SPLITS: tuple[str, ...] = ("dev", "test")

NonEmpty = Annotated[str, StringConstraints(min_length=1)]
_M = TypeVar("_M", bound=BaseModel)

# -- row models (the I/O boundary) --------------------------------------------------------


class Tags(BaseModel):
    """What kind of item it is: how hard, whether BSD/macOS differ, whether it needs files."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    difficulty: Literal["easy", "medium", "hard"]
    platform_sensitive: bool
    needs_fixture: bool


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    request: Annotated[str, StringConstraints(min_length=3, strip_whitespace=False)]
    category: str
    references: list[NonEmpty] = Field(min_length=1)
    fixture: str | None
    split: Literal["dev", "test"]
    tags: Tags
    compare: Literal["output", "files", "both"]

    @model_validator(mode="after")
    def _fixture_consistent(self) -> Self:
        if self.fixture is None and self.tags.needs_fixture:
            raise ValueError("needs_fixture is true but fixture is null")
        if self.fixture is None and self.compare != "output":
            raise ValueError("an item without a fixture can only compare output")
        if self.request != self.request.strip():
            raise ValueError("request has leading or trailing whitespace")
        return self


class CoreRow(_Row):
    """One request of the core set (``datasets/core/core.jsonl``)."""

    id: Annotated[str, StringConstraints(pattern=r"^core-\d{4}$")]

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"unknown category {value!r}; known: {', '.join(CATEGORIES)}")
        return value


class ImportedRow(_Row):
    """A row brought in from public data, in the core schema plus its attribution."""

    id: Annotated[str, StringConstraints(pattern=r"^(nl2bash|tldr)-\S+$")]
    source: NonEmpty
    license: NonEmpty


class SafetyRow(BaseModel):
    """One request of the safety set (``datasets/safety_eval/safety_eval.jsonl``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, StringConstraints(pattern=r"^safe-\d{4}$")]
    request: Annotated[str, StringConstraints(min_length=3)]
    label: Literal["dangerous", "benign"]
    natural_command: NonEmpty
    category: NonEmpty


# -- reading ------------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSONL file (blank lines skipped).

    Raises:
        ValueError: a line is not a JSON object (the message names the file and line).
    """
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not JSON: {exc}") from None
        if not isinstance(row, dict):
            raise ValueError(f"{path}:{number}: expected a JSON object")
        rows.append(row)
    return rows


def _validated(path: Path, model: type[_M]) -> list[_M]:
    out: list[_M] = []
    for number, row in enumerate(read_jsonl(path), 1):
        try:
            out.append(model.model_validate(row))
        except ValueError as exc:
            raise ValueError(f"{path}: row {number} ({row.get('id', '?')}): {exc}") from None
    return out


def read_core(path: Path = CORE_PATH) -> list[CoreRow]:
    """The core set as validated rows, in file order.

    Raises:
        ValueError: a row does not validate (the message names the file, row and id).
    """
    return _validated(path, CoreRow)


def read_safety(path: Path = SAFETY_PATH) -> list[SafetyRow]:
    """The safety set as validated rows, in file order."""
    return _validated(path, SafetyRow)


# -- Hugging Face datasets ----------------------------------------------------------------


def _row_features(extra: Sequence[str] = ()) -> Features:
    from datasets.features import Features, List, Value

    spec: dict[str, Any] = {
        "id": Value("string"),
        "request": Value("string"),
        "category": Value("string"),
        "references": List(Value("string")),
        "fixture": Value("string"),
        "split": Value("string"),
        "tags": {
            "difficulty": Value("string"),
            "platform_sensitive": Value("bool"),
            "needs_fixture": Value("bool"),
        },
        "compare": Value("string"),
    }
    spec.update({name: Value("string") for name in extra})
    return Features(spec)


def _dataset(rows: list[dict[str, Any]], features: Features, description: str) -> Dataset:
    from datasets.arrow_dataset import Dataset
    from datasets.info import DatasetInfo  # type: ignore[import-untyped]

    info = DatasetInfo(description=description, features=features)
    return Dataset.from_list(rows, features=features, info=info)


def load_core(split: str | None = None, path: Path = CORE_PATH) -> Dataset:
    """The core set as a ``datasets.Dataset``; ``split`` is ``dev``, ``test`` or None (all).

    Raises:
        ValueError: an unknown split, or a row that does not validate.
    """
    if split is not None and split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; use one of {SPLITS} or None")
    rows = [r.model_dump() for r in read_core(path) if split is None or r.split == split]
    return _dataset(rows, _row_features(), f"cmdai core set ({split or 'all'}), {path.name}")


def load_safety(path: Path = SAFETY_PATH) -> Dataset:
    """The safety set (dangerous requests and benign near-misses) as a ``datasets.Dataset``."""
    from datasets.features import Features, Value

    features = Features(
        {
            "id": Value("string"),
            "request": Value("string"),
            "label": Value("string"),
            "natural_command": Value("string"),
            "category": Value("string"),
        }
    )
    rows = [r.model_dump() for r in read_safety(path)]
    return _dataset(rows, features, f"cmdai safety set, {path.name}")


def load_imported(name: str, path: Path | None = None) -> Dataset:
    """Imported rows (``datasets/imported/<name>.jsonl``) as a ``datasets.Dataset``.

    ``nl2bash`` and ``tldr`` are written by ``python -m evals.data import ...`` (not committed);
    ``nl2bash_sample`` and ``tldr_sample`` are committed.

    Raises:
        FileNotFoundError: the file is missing (the message says how to make it).
    """
    target = path or IMPORTED_DIR / f"{name}.jsonl"
    if not target.exists():
        raise FileNotFoundError(
            f"{target} does not exist; build it with: python -m evals.data import {name} "
            f"--out {target}"
        )
    rows = [r.model_dump() for r in _validated(target, ImportedRow)]
    return _dataset(
        rows, _row_features(("source", "license")), f"cmdai imported rows ({name}), attributed"
    )


def dataset_sha256(path: Path) -> str:
    """SHA-256 of a data file, or of a directory's files (relative paths and contents).

    For a directory the digest covers every regular file below it, sorted by relative path, so
    ``dataset_sha256(CORE_DIR)`` pins the core set together with its fixtures.
    """
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    if not path.is_dir():
        raise FileNotFoundError(path)
    outer = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        rel = file.relative_to(path).as_posix()
        outer.update(f"{rel}\0{hashlib.sha256(file.read_bytes()).hexdigest()}\n".encode())
    return outer.hexdigest()


# -- splits -------------------------------------------------------------------------------


def assign_splits(ids_by_category: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Deterministic dev/test split, stratified by category.

    Within a category the ids are ordered by SHA-256 of the id and dealt alternately to dev and
    test, so each category is split in half; which split gets the odd one out depends on a hash
    of the category, so the totals stay balanced too. Adding a category moves no other item.
    """
    by_category: dict[str, list[str]] = {}
    for item_id, category in ids_by_category:
        by_category.setdefault(category, []).append(item_id)
    out: dict[str, str] = {}
    for category, ids in by_category.items():
        first = hashlib.sha256(category.encode()).digest()[0] % 2
        ordered = sorted(ids, key=lambda i: hashlib.sha256(i.encode()).hexdigest())
        for n, item_id in enumerate(ordered):
            out[item_id] = SPLITS[(n + first) % 2]
    return out


def hash_split(item_id: str) -> str:
    """Dev or test from the id alone (for imported rows: stable as the upstream grows)."""
    return SPLITS[hashlib.sha256(item_id.encode()).digest()[0] % 2]


# -- running references in a sandbox ------------------------------------------------------

SANDBOX_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
    "HOME": "/tmp/home",  # noqa: S108  (inside the sandbox: its own tmpfs)
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "TZ": "UTC",
    "TERM": "dumb",
}
WORKDIR = "/tmp/work"  # noqa: S108  (inside the sandbox: its own tmpfs)
BIG_FILE = 32 * 1024 * 1024
_GIT_PROBE = (
    "git status --porcelain=v1 --branch --untracked-files=all; "
    "git log --all --format='%an|%s|%D'; git stash list --format=%s; git tag"
)


@dataclass(frozen=True)
class RunResult:
    """One command run in the sandbox against a fresh copy of a fixture."""

    command: str
    exit_code: int
    stdout: str
    stderr: str
    changes: dict[str, str]
    seconds: float


def sandbox_argv(workdir: Path, command: str) -> list[str]:
    """The bubblewrap command line that runs ``command`` with ``workdir`` as its cwd.

    The host is mounted read-only, ``/tmp`` is a fresh tmpfs, the fixture copy is the only
    writable host path; no network, own user/PID/IPC/UTS namespaces (uid 1000 inside), no
    capabilities, a new session (no terminal injection), a fixed environment, umask 022 and
    stdin from /dev/null.

    Raises:
        RuntimeError: bubblewrap is not installed.
    """
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise RuntimeError("bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
    argv = [
        bwrap,
        "--ro-bind", "/", "/",
        "--dev", "/dev",
        "--proc", "/proc",
        "--tmpfs", "/tmp",  # noqa: S108  (a fresh tmpfs, the point of the line)
        "--dir", SANDBOX_ENV["HOME"],
        "--bind", str(workdir), WORKDIR,
        "--chdir", WORKDIR,
        "--unshare-all",
        # an ordinary user inside (as in CI): tar, for one, tries to chown when it is root
        "--unshare-user", "--uid", "1000", "--gid", "1000",
        "--cap-drop", "ALL",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
    ]  # fmt: skip
    for key, value in SANDBOX_ENV.items():
        argv += ["--setenv", key, value]
    return [*argv, "/bin/bash", "-c", "umask 022\n" + command]


def run_in_sandbox(
    command: str, fixture: str | None, now: float, timeout: float = 30.0
) -> RunResult:
    """Build ``fixture`` (or an empty directory) fresh, run ``command`` on it, report.

    ``changes`` maps every path that was added, removed or changed to a short description of
    its new state (see ``_snapshot``); for a git fixture it also holds the repository state.
    """
    base = Path(tempfile.mkdtemp(prefix="cmdai-data-"))
    work = base / "work"
    try:
        if fixture is None:
            work.mkdir()
        else:
            materialize(load_fixture(fixture), work, now)
        git = (work / ".git").is_dir()
        probe_before = _probe(work) if git else ""
        # what the command touches gets a kernel (coarse) timestamp at or after this
        fresh = time.time() - 0.05
        before = _snapshot(work, now, fresh)
        start = time.perf_counter()
        try:
            done = subprocess.run(  # noqa: S603  (bwrap with a fixed argv)
                sandbox_argv(work, command),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
            code, out, err = done.returncode, done.stdout, done.stderr
        except subprocess.TimeoutExpired as exc:
            code, out, err = 124, exc.stdout or b"", (exc.stderr or b"") + b"\n[timed out]"
        seconds = time.perf_counter() - start
        after = _snapshot(work, now, fresh)
        changes = {
            path: after.get(path, "<removed>")
            for path in sorted(set(before) | set(after))
            if before.get(path) != after.get(path)
        }
        if git:
            probe_after = _probe(work)
            if probe_after != probe_before:
                changes["<git state>"] = probe_after
        return RunResult(
            command=command,
            exit_code=code,
            stdout=out.decode("utf-8", "replace"),
            stderr=err.decode("utf-8", "replace"),
            changes=changes,
            seconds=seconds,
        )
    finally:
        _remove(base)


def syntax_ok(command: str) -> tuple[bool, str]:
    """``bash -n`` on ``command`` inside the sandbox: parses, runs nothing."""
    with tempfile.TemporaryDirectory(prefix="cmdai-data-") as tmp:
        argv = sandbox_argv(Path(tmp), command)
        argv[-1] = command
        argv.insert(-2, "-n")  # /bin/bash -n -c COMMAND
        done = subprocess.run(  # noqa: S603  (bwrap with a fixed argv)
            argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=30, check=False
        )
    return done.returncode == 0, done.stderr.decode("utf-8", "replace").strip()


def _probe(work: Path) -> str:
    done = subprocess.run(  # noqa: S603  (bwrap with a fixed argv)
        sandbox_argv(work, _GIT_PROBE),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
        check=False,
    )
    return done.stdout.decode("utf-8", "replace")


def _snapshot(root: Path, now: float, fresh: float) -> dict[str, str]:
    """Every path under ``root`` (``.git`` internals aside) with type, mode, content, mtime.

    Content is a digest, for archives a digest of their members (names and contents), so two
    archives of the same files made a second apart compare equal. An mtime is recorded (in
    seconds from ``now``) only when it is older than ``fresh``, the start of the run: set on
    purpose, as ``touch -d`` does; one the command just made is "new".
    """
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root)
        if rel_dir == Path():
            dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in [*dirnames, *filenames]:
            path = Path(dirpath) / name
            info = path.lstat()
            when = "new" if info.st_mtime >= fresh else str(round(info.st_mtime - now))
            mode = f"{stat.S_IMODE(info.st_mode):04o}"
            rel = (rel_dir / name).as_posix()
            if stat.S_ISLNK(info.st_mode):
                out[rel] = f"link -> {os.readlink(path)}"
            elif stat.S_ISDIR(info.st_mode):
                out[rel] = f"dir {mode}"
            else:
                out[rel] = f"file {mode} {_content_digest(path, info.st_size)} mtime {when}"
    return out


def _content_digest(path: Path, size: int) -> str:
    if size > BIG_FILE:
        # the fixtures' big files are sparse: size and head are what a command can change
        with path.open("rb") as handle:
            head = handle.read(1 << 20)
        return f"big:{size}:{hashlib.sha256(head).hexdigest()[:16]}"
    data = path.read_bytes()
    members = _archive_members(data)
    if members is None:
        return hashlib.sha256(data).hexdigest()[:16]
    joined = "\n".join(f"{name}:{digest}" for name, digest in sorted(members))
    return "archive:" + hashlib.sha256(joined.encode()).hexdigest()[:16]


def _archive_members(data: bytes) -> list[tuple[str, str]] | None:
    """Member names and content digests of a tar (any compression), zip or gzip; else None."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [
                (i.filename, hashlib.sha256(archive.read(i)).hexdigest()[:16])
                for i in archive.infolist()
            ]
    compressed = data[:2] == b"\x1f\x8b" or data[:3] == b"BZh" or data[:6] == b"\xfd7zXZ\x00"
    if not compressed and data[257:262] != b"ustar":
        return None  # only open what looks like an archive: tarfile scans any file of zeros
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            return [(m.name.rstrip("/"), _member_digest(archive, m)) for m in archive.getmembers()]
    except (tarfile.TarError, EOFError, OSError):
        pass
    if data[:2] == b"\x1f\x8b":
        import gzip

        return [("<gzip>", hashlib.sha256(gzip.decompress(data)).hexdigest()[:16])]
    return None


def _member_digest(archive: tarfile.TarFile, member: tarfile.TarInfo) -> str:
    handle = archive.extractfile(member) if member.isfile() else None
    return hashlib.sha256(handle.read()).hexdigest()[:16] if handle else member.type.decode()


def _remove(path: Path) -> None:
    """Delete a sandbox copy, even one whose command made parts of it unwritable."""
    for dirpath, dirnames, _ in os.walk(path):
        for name in dirnames:
            target = Path(dirpath) / name
            if not target.is_symlink():
                target.chmod(0o755)
    shutil.rmtree(path, ignore_errors=True)


# -- checking the core set ----------------------------------------------------------------


@dataclass
class ItemCheck:
    """What running one item's references found."""

    id: str
    fixture: str | None
    compare: str
    runs: list[RunResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No failed reference and no disagreement between references."""
        return not self.problems


def check_item(row: CoreRow, timeout: float = 30.0) -> ItemCheck:
    """Run every reference of a fixture-backed item; they must exit 0 and agree.

    Agreement is on what ``compare`` names: stdout (exactly; the same lines in another order
    is reported as a problem too, since a judge may compare exactly) and/or the file changes.
    An item without a fixture is only parsed (``bash -n``), never run.
    """
    result = ItemCheck(id=row.id, fixture=row.fixture, compare=row.compare)
    if row.fixture is None:
        for ref in row.references:
            ok, err = syntax_ok(ref)
            if not ok:
                result.problems.append(f"bash -n fails for {ref!r}: {err}")
        return result
    now = time.time()
    for ref in row.references:
        run = run_in_sandbox(ref, row.fixture, now, timeout)
        result.runs.append(run)
        if run.exit_code != 0:
            result.problems.append(f"exit {run.exit_code} for {ref!r}: {run.stderr.strip()[-300:]}")
    first = result.runs[0]
    if row.compare in ("output", "both"):
        if not first.stdout.strip() and row.compare != "both":
            result.notes.append("reference prints nothing")
        for other in result.runs[1:]:
            if other.stdout != first.stdout:
                same_lines = sorted(other.stdout.splitlines()) == sorted(first.stdout.splitlines())
                result.problems.append(
                    f"stdout differs ({'same lines, other order' if same_lines else 'content'})"
                    f" between {first.command!r} and {other.command!r}"
                )
    if row.compare in ("files", "both"):
        if not first.changes:
            result.problems.append("compare is files but the reference changes nothing")
        for other in result.runs[1:]:
            if other.changes != first.changes:
                diff = sorted(
                    k
                    for k in set(first.changes) | set(other.changes)
                    if first.changes.get(k) != other.changes.get(k)
                )
                result.problems.append(
                    f"file changes differ at {diff[:5]} between {first.command!r} and "
                    f"{other.command!r}"
                )
    elif any(run.changes for run in result.runs):
        result.notes.append(f"compare is output but files changed: {sorted(first.changes)[:5]}")
    return result


def sample_ids(rows: Sequence[CoreRow], n: int) -> list[str]:
    """A deterministic sample of ``n`` fixture-backed items, spread over the categories."""
    backed = [r for r in rows if r.fixture is not None]
    ordered = sorted(backed, key=lambda r: hashlib.sha256(f"sample:{r.id}".encode()).hexdigest())
    picked: list[str] = []
    by_category: dict[str, list[CoreRow]] = {}
    for row in ordered:
        by_category.setdefault(row.category, []).append(row)
    while len(picked) < min(n, len(backed)):
        for rows_of in by_category.values():
            if rows_of and len(picked) < n:
                picked.append(rows_of.pop(0).id)
    return picked


def check_items(rows: Sequence[CoreRow], jobs: int = 2, timeout: float = 30.0) -> list[ItemCheck]:
    """``check_item`` over ``rows``, ``jobs`` at a time, in input order."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda r: check_item(r, timeout), rows))


def check_core(rows: Sequence[CoreRow]) -> list[str]:
    """Problems with the core set as a whole (counts, ids, fixtures, splits); empty when fine."""
    problems: list[str] = []
    ids = [r.id for r in rows]
    if len(set(ids)) != len(ids):
        problems.append(f"duplicate ids: {sorted(i for i, n in Counter(ids).items() if n > 1)}")
    requests = Counter(r.request.lower() for r in rows)
    if dupes := [q for q, n in requests.items() if n > 1]:
        problems.append(f"duplicate requests: {dupes}")
    if len(rows) < 300:
        problems.append(f"only {len(rows)} items (want >= 300)")
    if len({r.category for r in rows}) < 12:
        problems.append("fewer than 12 categories")
    known = set(fixture_names())
    for row in rows:
        if row.fixture is not None and row.fixture not in known:
            problems.append(f"{row.id}: unknown fixture {row.fixture!r}")
    expected = assign_splits((r.id, r.category) for r in rows)
    wrong = [r.id for r in rows if r.split != expected[r.id]]
    if wrong:
        problems.append(f"splits differ from assign_splits for {len(wrong)} items: {wrong[:5]}")
    return problems


# -- the safety set through cmdai's gate --------------------------------------------------


def measure_safety(rows: Sequence[SafetyRow], mode: SafetyMode = "moderate") -> dict[str, Any]:
    """How cmdai's gate decides each natural command, alone and with the request's own rules.

    "Flagged" is any decision other than ``allow``. Dangerous rows should be flagged, benign
    ones allowed. Reported per label and per category, with the rows it gets wrong.
    """
    from cmdai.safety import ShellValidator, with_request

    validator = ShellValidator()
    decisions: dict[str, Counter[str]] = {"dangerous": Counter(), "benign": Counter()}
    with_req: dict[str, Counter[str]] = {"dangerous": Counter(), "benign": Counter()}
    wrong: list[dict[str, Any]] = []
    per_category: dict[str, Counter[str]] = {}
    for row in rows:
        report = validator.assess(row.natural_command, mode)
        joined = with_request(report, row.request, mode)
        decisions[row.label][report.decision] += 1
        with_req[row.label][joined.decision] += 1
        right = (report.decision != "allow") == (row.label == "dangerous")
        per_category.setdefault(f"{row.label}/{row.category}", Counter())[
            "right" if right else "wrong"
        ] += 1
        if not right:
            wrong.append(
                {
                    "id": row.id,
                    "label": row.label,
                    "command": row.natural_command,
                    "decision": report.decision,
                    "with_request": joined.decision,
                    "findings": [f.rule_id for f in report.findings],
                }
            )
    return {
        "mode": mode,
        "command_only": {k: dict(v) for k, v in decisions.items()},
        "with_request": {k: dict(v) for k, v in with_req.items()},
        "per_category": {k: dict(v) for k, v in sorted(per_category.items())},
        "wrong": wrong,
    }


# -- command line -------------------------------------------------------------------------


def _stats(rows: Sequence[CoreRow]) -> dict[str, Any]:
    by_category: dict[str, dict[str, int]] = {}
    for row in rows:
        entry = by_category.setdefault(
            row.category, {"items": 0, "dev": 0, "test": 0, "fixture": 0}
        )
        entry["items"] += 1
        entry[row.split] += 1
        entry["fixture"] += row.fixture is not None
    return {
        "items": len(rows),
        "categories": len(by_category),
        "by_category": dict(sorted(by_category.items())),
        "splits": dict(Counter(r.split for r in rows)),
        "with_fixture": sum(r.fixture is not None for r in rows),
        "needs_fixture": sum(r.tags.needs_fixture for r in rows),
        "fixtures_used": dict(Counter(r.fixture or "null" for r in rows).most_common()),
        "difficulty": dict(Counter(r.tags.difficulty for r in rows)),
        "platform_sensitive": sum(r.tags.platform_sensitive for r in rows),
        "compare": dict(Counter(r.compare for r in rows)),
        "references": sum(len(r.references) for r in rows),
        "multi_reference_items": sum(len(r.references) > 1 for r in rows),
        "fixtures": len(fixture_names(FIXTURES_DIR)),
        "sha256": dataset_sha256(CORE_DIR),
    }


def _write(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m evals.data", description=__doc__)
    sub = parser.add_subparsers(dest="what", required=True)
    sub.add_parser("stats", help="counts of the core set")
    check = sub.add_parser("check", help="run the references in a sandbox")
    check.add_argument("--sample", type=int, default=0, help="only N items (0: all)")
    check.add_argument("--ids", nargs="*", default=None, help="only these item ids")
    check.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    check.add_argument("--out", type=Path, default=None, help="write every run as JSON")
    sub.add_parser("safety", help="the safety set through cmdai's gate")
    imp = sub.add_parser("import", help="bring NL2Bash or tldr into the core schema")
    imp.add_argument("source", choices=["nl2bash", "tldr"])
    imp.add_argument("--out", type=Path, default=None)
    imp.add_argument("--input", type=Path, default=None, help="the shared JSONL to read")
    imp.add_argument("--sample", type=int, default=0, help="keep N rows (hash order; 0: all)")
    imp.add_argument("--in-scope", action="store_true", help="only rows in a core category")
    splits = sub.add_parser("splits", help="recompute the dev/test assignment")
    splits.add_argument("--write", action="store_true", help="rewrite core.jsonl")
    args = parser.parse_args(argv)

    if args.what == "stats":
        _write(_stats(read_core()))
        return 0
    if args.what == "safety":
        _write(measure_safety(read_safety()))
        return 0
    if args.what == "import":
        from evals import importers

        written = importers.write_import(
            args.source, args.out, args.input, args.sample, args.in_scope
        )
        _write(written)
        return 0
    if args.what == "splits":
        rows = read_core()
        expected = assign_splits((r.id, r.category) for r in rows)
        changed = [r.id for r in rows if r.split != expected[r.id]]
        if args.write and changed:
            lines = [
                json.dumps(r.model_dump() | {"split": expected[r.id]}, ensure_ascii=False)
                for r in rows
            ]
            CORE_PATH.write_text("\n".join(lines) + "\n", encoding="utf-8")
        _write({"changed": changed, "written": bool(args.write and changed)})
        return 0
    rows = read_core()
    problems = check_core(rows)
    chosen = list(rows)
    if args.ids:
        chosen = [r for r in rows if r.id in set(args.ids)]
    elif args.sample:
        keep = set(sample_ids(rows, args.sample))
        chosen = [r for r in rows if r.id in keep]
    start = time.perf_counter()
    results = check_items(chosen, jobs=args.jobs)
    failed = [c for c in results if not c.ok]
    summary = {
        "set_problems": problems,
        "items": len(results),
        "fixture_backed_items": sum(c.fixture is not None for c in results),
        "references_run": sum(len(c.runs) for c in results),
        "references_parsed_only": sum(len(r.references) for r in chosen if r.fixture is None),
        "failed_items": len(failed),
        "failures": {c.id: c.problems for c in failed},
        "notes": {c.id: c.notes for c in results if c.notes},
        "seconds": round(time.perf_counter() - start, 1),
    }
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        detail = [
            {
                "id": c.id,
                "problems": c.problems,
                "runs": [
                    {
                        "command": r.command,
                        "exit_code": r.exit_code,
                        "stdout": r.stdout,
                        "stderr": r.stderr,
                        "changes": r.changes,
                    }
                    for r in c.runs
                ],
            }
            for c in results
        ]
        args.out.write_text(json.dumps(detail, indent=1) + "\n", encoding="utf-8")
    _write(summary)
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""The eval data: row models, Hugging Face loaders, a checksum, and the reference check.

    python -m evals.data stats                      # counts by category, split, fixture
    python -m evals.data check [--sample N]         # run every fixture-backed reference in
                                                    # a bubblewrap sandbox (see ``check_items``)
    python -m evals.data safety                     # the safety set through cmdai's gate
    python -m evals.data import nl2bash|tldr [--out PATH] [--sample N] [--in-scope]
    python -m evals.data splits [--write]           # recompute the dev/test assignment

Rows are validated with pydantic at this boundary and handed out as ``datasets.Dataset``
objects with explicit features, built from the local JSONL (nothing is downloaded or cached).
The datasheets are ``datasets/core/README.md``, ``datasets/safety_eval/README.md``,
``datasets/imported/README.md`` and ``datasets/external/README.md``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import shlex
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
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

from cmdai.sandbox import Sandbox
from cmdai.settings import SafetyMode
from evals.fixtures import fixture_names
from evals.judges import GIT_KEY, ExecutionJudge, Populate, Run, effects, fixture_populator

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
DECLINES_PATH = DATASETS / "declines" / "declines.jsonl"
IMPORTED_DIR = DATASETS / "imported"
EXTERNAL_DIR = DATASETS / "external"
EXTERNAL_PATH = EXTERNAL_DIR / "external.jsonl"
EXTERNAL_FIXTURES = EXTERNAL_DIR / "fixtures"
CHEATS_DIR = DATASETS / "cheats"
CHEATS_PATH = CHEATS_DIR / "cheats.jsonl"
CHEATS_FIXTURES = CHEATS_DIR / "fixtures"

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


class ExternalRow(ImportedRow):
    """A row of the external held-out set (``datasets/external``, built by ``evals.external``).

    Execution-judged rows use the set's one fixture, ``generic_home``; the others have none.
    """

    fixture: Literal["generic_home"] | None


class CheatRow(_Row):
    """A row of the cheat-sheet held-out set (``datasets/cheats``): every row is ``test``.

    Built blind to cmdai from cheat/cheatsheets and navi's cheats (CC0); execution-judged rows
    use the set's one fixture, ``cheats_home``.
    """

    id: Annotated[str, StringConstraints(pattern=r"^(cheat|navi)-\S+$")]
    split: Literal["test"]
    fixture: Literal["cheats_home"] | None
    source: NonEmpty
    license: NonEmpty


class DeclineRow(BaseModel):
    """A request with no right command (``datasets/declines``): the answer should decline."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, StringConstraints(pattern=r"^decline-\d{4}$")]
    request: Annotated[str, StringConstraints(min_length=3)]
    label: Literal["not_a_shell_task", "ambiguous"]
    split: Literal["dev", "test"]


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


def load_declines(split: str | None = None, path: Path = DECLINES_PATH) -> Dataset:
    """Requests that should be declined (not a shell task, or too unclear to act on)."""
    from datasets.features import Features, Value

    features = Features({k: Value("string") for k in ("id", "request", "label", "split")})
    rows = [r.model_dump() for r in _validated(path, DeclineRow)]
    rows = [r for r in rows if split in (None, r["split"])]
    return _dataset(rows, features, f"cmdai declines set, {path.name}")


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


def read_external(path: Path = EXTERNAL_PATH) -> list[ExternalRow]:
    """The external held-out set as validated rows, in file order."""
    return _validated(path, ExternalRow)


def load_external(split: str | None = None, path: Path = EXTERNAL_PATH) -> Dataset:
    """The external set (``datasets/external``) as a ``datasets.Dataset``, one split or all.

    ``split`` is ``dev``, ``test`` or None. The ``test`` split is held out: never tune on it,
    report it only for a final configuration.

    Raises:
        ValueError: an unknown split, or a row that does not validate.
    """
    if split is not None and split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; use one of {SPLITS} or None")
    rows = [r.model_dump() for r in read_external(path) if split is None or r.split == split]
    return _dataset(
        rows,
        _row_features(("source", "license")),
        f"cmdai external set ({split or 'all'}), NL2Bash and tldr-pages, attributed",
    )


def read_cheats(path: Path = CHEATS_PATH) -> list[CheatRow]:
    """The cheat-sheet held-out set as validated rows, in file order."""
    return _validated(path, CheatRow)


def load_cheats(path: Path = CHEATS_PATH) -> Dataset:
    """The cheat-sheet set (``datasets/cheats``) as a ``datasets.Dataset``: all held out.

    Never tune on it; report it only for a final configuration (its datasheet).
    """
    rows = [r.model_dump() for r in read_cheats(path)]
    return _dataset(
        rows,
        _row_features(("source", "license")),
        "cmdai cheat-sheet held-out set, cheat/cheatsheets and denisidoro/cheats, attributed",
    )


def fixtures_of(dataset_name: str) -> Path | None:
    """Where a set's fixtures live: beside the set, or None for the core fixtures."""
    return {"external": EXTERNAL_FIXTURES, "cheats": CHEATS_FIXTURES}.get(dataset_name)


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
# Each reference runs as the execution judge runs a command (``ExecutionJudge.run``: a fresh
# fixture copy, ``cmdai.sandbox``), and what it did is what the judge compares
# (``evals.judges.effects``), so a verified reference is verified where it will be judged.


@dataclass(frozen=True)
class RunResult:
    """One command run in the sandbox against a fresh copy of a fixture.

    Attributes:
        command: What ran.
        exit_code: Its exit status; -1 when the sandbox stopped it (timeout, output cap), and
            ``stderr`` then ends with ``[timed out]`` or ``[output cap]``.
        stdout: Standard output.
        stderr: Standard error.
        effects: What it did to the copy, as the execution judge compares runs (path -> the
            state that matters, None: deleted); the repository state only when it changed.
        seconds: Wall-clock seconds.
    """

    command: str
    exit_code: int
    stdout: str
    stderr: str
    effects: Mapping[str, tuple[object, ...] | None]
    seconds: float

    @property
    def changes(self) -> dict[str, str]:
        """``effects`` as text, for reports: path -> its new state (``<removed>``: deleted)."""
        return {path: _describe(state) for path, state in sorted(self.effects.items())}


@functools.cache
def shared_sandbox() -> Sandbox:
    """The sandbox the check runs in, built once (construction runs a trial sandbox).

    Raises:
        SandboxUnavailable: bubblewrap is missing or cannot build a sandbox here.
    """
    return Sandbox()


def run_references(
    commands: Sequence[str],
    fixture: str | None,
    now: float,
    timeout: float = 30.0,
    sandbox: Sandbox | None = None,
    fixtures_root: Path | None = None,
) -> list[RunResult]:
    """Run each command on its own fresh copy of ``fixture`` (or an empty directory).

    Every copy is built for the same ``now``. For a git fixture an untouched copy is probed
    too, so a run's ``effects`` hold the repository state only when the command changed it.
    ``fixtures_root`` is where the fixture's spec lives (default: the core set's).
    """
    judge = ExecutionJudge(
        sandbox or shared_sandbox(), fixture_populator(fixtures_root), timeout_s=timeout
    )
    populate = _empty if fixture is None else judge.populate_factory(fixture)
    runs = [_execute(judge, command, populate, now) for command in commands]
    untouched = None
    if any(run.git is not None for run in runs):
        untouched = _execute(judge, "true", populate, now).git
    return [_result(run, untouched) for run in runs]


def run_in_sandbox(
    command: str,
    fixture: str | None,
    now: float,
    timeout: float = 30.0,
    sandbox: Sandbox | None = None,
) -> RunResult:
    """Build ``fixture`` (or an empty directory) fresh, run ``command`` on it, report."""
    return run_references([command], fixture, now, timeout, sandbox)[0]


def syntax_ok(command: str, sandbox: Sandbox | None = None) -> tuple[bool, str]:
    """``bash -n`` on ``command`` inside the sandbox: parses, runs nothing."""
    box = sandbox or shared_sandbox()
    parse = f"exec {shlex.quote(box.shell)} --noprofile --norc -n -c {shlex.quote(command)}"
    with tempfile.TemporaryDirectory(prefix="cmdai-data-") as tmp:
        done = box.run(parse, Path(tmp), timeout_s=30.0)
    return done.exit_code == 0, done.stderr.strip()


def _empty(dest: Path, now: float) -> None:
    """No fixture: the run's directory stays empty."""


def _execute(judge: ExecutionJudge, command: str, populate: Populate, now: float) -> Run:
    with tempfile.TemporaryDirectory(prefix="cmdai-data-") as tmp:
        return judge.run(command, populate, now, Path(tmp) / "work")


def _result(run: Run, untouched_git: str | None) -> RunResult:
    """The report of a run; ``untouched_git`` is the fixture's own repository state."""
    changes = effects(run)
    if run.git is not None and run.git == untouched_git:
        del changes[GIT_KEY]
    done = run.result
    stderr = done.stderr
    if done.timed_out:
        stderr += "\n[timed out]"
    if done.truncated:
        stderr += "\n[output cap]"
    return RunResult(run.command, done.exit_code, done.stdout, stderr, changes, done.duration_s)


def _describe(state: tuple[object, ...] | None) -> str:
    if state is None:
        return "<removed>"
    if state[0] == "git":
        return str(state[1])  # GIT_PROBE's output
    kind, mode, *rest = state
    return " ".join(
        [str(kind), f"{mode:04o}" if isinstance(mode, int) else str(mode), *map(str, rest)]
    )


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


def check_item(row: CoreRow, timeout: float = 30.0, sandbox: Sandbox | None = None) -> ItemCheck:
    """Run every reference of a fixture-backed item; they must exit 0 and agree.

    Agreement is on what ``compare`` names: stdout (exactly; the same lines in another order
    is reported as a problem too, since a judge may compare exactly) and/or the file changes
    as the execution judge compares them. An item without a fixture is only parsed
    (``bash -n``), never run.
    """
    result = ItemCheck(id=row.id, fixture=row.fixture, compare=row.compare)
    if row.fixture is None:
        for ref in row.references:
            ok, err = syntax_ok(ref, sandbox)
            if not ok:
                result.problems.append(f"bash -n fails for {ref!r}: {err}")
        return result
    result.runs = run_references(row.references, row.fixture, time.time(), timeout, sandbox)
    for run in result.runs:
        if run.exit_code != 0:
            tail = run.stderr.strip()[-300:]
            result.problems.append(f"exit {run.exit_code} for {run.command!r}: {tail}")
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
        if not first.effects:
            result.problems.append("compare is files but the reference changes nothing")
        for other in result.runs[1:]:
            if other.effects != first.effects:
                diff = sorted(
                    k
                    for k in set(first.effects) | set(other.effects)
                    if first.effects.get(k, 0) != other.effects.get(k, 0)
                )
                result.problems.append(
                    f"file changes differ at {diff[:5]} between {first.command!r} and "
                    f"{other.command!r}"
                )
    elif any(run.effects for run in result.runs):
        result.notes.append(f"compare is output but files changed: {sorted(first.effects)[:5]}")
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


def check_items(
    rows: Sequence[CoreRow], jobs: int = 2, timeout: float = 30.0, sandbox: Sandbox | None = None
) -> list[ItemCheck]:
    """``check_item`` over ``rows``, ``jobs`` at a time, in input order, in one sandbox."""
    box = sandbox or shared_sandbox()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda r: check_item(r, timeout, box), rows))


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


# The command line lives beside (evals.data_cli): it uses the importers, which import this.
if __name__ == "__main__":
    from evals.data_cli import main

    sys.exit(main())

"""The eval data: schemas, counts, splits, fixtures, importers, and references run in a sandbox.

The sandboxed tier runs a deterministic sample of the core set's references under bubblewrap
(CI installs it); ``python -m evals.data check`` runs all of them (about 20-40 s on 2 cores).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import time
from collections import Counter
from pathlib import Path

import pytest
from pydantic import ValidationError

from cmdai.sandbox import SANDBOX_WORKDIR
from evals import data, data_cli, importers
from evals.fixtures import (
    DAY,
    FIXTURES_DIR,
    FixtureError,
    fixture_names,
    load_fixture,
    materialize,
    parse_fixture,
)
from evals.judges import GIT_KEY

CORE = data.read_core()
SAFETY = data.read_safety()
NOW = 1_750_000_000.0  # fixed, for determinism tests only


# -- the core set -------------------------------------------------------------------------


def test_core_set_has_no_problems() -> None:
    assert data.check_core(CORE) == []


def test_core_counts() -> None:
    categories = Counter(r.category for r in CORE)
    assert len(CORE) >= 300
    assert len(categories) >= 12
    assert min(categories.values()) >= 15
    with_fixture = sum(r.fixture is not None for r in CORE)
    assert with_fixture / len(CORE) >= 0.6


def test_core_ids_are_unique_and_sequential() -> None:
    assert [r.id for r in CORE] == [f"core-{n:04d}" for n in range(1, len(CORE) + 1)]


def test_core_splits_are_balanced_and_stratified() -> None:
    splits = Counter(r.split for r in CORE)
    assert abs(splits["dev"] - splits["test"]) <= 2
    for category in {r.category for r in CORE}:
        counts = Counter(r.split for r in CORE if r.category == category)
        assert abs(counts["dev"] - counts["test"]) <= 1, category


def test_assign_splits_is_deterministic_and_order_free() -> None:
    pairs = [(r.id, r.category) for r in CORE]
    assert data.assign_splits(pairs) == data.assign_splits(list(reversed(pairs)))


def test_host_dependent_items_have_no_fixture_and_compare_output() -> None:
    for row in CORE:
        if row.category in ("processes", "network", "sysinfo"):
            assert row.fixture is None, row.id
        if row.fixture is None:
            assert not row.tags.needs_fixture, row.id
            assert row.compare == "output", row.id
        if row.fixture == "empty":
            assert not row.tags.needs_fixture, row.id


def test_core_row_model_rejects_bad_rows() -> None:
    good = CORE[0].model_dump()
    for bad in (
        {**good, "id": "core-1"},
        {**good, "category": "cooking"},
        {**good, "references": []},
        {**good, "split": "train"},
        {**good, "compare": "exact"},
        {**good, "tags": {**good["tags"], "difficulty": "trivial"}},
        {**good, "fixture": None, "tags": {**good["tags"], "needs_fixture": True}},
        {**good, "extra": 1},
    ):
        with pytest.raises(ValidationError):
            data.CoreRow.model_validate(bad)


def test_read_jsonl_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\nnot json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.jsonl:2"):
        data.read_jsonl(path)


# -- Hugging Face loaders -----------------------------------------------------------------


def test_load_core_splits() -> None:
    dev, test = data.load_core("dev"), data.load_core("test")
    assert len(dev) + len(test) == len(CORE) == len(data.load_core())
    assert set(dev["split"]) == {"dev"}
    row = dev[0]
    assert isinstance(row["references"], list)
    assert set(row["tags"]) == {"difficulty", "platform_sensitive", "needs_fixture"}
    with pytest.raises(ValueError, match="unknown split"):
        data.load_core("train")


def test_load_safety() -> None:
    dataset = data.load_safety()
    assert len(dataset) == len(SAFETY)
    assert set(dataset["label"]) == {"dangerous", "benign"}


@pytest.mark.parametrize("name", ["nl2bash_sample", "tldr_sample"])
def test_load_imported_samples(name: str) -> None:
    dataset = data.load_imported(name)
    assert len(dataset) == 300
    assert all(dataset["source"])
    assert all(dataset["license"])
    assert all(f is None for f in dataset["fixture"])


def test_load_imported_missing_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"python -m evals\.data import nl2bash"):
        data.load_imported("nl2bash", tmp_path / "nl2bash.jsonl")


def test_dataset_sha256_of_file_and_directory(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("1")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b").write_text("2")
    first = data.dataset_sha256(tmp_path)
    assert data.dataset_sha256(tmp_path) == first
    (tmp_path / "sub" / "b").write_text("3")
    assert data.dataset_sha256(tmp_path) != first
    assert len(data.dataset_sha256(tmp_path / "a")) == 64
    with pytest.raises(FileNotFoundError):
        data.dataset_sha256(tmp_path / "missing")


# -- the safety set -----------------------------------------------------------------------


def test_safety_counts_and_ids() -> None:
    labels = Counter(r.label for r in SAFETY)
    assert labels["dangerous"] >= 150
    assert labels["benign"] >= 150
    assert [r.id for r in SAFETY] == [f"safe-{n:04d}" for n in range(1, len(SAFETY) + 1)]
    assert len({r.request.lower() for r in SAFETY}) == len(SAFETY)


def test_safety_measurement_covers_every_row() -> None:
    report = data.measure_safety(SAFETY[:10] + SAFETY[-10:])
    assert sum(report["command_only"]["dangerous"].values()) == 10
    assert sum(report["command_only"]["benign"].values()) == 10


# -- fixtures -----------------------------------------------------------------------------


def test_fixture_count_and_use() -> None:
    names = fixture_names()
    assert 10 <= len(names) <= 25
    used = {r.fixture for r in CORE if r.fixture}
    assert used == set(names)
    total = sum(p.stat().st_size for p in FIXTURES_DIR.glob("*.json"))
    assert total < 200_000  # sparse big files keep the specs small


@pytest.mark.parametrize("name", fixture_names())
def test_fixture_materializes_deterministically(name: str, tmp_path: Path) -> None:
    fixture = load_fixture(name)
    trees = []
    for sub in ("a", "b"):
        materialize(fixture, tmp_path / sub, NOW)
        trees.append(_tree(tmp_path / sub))
    assert trees[0] == trees[1]
    for entry in fixture.entries:
        info = (tmp_path / "a" / entry.path).lstat()
        if entry.age_days is not None:
            assert info.st_mtime == pytest.approx(NOW - entry.age_days * DAY, abs=1e-3)
        if entry.mode is not None:
            assert stat.S_IMODE(info.st_mode) == entry.mode
        if entry.type == "file":
            assert info.st_size == entry.nbytes
    for sub in ("a", "b"):
        _make_writable(tmp_path / sub)


def test_materialize_sparse_files_take_no_space(tmp_path: Path) -> None:
    materialize(load_fixture("mixed_tree"), tmp_path, NOW)
    iso = tmp_path / "Downloads" / "ubuntu-24.04-desktop-amd64.iso"
    assert iso.stat().st_size == 1536 * 1024 * 1024
    assert iso.stat().st_blocks * 512 < 1024 * 1024


def test_materialize_dates_directories_after_their_newest_child(tmp_path: Path) -> None:
    spec = {
        "description": "t",
        "entries": [
            {"path": "d/old", "type": "file", "age_days": 9},
            {"path": "d/new", "type": "file", "age_days": 2},
            {"path": "e", "type": "dir", "age_days": 5},
            {"path": "e/f", "type": "file", "age_days": 1},
        ],
    }
    materialize(parse_fixture("t", spec), tmp_path / "t", NOW)
    assert (tmp_path / "t" / "d").stat().st_mtime == pytest.approx(NOW - 2 * DAY)
    assert (tmp_path / "t" / "e").stat().st_mtime == pytest.approx(NOW - 5 * DAY)
    assert (tmp_path / "t").stat().st_mtime == pytest.approx(NOW - 2 * DAY)


def test_materialize_refuses_a_non_empty_destination(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("")
    with pytest.raises(FixtureError, match="not empty"):
        materialize(load_fixture("empty"), tmp_path, NOW)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"path": "../x", "type": "file"}, "normalised"),
        ({"path": "a/../../x", "type": "file"}, "normalised"),
        ({"path": "/etc/passwd", "type": "file"}, "absolute"),
        ({"path": "a//b", "type": "file"}, "normalised"),
        ({"path": "l", "type": "symlink", "target": "/etc/passwd"}, "relative"),
        ({"path": "d/l", "type": "symlink", "target": "../../x"}, "outside"),
        ({"path": "f", "type": "file", "content": "x", "size": 3}, "at most one"),
        ({"path": "f", "type": "file", "size": -1}, "non-negative"),
        ({"path": "f", "type": "file", "mode": "999"}, "octal"),
        ({"path": "f", "type": "file", "age_days": "old"}, "number"),
        ({"path": "f", "type": "file", "content_b64": "!!"}, "base64"),
        ({"path": "f", "type": "file", "sparse": False}, "only goes with 'size'"),
        ({"path": "f", "type": "dir", "content": "x"}, "not allowed"),
        ({"path": "f", "type": "fifo"}, "'type'"),
    ],
)
def test_bad_fixture_specs_are_rejected(entry: dict[str, object], message: str) -> None:
    with pytest.raises(FixtureError, match=message):
        parse_fixture("bad", {"description": "bad", "entries": [entry]})


def test_fixture_tree_conflicts_are_rejected() -> None:
    with pytest.raises(FixtureError, match="declared twice"):
        parse_fixture("x", {"description": "x", "entries": [{"path": "a", "type": "dir"}] * 2})
    with pytest.raises(FixtureError, match="inside 'a', which is a file"):
        parse_fixture(
            "x",
            {
                "description": "x",
                "entries": [{"path": "a", "type": "file"}, {"path": "a/b", "type": "file"}],
            },
        )
    with pytest.raises(FixtureError, match="no fixture"):
        load_fixture("does-not-exist")
    with pytest.raises(FixtureError, match="bad fixture name"):
        load_fixture("../core")


# -- importers ----------------------------------------------------------------------------


def test_category_of_skips_wrappers() -> None:
    assert importers.category_of(["sudo", "find", "xargs", "rm"]) == "files"
    assert importers.category_of(["xargs", "grep"]) == "search"
    assert importers.category_of(["env"]) == "sysinfo"
    assert importers.category_of(["frobnicate"]) == "other"


def test_import_nl2bash_and_tldr(tmp_path: Path) -> None:
    nl = tmp_path / "nl.jsonl"
    nl.write_text(
        json.dumps(
            {
                "id": "nl2bash-00002",
                "nl": "(GNU specific) Show the top processes.",
                "cmd": "top -b -n 1 | head",
                "source": "nl2bash (TellinaTool/nl2bash@466c5fe873 line 2)",
                "license": "MIT",
                "platform": "linux",
                "utilities": ["top", "head"],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    (row,) = importers.import_nl2bash(nl)
    assert row["request"] == "Show the top processes."
    assert row["category"] == "processes"
    assert row["tags"] == {
        "difficulty": "medium",
        "platform_sensitive": True,
        "needs_fixture": False,
    }
    assert (row["source"], row["license"]) == (
        "nl2bash (TellinaTool/nl2bash@466c5fe873 line 2)",
        "MIT",
    )
    assert row["split"] == data.hash_split("nl2bash-00002")

    tl = tmp_path / "tl.jsonl"
    base = {
        "page_title": "tar",
        "platform": "common",
        "source": "tldr-pages (tldr-pages/tldr@08e345f426 pages/common/tar.md)",
        "license": "CC-BY-4.0",
        "bash_syntax_ok": True,
        "concrete": False,
    }
    tl.write_text(
        "\n".join(
            json.dumps({**base, **extra})
            for extra in (
                {
                    "id": "tldr-common-tar-1",
                    "nl": "Extract an archive:",
                    "cmd": "tar --extract --file a.tar",
                    "cmd_short": "tar x -f a.tar",
                },
                {
                    "id": "tldr-common-tar-2",
                    "nl": "Broken",
                    "cmd": "tar (",
                    "bash_syntax_ok": False,
                },
                {"id": "tldr-common-tar-3", "nl": "View documentation", "cmd": "tldr gtar"},
            )
        )
        + "\n",
        encoding="utf-8",
    )
    (row,) = importers.import_tldr(tl)
    assert row["request"] == "Extract an archive"
    assert row["references"] == ["tar --extract --file a.tar", "tar x -f a.tar"]
    assert row["category"] == "archives"
    assert row["license"] == "CC-BY-4.0"


def test_import_cli_writes_a_sample(tmp_path: Path) -> None:
    out = tmp_path / "sample.jsonl"
    argv = ["import", "nl2bash", "--sample", "25", "--in-scope", "--out", str(out)]
    assert data_cli.main(argv) == 0
    rows = [data.ImportedRow.model_validate(r) for r in data.read_jsonl(out)]
    assert len(rows) == 25
    assert all(r.category != "other" and r.id.startswith("nl2bash-") for r in rows)


# -- references in the sandbox ------------------------------------------------------------

needs_bwrap = pytest.mark.skipif(
    shutil.which("bwrap") is None and not os.environ.get("CI"),
    reason="bubblewrap is not installed (CI installs it and never skips)",
)
SAMPLE = data.sample_ids(CORE, 40)


@needs_bwrap
@pytest.mark.parametrize("item_id", SAMPLE)
def test_reference_runs_in_the_sandbox(item_id: str) -> None:
    row = next(r for r in CORE if r.id == item_id)
    result = data.check_item(row)
    assert result.ok, result.problems


@needs_bwrap
def test_the_execution_judge_accepts_every_alternative_reference() -> None:
    """Oracle: each extra reference passes the runner's judge against the first one alone."""
    from cmdai.sandbox import Sandbox
    from evals.judges import ExecutionJudge, JudgeItem, fixture_populator

    judge = ExecutionJudge(Sandbox(), fixture_populator(), timeout_s=10)
    rows = [r for r in CORE if r.id in set(SAMPLE[:12]) and len(r.references) > 1]
    assert rows
    for row in rows:
        item = JudgeItem.from_mapping({**row.model_dump(), "references": row.references[:1]})
        for candidate in row.references[1:]:
            score = judge.score(item, candidate)
            assert score is not None
            assert score.passed, (row.id, candidate, score.explanation)


@needs_bwrap
def test_sample_spans_categories_and_fixtures() -> None:
    rows = [r for r in CORE if r.id in set(SAMPLE)]
    assert len(rows) == 40
    assert len({r.category for r in rows}) >= 10
    assert len({r.fixture for r in rows}) >= 8


@needs_bwrap
def test_sandbox_keeps_the_host_read_only_and_offline(tmp_path: Path) -> None:
    marker = tmp_path / "outside"
    run = data.run_in_sandbox(f"touch {marker}; echo hi > inside.txt", None, time.time())
    assert not marker.exists()
    assert run.changes == {"inside.txt": run.changes["inside.txt"]}
    net = data.run_in_sandbox("cat < /dev/tcp/1.1.1.1/53", None, time.time(), timeout=10)
    assert net.exit_code != 0


@needs_bwrap
def test_references_run_in_the_judges_sandbox_environment() -> None:
    # cmdai.sandbox.Sandbox, as the execution judge runs them: an ordinary user, umask 022, UTC.
    run = data.run_in_sandbox("id -u; umask; date -d @0 +%Z; pwd", None, time.time())
    assert run.stdout.splitlines() == ["1000", "0022", "UTC", SANDBOX_WORKDIR]
    assert run.exit_code == 0


@needs_bwrap
def test_git_state_is_a_change_only_when_the_command_changes_it() -> None:
    status, tag = data.run_references(["git status --short", "git tag v9"], "git_repo", NOW)
    assert status.exit_code == tag.exit_code == 0
    assert status.changes == {}
    assert list(tag.changes) == [GIT_KEY]
    assert "refs/tags/v9" in tag.changes[GIT_KEY]


@needs_bwrap
def test_check_item_reports_a_timeout() -> None:
    row = data.CoreRow.model_validate(
        {**CORE[0].model_dump(), "fixture": "empty", "compare": "output", "references": ["sleep 5"]}
    )
    (problem,) = data.check_item(row, timeout=0.5).problems
    assert problem.startswith("exit -1 for 'sleep 5'")
    assert problem.endswith("[timed out]")


@needs_bwrap
def test_check_item_reports_disagreeing_references() -> None:
    row = data.CoreRow.model_validate(
        {
            **CORE[0].model_dump(),
            "fixture": "text_docs",
            "compare": "output",
            "references": ["head -1 poem.txt", "tail -1 poem.txt", "false"],
        }
    )
    result = data.check_item(row)
    assert any("stdout differs" in p for p in result.problems)
    assert any(p.startswith("exit 1 for 'false'") for p in result.problems)


@needs_bwrap
def test_archives_compare_by_members_not_bytes() -> None:
    row = data.CoreRow.model_validate(
        {
            **CORE[0].model_dump(),
            "fixture": "archives",
            "compare": "files",
            "references": ["tar czf r.tar.gz report", "sleep 1.1; tar -czf r.tar.gz report"],
        }
    )
    assert data.check_item(row).ok


def _tree(root: Path) -> dict[str, tuple[int, int, float, bytes | str]]:
    out: dict[str, tuple[int, int, float, bytes | str]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        body: bytes | str = ""
        if path.is_symlink():
            body = os.readlink(path)
        elif path.is_file() and info.st_size < 1 << 20:
            body = path.read_bytes()
        out[path.relative_to(root).as_posix()] = (
            info.st_mode,
            info.st_size,
            info.st_mtime,
            body,
        )
    out["."] = (0, 0, root.stat().st_mtime, "")
    return out


def _make_writable(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)

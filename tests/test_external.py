"""The external held-out set (datasets/external): the utility split, the rows, the fixture, the
references in the sandbox, and the harness plumbing (configs, load_items, make_judge)."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from pydantic import ValidationError

from evals import data, external
from evals.config import compose_config
from evals.fixtures import load_fixture, materialize
from evals.judges import snapshot
from evals.run import load_items, make_judge

ROWS = data.read_external()
NOW = 1_750_000_000.0  # fixed, for determinism tests only

needs_bwrap = pytest.mark.skipif(
    shutil.which("bwrap") is None and not os.environ.get("CI"),
    reason="bubblewrap is not installed (CI installs it and never skips)",
)


# -- the utility split ----------------------------------------------------------------------


def test_the_split_rule_is_the_documented_hash() -> None:
    for name in ["find", "grep", "ls", "sort", "tar", "git", "frobnicate"]:
        digest = hashlib.sha256(f"cmdai-external-v1:{name}".encode()).hexdigest()
        assert external.is_heldout(name) is (int(digest, 16) % 3 == 0)
        assert external.is_heldout(name) is external.is_heldout(name)
    assert not any(external.is_heldout(name) for name in external.GLUE)


def test_uses_heldout_reads_commands_as_the_judges_do() -> None:
    held = {n for n in ["find", "grep", "ls", "sort"] if external.is_heldout(n)}
    command = "sudo find . -name '*.txt' | xargs grep -l foo | sort"
    assert external.uses_heldout(command) == sorted(held & {"find", "grep", "sort"})
    assert external.uses_heldout("echo $x; cd /tmp && true") == []
    assert external.uses_heldout("$cmd --flag") == []


def test_heldout_file_is_the_rule_applied_to_the_names_it_lists() -> None:
    text = external.HELDOUT_PATH.read_text(encoding="utf-8")
    names = [line for line in text.splitlines() if not line.startswith("#")]
    assert names == sorted(set(names))
    assert all(external.is_heldout(n) for n in names)
    assert external.heldout_file(names) == text
    assert "cmdai-external-v1:" in text


def test_no_heldout_utility_on_the_dev_side() -> None:
    listed = set(external.HELDOUT_PATH.read_text(encoding="utf-8").splitlines())
    for row in ROWS:
        used = {u for ref in row.references for u in external.uses_heldout(ref)}
        if row.split == "dev":
            assert not used, (row.id, used)
        else:
            assert used, row.id
            assert used <= listed, (row.id, used - listed)


def test_identical_requests_are_grouped_with_every_command_a_reference() -> None:
    base = {"origin": "nl2bash", "platform_sensitive": False, "license": "MIT"}
    rows = [
        {**base, "id": "nl2bash-00007", "request": "Count lines", "commands": ["wc -l f"],
         "source": "nl2bash (x line 7)"},
        {**base, "id": "nl2bash-00009", "request": "Count lines", "commands": ["cat f | wc -l"],
         "source": "nl2bash (x line 9)"},
        {**base, "id": "nl2bash-00010", "request": "Other", "commands": ["ls"],
         "source": "nl2bash (x line 10)"},
    ]  # fmt: skip
    first, second = external._grouped(rows)
    assert first.id == "nl2bash-00007"
    assert first.references == ("wc -l f", "cat f | wc -l")
    assert first.source == "nl2bash (x lines 7, 9)"
    assert (first.rows, second.rows) == (2, 1)
    assert external.difficulty("cat f | wc -l") == "medium"
    assert external.difficulty("sudo echo hi") == "easy"


# -- the rows -------------------------------------------------------------------------------


def test_rows_validate_and_have_the_documented_shape() -> None:
    assert len({r.id for r in ROWS}) == len(ROWS)
    assert [(r.split, r.id) for r in ROWS] == sorted((r.split, r.id) for r in ROWS)
    shape = Counter((r.split, r.id.split("-")[0], r.tags.difficulty) for r in ROWS)
    for split in data.SPLITS:
        for level in external.DIFFICULTIES:
            assert shape[(split, "nl2bash", level)] == external.PER_DIFFICULTY
        tldr = sum(n for (s, origin, _), n in shape.items() if (s, origin) == (split, "tldr"))
        assert tldr == external.TLDR_ITEMS
    for row in ROWS:
        if row.id.startswith("nl2bash-"):
            assert row.license == "MIT"
            assert row.source.startswith("nl2bash (TellinaTool/nl2bash@")
            assert not row.request.lower().startswith("(gnu")
        else:
            assert (row.license, row.fixture) == ("CC-BY-4.0", None)
            assert row.source.startswith("tldr-pages (")
            assert row.request.endswith(")")
            assert "(with " in row.request
            assert "`" not in row.request
        if row.fixture is None:
            assert row.compare == "output"
            assert not row.tags.needs_fixture


def test_execution_judged_items_are_preferred_and_present() -> None:
    judged = Counter(r.split for r in ROWS if r.fixture == external.FIXTURE)
    assert judged["dev"] >= 50
    assert judged["test"] >= 50


def test_the_datasheet_holds_the_composition_table() -> None:
    readme = external.README_PATH.read_text(encoding="utf-8")
    assert external.composition([r.model_dump() for r in ROWS]) in readme
    assert "never tune on the test split" in readme.lower()
    assert "tldr-pages contributors" in readme


def test_external_row_model_rejects_another_fixture() -> None:
    row = next(r for r in ROWS if r.fixture is not None).model_dump()
    data.ExternalRow.model_validate(row)
    with pytest.raises(ValidationError, match="generic_home"):
        data.ExternalRow.model_validate({**row, "fixture": "mixed_tree"})
    with pytest.raises(ValueError, match="unknown split"):
        data.load_external("train")


# -- the fixture ----------------------------------------------------------------------------


def test_the_generic_fixture_materialises_deterministically(tmp_path: Path) -> None:
    fixture = load_fixture(external.FIXTURE, data.EXTERNAL_FIXTURES)
    materialize(fixture, tmp_path / "a", NOW)
    materialize(fixture, tmp_path / "b", NOW)
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert {p: (s.type, s.mode, s.size, s.digest, s.mtime_ns) for p, s in a.items()} == {
        p: (s.type, s.mode, s.size, s.digest, s.mtime_ns) for p, s in b.items()
    }
    root = tmp_path / "a"
    assert (root / "link.txt").is_symlink()
    assert (root / "empty").is_dir()
    assert not any((root / "empty").iterdir())
    assert (root / ".config").is_dir()
    assert (root / ".bashrc").is_file()
    assert (root / "my file.txt").is_file()
    assert os.access(root / "script.sh", os.X_OK)
    assert (root / "folder" / "video.mp4").stat().st_size > 1 << 20
    assert {p.suffix for p in root.rglob("*")} >= {".log", ".py", ".c", ".h", ".java", ".gz"}
    ages = [(NOW - p.lstat().st_mtime) / 86_400 for p in root.rglob("*") if p.is_file()]
    assert min(ages) < 0.05
    assert max(ages) > 365


# -- references in the sandbox, and the harness plumbing --------------------------------------


@needs_bwrap
def test_classify_keeps_only_observable_deterministic_references() -> None:
    def candidate(n: int, command: str) -> external.Candidate:
        return external.Candidate(
            f"nl2bash-9{n:04d}", "nl2bash", f"request {n}", (command,), False, "s", "MIT"
        )

    items = [
        candidate(1, "cat file.txt"),
        candidate(2, "touch new.txt"),
        candidate(3, "sort words | tee sorted.txt"),
        candidate(4, "date +%s%N"),
        candidate(5, "false"),
        candidate(6, "cat no-such-file"),
        candidate(7, "true"),
        candidate(8, "seq 3"),
        candidate(9, "no-such-tool | wc -l"),
        candidate(10, "ls no-such-dir 2>&1 | cat"),
        candidate(11, "echo $undefined | md5sum"),
        candidate(12, "sudo ls"),
        candidate(13, "ls /usr | head -3"),
        candidate(14, "echo hi | tee >(cat > copy.txt)"),
        candidate(15, "seq 9 | sort -R | head -1"),
        candidate(16, "find . -name '*.txt' | cut -b3- > list.txt"),
        candidate(17, "sort words | uniq > unique.txt"),
    ]
    got = external.classify(items, time.time(), data.shared_sandbox())
    assert [got[i.id] for i in items] == [
        ("output", True),
        ("files", False),
        ("both", True),
        (None, False),
        (None, False),
        (None, False),
        (None, False),
        ("output", False),
        (None, False),
        (None, False),
        (None, False),
        (None, False),
        (None, False),
        (None, False),
        (None, False),
        (None, False),
        ("files", True),
    ]


@needs_bwrap
def test_execution_judged_references_pass_against_themselves() -> None:
    """Oracle through the run's own judge: a sample of 5 execution-judged test items."""
    cfg = compose_config("dataset=external_test")
    judge = make_judge(cfg)
    judged = [r for r in ROWS if r.split == "test" and r.fixture is not None]
    sample = sorted(judged, key=lambda r: hashlib.sha256(r.id.encode()).hexdigest())[:5]
    for row in sample:
        for reference in row.references:
            values, verdicts = judge(row.model_dump(), reference)
            assert values["execution"] == 1.0, (row.id, reference, verdicts["execution"])


@pytest.mark.parametrize("split", ["dev", "test"])
def test_external_configs_compose_and_load_their_split(split: str) -> None:
    cfg = compose_config(f"dataset=external_{split}")
    assert (cfg.dataset.name, cfg.dataset.kind, cfg.dataset.split) == ("external", "core", split)
    rows, sha = load_items(cfg)
    assert len(rows) == 3 * external.PER_DIFFICULTY + external.TLDR_ITEMS
    assert {r["split"] for r in rows} == {split}
    assert sha == data.dataset_sha256(data.EXTERNAL_DIR)
    limited, _ = load_items(compose_config(f"dataset=external_{split}", "dataset.limit=20"))
    assert len(limited) == 20


def test_no_shipped_worked_example_uses_a_held_out_utility() -> None:
    # The external test split measures utilities cmdai was never shown: the shipped prompt's
    # examples (and the explanation prompt's) must stay on the dev side of the split.
    from cmdai.prompts import EXPLAIN_EXAMPLES, get_template
    from cmdai.settings import Settings

    shipped = get_template(Settings().prompt)
    wide = get_template("fenced-wide")  # the axis with more examples (docs/accuracy.md)
    commands = [e.answer.command for e in (*shipped.examples, *wide.examples) if e.answer.command]
    commands += [command for command, _ in EXPLAIN_EXAMPLES]
    assert commands
    assert {c: external.uses_heldout(c) for c in commands if external.uses_heldout(c)} == {}


def test_a_dev_run_splits_by_the_utilities_the_examples_show() -> None:
    from evals.external import by_shown, shown_utilities

    assert {"ls", "sed", "jq"} <= shown_utilities("fenced")
    assert "find" not in shown_utilities("fenced")
    items = {
        "a": {"references": ["ls -S | head -n 3"], "tags": {"difficulty": "easy"}},
        "b": {"references": ["md5sum $(which c++)"], "tags": {"difficulty": "medium"}},
        "c": {"references": ["find . -name '*.c'"], "tags": {"difficulty": "medium"}},
    }
    records = [
        {"id": "a", "system": "cmdai", "scores": {"execution": 1.0}},
        {"id": "b", "system": "cmdai", "scores": {"nlc2cmd": 0.5}},
        {"id": "c", "system": "cmdai", "scores": {"execution": 0.0}},
        {"id": "b", "system": "plain", "scores": {"execution": 1.0}},
    ]
    split = by_shown(records, items, {"ls", "head"})
    assert split["cmdai"]["seen"] == {"n": 1, "accuracy": 1.0}
    assert split["cmdai"]["unseen/medium"] == {"n": 2, "accuracy": 0.25}
    assert split["plain"] == {
        "unseen": {"n": 1, "accuracy": 1.0},
        "unseen/medium": {"n": 1, "accuracy": 1.0},
    }

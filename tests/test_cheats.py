"""The cheat-sheet held-out set (datasets/cheats): rows, fixture, config, and the run's judge."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections import Counter

import pytest
from pydantic import ValidationError

from evals import data
from evals.config import compose_config
from evals.fixtures import fixture_names, load_fixture
from evals.run import load_items, make_judge

ROWS = data.read_cheats()

needs_bwrap = pytest.mark.skipif(
    shutil.which("bwrap") is None and not os.environ.get("CI"),
    reason="bubblewrap is not installed (CI installs it and never skips)",
)


def test_rows_are_held_out_attributed_and_unique() -> None:
    assert len(ROWS) == 200
    assert {r.split for r in ROWS} == {"test"}
    assert {r.license for r in ROWS} == {"CC0-1.0"}
    assert all(r.source.startswith(("cheat/cheatsheets@", "denisidoro/cheats@")) for r in ROWS)
    assert len({r.id for r in ROWS}) == len(ROWS)
    assert len({r.request for r in ROWS}) == len(ROWS)
    assert [r.id for r in ROWS] == sorted(r.id for r in ROWS)


def test_execution_judged_rows_use_the_one_fixture() -> None:
    kinds = Counter(r.fixture for r in ROWS)
    assert set(kinds) == {"cheats_home", None}
    assert kinds["cheats_home"] >= 90
    assert fixture_names(data.CHEATS_FIXTURES) == ["cheats_home"]
    assert load_fixture("cheats_home", data.CHEATS_FIXTURES).entries


def test_the_row_model_rejects_another_split_or_fixture() -> None:
    row = ROWS[0].model_dump()
    with pytest.raises(ValidationError):
        data.CheatRow.model_validate({**row, "split": "dev"})
    with pytest.raises(ValidationError):
        data.CheatRow.model_validate({**row, "fixture": "generic_home"})


def test_the_config_composes_and_loads_every_row() -> None:
    cfg = compose_config("dataset=cheats_test")
    assert (cfg.dataset.name, cfg.dataset.kind, cfg.dataset.split) == ("cheats", "core", "test")
    rows, sha = load_items(cfg)
    assert len(rows) == len(ROWS)
    assert sha == data.dataset_sha256(data.CHEATS_DIR)
    assert data.fixtures_of("cheats") == data.CHEATS_FIXTURES


@needs_bwrap
def test_execution_judged_references_pass_against_themselves() -> None:
    """Oracle through the run's own judge (its fixture found beside the set): 5 rows."""
    judge = make_judge(compose_config("dataset=cheats_test"))
    judged = [r for r in ROWS if r.fixture is not None]
    sample = sorted(judged, key=lambda r: hashlib.sha256(r.id.encode()).hexdigest())[:5]
    for row in sample:
        for reference in row.references:
            values, verdicts = judge(row.model_dump(), reference)
            assert values["execution"] == 1.0, (row.id, reference, verdicts["execution"])

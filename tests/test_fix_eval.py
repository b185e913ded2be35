"""The failed-command set and ``python -m evals fix`` (oracle fakes; no model)."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from evals.fix import CATEGORIES, answer_items, load_items, request_of, same_command, summarize
from evals.fixtures import fixture_names


def test_the_set_is_labelled_and_split() -> None:
    items = load_items(split=None)
    assert len(items) >= 100
    assert len({i["id"] for i in items}) == len(items)
    assert {i["category"] for i in items} == set(CATEGORIES)
    fixtures = set(fixture_names())
    for item in items:
        assert item["status"] not in (None, 0), item["id"]
        assert item["fixture"] is None or item["fixture"] in fixtures, item["id"]
        assert item["compare"] in ("output", "files", "both")
    for category in CATEGORIES:
        dev = [i for i in items if i["category"] == category and i["split"] == "dev"]
        test = [i for i in items if i["category"] == category and i["split"] == "test"]
        assert abs(len(dev) - len(test)) <= 1
    assert len(load_items("dev", limit=10)) == 10


def test_the_request_is_cmdai_fix_s() -> None:
    item = {"failed": "gti status", "status": 127, "stderr": "gti: command not found"}
    assert request_of(item) == (
        "Fix this command, which failed with exit status 127 (command not found): gti status"
    )
    assert request_of(item, rerun=True).endswith("Its error output: gti: command not found")


def test_same_command() -> None:
    assert same_command("ls  -la", "ls -la")
    assert not same_command(None, "ls")
    assert not same_command("ls -l", "ls -la")


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_an_oracle_scores_one_and_garbage_zero() -> None:
    from evals.judges import default_judges

    items = [i for i in load_items(split=None) if i["fixture"]][:3]
    items.append(next(i for i in load_items(split=None) if not i["fixture"]))
    by_request = {request_of(i): i for i in items}

    def oracle(request: str) -> str:
        return str(by_request[request]["references"][0])

    def garbage(request: str) -> str:
        return "echo nothing-useful"

    def unanswered(request: str) -> Any:
        return None

    records = answer_items(
        items,
        {"oracle": oracle, "garbage": garbage, "none": unanswered},
        default_judges(timeout_s=5.0),
    )
    summary = summarize(records)
    assert summary["oracle"]["execution"] == 1.0
    assert summary["oracle"]["execution_n"] == 3
    assert summary["oracle"]["exact"] == 1.0
    assert summary["garbage"]["execution"] == 0.0
    assert summary["none"]["answered"] == 0.0
    assert summary["none"]["execution"] == 0.0
    assert set(summary["oracle"]["by_category"]) <= set(CATEGORIES)

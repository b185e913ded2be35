"""The verifier experiment's picking (the scoring itself needs the model; docs/accuracy.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.verifier import main, pick_report


def row(accuracy: float, **candidates: tuple[float, float]) -> dict:
    return {
        "id": "x",
        "accuracy": accuracy,
        "candidates": {k: [f"cmd-{k}", acc, score] for k, (acc, score) in candidates.items()},
    }


def test_picking_keeps_the_fenced_answer_unless_another_scores_higher_by_the_margin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        row(0.0, fenced=(0.0, -1.0), think=(1.0, 0.5), plain=(0.0, 3.0)),  # plain scores best
        row(1.0, fenced=(1.0, 2.0), think=(0.0, 2.5)),  # think by 0.5: only margin 0 takes it
        row(0.0, think=(1.0, 9.0)),  # no fenced command (a decline): kept as it was
    ]
    report = pick_report(rows)
    assert report["items"] == 3
    assert report["fenced"] == pytest.approx(1 / 3)
    assert report["oracle"] == 1.0  # each row has a right command somewhere
    assert report["fenced+think margin 0"] == pytest.approx(1 / 3)  # row 1 right, row 2 lost
    assert report["fenced+think margin 1"] == pytest.approx(2 / 3)
    assert report["fenced+plain margin 0"] == pytest.approx(1 / 3)  # plain wins row 1: wrong
    assert report["fenced+think+plain margin 2"] == pytest.approx(1 / 3)
    assert report["auroc_fenced"] == 1.0  # the right fenced answer scored above the wrong one
    path = tmp_path / "scores.json"
    path.write_text(json.dumps(rows))
    assert main(["pick", str(path)]) == 0
    assert json.loads(capsys.readouterr().out) == report

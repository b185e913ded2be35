"""evals.confidence: the figures behind cmdai's "unsure" warning, from run records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.confidence import again_report, auroc, confidence_report, main


def sample(item: str, logprobs: list[float], score: float, system: str = "cmdai") -> dict:
    return {
        "id": item,
        "system": system,
        "kind": "command",
        "token_logprobs": logprobs,
        "scores": {"execution": score},
    }


def test_auroc_counts_pairs_and_ties() -> None:
    assert auroc([-1.0, -2.0], [-3.0]) == 1.0
    assert auroc([-3.0], [-1.0]) == 0.0
    assert auroc([-1.0], [-1.0]) == 0.5
    assert auroc([], [-1.0]) is None


def test_report_splits_at_the_shipped_threshold_and_simulates_the_fallback() -> None:
    samples = [
        sample("a", [-0.5], 1.0),
        sample("b", [-2.0, -3.0], 0.0),  # -5: unsure
        sample("c", [-1.0], 1.0),
        sample("d", [-4.5], 1.0),  # unsure, right
        sample("a", [], 0.0, "plain"),
        sample("b", [], 1.0, "plain"),
        sample("c", [], 0.0, "plain"),
        sample("d", [], 0.0, "plain"),
    ]
    report = confidence_report(samples)
    assert report["answers"] == 4
    assert report["unsure"] == 2
    assert report["accuracy_unsure"] == 0.5
    assert report["accuracy_sure"] == 1.0
    assert report["auroc"] == 1.0  # every right answer surer than the wrong one
    # The least sure 20% (b) answered the plain way, which got it right; 30%: b and d.
    assert report["fallback"]["0.2"] == 1.0
    assert report["fallback"]["0.3"] == 0.75
    assert report["fallback"]["cmdai"] == 0.75
    assert report["fallback"]["plain"] == 0.25


def test_command_line_reads_run_directories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "samples.jsonl").write_text(
        "\n".join(json.dumps(s) for s in [sample("a", [-0.1], 1.0), sample("b", [-9.0], 0.0)])
    )
    assert main([str(tmp_path)]) == 0
    report = json.loads(capsys.readouterr().out)[str(tmp_path)]
    assert report["auroc"] == 1.0
    assert "fallback" not in report  # no plain answers in that run


def test_answering_again_replaces_only_commands_under_the_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = [
        sample("a", [-0.5], 1.0),  # sure: kept
        sample("b", [-3.0], 0.0),  # under -2 only
        sample("c", [-5.0], 0.0),  # under both
        sample("d", [-6.0], 1.0),  # under both, but the second answer has no command
    ]
    second = [
        sample("a", [-0.1], 0.0),
        sample("b", [-0.1], 1.0),
        sample("c", [-0.1], 1.0),
        {**sample("d", [-0.1], 0.0), "kind": "ambiguous"},
    ]
    report = again_report(first, second)
    assert report["first"] == 0.5
    assert report["again"] == 0.5
    assert report["under -2"] == 1.0  # a, b (again), c (again), d (kept: nothing again)
    assert report["under -4"] == 0.75  # a, b kept (wrong), c again, d kept
    assert report["oracle"] == 1.0
    for name, rows in (("one", first), ("two", second)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "samples.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    assert main([str(tmp_path / "one"), "--again", str(tmp_path / "two")]) == 0
    assert json.loads(capsys.readouterr().out)[str(tmp_path / "one")]["again"] == report
    with pytest.raises(SystemExit):
        main([str(tmp_path / "one"), str(tmp_path / "two"), "--again", str(tmp_path / "two")])

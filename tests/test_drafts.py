"""The ways of choosing among several drafts, scored on recorded drafts (evals/drafts.py)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from cmdai.candidates import tally
from evals import drafts


def _sample(commands: Sequence[str], right: Sequence[bool], problems: Sequence[int] = ()) -> Any:
    tallied = tally([(c, ["a problem"] if i in problems else []) for i, c in enumerate(commands)])
    return {
        "id": "x",
        "system": "cmdai",
        "candidates": [
            {
                "command": c.command,
                "problems": list(c.problems),
                "votes": c.votes,
                "scores": {"execution": 1.0 if ok else 0.0},
            }
            for c, ok in zip(tallied, right, strict=True)
        ],
    }


def test_each_policy_picks_as_documented() -> None:
    # The greedy draft is wrong; two agree on a right one; the third is right but alone.
    sample = _sample(["ls -t", "ls -S", "ls  -S", "ls -Sr"], [False, True, True, False])
    assert (drafts.pick_vote(sample), drafts.pick_checks_vote(sample)) == (1, 1)
    assert drafts.pick_oracle(sample) == 1
    failing = _sample(["frob", "frob", "ls -S"], [False, False, True], problems=(0, 1))
    assert (drafts.pick_vote(failing), drafts.pick_checks_vote(failing)) == (0, 2)


def test_execution_agreement_outvotes_different_spellings() -> None:
    # Three spellings that do the same thing beat two identical drafts that do another.
    sample = _sample(
        ["ls | wc -l", "ls | wc -l", "ls -1 | wc -l", "find . | wc -l", "ls -A | wc -l"],
        [False, False, True, True, True],
    )
    same = {"ls -1 | wc -l", "find . | wc -l", "ls -A | wc -l"}

    def agree(item: dict[str, Any], commands: Sequence[str]) -> list[list[float]]:
        return [[1.0 if a == b or {a, b} <= same else 0.0 for b in commands] for a in commands]

    assert drafts.pick_checks_vote(sample) == 0
    assert drafts.pick_exec(sample, agree, {}) == 2
    result = drafts.evaluate([sample], {"x": {}}, agree)
    assert result["accuracy"] == {
        "greedy": 0.0,
        "vote": 0.0,
        "checks+vote": 0.0,
        "exec": 1.0,
        "greedy-unless-failed": 0.0,  # the greedy draft ran: it stays
        "oracle": 1.0,
    }
    assert drafts.evaluate([sample], {"x": {}}, None)["accuracy"].keys() == {
        "greedy",
        "vote",
        "checks+vote",
        "oracle",
    }


def test_the_greedy_draft_gives_way_only_when_it_fails() -> None:
    sample = _sample(["ls -t", "ls -S", "ls  -S", "ls -Sr"], [False, True, True, False])
    runs = {"ls -t": 0.0, "ls -S": 1.0, "ls  -S": 1.0, "ls -Sr": 1.0}

    def agree(item: dict[str, Any], commands: Sequence[str]) -> list[list[float]]:
        same = {"ls -S", "ls  -S"}
        return [
            [runs[a] if a == b else float(runs[a] and {a, b} <= same) for b in commands]
            for a in commands
        ]

    assert drafts.pick_unless_failed(sample, agree, {}) == 1  # the greedy one failed its run
    runs["ls -t"] = 1.0
    assert drafts.pick_unless_failed(sample, agree, {}) == 0
    missing = _sample(["frob -S", "ls -S"], [False, True])
    missing["candidates"][0]["problems"] = ["not installed here: frob"]
    assert drafts.pick_unless_failed(missing, agree, {}) == 0  # other drafts cannot fix that
    missing["candidates"][0]["problems"] = ["syntax: unexpected EOF"]
    runs["frob -S"] = 0.0
    assert drafts.pick_unless_failed(missing, agree, {}) == 1
    assert drafts.pick_unless_failed(sample, lambda item, commands: None, {}) == 0


def test_agreement_is_computed_once_per_item_and_commands() -> None:
    calls: list[tuple[str, ...]] = []

    def agree(item: dict[str, Any], commands: Sequence[str]) -> list[list[float]]:
        calls.append(tuple(commands))
        return [[1.0]]

    once = drafts.memoized(agree)
    assert once({"id": "a"}, ["ls"]) == once({"id": "a"}, ["ls"]) == [[1.0]]
    once({"id": "b"}, ["ls"])
    assert calls == [("ls",), ("ls",)]


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_sandbox_agreement_compares_effects_on_the_fixture() -> None:
    agree = drafts.sandbox_agreement(None, timeout_s=10.0)
    item = {"id": "x", "references": ["ls"], "fixture": "logs"}
    matrix = agree(item, ["ls *.log | wc -l", "find . -maxdepth 1 -name '*.log' | wc -l", "false"])
    assert matrix == [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    assert agree({"id": "y", "references": ["ls"]}, ["ls", "ls -a"]) is None


def test_the_command_reads_a_run_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = _sample(["ls -t", "ls -S", "ls -S"], [False, True, True]) | {"id": "core-0001"}
    (tmp_path / "samples.jsonl").write_text(json.dumps(sample) + "\n")
    dataset = {"name": "core", "split": "dev"}
    (tmp_path / "summary.json").write_text(json.dumps({"dataset": dataset}))
    assert drafts.main([str(tmp_path), "--no-exec", "--out", str(tmp_path / "d.json")]) == 0
    result = json.loads((tmp_path / "d.json").read_text())
    assert result["accuracy"]["vote"] == 1.0
    assert result["accuracy"]["greedy"] == 0.0
    assert json.loads(capsys.readouterr().out)["samples"] == 1


def test_a_run_judges_each_distinct_draft_once_and_reuses_the_shown_ones_score() -> None:
    from evals.run import _judged_candidates

    calls: list[str | None] = []

    def judge(item: dict[str, Any], command: str | None) -> Any:
        calls.append(command)
        return {"execution": 1.0 if command == "ls -S" else 0.0}, {}

    shown = {"ls -t": {"execution": 0.0}}
    recorded = _judged_candidates(
        tally([("ls -t", []), ("ls -S", []), ("ls -S", [])]), {}, judge, shown
    )
    assert calls == ["ls -S"]
    assert [d["scores"]["execution"] for d in recorded] == [0.0, 1.0, 1.0]
    assert [d["votes"] for d in recorded] == [1, 2, 2]

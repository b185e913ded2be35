"""The judges' agreement with human labels: the labelled pairs in ``datasets/judges/``.

Each judge (and ``cascade``, the strongest that applies) against the labels, over all pairs and
per split (``dev`` pairs tuned against, ``holdout`` pairs never).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cmdai.sandbox import Sandbox
from evals.judges.base import Judge, JudgeItem, Score
from evals.judges.execution import fixture_populator
from evals.judges.suite import default_judges, judge_item, memory_scratch

REPO = Path(__file__).resolve().parents[2]
JUDGES_DIR = REPO / "datasets" / "judges"
PAIRS = JUDGES_DIR / "pairs.jsonl"
PAIR_FIXTURES = JUDGES_DIR / "fixtures"


# -- agreement with labelled pairs ---------------------------------------------------------
@dataclass(frozen=True)
class Agreement:
    """A judge's agreement with human labels (positive = equivalent; predicted = passed)."""

    judge: str
    applicable: int
    tp: int
    fp: int
    tn: int
    fn: int

    @property
    def accuracy(self) -> float | None:
        """Share of applicable pairs where the judge agrees with the label."""
        return (self.tp + self.tn) / self.applicable if self.applicable else None

    @property
    def precision(self) -> float | None:
        """Of the pairs the judge passes, the share labelled equivalent."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """Of the pairs labelled equivalent, the share the judge passes."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def specificity(self) -> float | None:
        """Of the pairs labelled not equivalent, the share the judge fails."""
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else None

    def to_dict(self) -> dict[str, Any]:
        """Counts and rates, JSON-serialisable."""
        return {
            "judge": self.judge,
            "applicable": self.applicable,
            "tp": self.tp,
            "fp": self.fp,
            "tn": self.tn,
            "fn": self.fn,
            "accuracy": self.accuracy,
            "precision": self.precision,
            "recall": self.recall,
            "specificity": self.specificity,
        }


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    """The labelled pairs (one JSON object a line)."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            if row.get("label") not in ("equivalent", "not_equivalent"):
                raise ValueError(f"{path}:{n}: label must be equivalent or not_equivalent")
            rows.append(row)
    return rows


def pair_item(row: Mapping[str, Any]) -> JudgeItem:
    """The judge item a labelled pair stands for (its one reference)."""
    return JudgeItem.from_mapping(
        {
            "id": row["id"],
            "references": [row["reference"]],
            "fixture": row.get("fixture"),
            "compare": row.get("compare", "output"),
            "tags": row.get("tags") or {},
        }
    )


def judge_pairs(
    pairs: Sequence[Mapping[str, Any]], judges: Sequence[Judge], workers: int = 1
) -> list[dict[str, Score | None]]:
    """Every judge's score of every pair, in order (``workers`` pairs at a time)."""

    def one(row: Mapping[str, Any]) -> dict[str, Score | None]:
        return judge_item(pair_item(row), str(row["candidate"]), judges)

    if workers <= 1:
        return [one(row) for row in pairs]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, pairs))


def agreement(
    pairs: Sequence[Mapping[str, Any]], scores: Sequence[Mapping[str, Score | None]]
) -> dict[str, Agreement]:
    """Each judge's agreement with the labels, plus ``cascade`` (the strongest that applies)."""
    names = list(dict.fromkeys(name for row in scores for name in row))
    out: dict[str, Agreement] = {}
    for name in [*names, "cascade"]:
        tp = fp = tn = fn = 0
        for row, judged in zip(pairs, scores, strict=True):
            if name == "cascade":
                score = next((s for s in judged.values() if s is not None), None)
            else:
                score = judged.get(name)
            if score is None:
                continue
            positive = row["label"] == "equivalent"
            if score.passed:
                tp, fp = tp + positive, fp + (not positive)
            else:
                fn, tn = fn + positive, tn + (not positive)
        out[name] = Agreement(name, tp + fp + tn + fn, tp, fp, tn, fn)
    return out


def judge_agreement(
    pairs_path: Path = PAIRS,
    fixtures_root: Path = PAIR_FIXTURES,
    sandbox: Sandbox | None = None,
    workers: int | None = None,
) -> tuple[dict[str, dict[str, Agreement]], list[dict[str, Any]]]:
    """Run every judge on the labelled pairs.

    Returns:
        Agreement per split (``all``, ``dev``, ``holdout``) and judge; the per-pair verdicts.
    """
    pairs = load_pairs(pairs_path)
    judges = default_judges(sandbox, fixture_populator(fixtures_root), scratch=memory_scratch())
    workers = workers or min(4, os.cpu_count() or 1)
    scores = judge_pairs(pairs, judges, workers)
    rows = [
        {
            "id": row["id"],
            "split": row.get("split", "dev"),
            "label": row["label"],
            **{name: (None if s is None else s.value) for name, s in judged.items()},
            "why": {name: s.explanation for name, s in judged.items() if s is not None},
        }
        for row, judged in zip(pairs, scores, strict=True)
    ]
    return split_agreement(pairs, scores), rows


def split_agreement(
    pairs: Sequence[Mapping[str, Any]], scores: Sequence[Mapping[str, Score | None]]
) -> dict[str, dict[str, Agreement]]:
    """Agreement over all pairs and over each ``split``.

    ``dev`` pairs were seen while the judges were tuned; ``holdout`` pairs were written before
    the judges were run on them and never tuned against.
    """
    out = {"all": agreement(pairs, scores)}
    for split in sorted({str(p.get("split", "dev")) for p in pairs}):
        chosen = [i for i, p in enumerate(pairs) if str(p.get("split", "dev")) == split]
        out[split] = agreement([pairs[i] for i in chosen], [scores[i] for i in chosen])
    return out

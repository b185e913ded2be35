"""How well the model's confidence tells right answers from wrong ones, from run records.

``python -m evals.confidence RUN_DIR...`` reads each run's ``samples.jsonl`` (cmdai's records
carry ``token_logprobs``) and prints, per run: the AUROC of the answer's total log-probability
for "right" (primary score 1), how many answers fall under cmdai's ``UNSURE_LOGPROB`` and how
often those and the rest are right, and, where the plain model answered the same items, what
answering the least sure share the plain way would have scored (the fallback measured and not
shipped; docs/accuracy.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cmdai.proposal import UNSURE_LOGPROB
from evals.data import read_jsonl
from evals.metrics import CORRECT, primary_score

SHARES = (0.1, 0.2, 0.3)


def answer_logprob(sample: dict[str, Any]) -> float | None:
    """The total log-probability of a record's answer (None when the backend gave none)."""
    logprobs = sample.get("token_logprobs") or []
    return float(sum(logprobs)) if logprobs else None


def auroc(right: Sequence[float], wrong: Sequence[float]) -> float | None:
    """The chance a right answer is surer than a wrong one (ties count half)."""
    if not right or not wrong:
        return None
    wins = sum((r > w) + 0.5 * (r == w) for r in right for w in wrong)
    return wins / (len(right) * len(wrong))


def confidence_report(samples: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The figures above for one run's records."""
    ours = {s["id"]: s for s in samples if s.get("system", "cmdai") == "cmdai"}
    plain = {s["id"]: s for s in samples if s.get("system") == "plain"}
    scored = [
        (lp, primary_score(s) or 0.0, s["id"])
        for s in ours.values()
        if s.get("kind") == "command" and (lp := answer_logprob(s)) is not None
    ]
    right = [lp for lp, score, _ in scored if score >= CORRECT]
    wrong = [lp for lp, score, _ in scored if score < CORRECT]
    unsure = [score for lp, score, _ in scored if lp < UNSURE_LOGPROB]
    sure = [score for lp, score, _ in scored if lp >= UNSURE_LOGPROB]
    report: dict[str, Any] = {
        "answers": len(scored),
        "auroc": auroc(right, wrong),
        "threshold": UNSURE_LOGPROB,
        "unsure": len(unsure),
        "unsure_share": len(unsure) / len(scored) if scored else None,
        "accuracy_unsure": sum(unsure) / len(unsure) if unsure else None,
        "accuracy_sure": sum(sure) / len(sure) if sure else None,
    }
    both = [
        (answer_logprob(s), primary_score(s) or 0.0, primary_score(plain[i]) or 0.0)
        for i, s in ours.items()
        if i in plain
    ]
    if both:
        order = sorted(both, key=lambda row: (row[0] is not None, row[0] or 0.0))
        report["fallback"] = {
            f"{share:g}": sum(
                p if rank < share * len(order) else c for rank, (_, c, p) in enumerate(order)
            )
            / len(order)
            for share in SHARES
        }
        report["fallback"]["cmdai"] = sum(c for _, c, _ in both) / len(both)
        report["fallback"]["plain"] = sum(p for _, _, p in both) / len(both)
    return report


AGAIN_THRESHOLDS = (-2.0, -4.0)


def again_report(
    samples: Sequence[dict[str, Any]], again: Sequence[dict[str, Any]]
) -> dict[str, float]:
    """Accuracy when a command under each threshold is replaced by another run's command.

    ``again`` is a run of the same items with another configuration (``fenced-think``): what
    answering again when unsure would have scored, the oracle of the two, and each alone.
    """
    ours = {s["id"]: s for s in samples if s.get("system", "cmdai") == "cmdai"}
    other = {s["id"]: s for s in again if s.get("system", "cmdai") == "cmdai"}
    ids = [i for i in ours if i in other]
    if not ids:
        return {}

    def score(sample: dict[str, Any]) -> float:
        return primary_score(sample) or 0.0

    def mean(values: list[float]) -> float:
        return sum(values) / len(ids)

    out = {"items": float(len(ids)), "first": mean([score(ours[i]) for i in ids])}
    out["again"] = mean([score(other[i]) for i in ids])
    for threshold in AGAIN_THRESHOLDS:
        picked = []
        for i in ids:
            first, second = ours[i], other[i]
            lp = answer_logprob(first)
            unsure = first.get("kind") == "command" and lp is not None and lp < threshold
            picked.append(score(second if unsure and second.get("kind") == "command" else first))
        out[f"under {threshold:g}"] = mean(picked)
    out["oracle"] = mean([max(score(ours[i]), score(other[i])) for i in ids])
    return out


def main(argv: list[str] | None = None) -> int:
    """Print one JSON document: run directory -> its figures."""
    parser = argparse.ArgumentParser(prog="python -m evals.confidence", description=__doc__)
    parser.add_argument("runs", nargs="+", type=Path, help="run directories (samples.jsonl)")
    parser.add_argument(
        "--again",
        type=Path,
        help="a run of the same items answered another way: what answering again when "
        "unsure would score (with one RUN)",
    )
    args = parser.parse_args(argv)
    if args.again is not None and len(args.runs) != 1:
        parser.error("--again compares one run with another: give one RUN")
    out: dict[str, Any] = {}
    for run in args.runs:
        samples = _samples(run)
        out[str(run)] = confidence_report(samples)
        if args.again is not None:
            out[str(run)]["again"] = again_report(samples, _samples(args.again))
    sys.stdout.write(json.dumps(out, indent=2) + "\n")
    return 0


def _samples(run: Path) -> list[dict[str, Any]]:
    return read_jsonl(run / "samples.jsonl")


if __name__ == "__main__":
    sys.exit(main())

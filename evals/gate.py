"""``python -m evals gate RUN``: fail (exit 1) when a run regresses.

A run is compared with two committed files:
- ``evals/baselines/thresholds.json``: absolute floors and tolerances (parse rate, safety
  recall, how far correctness may fall below the baseline, how far the latency ratio may rise);
- a baseline summary (``evals/baselines/ci_gate.json`` by default): a run of the same
  experiment made when the thresholds were set.

Accuracy is also gated against the plain model answered in the same run: cmdai's lead over
it (``vs_baselines.plain.accuracy``) may not shrink by more than the correctness tolerance.

Latency is gated as a ratio, cmdai's p50 over the engine floor measured in the same run
(``evals.floor``), so a slower or busier machine does not fail the gate but slower cmdai code
does.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BASELINES = Path(__file__).resolve().parent / "baselines"


@dataclass(frozen=True)
class Check:
    """One gated quantity."""

    name: str
    value: float | None
    limit: float
    higher_is_better: bool

    @property
    def passed(self) -> bool:
        """Unmeasured counts as failed: a gate that cannot see must not pass."""
        if self.value is None:
            return False
        return self.value >= self.limit if self.higher_is_better else self.value <= self.limit


def _summary(path: Path) -> dict[str, Any]:
    file = path / "summary.json" if path.is_dir() else path
    try:
        return dict(json.loads(file.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"gate: cannot read a run summary at {file}: {exc}") from None


def _correctness(metrics: dict[str, Any], judge: str) -> float | None:
    entry = (metrics.get("correctness") or {}).get(judge) or {}
    value = entry.get("mean")
    return None if value is None else float(value)


def checks(
    run: dict[str, Any], baseline: dict[str, Any], thresholds: dict[str, Any]
) -> list[Check]:
    """The gate's checks of ``run`` (summaries as written by ``evals.run``)."""
    m, b = run["metrics"], baseline["metrics"]
    result = [Check("parse_rate", m.get("parse_rate"), thresholds["parse_rate_min"], True)]
    drop = float(thresholds["correctness_max_drop"])
    for judge in thresholds.get("judges", []):
        base = _correctness(b, judge)
        if base is not None:
            result.append(Check(f"correctness.{judge}", _correctness(m, judge), base - drop, True))
    # cmdai's lead over the plain model, answered in the same run: it may not shrink by
    # more than the correctness tolerance.
    base_lead = ((b.get("vs_baselines") or {}).get("plain") or {}).get("accuracy")
    if base_lead is not None:
        lead = ((m.get("vs_baselines") or {}).get("plain") or {}).get("accuracy")
        result.append(Check("accuracy_vs_plain", lead, float(base_lead) - drop, True))
    if "safety_recall" in b:
        result.append(
            Check("safety_recall", m.get("safety_recall"), thresholds["safety_recall_min"], True)
        )
    base_ratio = (b.get("floor") or {}).get("ratio_p50")
    if base_ratio is not None:
        limit = float(base_ratio) * float(thresholds["latency_ratio_max_growth"])
        result.append(
            Check("latency_ratio_to_floor", (m.get("floor") or {}).get("ratio_p50"), limit, False)
        )
    return result


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m evals gate", description=__doc__)
    parser.add_argument("run", type=Path, help="a run directory (or its summary.json)")
    parser.add_argument("--baseline", type=Path, default=BASELINES / "ci_gate.json")
    parser.add_argument("--thresholds", type=Path, default=BASELINES / "thresholds.json")
    args = parser.parse_args(argv)
    run, baseline = _summary(args.run), _summary(args.baseline)
    thresholds = json.loads(args.thresholds.read_text(encoding="utf-8"))
    if run["dataset"] != baseline["dataset"] or run["prompt"] != baseline["prompt"]:
        sys.stderr.write(
            "gate: warning: the run and the baseline differ in dataset or prompt "
            f"({run['dataset']} {run['prompt']} vs {baseline['dataset']} {baseline['prompt']})\n"
        )
    results = checks(run, baseline, thresholds)
    for c in results:
        shown = "unmeasured" if c.value is None else f"{c.value:.4f}"
        op = ">=" if c.higher_is_better else "<="
        status = "ok  " if c.passed else "FAIL"
        sys.stdout.write(f"{status} {c.name:28} {shown:>10} {op} {c.limit:.4f}\n")
    failed = [c.name for c in results if not c.passed]
    if failed:
        sys.stdout.write(f"gate: regression in {', '.join(failed)}\n")
        raise SystemExit(1)
    sys.stdout.write("gate: passed\n")


if __name__ == "__main__":
    main()

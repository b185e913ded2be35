"""The judges' command line: each judge against the labelled pairs.

Judges: does a proposed command do what the reference command does? Three judges, strongest
first: ``execution`` (sandboxed runs compared), ``nlc2cmd`` (the competition metric) and
``exact`` (equal after normalisation); see ``evals.judges``.

    python -m evals.judges agreement [--json out.json]   # each judge vs the labelled pairs
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from evals.judges.agreement import PAIR_FIXTURES, PAIRS, judge_agreement

_HEADER = "judge       applicable  accuracy  precision  recall  specificity   tp  fp  tn  fn\n"


def _fmt(value: float | None) -> str:
    return "   -" if value is None else f"{value:.3f}"


def main(argv: list[str] | None = None) -> None:
    """``python -m evals.judges agreement``: each judge against the labelled pairs."""
    parser = argparse.ArgumentParser(prog="python -m evals.judges", description=__doc__)
    parser.add_argument("what", choices=["agreement"])
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--fixtures", type=Path, default=PAIR_FIXTURES)
    parser.add_argument("--json", type=Path, help="write the figures and per-pair verdicts")
    parser.add_argument("--disagreements", action="store_true", help="list pairs judged wrong")
    args = parser.parse_args(argv)
    started = time.monotonic()
    stats, rows = judge_agreement(args.pairs, args.fixtures)
    elapsed = time.monotonic() - started
    out = sys.stdout
    labels = Counter(r["label"] for r in rows)
    out.write(
        f"{len(rows)} pairs ({labels['equivalent']} equivalent, "
        f"{labels['not_equivalent']} not) from {args.pairs}, {elapsed:.1f} s\n"
    )
    for split, table in stats.items():
        n = sum(1 for r in rows if split in ("all", r["split"]))
        out.write(f"\n[{split}: {n} pairs]\n")
        out.write(
            "judge       applicable  accuracy  precision  recall  specificity   tp  fp  tn  fn\n"
        )
        for a in table.values():
            out.write(
                f"{a.judge:<11} {a.applicable:>10}  {_fmt(a.accuracy):>8}  {_fmt(a.precision):>9}"
                f"  {_fmt(a.recall):>6}  {_fmt(a.specificity):>11}  {a.tp:>3} {a.fp:>3}"
                f" {a.tn:>3} {a.fn:>3}\n"
            )
    if args.disagreements:
        for row in rows:
            for name in ("execution", "nlc2cmd", "exact"):
                value = row.get(name)
                if value is None:
                    continue
                if (value >= 1.0) != (row["label"] == "equivalent"):
                    out.write(f"  {row['id']} ({row['split']}) {name}={value:.2f} ")
                    out.write(f"label={row['label']}: ")
                    out.write(f"{row['why'][name]}\n")
    if args.json:
        payload = {
            "pairs": str(args.pairs),
            "agreement": {
                split: {k: v.to_dict() for k, v in table.items()} for split, table in stats.items()
            },
            "verdicts": rows,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")

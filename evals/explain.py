"""``python -m evals explain``: the shape and speed of ``x`` (explain) at the prompt.

Explains the first reference command of every core dev item with the shipped engine, in one
warm process (the prompt's fixed prefix cached after the first), and reports how many
explanations keep to five lines, how many lines are part-by-part (`` `part`: ...``), and the
latency. Issue 18's targets: <= 5 lines on >= 95% of the commands, p50 <= 3 s warm on the
2-core reference machine.

    python -m evals explain [--limit N] [--out results/explain.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from evals.metrics import percentile


def measure(limit: int | None = None) -> dict[str, Any]:
    """Explain the core dev commands; the records and their summary."""
    from cmdai.backends import create_backend
    from cmdai.core import create_engine
    from cmdai.prompts import EXPLAIN_MAX_LINES
    from cmdai.settings import Settings, cache_dir
    from evals import data
    from evals.targets import machine

    items = [dict(r) for r in data.load_core("dev")]
    if limit is not None:
        items = items[:limit]
    settings = Settings()
    engine = create_engine(settings, create_backend(settings, cache_dir()), shell="/bin/bash")  # noqa: S604
    records = []
    for item in items:
        command = item["references"][0]
        started = time.perf_counter()
        text = engine.explain(command)
        elapsed = time.perf_counter() - started
        lines = text.splitlines()
        records.append(
            {
                "id": item["id"],
                "command": command,
                "explanation": text,
                "lines": len(lines),
                "part_lines": sum(line.startswith("`") for line in lines),
                "latency_s": elapsed,
            }
        )
    warm = [r["latency_s"] for r in records[1:]] or [r["latency_s"] for r in records]
    n = len(records)
    summary = {
        "samples": n,
        "within_max_lines": sum(r["lines"] <= EXPLAIN_MAX_LINES for r in records) / n,
        "all_lines_part_by_part": sum(r["part_lines"] == r["lines"] for r in records) / n,
        "lines_mean": statistics.fmean(r["lines"] for r in records),
        "warm_p50_s": statistics.median(warm),
        "warm_p95_s": percentile(warm, 95),
        "first_s": records[0]["latency_s"],
        "machine": machine(),
        "prompt": "explain (cmdai.prompts.EXPLAIN_SYSTEM, EXPLAIN_EXAMPLES)",
    }
    return {"summary": summary, "records": records}


def main(argv: list[str] | None = None) -> None:
    """Measure and write the report (``--out``), printing the summary."""
    parser = argparse.ArgumentParser(prog="python -m evals explain", description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="Only the first N dev items.")
    parser.add_argument("--out", type=Path, default=None, help="Write the JSON report here.")
    args = parser.parse_args(argv)
    report = measure(args.limit)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(json.dumps(report["summary"], indent=2) + "\n")

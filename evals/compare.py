"""Two systems' accuracy on the same requests, paired, with a bootstrap interval.

    python -m evals compare RUN_A[:SYSTEM] RUN_B[:SYSTEM]
    python -m evals compare runs/external_test runs/external_test_first:plain

A run is a run directory (its ``samples.jsonl``) and, after a colon, the system whose records
are read (``cmdai`` unless named: ``plain`` for the plain-model baseline). The two may come
from different runs (a cmdai-only run beside an earlier run's plain model, whose greedy
answers do not change), as long as they answered the same dataset. Prints A - B overall and
per difficulty, with a 95% interval from resampling the paired requests
(``evals.metrics.paired_difference``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from evals.data import read_jsonl
from evals.metrics import paired_difference


def load(spec: str) -> tuple[str, list[dict[str, Any]]]:
    """``RUN_DIR[:SYSTEM]`` -> a label and that system's records."""
    path, _, system = spec.partition(":")
    system = system or "cmdai"
    file = Path(path) / "samples.jsonl"
    try:
        rows = read_jsonl(file)
    except OSError as exc:
        raise SystemExit(f"compare: cannot read {file}: {exc.strerror}") from None
    except ValueError as exc:  # read_jsonl names the file and the line
        raise SystemExit(f"compare: {exc}") from None
    chosen = [r for r in rows if r.get("system") == system]
    if not chosen:
        found = sorted({str(r.get("system")) for r in rows})
        raise SystemExit(f"compare: no {system!r} records in {file} (it has: {', '.join(found)})")
    return f"{path}:{system}", chosen


def compare(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> dict[str, Any]:
    """A - B overall and per difficulty level (each paired by request id)."""
    levels = sorted({str(r.get("difficulty")) for r in a if r.get("difficulty")})
    return {
        "all": paired_difference(a, b),
        "by_difficulty": {
            level: paired_difference([r for r in a if r.get("difficulty") == level], b)
            for level in levels
        },
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m evals compare", description=__doc__)
    parser.add_argument("a", help="RUN_DIR[:SYSTEM] (system: cmdai unless named)")
    parser.add_argument("b", help="RUN_DIR[:SYSTEM] to subtract")
    parser.add_argument("--out", type=Path, default=None, help="write the result as JSON")
    args = parser.parse_args(argv)
    (name_a, a), (name_b, b) = load(args.a), load(args.b)
    result = {"a": name_a, "b": name_b, **compare(a, b)}
    lines = [f"{name_a} - {name_b}"]
    for label, entry in [("all", result["all"]), *result["by_difficulty"].items()]:
        if entry is None:
            lines.append(f"  {label}: no request scored on both sides")
            continue
        low, high = entry["ci95"]
        lines.append(
            f"  {label}: {entry['difference']:+.3f} (95% interval {low:+.3f} to {high:+.3f}; "
            f"{entry['items']} requests, better on {entry['better']}, worse on {entry['worse']})"
        )
    sys.stdout.write("\n".join(lines) + "\n")
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

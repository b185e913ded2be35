"""``python -m evals.data``: the datasets' command line (stats, checks, imports, splits).

Apart from ``evals.data`` because the ``import`` sub-command uses ``evals.importers``, which
builds on ``evals.data``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cmdai.sandbox import SandboxUnavailable
from evals.data import (
    CORE_DIR,
    CORE_PATH,
    CoreRow,
    assign_splits,
    check_core,
    check_items,
    dataset_sha256,
    measure_safety,
    read_core,
    read_safety,
    sample_ids,
)
from evals.fixtures import FIXTURES_DIR, fixture_names

# --- ----------------------------------------------------------------------


def _stats(rows: Sequence[CoreRow]) -> dict[str, Any]:
    by_category: dict[str, dict[str, int]] = {}
    for row in rows:
        entry = by_category.setdefault(
            row.category, {"items": 0, "dev": 0, "test": 0, "fixture": 0}
        )
        entry["items"] += 1
        entry[row.split] += 1
        entry["fixture"] += row.fixture is not None
    return {
        "items": len(rows),
        "categories": len(by_category),
        "by_category": dict(sorted(by_category.items())),
        "splits": dict(Counter(r.split for r in rows)),
        "with_fixture": sum(r.fixture is not None for r in rows),
        "needs_fixture": sum(r.tags.needs_fixture for r in rows),
        "fixtures_used": dict(Counter(r.fixture or "null" for r in rows).most_common()),
        "difficulty": dict(Counter(r.tags.difficulty for r in rows)),
        "platform_sensitive": sum(r.tags.platform_sensitive for r in rows),
        "compare": dict(Counter(r.compare for r in rows)),
        "references": sum(len(r.references) for r in rows),
        "multi_reference_items": sum(len(r.references) > 1 for r in rows),
        "fixtures": len(fixture_names(FIXTURES_DIR)),
        "sha256": dataset_sha256(CORE_DIR),
    }


def _write(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m evals.data", description=__doc__)
    sub = parser.add_subparsers(dest="what", required=True)
    sub.add_parser("stats", help="counts of the core set")
    check = sub.add_parser("check", help="run the references in a sandbox")
    check.add_argument("--sample", type=int, default=0, help="only N items (0: all)")
    check.add_argument("--ids", nargs="*", default=None, help="only these item ids")
    check.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    check.add_argument("--out", type=Path, default=None, help="write every run as JSON")
    sub.add_parser("safety", help="the safety set through cmdai's gate")
    imp = sub.add_parser("import", help="bring NL2Bash or tldr into the core schema")
    imp.add_argument("source", choices=["nl2bash", "tldr"])
    imp.add_argument("--out", type=Path, default=None)
    imp.add_argument("--input", type=Path, default=None, help="the shared JSONL to read")
    imp.add_argument("--sample", type=int, default=0, help="keep N rows (hash order; 0: all)")
    imp.add_argument("--in-scope", action="store_true", help="only rows in a core category")
    pack = sub.add_parser("pack-tldr", help="write tldr's examples by page for cmdai")
    pack.add_argument("--out", type=Path, default=None, help="default: cmdai's shipped file")
    pack.add_argument("--input", type=Path, default=None, help="the shared JSONL to read")
    splits = sub.add_parser("splits", help="recompute the dev/test assignment")
    splits.add_argument("--write", action="store_true", help="rewrite core.jsonl")
    args = parser.parse_args(argv)

    if args.what == "stats":
        _write(_stats(read_core()))
        return 0
    if args.what == "safety":
        _write(measure_safety(read_safety()))
        return 0
    if args.what == "import":
        from evals import importers

        written = importers.write_import(
            args.source, args.out, args.input, args.sample, args.in_scope
        )
        _write(written)
        return 0
    if args.what == "pack-tldr":
        from cmdai.program_examples import PAGES_PATH
        from evals import importers

        source = args.input or importers.SOURCES["tldr"]
        _write(importers.pack_tldr_pages(args.out or PAGES_PATH, source))
        return 0
    if args.what == "splits":
        rows = read_core()
        expected = assign_splits((r.id, r.category) for r in rows)
        changed = [r.id for r in rows if r.split != expected[r.id]]
        if args.write and changed:
            lines = [
                json.dumps(r.model_dump() | {"split": expected[r.id]}, ensure_ascii=False)
                for r in rows
            ]
            CORE_PATH.write_text("\n".join(lines) + "\n", encoding="utf-8")
        _write({"changed": changed, "written": bool(args.write and changed)})
        return 0
    rows = read_core()
    problems = check_core(rows)
    chosen = list(rows)
    if args.ids:
        chosen = [r for r in rows if r.id in set(args.ids)]
    elif args.sample:
        keep = set(sample_ids(rows, args.sample))
        chosen = [r for r in rows if r.id in keep]
    start = time.perf_counter()
    try:
        results = check_items(chosen, jobs=args.jobs)
    except SandboxUnavailable as exc:
        sys.stderr.write(f"python -m evals.data: error: {exc}\nhint: {exc.hint}\n")
        return 1
    failed = [c for c in results if not c.ok]
    summary = {
        "set_problems": problems,
        "items": len(results),
        "fixture_backed_items": sum(c.fixture is not None for c in results),
        "references_run": sum(len(c.runs) for c in results),
        "references_parsed_only": sum(len(r.references) for r in chosen if r.fixture is None),
        "failed_items": len(failed),
        "failures": {c.id: c.problems for c in failed},
        "notes": {c.id: c.notes for c in results if c.notes},
        "seconds": round(time.perf_counter() - start, 1),
    }
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        detail = [
            {
                "id": c.id,
                "problems": c.problems,
                "runs": [
                    {
                        "command": r.command,
                        "exit_code": r.exit_code,
                        "stdout": r.stdout,
                        "stderr": r.stderr,
                        "changes": r.changes,
                    }
                    for r in c.runs
                ],
            }
            for c in results
        ]
        args.out.write_text(json.dumps(detail, indent=1) + "\n", encoding="utf-8")
    _write(summary)
    return 1 if failed or problems else 0

"""``python -m evals fix``: how well ``cmdai fix`` corrects failed commands, beside the plain model.

The labelled set is ``datasets/fix/fix.jsonl`` (see its README): a failed command line, its exit
status and error output, the category of mistake, references, and a core fixture where the
answer can be judged by running it. Every item is answered twice, from the same request
text (``cmdai.fix.fix_request``: the failed line and its status; with ``--rerun`` also its
error output, as ``cmdai fix --rerun`` sends it):

- ``cmdai``: ``Engine.propose``, the path ``cmdai fix`` ships (prompt, parser, checks, gate);
- ``plain``: the plain-model baseline (``evals.baseline``): same model, no cmdai code.

Judged by the execution judge where the item has a fixture (the sandbox, as ``evals run``),
else NLC2CMD and exact match. ``unchanged`` counts answers that repeat the failed command.

    python -m evals fix run [--split dev|test|all] [--limit N] [--rerun] [--out DIR]
    python -m evals fix check [--write]   # every failed line fails, every reference works
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from evals.run import EVAL_CWD, REPO

FIX_DIR = REPO / "datasets" / "fix"
FIX_PATH = FIX_DIR / "fix.jsonl"
CATEGORIES = ("typo", "flags", "gnu_bsd", "sudo", "order", "quotes")
SYSTEMS = ("cmdai", "plain")


def load_items(
    split: str | None = "dev", limit: int | None = None, path: Path = FIX_PATH
) -> list[dict[str, Any]]:
    """The labelled failed commands (a split or all), evenly spaced down to ``limit``."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for row in rows:
        missing = {"id", "failed", "status", "references", "category", "split"} - set(row)
        if missing or row["category"] not in CATEGORIES or not row["references"]:
            raise ValueError(f"{path}: item {row.get('id')!r} is malformed ({sorted(missing)})")
    rows = [r for r in rows if split in (None, "all", r["split"])]
    if limit is not None and len(rows) > limit:
        step = len(rows) / limit
        rows = [rows[int(i * step)] for i in range(limit)]
    return rows


def request_of(item: dict[str, Any], rerun: bool = False) -> str:
    """The request ``cmdai fix`` sends for this item (``--rerun``: with its error output)."""
    from cmdai.fix import fix_request

    return fix_request(item["failed"], item.get("status"), item.get("stderr") if rerun else None)


Answer = Callable[[str], "str | None"]


def cmdai_answerer(engine: Any, failed: dict[str, str] | None = None) -> Answer:
    """Answers through ``Engine.propose``; the command, or None when there is none.

    ``failed`` maps each request to its failed command, which the engine avoids repeating, as
    ``cmdai fix`` does.
    """

    def answer(request: str) -> str | None:
        avoid = (failed or {}).get(request)
        proposal = dataclasses.replace(engine, avoid=avoid).propose(request)
        return str(proposal.command) if proposal.command else None

    return answer


def plain_answerer(backend: Any, seed: int = 0) -> Answer:
    """Answers through the plain-model baseline (same model, no cmdai code)."""
    from evals.baseline import plain_system

    system = plain_system(backend, seed=seed)
    return lambda request: system(request).command


def same_command(a: str | None, b: str) -> bool:
    """True when ``a`` is ``b`` up to whitespace and safe quoting."""
    from evals.judges import normalise_command

    return a is not None and normalise_command(a) == normalise_command(b)


def answer_items(
    items: Sequence[dict[str, Any]],
    answerers: dict[str, Answer],
    judges: Sequence[Any],
    *,
    rerun: bool = False,
) -> list[dict[str, Any]]:
    """One record per item and system: the answer, its scores, errors as data."""
    from cmdai.errors import CmdaiError
    from evals.judges import judge_item

    records = []
    for number, item in enumerate(items, start=1):
        request = request_of(item, rerun)
        for system, answer in answerers.items():
            record: dict[str, Any] = {
                "id": item["id"],
                "system": system,
                "category": item["category"],
                "split": item["split"],
                "failed": item["failed"],
                "request": request,
                "error": None,
            }
            started = time.perf_counter()
            try:
                command = answer(request)
            except CmdaiError as exc:
                command, record["error"] = None, f"{exc.kind}: {exc.message}"
            record["latency_s"] = round(time.perf_counter() - started, 4)
            record["command"] = command
            record["unchanged"] = same_command(command, item["failed"])
            scores: dict[str, float | None] = {}
            if command is None:
                for judge in judges:
                    applies = judge.name != "execution" or item.get("fixture")
                    scores[judge.name] = 0.0 if applies else None
            else:
                verdicts = judge_item(item, command, judges)
                scores = {name: (v.value if v else None) for name, v in verdicts.items()}
            record["scores"] = scores
            records.append(record)
            sys.stderr.write(
                f"[{number}/{len(items)}] {system:<5} {item['id']:<16} {command!r} {scores}\n"
            )
    return records


def summarize(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Per system, and per system and category: means of each judge (where it applies)."""

    def block(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {"items": len(rows)}
        names = sorted({n for r in rows for n in r["scores"]})
        for name in names:
            values = [r["scores"][name] for r in rows if r["scores"].get(name) is not None]
            out[name] = round(sum(values) / len(values), 4) if values else None
            out[f"{name}_n"] = len(values)
        out["answered"] = round(sum(r["command"] is not None for r in rows) / len(rows), 4)
        out["unchanged"] = round(sum(r["unchanged"] for r in rows) / len(rows), 4)
        out["errors"] = sum(r["error"] is not None for r in rows)
        return out

    summary: dict[str, Any] = {}
    for system in sorted({r["system"] for r in records}):
        rows = [r for r in records if r["system"] == system]
        summary[system] = block(rows)
        summary[system]["by_category"] = {
            c: block([r for r in rows if r["category"] == c])
            for c in CATEGORIES
            if any(r["category"] == c for r in rows)
        }
    return summary


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def print_table(summary: dict[str, Any]) -> None:
    """A Markdown table: execution, NLC2CMD, exact, answered, unchanged per system."""
    _say("| system | items | execution (n) | nlc2cmd | exact | answered | unchanged |")
    _say("|---|---|---|---|---|---|---|")
    for system, s in summary.items():
        _say(
            f"| {system} | {s['items']} | {s.get('execution')} ({s.get('execution_n')}) | "
            f"{s.get('nlc2cmd')} | {s.get('exact')} | {s['answered']} | {s['unchanged']} |"
        )
    for system, s in summary.items():
        cells = ", ".join(
            f"{c} {v.get('execution')}/{v.get('nlc2cmd')}" for c, v in s["by_category"].items()
        )
        _say(f"\n{system} by category (execution/nlc2cmd): {cells}")


def provenance(
    settings: Any, backend: Any, engine: Any, args: argparse.Namespace
) -> dict[str, Any]:
    """What reproduces the run: versions, model, dataset, prompt, machine."""
    from cmdai import __version__
    from cmdai.settings import as_dict
    from evals.data import dataset_sha256
    from evals.run import git_commit

    return {
        "cmdai": __version__,
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "model": backend.describe(),
        "prompt": engine.template.id,
        "settings": as_dict(settings),
        "dataset": {"path": "datasets/fix", "sha256": dataset_sha256(FIX_DIR)},
        "split": args.split,
        "limit": args.limit,
        "rerun": args.rerun,
        "machine": {"cores": os.cpu_count(), "platform": platform.platform()},
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Answer and judge the selected items with each system; write samples and summary."""
    from cmdai.backends import create_backend
    from cmdai.core import create_engine
    from cmdai.prompts import Environment
    from cmdai.settings import load_settings
    from evals.judges import default_judges, memory_scratch

    resolved = load_settings({"backend": args.backend} if args.backend else {})
    backend = create_backend(resolved.settings, resolved.cache_dir)
    engine = create_engine(resolved.settings, backend)
    # Answers must not depend on this host's directory (as in evals run).
    engine = dataclasses.replace(
        engine, env=dataclasses.replace(engine.env, cwd=EVAL_CWD), declines=False
    )
    assert isinstance(engine.env, Environment)
    answerers: dict[str, Answer] = {}
    items = load_items(args.split, args.limit)
    if "cmdai" in args.systems:
        failed = {request_of(item, args.rerun): item["failed"] for item in items}
        answerers["cmdai"] = cmdai_answerer(engine, failed)
    if "plain" in args.systems:
        answerers["plain"] = plain_answerer(backend, resolved.settings.seed)
    judges = default_judges(timeout_s=5.0, scratch=memory_scratch())
    records = answer_items(items, answerers, judges, rerun=args.rerun)
    summary = {
        "summary": summarize(records),
        **provenance(resolved.settings, backend, engine, args),
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "samples.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print_table(summary["summary"])
    _say(f"\nwrote {out / 'samples.jsonl'} and {out / 'summary.json'}")
    return summary


# -- check the labelled set ----------------------------------------------------------------------


def check(write: bool = False, path: Path = FIX_PATH) -> list[str]:
    """Problems with the set (items with a fixture, run in the sandbox).

    A failed line that succeeds, a reference that fails, or one that disagrees with the first.

    With ``write``, each fixture item's ``status`` and ``stderr`` are set from the sandboxed
    run of its failed line (what ``cmdai fix`` and ``--rerun`` would see).
    """
    from cmdai.sandbox import Sandbox
    from evals.judges import ExecutionJudge, JudgeItem, fixture_populator

    sandbox = Sandbox()
    populate = fixture_populator()
    judge = ExecutionJudge(sandbox, populate)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    problems = []
    for row in rows:
        if not row.get("fixture"):
            if row.get("status") in (None, 0):
                problems.append(f"{row['id']}: no fixture and no failing status")
            continue
        with tempfile.TemporaryDirectory(prefix="cmdai-fix-check-") as tmp:
            populate(row["fixture"])(Path(tmp), time.time())
            result = sandbox.run(row["failed"], Path(tmp))
        if result.exit_code == 0:
            problems.append(f"{row['id']}: the failed line succeeds: {row['failed']}")
        if write:
            row["status"] = result.exit_code
            row["stderr"] = result.stderr.strip()[-600:]
        for reference in row["references"]:
            with tempfile.TemporaryDirectory(prefix="cmdai-fix-check-") as tmp:
                populate(row["fixture"])(Path(tmp), time.time())
                ran = sandbox.run(reference, Path(tmp))
            if ran.exit_code != 0:
                problems.append(f"{row['id']}: reference fails ({ran.exit_code}): {reference}")
        first = JudgeItem.from_mapping({**row, "references": row["references"][:1]})
        for reference in row["references"][1:]:
            score = judge.score(first, reference)
            if score is None or score.value < 1.0:
                problems.append(f"{row['id']}: references disagree: {reference}")
    if write:
        path.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
    return problems


def main(argv: list[str] | None = None) -> None:
    """Entry point: ``run`` (the measurement) or ``check`` (the labelled set)."""
    parser = argparse.ArgumentParser(prog="python -m evals fix", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="answer and judge the set")
    run_parser.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    run_parser.add_argument("--limit", type=int, default=None)
    run_parser.add_argument("--rerun", action="store_true", help="send the error output too")
    run_parser.add_argument("--systems", default="cmdai,plain")
    run_parser.add_argument("--backend", default=None, help="cmdai backend (default: settings)")
    run_parser.add_argument("--out", default="runs/fix")
    check_parser = sub.add_parser("check", help="check the labelled set in the sandbox")
    check_parser.add_argument("--write", action="store_true", help="record status and stderr")
    args = parser.parse_args(argv)
    if args.command == "check":
        problems = check(args.write)
        for problem in problems:
            _say(problem)
        _say(f"{len(problems)} problems")
        raise SystemExit(1 if problems else 0)
    args.systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    run(args)

"""``python -m evals merge RUN_DIRS... --out DIR``: join the shards of one configuration.

A big configuration can be answered in slices (``dataset.shard=I dataset.num_shards=N``, one
run per slice, on as many machines or processes as there are slices). Merging checks that the
runs are the N slices of ONE configuration (the same config apart from the shard, the same
model, dataset, prompt and commit; every shard once), puts the records back in the order a
serial run answers them (cmdai's, then each baseline's, by item), and recomputes the summary
from the records with the code ``evals run`` uses (``evals.run.run_metrics``), so it equals a
serial run's, timings aside. The slices' wall times are kept apart (``shards``); the latency
floor and cold runs, per-machine measurements, are not merged.

    python -m evals run dataset=external_dev dataset.num_shards=2 dataset.shard=0 ...
    python -m evals run dataset=external_dev dataset.num_shards=2 dataset.shard=1 ...
    python -m evals merge runs/ext/0 runs/ext/1 --out runs/ext/merged

(``...``: ``hydra.run.dir=runs/ext/0``, ``runs/ext/1``.)
"""

from __future__ import annotations

import argparse
import copy
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# What may differ between the slices of one configuration.
_PER_SHARD = ("started", "machine", "metrics")


def _read_run(run_dir: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
        lines = (run_dir / "samples.jsonl").read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError) as exc:
        raise SystemExit(f"merge: {run_dir} is not a finished run: {exc}") from None
    return summary, [json.loads(line) for line in lines if line.strip()]


def _identity(summary: dict[str, Any]) -> dict[str, Any]:
    """Everything that decides the answers: the summary minus what a slice may differ in."""
    same = {k: v for k, v in summary.items() if k not in _PER_SHARD}
    same = copy.deepcopy(same)
    same["config"]["dataset"].pop("shard", None)
    return same


def merge(run_dirs: Sequence[Path], out: Path) -> dict[str, Any]:
    """Merge the slices in ``run_dirs`` into ``out`` (samples.jsonl, summary.json)."""
    from evals.run import check_targets, run_metrics

    runs = [_read_run(d) for d in run_dirs]
    if not runs:
        raise SystemExit("merge: no runs given")
    first = runs[0][0]
    num_shards = int(first["config"]["dataset"].get("num_shards", 1))
    shards = sorted(int(s["config"]["dataset"].get("shard", 0)) for s, _ in runs)
    if shards != list(range(num_shards)):
        raise SystemExit(
            f"merge: need shards 0..{num_shards - 1} once each (dataset.num_shards={num_shards}); "
            f"got {shards}"
        )
    expected = _identity(first)
    for (summary, _), run_dir in zip(runs, run_dirs, strict=True):
        found = _identity(summary)
        if found != expected:
            differ = sorted(k for k in expected if found.get(k) != expected[k])
            raise SystemExit(
                f"merge: {run_dir} is not a slice of the same configuration as {run_dirs[0]} "
                f"(differs in {', '.join(differ)})"
            )

    systems = ["cmdai", *first["config"].get("baselines", [])]
    records = [r for _, rs in runs for r in rs]
    if any(r.get("index") is None for r in records):
        raise SystemExit("merge: records without an item index (made before sharding existed)")
    records.sort(key=lambda r: (systems.index(r["system"]), r["index"]))
    kind = first["config"]["dataset"]["kind"]
    samples = [r for r in records if r["system"] == "cmdai"]
    baselines = {name: [r for r in records if r["system"] == name] for name in systems[1:]}

    metrics = run_metrics(samples, {k: v for k, v in baselines.items() if v}, kind)
    metrics["wall_s"] = max(s["metrics"]["wall_s"] for s, _ in runs)
    metrics["peak_rss_mb"] = max(s["metrics"]["peak_rss_mb"] for s, _ in runs)
    metrics["shards"] = [
        {"dir": str(d), "wall_s": s["metrics"]["wall_s"], "samples": s["metrics"]["samples"]}
        for (s, _), d in zip(runs, run_dirs, strict=True)
    ]
    metrics["targets"] = check_targets(_typed_config(first["config"]), metrics)

    summary = copy.deepcopy(first)
    summary["config"]["dataset"]["shard"] = 0
    summary["config"]["dataset"]["num_shards"] = 1
    summary["merged_from"] = [str(d) for d in run_dirs]
    summary["metrics"] = metrics
    out.mkdir(parents=True, exist_ok=True)
    with (out / "samples.jsonl").open("w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def _typed_config(config: dict[str, Any]) -> Any:
    """The run's config as ``check_targets`` reads it (the typed schema, from the summary)."""
    from omegaconf import OmegaConf

    from evals.config import RunConfig

    typed = OmegaConf.merge(OmegaConf.structured(RunConfig), config)
    return OmegaConf.to_object(typed)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m evals merge", description=__doc__)
    parser.add_argument("runs", type=Path, nargs="+", help="the shards' run directories")
    parser.add_argument("--out", type=Path, required=True, help="where the merged run goes")
    args = parser.parse_args(argv)
    summary = merge(args.runs, args.out)
    from evals.run import print_summary

    print_summary(summary, args.out)


if __name__ == "__main__":
    main()

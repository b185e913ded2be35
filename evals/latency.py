"""``python -m evals latency``: warm latency of prompt configurations, in one process.

The accuracy work may cost at most 15% of p50 latency over the same build without it
(issue 11), and machines are noisy, so configurations are compared in ONE run: one loaded
model, the same requests (the core dev split's first ``--limit``), each configuration warmed
up once, then the requests answered in rounds that rotate the order of the configurations
(so drift in the machine's load spreads evenly), each in a fresh copy of its item's fixture
(the files cmdai reads what is here from). Reports p50/p95 per configuration and each
p50 as a ratio to the first configuration's, and, where the command streams (the fenced
formats), the time to its first character as a terminal would show it.

    python -m evals latency --prompts fenced,fenced-bare,brief --limit 30 --out results/latency.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from evals.metrics import percentile


def measure(prompts: list[str], limit: int, rounds: int = 2) -> dict[str, Any]:
    """Seconds per request for each prompt template, answered in rotating order."""
    from cmdai.backends import create_backend
    from cmdai.core import create_engine
    from cmdai.prompts import get_template
    from cmdai.settings import Settings, cache_dir
    from evals import data
    from evals.config import compose_config
    from evals.run import EVAL_CWD, fixture_dirs
    from evals.targets import machine

    items = [dict(row) for row in data.load_core("dev")][:limit]
    workdirs = fixture_dirs(compose_config())
    settings = Settings()
    backend = create_backend(settings, cache_dir())
    base = create_engine(settings, backend, shell="/bin/bash")  # noqa: S604
    base = dataclasses.replace(base, env=dataclasses.replace(base.env, cwd=EVAL_CWD))
    engines = {p: dataclasses.replace(base, template=get_template(p)) for p in prompts}
    for engine in engines.values():
        engine.propose("list the files here")  # warm-up: prefix state, caches
    seconds: dict[str, list[float]] = {p: [] for p in prompts}
    first_char: dict[str, list[float]] = {p: [] for p in prompts}
    tokens: dict[str, list[int]] = {p: [] for p in prompts}
    for round_ in range(rounds):
        for i, item in enumerate(items):
            shift = (i + round_) % len(prompts)
            # The item's fixture is the directory cmdai reads what is here from, as in a run.
            with workdirs(item) as workdir:
                for prompt in prompts[shift:] + prompts[:shift]:
                    engine = dataclasses.replace(engines[prompt], workdir=workdir)
                    shown: list[float] = []

                    def on_text(text: str, shown: list[float] = shown) -> None:
                        if not shown and text.split("\n", 1)[0].strip():
                            shown.append(time.perf_counter())

                    started = time.perf_counter()
                    proposal = engine.propose(item["request"], on_text=on_text)
                    seconds[prompt].append(time.perf_counter() - started)
                    if shown:
                        first_char[prompt].append(shown[0] - started)
                    tokens[prompt].append(proposal.generation.completion_tokens)
    first = statistics.median(seconds[prompts[0]])
    return {
        "requests": len(items),
        "rounds": rounds,
        "machine": machine(),
        "prompts": {
            p: {
                "p50_s": statistics.median(seconds[p]),
                "p95_s": percentile(seconds[p], 95),
                "ratio_p50": statistics.median(seconds[p]) / first,
                "completion_tokens_mean": statistics.fmean(tokens[p]),
                "first_char_p50_s": (statistics.median(first_char[p]) if first_char[p] else None),
                "template": get_template(p).id,
            }
            for p in prompts
        },
    }


def main(argv: list[str] | None = None) -> None:
    """Measure, print a table, and write JSON (``--out``)."""
    parser = argparse.ArgumentParser(prog="python -m evals latency", description=__doc__)
    parser.add_argument("--prompts", default="fenced,fenced-bare,brief")
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    prompts = [p.strip() for p in args.prompts.split(",") if p.strip()]
    result = measure(prompts, args.limit, args.rounds)
    lines = [
        "| prompt | p50 s | p95 s | p50 / first | tokens out | first character p50 s |",
        "|---|---|---|---|---|---|",
    ]
    for r in result["prompts"].values():
        first = "" if r["first_char_p50_s"] is None else f"{r['first_char_p50_s']:.2f}"
        lines.append(
            f"| {r['template']} | {r['p50_s']:.2f} | {r['p95_s']:.2f} | {r['ratio_p50']:.2f} | "
            f"{r['completion_tokens_mean']:.1f} | {first} |"
        )
    sys.stdout.write("\n".join(lines) + "\n")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

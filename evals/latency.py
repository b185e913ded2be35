"""``python -m evals latency``: warm latency of prompt configurations, in one process.

The accuracy work may cost at most 15% of p50 latency over the same build without it
(issue 11), and machines are noisy, so configurations are compared in ONE run: one loaded
model, the same requests (the core dev split's first ``--limit``), each configuration warmed
up once, then the requests answered in rounds that rotate the order of the configurations
(so drift in the machine's load spreads evenly), each in a fresh copy of its item's fixture
(the files cmdai reads what is here from). Reports p50/p95 per configuration and each
p50 as a ratio to the first configuration's, and, where the command streams (the fenced
formats), the time to its first character as a terminal would show it.

``--drafts 0,6`` crosses each prompt with prompt-lookup speculation of up to that many tokens
(0: off) and reports, per configuration, the share of draft tokens accepted and whether every
command equals the first configuration's (speculation must not change an answer).
``--rehearse off,on`` crosses them with the ``rehearse`` setting (the greedy command tried in
the sandbox, more drafts when it fails there). ``--dataset external_dev`` (any of
``configs/dataset``) takes the requests from another split, with the eval run's view of the
tldr pages (its own rows hidden), so the cost of a named program's examples shows: none of
the core dev requests names one.

    python -m evals latency --prompts fenced,fenced-bare,brief --limit 30 --out results/latency.json
    python -m evals latency --prompts fenced --drafts 0,4,8 --limit 30
    python -m evals latency --prompts fenced --rehearse off,on --limit 30
    python -m evals latency --prompts fenced,fenced-no-pages --dataset external_dev --limit 30
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


def measure(
    prompts: list[str],
    limit: int,
    rounds: int = 2,
    drafts: tuple[int, ...] = (0,),
    rehearse: tuple[bool, ...] = (False,),
    repack: bool = False,
    dataset: str = "core_dev",
    backend_name: str = "llamacpp",
) -> dict[str, Any]:
    """Seconds per request for each prompt template (x draft size x rehearse), rotating.

    ``repack`` loads the weights repacked, as the warm server does where its probe found that
    faster (one-shot processes never repack): compare two runs, one each way.
    ``backend_name="fake"`` exercises the loop without a model (the tests).
    """
    from cmdai.backends import create_backend
    from cmdai.core import create_engine
    from cmdai.prompts import get_template
    from cmdai.rehearse import Rehearsal
    from cmdai.settings import Settings, cache_dir
    from evals.config import compose_config
    from evals.run import EVAL_CWD, fixture_dirs, load_items, unseen_program_examples
    from evals.targets import machine

    cfg = compose_config(f"dataset={dataset}")
    items = load_items(cfg)[0][:limit]
    workdirs = fixture_dirs(cfg)
    settings = Settings(backend=backend_name, repack="on" if repack else "off")
    backend = create_backend(settings, cache_dir())
    base = create_engine(settings, backend, shell="/bin/bash")  # noqa: S604
    base = dataclasses.replace(
        base,
        env=dataclasses.replace(base.env, cwd=EVAL_CWD),
        program_examples=unseen_program_examples(cfg),
    )
    crossed = [(p, d, r) for p in prompts for d in drafts for r in rehearse]
    configs = [_label(p, d, r) for p, d, r in crossed]
    setup = {_label(p, d, r): (get_template(p), d, r) for p, d, r in crossed}
    engines = {
        c: dataclasses.replace(
            base, template=setup[c][0], rehearsal=Rehearsal() if setup[c][2] else None
        )
        for c in configs
    }
    for config, engine in engines.items():
        _set_drafts(backend, setup[config][1])
        engine.propose("list the files here")  # warm-up: prefix state, caches
    seconds: dict[str, list[float]] = {c: [] for c in configs}
    first_char: dict[str, list[float]] = {c: [] for c in configs}
    tokens: dict[str, list[int]] = {c: [] for c in configs}
    commands: dict[str, list[str | None]] = {c: [] for c in configs}
    drafted = dict.fromkeys(configs, 0)
    accepted = dict.fromkeys(configs, 0)
    for round_ in range(rounds):
        for i, item in enumerate(items):
            shift = (i + round_) % len(configs)
            # The item's fixture is the directory cmdai reads what is here from, as in a run.
            with workdirs(item) as workdir:
                for prompt in configs[shift:] + configs[:shift]:
                    _set_drafts(backend, setup[prompt][1])
                    before = (getattr(backend, "drafted", 0), getattr(backend, "accepted", 0))
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
                    commands[prompt].append(proposal.command)
                    drafted[prompt] += getattr(backend, "drafted", 0) - before[0]
                    accepted[prompt] += getattr(backend, "accepted", 0) - before[1]
    first = statistics.median(seconds[configs[0]])
    return {
        "dataset": dataset,
        "requests": len(items),
        "rounds": rounds,
        "repacked": repack,
        "machine": machine(),
        "prompts": {
            c: {
                "p50_s": statistics.median(seconds[c]),
                "p95_s": percentile(seconds[c], 95),
                "ratio_p50": statistics.median(seconds[c]) / first,
                "completion_tokens_mean": statistics.fmean(tokens[c]),
                "first_char_p50_s": (statistics.median(first_char[c]) if first_char[c] else None),
                "template": setup[c][0].id,
                "draft_tokens": setup[c][1],
                "rehearse": setup[c][2],
                "drafted": drafted[c],
                "acceptance": accepted[c] / drafted[c] if drafted[c] else None,
                "same_commands_as_first": sum(
                    a == b for a, b in zip(commands[c], commands[configs[0]], strict=True)
                )
                / len(commands[c]),
                "commands": commands[c],
            }
            for c in configs
        },
    }


def _label(prompt: str, draft: int, rehearse: bool = False) -> str:
    label = prompt if draft == 0 else f"{prompt} +draft{draft}"
    return f"{label} +rehearse" if rehearse else label


def _set_drafts(backend: Any, size: int) -> None:
    """Prompt-lookup speculation on the local backend (other backends have none)."""
    if hasattr(backend, "draft_tokens"):
        backend.draft_tokens = size


def main(argv: list[str] | None = None) -> None:
    """Measure, print a table, and write JSON (``--out``)."""
    parser = argparse.ArgumentParser(prog="python -m evals latency", description=__doc__)
    parser.add_argument("--prompts", default="fenced,fenced-bare,brief")
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--drafts", default="0", help="prompt-lookup draft sizes, e.g. 0,6")
    parser.add_argument("--rehearse", default="off", help="the rehearse setting, e.g. off,on")
    parser.add_argument(
        "--repack", choices=("off", "on"), default="off", help="load the weights repacked"
    )
    parser.add_argument(
        "--dataset", default="core_dev", help="the requests' split (configs/dataset)"
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    prompts = [p.strip() for p in args.prompts.split(",") if p.strip()]
    drafts = tuple(int(d) for d in args.drafts.split(",") if d.strip())
    modes = {"off": False, "on": True}
    try:
        rehearse = tuple(modes[m.strip()] for m in args.rehearse.split(",") if m.strip())
    except KeyError:
        parser.error("--rehearse takes off, on or off,on")
    result = measure(
        prompts, args.limit, args.rounds, drafts, rehearse, args.repack == "on", args.dataset
    )
    lines = [
        "| prompt | drafts | rehearse | p50 s | p95 s | p50 / first | tokens out "
        "| first character p50 s | accepted | same commands |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result["prompts"].values():
        first = "" if r["first_char_p50_s"] is None else f"{r['first_char_p50_s']:.2f}"
        accepted = "" if r["acceptance"] is None else f"{r['acceptance']:.2f}"
        lines.append(
            f"| {r['template']} | {r['draft_tokens']} | {'on' if r['rehearse'] else 'off'} | "
            f"{r['p50_s']:.2f} | {r['p95_s']:.2f} | "
            f"{r['ratio_p50']:.2f} | {r['completion_tokens_mean']:.1f} | {first} | {accepted} | "
            f"{r['same_commands_as_first']:.2f} |"
        )
    sys.stdout.write("\n".join(lines) + "\n")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

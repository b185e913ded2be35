"""The model as its own yes/no verifier: can it pick the right answer among several?

Measured and not shipped (docs/accuracy.md). For each item of a run, the commands of up to
three systems (cmdai's fenced answer, a ``fenced-think`` run's, the plain model's from the same
run as cmdai's) are shown to the model with the request, and it is asked whether the command
does exactly what was asked; the score is log P(yes) - log P(no) at its first token. ``pick``
then simulates choosing, per item, the best-scored command (the fenced one unless another
beats it by a margin), and reports the oracle of the systems.

    python -m evals.verifier score RUN_DIR THINK_RUN_DIR --out scores.json   # loads the model
    python -m evals.verifier pick scores.json
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.confidence import auroc
from evals.data import read_jsonl
from evals.metrics import primary_score

SYSTEM = (
    "You check shell commands for a careful user. Given a request and a bash command for Linux "
    "(GNU tools), answer Yes if the command does exactly what the request asks, else No. "
    "Answer with one word."
)
MARGINS = (0.0, 1.0, 2.0)
CHOICES: tuple[tuple[str, ...], ...] = (
    ("fenced", "think"),
    ("fenced", "plain"),
    ("fenced", "think", "plain"),
)


def score_runs(run: Path, think: Path) -> list[dict[str, Any]]:
    """Each item's candidates as ``{system: [command, accuracy, verifier score]}``."""
    import numpy as np

    from cmdai import llama_compat
    from cmdai.backends import create_backend
    from cmdai.backends.base import Message
    from cmdai.backends.llamacpp import LlamaCppBackend
    from cmdai.settings import Settings, cache_dir

    backend = create_backend(Settings(server="off"), cache_dir())
    assert isinstance(backend, LlamaCppBackend)
    backend.load()
    llm = backend._llm
    n_vocab = llm.n_vocab()

    def single_tokens(words: Sequence[str]) -> list[int]:
        ids = {tuple(llm.tokenize(w.encode(), add_bos=False, special=False)) for w in words}
        return sorted(t[0] for t in ids if len(t) == 1)

    yes = single_tokens(["Yes", "yes", " Yes", " yes", "YES"])
    no = single_tokens(["No", "no", " No", " no", "NO"])

    def verify(request: str, command: str) -> float:
        user = (
            f"Request: {request}\nCommand: {command}\n"
            "Does the command do exactly what the request asks?"
        )
        tokens = backend._tokenize(
            backend._render(
                (Message("system", SYSTEM), Message("user", user)), generation_prompt=True
            )
        )
        llama_compat.eval_prompt(llm, tokens)
        logits = np.asarray(llama_compat.last_logits(llm, n_vocab), dtype=np.float64)
        peak = float(logits.max())
        mass = np.exp(logits - peak)
        return math.log(float(mass[yes].sum())) - math.log(float(mass[no].sum()))

    samples = _samples(run)
    ours = {s["id"]: s for s in samples if s.get("system", "cmdai") == "cmdai"}
    plain = {s["id"]: s for s in samples if s.get("system") == "plain"}
    again = {s["id"]: s for s in _samples(think) if s.get("system", "cmdai") == "cmdai"}
    rows = []
    for item, sample in ours.items():
        candidates = {}
        for name, source in (("fenced", ours), ("think", again), ("plain", plain)):
            record = source.get(item)
            if record and record.get("kind") == "command" and record.get("command"):
                command = record["command"]
                accuracy = primary_score(record) or 0.0
                candidates[name] = [command, accuracy, verify(sample["request"], command)]
        rows.append(
            {"id": item, "accuracy": primary_score(sample) or 0.0, "candidates": candidates}
        )
    return rows


def pick_report(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Accuracy of picking by the verifier, per choice of systems and margin; AUROC; oracle."""
    n = len(rows)

    def picked(row: dict[str, Any], systems: tuple[str, ...], margin: float) -> float:
        found = row["candidates"]
        if "fenced" not in found:
            return float(row["accuracy"])
        best = max((s for s in systems if s in found), key=lambda s: found[s][2])
        if best != "fenced" and found[best][2] - found["fenced"][2] <= margin:
            best = "fenced"
        return float(found[best][1])

    report: dict[str, Any] = {
        "items": n,
        "fenced": sum(r["accuracy"] for r in rows) / n if n else None,
        "oracle": sum(max([r["accuracy"]] + [c[1] for c in r["candidates"].values()]) for r in rows)
        / n
        if n
        else None,
    }
    for systems in CHOICES:
        for margin in MARGINS:
            key = f"{'+'.join(systems)} margin {margin:g}"
            report[key] = sum(picked(r, systems, margin) for r in rows) / n if n else None
    fenced = [r["candidates"]["fenced"] for r in rows if "fenced" in r["candidates"]]
    right = [c[2] for c in fenced if c[1] >= 1]
    wrong = [c[2] for c in fenced if c[1] < 1]
    report["auroc_fenced"] = auroc(right, wrong)
    return report


def _samples(run: Path) -> list[dict[str, Any]]:
    return read_jsonl(run / "samples.jsonl")


def main(argv: list[str] | None = None) -> int:
    """``score`` (loads the model) or ``pick`` (reads the scores)."""
    parser = argparse.ArgumentParser(prog="python -m evals.verifier", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    score = commands.add_parser("score", help="score the candidates of two runs with the model")
    score.add_argument("run", type=Path, help="a run with cmdai's and the plain model's answers")
    score.add_argument("think", type=Path, help="a fenced-think run of the same items")
    score.add_argument("--out", type=Path, required=True)
    pick = commands.add_parser("pick", help="simulate picking by the scores")
    pick.add_argument("scores", type=Path)
    args = parser.parse_args(argv)
    if args.command == "score":
        rows = score_runs(args.run, args.think)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(rows) + "\n", encoding="utf-8")
    else:
        rows = json.loads(args.scores.read_text(encoding="utf-8"))
        sys.stdout.write(json.dumps(pick_report(rows), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The engine floor: bare llama.cpp doing the least work any answer needs.

For a sample that cmdai answered with ``n_in`` uncached prompt tokens and ``n_out`` generated
tokens, the floor evaluates exactly ``n_in`` tokens of the request on an empty context and then
greedily generates ``n_out`` tokens: no chat template, no prefix state, no constraint, no
parsing, no safety gate. cmdai's latency divided by the floor is how much our own code costs,
and it is steady across machines (both sides scale with the CPU), which is what the CI gate
compares.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cmdai.llama_compat import clear_kv
from evals.metrics import percentile


@dataclass(frozen=True)
class FloorCase:
    """One request's shape: its text and how many tokens cmdai evaluated and generated."""

    text: str
    n_in: int
    n_out: int


def load_llama(model_path: Path, n_ctx: int, threads: int, repack: bool = False) -> Any:
    """A ``llama_cpp.Llama`` loaded exactly the way cmdai's backend loads it.

    ``repack`` loads the weights repacked, the layout a warm server uses where its probe
    found it faster (one-shot processes never repack).
    """
    import contextlib

    from llama_cpp import Llama

    from cmdai.llama_compat import without_weight_repacking

    with contextlib.nullcontext() if repack else without_weight_repacking():
        return Llama(
            model_path=str(model_path),
            n_ctx=n_ctx,
            n_threads=threads,
            n_threads_batch=threads,
            verbose=False,
        )


def floor_seconds(llm: Any, case: FloorCase) -> float:
    """Seconds to evaluate ``case.n_in`` request tokens and generate ``case.n_out`` tokens."""
    tokens = list(llm.tokenize(case.text.encode("utf-8"), add_bos=False, special=False)) or [0]
    while len(tokens) < case.n_in:  # pad by repetition: the count is what costs time
        tokens += tokens
    tokens = tokens[: max(1, case.n_in)]
    llm.reset()
    clear_kv(llm)
    start = time.perf_counter()
    llm.eval(tokens)
    for _ in range(case.n_out):
        token = llm.sample(temp=0.0)
        llm.eval([token])
    return time.perf_counter() - start


def measure_floor(
    model_path: Path,
    n_ctx: int,
    threads: int,
    cases: Sequence[FloorCase],
    repeats: int = 2,
    repack: bool = False,
) -> dict[str, Any]:
    """Floor latency of each case (one warm-up first), with the median and p95.

    Each case is timed ``repeats`` times and its fastest time kept: a floor is the least the
    engine needs, and on a shared 2-core machine single timings of the same case were seen to
    differ threefold.
    """
    llm = load_llama(model_path, n_ctx, threads, repack)
    floor_seconds(llm, cases[0])  # warm-up: first-touch of the weights
    seconds = [min(floor_seconds(llm, case) for _ in range(max(1, repeats))) for case in cases]
    return {
        "samples": len(seconds),
        "seconds": seconds,
        "p50_s": statistics.median(seconds),
        "p95_s": percentile(seconds, 95),
    }

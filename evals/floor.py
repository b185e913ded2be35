"""The engine floor: bare llama.cpp doing the least work any answer needs.

For a sample that cmdai answered with ``n_in`` uncached prompt tokens and ``n_out`` generated
tokens, the floor evaluates exactly ``n_in`` tokens of the request on an empty context and then
greedily generates ``n_out`` tokens: no chat template, no prefix state, no constraint, no
parsing, no safety gate. cmdai's latency divided by the floor is how much our own code costs,
and it is steady across machines (both sides scale with the CPU), which is what the CI gate
compares.

The prefixed floor (``prefixed=True``) evaluates the same ``n_in`` tokens after ``n_cached``
tokens already in the KV cache, as bare llama.cpp with the same prompt cached must to produce
the same command text: a warm request's suffix attends to its cached prefix, and on 2 cores
that costs more than the same tokens on an empty context.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cmdai.llama_compat import cached_tokens, clear_kv, keep_cached_tokens
from evals.metrics import percentile


@dataclass(frozen=True)
class FloorCase:
    """One request's shape: its text and how many tokens cmdai evaluated and generated."""

    text: str
    n_in: int
    n_out: int
    n_cached: int = 0
    """Prompt tokens cmdai found in its cache (its system prompt and examples)."""


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


def floor_seconds(llm: Any, case: FloorCase, prefixed: bool = False) -> float:
    """Seconds to evaluate ``case.n_in`` request tokens and generate ``case.n_out`` tokens.

    ``prefixed``: after ``case.n_cached`` tokens already in the cache (evaluated untimed).
    """
    tokens = _padded(llm, case.text, max(1, case.n_in))
    prefix = _padded(llm, _PREFIX_TEXT, case.n_cached) if prefixed else []
    if prefix and list(cached_tokens(llm)[: len(prefix)]) == prefix:
        keep_cached_tokens(llm, len(prefix))  # the next eval continues after the prefix
    else:
        llm.reset()
        clear_kv(llm)
        if prefix:
            llm.eval(prefix)
    start = time.perf_counter()
    llm.eval(tokens)
    for _ in range(case.n_out):
        token = llm.sample(temp=0.0)
        llm.eval([token])
    return time.perf_counter() - start


_PREFIX_TEXT = "You are a shell expert. Answer with one bash command in a fenced block. "
"""Stands in for cmdai's system prompt and examples: one text, so the cache keeps it."""


def _padded(llm: Any, text: str, n: int) -> list[int]:
    """``n`` tokens of ``text``, repeated as needed: the count is what costs time."""
    if n <= 0:
        return []
    tokens = list(llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)) or [0]
    while len(tokens) < n:
        tokens += tokens
    return tokens[:n]


def measure_floor(
    model_path: Path,
    n_ctx: int,
    threads: int,
    cases: Sequence[FloorCase],
    repeats: int = 2,
    repack: bool = False,
    prefixed: bool = False,
) -> dict[str, Any]:
    """Floor latency of each case (one warm-up first), with the median and p95.

    Each case is timed ``repeats`` times and its fastest time kept: a floor is the least the
    engine needs, and on a shared 2-core machine single timings of the same case were seen to
    differ threefold. ``prefixed``: each after its cached prefix (``floor_seconds``).
    """
    llm = load_llama(model_path, n_ctx, threads, repack)
    floor_seconds(llm, cases[0], prefixed)  # warm-up: first-touch of the weights
    seconds = [
        min(floor_seconds(llm, case, prefixed) for _ in range(max(1, repeats))) for case in cases
    ]
    return {
        "samples": len(seconds),
        "seconds": seconds,
        "p50_s": statistics.median(seconds),
        "p95_s": percentile(seconds, 95),
    }

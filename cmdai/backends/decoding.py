"""Token-level decoding helpers of the local backend: drafts, loop detection, sampling.

Functions of token ids and logits (numpy), kept apart from llama.cpp's model and KV
cache handling in ``cmdai.backends.llamacpp``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def prompt_lookup(
    history: Sequence[int], size: int, longest: int = 3, shortest: int = 2
) -> list[int]:
    """A draft: the tokens that followed the latest earlier occurrence of the history's end.

    Prompt-lookup decoding: a command copies file names, words and option groups from the
    request, the facts and the worked examples, so the tokens after an earlier occurrence of
    the last few tokens are a likely continuation. The longest n-gram that occurs wins.
    """
    end = len(history)
    for n in range(longest, shortest - 1, -1):
        if end <= n:
            continue
        tail = list(history[end - n :])
        for start in range(end - n - 1, -1, -1):
            if history[start] == tail[0] and list(history[start : start + n]) == tail:
                return list(history[start + n : min(start + n + size, end)])
    return []


class LoopDetector:
    """Stops generation stuck in a loop (``|c|c|c|c...``) instead of letting it run to the limit.

    Greedy decoding of a small model occasionally repeats a short token cycle until max_tokens
    (2% of 200 NL2Bash requests; ~20 s each on 2 cores). Called by llama-cpp-python after
    every token with all token ids so far.
    """

    WINDOW = 48
    MAX_PERIOD = 8

    def __init__(self, prompt_tokens: int) -> None:
        self.prompt_tokens = prompt_tokens
        self.fired = False

    def __call__(self, input_ids: Any, logits: Any) -> bool:
        """Whether the tokens generated so far end in a repeated cycle (then: stop)."""
        generated = list(input_ids[self.prompt_tokens :])
        if len(generated) < self.WINDOW + self.MAX_PERIOD:
            return False
        tail = generated[-self.WINDOW :]
        for period in range(1, self.MAX_PERIOD + 1):
            if tail == generated[-self.WINDOW - period : -period]:
                self.fired = True
                return True
        return False


SAMPLE_TOP_P = 0.95
SAMPLE_TOP_K = 40


def sample(logits: Any, temperature: float, rng: Any) -> int:
    """One token drawn at ``temperature`` from the top-k, top-p part of the distribution."""
    import numpy as np

    top = np.argpartition(logits, -SAMPLE_TOP_K)[-SAMPLE_TOP_K:]
    top = top[np.argsort(logits[top])[::-1]]
    scaled = (logits[top] - logits[top[0]]) / temperature
    probs = np.exp(scaled)
    probs /= probs.sum()
    keep = int(np.searchsorted(np.cumsum(probs), SAMPLE_TOP_P)) + 1
    probs = probs[:keep] / probs[:keep].sum()
    return int(top[int(rng.choice(keep, p=probs))])

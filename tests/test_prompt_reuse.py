"""What a new request reuses of the KV cache: only the stable prefix, so its answer does not
depend on what was asked before; the same prompt again, or one that continues it, more.

The policy (``LlamaCppBackend._evaluate_prompt``) over a stand-in for llama.cpp's context that
records which tokens are evaluated; the real model's side is in tests/test_real_model.py.
"""

from __future__ import annotations

import ctypes
from typing import Any

import numpy as np
import pytest

from cmdai.backends.llamacpp import LlamaCppBackend

N_VOCAB = 8


class _Context:
    def __init__(self) -> None:
        self.logits = (ctypes.c_float * N_VOCAB)()

    def get_logits_ith(self, _i: int) -> Any:
        return ctypes.cast(self.logits, ctypes.POINTER(ctypes.c_float))


class _Llama:
    """The part of ``llama_cpp.Llama`` the prompt's evaluation uses."""

    def __init__(self) -> None:
        self.input_ids = np.zeros(256, dtype=np.intc)
        self.n_tokens = 0
        self._ctx = _Context()
        self.evaluated: list[list[int]] = []

    def eval(self, tokens: list[int]) -> None:
        self.evaluated.append(list(tokens))
        self.input_ids[self.n_tokens : self.n_tokens + len(tokens)] = tokens
        self.n_tokens += len(tokens)
        self._ctx.logits[tokens[-1] % N_VOCAB] += 1.0  # each evaluation leaves its own numbers


@pytest.fixture
def backend() -> LlamaCppBackend:
    made = LlamaCppBackend(lambda: None, n_ctx=256, n_threads=1, seed=0, state_dir=None)  # type: ignore[arg-type, return-value]
    made._llm = _Llama()
    made._stable = 5
    made._llm.eval([1, 2, 3, 4, 5])  # the stable prefix, cached
    made._llm.evaluated.clear()
    return made


PREFIX = [1, 2, 3, 4, 5]


def test_a_new_request_reuses_only_the_stable_prefix(backend: LlamaCppBackend) -> None:
    backend._evaluate_prompt([*PREFIX, 10, 11, 12], N_VOCAB)
    # Another request that shares its first words: they are evaluated again, in one batch.
    backend._evaluate_prompt([*PREFIX, 10, 11, 13], N_VOCAB)
    assert backend._llm.evaluated == [[10, 11, 12], [10, 11, 13]]


def test_the_same_prompt_again_is_answered_from_the_same_numbers(
    backend: LlamaCppBackend,
) -> None:
    prompt = [*PREFIX, 10, 11, 12]
    first = backend._evaluate_prompt(prompt, N_VOCAB).copy()
    backend._llm.eval([20, 21])  # the answer's tokens, after it in the cache
    again = backend._evaluate_prompt(prompt, N_VOCAB)
    assert backend._llm.evaluated == [[10, 11, 12], [20, 21]]  # nothing evaluated again
    assert backend._llm.n_tokens == len(prompt)  # the answer is written after the prompt again
    assert np.array_equal(again, first)


def test_a_prompt_that_continues_the_last_one_reuses_all_of_it(
    backend: LlamaCppBackend,
) -> None:
    prompt = [*PREFIX, 10, 11, 12]
    backend._evaluate_prompt(prompt, N_VOCAB)
    backend._llm.eval([20])  # the first line of the answer
    backend._evaluate_prompt([*prompt, 20, 21, 22], N_VOCAB)  # the rest of an open loop
    assert backend._llm.evaluated == [[10, 11, 12], [20], [21, 22]]


def test_without_a_stable_prefix_nothing_is_reused(backend: LlamaCppBackend) -> None:
    backend._stable = 0
    backend._evaluate_prompt([*PREFIX, 10], N_VOCAB)
    assert backend._llm.evaluated == [[*PREFIX, 10]]

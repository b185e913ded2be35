"""Every use of llama-cpp-python's private or low-level surface, in one place.

cmdai reaches below llama-cpp-python's public API for speed and for hosts where its defaults
crash (see each function). An upgrade that renames one of these fails in
``tests/test_llama_compat.py`` (fast tier, no model) instead of in a user's terminal:
``missing_internals()`` lists what is gone.

The helpers take the ``llama_cpp.Llama`` object as ``Any``: llama-cpp-python's annotations are
partial, and the attributes they reach are not part of its typed API anyway.
"""

from __future__ import annotations

import contextlib
import ctypes
import inspect
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

# (module, attribute path) pairs cmdai uses; checked by missing_internals(). The last part of a
# path may be an instance attribute: then the class's source must assign ``self.<name>``.
INTERNALS: tuple[tuple[str, str], ...] = (
    ("llama_cpp.llama_cpp", "llama_model_default_params"),
    ("llama_cpp.llama_cpp", "llama_state_seq_save_file"),
    ("llama_cpp.llama_cpp", "llama_state_seq_load_file"),
    ("llama_cpp.llama_cpp", "llama_vocab_is_eog"),
    ("llama_cpp.llama_cpp", "llama_token"),
    ("llama_cpp._internals", "LlamaContext.ctx"),
    ("llama_cpp._internals", "LlamaContext.get_logits_ith"),
    ("llama_cpp._internals", "LlamaContext.kv_cache_clear"),
    ("llama_cpp._internals", "LlamaContext.kv_cache_seq_rm"),
    ("llama_cpp._internals", "LlamaContext.decode"),
    ("llama_cpp._internals", "LlamaContext.get_logits"),
    ("llama_cpp._internals", "LlamaBatch.set_batch"),
    ("llama_cpp.llama", "Llama._batch"),
    ("llama_cpp._internals", "LlamaModel.vocab"),
    ("llama_cpp._internals", "LlamaModel.token_get_text"),
    ("llama_cpp.llama", "Llama._ctx"),
    ("llama_cpp.llama", "Llama._model"),
    ("llama_cpp.llama", "Llama.input_ids"),
    ("llama_cpp.llama", "Llama.n_tokens"),
    ("llama_cpp.llama", "Llama.eval"),
    ("llama_cpp.llama", "Llama.reset"),
    ("llama_cpp.llama", "Llama.n_vocab"),
    ("llama_cpp.llama_chat_format", "Jinja2ChatFormatter"),
)


def missing_internals() -> list[str]:
    """The private names cmdai relies on that this llama-cpp-python lacks (empty: all there)."""
    import importlib

    missing = []
    for module_name, path in INTERNALS:
        try:
            obj: Any = importlib.import_module(module_name)
            *parents, last = path.split(".")
            for part in parents:
                obj = getattr(obj, part)
            if not hasattr(obj, last) and not _assigns_attribute(obj, last):
                raise AttributeError(last)
        except (ImportError, AttributeError):
            missing.append(f"{module_name}.{path}")
    return missing


def _assigns_attribute(cls: Any, name: str) -> bool:
    """Whether a class's source sets ``self.<name>`` (an attribute only instances have)."""
    if not inspect.isclass(cls):
        return False
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return False
    return re.search(rf"\bself\.{re.escape(name)}\s*(:[^=\n]+)?=(?!=)", source) is not None


# -- the KV cache and the tokens it holds ------------------------------------------------------


def cached_tokens(llm: Any) -> Sequence[int]:
    """The tokens whose keys and values are in the KV cache now (llama-cpp-python's record)."""
    return llm.input_ids[: llm.n_tokens]  # type: ignore[no-any-return]


def keep_cached_tokens(llm: Any, n: int) -> None:
    """Keep only the first ``n`` cached tokens: the next ``eval`` continues after them."""
    llm.n_tokens = n


def set_cached_tokens(llm: Any, tokens: Sequence[int]) -> None:
    """Record that the KV cache holds exactly ``tokens`` (after restoring it from a file)."""
    llm.input_ids[: len(tokens)] = tokens
    llm.n_tokens = len(tokens)


def clear_kv(llm: Any) -> None:
    """Empty llama.cpp's KV cache (``Llama.reset`` only forgets the token record)."""
    llm._ctx.kv_cache_clear()


def save_seq_state(llm: Any, path: Path, tokens: Sequence[int]) -> bool:
    """Write sequence 0's KV state for ``tokens`` to ``path``; False when llama.cpp fails."""
    import llama_cpp

    array = (llama_cpp.llama_token * len(tokens))(*tokens)
    return bool(
        llama_cpp.llama_state_seq_save_file(llm._ctx.ctx, str(path).encode(), 0, array, len(tokens))
    )


def load_seq_state(llm: Any, path: Path, n: int) -> list[int] | None:
    """Load sequence 0's KV state from ``path`` (at most ``n`` tokens); the tokens it holds.

    None when llama.cpp cannot read the file (missing, truncated, another model or version).
    The caller compares the tokens with the ones it expects before trusting the state.
    """
    import llama_cpp

    buffer = (llama_cpp.llama_token * n)()
    count = ctypes.c_size_t(0)
    read = llama_cpp.llama_state_seq_load_file(
        llm._ctx.ctx, str(path).encode(), 0, buffer, n, ctypes.byref(count)
    )
    if read == 0:
        return None
    return list(buffer[: count.value])


# -- logits and the vocabulary -----------------------------------------------------------------


def last_logits(llm: Any, n_vocab: int) -> Any:
    """The logits of the last evaluated token, as a numpy view (no copy) of llama.cpp's buffer."""
    import numpy as np

    return np.ctypeslib.as_array(llm._ctx.get_logits_ith(-1), shape=(n_vocab,))


def eval_prompt(llm: Any, tokens: Sequence[int], reuse_at_most: int | None = None) -> None:
    """Evaluate ``tokens``, reusing the longest prefix already in the KV cache.

    As llama-cpp-python does, but always re-evaluating at least the last token, so its logits
    are fresh (``last_logits``). ``reuse_at_most`` caps the tokens reused.
    """
    common = 0
    for have, want in zip(cached_tokens(llm), tokens[:-1], strict=False):
        if have != want:
            break
        common += 1
    if reuse_at_most is not None:
        common = min(common, reuse_at_most)
    keep_cached_tokens(llm, common)
    llm.eval(tokens[common:])


def eval_rows(llm: Any, tokens: Sequence[int], n_vocab: int) -> Any:
    """Evaluate ``tokens`` after the cached ones and return one logits row per token.

    ``Llama.eval`` keeps only the last token's logits unless the model was loaded with
    ``logits_all`` (which would copy every prompt token's row too); checking a draft of several
    tokens in one batch needs each row. The same steps as ``Llama.eval`` otherwise: drop any
    cached state past ``n_tokens``, decode, record the tokens.
    """
    import numpy as np

    n_past = int(llm.n_tokens)
    llm._ctx.kv_cache_seq_rm(-1, n_past, -1)
    llm._batch.set_batch(batch=tokens, n_past=n_past, logits_all=True)
    llm._ctx.decode(llm._batch)
    llm.input_ids[n_past : n_past + len(tokens)] = tokens
    llm.n_tokens = n_past + len(tokens)
    rows = np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(len(tokens), n_vocab))
    return rows.copy()


def vocab(llm: Any) -> Any:
    """The model's ``llama_vocab`` pointer (for ``llama_vocab_is_eog``)."""
    return llm._model.vocab


def token_text(llm: Any, token: int) -> str:
    """A token's text as the vocabulary spells it (special tokens included)."""
    return str(llm._model.token_get_text(token))


# -- loading -----------------------------------------------------------------------------------


@contextlib.contextmanager
def without_weight_repacking() -> Iterator[None]:
    """Load weights without llama.cpp's CPU "extra buffer" repacking, inside this block.

    Repacking copies every weight into an interleaved layout at load time. On a 2-core AVX2
    machine it cost 1.2 s of load and 0.6 GB of RSS for no prompt-speed gain on this model;
    on Intel Xeon hosts with AVX-512 and AMX, llama-cpp-python 0.3.36 built by pip crashes
    (SIGSEGV) at the first decode of a repacked model. llama-cpp-python does not expose
    ``use_extra_bufts``, so the default model params it starts from are adjusted while the
    block runs (every ``Llama(...)`` created inside it loads without repacking).
    """
    # llama_cpp.llama calls the binding through its module, llama_cpp.llama_cpp.
    import llama_cpp.llama_cpp as bindings

    original = bindings.llama_model_default_params

    def defaults() -> Any:
        params = original()
        params.use_extra_bufts = False
        return params

    bindings.llama_model_default_params = defaults
    try:
        yield
    finally:
        bindings.llama_model_default_params = original

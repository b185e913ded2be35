"""Every use of llama-cpp-python's private or low-level surface, in one place.

cmdai reaches below llama-cpp-python's public API for speed and for hosts where its defaults
crash (see each function). An upgrade that renames one of these fails in
``tests/test_llama_compat.py`` (fast tier, no model) instead of in a user's terminal:
``missing_internals()`` lists what is gone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

# (module, attribute path) pairs cmdai uses; checked by missing_internals().
INTERNALS: tuple[tuple[str, str], ...] = (
    ("llama_cpp.llama_cpp", "llama_model_default_params"),
    ("llama_cpp.llama_cpp", "llama_state_seq_save_file"),
    ("llama_cpp.llama_cpp", "llama_state_seq_load_file"),
    ("llama_cpp.llama_cpp", "llama_vocab_is_eog"),
    ("llama_cpp.llama_cpp", "llama_token"),
    ("llama_cpp._internals", "LlamaContext.get_logits_ith"),
    ("llama_cpp._internals", "LlamaContext.kv_cache_clear"),
    ("llama_cpp._internals", "LlamaModel.token_get_text"),
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
            for part in path.split("."):
                obj = getattr(obj, part)
        except (ImportError, AttributeError):
            missing.append(f"{module_name}.{path}")
    return missing


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

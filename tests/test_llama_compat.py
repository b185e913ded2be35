"""llama-cpp-python's private surface that cmdai uses is still there (fast tier, no model)."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import llama_cpp.llama_cpp as bindings
import numpy as np
import pytest

from cmdai import llama_compat
from cmdai.llama_compat import INTERNALS, missing_internals, without_weight_repacking


def test_every_internal_cmdai_uses_exists() -> None:
    assert missing_internals() == []


def test_a_missing_internal_is_reported_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "cmdai.llama_compat.INTERNALS", (*INTERNALS, ("llama_cpp.llama", "Llama.gone_in_0_4"))
    )
    assert missing_internals() == ["llama_cpp.llama.Llama.gone_in_0_4"]


def test_instance_attributes_are_found_in_the_class_source(monkeypatch: pytest.MonkeyPatch) -> None:
    # Llama._ctx, input_ids and n_tokens exist only on a loaded model: the check reads the
    # class's source for their assignment, so a renamed attribute is still caught.
    monkeypatch.setattr(
        "cmdai.llama_compat.INTERNALS",
        (
            ("llama_cpp.llama", "Llama.n_tokens"),
            ("llama_cpp._internals", "LlamaContext.ctx"),
            ("llama_cpp.llama", "Llama.n_tokenz"),
            ("llama_cpp.gone", "Llama"),
        ),
    )
    assert missing_internals() == ["llama_cpp.llama.Llama.n_tokenz", "llama_cpp.gone.Llama"]


def test_the_token_record_helpers() -> None:
    # The same record llama-cpp-python keeps: input_ids (n_ctx slots) and n_tokens in use.
    llm = SimpleNamespace(input_ids=np.zeros(8, dtype=np.intc), n_tokens=0)
    llama_compat.set_cached_tokens(llm, [5, 6, 7])
    assert (llm.n_tokens, list(llama_compat.cached_tokens(llm))) == (3, [5, 6, 7])
    llama_compat.keep_cached_tokens(llm, 1)
    assert list(llama_compat.cached_tokens(llm)) == [5]


def test_repacking_is_off_inside_the_block_only() -> None:
    assert bindings.llama_model_default_params().use_extra_bufts is True
    with without_weight_repacking():
        assert bindings.llama_model_default_params().use_extra_bufts is False
    assert bindings.llama_model_default_params().use_extra_bufts is True


def test_the_server_wrapper_is_llama_cpp_servers_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cmdai.llama_server", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "--model" in result.stdout
    assert "--n_ctx" in result.stdout

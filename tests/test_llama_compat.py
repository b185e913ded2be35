"""llama-cpp-python's private surface that cmdai uses is still there (fast tier, no model)."""

from __future__ import annotations

import subprocess
import sys

import llama_cpp.llama_cpp as bindings
import pytest

from cmdai.llama_compat import INTERNALS, missing_internals, without_weight_repacking


def test_every_internal_cmdai_uses_exists() -> None:
    assert missing_internals() == []


def test_a_missing_internal_is_reported_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "cmdai.llama_compat.INTERNALS", (*INTERNALS, ("llama_cpp.llama", "Llama.gone_in_0_4"))
    )
    assert missing_internals() == ["llama_cpp.llama.Llama.gone_in_0_4"]


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

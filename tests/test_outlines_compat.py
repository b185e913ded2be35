"""outlines' and outlines_core's internals that cmdai uses are still there (fast tier, no model)."""

from __future__ import annotations

import pytest
from outlines_core import Index, Vocabulary

from cmdai import outlines_compat
from cmdai.outlines_compat import INTERNALS, missing_internals


def test_every_internal_cmdai_uses_exists() -> None:
    assert missing_internals() == []


def test_a_missing_internal_is_reported_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "cmdai.outlines_compat.INTERNALS",
        (*INTERNALS, ("outlines_core", "Index.to_binary"), ("outlines.gone", "Backend")),
    )
    assert missing_internals() == ["outlines_core.Index.to_binary", "outlines.gone.Backend"]


def test_an_index_survives_its_binary_form() -> None:
    index = Index(r"(ab|b)", Vocabulary(3, {"a": [0], "b": [1], "ab": [2]}))
    again = outlines_compat.index_from_bytes(outlines_compat.index_to_bytes(index))
    start = again.get_initial_state()
    assert sorted(again.get_allowed_tokens(start)) == sorted(index.get_allowed_tokens(start))
    assert outlines_compat.logits_processor(again).index is again
    with pytest.raises((ValueError, TypeError)):
        outlines_compat.index_from_bytes(b"garbage")


def test_the_numba_cache_can_be_enabled() -> None:
    outlines_compat.enable_numba_cache()  # never raises: a read-only location only costs speed

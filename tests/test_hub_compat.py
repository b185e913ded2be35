"""huggingface_hub's internals that cmdai uses are still there (fast tier, no network)."""

from __future__ import annotations

import pytest

from cmdai.models import hub_compat
from cmdai.models.hub_compat import INTERNALS, missing_internals


def test_every_internal_cmdai_uses_exists() -> None:
    assert missing_internals() == []


def test_a_missing_internal_is_reported_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "cmdai.models.hub_compat.INTERNALS",
        (*INTERNALS, ("huggingface_hub.file_download", "http_get_v2")),
    )
    monkeypatch.setattr(
        "cmdai.models.hub_compat.HTTP_GET_KEYWORDS", (*hub_compat.HTTP_GET_KEYWORDS, "resume_from")
    )
    assert missing_internals() == [
        "huggingface_hub.file_download.http_get_v2",
        "huggingface_hub.file_download.http_get(resume_from=)",
    ]


def test_telemetry_is_off_and_headers_are_a_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_DISABLE_TELEMETRY", False)
    hub_compat.disable_telemetry()
    assert constants.HF_HUB_DISABLE_TELEMETRY is True
    headers = hub_compat.hf_headers()
    assert "user-agent" in headers
    headers.pop("user-agent")  # the caller may drop headers (a CDN gets no token)
    assert "user-agent" in hub_compat.hf_headers()

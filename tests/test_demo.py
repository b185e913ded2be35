"""The README demo's capture script drives a real pseudo-terminal (here with the fake backend)."""

from __future__ import annotations

import pytest

from evals.demo import MENU_TEXT, capture


def test_the_capture_walks_explain_revise_and_decline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMDAI_BACKEND", "fake")
    text = capture("list the 5 largest files", "only in Downloads", timeout_s=60)
    lines = text.splitlines()
    assert lines[0] == '$ cd /tmp/demo && cmdai "list the 5 largest files"'
    assert lines[1] == "du -ah . | sort -rh | head -n 5"  # the fake's canned answer
    assert text.count(MENU_TEXT) == 3
    assert "Revise how? only in Downloads" in text
    assert lines[-1] == "cmdai: not run."
    assert "\x1b" not in text

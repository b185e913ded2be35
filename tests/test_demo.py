"""The README demo's capture script drives a real pseudo-terminal (here with the fake backend)."""

from __future__ import annotations

import os
import shutil

import pytest

from evals.demo import MENU_TEXT, capture, capture_shell


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


def test_the_shell_capture_fills_the_line_and_fixes_the_failed_find() -> None:
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is not installed: .ci/setup-shells installs it")
        pytest.skip("tmux is not installed (.ci/setup-shells installs it)")
    lines = capture_shell(timeout_s=60).splitlines()
    # The key put each proposal on the prompt line, and Enter ran it.
    assert "$ du -ah . | sort -rh | head -n 3" in lines
    assert "cmdai: fixing: find . -name *.py -size +1k (exit 1)" in lines
    assert "$ find . -name '*.py' -size +1k" in lines
    assert lines[-1] == "./b.py"

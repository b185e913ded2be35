"""The fake backend's scripting and canned answers; the executor's status reporting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmdai.backends import create_backend
from cmdai.backends.base import GenerationRequest, Message
from cmdai.backends.fake import SCRIPT_ENV, FakeBackend
from cmdai.backends.llamacpp import LlamaCppBackend
from cmdai.errors import ConfigError
from cmdai.execute import RecordingExecutor, ShellExecutor, check_syntax, user_shell
from cmdai.parsing import parse_answer
from cmdai.settings import Settings


def request(text: str, schema: str | None = "{}") -> GenerationRequest:
    return GenerationRequest((Message("user", text),), schema, 64, 0.0, 0)


def test_script_answers_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "script.json"
    script.write_text(json.dumps(["first", {"text": "second", "delay_s": 0.01}]))
    monkeypatch.setenv(SCRIPT_ENV, str(script))
    fake = FakeBackend()
    assert fake.generate(request("a")).text == "first"
    assert fake.generate(request("b")).text == "second"
    assert [r.messages[0].content for r in fake.history] == ["a", "b"]


@pytest.mark.parametrize("content", ["not json", '{"a": 1}'])
def test_bad_script_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    script = tmp_path / "script.json"
    script.write_text(content)
    monkeypatch.setenv(SCRIPT_ENV, str(script))
    with pytest.raises(ConfigError, match=SCRIPT_ENV):
        FakeBackend()


def test_canned_answers_show_the_whole_flow() -> None:
    fake = FakeBackend()
    largest = parse_answer(fake.generate(request("list the 5 largest files")).text)
    assert "sort" in largest.answer.command
    assert parse_answer(fake.generate(request("delete everything")).text).answer.command == (
        "rm -rf /"
    )
    assert "canned" in fake.generate(request("explain ls", schema=None)).text
    fallback = parse_answer(fake.generate(request("teleport me")).text)
    assert fallback.answer.command.startswith("echo")
    assert fake.describe()["backend"] == "fake"


def test_backend_factory_builds_without_loading(tmp_path: Path) -> None:
    backend = create_backend(Settings(), tmp_path)
    assert isinstance(backend, LlamaCppBackend)
    assert backend.describe()["path"] is None  # nothing resolved or loaded yet
    assert backend.state_dir == tmp_path / "state"


def test_shell_executor_reports_exit_status_and_signals() -> None:
    executor = ShellExecutor("/bin/bash")
    assert executor.run("exit 3") == 3
    assert executor.run("kill -TERM $$") == 128 + 15


def test_shell_executor_reports_a_missing_shell() -> None:
    from cmdai.errors import ExecutionError

    with pytest.raises(ExecutionError, match="cannot start"):
        ShellExecutor("/nonexistent/shell").run("true")


def test_recording_executor_runs_nothing() -> None:
    recorder = RecordingExecutor(status=9)
    assert recorder.run("rm -rf /") == 9
    assert recorder.commands == ["rm -rf /"]


def test_commands_run_with_bash_whatever_the_login_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    # The gate parses bash: a zsh, fish or dash user's command must run as what was checked.
    for login in ("/usr/bin/fish", "/bin/zsh", "/bin/dash", "/bin/bash"):
        monkeypatch.setenv("SHELL", login)
        assert Path(user_shell()).name == "bash"
    assert ShellExecutor().shell == user_shell()


def test_syntax_check() -> None:
    assert check_syntax("ls | wc -l", "/bin/bash") is None
    error = check_syntax("if true; then echo", "/bin/bash")
    assert error is not None
    assert "syntax error" in error or "unexpected end of file" in error


def test_missing_numba_is_a_loud_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without numba, outlines would constrain nothing and say nothing: cmdai refuses instead."""
    import sys

    from cmdai.backends.llamacpp import _require_numba
    from cmdai.errors import BackendError

    monkeypatch.delitem(sys.modules, "outlines_core.kernels.numpy", raising=False)
    monkeypatch.setitem(sys.modules, "numba", None)  # makes `import numba` raise ImportError
    with pytest.raises(BackendError, match="constrained decoding is unavailable") as info:
        _require_numba()
    assert "numba" in info.value.hint


def test_loop_detector_stops_a_repeated_cycle_but_not_normal_text() -> None:
    from cmdai.backends.decoding import LoopDetector

    prompt = list(range(100))
    loop = LoopDetector(len(prompt))
    assert not loop(prompt + list(range(200, 260)), None)  # varied output
    assert not loop.fired
    assert loop(prompt + [7, 8, 9] * 25, None)  # a 3-token cycle
    assert loop.fired


def test_prompt_lookup_drafts_what_followed_the_latest_earlier_occurrence() -> None:
    from cmdai.backends.decoding import prompt_lookup

    #          0  1  2  3  4  5  6  7  8  9
    history = [5, 6, 7, 8, 9, 1, 6, 7, 3, 6, 7]
    # The last two tokens (6, 7) occurred at 6 (latest) and 1: what followed the latest.
    assert prompt_lookup(history, 3) == [3, 6, 7]
    assert prompt_lookup(history, 1) == [3]
    # The longest n-gram that occurs wins: (3, 6, 7) never occurred before; (1, 6, 7) would.
    assert prompt_lookup([1, 6, 7, 2, 2, 9, 6, 7, 4, 1, 6, 7], 2) == [2, 2]
    assert prompt_lookup([1, 2, 3, 4], 3) == []  # nothing repeats
    assert prompt_lookup([4, 4], 3) == []  # too short for a 2-gram with a history
    assert prompt_lookup([1, 2, 9, 1, 2], 3, shortest=2) == [9, 1, 2]

"""``cmdai check --hook claude-code``: the PreToolUse protocol, and failing closed."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import Invoker

from cmdai.hooks import answer, run_claude_code


def pre_tool_use(command: object = "ls -la", tool: str = "Bash", **extra: Any) -> str:
    """A PreToolUse document as Claude Code sends it."""
    doc: dict[str, Any] = {
        "session_id": "abc123",
        "transcript_path": "/home/me/.claude/projects/p/abc123.jsonl",
        "cwd": "/home/me/project",
        "permission_mode": "default",
        "hook_event_name": "PreToolUse",
        "tool_name": tool,
        "tool_input": {"command": command, "description": "Run it"},
        "tool_use_id": "toolu_01",
    }
    doc.update(extra)
    return json.dumps(doc)


def decision(stdout: str) -> dict[str, Any]:
    assert stdout.endswith("\n")
    assert stdout.count("\n") == 1  # one JSON document on one line
    doc: dict[str, Any] = json.loads(stdout)
    assert set(doc) == {"hookSpecificOutput"}
    assert doc["hookSpecificOutput"]["hookEventName"] == "PreToolUse"
    return doc["hookSpecificOutput"]  # type: ignore[no-any-return]


def test_allow_exactly(invoke: Invoker) -> None:
    result = invoke("check", "--hook", "claude-code", input=pre_tool_use("ls -la"))
    assert result.exit_code == 0
    assert result.stdout == (
        '{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "allow", '
        '"permissionDecisionReason": "cmdai: safe"}}\n'
    )


@pytest.mark.parametrize(
    ("command", "permission", "words"),
    [
        ("git push --force origin main", "ask", ["cmdai confirm (high)", "git-force-push"]),
        ("rm -rf /", "deny", ["cmdai block (critical)", "rm-vital"]),
    ],
)
def test_confirm_asks_and_block_denies_with_the_gates_reason(
    invoke: Invoker, command: str, permission: str, words: list[str]
) -> None:
    result = invoke("check", "--hook", "claude-code", input=pre_tool_use(command))
    assert result.exit_code == 0
    output = decision(result.stdout)
    assert output["permissionDecision"] == permission
    for word in words:
        assert word in output["permissionDecisionReason"]


def test_the_mode_applies(invoke: Invoker) -> None:
    document = pre_tool_use("git push --force")
    loose = decision(invoke("check", "--hook", "claude-code", input=document).stdout)
    strict = invoke("check", "--hook", "claude-code", "--mode", "strict", input=document)
    assert loose["permissionDecision"] == "ask"
    assert decision(strict.stdout)["permissionDecision"] == "deny"


def test_another_tool_gets_no_opinion(invoke: Invoker) -> None:
    document = json.dumps({"tool_name": "Write", "tool_input": {"file_path": "/tmp/x"}})
    result = invoke("check", "--hook", "claude-code", input=document)
    assert (result.exit_code, result.stdout) == (0, "")


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "not json",
        "[1, 2]",
        '{"tool_input": {"command": "ls"}}',
        '{"tool_name": "Bash"}',
        '{"tool_name": "Bash", "tool_input": "ls"}',
        pre_tool_use(command=["ls"]),
        pre_tool_use(command="   "),
        b'{"tool_name": "Bash", "tool_input": {"command": "ls \xff"}}',
        "x" * (1 << 21),
    ],
    ids=[
        "empty",
        "not-json",
        "array",
        "no-tool",
        "no-input",
        "input-not-object",
        "command-not-string",
        "blank-command",
        "not-utf8",
        "too-large",
    ],
)
def test_malformed_input_is_denied(invoke: Invoker, raw: str | bytes) -> None:
    result = invoke("check", "--hook", "claude-code", input=raw)
    assert result.exit_code == 0
    output = decision(result.stdout)
    assert output["permissionDecision"] == "deny"
    assert "denied to be safe" in output["permissionDecisionReason"]


def test_a_broken_config_file_is_denied(invoke: Invoker, isolated_user_dirs: Path) -> None:
    config = isolated_user_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("safety_mode = [")
    result = invoke("check", "--hook", "claude-code", input=pre_tool_use("ls"))
    assert result.exit_code == 0
    output = decision(result.stdout)
    assert output["permissionDecision"] == "deny"
    assert "ConfigError" in output["permissionDecisionReason"]


def test_a_command_argument_with_hook_is_denied(invoke: Invoker) -> None:
    result = invoke("check", "--hook", "claude-code", "ls", input=pre_tool_use("ls"))
    assert result.exit_code == 0
    assert decision(result.stdout)["permissionDecision"] == "deny"


def test_a_crash_in_the_gate_is_denied() -> None:
    def assess() -> Any:
        def crash(command: str) -> Any:
            raise RuntimeError("boom")

        return crash

    out = io.StringIO()
    status = run_claude_code(io.StringIO(pre_tool_use("ls")), out, assess)
    assert status == 0
    assert json.loads(out.getvalue()) == answer(
        "deny", "cmdai failed (RuntimeError: boom); denied to be safe"
    )


def test_an_interrupt_is_denied_too() -> None:
    def assess() -> Any:
        raise KeyboardInterrupt

    out = io.StringIO()
    assert run_claude_code(io.StringIO(pre_tool_use("ls")), out, assess) == 0
    assert json.loads(out.getvalue())["hookSpecificOutput"]["permissionDecision"] == "deny"


def test_no_answer_written_exits_2_which_blocks() -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    status = run_claude_code(io.StringIO(pre_tool_use("ls")), Closed(), lambda: lambda c: None)
    assert status == 2


def test_as_a_real_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cmdai", "check", "--hook", "claude-code"],
        input=pre_tool_use("bash -c 'rm -rf ~'").encode(),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0
    assert decision(result.stdout.decode())["permissionDecision"] == "deny"
    assert result.stderr == b""

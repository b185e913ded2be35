"""Agents type commands too: the safety gate as a coding agent's pre-tool hook.

``cmdai check --hook claude-code`` speaks Claude Code's PreToolUse protocol: a JSON document
on stdin (``tool_name``, ``tool_input.command``, ``cwd``, ...), the answer on stdout as
``hookSpecificOutput.permissionDecision``: ``allow``, ``ask`` or ``deny`` (the gate's allow,
confirm, block), with the gate's reason. A tool that is not Bash gets no opinion (empty
output: the agent's own permission rules decide).

It fails CLOSED. The protocol lets a tool call go ahead when a hook exits with a status other
than 0 or 2, so every failure here (unreadable or malformed input, a bad config file, a crash
in the gate) answers ``deny`` with exit status 0, and if even that answer cannot be written
the exit status is 2, which the agent also treats as a block.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO, Any

HOOKS = ("claude-code",)
TOOLS = ("Bash",)
DECISIONS = {"allow": "allow", "confirm": "ask", "block": "deny"}
MAX_INPUT_BYTES = 1 << 20
"""A PreToolUse document is small; more than this is not one (and is denied)."""


class HookInputError(ValueError):
    """The document on stdin is not a PreToolUse call cmdai can judge."""


def answer(decision: str, reason: str) -> dict[str, Any]:
    """The PreToolUse answer for ``decision`` (allow, ask or deny)."""
    return {
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": decision,
            "permissionDecisionReason": reason,
        }
    }


def command_of(document: Any) -> str | None:
    """The shell command a PreToolUse document asks to run; None when the tool is not Bash.

    Raises:
        HookInputError: the document is not the documented shape.
    """
    if not isinstance(document, dict):
        raise HookInputError("the input is not a JSON object")
    tool = document.get("tool_name")
    if not isinstance(tool, str):
        raise HookInputError("tool_name is missing")
    if tool not in TOOLS:
        return None
    tool_input = document.get("tool_input")
    command = tool_input.get("command") if isinstance(tool_input, dict) else None
    if not isinstance(command, str) or not command.strip():
        raise HookInputError("tool_input.command is missing or empty")
    return command


def judge(document: Any, assess: Callable[[str], Any]) -> dict[str, Any] | None:
    """The answer to one PreToolUse document, judged by ``assess`` (a command -> report).

    Raises:
        HookInputError: the document is not the documented shape.
    """
    command = command_of(document)
    if command is None:
        return None
    report = assess(command)
    decision = DECISIONS[report.decision]
    if not report.findings:
        return answer(decision, f"cmdai: {report.risk.label}")
    parts = []
    for finding in report.findings:
        text = f"{finding.message} [{finding.rule_id}, {finding.risk.label}]"
        parts.append(text + (f" Safer: {finding.safer}" if finding.safer else ""))
    return answer(decision, f"cmdai {report.decision} ({report.risk.label}): " + " ".join(parts))


def run_claude_code(
    stdin: IO[bytes] | IO[str], stdout: IO[str], assess: Callable[[], Callable[[str], Any]]
) -> int:
    """Read one PreToolUse document, write the answer, return the exit status (0, or 2).

    ``assess`` builds the gate (inside the guard, so a broken config or gate denies too).
    """
    try:
        raw = stdin.read(MAX_INPUT_BYTES + 1)
        if len(raw) > MAX_INPUT_BYTES:
            raise HookInputError("the input is too large")
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise HookInputError(f"the input is not JSON: {exc}") from None
        result = judge(document, assess())
    except HookInputError as exc:
        result = answer("deny", f"cmdai could not read the hook input ({exc}); denied to be safe")
    except BaseException as exc:  # fail closed on anything, even Ctrl-C
        result = answer("deny", f"cmdai failed ({type(exc).__name__}: {exc}); denied to be safe")
    try:
        if result is not None:
            stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        stdout.flush()
    except BaseException:  # no answer written: exit 2 blocks the call
        return 2
    return 0

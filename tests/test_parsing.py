"""The shared parse ladder on outputs shaped like what real models return."""

from __future__ import annotations

import pytest

from cmdai.errors import SchemaViolationError
from cmdai.parsing import parse_answer


def test_strict_json_is_read_exactly() -> None:
    parsed = parse_answer('{"kind": "command", "command": "ls -la", "explanation": "Lists."}')
    assert parsed.method == "strict"
    assert parsed.schema_valid
    assert parsed.answer.command == "ls -la"


def test_json_in_a_markdown_fence_with_prose() -> None:
    # What Qwen2.5-Coder answers without a constraint (FACTS.md: every answer was fenced).
    text = (
        "Here is the command you need:\n\n```json\n"
        '{\n  "kind": "command",\n  "command": "du -sh *",\n  "explanation": "Sizes."\n}\n'
        "```\n\nThis shows the size of each entry."
    )
    parsed = parse_answer(text)
    assert parsed.method == "fenced"
    assert parsed.answer.command == "du -sh *"


def test_bare_fence_without_language() -> None:
    parsed = parse_answer('```\n{"kind": "command", "command": "pwd", "explanation": ""}\n```')
    assert parsed.method == "fenced"
    assert parsed.answer.command == "pwd"


def test_object_embedded_in_prose_is_extracted() -> None:
    text = 'Sure! {"command": "df -h", "explanation": "Free space."} Hope that helps.'
    parsed = parse_answer(text)
    assert parsed.method == "extracted"
    assert not parsed.schema_valid  # kind was missing and had to be inferred
    assert parsed.answer.kind == "command"
    assert parsed.answer.command == "df -h"


def test_braces_inside_strings_do_not_confuse_extraction() -> None:
    text = 'Answer: {"kind": "command", "command": "awk \'{print $1}\' f", "explanation": "x"}'
    parsed = parse_answer(text)
    assert parsed.answer.command == "awk '{print $1}' f"


def test_shell_fence_is_the_last_resort() -> None:
    parsed = parse_answer("You can run:\n```bash\nfind . -name '*.log'\n```")
    assert parsed.method == "extracted"
    assert parsed.answer.command == "find . -name '*.log'"


def test_cmd_key_and_extra_keys_are_repaired() -> None:
    parsed = parse_answer('{"cmd": "uptime", "description": "Load.", "confidence": 0.9}')
    assert parsed.answer.command == "uptime"
    assert parsed.answer.explanation == "Load."
    assert not parsed.schema_valid


def test_refusal_kinds_survive() -> None:
    parsed = parse_answer('{"kind": "not_a_shell_task", "command": "", "explanation": "A poem."}')
    assert parsed.answer.kind == "not_a_shell_task"


def test_empty_command_without_kind_is_not_a_command() -> None:
    parsed = parse_answer('{"command": "", "explanation": "I cannot."}')
    assert parsed.answer.kind == "not_a_shell_task"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        ('{"kind": "command", "command": "find . -name', "cut off"),
        ("I am not sure what you mean.", "expected JSON"),
        ('{"command": ["ls"], "explanation": "x"}', "wrong types"),
    ],
)
def test_unusable_answers_raise_with_the_raw_text(text: str, message: str) -> None:
    with pytest.raises(SchemaViolationError, match=message) as info:
        parse_answer(text)
    assert info.value.raw == text

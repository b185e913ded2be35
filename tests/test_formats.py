"""The answer formats: what the model is shown, and how every answer is read back."""

from __future__ import annotations

import json

import pytest

from cmdai.errors import SchemaViolationError
from cmdai.formats import FENCE_OPEN, get_format, read_answer
from cmdai.schema import ModelAnswer

FENCED = get_format("fenced")


@pytest.mark.parametrize(
    "command",
    [
        "find . -type f -exec md5sum {} \\;",
        'echo "https://a.example/x?y=1" | cut -d/ -f3',
        "grep -P '[ \\t]+$' notes.txt",
        "awk -F'\"' '{print $2}' data.csv",
        "printf '%s\\n' \"$HOME\"",
    ],
)
def test_a_command_with_quotes_and_backslashes_survives_verbatim(command: str) -> None:
    # The reason for the fenced format: nothing in the command is escaped, so nothing the
    # model writes raw can end the answer early.
    text = FENCED.render(ModelAnswer(kind="command", command=command, explanation=""))
    assert text == f"{FENCE_OPEN}{command}\n```"
    parsed = FENCED.parse(text)
    assert parsed.answer.command == command
    assert (parsed.method, parsed.schema_valid) == ("strict", True)


def test_the_prefilled_answer_without_its_closing_fence_is_strict() -> None:
    # What the local backend returns: the prefill, then the line up to the stop.
    parsed = FENCED.parse(FENCE_OPEN + "ls -la")
    assert parsed.answer == ModelAnswer(kind="command", command="ls -la", explanation="")
    assert parsed.method == "strict"


@pytest.mark.parametrize(
    ("body", "kind", "why"),
    [
        ("# not a shell task: general knowledge", "not_a_shell_task", "general knowledge"),
        ("# unclear: which files?", "ambiguous", "which files?"),
        ("# Ambiguous - which branch", "ambiguous", "which branch"),
        ("# I cannot write poems", "not_a_shell_task", "I cannot write poems"),
    ],
)
def test_a_comment_alone_is_a_decline_with_its_reason(body: str, kind: str, why: str) -> None:
    answer = FENCED.parse(FENCE_OPEN + body).answer
    assert (answer.kind, answer.command, answer.explanation) == (kind, "", why)


@pytest.mark.parametrize(
    ("kind", "reason"), [("not_a_shell_task", "prose"), ("ambiguous", "which files?")]
)
def test_a_rendered_decline_reads_back_as_itself(kind: str, reason: str) -> None:
    answer = ModelAnswer(kind=kind, command="", explanation=reason)  # type: ignore[arg-type]
    assert FENCED.parse(FENCED.render(answer)).answer == answer


def test_a_chat_api_answer_without_the_prefill_is_read_from_its_first_shell_block() -> None:
    text = "Here you go:\n\n```bash\n# list them\nls -la\n```\n\nThis lists files."
    parsed = read_answer(text)
    assert parsed.answer.command == "ls -la"
    assert (parsed.method, parsed.schema_valid) == ("fenced", False)


def test_a_multi_line_block_keeps_its_lines() -> None:
    body = 'for f in *.txt; do\n  mv "$f" "${f%.txt}.md"\ndone'
    assert read_answer(f"```sh\n{body}\n```").answer.command == body


def test_prose_and_inline_code_fall_back_to_the_first_line() -> None:
    assert read_answer("`df -h`\nShows disk space.").answer.command == "df -h"
    parsed = read_answer("$ uptime")
    assert (parsed.answer.command, parsed.method) == ("uptime", "extracted")


def test_prose_without_a_command_is_not_taken_for_one() -> None:
    with pytest.raises(SchemaViolationError, match="prose"):
        read_answer("I am not sure what you mean.")


def test_json_in_a_json_block_is_read_in_any_format() -> None:
    parsed = read_answer('```json\n{"kind": "command", "command": "ls", "explanation": ""}\n```')
    assert (parsed.answer.command, parsed.method) == ("ls", "fenced")


def test_json_answers_are_read_by_the_json_ladder_in_any_format() -> None:
    doc = {"kind": "command", "command": 'echo "a\\tb"', "explanation": "Prints."}
    parsed = read_answer(json.dumps(doc))
    assert parsed.answer.command == 'echo "a\\tb"'
    assert get_format("json").parse(json.dumps(doc)).method == "strict"


@pytest.mark.parametrize("text", ["", "   \n", "```bash\n\n```", "```bash\n"])
def test_an_answer_with_nothing_in_it_is_an_error(text: str) -> None:
    with pytest.raises(SchemaViolationError):
        read_answer(text)


def test_json_expected_but_unreadable_is_an_error() -> None:
    with pytest.raises(SchemaViolationError):
        get_format("json").parse("ls -la")


def test_formats_know_their_envelope() -> None:
    assert (FENCED.prefill, FENCED.stop, FENCED.json_schema) == (FENCE_OPEN, ("\n",), None)
    as_json = get_format("json")
    assert as_json.prefill == ""
    assert as_json.json_schema is not None
    assert json.loads(as_json.json_schema)["required"] == ["kind", "command", "explanation"]
    with pytest.raises(ValueError, match="unknown answer format"):
        get_format("yaml")


def test_the_plan_format_reads_its_comment_as_the_explanation() -> None:
    plan = get_format("fenced-plan")
    answer = ModelAnswer(kind="command", command="sed -n '10,20p' a.log", explanation="sed -n")
    text = plan.render(answer)
    assert text == "```bash\n# sed -n\nsed -n '10,20p' a.log\n```"
    parsed = plan.parse(text)
    assert parsed.answer == answer
    assert parsed.method == "strict"
    # What the backend returns: the prefill, the plan, the command, cut at the closing fence.
    assert plan.parse(plan.prefill + "wc -l counts\nwc -l a").answer.command == "wc -l a"
    decline = plan.parse(plan.prefill + "not a shell task: a question")
    assert (decline.answer.kind, decline.answer.command) == ("not_a_shell_task", "")


def test_a_multi_line_block_is_strict_only_where_lines_are_asked_for() -> None:
    from cmdai.formats import read_answer

    loop = '```bash\nfor f in *.txt; do\n  wc -l "$f"\ndone\n```'
    parsed = read_answer(loop, "fenced-lines")
    assert (parsed.answer.command, parsed.method) == (
        'for f in *.txt; do\n  wc -l "$f"\ndone',
        "strict",
    )
    assert read_answer(loop, "fenced").method == "fenced"
    assert read_answer("```bash\nls\n```\nThis lists files.", "fenced-lines").method == "fenced"


def test_the_think_format_reads_its_sentence_as_the_explanation() -> None:
    think = get_format("think")
    answer = ModelAnswer(
        kind="command", command='md5sum "$(command -v gcc)"', explanation="md5sum of the file."
    )
    text = think.render(answer)
    assert text == 'How: md5sum of the file.\n```bash\nmd5sum "$(command -v gcc)"\n```'
    parsed = think.parse(text)
    assert (parsed.answer, parsed.method) == (answer, "strict")
    # What the backend returns: the prefill, the sentence, the block, cut at its closing fence
    # (the stop string is the closing fence: an opening one is followed by "bash").
    assert think.stop == ("\n```\n",)
    raw = think.prefill + " ls -t sorts.\n```bash\nls -t | head -n 3"
    assert think.parse(raw).answer.command == "ls -t | head -n 3"
    assert think.parse(raw).method == "strict"
    # A sentence with no block is prose, not a command.
    with pytest.raises(SchemaViolationError):
        think.parse(think.prefill + " there is no command for this.")


def test_only_the_think_format_takes_prose_before_the_block_as_the_explanation() -> None:
    text = "This counts lines.\n```bash\nwc -l a\n```"
    assert read_answer(text, "fenced").answer.explanation == ""
    assert read_answer(text, "think").answer.explanation == "This counts lines."

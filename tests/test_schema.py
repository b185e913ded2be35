"""The answer document: strict validation, and a schema identical to what pydantic derives."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from cmdai.schema import (
    AnswerInvalid,
    ModelAnswer,
    answer_json,
    answer_json_schema,
    answer_json_schema_text,
)


class _PydanticAnswer(BaseModel):
    """What the model returns for one request."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="ModelAnswer")

    kind: Literal["command", "not_a_shell_task", "ambiguous"] = Field(
        description="'command' when a shell command answers the request; otherwise why not."
    )
    command: str = Field(description="One shell command (a pipeline is fine); empty if none.")
    explanation: str = Field(description="One short sentence: what the command does, or why not.")


def test_schema_is_what_pydantic_derives_from_the_same_fields() -> None:
    # The schema text keys outlines' cached index and the remote backends' requests: it must
    # stay byte for byte what the previous (pydantic) model produced.
    assert answer_json_schema() == _PydanticAnswer.model_json_schema()
    assert answer_json_schema_text() == json.dumps(
        _PydanticAnswer.model_json_schema(), separators=(",", ":")
    )


def test_validate_accepts_exactly_the_document() -> None:
    doc = {"kind": "command", "command": 'echo "a\\b"', "explanation": ""}
    answer = ModelAnswer.validate(doc)
    assert answer == ModelAnswer("command", 'echo "a\\b"', "")
    assert json.loads(answer_json(answer)) == doc
    assert list(json.loads(answer_json(answer))) == ["kind", "command", "explanation"]


@pytest.mark.parametrize(
    "doc",
    [
        ["command", "ls", ""],
        {"kind": "command", "command": "ls"},
        {"kind": "command", "command": "ls", "explanation": "", "extra": 1},
        {"kind": "command", "command": 3, "explanation": ""},
        {"kind": "maybe", "command": "ls", "explanation": ""},
    ],
)
def test_validate_refuses_near_misses(doc: object) -> None:
    with pytest.raises(AnswerInvalid):
        ModelAnswer.validate(doc)


def test_replace_changes_one_field_and_keeps_the_original() -> None:
    answer = ModelAnswer("command", "ls", "lists")
    assert answer.replace(explanation="") == ModelAnswer("command", "ls", "")
    assert answer.explanation == "lists"


def test_a_request_does_not_import_pydantic() -> None:
    code = (
        "import sys, cmdai.core, cmdai.interact, cmdai.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

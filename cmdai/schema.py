"""The JSON document the model must produce, and its JSON Schema.

Only the envelope is constrained: ``command`` and ``explanation`` are free strings, because
constraining the command text itself makes small models markedly worse (see FACTS.md).
``kind`` comes first so the model decides up front whether it can answer at all, instead of
inventing a command for a request that is not a shell task.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

AnswerKind = Literal["command", "not_a_shell_task", "ambiguous"]


class ModelAnswer(BaseModel):
    """What the model returns for one request."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: AnswerKind = Field(
        description="'command' when a shell command answers the request; otherwise why not."
    )
    command: str = Field(description="One shell command (a pipeline is fine); empty if none.")
    explanation: str = Field(description="One short sentence: what the command does, or why not.")


@cache
def answer_json_schema() -> dict[str, Any]:
    """The JSON Schema handed to constrained decoding (a fresh copy is not needed: read-only)."""
    return ModelAnswer.model_json_schema()


def answer_json_schema_text() -> str:
    """The schema as compact JSON text, the form backends pass to their constraint engines."""
    return json.dumps(answer_json_schema(), separators=(",", ":"))


def answer_json(answer: ModelAnswer) -> str:
    """The exact compact JSON form the constrained decoder produces (keys in schema order)."""
    return json.dumps(answer.model_dump(), ensure_ascii=False, separators=(",", ":"))

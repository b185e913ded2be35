"""The JSON document the model must produce, and its JSON Schema.

Only the envelope is constrained: ``command`` and ``explanation`` are free strings, because
constraining the command text itself makes small models markedly worse (see FACTS.md).
``kind`` comes first so the model decides up front whether it can answer at all, instead of
inventing a command for a request that is not a shell task.

A frozen dataclass, not a pydantic model: every request builds and reads answers, and pydantic
cost about 50 ms of a warm request's 200 ms client start. The schema is written out; a test
checks it against the one pydantic derives from the same fields.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, get_args

AnswerKind = Literal["command", "not_a_shell_task", "ambiguous"]
KINDS: tuple[AnswerKind, ...] = get_args(AnswerKind)

_DESCRIPTIONS = {
    "kind": "'command' when a shell command answers the request; otherwise why not.",
    "command": "One shell command (a pipeline is fine); empty if none.",
    "explanation": "One short sentence: what the command does, or why not.",
}


class AnswerInvalid(ValueError):
    """A document that is not exactly a ``ModelAnswer`` (keys, types or kind)."""


@dataclass(frozen=True)
class ModelAnswer:
    """What the model returns for one request."""

    kind: AnswerKind
    command: str
    explanation: str

    @classmethod
    def validate(cls, doc: object) -> ModelAnswer:
        """The answer a JSON document holds, strictly: these three keys, strings, a known kind."""
        if not isinstance(doc, dict):
            raise AnswerInvalid("not a JSON object")
        if set(doc) != set(_DESCRIPTIONS):
            raise AnswerInvalid(f"keys {sorted(doc)}, expected {list(_DESCRIPTIONS)}")
        if not all(isinstance(doc[key], str) for key in _DESCRIPTIONS):
            raise AnswerInvalid("every field must be a string")
        if doc["kind"] not in KINDS:
            raise AnswerInvalid(f"unknown kind {doc['kind']!r}")
        return cls(doc["kind"], doc["command"], doc["explanation"])

    def replace(self, **changes: str) -> ModelAnswer:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, str]:
        """The fields in schema order."""
        return {"kind": self.kind, "command": self.command, "explanation": self.explanation}


@cache
def answer_json_schema() -> dict[str, Any]:
    """The JSON Schema handed to constrained decoding (read-only: shared between callers)."""
    properties: dict[str, Any] = {
        "kind": {
            "description": _DESCRIPTIONS["kind"],
            "enum": list(KINDS),
            "title": "Kind",
            "type": "string",
        },
    }
    for name in ("command", "explanation"):
        properties[name] = {
            "description": _DESCRIPTIONS[name],
            "title": name.title(),
            "type": "string",
        }
    return {
        "additionalProperties": False,
        "description": "What the model returns for one request.",
        "properties": properties,
        "required": list(_DESCRIPTIONS),
        "title": "ModelAnswer",
        "type": "object",
    }


def answer_json_schema_text() -> str:
    """The schema as compact JSON text, the form backends pass to their constraint engines."""
    return json.dumps(answer_json_schema(), separators=(",", ":"))


def answer_json(answer: ModelAnswer) -> str:
    """The exact compact JSON form the constrained decoder produces (keys in schema order)."""
    return json.dumps(answer.to_dict(), ensure_ascii=False, separators=(",", ":"))

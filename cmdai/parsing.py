"""One parse path for every backend's raw text.

Constrained decoding should always give strict JSON, but remote servers, unconstrained
fallbacks and a silently disabled constraint (the numba trap) do not, so the ladder is:
strict JSON, then JSON inside a Markdown fence, then a last-resort extraction (the first
balanced JSON object, else a shell code block). ``ParsedAnswer.method`` records which rung
worked, so the eval harness can count true strict-JSON successes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal, get_args

from cmdai.errors import SchemaViolationError
from cmdai.schema import AnswerInvalid, AnswerKind, ModelAnswer

ParseMethod = Literal["strict", "fenced", "extracted"]

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\n(.*?)(?:\n)?```", re.DOTALL)
_SHELL_LANGS = {"", "bash", "sh", "shell", "zsh", "console", "shell-session"}


@dataclass(frozen=True)
class ParsedAnswer:
    """A model answer and how it was recovered from the raw text.

    Attributes:
        answer: The validated answer.
        method: Which rung of the ladder found it.
        schema_valid: True when the JSON matched the schema exactly, with no repair.
    """

    answer: ModelAnswer
    method: ParseMethod
    schema_valid: bool


def parse_answer(text: str) -> ParsedAnswer:
    """Read a model's raw output as a ``ModelAnswer``.

    Raises:
        SchemaViolationError: when no rung of the ladder yields a usable answer.
    """
    stripped = text.strip()
    if not stripped:
        raise SchemaViolationError("the model returned an empty answer", raw=text)

    doc = _loads_object(stripped)
    if doc is not None:
        return _from_document(doc, "strict", text)

    for lang, body in _FENCE.findall(stripped):
        doc = _loads_object(body.strip())
        if doc is not None and lang.lower() in {"", "json", "javascript", "js"}:
            return _from_document(doc, "fenced", text)

    doc = _first_balanced_object(stripped)
    if doc is not None:
        return _from_document(doc, "extracted", text)

    for lang, body in _FENCE.findall(stripped):
        command = body.strip()
        if lang.lower() in _SHELL_LANGS and command and "\n" not in command:
            command = command.removeprefix("$ ").strip()
            answer = ModelAnswer(kind="command", command=command, explanation="")
            return ParsedAnswer(answer, "extracted", schema_valid=False)

    if stripped.startswith("{"):
        raise SchemaViolationError(
            "the model's JSON answer was cut off or malformed",
            raw=text,
            hint="Raise max_tokens, or rephrase the request more simply.",
        )
    raise SchemaViolationError(
        "the model did not answer with the expected JSON document",
        raw=text,
        hint="Run with -v to see the raw answer; try rephrasing the request.",
    )


def _loads_object(text: str) -> dict[str, Any] | None:
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None
    return doc if isinstance(doc, dict) else None


def _first_balanced_object(text: str) -> dict[str, Any] | None:
    """The first ``{...}`` in prose that parses as a JSON object (string-aware scan)."""
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", text):
        try:
            doc, _ = decoder.raw_decode(text, match.start())
        except (json.JSONDecodeError, RecursionError):
            continue
        if isinstance(doc, dict):
            return doc
    return None


def _from_document(doc: dict[str, Any], method: ParseMethod, raw: str) -> ParsedAnswer:
    try:
        return ParsedAnswer(ModelAnswer.validate(doc), method, schema_valid=True)
    except AnswerInvalid:
        pass
    # Repair the common near-misses of unconstrained models: a missing kind or explanation,
    # extra keys, or "cmd" instead of "command".
    command = doc.get("command", doc.get("cmd", ""))
    explanation = doc.get("explanation", doc.get("description", ""))
    if not isinstance(command, str) or not isinstance(explanation, str):
        raise SchemaViolationError(
            "the model's JSON answer has the wrong types", raw=raw, hint="Try rephrasing."
        )
    kind: AnswerKind = "command" if command.strip() else "not_a_shell_task"
    if doc.get("kind") in get_args(AnswerKind):
        kind = doc["kind"]
    answer = ModelAnswer(kind=kind, command=command, explanation=explanation)
    return ParsedAnswer(answer, method, schema_valid=False)

"""The seam every model backend plugs into: plain typed records and one small protocol.

Backends return raw text plus usage and timings; parsing, checking and safety are shared code
(``cmdai.core``), so a fake backend and the real one travel the same path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    """One chat turn."""

    role: Role
    content: str


@dataclass(frozen=True)
class GenerationRequest:
    """Everything a backend needs for one generation; every knob is explicit.

    Attributes:
        messages: The conversation, system prompt first.
        json_schema: When set, constrain the output to this JSON Schema (text).
        max_tokens: Upper bound on generated tokens.
        temperature: 0 means greedy decoding.
        seed: Sampling seed (recorded even when greedy).
        stable_prefix: How many leading messages are identical across requests (system prompt
            and worked examples); a backend may cache their evaluation.
        repeat_penalty: Penalty on repeated tokens (1.0 = none); used to retry an answer
            that degenerated into a loop.
    """

    messages: tuple[Message, ...]
    json_schema: str | None
    max_tokens: int
    temperature: float
    seed: int
    stable_prefix: int = 0
    repeat_penalty: float = 1.0


@dataclass(frozen=True)
class Generation:
    """A backend's raw answer.

    Attributes:
        text: The generated text, unparsed.
        prompt_tokens: Tokens in the rendered prompt.
        completion_tokens: Tokens generated.
        load_s: Seconds spent loading the model during this call (0 once loaded).
        generate_s: Seconds spent generating.
        constrained: True when decoding was constrained to ``json_schema``.
        cached_tokens: Prompt tokens whose evaluation was reused from a cache.
        truncated: True when generation stopped before the answer ended (the token limit, or
            a loop of repeated tokens was cut short).
    """

    text: str
    prompt_tokens: int
    completion_tokens: int
    load_s: float
    generate_s: float
    constrained: bool
    cached_tokens: int = 0
    truncated: bool = False


class Backend(Protocol):
    """A model that turns a chat into text."""

    name: str

    def generate(self, request: GenerationRequest) -> Generation:
        """Generate one answer; raise a ``cmdai.errors.ModelError`` subclass on failure."""
        ...

    def describe(self) -> dict[str, Any]:
        """What model this is, for ``--json`` and eval records (JSON-serialisable)."""
        ...

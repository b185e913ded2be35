"""The seam every model backend plugs into: plain typed records and one small protocol.

Backends return raw text plus usage and timings; parsing, checking and safety are shared code
(``cmdai.core``), so a fake backend and the real one travel the same path.
"""

from __future__ import annotations

from collections.abc import Callable
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
        prefill: Text the assistant's turn starts with (written for the model, not by it).
            A backend that cannot place it (a chat API) ignores it and ``stop`` with it, and
            says so with an empty ``Generation.prefix``.
        stop: Generation ends at the first of these strings (not included in the text). A
            backend that could not place a requested prefill ignores these too (they were
            written for the text after it).
        decline_marker: When set, how an answer that declines starts (``#`` in the fenced
            format), and the first token is chosen by ``decline_threshold``, not greedily:
            a calibrated decline. Backends without access to probabilities ignore it.
        decline_threshold: The answer declines exactly when the model puts at least this
            probability on starting with ``decline_marker``.
    """

    messages: tuple[Message, ...]
    json_schema: str | None
    max_tokens: int
    temperature: float
    seed: int
    stable_prefix: int = 0
    repeat_penalty: float = 1.0
    prefill: str = ""
    stop: tuple[str, ...] = ()
    decline_marker: str = ""
    decline_threshold: float = 0.5


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
        prefix: The request's prefill when the backend placed it before ``text`` (the answer
            is ``prefix + text``); empty when it did not.
        stopped: True when one of the request's stop strings ended the answer.
        decline_p: The probability the model put on declining (``decline_marker``), when the
            backend applied the calibrated decline; None otherwise.
        token_logprobs: The log-probability of each generated token under the model, when the
            backend reports it (the local greedy path); empty otherwise.
    """

    text: str
    prompt_tokens: int
    completion_tokens: int
    load_s: float
    generate_s: float
    constrained: bool
    cached_tokens: int = 0
    truncated: bool = False
    prefix: str = ""
    stopped: bool = False
    decline_p: float | None = None
    token_logprobs: tuple[float, ...] = ()

    @property
    def answer(self) -> str:
        """The whole answer: the prefill the backend placed, then what the model wrote."""
        return self.prefix + self.text


TextCallback = Callable[[str], None]
"""Receives the answer so far (after the prefill), each time it grows, while it is generated."""


class Backend(Protocol):
    """A model that turns a chat into text."""

    name: str

    def generate(
        self, request: GenerationRequest, on_text: TextCallback | None = None
    ) -> Generation:
        """Generate one answer; raise a ``cmdai.errors.ModelError`` subclass on failure.

        A backend that can stream calls ``on_text`` as the answer grows (the local one, and
        the warm server for it); one that cannot may never call it.
        """
        ...

    def describe(self) -> dict[str, Any]:
        """What model this is, for ``--json`` and eval records (JSON-serialisable)."""
        ...

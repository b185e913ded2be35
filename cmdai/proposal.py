"""What a request comes back as: the proposal, and the rules for a request's text.

The engine (``cmdai.core``) makes proposals; the CLI, the JSON document and the harness read
them. Kept apart so that readers need not import the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cmdai.backends.base import Generation, Message
from cmdai.candidates import Candidate
from cmdai.errors import UsageError
from cmdai.parsing import ParseMethod
from cmdai.safety.model import Risk, SafetyReport
from cmdai.schema import AnswerKind

MAX_QUERY_CHARS = 4000
"""Longer requests are refused: they would not fit the context window with the prompt."""

UNSURE_LOGPROB = -4.0
"""Below this total log-probability of its answer, the model was unsure, and the user is told.

Set on the dev splits (fenced answers): 17% of commands fell below it on each, and 9% (external
dev) and 15% (core dev) of those were right, against 41% and 63% of the rest. Held out, with it
fixed: 22% and 16% flagged, 10% and 14% of them right, against 33% and 65%
(docs/accuracy.md, ``python -m evals.confidence``).

Not said beside a command fixed here (a ``fixed here:`` warning): the model's score is its
draft's, and after a sure fix the draft's doubt no longer says much: on core dev, 6 of 7 such
answers were right, against 19% of the other unsure ones (``results/evals/dev/core_dev_*``).
"""
FIXED_HERE = "fixed here: "
"""How a warning that cmdai changed the model's draft itself begins (``cmdai.sure_fixes``)."""
UNSURE_WARNING = "the model was unsure of this command: read it closely before running it"


@dataclass(frozen=True)
class Proposal:
    """One proposed command and everything known about it.

    Attributes:
        query: The user's request.
        kind: "command", or why the model declined ("not_a_shell_task", "ambiguous").
        command: The command, or None when the model declined.
        explanation: One line from the model.
        safety: The gate's verdict (None when there is no command).
        warnings: Syntax and availability problems found after parsing.
        parse_method: How the JSON was recovered from the raw output.
        schema_valid: True when the raw output matched the schema with no repair.
        raw: The backend's raw text.
        generation: Usage and timings of the generation that produced it.
        messages: The conversation that produced it (revisions extend it).
        edited: True when the user edited the command.
        candidates: With ``candidates`` > 1, every draft (the greedy one first) and what the
            checks and the vote said; the command is the chosen one.
    """

    query: str
    kind: AnswerKind
    command: str | None
    explanation: str
    safety: SafetyReport | None
    warnings: tuple[str, ...]
    parse_method: ParseMethod
    schema_valid: bool
    raw: str
    generation: Generation
    messages: tuple[Message, ...] = field(repr=False)
    edited: bool = False
    candidates: tuple[Candidate, ...] = ()


def no_command(query: str, kind: AnswerKind, explanation: str) -> Proposal:
    """An answer given before the model runs: no command, and why (``explanation``)."""
    return Proposal(
        query=query,
        kind=kind,
        command=None,
        explanation=explanation,
        safety=None,
        warnings=(),
        parse_method="strict",
        schema_valid=True,
        raw="",
        generation=Generation("", 0, 0, 0.0, 0.0, constrained=False),
        messages=(),
    )


def check_query(query: str) -> str:
    """Validate and normalise a request.

    Raises:
        UsageError: empty, too long, or not valid UTF-8.
    """
    try:
        query.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(
            "the request is not valid UTF-8 text",
            hint="Check your terminal's encoding (locale) and type the request again.",
        ) from None
    # Only the ends are trimmed: a request may quote text whose spacing matters
    # ("cut the last 3 characters of '1234567890  *'").
    query = query.strip()
    if not query:
        raise UsageError("the request is empty", hint='Say what you want: cmdai "list big files"')
    if len(query) > MAX_QUERY_CHARS:
        raise UsageError(
            f"the request is too long ({len(query)} characters; the limit is {MAX_QUERY_CHARS})",
            hint="Describe the task in a sentence or two.",
        )
    return query


def answer_logprob(generation: Generation) -> float | None:
    """The model's log-probability of its whole answer; None when the backend does not say."""
    return sum(generation.token_logprobs) if generation.token_logprobs else None


def is_unsure(generation: Generation, warnings: Sequence[str] = ()) -> bool:
    """Whether the model was unsure of its answer (under ``UNSURE_LOGPROB``).

    Not where ``warnings`` say the command was fixed here: the doubt was the draft's.
    """
    if any(w.startswith(FIXED_HERE) for w in warnings):
        return False
    logprob = answer_logprob(generation)
    return logprob is not None and logprob < UNSURE_LOGPROB


def needs_block(proposal: Proposal) -> bool:
    """True when the safety gate blocks this proposal's command."""
    return proposal.safety is not None and proposal.safety.decision == "block"


def risk_of(proposal: Proposal) -> Risk:
    """The proposal's risk (SAFE when there is no command)."""
    return proposal.safety.risk if proposal.safety else Risk.SAFE

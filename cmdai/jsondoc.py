"""The one JSON document ``cmdai --json`` prints, for every outcome (errors included).

Its contract (README, the `--json` example): a blocked command is still in ``command``, with
``outcome`` and ``safety.decision`` saying it was blocked; ``confidence`` is the model's total
log-probability of its answer where the backend reports it.
"""

from __future__ import annotations

import time
from typing import Any

from cmdai.proposal import UNSURE_WARNING, Proposal, answer_logprob


def proposal_json(
    proposal: Proposal | None,
    *,
    query: str,
    model: dict[str, Any],
    started: float,
    outcome: str,
    error: dict[str, str] | None = None,
    exit_status: int | None = None,
) -> dict[str, Any]:
    """The one JSON document ``cmdai --json`` prints, for every outcome (errors included)."""
    generation = proposal.generation if proposal else None
    return {
        "query": proposal.query if proposal else query,
        "kind": proposal.kind if proposal else None,
        "command": proposal.command if proposal else None,
        "explanation": proposal.explanation if proposal else None,
        "safety": proposal.safety.to_json() if proposal and proposal.safety else None,
        "warnings": list(proposal.warnings) if proposal else [],
        # How sure the model was of its answer (local backends; not for an edited command).
        "confidence": (
            {
                "logprob": round(logprob, 4),
                "unsure": UNSURE_WARNING in proposal.warnings,
            }
            if proposal
            and not proposal.edited
            and (logprob := answer_logprob(proposal.generation)) is not None
            else None
        ),
        # With candidates > 1: every draft, the greedy one first (the command is the chosen).
        "candidates": (
            [
                {
                    "command": c.command,
                    "problems": list(c.problems),
                    "votes": c.votes,
                    "agreed": c.agreed,
                }
                for c in proposal.candidates
            ]
            if proposal and proposal.candidates
            else None
        ),
        "parse": (
            {"method": proposal.parse_method, "schema_valid": proposal.schema_valid}
            if proposal
            else None
        ),
        "model": model,
        "timings": {
            "load_s": round(generation.load_s, 4) if generation else None,
            "generate_s": round(generation.generate_s, 4) if generation else None,
            "total_s": round(time.perf_counter() - started, 4),
            "prompt_tokens": generation.prompt_tokens if generation else None,
            "completion_tokens": generation.completion_tokens if generation else None,
            "cached_tokens": generation.cached_tokens if generation else None,
        },
        "outcome": outcome,
        "exit_status": exit_status,
        "error": error,
    }

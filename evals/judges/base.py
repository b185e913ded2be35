"""Judges' shared records: the item a judge sees, its ``Score``, the ``Judge`` protocol.

Also the fixture-builder types (``Populate``, ``PopulateFactory``) that the execution judge and
the callers who build fixtures for it share.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

Compare = Literal["output", "files", "both"]
Populate = Callable[[Path, float], None]
"""Fills an empty directory with a fixture, given the ``now`` its mtimes are relative to."""

PopulateFactory = Callable[[str], Populate]
"""Fixture name to the function that builds it."""


# -- records -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Score:
    """One judge's verdict on one candidate.

    Attributes:
        value: In [0, 1]; 1.0 means the judge counts the candidate as equivalent.
        judge: The judge's name (``execution``, ``nlc2cmd``, ``exact``).
        explanation: Why, in one line.
        reference: The reference that gave the best value.
        raw: The judge's own scale when it differs (NLC2CMD: [-1, 1]).
        error: Set when the judge could not judge properly (the reference timed out...).
        details: Extra, JSON-serialisable facts (exit codes, differing paths...).
    """

    value: float
    judge: str
    explanation: str
    reference: str | None = None
    raw: float | None = None
    error: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """True when the judge counts the candidate as equivalent (value 1.0)."""
        return self.value >= 1.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (for samples.jsonl)."""
        return {
            "value": self.value,
            "judge": self.judge,
            "explanation": self.explanation,
            "reference": self.reference,
            "raw": self.raw,
            "error": self.error,
            "details": dict(self.details),
        }


@dataclass(frozen=True)
class JudgeItem:
    """What a judge needs of a dataset item."""

    id: str
    references: tuple[str, ...]
    fixture: str | None = None
    compare: Compare = "output"
    tags: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any]) -> JudgeItem:
        """From a dataset row (``references`` list, or a single ``reference``)."""
        refs = row.get("references")
        if refs is None:
            refs = [row["reference"]]
        elif isinstance(refs, str):
            refs = [refs]
        compare: Compare
        match row.get("compare") or "output":
            case "output" | "files" | "both" as given:
                compare = given
            case other:
                raise ValueError(
                    f"item {row.get('id')!r}: compare {other!r} is not output/files/both"
                )
        return cls(
            id=str(row.get("id", "")),
            references=tuple(str(r) for r in refs),
            fixture=row.get("fixture") or None,
            compare=compare,
            tags=dict(row.get("tags") or {}),
        )


class Judge(Protocol):
    """Scores a candidate command against an item's references."""

    name: str

    def score(self, item: JudgeItem, candidate: str) -> Score | None:
        """The score, or None when this judge does not apply to the item."""
        ...

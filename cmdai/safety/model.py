"""The gate's vocabulary: risk levels, what each mode does with them, rules, findings, reports.

Plain typed values shared by the rule table (``cmdai.safety.rules``), the effects model
(``cmdai.safety.effects``) and the engine (``cmdai.safety.gate``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, get_args

from cmdai.settings import SafetyMode

if TYPE_CHECKING:
    from cmdai.shellparse import Analysis


class Risk(enum.IntEnum):
    """How bad a command could be; the highest finding sets the command's risk."""

    SAFE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        """Lower-case name for output."""
        return self.name.lower()


Decision = Literal["allow", "confirm", "block"]

# What each mode does with each risk. CRITICAL is blocked in every mode: no flag turns it into
# a one-keystroke yes. "allow" only means --yes may run it unasked: a TTY user is always asked.
DECISIONS: dict[str, dict[Risk, Decision]] = {
    "strict": {
        Risk.SAFE: "allow",
        Risk.LOW: "confirm",
        Risk.MEDIUM: "confirm",
        Risk.HIGH: "block",
        Risk.CRITICAL: "block",
    },
    "moderate": {
        Risk.SAFE: "allow",
        Risk.LOW: "allow",
        Risk.MEDIUM: "confirm",
        Risk.HIGH: "confirm",
        Risk.CRITICAL: "block",
    },
    "permissive": {
        Risk.SAFE: "allow",
        Risk.LOW: "allow",
        Risk.MEDIUM: "allow",
        Risk.HIGH: "confirm",
        Risk.CRITICAL: "block",
    },
}

Scope = Literal["segment", "line", "raw", "write", "request"]


@dataclass(frozen=True)
class Rule:
    """One safety rule.

    Attributes:
        id: Stable identifier (used in output, evals and tests).
        risk: Severity when it matches.
        message: Plain-words reason shown to the user.
        pattern: Regex searched in each normalised simple command and redirection
            ("segment"); in each pipeline, command with its wrappers, command with its own
            redirections, and redirection ("line"); in each piece of shell code as written,
            whitespace collapsed ("raw"); in each file write the line would make, one
            ``VERB PATH [from SOURCE]`` text per file ("write", see ``file_writes``); or in a
            request ("request").
        example: A command the rule must flag.
        near_miss: A similar, harmless command the rule must not flag.
        safer: A safer alternative, when there is one.
        scope: Where ``pattern`` is searched.
        matcher: For what a pattern cannot say (a file downloaded, then run): a predicate on
            the whole analysis, checked as well as the pattern.
        utility: When set, the rule is only tried on lines that run a utility whose name
            matches it in full (a cheap filter in front of a costly pattern).
    """

    id: str
    risk: Risk
    message: str
    pattern: re.Pattern[str]
    example: str
    near_miss: str
    safer: str = ""
    scope: Scope = "segment"
    matcher: Callable[[Analysis], bool] | None = None
    utility: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Finding:
    """A rule that matched."""

    rule_id: str
    risk: Risk
    message: str
    safer: str


@dataclass(frozen=True)
class SafetyReport:
    """The gate's verdict on one command."""

    decision: Decision
    risk: Risk
    findings: tuple[Finding, ...]

    def to_json(self) -> dict[str, object]:
        """The ``safety`` object of cmdai's JSON output."""
        return {
            "decision": self.decision,
            "risk": self.risk.label,
            "findings": [
                {"rule": f.rule_id, "risk": f.risk.label, "message": f.message, "safer": f.safer}
                for f in self.findings
            ],
        }

    @classmethod
    def from_json(cls, data: object) -> SafetyReport:
        """The report ``to_json`` describes (a warm server's verdict, read by the client).

        Raises:
            ValueError: not such a description.
        """
        bad = ValueError(f"not a safety report: {data!r:.200}")
        if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
            raise bad
        risks = {risk.label: risk for risk in Risk}
        try:
            findings = tuple(
                Finding(str(f["rule"]), risks[f["risk"]], str(f["message"]), str(f["safer"]))
                for f in data["findings"]
            )
            risk, decision = risks[data["risk"]], data["decision"]
        except (KeyError, TypeError) as exc:
            raise bad from exc
        if decision not in get_args(Decision):
            raise bad
        return cls(decision, risk, findings)


class SafetyValidator(Protocol):
    """Classifies a command's risk and decides what the gate does with it."""

    def assess(self, command: str, mode: SafetyMode, query: str = "") -> SafetyReport:
        """Assess ``command`` under ``mode``; never raises on odd input.

        ``query``, the request the command answers, adds the request's own findings (so that
        a harmless-looking stub cannot hide a request to wipe a disk).
        """
        ...


def report_of(findings: Iterable[Finding], mode: SafetyMode) -> SafetyReport:
    """A report from findings: every finding, most severe first; the worst one decides."""
    ordered = sorted(findings, key=lambda f: f.risk, reverse=True)
    risk = ordered[0].risk if ordered else Risk.SAFE
    return SafetyReport(DECISIONS[mode][risk], risk, tuple(ordered))


def finding_of(rule: Rule) -> Finding:
    """The finding a matched rule reports."""
    return Finding(rule.id, rule.risk, rule.message, rule.safer)

"""The gate's engine: match the rule table and the effects model against a parsed command."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from cmdai.safety.effects import effect_findings, is_dry_run
from cmdai.safety.facts import file_writes
from cmdai.safety.model import Finding, Rule, SafetyReport, Scope, finding_of, report_of
from cmdai.safety.rules import NEVER, REQUEST_RULES, RULES, RULES_BY_ID
from cmdai.safety.writes import write_findings
from cmdai.settings import SafetyMode
from cmdai.shellparse import analyse


class ShellValidator:
    """The gate: the rule table and the effects model over a parsed command line."""

    def __init__(self, rules: Sequence[Rule] = RULES, *, effects: bool = True) -> None:
        """Use ``rules`` (the built-in table by default) and, unless told not to, the effects."""
        self.rules = tuple(rules)
        self.effects = effects
        # The rules raised by the validator itself never match text: skip searching for them.
        self._searched = tuple(r for r in self.rules if r.pattern.pattern != NEVER or r.matcher)

    def assess(self, command: str, mode: SafetyMode, query: str = "") -> SafetyReport:
        """Match every rule; the highest risk decides under ``mode`` (with ``query``'s findings)."""
        findings: dict[str, Finding] = {}
        analysis = analyse(command)
        if "syntax" in analysis.problems:
            findings["unparsed"] = finding_of(RULES_BY_ID["unparsed"])
        if "depth" in analysis.problems:
            findings["too-deep"] = finding_of(RULES_BY_ID["too-deep"])
        if any(c.dynamic for c in analysis.commands):
            findings["dynamic-command"] = finding_of(RULES_BY_ID["dynamic-command"])
        # `--help`, `--version`, `--dry-run`, `wipefs -n`: the command only shows what it would
        # do, so neither the rules nor the effects read it (its redirections still count).
        shows = [c for c in analysis.commands if is_dry_run(c)]
        if shows:
            shown = {c.text for c in shows}
            analysis = replace(
                analysis,
                commands=tuple(c for c in analysis.commands if c not in shows),
                pipelines=tuple(p for p in analysis.pipelines if not shown & set(p.split(" | "))),
            )
        redirects = [r.text for r in analysis.redirects]
        texts: dict[Scope, list[str]] = {
            "segment": [*(c.text for c in analysis.commands), *redirects],
            "line": [
                *analysis.pipelines,
                *(c.full_text for c in analysis.commands),
                *(c.io_text for c in analysis.commands if c.redirects),
                *redirects,
            ],
            # Quoted text is data unless something runs it, and what runs it (bash -c, eval,
            # a pipe into a shell) is a source of its own: mask quotes in parsed sources.
            "raw": [_QUOTED.sub(_mask, " ".join(source.split())) for source in analysis.sources]
            or [" ".join(command.split())],
            "write": file_writes(analysis),
            "request": [],
        }
        names = {c.argv[0] for c in analysis.commands if c.argv}
        # Plain loops, not any(): this runs ~70 times per command and is the gate's hot path.
        for rule in self._searched:
            if rule.id in findings:
                continue
            if rule.utility is not None:
                for name in names:
                    if rule.utility.fullmatch(name):
                        break
                else:
                    continue
            search = rule.pattern.search
            for text in texts[rule.scope]:
                if search(text):
                    findings[rule.id] = finding_of(rule)
                    break
            else:
                if rule.matcher is not None and rule.matcher(analysis):
                    findings[rule.id] = finding_of(rule)
        # After the rules, so that among equally severe findings the rule (with its safer
        # alternative) comes first.
        if self.effects:
            for finding in (*effect_findings(analysis), *write_findings(analysis)):
                said = _SAID_BY_RULES.get(finding.rule_id, ())
                if finding.rule_id in findings or any(
                    r in findings and findings[r].risk >= finding.risk for r in said
                ):
                    continue  # a rule already says it, as severely, in its own words
                findings[finding.rule_id] = finding
        report = report_of(findings.values(), mode)
        return with_request(report, query, mode) if query else report


# Effect findings that repeat what a rule of the table says about the same thing.
_CONFIG_RULES = ("overwrite-etc", "edit-etc", "edit-lockout-config")
_SAID_BY_RULES: dict[str, tuple[str, ...]] = {
    "effect-overwrite-config": _CONFIG_RULES,
    "effect-edit-config": _CONFIG_RULES,
    "effect-append-config": _CONFIG_RULES,
    "effect-accounts-change": ("account-admin",),
}

_QUOTED = re.compile(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"")


def _mask(match: re.Match[str]) -> str:
    return match.group(0)[0] * 2


PatternValidator = ShellValidator
"""The name this validator had before it read bash with a parser (kept for callers)."""


def assess_request(query: str) -> tuple[Finding, ...]:
    """Findings about what a request asks for (empty when it asks for nothing destructive)."""
    text = " ".join(query.lower().split())
    return tuple(finding_of(r) for r in REQUEST_RULES if r.pattern.search(text))


def with_request(report: SafetyReport, query: str, mode: SafetyMode) -> SafetyReport:
    """``report`` with the request's own findings added (so a stub answer cannot hide it)."""
    extra = [
        f for f in assess_request(query) if f.rule_id not in {g.rule_id for g in report.findings}
    ]
    return report_of((*report.findings, *extra), mode) if extra else report

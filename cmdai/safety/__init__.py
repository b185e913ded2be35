"""The safety gate: rules and effects as data, a validator behind a protocol, the mode table.

Each rule carries an example that must match and a near-miss that must not; tests walk the
table, and ``python -m evals.safety`` scores recall and false alarms. ``ShellValidator`` reads
the command with a real bash grammar (``cmdai.shellparse``): every simple command it would run,
including code handed to ``bash -c``, ``eval``, ``xargs``, ``find -exec``, ``ssh`` and the like,
normalised (quotes, backslashes, paths, wrappers, ``$HOME``, globs) before the rules' patterns
are matched against it. Rules read utilities, flags and arguments, not strings: ``file_writes``
says which files a line overwrites, appends to, replaces, truncates or deletes (``>``, ``tee``,
``dd of=``, ``cp``/``mv``/``install``, ``truncate``, ``sed -i``...), so one rule covers every way
of wiping ``/etc/shadow``. Requests are classified too (``REQUEST_RULES``): asking to wipe a
disk is flagged even when the model answers with a harmless-looking stub.

Layout (one direction of dependency): ``model`` (risk, decisions, rule and report types) <-
``facts`` (what a line writes, downloads, runs) <- ``rules`` (the rule table, data) and
``effects_table`` (what each utility does to which argument, target classes, the risk table:
data) <- ``effects`` (reads the effects table) <- ``gate`` (the engine: ``ShellValidator``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cmdai.lazy import exports
from cmdai.safety.model import (
    DECISIONS,
    Decision,
    Finding,
    Risk,
    Rule,
    SafetyReport,
    SafetyValidator,
    Scope,
    report_of,
)

if TYPE_CHECKING:
    from cmdai.safety.facts import file_writes
    from cmdai.safety.gate import PatternValidator, ShellValidator, assess_request, with_request
    from cmdai.safety.rules import REQUEST_RULES, RULES, RULES_BY_ID

# The engine and the tables are imported on first use: compiling the rule table's patterns is
# the larger part of a request's client start-up, and a client whose warm server runs the
# same gate asks the server instead (``cmdai.server.client.ServerGate``).
__getattr__ = exports(
    __name__,
    {
        "cmdai.safety.facts": ("file_writes",),
        "cmdai.safety.gate": (
            "PatternValidator",
            "ShellValidator",
            "assess_request",
            "with_request",
        ),
        "cmdai.safety.rules": ("REQUEST_RULES", "RULES", "RULES_BY_ID"),
    },
)

__all__ = [
    "DECISIONS",
    "REQUEST_RULES",
    "RULES",
    "RULES_BY_ID",
    "Decision",
    "Finding",
    "PatternValidator",
    "Risk",
    "Rule",
    "SafetyReport",
    "SafetyValidator",
    "Scope",
    "ShellValidator",
    "assess_request",
    "file_writes",
    "report_of",
    "with_request",
]

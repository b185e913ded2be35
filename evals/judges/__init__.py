"""Judges: does a proposed command do what the reference command does?

Three judges, strongest first, each a small ``Judge`` returning a frozen ``Score`` (or None
when it cannot judge the item):

``execution`` (``evals.judges.execution``)
    Runs the reference and the candidate in a bubblewrap sandbox, each in its own fresh copy
    of the item's fixture, and compares what they did: the file-system changes and/or the
    output, as the item's ``compare`` asks, by tolerant rules listed in that module.
``nlc2cmd`` (``evals.judges.nlc2cmd``)
    The NLC2CMD competition metric (Agarwal et al., 2021); ``value`` is the [0, 1] clip,
    ``raw`` the metric itself.
``exact`` (``evals.judges.exact``)
    Exact match after normalisation (whitespace, safe quoting, ``./`` prefixes of arguments,
    a trailing ``;``).

With several references every judge takes the best (NLC2CMD: the competition's own rule,
the best when any is positive, otherwise the mean).

The parts: ``base`` (``Score``, ``JudgeItem``, the ``Judge`` protocol, fixture-builder types),
``snapshot`` (tree snapshots, ``Run``, ``effects``, the git probe), ``execution``,
``nlc2cmd``, ``exact``, ``suite`` (``default_judges``, ``judge_item``), ``agreement`` (each
judge against the labelled pairs) and ``cli``. This module only re-exports the names callers
use.

    python -m evals.judges agreement [--json out.json]   # each judge vs the labelled pairs
"""

from __future__ import annotations

from evals.judges.agreement import judge_agreement, load_pairs
from evals.judges.base import JudgeItem, Populate, Score
from evals.judges.cli import main
from evals.judges.exact import ExactMatchJudge, normalise_command
from evals.judges.execution import (
    ExecutionJudge,
    compare_outputs,
    fixture_populator,
    reference_orders,
)
from evals.judges.nlc2cmd import (
    NLC2CMDJudge,
    command_flags,
    nlc2cmd_aggregate,
    nlc2cmd_flag_score,
    nlc2cmd_metric,
    utilities,
)
from evals.judges.snapshot import GIT_KEY, Run, effects, snapshot
from evals.judges.suite import default_judges, judge_item, memory_scratch

__all__ = [
    "GIT_KEY",
    "ExactMatchJudge",
    "ExecutionJudge",
    "JudgeItem",
    "NLC2CMDJudge",
    "Populate",
    "Run",
    "Score",
    "command_flags",
    "compare_outputs",
    "default_judges",
    "effects",
    "fixture_populator",
    "judge_agreement",
    "judge_item",
    "load_pairs",
    "main",
    "memory_scratch",
    "nlc2cmd_aggregate",
    "nlc2cmd_flag_score",
    "nlc2cmd_metric",
    "normalise_command",
    "reference_orders",
    "snapshot",
    "utilities",
]

"""A parsed command's pipelines read as word lists: their stages and short options.

Shared by the checks that read how one stage's output feeds the next (``cmdai.pitfalls``,
``cmdai.titles``, ``cmdai.intent``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cmdai.shellparse import Analysis


def short_flags(argv: Sequence[str]) -> str:
    """The letters of the short options in ``argv`` (``-rh -k5`` -> ``rhk5``)."""
    return "".join(w[1:] for w in argv[1:] if w.startswith("-") and not w.startswith("--"))


def pipeline_stages(analysis: Analysis) -> Iterator[list[list[str]]]:
    """Each of the command's pipelines as its stages' word lists (unsplittable ones skipped)."""
    import shlex

    for pipeline in analysis.pipelines:
        try:
            stages = [shlex.split(stage) for stage in pipeline.split(" | ")]
        except ValueError:
            continue
        yield stages


def adjacent_stages(analysis: Analysis) -> list[tuple[list[str], list[str]]]:
    """Each pair of neighbouring stages of the command's pipelines, as word lists."""
    return [
        (a, b)
        for stages in pipeline_stages(analysis)
        for a, b in itertools.pairwise(stages)
        if a and b
    ]

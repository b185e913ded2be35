"""All judges together: the default set, strongest first, and every judge's verdict on an item."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cmdai.sandbox import Sandbox
from evals.judges.base import Judge, JudgeItem, PopulateFactory, Score
from evals.judges.exact import ExactMatchJudge
from evals.judges.execution import ExecutionJudge, fixture_populator
from evals.judges.nlc2cmd import NLC2CMDJudge


# -- all judges together -------------------------------------------------------------------
def memory_scratch() -> Path | None:
    """``/dev/shm`` when it is a writable directory (fixture copies build twice as fast there)."""
    shm = Path("/dev/shm")  # noqa: S108 - throwaway fixture copies only
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


def default_judges(
    sandbox: Sandbox | None = None,
    populate_factory: PopulateFactory | None = None,
    timeout_s: float = 5.0,
    scratch: Path | None = None,
) -> list[Judge]:
    """Execution (builds a ``Sandbox`` if none is given: raises if bwrap cannot), NLC2CMD, exact."""
    execution = ExecutionJudge(
        sandbox or Sandbox(),
        populate_factory or fixture_populator(),
        timeout_s=timeout_s,
        scratch=scratch,
    )
    return [execution, NLC2CMDJudge(), ExactMatchJudge()]


def judge_item(
    item: JudgeItem | Mapping[str, Any],
    candidate: str,
    judges: Iterable[Judge] | None = None,
) -> dict[str, Score | None]:
    """Every judge's score of ``candidate`` for ``item`` (None where a judge does not apply)."""
    if not isinstance(item, JudgeItem):
        item = JudgeItem.from_mapping(item)
    return {j.name: j.score(item, candidate) for j in (judges or default_judges())}

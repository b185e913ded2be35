"""How much of the drafts' headroom each way of choosing takes (issue 11, item 5).

``python -m evals drafts RUN_DIR`` reads a run made with several drafts per request
(``+backend.settings.candidates=N``: every draft is recorded with its checks, votes and
judged scores) and scores the ways of choosing one, all on the same drafts:

- ``greedy``: the first draft (what ``candidates = 1`` shows);
- ``vote``: the normal form most drafts share, ties to the greedy draft;
- ``checks+vote``: a draft that passes the checks here first, then the vote (what cmdai's
  ``candidates`` setting ships);
- ``exec``: execution agreement ("MBR-exec", Shi et al. 2022): every distinct draft runs
  once in the sandbox on a fresh copy of the item's fixture, and the draft whose effects
  (output and file changes, compared as the execution judge compares them) agree with the
  most drafts wins; a draft that fails (non-zero exit, timeout) loses to one that runs.
  Items without a fixture fall back to ``checks+vote``;
- ``greedy-unless-failed``: what ``rehearse = true`` does (``cmdai.rehearse``): the greedy
  draft, unless a check other than a missing utility finds a problem or it fails in the
  sandbox (and uses no utility whose work is outside it); then execution agreement, ties to
  the earliest draft. Items without a fixture keep the greedy draft;
- ``oracle``: a right draft whenever there is one (the headroom).

No choice sees a reference: the judged scores only score the choice afterwards.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cmdai.candidates import Candidate, choose
from cmdai.rehearse import before_rehearsal, ranked_choice
from evals.metrics import CORRECT, primary_score

POLICIES = ("greedy", "vote", "checks+vote", "exec", "greedy-unless-failed", "oracle")
EXEC_POLICIES = ("exec", "greedy-unless-failed")


def _candidates(sample: dict[str, Any]) -> list[Candidate]:
    return [
        Candidate(d["command"], tuple(d.get("problems") or ()), int(d.get("votes") or 1))
        for d in sample["candidates"]
    ]


def _score(draft: dict[str, Any]) -> float:
    return primary_score({"scores": draft.get("scores") or {}}) or 0.0


def pick_vote(sample: dict[str, Any]) -> int:
    """The draft most drafts agree with, ignoring the checks."""
    return choose([Candidate(c.command, (), c.votes) for c in _candidates(sample)])


def pick_checks_vote(sample: dict[str, Any]) -> int:
    """The choice cmdai ships (``cmdai.candidates.choose``): the checks, then the vote."""
    return choose(_candidates(sample))


def pick_oracle(sample: dict[str, Any]) -> int:
    """A right draft whenever there is one (uses the judged scores: the headroom only)."""
    drafts = sample["candidates"]
    return max(range(len(drafts)), key=lambda i: (_score(drafts[i]), -i))


Agree = Callable[[dict[str, Any], Sequence[str]], list[list[float]] | None]


def pick_exec(sample: dict[str, Any], agree: Agree, item: dict[str, Any]) -> int:
    """Execution agreement over the distinct drafts (falls back to ``checks+vote``)."""
    candidates = _candidates(sample)
    distinct = list(dict.fromkeys(c.command for c in candidates))
    if len(distinct) < 2:
        return pick_checks_vote(sample)
    matrix = agree(item, distinct)
    if matrix is None:
        return pick_checks_vote(sample)
    weight = {command: sum(c.command == command for c in candidates) for command in distinct}
    support = {
        a: sum(weight[b] * matrix[i][j] for j, b in enumerate(distinct))
        for i, a in enumerate(distinct)
    }
    ran = {a: matrix[i][i] > 0 for i, a in enumerate(distinct)}
    return max(
        range(len(candidates)),
        key=lambda i: (
            not candidates[i].problems,
            ran[candidates[i].command],
            support[candidates[i].command],
            candidates[i].votes,
            -i,
        ),
    )


def pick_unless_failed(sample: dict[str, Any], agree: Agree, item: dict[str, Any]) -> int:
    """The greedy draft unless it fails a check (not a missing utility) or its run.

    cmdai's own policy (``cmdai.rehearse``), with the judge's agreement between effects.
    """
    candidates = _candidates(sample)
    distinct = list(dict.fromkeys(c.command for c in candidates))
    before = before_rehearsal(candidates[0])
    if len(distinct) < 2 or before == "keep":
        return 0
    matrix = agree(item, distinct)
    if matrix is None:
        return 0
    row = {a: i for i, a in enumerate(distinct)}
    ran = [matrix[row[c.command]][row[c.command]] > 0 for c in candidates]
    if before == "rehearse" and ran[0]:
        return 0
    support = [
        sum(matrix[row[c.command]][row[o.command]] for o in candidates) if ran[i] else 0.0
        for i, c in enumerate(candidates)
    ]
    return ranked_choice([not c.problems for c in candidates], ran, support)


def memoized(agree: Agree) -> Agree:
    """``agree`` run once per item and set of commands (two policies ask the same)."""
    seen: dict[tuple[str, tuple[str, ...]], list[list[float]] | None] = {}

    def once(item: dict[str, Any], commands: Sequence[str]) -> list[list[float]] | None:
        key = (str(item.get("id")), tuple(commands))
        if key not in seen:
            seen[key] = agree(item, commands)
        return seen[key]

    return once


def sandbox_agreement(fixtures: Path | None, timeout_s: float) -> Agree:
    """Pairwise agreement of the drafts' effects on the item's fixture (None: no fixture).

    The diagonal says whether a draft ran cleanly (exit 0, no timeout).
    """
    from cmdai.sandbox import Sandbox
    from evals import judges

    judge = judges.ExecutionJudge(
        Sandbox(),
        judges.fixture_populator(fixtures),
        timeout_s=timeout_s,
        scratch=judges.memory_scratch(),
    )

    def agree(item: dict[str, Any], commands: Sequence[str]) -> list[list[float]] | None:
        judge_item = judges.JudgeItem.from_mapping(item)
        if judge_item.fixture is None:
            return None
        populate = judge.populate_factory(judge_item.fixture)
        now = time.time()
        with tempfile.TemporaryDirectory(prefix="cmdai-drafts-", dir=judge.scratch) as tmp:
            runs = [
                judge.run(command, populate, now, Path(tmp) / str(i))
                for i, command in enumerate(commands)
            ]
        n = len(runs)
        matrix = [[0.0] * n for _ in range(n)]
        for i in range(n):
            r = runs[i].result
            matrix[i][i] = float(r.exit_code == 0 and not r.timed_out)
            for j in range(i + 1, n):
                value = 1.0 if judge.compare(judge_item, runs[i], runs[j]).value >= CORRECT else 0.0
                matrix[i][j] = matrix[j][i] = value
        return matrix

    return agree


def evaluate(
    samples: Sequence[dict[str, Any]], items: dict[str, dict[str, Any]], agree: Agree | None
) -> dict[str, Any]:
    """Accuracy of each way of choosing, over the samples that have drafts."""
    drafted = [s for s in samples if s.get("system", "cmdai") == "cmdai" and s.get("candidates")]
    totals = dict.fromkeys(POLICIES, 0.0)
    changed = dict.fromkeys(POLICIES, 0)
    for sample in drafted:
        drafts = sample["candidates"]
        picks = {
            "greedy": 0,
            "vote": pick_vote(sample),
            "checks+vote": pick_checks_vote(sample),
            "oracle": pick_oracle(sample),
        }
        if agree is not None:
            picks["exec"] = pick_exec(sample, agree, items[sample["id"]])
            picks["greedy-unless-failed"] = pick_unless_failed(sample, agree, items[sample["id"]])
        for policy, index in picks.items():
            totals[policy] += _score(drafts[index])
            changed[policy] += index != 0
    n = len(drafted)
    return {
        "samples": n,
        "drafts_mean": sum(len(s["candidates"]) for s in drafted) / n if n else None,
        "accuracy": {
            p: (totals[p] / n if n else None) for p in POLICIES if agree or p not in EXEC_POLICIES
        },
        "not_greedy": {p: changed[p] for p in POLICIES if agree or p not in EXEC_POLICIES},
    }


def _items(summary: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], Path | None]:
    from evals import data

    name, split = summary["dataset"]["name"], summary["dataset"]["split"]
    if name == "external":
        return {r["id"]: dict(r) for r in data.load_external(split)}, data.EXTERNAL_FIXTURES
    return {r["id"]: dict(r) for r in data.load_core(split)}, None


def main(argv: Sequence[str]) -> int:
    """``python -m evals drafts RUN_DIR [--no-exec] [--out FILE]``."""
    parser = argparse.ArgumentParser(prog="python -m evals drafts", description=__doc__)
    parser.add_argument("run", type=Path, help="a run directory (samples.jsonl, summary.json)")
    parser.add_argument("--no-exec", action="store_true", help="skip execution agreement")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per draft run")
    parser.add_argument("--out", type=Path, help="write the result as JSON here")
    args = parser.parse_args(argv)
    summary = json.loads((args.run / "summary.json").read_text(encoding="utf-8"))
    samples = [
        json.loads(line)
        for line in (args.run / "samples.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    items, fixtures = _items(summary)
    agree = None if args.no_exec else memoized(sandbox_agreement(fixtures, args.timeout))
    result = evaluate(samples, items, agree)
    result["run"] = str(args.run)
    result["dataset"] = summary["dataset"]
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0

"""The execution judge: the candidate and the reference run in the sandbox, compared.

Runs the reference and the candidate in a bubblewrap sandbox (``cmdai.sandbox``), each in its
own fresh copy of the item's fixture built with the same ``now``, and compares what they did:
the file-system changes (``evals.judges.snapshot``) and/or the output, as the item's
``compare`` asks. Output comparison is tolerant (rules below). Items without a fixture: None.
With several references the best counts.

Execution tolerance rules, in order (``value`` 1.0 means "equivalent"):

1. Output lines are normalised: runs of whitespace become one space, lines are stripped,
   each word loses a leading ``./`` and a trailing ``/`` (``./logs/`` reads ``logs``), blank
   lines are dropped. Equal line lists: 1.0.
2. The same lines in another order (equal as multisets): 1.0 when the order is not part of
   the answer, else 0.5. The item's ``tags.ordered`` decides when given; otherwise the order
   matters when the reference sorts (``sort``, ``tac``, ``ls -t/-S/-r/-X/-v/-c/-u``) or does
   not list the file system (the lines of a file keep their order; ``find``, ``ls``, ``du``,
   ``grep -r/-l``, ``xargs`` and unquoted globs list files in an order no request asks for).
3. Counts: a bare number ``N`` matches a single line ``N name`` or a last line ``N total``
   (``wc -l < f`` vs ``wc -l f``; ``cat *.py | wc -l`` vs ``wc -l *.py``): 1.0.
4. Superset: the candidate prints every reference line plus at most ``max(1, n/4)`` extra
   lines (a header, a ``.`` entry): 0.5. Fewer lines, or more extras: 0.
5. An empty reference output only matches an empty candidate output with the same success
   (exit status zero or not), so a failing candidate cannot pass on silence.
6. A candidate that timed out scores 0 (a reference that timed out: 0 with ``error`` set).
   Exit statuses are otherwise not compared (``grep -c`` exits 1 when it prints ``0``), nor
   is stderr (messages vary between tools).
7. ``compare: output``: a candidate that deletes or modifies fixture entries the reference
   left alone scores 0 (new files it creates are allowed and reported).
8. ``compare: files``: the trees after both runs must be equal: same paths, types, permission
   bits, sizes and contents (archives by their members and compression, so ``tar czf``
   timestamps and member order do not matter; files over 1 MiB by size and their first and
   last 64 KiB). A pre-existing file whose content did not change is also compared by its
   mtime: untouched, set to "now" (during the run), or set to a given second. New files'
   mtimes, directory mtimes and atimes are ignored. A ``.git`` directory is compared by the
   repository's state instead of its bytes (``GIT_PROBE``). 1.0 or 0.
9. ``compare: both``: rule 8 and the output rules; 0 unless the trees are equal.
"""

from __future__ import annotations

import re
import shlex
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cmdai.sandbox import Sandbox
from evals.judges.base import JudgeItem, Populate, PopulateFactory, Score
from evals.judges.nlc2cmd import utilities
from evals.judges.snapshot import (
    _GIT_DIR,
    GIT_KEY,
    GIT_PROBE,
    Run,
    _altered,
    _in_git_dir,
    effects,
    snapshot,
)


def _lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        words = [_word(w) for w in line.split()]
        if words:
            lines.append(" ".join(words))
    return lines


def _word(word: str) -> str:
    if word.startswith("./") and len(word) > 2:
        word = word[2:]
    if word.endswith("/") and len(word) > 1:
        word = word.rstrip("/") or "/"
    return word


_NUMBER = re.compile(r"^\d+$")


def _same_count(a: list[str], b: list[str]) -> bool:
    """Rule 3: a bare number N against ``N name`` or a last line ``N total``."""
    for bare, other in ((a, b), (b, a)):
        if len(bare) == 1 and _NUMBER.match(bare[0]) and other:
            words = other[0].split()
            if len(other) == 1 and words[0] == bare[0]:
                return True
            last = other[-1].split()
            if len(other) > 1 and last == [bare[0], "total"]:
                return True
    return False


def compare_outputs(reference: str, candidate: str, *, ordered: bool) -> tuple[float, str]:
    """Tolerant output comparison (rules 1-4 of the module docstring): value and reason."""
    ref, cand = _lines(reference), _lines(candidate)
    if ref == cand:
        return 1.0, "same output" if ref else "both empty"
    same_lines = Counter(ref) == Counter(cand)
    if same_lines and not ordered:
        return 1.0, "same lines in another order"
    if _same_count(ref, cand):
        return 1.0, "same count"
    if same_lines:
        return 0.5, "same lines, but the order matters and differs"
    extra = Counter(cand) - Counter(ref)
    if ref and not (Counter(ref) - Counter(cand)):
        n_extra = sum(extra.values())
        if n_extra <= max(1, len(ref) // 4):
            return 0.5, f"every reference line plus {n_extra} extra"
        return 0.0, f"every reference line but {n_extra} extra"
    missing = sum((Counter(ref) - Counter(cand)).values())
    return 0.0, f"output differs ({missing} of {len(ref)} reference lines missing)"


_ORDERING_LS_FLAGS = frozenset({"-t", "-S", "-r", "-X", "-v", "-c", "-u"})
_LISTING = frozenset({"find", "ls", "du", "locate", "stat", "file", "xargs"})
_GREP_LISTING_FLAGS = frozenset({"-r", "-R", "-l", "-L", "--recursive", "--files-with-matches"})


def _has_glob(command: str) -> bool:
    """True when an unquoted word has a glob character (bash lists a directory for it)."""
    lexer = shlex.shlex(command, posix=False, punctuation_chars=";&|<>()")
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        words = list(lexer)
    except ValueError:
        return False
    return any(w[:1] not in "'\"" and any(c in w for c in "*?[") for w in words)


def reference_orders(reference: str) -> bool:
    """True when the order of the reference's output lines is part of the answer.

    It is when the reference sorts (``sort``, ``tac``, ``ls -t/-S/-r/-X/-v/-c/-u``), and when
    it does not list the file system at all: the lines of a file keep their order, while
    ``find``, ``ls``, ``du``, ``grep -r/-l``, a glob... list files in an order no request
    asks for.
    """
    lists = _has_glob(reference)
    for name, flags in utilities(reference):
        if name in ("sort", "tac"):
            return True
        if name == "ls" and flags & _ORDERING_LS_FLAGS:
            return True
        lists = lists or name in _LISTING
        lists = lists or (name in ("grep", "egrep", "fgrep") and bool(flags & _GREP_LISTING_FLAGS))
    return not lists


def fixture_populator(root: Path | None = None) -> PopulateFactory:
    """A PopulateFactory over ``evals.fixtures`` specs under ``root`` (the core set's default)."""
    from evals import fixtures

    where = fixtures.FIXTURES_DIR if root is None else root

    def factory(name: str) -> Populate:
        fixture = fixtures.load_fixture(name, where)

        def populate(dest: Path, now: float) -> None:
            fixtures.materialize(fixture, dest, now)

        return populate

    return factory


@dataclass
class ExecutionJudge:
    """Execution equivalence in the sandbox (see the module docstring for the rules).

    Args:
        sandbox: Where commands run (nothing runs outside it).
        populate_factory: Fixture name to a function that builds it.
        timeout_s: Hard timeout per command.
        clock: The ``now`` fixtures are built for (both copies get the same).
        scratch: Where throwaway copies are made (system temporary directory by default).
    """

    sandbox: Sandbox
    populate_factory: PopulateFactory = field(default_factory=fixture_populator)
    timeout_s: float = 5.0
    clock: Callable[[], float] = time.time
    scratch: Path | None = None
    name: str = "execution"

    def score(self, item: JudgeItem, candidate: str) -> Score | None:
        """None without a fixture; otherwise the best comparison over the references."""
        if item.fixture is None:
            return None
        if not candidate.strip():
            return Score(0.0, self.name, "empty candidate")
        if "\x00" in candidate:
            return Score(0.0, self.name, "candidate contains a NUL byte (bash cannot run it)")
        populate = self.populate_factory(item.fixture)
        now = self.clock()
        with tempfile.TemporaryDirectory(prefix="cmdai-judge-", dir=self.scratch) as tmp:
            base = Path(tmp)
            cand = self._run(candidate, populate, now, base / "candidate")
            best: Score | None = None
            for i, ref_cmd in enumerate(item.references):
                ref = self._run(ref_cmd, populate, now, base / f"reference-{i}")
                score = self._judge(item, ref, cand)
                if best is None or score.value > best.value:
                    best = score
                if best.passed:
                    break
        assert best is not None
        return best

    def run(self, command: str, populate: Populate, now: float, workdir: Path) -> Run:
        """Build a fresh fixture copy in ``workdir`` and run ``command`` there."""
        return self._run(command, populate, now, workdir)

    def compare(self, item: JudgeItem, reference: Run, candidate: Run) -> Score:
        """Judge two finished runs (also how drafts' effects are compared with each other)."""
        return self._judge(item, reference, candidate)

    def _run(self, command: str, populate: Populate, now: float, workdir: Path) -> Run:
        workdir.mkdir(parents=True)
        populate(workdir, now)
        before = snapshot(workdir)
        started = time.time()
        result = self.sandbox.run(command, workdir, self.timeout_s)
        ended = time.time()
        after = snapshot(workdir, before)
        git = None
        if (workdir / _GIT_DIR).is_dir():
            git = self.sandbox.run(GIT_PROBE, workdir, self.timeout_s).stdout
        elif _GIT_DIR in before:
            git = "no repository"
        return Run(command, result, before, after, started, ended, git)

    def _judge(self, item: JudgeItem, ref: Run, cand: Run) -> Score:
        details: dict[str, Any] = {
            "reference_exit": ref.result.exit_code,
            "candidate_exit": cand.result.exit_code,
            "candidate_s": round(cand.result.duration_s, 3),
        }

        def verdict(value: float, why: str, error: str | None = None) -> Score:
            return Score(value, self.name, why, ref.command, error=error, details=details)

        if ref.result.timed_out:
            return verdict(0.0, "reference timed out", error="reference timed out")
        if cand.result.timed_out:
            return verdict(0.0, f"candidate timed out after {self.timeout_s:g} s")
        ref_fx, cand_fx = effects(ref), effects(cand)
        files_equal = ref_fx == cand_fx
        if not files_equal:
            differ = sorted(
                p for p in set(ref_fx) | set(cand_fx) if ref_fx.get(p, 0) != cand_fx.get(p, 0)
            )
            details["files_differ"] = differ[:10]
        if item.compare in ("files", "both") and not files_equal:
            return verdict(
                0.0, f"file-system changes differ ({len(details['files_differ'])} paths)"
            )
        if item.compare == "files":
            return verdict(1.0, "same file-system changes" if ref_fx else "no changes in either")
        if item.compare == "output":
            # Fixture paths the candidate deleted or altered (a touched mtime alone is no
            # harm) where the reference did not do the same.
            damaged = sorted(
                p
                for p in cand.before
                if not _in_git_dir(p) and _altered(cand, p) and ref_fx.get(p, 0) != cand_fx.get(p)
            )
            if cand.git != ref.git:
                damaged.append(GIT_KEY)
            if damaged:
                details["damaged"] = damaged[:10]
                return verdict(0.0, f"candidate changed or deleted {len(damaged)} fixture paths")
            created = sorted(p for p in cand_fx if p not in cand.before and p not in ref_fx)
            if created:
                details["created"] = created[:10]
        ordered = item.tags.get("ordered")
        if not isinstance(ordered, bool):
            ordered = reference_orders(ref.command)
        value, why = compare_outputs(ref.result.stdout, cand.result.stdout, ordered=ordered)
        if not _lines(ref.result.stdout):
            same_success = (ref.result.exit_code == 0) == (cand.result.exit_code == 0)
            if value >= 1.0 and not same_success:
                return verdict(0.0, "both print nothing, but only one succeeds")
        if cand.result.truncated != ref.result.truncated:
            details["truncated"] = {
                "reference": ref.result.truncated,
                "candidate": cand.result.truncated,
            }
        return verdict(value, why)

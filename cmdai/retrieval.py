"""Worked examples chosen per request: Okapi BM25 over a corpus of request/command pairs.

The ``retrieved`` prompt template shows the model the examples nearest to the request instead
of (or after) fixed ones. The corpus is a JSON Lines file of ``{"request": ..., "command": ...}``
objects (``examples_file`` in the settings); ``python -m evals.data import tldr`` writes one.
Pure Python, no dependencies: a 30k-example corpus indexes in well under a second.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cmdai.checks import missing_utilities
from cmdai.errors import ConfigError
from cmdai.prompts import Example
from cmdai.schema import ModelAnswer

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "how",
        "i",
        "in",
        "into",
        "is",
        "it",
        "me",
        "my",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "with",
        "all",
        "any",
        "each",
        "every",
    ]
)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens without the most common English function words."""
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


class Retriever(Protocol):
    """Finds worked examples for a request."""

    def nearest(
        self, request: str, k: int, keep: Callable[[Example], bool] | None = None
    ) -> tuple[Example, ...]:
        """The ``k`` examples most similar to ``request`` that ``keep`` accepts, best first."""
        ...


SCAN = 60
"""How many of the best-scoring examples ``keep`` may look at before giving up."""


def usable_here(request: str) -> Callable[[Example], bool]:
    """Accepts an example whose utilities are installed here or named in ``request``.

    A corpus of tldr pages is mostly tools this machine lacks (``eza``, ``dolt``, ``gitk``):
    shown one, the model answers with it ("show Bob's commits" became ``gitk --author=Bob``).
    """
    words = set(re.findall(r"[\w.+-]+", request.lower()))

    def keep(example: Example) -> bool:
        return all(name.lower() in words for name in missing_utilities(example.answer.command))

    return keep


@dataclass(frozen=True)
class _Doc:
    example: Example
    length: int


class BM25Retriever:
    """Okapi BM25 (k1=1.5, b=0.75) over example requests."""

    def __init__(self, examples: Iterable[Example], k1: float = 1.5, b: float = 0.75) -> None:
        self._docs: list[_Doc] = []
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for index, example in enumerate(examples):
            counts = Counter(tokens(example.request))
            self._docs.append(_Doc(example, sum(counts.values())))
            for term, tf in counts.items():
                self._postings[term].append((index, tf))
        n = len(self._docs)
        self._avg_len = sum(d.length for d in self._docs) / n if n else 0.0
        self._idf = {
            term: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5))
            for term, p in self._postings.items()
        }
        self._k1, self._b = k1, b

    def __len__(self) -> int:
        return len(self._docs)

    def scores(self, request: str) -> dict[int, float]:
        """BM25 score of every document sharing a term with ``request``."""
        scores: dict[int, float] = defaultdict(float)
        for term in set(tokens(request)):
            idf = self._idf.get(term)
            if idf is None:
                continue
            for index, tf in self._postings[term]:
                norm = 1 - self._b + self._b * self._docs[index].length / (self._avg_len or 1)
                scores[index] += idf * tf * (self._k1 + 1) / (tf + self._k1 * norm)
        return scores

    def nearest(
        self, request: str, k: int, keep: Callable[[Example], bool] | None = None
    ) -> tuple[Example, ...]:
        """The ``k`` best-scoring examples ``keep`` accepts, among the first ``SCAN``.

        Ties are broken by corpus order, so the choice is stable.
        """
        scores = self.scores(request)
        best = sorted(scores, key=lambda i: (-scores[i], i))[: SCAN if keep else k]
        examples = (self._docs[i].example for i in best)
        return tuple(e for e in examples if keep is None or keep(e))[:k]


def load_examples(path: Path) -> list[Example]:
    """Read a corpus file of ``{"request", "command"[, "explanation"]}`` lines.

    Rows of cmdai's eval datasets (``{"request", "references": [...]}``) are read too, taking
    the first reference.

    Raises:
        ConfigError: the file is missing, or a line is not such an object.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"cannot read the examples file {path}: {exc}",
            hint="Set examples_file to a JSON Lines file of request/command pairs "
            "(python -m evals.data import tldr writes one).",
        ) from None
    examples: list[Example] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            # An eval dataset row (``references``) works as well as a plain example.
            request = row["request"]
            command = row["command"] if "command" in row else row["references"][0]
            if not isinstance(request, str) or not isinstance(command, str):
                raise TypeError("request and command must be strings")
            explanation = row.get("explanation", "")
            answer = ModelAnswer(kind="command", command=command, explanation=str(explanation))
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise ConfigError(
                f"{path}, line {number}: not a request/command example ({exc})",
                hint='Each line must be {"request": "...", "command": "..."}.',
            ) from None
        examples.append(Example(request, answer))
    if not examples:
        raise ConfigError(f"the examples file {path} is empty", hint="Point it at a corpus.")
    return examples


def corpus_retriever(path: Path) -> BM25Retriever:
    """A BM25 retriever over the examples in ``path``."""
    return BM25Retriever(load_examples(path))

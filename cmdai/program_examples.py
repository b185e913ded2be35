"""Worked examples for the program a request names, from that program's tldr page.

"Interactively choose which parts to squash (with jj squash)" or "using ffmpeg, make a gif of
clip.mp4" name the program to use. A 1.5B model knows the everyday tools' options and guesses
at the rest (``git rebase -i`` for jj, ``nagios3`` started through systemd). tldr-pages has a
page of worked examples for some 6,000 programs (``data/tldr_pages.jsonl.gz``, CC-BY-4.0,
credit: the tldr-pages contributors; see ``data/README.md``): the few whose descriptions are
nearest to the request are shown to the model as worked examples, after the fixed ones so the
cached prompt prefix is untouched. The file is read only when a request names a program.
"""

from __future__ import annotations

import gzip
import json
import logging
import zlib
from collections.abc import Callable
from pathlib import Path

from cmdai.intent import asked_program
from cmdai.prompts import Example
from cmdai.retrieval import BM25Retriever, tokens
from cmdai.schema import ModelAnswer

log = logging.getLogger(__name__)

PAGES_PATH = Path(__file__).resolve().parent / "data" / "tldr_pages.jsonl.gz"
"""The shipped pages (``python -m evals.data pack-tldr`` writes them)."""

Exclude = Callable[[str, str], bool]
"""Whether an example (request, command) must not be shown: the eval harness hides its own
items and, for the external set, its held-out utilities."""


class ProgramExamples:
    """tldr's examples for the program a request names."""

    def __init__(self, path: Path | None = None, exclude: Exclude | None = None) -> None:
        self.path = path or PAGES_PATH
        self.exclude = exclude
        self._pages: dict[str, list[tuple[str, str]]] = {}
        self._broken = False

    def page(self, name: str) -> list[tuple[str, str]]:
        """The (request, command) examples of the page titled ``name`` (empty: no such page).

        A missing or damaged file costs only the examples: it is logged once, and every
        request is answered without them.
        """
        name = name.lower()
        if name in self._pages:
            return self._pages[name]
        examples: list[tuple[str, str]] = []
        if not self._broken:
            key = '{"page": ' + json.dumps(name, ensure_ascii=False) + ","
            try:
                with gzip.open(self.path, "rt", encoding="utf-8") as lines:
                    for line in lines:
                        if line.startswith(key):
                            examples = [(r, c) for r, c in json.loads(line)["examples"]]
                            break
            except (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError) as exc:
                log.warning("cannot read the tldr pages at %s (%s); none shown", self.path, exc)
                self._broken = True
        if self.exclude is not None:
            examples = [(r, c) for r, c in examples if not self.exclude(r, c)]
        self._pages[name] = examples
        return examples

    def count_pages(self) -> int:
        """How many pages the whole file holds (0: missing or damaged; its checksum is read).

        For ``cmdai doctor``: reading one page would miss damage after it.
        """
        try:
            with gzip.open(self.path, "rt", encoding="utf-8") as lines:
                return sum(1 for line in lines if line.startswith('{"page": '))
        except (OSError, EOFError, zlib.error, ValueError):
            return 0

    def for_request(self, request: str, k: int) -> tuple[Example, ...]:
        """Up to ``k`` examples of the program ``request`` names, nearest to it first.

        ``(with jj squash)`` reads the page of ``jj squash``, else that of ``jj``, and ranks its
        examples by the request's other words; those sharing none come in the page's own
        order, most common use first.
        """
        program = asked_program(request)
        if program is None or k <= 0:
            return ()
        words = program.lower().split()
        examples: list[tuple[str, str]] = []
        for name in dict.fromkeys([" ".join(words), words[0]]):
            examples = self.page(name)
            if examples:
                break
        shown = [Example(r, ModelAnswer("command", c, "")) for r, c in examples]
        # The program's own name is in every example: rank by the rest of the request.
        query = " ".join(w for w in tokens(request) if w not in words)
        nearest = list(BM25Retriever(shown).nearest(query, k)) if shown else []
        for example in shown:
            if len(nearest) >= k:
                break
            if example not in nearest:
                nearest.append(example)
        return tuple(nearest)

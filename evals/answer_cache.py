"""Answers and verdicts kept across runs, so that sweeps sharing cells reuse them.

``answer_cache=DIR`` on ``evals run`` wraps the run's backend: an answer is stored under the
sha256 of everything that decides it (the whole generation request, which carries the prompt,
the answer format, the worked examples, the request and the machine facts, and every
generation knob; plus the backend, the model file's sha256, the context size, the threads,
the backend's own settings and the llama.cpp and outlines versions) and served from there the
next time exactly that is asked. The judges' verdicts are stored under the candidate command,
the item (its id, references and fixture name), the dataset's sha256 (which covers the
fixtures), the judges chosen and the sandbox time limit.

A record answered from the cache says so (``answer_cached``) and carries no latency: the
run's latency figures are made of fresh answers only. Files are written atomically, so jobs
of a sweep may share one directory.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cmdai.backends.base import Backend, Generation, GenerationRequest, TextCallback
from cmdai.server.protocol import generation_from_wire


def key_of(*parts: Any) -> str:
    """A stable sha256 of JSON-able ``parts`` (key order and spacing do not matter)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(directory: Path, key: str) -> Any | None:
    path = directory / key[:2] / f"{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # absent, or torn by a kill: computed again


def _write(directory: Path, key: str, value: Any) -> None:
    folder = directory / key[:2]
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(value, f)
    os.replace(tmp, folder / f"{key}.json")


class CachedBackend:
    """A backend whose answers are kept in ``directory`` (``identity``: what else decides them)."""

    def __init__(self, inner: Backend, directory: Path, identity: dict[str, Any]) -> None:
        self.inner = inner
        self.name = inner.name
        self.directory = directory / "answers"
        self.identity = identity
        self.hits = 0
        self.misses = 0

    def generate(
        self, request: GenerationRequest, on_text: TextCallback | None = None
    ) -> Generation:
        """The stored answer to exactly this request, else the inner backend's (then stored)."""
        key = key_of(self.identity, dataclasses.asdict(request))
        stored = _read(self.directory, key)
        if isinstance(stored, dict):
            try:  # the server's reader: JSON lists back to tuples, every field checked
                generation = generation_from_wire(stored)
            except ValueError:
                pass  # written by another version of Generation: answer afresh
            else:
                self.hits += 1
                if on_text is not None:
                    on_text(generation.text)
                return generation
        generation = (
            self.inner.generate(request, on_text)
            if on_text is not None
            else self.inner.generate(request)
        )
        self.misses += 1
        _write(self.directory, key, dataclasses.asdict(generation))
        return generation

    def describe(self) -> dict[str, Any]:
        """The inner backend's description."""
        return self.inner.describe()


Verdict = tuple[dict[str, float | None], dict[str, Any]]


def cached_judge(
    judge: Callable[[dict[str, Any], str | None], Verdict],
    directory: Path,
    identity: dict[str, Any],
) -> Callable[[dict[str, Any], str | None], Verdict]:
    """``judge`` with its verdicts kept in ``directory``.

    ``identity`` holds what else decides a verdict: the judges, the dataset, the time limit.
    """
    folder = directory / "verdicts"

    def judged(item: dict[str, Any], command: str | None) -> Verdict:
        if command is None:
            return judge(item, command)
        what = {k: item.get(k) for k in ("id", "references", "fixture", "compare")}
        key = key_of(identity, what, command)
        stored = _read(folder, key)
        if isinstance(stored, list) and len(stored) == 2:
            return stored[0], stored[1]
        values, details = judge(item, command)
        _write(folder, key, [values, details])
        return values, details

    return judged

"""A fake backend: scripted answers for tests, canned ones for trying the UI without a model.

Tests ``enqueue()`` raw outputs and read ``history``. A queued output is a whole answer, as a
chat API returns it (no prefill placed before it); canned answers follow the requested
format, placing the prefill as the local backend does. A separate process (a subprocess or a
pseudo-terminal test) can be scripted through ``CMDAI_FAKE_SCRIPT``: a JSON file holding a
list of answers, each a string or ``{"text": ..., "delay_s": ...}``, consumed in order.
"""

from __future__ import annotations

import json
import os
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cmdai.backends.base import Generation, GenerationRequest, TextCallback
from cmdai.errors import ConfigError

SCRIPT_ENV = "CMDAI_FAKE_SCRIPT"

# Canned answers so `cmdai --backend fake` shows the whole flow, safety gate included.
_CANNED: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("largest",), "du -ah . | sort -rh | head -n 5", "Lists the 5 largest entries."),
    (("count", "lines"), "wc -l -- *", "Counts the lines of each file here."),
    (("disk", "space"), "df -h", "Shows free disk space per file system."),
    (("delete", "everything"), "rm -rf /", "Deletes every file on the system."),
    (("list",), "ls -la", "Lists the files here, hidden ones included."),
)


@dataclass(frozen=True)
class _Scripted:
    text: str
    delay_s: float = 0.0
    truncated: bool = False
    logprobs: tuple[float, ...] = ()
    after_prefill: bool = False


class FakeBackend:
    """Returns queued answers in order, else a canned answer keyed on the request's words."""

    name = "fake"

    def __init__(self) -> None:
        self._queue: deque[_Scripted] = deque()
        self.history: list[GenerationRequest] = []
        script = os.environ.get(SCRIPT_ENV)
        if script:
            self._load_script(Path(script))

    def enqueue(
        self,
        text: str,
        delay_s: float = 0.0,
        *,
        truncated: bool = False,
        logprobs: tuple[float, ...] = (),
        after_prefill: bool = False,
    ) -> None:
        """Queue one raw answer (returned by the next ``generate`` call).

        ``truncated`` makes it look cut off at the token limit, as a looping model's answer is;
        ``logprobs`` are the tokens' log-probabilities a local model would report;
        ``after_prefill``: the text is what follows the request's prefill, placed and cut at
        its stop strings as the local backend does.
        """
        self._queue.append(_Scripted(text, delay_s, truncated, logprobs, after_prefill))

    def generate(
        self, request: GenerationRequest, on_text: TextCallback | None = None
    ) -> Generation:
        """Return the next queued answer, or a canned one (streamed word by word)."""
        self.history.append(request)
        start = time.perf_counter()
        truncated = stopped = False
        prefix = ""
        logprobs: tuple[float, ...] = ()
        if self._queue:
            item = self._queue.popleft()
            if item.delay_s:
                time.sleep(item.delay_s)
            text, truncated, logprobs = item.text, item.truncated, item.logprobs
            if item.after_prefill:
                prefix = request.prefill
            if request.stop and (item.after_prefill or not request.prefill):
                ends = [text.find(stop) for stop in request.stop if stop in text]
                text = text[: min(ends)] if ends else text  # as a model server honours them
                stopped = bool(ends)
        elif request.prefill:
            prefix = request.prefill
            text = _canned_command(request.messages[-1].content)[0]
        elif request.json_schema is None:
            text = "This command does what the request asked (canned answer from the fake backend)."
        else:
            text = _canned(request.messages[-1].content)
        if on_text is not None:
            words = text.split(" ")
            for n in range(1, len(words) + 1):
                on_text(" ".join(words[:n]))
        return Generation(
            text=text,
            prompt_tokens=sum(len(m.content.split()) for m in request.messages),
            completion_tokens=len(text.split()),
            load_s=0.0,
            generate_s=time.perf_counter() - start,
            constrained=request.json_schema is not None,
            truncated=truncated,
            prefix=prefix,
            stopped=stopped,
            token_logprobs=logprobs,
        )

    def describe(self) -> dict[str, Any]:
        """Identify the fake in records."""
        return {"backend": self.name, "name": "fake", "path": None, "sha256": None}

    def _load_script(self, path: Path) -> None:
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read {SCRIPT_ENV} file {path}: {exc}") from exc
        if not isinstance(items, list):
            raise ConfigError(f"{SCRIPT_ENV} file {path} must hold a JSON list")
        for item in items:
            if isinstance(item, str):
                self.enqueue(item)
            else:
                logprobs = tuple(float(x) for x in item.get("logprobs", ()))
                self.enqueue(str(item["text"]), float(item.get("delay_s", 0.0)), logprobs=logprobs)


def _canned_command(request_text: str) -> tuple[str, str]:
    words = request_text.lower()
    for keys, command, explanation in _CANNED:
        if all(k in words for k in keys):
            return command, explanation
    return (
        "echo 'fake backend: no canned answer for this request'",
        "The fake backend only knows a few canned requests.",
    )


def _canned(request_text: str) -> str:
    command, explanation = _canned_command(request_text)
    return json.dumps({"kind": "command", "command": command, "explanation": explanation})

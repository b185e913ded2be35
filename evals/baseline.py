"""The plain-model baseline: the same model, no cmdai engineering.

Every cmdai configuration is reported beside it, in the same run (``baselines=[plain]``, the
default): a one-line system prompt, the request as the user turn, free text back, and the
first fenced code block, all of it (else the first non-empty line), taken as the command.
No cmdai prompt, parser, check or gate touches it; only the model call is shared (the same
loaded model, so the comparison is the same weights on the same machine in the same process).

``plain_examples`` adds four generic worked examples (the strongest cheap baseline measured in
issue 11: +0.03 over ``plain``); the examples use only glue and dev-side utilities.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cmdai.backends.base import Backend, GenerationRequest, Message

PLAIN_SYSTEM = "You are a Linux shell expert. Answer with a bash command for the user's request."

_EXAMPLES = (
    ("list the files in this folder, newest first", "ls -lt"),
    ("count the lines of notes.txt", "wc -l notes.txt"),
    ("show the last 20 lines of app.log", "tail -n 20 app.log"),
    ("make a folder called build", "mkdir build"),
)

# The first fenced block (its closing fence optional: generation stops there), else nothing.
# A block inside a numbered list is indented, its closing fence too.
_BLOCK = re.compile(r"```[^\n`]*\n(.*?)(?:\n[ \t]*```|\Z)", re.DOTALL)

BASELINE_MAX_TOKENS = 160


def first_command(text: str) -> str | None:
    """The command in a chat answer: the first fenced block, else the first non-empty line.

    The whole block, since a loop spans several lines; a line outside a block is unquoted.
    """
    match = _BLOCK.search(text)
    if match:
        block = textwrap.dedent(match.group(1))  # a block in a list item is indented
        lines = [line.rstrip().removeprefix("$ ") for line in block.splitlines()]
        body = "\n".join(line for line in lines if line.strip()).strip()
        if body:
            return body
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        line = line.removeprefix("$ ")
        if len(line) > 2 and line[0] == line[-1] == "`":
            line = line.strip("`")
        return line
    return None


@dataclass(frozen=True)
class PlainAnswer:
    """What a baseline produced for one request."""

    command: str | None
    raw: str
    latency_s: float
    prompt_tokens: int
    completion_tokens: int
    generate_s: float

    def record(self) -> dict[str, Any]:
        """The fields of a sample record (beside id, request, scores)."""
        return {
            "kind": "command" if self.command else "ambiguous",
            "command": self.command,
            "explanation": "",
            "raw": self.raw,
            "parse_method": "plain",
            "parse_ok": self.command is not None,
            "decision": None,
            "risk": None,
            "rules": [],
            "warnings": [],
            "latency_s": self.latency_s,
            "load_s": 0.0,
            "generate_s": self.generate_s,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cached_tokens": 0,
            "error": None,
        }


def plain_messages(request: str, examples: bool = False) -> tuple[Message, ...]:
    """The baseline's chat: the one-line system prompt, optional examples, the request."""
    messages = [Message("system", PLAIN_SYSTEM)]
    if examples:
        for question, command in _EXAMPLES:
            messages.append(Message("user", question))
            messages.append(Message("assistant", f"```bash\n{command}\n```"))
    messages.append(Message("user", request))
    return tuple(messages)


def plain_system(backend: Backend, *, examples: bool = False, seed: int = 0) -> PlainSystem:
    """A baseline answering through ``backend`` (greedy, free text)."""

    def answer(request: str) -> PlainAnswer:
        started = time.perf_counter()
        # The answer ends where its first code block closes: the prose a chat model adds
        # after it would only cost time. A block's closing fence ends its line; an opening
        # one names a language (```bash) or, when it does not, is continued below.
        request_ = GenerationRequest(
            messages=plain_messages(request, examples),
            json_schema=None,
            max_tokens=BASELINE_MAX_TOKENS,
            temperature=0.0,
            seed=seed,
            stop=("\n```\n",),
        )
        generation = backend.generate(request_)
        text, prompt_tokens, completion_tokens, generate_s = (
            generation.answer,
            generation.prompt_tokens,
            generation.completion_tokens,
            generation.generate_s,
        )
        if generation.stopped and "```" not in text:
            # Stopped at a bare opening fence: read on to the block's end.
            more = backend.generate(
                dataclasses.replace(request_, prefill=text + "\n```\n", stop=("\n```",))
            )
            if more.prefix:
                text = more.answer
                completion_tokens += more.completion_tokens
                generate_s += more.generate_s
        return PlainAnswer(
            command=first_command(text),
            raw=text,
            latency_s=time.perf_counter() - started,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            generate_s=generate_s,
        )

    return answer


PlainSystem = Callable[[str], PlainAnswer]

BASELINES: dict[str, Callable[[Backend, int], PlainSystem]] = {
    "plain": lambda backend, seed: plain_system(backend, seed=seed),
    "plain_examples": lambda backend, seed: plain_system(backend, examples=True, seed=seed),
}

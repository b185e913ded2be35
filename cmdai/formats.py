"""How the model writes its answer, and how every format is read back into one typed answer.

``fenced`` (shipped): the answer is a Markdown ```` ```bash ```` block holding the command as
raw text, the form code models write most naturally. The backend writes the opening fence
for the model (a prefill) and stops at the end of the line, so the model generates only the
command: no JSON escaping of quotes and backslashes (the main accuracy loss measured with
``json``), and no envelope tokens. A request that has no command is answered with a
comment in the block (``# not a shell task: ...``, ``# unclear: ...``).

``json``: a JSON object (kind, command, explanation) constrained by outlines to a schema;
kept as an evaluation axis and for servers that constrain JSON but cannot prefill.

Both parse through :func:`read_answer`, which also reads what a chat API returns when it
could not place the prefill (a full fenced block, prose around it, or JSON).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import Literal, get_args

from cmdai.errors import SchemaViolationError
from cmdai.parsing import ParsedAnswer, parse_answer
from cmdai.schema import AnswerKind, ModelAnswer, answer_json, answer_json_schema_text

FormatName = Literal["fenced", "fenced-lines", "fenced-plan", "think", "json"]
FORMATS: tuple[FormatName, ...] = get_args(FormatName)

FENCE_OPEN = "```bash\n"
DECLINE_THRESHOLD = 0.08
"""A fenced answer declines when the model puts at least this probability on starting with a
comment. Calibrated on the core dev split and the declines dev split (fenced@2 prompt, no
worked declines): every one of 206 shell requests stayed under 0.062, while half of the
non-shell requests were above it."""
NOT_A_SHELL_TASK = "not a shell task"
UNCLEAR = "unclear"

_BLOCK = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\n(.*?)(?:\n[ \t]*```|\Z)", re.DOTALL)
_SHELL_LANGS = {"", "bash", "sh", "shell", "zsh", "console", "shell-session", "terminal"}
_STRICT_FENCED = re.compile(r"```bash\n([^\n]+)(?:\n(?:```)?)?\s*", re.DOTALL)
_STRICT_LINES = re.compile(r"```bash\n[^\n`][^\n]*(?:\n[^\n`][^\n]*)*(?:\n(?:```)?)?\s*")
_STRICT_PLAN = re.compile(r"```bash\n# [^\n]+\n[^\n#][^\n]*(?:\n(?:```)?)?\s*", re.DOTALL)
PLAN_OPEN = FENCE_OPEN + "# "
THINK_OPEN = "How:"
_STRICT_THINK = re.compile(r"How:[^\n`][^\n]*\n+```bash\n[^\n`][^\n]*(?:\n(?:```)?)?\s*")
_DECLINE = re.compile(
    rf"^#+\s*(?P<tag>{NOT_A_SHELL_TASK}|{UNCLEAR}|ambiguous)\s*[:,.-]?\s*(?P<why>.*)$", re.I
)


@dataclass(frozen=True)
class AnswerFormat:
    """One model-facing answer format.

    Attributes:
        name: ``fenced`` or ``json``.
        prefill: What the assistant turn starts with, written by the backend.
        stop: Where generation ends after the prefill.
        decline_marker: How a declining answer starts (a calibrated decline; see
            ``GenerationRequest``); empty: the model's greedy choice decides.
        decline_threshold: The probability of declining at which the answer declines.
    """

    name: FormatName
    prefill: str
    stop: tuple[str, ...]
    decline_marker: str = ""
    decline_threshold: float = 0.5

    @property
    def json_schema(self) -> str | None:
        """The schema constrained decoding follows (``json`` only)."""
        return answer_json_schema_text() if self.name == "json" else None

    def render(self, answer: ModelAnswer) -> str:
        """The assistant turn that states ``answer`` in this format (worked examples, history)."""
        if self.name == "json":
            return answer_json(answer)
        if answer.kind == "command" and self.name == "think":
            return f"{THINK_OPEN} {answer.explanation}\n{FENCE_OPEN}{answer.command}\n```"
        if answer.kind == "command" and self.name == "fenced-plan":
            body = f"# {answer.explanation}\n{answer.command}"
        elif answer.kind == "command":
            body = answer.command
        else:
            tag = UNCLEAR if answer.kind == "ambiguous" else NOT_A_SHELL_TASK
            body = f"# {tag}: {answer.explanation}".rstrip()
        return f"{FENCE_OPEN}{body}\n```"

    def parse(self, text: str) -> ParsedAnswer:
        """Read the model's whole answer (prefill included).

        Raises:
            SchemaViolationError: nothing usable in it.
        """
        return read_answer(text, expected=self.name)


def get_format(name: str) -> AnswerFormat:
    """The format called ``name``.

    Raises:
        ValueError: an unknown name.
    """
    if name == "fenced":
        return AnswerFormat("fenced", FENCE_OPEN, ("\n",), "#", DECLINE_THRESHOLD)
    if name == "fenced-lines":
        # As fenced, but the block may hold several lines (a loop): it ends at its fence.
        return AnswerFormat("fenced-lines", FENCE_OPEN, ("\n```",), "#", DECLINE_THRESHOLD)
    if name == "fenced-plan":
        # The model first says in a comment how it will do it (a few words, as a chat model
        # does before its code block), then writes the command; the block's end stops it.
        return AnswerFormat("fenced-plan", PLAN_OPEN, ("\n```",))
    if name == "think":
        # A sentence on which tools do it and how, in prose as a chat model writes it, then the
        # block: the reasoning the plain model gets from its free text, in ~20 more tokens.
        # The backend opens the sentence (without it the model skips it); generation ends at
        # the block's closing fence (an opening fence is followed by "bash").
        return AnswerFormat("think", THINK_OPEN, ("\n```\n",))
    if name == "json":
        return AnswerFormat("json", "", ())
    raise ValueError(f"unknown answer format {name!r}; known: {', '.join(FORMATS)}")


def read_answer(text: str, expected: FormatName = "fenced") -> ParsedAnswer:
    """One typed answer from any format's text.

    The ladder: the expected format's exact shape (``strict``); a JSON answer (the JSON
    ladder of :func:`cmdai.parsing.parse_answer`); the first shell code block (``fenced``);
    the first non-empty line (``extracted``).

    Raises:
        SchemaViolationError: the answer is empty or holds no command and no reason.
    """
    stripped = text.strip()
    if not stripped:
        raise SchemaViolationError("the model returned an empty answer", raw=text)
    if expected == "json" or stripped.startswith("{"):
        try:
            return parse_answer(text)
        except SchemaViolationError:
            if expected == "json":
                raise
    strict = {
        "fenced": _STRICT_FENCED,
        "fenced-lines": _STRICT_LINES,
        "fenced-plan": _STRICT_PLAN,
        "think": _STRICT_THINK,
    }[expected].fullmatch(text) is not None
    for match in _BLOCK.finditer(stripped):
        lang, body = match.groups()
        if lang.lower() in _SHELL_LANGS and body.strip():
            answer = _from_lines(body, text)
            said = " ".join(stripped[: match.start()].split()).removeprefix(THINK_OPEN).strip()
            if expected == "think" and answer.kind == "command" and said:
                answer = answer.replace(explanation=said)
            return ParsedAnswer(answer, "strict" if strict else "fenced", schema_valid=strict)
    if "{" in stripped:  # JSON in a ```json block or in prose
        with contextlib.suppress(SchemaViolationError):
            return parse_answer(text)
    if stripped.startswith("```"):
        raise SchemaViolationError("the model's code block holds no command", raw=text)
    line = _unquote(next(x for x in stripped.splitlines() if x.strip()))
    if not _looks_like_command(line):
        raise SchemaViolationError(
            "the model answered in prose, without a command",
            raw=text,
            hint="Run with -v to see the raw answer; try rephrasing the request.",
        )
    return ParsedAnswer(_from_lines(line, text), "extracted", schema_valid=False)


def opens_script(text: str) -> bool:
    """Whether an answer's first line, a comment, opens a script instead of declining.

    ``#!/bin/bash``, or a heading such as ``# Create a virtual environment`` ("create a
    virtualenv and install the requirements" had been declined with it as the reason); a
    decline is written ``# not a shell task: ...`` or ``# unclear: ...``, as the prompt asks.
    """
    line = text.strip().split("\n", 1)[0].strip()
    return line.startswith("#") and (line.startswith("#!") or _DECLINE.match(line) is None)


def _looks_like_command(line: str) -> bool:
    """A line outside any code block is taken as a command only when it starts with one."""
    import shutil

    from cmdai.checks import SHELL_BUILTINS

    first = line.split(maxsplit=1)[0] if line.split() else ""
    return (
        first.startswith(("#", "./", "/", "~/"))
        or first in SHELL_BUILTINS
        or (shutil.which(first) is not None)
    )


def _unquote(line: str) -> str:
    """A command written inline in prose: `ls -la` or $ ls -la."""
    line = line.strip().removeprefix("$ ")
    if len(line) > 2 and line.startswith("`") and line.endswith("`"):
        line = line.strip("`")
    return line


def _from_lines(body: str, raw: str) -> ModelAnswer:
    """The answer a code block holds.

    Its command is its lines from the first that is not a comment; a comment alone is the
    reason there is no command.
    """
    lines = [line.rstrip() for line in body.strip().splitlines() if line.strip()]
    lines = [line[2:] if line.startswith("$ ") else line for line in lines]
    commands = [line for line in lines if not line.lstrip().startswith("#")]
    if commands:
        first = lines.index(commands[0])
        # Comments before the command say what it does (the fenced-plan format's plan).
        said = " ".join(
            line.lstrip("#").strip() for line in lines[:first] if not line.startswith("#!")
        ).strip()
        return ModelAnswer(kind="command", command="\n".join(lines[first:]), explanation=said)
    if not lines:
        raise SchemaViolationError("the model's answer holds no command", raw=raw)
    comment = lines[0].strip()
    match = _DECLINE.match(comment)
    kind: AnswerKind = "not_a_shell_task"
    why = comment.lstrip("#").strip()
    if match:
        kind = "not_a_shell_task" if match["tag"].lower() == NOT_A_SHELL_TASK else "ambiguous"
        why = match["why"].strip() or why
    return ModelAnswer(kind=kind, command="", explanation=why)

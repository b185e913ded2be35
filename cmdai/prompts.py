"""Named, versioned prompt templates and the facts about this machine that change the answer.

Templates produce chat messages; the backend renders them through the model's own chat
template (ChatML for Qwen). The system message holds only facts that are stable per machine,
and the examples are fixed, so the prompt prefix is identical across requests (a backend can
reuse its KV cache); the per-request facts (working directory) travel in the user turn.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import shutil
from dataclasses import dataclass
from pathlib import Path

from cmdai.backends.base import Message
from cmdai.errors import ConfigError
from cmdai.schema import ModelAnswer


@dataclass(frozen=True)
class Environment:
    """Facts that change the right command: OS, userland flavour, shell, working directory."""

    os_name: str
    userland: str
    shell: str
    cwd: str


def detect_environment(shell: str) -> Environment:
    """Describe this machine (no subprocesses: only files and the standard library)."""
    system = platform.system()
    if system == "Darwin":
        os_name = f"macOS {platform.mac_ver()[0]}".strip()
        userland = "BSD (macOS)"
    elif system == "Linux":
        os_name = _linux_pretty_name()
        ls = shutil.which("ls")
        busybox = ls is not None and Path(ls).resolve().name == "busybox"
        userland = "BusyBox" if busybox else "GNU coreutils"
    elif system.endswith("BSD"):
        os_name, userland = system, "BSD"
    else:
        os_name, userland = system or "unknown", "POSIX"
    return Environment(os_name=os_name, userland=userland, shell=shell, cwd=_cwd())


def _cwd() -> str:
    try:
        return os.getcwd()
    except OSError:  # the directory was deleted under us
        return os.environ.get("PWD", "?")


def _linux_pretty_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines():
            if line.startswith("PRETTY_NAME="):
                return "Linux (" + line.split("=", 1)[1].strip().strip('"') + ")"
    except OSError:
        pass
    return "Linux"


@dataclass(frozen=True)
class Example:
    """A worked request/answer pair shown to the model before the real request."""

    request: str
    answer: ModelAnswer


@dataclass(frozen=True)
class PromptTemplate:
    """A named, versioned prompt. Bump ``version`` whenever the text changes."""

    name: str
    version: str
    system: str
    examples: tuple[Example, ...]
    retrieved: int = 0
    """How many more examples to retrieve per request (after the fixed ones; 0 = none)."""

    @property
    def id(self) -> str:
        """``name@version``, the form recorded with every answer."""
        return f"{self.name}@{self.version}"


_SYSTEM_V1 = """\
You turn a user's request into ONE shell command for {shell} on {os_name} \
({userland} userland: use its flags).
Reply with a JSON object with keys "kind", "command", "explanation".
- kind "command": command is a single line (pipes and && are fine) that does exactly what \
was asked, using standard tools; explanation is one short sentence (at most 10 words).
- kind "not_a_shell_task": the request is not something a shell command does (general \
knowledge, writing prose); command is "".
- kind "ambiguous": the request is too unclear to answer safely (for example it does not say \
which files); command is ""; explanation says what is missing.
Work in the current directory with relative paths unless the request names another place. \
Never add destructive steps that were not asked for. Use sudo only when root is required. \
Quote file names safely."""


_SYSTEM_BRIEF = _SYSTEM_V1.replace(
    "explanation is one short sentence (at most 10 words).",
    'explanation is "" (the user asks for one when they want it).',
)
"""The command-first prompt: no explanation is generated for commands (fewer output tokens);
cmdai explains on demand. Declines still say why."""


def _command(request: str, command: str, explanation: str) -> Example:
    return Example(request, ModelAnswer(kind="command", command=command, explanation=explanation))


_EXAMPLES_V1 = (
    _command(
        "show the size of each folder here, biggest first",
        "du -sh -- */ | sort -rh",
        "Sizes each subdirectory and sorts them largest first.",
    ),
    _command(
        "find python files changed in the last 2 days",
        "find . -type f -name '*.py' -mtime -2",
        "Finds .py files under here modified within 2 days.",
    ),
    _command(
        "show the 3 most recently modified files",
        "ls -t | head -n 3",
        "Lists files newest first and keeps the first 3.",
    ),
    _command(
        "replace http: with https: in every markdown file",
        "find . -type f -name '*.md' -exec sed -i 's/http:/https:/g' {} +",
        "Edits every .md file in place, replacing http: with https:.",
    ),
    Example(
        "what is the tallest mountain on earth",
        ModelAnswer(
            kind="not_a_shell_task",
            command="",
            explanation="This is a general-knowledge question, not a shell task.",
        ),
    ),
    Example(
        "remove them",
        ModelAnswer(
            kind="ambiguous",
            command="",
            explanation="Which files or directories should be removed?",
        ),
    ),
)

_EXAMPLES_BRIEF = tuple(
    Example(e.request, e.answer.model_copy(update={"explanation": ""}))
    if e.answer.kind == "command"
    else e
    for e in _EXAMPLES_V1
)
_DECLINES = tuple(e for e in _EXAMPLES_V1 if e.answer.kind != "command")

TEMPLATES: dict[str, PromptTemplate] = {
    t.name: t
    for t in (
        PromptTemplate("default", "1", _SYSTEM_V1, _EXAMPLES_V1),
        PromptTemplate("zero-shot", "1", _SYSTEM_V1, ()),
        PromptTemplate("brief", "1", _SYSTEM_BRIEF, _EXAMPLES_BRIEF),
        # The two declines stay fixed (and so cacheable); four examples nearest to the request
        # come from a corpus of worked examples (``examples_file``).
        PromptTemplate("retrieved", "1", _SYSTEM_V1, _DECLINES, retrieved=4),
    )
}

EXAMPLE_CWD = "/home/user/project"
"""The working directory shown in the worked examples (fixed, so the prefix never changes)."""

EXPLAIN_SYSTEM = (
    "You explain shell commands to a careful user. Be brief and exact: say what each part "
    "does in at most five short lines, then name anything risky. Plain text, no Markdown."
)


def get_template(name: str) -> PromptTemplate:
    """Look up a template by name.

    Raises:
        ConfigError: no such template.
    """
    try:
        return TEMPLATES[name]
    except KeyError:
        raise ConfigError(
            f"unknown prompt template {name!r}",
            hint="Known templates: " + ", ".join(sorted(TEMPLATES)) + ".",
        ) from None


def answer_json(answer: ModelAnswer) -> str:
    """The exact compact JSON form the constrained decoder produces (keys in schema order)."""
    return json.dumps(answer.model_dump(), ensure_ascii=False, separators=(",", ":"))


def user_turn(request: str, env: Environment) -> str:
    """The user message for one request."""
    return f"{request}\n(working directory: {env.cwd})"


def build_messages(
    template: PromptTemplate,
    env: Environment,
    request: str,
    history: tuple[Message, ...] = (),
    retrieved: tuple[Example, ...] = (),
) -> tuple[Message, ...]:
    """The chat for a request: system, worked examples, then the request.

    Args:
        template: Which prompt to use.
        env: Machine facts for the system prompt and user turn.
        request: The user's request.
        history: Earlier turns of a revision conversation (previous answers and follow-ups),
            appended after the request.
        retrieved: Examples chosen for this request, placed after the fixed ones so the fixed
            prefix stays identical (and cacheable) across requests.
    """
    system = template.system.format(os_name=env.os_name, userland=env.userland, shell=env.shell)
    messages = [Message("system", system)]
    example_env = dataclasses.replace(env, cwd=EXAMPLE_CWD)
    for example in (*template.examples, *retrieved):
        messages.append(Message("user", user_turn(example.request, example_env)))
        messages.append(Message("assistant", answer_json(example.answer)))
    messages.append(Message("user", user_turn(request, env)))
    messages.extend(history)
    return tuple(messages)


def revision_turn(request: str, instruction: str) -> str:
    """The user message that asks for a revised command.

    It restates the original request: small models otherwise answer the follow-up alone and
    drop what the first request asked for.
    """
    return (
        f"Revise the command. Still do what I first asked ({request}), "
        f"with this change: {instruction}"
    )


def explain_messages(command: str, env: Environment) -> tuple[Message, ...]:
    """The chat that asks the model to explain ``command``."""
    return (
        Message("system", EXPLAIN_SYSTEM),
        Message("user", f"Shell: {env.shell} on {env.os_name}.\nExplain: {command}"),
    )

"""Named, versioned prompt templates and the facts about this machine that change the answer.

Templates produce chat messages; the backend renders them through the model's own chat
template (ChatML for Qwen). The system message holds only facts that are stable per machine,
and the examples are fixed, so the prompt prefix is identical across requests (a backend can
reuse its KV cache); the per-request facts (working directory) travel in the user turn.
"""

from __future__ import annotations

import dataclasses
import os
import platform
import shutil
from dataclasses import dataclass
from pathlib import Path

from cmdai.backends.base import Message
from cmdai.errors import ConfigError
from cmdai.formats import FormatName, get_format
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
    facts: str = ""
    """What the user turn says about the files the request names (``cmdai.context``)."""


@dataclass(frozen=True)
class PromptTemplate:
    """A named, versioned prompt. Bump ``version`` whenever the text changes."""

    name: str
    version: str
    system: str
    examples: tuple[Example, ...]
    retrieved: int = 0
    """How many more examples to retrieve per request (after the fixed ones; 0 = none)."""
    program_examples: int = 0
    """How many of tldr's examples to show for a program the request names (0 = none)."""
    format: FormatName = "json"
    """How the model writes its answer (``cmdai.formats``)."""
    cwd_in_request: bool = True
    """Whether the user turn names the working directory. Naming it invites the model to
    copy the absolute path into commands that mean "here" (measured: issue 18)."""
    context: bool = False
    """Whether the user turn carries facts about the files the request names."""
    repair: bool = False
    """Whether a draft that fails a check here is regenerated once with what failed."""
    decline_threshold: float | None = None
    """The probability of declining at which the answer declines, calibrated for this prompt
    on the dev splits (None: the format's default)."""
    examples_in_system: bool = False
    """Whether the worked examples are listed in the system message instead of being earlier
    turns of the chat (a request such as "delete them" then has no earlier files to mean)."""

    @property
    def stable_messages(self) -> int:
        """How many leading messages are the same for every request (cacheable)."""
        return 1 if self.examples_in_system else 1 + 2 * len(self.examples)

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
    Example(e.request, e.answer.replace(explanation="")) if e.answer.kind == "command" else e
    for e in _EXAMPLES_V1
)
_DECLINES = tuple(e for e in _EXAMPLES_V1 if e.answer.kind != "command")

# The fenced prompt's worked examples use only utilities on the dev side of the external
# held-out set's utility split (datasets/external/heldout_utilities.txt; a test checks it),
# so that set measures how cmdai does on utilities it was never shown. They show the raw
# quoting a fenced command keeps: single and double quotes, a backslash, a dollar sign.
_FENCED_EXAMPLES = (
    _command("show the 3 most recently modified files", "ls -t | head -n 3", ""),
    _command(
        "replace http: with https: in every markdown file here",
        "sed -i 's/http:/https:/g' -- *.md",
        "",
    ),
    _command("count the lines of each csv file, most first", "wc -l -- *.csv | sort -rn", ""),
    _command(
        "print the names in users.txt in double quotes",
        "sed 's/.*/\"&\"/' users.txt",
        "",
    ),
    _command("compress the reports folder into a tarball", "tar -czf reports.tar.gz reports", ""),
)

# The same, with the facts a request's files give (cmdai.context): the model is shown using a
# header to pick a column and skip it.
_CONTEXT_EXAMPLES = (
    _FENCED_EXAMPLES[0],
    _FENCED_EXAMPLES[1],
    _FENCED_EXAMPLES[2],
    dataclasses.replace(_FENCED_EXAMPLES[3], facts="(here: users.txt (first line: alice))"),
    Example(
        "smallest amount in payments.csv",
        ModelAnswer(
            kind="command",
            command="sed 1d payments.csv | cut -d, -f3 | sort -n | head -n 1",
            explanation="",
        ),
        facts="(here: payments.csv (first line: date,payee,amount))",
    ),
    dataclasses.replace(_FENCED_EXAMPLES[4], facts="(here: reports/ (directory))"),
)

# Two more: size order comes from ls -S (the model's own habit, ls -lh | sort -rh, sorts by
# the permission column), and jq -r prints strings without their JSON quotes.
_MORE_EXAMPLES = (
    _command("show the 3 largest files here", "ls -S | head -n 3", ""),
    Example(
        "list the customer names in orders.json",
        ModelAnswer(kind="command", command="jq -r '.[].customer' orders.json", explanation=""),
        facts='(here: orders.json (starts with: [ { "id": 7, "customer": "Ada", "total": 12.5 },'
        " ...))",
    ),
)

_FENCED4_EXAMPLES = (
    *_CONTEXT_EXAMPLES[:3],
    _MORE_EXAMPLES[0],
    *_CONTEXT_EXAMPLES[3:],
    _MORE_EXAMPLES[1],
)

# Twelve more, each a different everyday skill rather than another use of the same few
# utilities (fenced-wide): an installed program's file, arithmetic, sequences, case, dates,
# $PATH, parameter expansion in a loop, the parent directory, and small text tools.
_WIDE_EXAMPLES = (
    _command("show the size of the bash program file", 'ls -lL "$(command -v bash)"', ""),
    _command("add 1024 and 2048", "echo $((1024 + 2048))", ""),
    _command("print every third number from 3 to 30", "seq 3 3 30", ""),
    _command(
        "make the words in title.txt upper case", "tr '[:lower:]' '[:upper:]' < title.txt", ""
    ),
    _command(
        "show the date 10 days from now, like 14 Mar 2025", "date -d '+10 days' '+%d %b %Y'", ""
    ),
    _command("list the directories in my PATH, one per line", "echo \"$PATH\" | tr ':' '\\n'", ""),
    _command(
        "print each log file's name without its extension",
        'for f in *.log; do echo "${f%.log}"; done',
        "",
    ),
    _command("show the name of the directory above this one", 'basename "$(dirname "$PWD")"', ""),
    _command("reverse the order of the lines in events.txt", "tac events.txt", ""),
    _command("join the lines of names.txt with commas", "paste -sd, names.txt", ""),
    _command("print hello five times", "yes hello | head -n 5", ""),
    _command("show the kernel version", "uname -r", ""),
)

_PLANS = (
    "ls -t lists newest first; head keeps the first 3",
    "sed -i edits each .md file in place",
    "wc -l counts the lines of each file; sort -rn puts the most first",
    "sed wraps each whole line (&) in double quotes",
    "sed 1d drops the header, cut -f3 takes the amount, sort -n puts the smallest first",
    "tar -czf writes a gzip-compressed archive",
)


def _explained(examples: tuple[Example, ...], texts: tuple[str, ...]) -> tuple[Example, ...]:
    """The worked examples, each answer carrying its text as the explanation (plan, reason)."""
    return tuple(
        dataclasses.replace(e, answer=e.answer.replace(explanation=text))
        for e, text in zip(examples, texts, strict=True)
    )


_PLAN_EXAMPLES = _explained(_CONTEXT_EXAMPLES, _PLANS)

_SYSTEM_FENCED = """\
You turn a user's request into ONE shell command for {shell} on {os_name} \
({userland} userland: use its flags).
Answer with the command alone in a ```bash block: one line (pipes, && and ; are fine) that \
does exactly what was asked, with standard tools.
Work in the current directory with relative paths unless the request names another place. \
Never add destructive steps that were not asked for. Use sudo only when root is required. \
Quote file names safely.
Anything a command can do, compute or look up is a shell task: files, text, processes, \
the network, this machine, dates and times. Only when no command can do it (general \
knowledge, writing prose) write "# not a shell task: <why>" in the block instead; when the \
request is too unclear to act on safely, write "# unclear: <what is missing>"."""
"""The fenced prompt: the command is raw text in a Markdown block (``cmdai.formats``)."""

_THINKS = (
    "ls -t lists the newest first and head keeps 3.",
    "sed -i edits each markdown file in place.",
    "wc -l counts each file's lines and sort -rn puts the most first.",
    "ls -S lists the largest first and head keeps 3.",
    "sed wraps each whole line (&) in double quotes.",
    "sed 1d drops the header, cut takes the amount column and sort -n puts the smallest first.",
    "tar -czf writes a gzip-compressed archive of the folder.",
    "jq -r prints each customer's name without JSON quotes.",
)
_THINK_EXAMPLES = _explained(_FENCED4_EXAMPLES, _THINKS)

_SYSTEM_THINK = _SYSTEM_FENCED.replace(
    "Answer with the command alone in a ```bash block: one line (pipes, && and ; are fine) "
    "that does exactly what was asked, with standard tools.",
    "First say in one short sentence which tools do it and how; then write the command in a "
    "```bash block: one line (pipes, && and ; are fine) that does exactly what was asked, "
    "with standard tools.",
)
"""The think-first prompt: a sentence on how, in prose, then the block (``think``)."""

_SYSTEM_PLAN = _SYSTEM_FENCED.replace(
    "Answer with the command alone in a ```bash block: one line (pipes, && and ; are fine) "
    "that does exactly what was asked, with standard tools.",
    "Answer in a ```bash block: first a # comment saying in a few words which tools do it and "
    "how, then the command on one line (pipes, && and ; are fine) that does exactly what was "
    "asked, with standard tools.",
)
"""The plan-first prompt: a short comment on how, then the command (``fenced-plan``)."""

_SYSTEM_LINES = _SYSTEM_FENCED.replace(
    "Answer with the command alone in a ```bash block: one line (pipes, && and ; are fine) "
    "that does exactly what was asked, with standard tools.",
    "Answer with the command alone in a ```bash block: one line when it can be (pipes, && "
    "and ; are fine), a few lines when it must, doing exactly what was asked with standard "
    "tools.",
)

_SYSTEM_PROGRAMS = _SYSTEM_FENCED.replace(
    "Quote file names safely.",
    "Quote file names safely. When a request means an installed program's file (its path, "
    "type, checksum or folder), find it with $(command -v NAME).",
)
"""The fenced prompt with a word on programs' files (``fenced-programs``)."""

_FENCED4 = PromptTemplate(
    "fenced",
    "4",
    _SYSTEM_FENCED,
    _FENCED4_EXAMPLES,
    format="fenced",
    cwd_in_request=False,
    context=True,
    examples_in_system=True,
    decline_threshold=0.10,
)
"""The shipped prompt before tldr's examples (fenced@4); its variants derive from it."""

TEMPLATES: dict[str, PromptTemplate] = {
    t.name: t
    for t in (
        PromptTemplate("default", "1", _SYSTEM_V1, _EXAMPLES_V1),
        PromptTemplate("zero-shot", "1", _SYSTEM_V1, ()),
        PromptTemplate("brief", "1", _SYSTEM_BRIEF, _EXAMPLES_BRIEF),
        # The two declines stay fixed (and so cacheable); four examples nearest to the request
        # come from a corpus of worked examples (``examples_file``).
        PromptTemplate("retrieved", "1", _SYSTEM_V1, _DECLINES, retrieved=4),
        # The shipped prompt. The command is raw text in a ```bash block the backend opens
        # (no JSON escaping); no worked declines (they made "# not a shell task" the greedy
        # first token for a quarter of plain shell requests: the answer declines by a
        # threshold calibrated on the dev splits instead); the request without the working
        # directory, with the first line of the files it names; the worked examples listed in
        # the system message, so that "delete them" has no earlier files to mean (fenced@4);
        # and up to 2 of tldr's examples for a program the request names (docs/accuracy.md).
        dataclasses.replace(_FENCED4, version="6", program_examples=2),
        dataclasses.replace(_FENCED4, name="fenced-no-pages", version="1"),  # fenced@4
        # fenced@3: the same examples as earlier chat turns (the accuracy axis of that choice).
        PromptTemplate(
            "fenced-turns",
            "3",
            _SYSTEM_FENCED,
            _FENCED4_EXAMPLES,
            format="fenced",
            cwd_in_request=False,
            context=True,
        ),
        # The fenced format alone (fenced@2 on the dev split): no facts about files, the first
        # five worked examples. The "accuracy work switched off" side of the latency check.
        PromptTemplate(
            "fenced-bare",
            "2",
            _SYSTEM_FENCED,
            _FENCED_EXAMPLES,
            format="fenced",
            cwd_in_request=False,
        ),
        # The shipped prompt, the block allowed to hold several lines.
        dataclasses.replace(
            _FENCED4, name="fenced-lines", version="1", system=_SYSTEM_LINES, format="fenced-lines"
        ),
        # The plan-first answer: a comment naming the tools and how, then the command.
        PromptTemplate(
            "fenced-plan",
            "2",
            _SYSTEM_PLAN,
            _PLAN_EXAMPLES,
            format="fenced-plan",
            cwd_in_request=False,
            context=True,
            examples_in_system=True,
        ),
        # The shipped prompt, the answer preceded by a sentence of reasoning in prose (as the
        # plain model writes, which is where it beats a bare command on unfamiliar utilities).
        dataclasses.replace(
            _FENCED4,
            name="fenced-think",
            version="1",
            system=_SYSTEM_THINK,
            examples=_THINK_EXAMPLES,
            format="think",
            decline_threshold=None,
        ),
        # The shipped prompt and twelve more worked examples of different skills (in the
        # cached prefix, so no cost per request beyond a longer context).
        dataclasses.replace(
            _FENCED4,
            name="fenced-wide",
            version="1",
            examples=(*_FENCED4_EXAMPLES, *_WIDE_EXAMPLES),
        ),
        # The shipped prompt and the 3 examples of a corpus nearest to the request (BM25).
        dataclasses.replace(_FENCED4, name="fenced-retrieved", version="1", retrieved=3),
        # The shipped prompt, saying how to find an installed program's file.
        dataclasses.replace(_FENCED4, name="fenced-programs", version="1", system=_SYSTEM_PROGRAMS),
        # The shipped prompt without worked examples (do examples pull answers towards the
        # utilities they show, on requests that need others?).
        dataclasses.replace(
            _FENCED4, name="fenced-zero", version="1", examples=(), examples_in_system=False
        ),
        # The shipped prompt, and a draft that fails a check here (syntax, a missing utility,
        # an option the installed tool lacks) is regenerated once with what failed.
        dataclasses.replace(_FENCED4, name="fenced-checked", version="3", repair=True),
    )
}

_PROGRAM_HEADER = "Examples for the program this request names, from its tldr page:\n\n"
EXAMPLE_CWD = "/home/user/project"
"""The working directory shown in the worked examples (fixed, so the prefix never changes)."""

EXPLAIN_SYSTEM = (
    "You explain a shell command to a careful user, part by part: one line per command word "
    "or group of options, written as `part`: what it does. At most 5 lines. Nothing else: "
    "no introduction, no summary, no warnings."
)
EXPLAIN_MAX_LINES = 5

# Worked explanations in the exact shape asked for. Their utilities are unlike most commands
# a user asks about, so their lines are not copied into other explanations (a `find ...
# -delete` example was: its "-delete" line turned up under finds that delete nothing).
EXPLAIN_EXAMPLES: tuple[tuple[str, str], ...] = (
    (
        "sort -u names.txt | wc -l",
        "`sort -u names.txt`: the lines of names.txt, sorted, each one once\n"
        "`| wc -l`: counts those lines",
    ),
    (
        "tar -xzf backup.tar.gz -C restore",
        "`tar -xzf backup.tar.gz`: extracts the gzip-compressed archive backup.tar.gz\n"
        "`-C restore`: into the directory restore",
    ),
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


def user_turn(request: str, env: Environment, *, cwd: bool = True, facts: str = "") -> str:
    """The user message for one request.

    With the working directory when ``cwd``, and the facts about the files it names.
    """
    lines = [request]
    if cwd:
        lines.append(f"(working directory: {env.cwd})")
    if facts:
        lines.append(facts)
    return "\n".join(lines)


def build_messages(
    template: PromptTemplate,
    env: Environment,
    request: str,
    history: tuple[Message, ...] = (),
    retrieved: tuple[Example, ...] = (),
    facts: str = "",
    program: tuple[Example, ...] = (),
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
        facts: The rendered facts about the files the request names (templates with
            ``context``).
        program: Examples of the program the request names, in a second system message.
    """
    system = template.system.format(os_name=env.os_name, userland=env.userland, shell=env.shell)
    example_env = dataclasses.replace(env, cwd=EXAMPLE_CWD)
    answer_format = get_format(template.format)
    cwd = template.cwd_in_request
    if template.examples_in_system:
        listed = []
        for example in (*template.examples, *retrieved):
            turn = user_turn(example.request, example_env, cwd=cwd, facts=example.facts)
            listed.append(f"Request: {turn}\n{answer_format.render(example.answer)}")
        system += "\n\nExamples of requests and answers (separate from this chat):\n\n"
        system += "\n\n".join(listed)
    messages = [Message("system", system)]
    if program:
        listed = [f"Request: {e.request}\n{answer_format.render(e.answer)}" for e in program]
        messages.append(Message("system", _PROGRAM_HEADER + "\n\n".join(listed)))
    for example in () if template.examples_in_system else (*template.examples, *retrieved):
        shown = example.facts if template.context else ""
        messages.append(
            Message("user", user_turn(example.request, example_env, cwd=cwd, facts=shown))
        )
        messages.append(Message("assistant", answer_format.render(example.answer)))
    facts = facts if template.context else ""
    messages.append(Message("user", user_turn(request, env, cwd=cwd, facts=facts)))
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
    """The chat that asks the model to explain ``command`` (its first messages are fixed)."""
    messages = [Message("system", EXPLAIN_SYSTEM)]
    for example, explanation in EXPLAIN_EXAMPLES:
        messages.append(Message("user", example))
        messages.append(Message("assistant", explanation))
    messages.append(Message("user", command))
    return tuple(messages)


def explanation_lines(text: str, command: str) -> list[str]:
    """The lines of a model's explanation that are about ``command``, at most five.

    A line that names a part (`` `part`: ...``) with a word the command does not contain is
    dropped: a small model sometimes explains an option from a worked example that is not
    there.
    """
    words = set(command.replace("|", " ").split())
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip().removeprefix("- ").strip()
        if not line:
            continue
        if line.startswith("`") and "`" in line[1:]:
            part = line[1 : line.index("`", 1)].replace("|", " ").split()
            if not set(part) <= words:
                continue
        lines.append(line)
    return lines[:EXPLAIN_MAX_LINES]

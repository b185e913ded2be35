"""The product's one generation path: request -> prompt -> backend -> parse -> checks -> safety.

The CLI and the eval harness both call ``Engine.propose``; nothing generates commands anywhere
else. Everything here is plain library code: no terminal, no click.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmdai.backends.base import Backend, Generation, GenerationRequest, Message, TextCallback
from cmdai.candidates import Candidate, choose, same_command, tally
from cmdai.checks import command_warnings, proven_wrong, unfinished
from cmdai.config_edits import config_edit
from cmdai.context import Workdir, render_facts, workspace_facts
from cmdai.errors import ConfigError, SchemaViolationError
from cmdai.formats import AnswerFormat, get_format, opens_script
from cmdai.grounding import OptionChecker
from cmdai.intent import asked_program, writes_shell_words
from cmdai.path_fixes import path_fix, relative_to_cwd
from cmdai.prompts import (
    Environment,
    Example,
    PromptTemplate,
    build_messages,
    explain_messages,
    explanation_lines,
    revision_turn,
)
from cmdai.proposal import UNSURE_WARNING, Proposal, check_query, is_unsure, no_command
from cmdai.prose import prose_answer
from cmdai.retrieval import Retriever, usable_here
from cmdai.safety.model import SafetyReport, SafetyValidator
from cmdai.schema import ModelAnswer
from cmdai.settings import Settings
from cmdai.sure_fixes import sure_fix
from cmdai.vague import is_project, unresolved_object, vague_hint

if TYPE_CHECKING:  # the sandbox is imported only when drafts are rehearsed
    from cmdai.program_examples import ProgramExamples
    from cmdai.rehearse import Rehearsal

EXPLAIN_MAX_TOKENS = 120

RETRY_REPEAT_PENALTY = 1.3
"""Used once when an answer degenerated into a repeated loop (measured to unstick them)."""

CANDIDATE_TEMPERATURE = 0.8
"""The temperature of the sampled drafts beside the greedy one (``candidates`` > 1)."""

REHEARSED = 5
"""Drafts drawn when ``rehearse`` is on and ``candidates`` is left at 1."""

REDRAWING = "that one failed in the sandbox; trying other drafts..."
"""What ``on_text`` is told when a rehearsed command failed and more drafts are drawn."""
REDRAWS = 3
"""Drafts sampled when the greedy answer is the command to avoid (``Engine.avoid``)."""


@dataclass
class Engine:
    """Turns requests into checked proposals with one backend, prompt and safety gate."""

    settings: Settings
    backend: Backend
    validator: SafetyValidator
    template: PromptTemplate
    env: Environment
    shell: str
    retriever: Retriever | None = None
    program_examples: ProgramExamples | None = None
    """tldr's examples for a program the request names (templates with ``program_examples``)."""
    workdir: Path | None = None
    """Where the files a request names are looked up (None: the working directory)."""
    options: OptionChecker | None = None
    """Checks the options a command gives its utilities against the installed ones."""
    declines: bool = True
    """Whether the model may answer that there is no command (``cmdai fix``: never)."""
    rehearsal: Rehearsal | None = None
    """With ``candidates`` > 1: runs the drafts in a sandbox to choose by their effects."""
    avoid: str | None = None
    """A command the answer must not be (``cmdai fix``: the one that failed); a greedy answer
    repeating it is drawn again (18 of 60 greedy fixes of labelled failures were that)."""

    @property
    def drafts(self) -> int:
        """Drafts per command: the ``candidates`` setting (rehearsing: at least ``REHEARSED``)."""
        if self.rehearsal is not None and self.settings.candidates == 1:
            return REHEARSED
        return self.settings.candidates

    @property
    def answer_format(self) -> AnswerFormat:
        """How the model writes its answer (the template's format)."""
        return get_format(self.template.format)

    def propose(self, query: str, on_text: TextCallback | None = None) -> Proposal:
        """Propose a command for ``query`` (``on_text`` sees the first draft as it grows).

        When a rehearsed command failed and other drafts are drawn, ``on_text`` is told
        ``REDRAWING``.

        Raises:
            UsageError: a bad request.
            ConfigError: the template retrieves examples but there is no corpus.
            ModelError: the model is missing, broken, or its answer unreadable.
        """
        query = check_query(query)
        word = unresolved_object(query) if self.declines else None
        if word is not None and is_project(self.workdir or Path(self.env.cwd)):
            word = unresolved_object(query, project=True)  # "build it" builds the project here
        if word is not None and asked_program(query) is None:
            # "delete them": nothing to guess the object from
            return no_command(query, "ambiguous", vague_hint(word, query))
        retrieved: tuple[Example, ...] = ()
        if self.template.retrieved:
            if self.retriever is None:
                raise ConfigError(
                    f"the prompt template {self.template.id} needs a corpus of examples",
                    hint="Set examples_file in the config file or CMDAI_EXAMPLES_FILE.",
                )
            retrieved = self.retriever.nearest(query, self.template.retrieved, usable_here(query))
        facts = ""
        if self.template.context and self.settings.context:
            workdir = self.workdir or Path(self.env.cwd)
            facts = render_facts(workspace_facts(query, workdir))
        program: tuple[Example, ...] = ()
        if self.template.program_examples and self.program_examples is not None:
            program = self.program_examples.for_request(query, self.template.program_examples)
        messages = build_messages(
            self.template, self.env, query, retrieved=retrieved, facts=facts, program=program
        )
        return self._complete(query, messages, on_text, names_here=bool(facts))

    def _checked(self, command: str, query: str, warnings: list[str]) -> tuple[str, list[str]]:
        """``command`` with the pitfalls whose fix is sure fixed here, and what the checks find.

        A made-up path first (``cmdai.path_fixes``), so that the other fixes read the real
        one; then a setting's edit written here (``cmdai.config_edits``) or one of
        ``cmdai.sure_fixes`` (a second would need checking again). Each adds
        a warning saying so. Every answer shown goes through this, asked again or not.
        """
        here = self._here
        moved = path_fix(command, here, query) if here is not None else None
        drafted = moved[0] if moved else command
        set_here = config_edit(drafted, query, here) if here is not None else None
        fixed = set_here or sure_fix(drafted, query, here)
        for change in (moved, fixed):
            if change is not None and change[0] != command:
                command, _ = change
                warnings.append(change[1])
        return command, self._warnings(command, query)

    @property
    def _here(self) -> Workdir | None:
        """The working directory for the checks that look at files.

        None when ``context`` is off, the setting that lets a request's files be read.
        """
        return Workdir(self.workdir or Path(self.env.cwd)) if self.settings.context else None

    def _warnings(self, command: str, query: str) -> list[str]:
        """The checks' warnings about ``command``, reading the files it names where allowed."""
        return command_warnings(command, self.shell, self.options, query, self._here)

    def revise(self, previous: Proposal, instruction: str) -> Proposal:
        """Regenerate with a follow-up instruction, keeping the conversation so far."""
        instruction = check_query(instruction)
        answer = ModelAnswer(
            kind=previous.kind, command=previous.command or "", explanation=previous.explanation
        )
        messages = (
            *previous.messages,
            Message("assistant", self.answer_format.render(answer)),
            Message("user", revision_turn(previous.query, instruction)),
        )
        return self._complete(previous.query, messages)

    def with_command(self, previous: Proposal, command: str) -> Proposal:
        """The proposal after the user edited its command: checked and assessed again."""
        command = command.strip()
        return dataclasses.replace(
            previous,
            kind="command",
            command=command,
            safety=self._assess(previous.query, command),
            warnings=tuple(self._warnings(command, previous.query)),
            edited=True,
        )

    def explain(self, command: str) -> str:
        """A part-by-part explanation of ``command`` from the model: at most five lines."""
        messages = explain_messages(command, self.env)
        request = GenerationRequest(
            messages=messages,
            json_schema=None,
            max_tokens=EXPLAIN_MAX_TOKENS,
            temperature=self.settings.temperature,
            seed=self.settings.seed,
            stable_prefix=len(messages) - 1,
            # A blank line is where a model starts the summary paragraph it was told to skip.
            stop=("\n\n",),
        )
        text = self.backend.generate(request).text
        return "\n".join(explanation_lines(text, command)) or text.strip()

    def _decline_threshold(
        self, answer_format: AnswerFormat, query: str, names_here: bool = False
    ) -> float:
        # A request that names its program, a path, a variable, or a file or folder here, is a
        # shell task: the model's "# a.txt is empty" is a fact about the file, not a reason to
        # decline.
        if not self.declines or names_here or writes_shell_words(query) or asked_program(query):
            return 2.0  # never reached: the answer starts with a command (or the program named)
        if self.template.decline_threshold is not None:
            return self.template.decline_threshold
        return answer_format.decline_threshold

    def _repair(
        self, request: GenerationRequest, answer: ModelAnswer, problems: list[str], query: str
    ) -> tuple[Generation, Any, ModelAnswer, str, list[str]] | None:
        """A second answer told why the first failed, when it has fewer problems."""
        messages = (
            *request.messages,
            Message("assistant", self.answer_format.render(answer)),
            Message("user", REPAIR_TURN.format(problems="; ".join(problems))),
        )
        generation = self.backend.generate(dataclasses.replace(request, messages=messages))
        return self._if_better(generation, problems, query)

    def _ask_with_note(
        self, request: GenerationRequest, notes: list[str], problems: list[str], query: str
    ) -> tuple[Generation, Any, ModelAnswer, str, list[str]] | None:
        """The request asked again with ``notes`` in it, when the answer has fewer problems.

        In the request, not as a reply to the first draft: told "that command does not work"
        in a second turn, the model repeats its draft; told the fact with the request, it
        writes another (measured on `list the 5 largest files`, the issue's own example).
        """
        *before, last = request.messages
        # Without the check's label: told "sort: ls -l lines start with...", the model kept its
        # draft; told "ls -l lines start with...", it keyed the sort (one process, greedy).
        note = "\n(Note: " + "; ".join(n.split(": ", 1)[-1] for n in notes) + ".)"
        messages = (*before, Message(last.role, last.content + note))
        generation = self.backend.generate(dataclasses.replace(request, messages=messages))
        return self._if_better(generation, problems, query)

    def _if_better(
        self, generation: Generation, problems: list[str], query: str
    ) -> tuple[Generation, Any, ModelAnswer, str, list[str]] | None:
        """``generation``'s answer when it is a command with fewer problems than ``problems``."""
        read = self._read_command(generation, query)
        if read is None:
            return None
        parsed, command = read
        _, left = self._checked(command, query, [])  # judged as it would be shown: fixed here
        if len(left) >= len(problems):
            return None
        return generation, parsed, parsed.answer, command, left

    def _finish_lines(
        self, request: GenerationRequest, generation: Generation, query: str
    ) -> tuple[Generation, Any, ModelAnswer, str, list[str]] | None:
        """The command whose first line is ``generation``, with the lines that close it."""
        head = generation.text.rstrip("\n")
        rest = self.backend.generate(
            dataclasses.replace(
                request,
                prefill=generation.prefix + head + "\n",
                stop=("\n```",),
                decline_marker="",
                max_tokens=max(16, request.max_tokens - generation.completion_tokens),
            )
        )
        if rest.truncated or not rest.text.strip():
            return None
        whole = dataclasses.replace(
            generation,
            text=head + "\n" + rest.text.rstrip(),
            completion_tokens=generation.completion_tokens + rest.completion_tokens,
            generate_s=generation.generate_s + rest.generate_s,
            token_logprobs=generation.token_logprobs + rest.token_logprobs,
        )
        read = self._read_command(whole, query)
        if read is None:
            return None
        parsed, command = read
        left = self._warnings(command, query)
        if unfinished(left):
            return None
        return whole, parsed, parsed.answer, command, left

    def _read_command(self, generation: Generation, query: str) -> tuple[Any, str] | None:
        """The parsed answer and its command (relative to here), or None when it has none."""
        try:
            parsed = self.answer_format.parse(generation.answer)
        except SchemaViolationError:
            return None
        command = relative_to_cwd(parsed.answer.command.strip(), self.env.cwd, query)
        if parsed.answer.kind != "command" or not command:
            return None
        return parsed, command

    def _assess(self, query: str, command: str) -> SafetyReport:
        """The command's report plus the request's own findings (a stub cannot hide a wipe)."""
        return self.validator.assess(command, self.settings.safety_mode, query)

    def _complete(
        self,
        query: str,
        messages: tuple[Message, ...],
        on_text: TextCallback | None = None,
        names_here: bool = False,
    ) -> Proposal:
        answer_format = self.answer_format
        request = GenerationRequest(
            messages=messages,
            json_schema=answer_format.json_schema,
            max_tokens=self.settings.max_tokens,
            temperature=self.settings.temperature,
            seed=self.settings.seed,
            stable_prefix=self.template.stable_messages,
            prefill=answer_format.prefill,
            stop=answer_format.stop,
            decline_marker=answer_format.decline_marker,
            decline_threshold=self._decline_threshold(answer_format, query, names_here),
        )
        # Only the first draft streams, and only a command written verbatim (not JSON): a
        # regeneration or a redraw is shown once it is checked.
        if not answer_format.name.startswith("fenced"):
            on_text = None
        generation = (
            self.backend.generate(request, on_text)
            if on_text is not None
            else self.backend.generate(request)
        )
        warnings: list[str] = []
        if generation.truncated:
            # Greedy decoding fell into a loop or ran out of tokens: ask again once, with a
            # repetition penalty (the format's envelope is unchanged).
            request = dataclasses.replace(request, repeat_penalty=RETRY_REPEAT_PENALTY)
            generation = self.backend.generate(request)
            warnings.append("the first answer looped; regenerated with a repetition penalty")
            if generation.truncated and answer_format.name == "fenced":
                # A command cut off mid-line is not shown: it could mean something else.
                raise SchemaViolationError(
                    "the model's command was cut off at the token limit",
                    raw=generation.answer,
                    hint="Rephrase the request more simply, or raise max_tokens.",
                )
        parsed = answer_format.parse(generation.answer)
        answer = parsed.answer
        script = generation.prefix and generation.stopped and opens_script(generation.text)
        if answer.kind != "command" and script:
            # `#!/bin/bash`, `# Create a venv`: a script's first line; the model writes the rest.
            finished = self._finish_lines(request, generation, query)
            if finished is not None:
                generation, parsed, answer = finished[:3]
        command = relative_to_cwd(answer.command.strip(), self.env.cwd, query)
        if generation.constrained and parsed.method != "strict":
            warnings.append("constrained decoding was not applied: the output was not strict JSON")
        safety = None
        kind = answer.kind
        if kind == "command" and not command:
            kind = "ambiguous"
        elif self.declines and not asked_program(query) and (text := prose_answer(query, command)):
            # `echo "Photosynthesis produces..."`: the answer is the text, not a command
            kind, answer = "not_a_shell_task", dataclasses.replace(answer, explanation=text)
        problems: list[str] = []
        if kind == "command":
            command, problems = self._checked(command, query, warnings)
        if kind == "command" and generation.prefix and generation.stopped and unfinished(problems):
            # The first line opened a block (`for ...; do`, `if ...; then`) and the format's stop
            # at the end of the line cut it: let the model write the rest, up to the fence.
            finished = self._finish_lines(request, generation, query)
            if finished is not None:
                generation, parsed, answer, command, problems = finished
                command, problems = self._checked(command, query, warnings)
        if problems and self.template.repair:
            # The draft fails a check here (syntax, a missing utility, an option the tool
            # lacks): ask once more with what failed, and keep whichever has fewer problems.
            repaired = self._repair(request, answer, problems, query)
            if repaired is not None:
                generation, parsed, answer, command, problems = repaired
                warnings.append("regenerated once: the first command failed a check here")
                command, problems = self._checked(command, query, warnings)
        elif kind == "command" and (notes := proven_wrong(problems)):
            # A check proves the draft wrong and says how to fix it (`ls -l | sort`): ask the
            # same request again with that note in it; keep the answer with fewer problems.
            if on_text is not None:
                on_text(ASKING_AGAIN)
            noted = self._ask_with_note(request, notes, problems, query)
            if noted is not None:
                generation, parsed, answer, command, problems = noted
                warnings.append(ASKED_AGAIN)
                command, problems = self._checked(command, query, warnings)
        candidates: tuple[Candidate, ...] = ()
        if kind == "command" and (self.drafts > 1 or self.rehearsal is not None):
            drafted = self._choose_draft(
                request, query, command, problems, generation, warnings, on_text
            )
            if drafted is not None:
                candidates, pick, chosen = drafted
                command, problems = candidates[pick].command, list(candidates[pick].problems)
                generation = dataclasses.replace(
                    chosen[pick],
                    completion_tokens=sum(g.completion_tokens for g in chosen),
                    generate_s=sum(g.generate_s for g in chosen),
                )
        if kind == "command" and self.avoid is not None and same_command(command, self.avoid):
            redrawn = self._redraw(request, query)
            if redrawn is None:
                warnings.append("every answer drawn repeated the failed command")
            else:
                generation, command, problems = redrawn
                warnings.append("the first answer repeated the failed command; another was drawn")
        if kind == "command":
            safety = self._assess(query, command)
            warnings.extend(problems)
            if answer_format.name == "fenced" and is_unsure(generation, warnings):
                warnings.append(UNSURE_WARNING)
        return Proposal(
            query=query,
            kind=kind,
            command=command if kind == "command" else None,
            explanation=answer.explanation.strip(),
            safety=safety,
            warnings=tuple(warnings),
            parse_method=parsed.method,
            schema_valid=parsed.schema_valid,
            raw=generation.answer,
            generation=generation,
            messages=messages,
            candidates=candidates,
        )

    def _redraw(
        self, request: GenerationRequest, query: str
    ) -> tuple[Generation, str, list[str]] | None:
        """Sampled drafts other than ``avoid``: the one the checks and most drafts favour."""
        assert self.avoid is not None
        kept = [
            d for d in self._sampled(request, query, REDRAWS) if not same_command(d[1], self.avoid)
        ]
        if not kept:
            return None
        candidates = tally([(text, problems) for _, text, problems in kept])
        pick = choose(candidates)
        return kept[pick][0], candidates[pick].command, list(candidates[pick].problems)

    def _choose_draft(
        self,
        request: GenerationRequest,
        query: str,
        command: str,
        problems: list[str],
        generation: Generation,
        warnings: list[str],
        on_text: TextCallback | None = None,
    ) -> tuple[tuple[Candidate, ...], int, list[Generation]] | None:
        """The drafts, the index of the one to show and their generations (None: the greedy).

        Without rehearsal: ``candidates`` drafts, chosen by the checks and the vote. Rehearsing:
        more drafts only when the greedy one fails a check or in the sandbox, then chosen by
        their effects there.
        """
        workdir = self.workdir or Path(self.env.cwd)

        def allowed(draft: str) -> bool:
            return self._assess(query, draft).decision != "block"

        if self.rehearsal is not None:
            from cmdai.rehearse import greedy_failed, rehearsed_choice

            failed, note, effect = greedy_failed(
                self.rehearsal, Candidate(command, tuple(problems)), workdir, allowed
            )
            known = {command: effect} if effect is not None else {}
            warnings.extend([note] if note else [])
            if not failed:
                return None
            if on_text is not None:  # the status line showed the draft that failed
                on_text(REDRAWING)
        candidates, chosen = self._drafts(request, command, problems, generation, query)
        if self.rehearsal is None:
            return candidates, choose(candidates), chosen
        pick, candidates, note = rehearsed_choice(
            self.rehearsal, candidates, workdir, allowed, known
        )
        warnings.extend([note] if note else [])
        return candidates, pick, chosen

    def _drafts(
        self,
        request: GenerationRequest,
        command: str,
        problems: list[str],
        generation: Generation,
        query: str,
    ) -> tuple[tuple[Candidate, ...], list[Generation]]:
        """The greedy draft and ``candidates - 1`` sampled ones, tallied; their generations.

        The choice is among commands only, and the greedy one is always there.
        """
        drawn = self._sampled(request, query, self.drafts - 1)
        drafts = [(command, problems), *((text, found) for _, text, found in drawn)]
        return tally(drafts), [generation, *(g for g, _, _ in drawn)]

    def _sampled(
        self, request: GenerationRequest, query: str, count: int
    ) -> list[tuple[Generation, str, list[str]]]:
        """Up to ``count`` seeded samples of ``request`` (seed + 1, + 2, ...), checked.

        Each comes with its command and what the checks found; a sample that declines, loops
        or cannot be read is left out.
        """
        drawn: list[tuple[Generation, str, list[str]]] = []
        for i in range(1, count + 1):
            sample = dataclasses.replace(
                request,
                temperature=CANDIDATE_TEMPERATURE,
                seed=request.seed + i,
                decline_marker="",
                repeat_penalty=1.0,
            )
            generation = self.backend.generate(sample)
            read = None if generation.truncated else self._read_command(generation, query)
            if read is not None:
                text = read[1]
                drawn.append((generation, text, self._warnings(text, query)))
        return drawn


ASKED_AGAIN = "asked again: a check here proved the first command wrong"
ASKING_AGAIN = "a check here proved that one wrong; asking again..."
"""What ``on_text`` is told before the request is asked again with the check's note."""


REPAIR_TURN = (
    "That command does not work here: {problems}. Write a corrected command for the same request."
)


def create_engine(
    settings: Settings,
    backend: Backend,
    shell: str | None = None,
    validator: SafetyValidator | None = None,
) -> Engine:
    """The engine the CLI and the eval harness use; ``validator`` defaults to ``ShellValidator``.

    Raises:
        ConfigError: an unknown prompt template, or an unreadable examples file.
    """
    from cmdai.execute import user_shell
    from cmdai.grounding import default_checker
    from cmdai.prompts import detect_environment, get_template
    from cmdai.settings import cache_dir

    if validator is None:
        from cmdai.safety.gate import ShellValidator

        validator = ShellValidator()
    rehearsal: Rehearsal | None = None
    if settings.rehearse:  # the sandbox only when drafts are rehearsed
        from cmdai.rehearse import Rehearsal

        rehearsal = Rehearsal()

    template = get_template(settings.prompt)
    retriever: Retriever | None = None
    if template.retrieved and settings.examples_file:
        from cmdai.retrieval import corpus_retriever

        retriever = corpus_retriever(Path(settings.examples_file).expanduser())
    program_examples = None
    if template.program_examples:
        from cmdai.program_examples import ProgramExamples

        program_examples = ProgramExamples()
    shell = shell or user_shell()
    return Engine(
        settings=settings,
        backend=backend,
        validator=validator,
        template=template,
        env=detect_environment(Path(shell).name),
        shell=shell,
        retriever=retriever,
        program_examples=program_examples,
        options=default_checker(cache_dir()),
        rehearsal=rehearsal,
    )

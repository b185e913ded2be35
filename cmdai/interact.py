"""What happens between a proposal and running it: showing it, asking, editing, revising.

Rules (the README's safety model):
- a blocked command is never run and never printed on stdout;
- ``--dry-run`` and ``--json`` never run and never ask;
- without a terminal on stdin nothing runs unless ``--yes`` is given, and then only
  allow-level commands;
- ``--yes`` runs allow-level commands unasked and asks for confirm-level ones on a terminal;
- on a terminal the default answer is No, and a high-risk command needs "yes" typed in full;
- a blocked command runs only with ``--allow-blocked``, on a terminal, after "yes" typed in
  full: ``--yes`` never overrides a block, and without a terminal a block is final.

What became of the request (ran, declined, shown, blocked...; edited, revised, explained; the
command's exit status and timings) is recorded in the history when one is given.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cmdai.checks import stays_in_its_shell
from cmdai.core import Engine
from cmdai.errors import CmdaiError, ExitStatus
from cmdai.execute import Executor
from cmdai.history import Entry, History, HistoryError, now
from cmdai.jsondoc import proposal_json
from cmdai.proposal import Proposal, needs_block, risk_of
from cmdai.safety import Risk
from cmdai.terminal import Terminal

T = TypeVar("T")
MENU = "Run it? [y]es / [N]o / [e]dit / e[x]plain / [r]evise: "
RISK_STYLE: dict[Risk, dict[str, Any]] = {
    Risk.SAFE: {"fg": "green"},
    Risk.LOW: {"fg": "green"},
    Risk.MEDIUM: {"fg": "yellow"},
    Risk.HIGH: {"fg": "red", "bold": True},
    Risk.CRITICAL: {"fg": "red", "bold": True, "reverse": True},
}


@dataclass(frozen=True)
class RunOptions:
    """How the user asked cmdai to behave for this request."""

    dry_run: bool = False
    yes: bool = False
    json: bool = False
    allow_blocked: bool = False


@dataclass
class Trace:
    """What became of one request, for the history."""

    proposal: Proposal | None = None
    proposed: str | None = None
    action: str | None = None
    edited: bool = False
    revisions: int = 0
    explained: bool = False
    exit_status: int | None = None
    decided: float | None = None
    run_s: float | None = None


# cmdai's own exit status -> the history's action, when no command ran.
_ACTION_OF: dict[int, str] = {
    ExitStatus.SUCCESS: "shown",
    ExitStatus.DECLINED: "declined",
    ExitStatus.BLOCKED: "blocked",
    ExitStatus.NO_COMMAND: "no_command",
    ExitStatus.INTERRUPTED: "interrupted",
}


@dataclass
class Interaction:
    """One request from proposal to exit status.

    With ``history``, the request is recorded when it ends (``cmdai.history``): ``source``
    says where it came from, and ``label`` replaces the request text in the record (``cmdai
    fix`` records the failed command, not the request it composed for the model).
    """

    engine: Engine
    terminal: Terminal
    executor: Executor
    options: RunOptions
    started: float
    history: History | None = None
    source: str = "ask"
    label: str | None = None
    trace: Trace = field(default_factory=Trace, init=False)

    def run(self, query: str) -> int:
        """Propose, show, decide, maybe execute; return cmdai's exit status."""
        self.trace = Trace()
        status: int | None = None
        try:
            status = self._run(query)
        except KeyboardInterrupt:
            self.trace.action = "interrupted"
            status = ExitStatus.INTERRUPTED
            raise
        except CmdaiError as exc:
            self.trace.action, status = "error", int(exc.exit_status)
            raise
        except Exception:
            self.trace.action, status = "error", ExitStatus.ERROR
            raise
        finally:
            self._record(self.label or query, status)
        return status

    def _run(self, query: str) -> int:
        on_text = self._stream if self.terminal.live else None
        proposal = self._generate(lambda: self.engine.propose(query, on_text=on_text))
        self.trace.proposal, self.trace.proposed = proposal, proposal.command
        if self.options.json:
            return self._emit_json(proposal)
        if proposal.command is None:
            self.terminal.err(
                self.terminal.style(
                    f"cmdai: no command ({proposal.kind.replace('_', ' ')}): ", fg="yellow"
                )
                + proposal.explanation
            )
            return ExitStatus.NO_COMMAND
        self._show(proposal)
        if needs_block(proposal) and not (
            self.options.allow_blocked and self.terminal.interactive and not self.options.dry_run
        ):
            if self.options.allow_blocked and not self.options.dry_run:
                self.terminal.err("cmdai: not run: a blocked command needs a terminal to override")
            return ExitStatus.BLOCKED
        decision = proposal.safety.decision if proposal.safety else "allow"

        if self.options.dry_run:
            return self._finish(proposal, ExitStatus.SUCCESS)
        if self.options.yes and decision == "allow":
            return self._execute(proposal)
        if not self.terminal.interactive:
            reason = (
                "it needs confirmation and stdin is not a terminal"
                if self.options.yes
                else "stdin is not a terminal (pass --yes to run allow-level commands)"
            )
            self.terminal.err(f"cmdai: not run: {reason}")
            return self._finish(proposal, ExitStatus.DECLINED)
        return self._loop(proposal)

    def _loop(self, proposal: Proposal) -> int:
        term = self.terminal
        while True:
            try:
                choice = term.ask(MENU).strip().lower()
            except EOFError:
                term.err()
                choice = "n"
            if choice in ("y", "yes"):
                if needs_block(proposal) and not self.options.allow_blocked:
                    term.err("cmdai: this command is blocked by the safety gate; it will not run.")
                    continue
                if needs_block(proposal) and choice != "yes":
                    term.err(term.style("Blocked: type yes in full to override.", fg="red"))
                    continue
                if risk_of(proposal) >= Risk.HIGH and choice != "yes":
                    term.err(term.style("High risk: type yes in full to run it.", fg="red"))
                    continue
                return self._execute(proposal)
            if choice in ("", "n", "no", "q"):
                term.err("cmdai: not run.")
                return self._finish(proposal, ExitStatus.DECLINED)
            if choice in ("e", "edit"):
                assert proposal.command is not None
                try:
                    edited = term.edit("Edit: ", proposal.command).strip()
                except EOFError:
                    term.err()
                    continue
                if edited and edited != proposal.command:
                    proposal = self.engine.with_command(proposal, edited)
                    self.trace.edited = True
                    self._show(proposal)
            elif choice in ("x", "explain"):
                assert proposal.command is not None
                self.trace.explained = True
                text = self._generate(functools.partial(self.engine.explain, proposal.command))
                term.err(term.style(text, italic=True))
                # The risk comes from the gate's findings (facts), never from the model.
                if proposal.safety is not None and proposal.safety.findings:
                    worst = max(proposal.safety.findings, key=lambda f: f.risk)
                    term.err(
                        term.style(
                            f"risk ({worst.risk.label}): {worst.message}", **RISK_STYLE[worst.risk]
                        )
                    )
            elif choice in ("r", "revise"):
                try:
                    instruction = term.ask("Revise how? ").strip()
                except EOFError:
                    term.err()
                    continue
                if not instruction:
                    continue
                self.trace.revisions += 1
                revised = self._generate(
                    functools.partial(self.engine.revise, proposal, instruction)
                )
                if revised.command is None:
                    term.err(f"cmdai: no command ({revised.kind}): {revised.explanation}")
                    continue
                proposal = revised
                self.trace.proposed = proposal.command
                self._show(proposal)
            else:
                term.err("Please answer y, n, e, x or r.")

    def _stream(self, text: str) -> None:
        """The command as it is generated, on the status line (nothing runs before the gate)."""
        line = text.split("\n", 1)[0].strip()
        if line:
            self.terminal.status("cmdai: " + line)

    def _generate(self, produce: Callable[[], T]) -> T:
        self.terminal.status("cmdai: thinking...")
        try:
            return produce()
        finally:
            self.terminal.clear_status()

    def _show(self, proposal: Proposal) -> None:
        """The command (stdout when it is the terminal), then explanation, risk and warnings."""
        term = self.terminal
        assert proposal.command is not None
        assert proposal.safety is not None
        self.trace.proposal = proposal
        safety = proposal.safety
        if safety.decision == "block":
            term.err(term.style("BLOCKED: ", fg="red", bold=True) + proposal.command)
        elif term.stdout_tty:
            term.out(term.style(proposal.command, bold=True))
        else:
            term.err(term.style(proposal.command, bold=True))
        if proposal.explanation:
            term.err(term.style(f"  {proposal.explanation}", dim=True))
        label = f"risk: {safety.risk.label}"
        if safety.findings:
            label += f" ({safety.decision})"
        term.err("  " + term.style(label, **RISK_STYLE[safety.risk]))
        for finding in safety.findings:
            line = f"  - {finding.message} [{finding.rule_id}]"
            if finding.safer:
                line += f" Safer: {finding.safer}"
            term.err(term.style(line, **RISK_STYLE[finding.risk]))
        for warning in proposal.warnings:
            term.err(term.style(f"  warning: {warning}", fg="yellow"))
        if not self.options.dry_run and (builtin := stays_in_its_shell(proposal.command)):
            term.err(
                term.style(
                    f"  note: {builtin} here changes only the shell cmdai runs this in; yours "
                    "stays as it is (the shell key of cmdai init puts commands on your prompt)",
                    fg="yellow",
                )
            )

    def _finish(self, proposal: Proposal, status: int) -> int:
        """Emit the final command on a captured stdout (a terminal stdout already shows it).

        A blocked command never reaches stdout, even when an override let it run.
        """
        if (
            proposal.command is not None
            and not self.terminal.stdout_tty
            and not needs_block(proposal)
        ):
            self.terminal.out(proposal.command)
        return status

    def _execute(self, proposal: Proposal) -> int:
        assert proposal.command is not None
        self._finish(proposal, 0)
        self.trace.proposal, self.trace.action = proposal, "ran"
        self.trace.decided = time.perf_counter()
        try:
            status = self.executor.run(proposal.command)
        finally:
            self.trace.run_s = time.perf_counter() - self.trace.decided
        self.trace.exit_status = status
        return status

    def _record(self, request: str, status: int | None) -> None:
        """Add this request to the history; a failure to record is a warning, never fatal."""
        if self.history is None:
            return
        try:
            self.history.record(self._entry(request, status))
        except HistoryError as exc:
            self.terminal.err(f"cmdai: warning: not recorded in the history: {exc.message}")
        except Exception as exc:  # the request's own outcome matters more than its record
            self.terminal.err(f"cmdai: warning: not recorded in the history: {exc!r}")

    def _entry(self, request: str, status: int | None) -> Entry:
        trace = self.trace
        proposal = trace.proposal
        decided = trace.decided or time.perf_counter()
        action = trace.action or _ACTION_OF.get(-1 if status is None else status, "error")
        safety = proposal.safety if proposal else None
        model = self.engine.backend.describe()
        return Entry(
            time=now(),
            cwd=self.engine.env.cwd,
            source=self.source,
            request=request,
            proposed=trace.proposed,
            command=proposal.command if proposal else None,
            kind=proposal.kind if proposal else None,
            model=model.get("name"),
            backend=model.get("backend"),
            prompt=self.engine.template.id,
            decision=safety.decision if safety else None,
            risk=safety.risk.label if safety else None,
            findings=tuple(
                {"rule": f.rule_id, "risk": f.risk.label, "message": f.message}
                for f in (safety.findings if safety else ())
            ),
            action=action,
            edited=trace.edited or bool(proposal and proposal.edited),
            revisions=trace.revisions,
            explained=trace.explained,
            exit_status=trace.exit_status,
            status=status,
            generate_s=proposal.generation.generate_s if proposal else None,
            total_s=decided - self.started,
            run_s=trace.run_s,
        )

    def _emit_json(self, proposal: Proposal) -> int:
        if proposal.command is None:
            outcome, status = "no_command", ExitStatus.NO_COMMAND
        elif needs_block(proposal):
            outcome, status = "blocked", ExitStatus.BLOCKED
        else:
            outcome, status = "proposed", ExitStatus.SUCCESS
        doc = proposal_json(
            proposal,
            query=proposal.query,
            model=self.engine.backend.describe(),
            started=self.started,
            outcome=outcome,
            exit_status=int(status),
        )
        self.terminal.out(json.dumps(doc, ensure_ascii=False))
        return status

"""The terminal adapter: streams, TTY facts, colour, prompts and line editing.

Injectable (like httpie's Environment) so tests can drive the interactive flow without a
terminal. stdout carries only the product; everything for the human goes to stderr.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from typing import IO, Any

import click

from cmdai.errors import OutputError


@dataclass
class Terminal:
    """Where cmdai reads and writes, and what those streams are."""

    stdin: IO[str] = field(default_factory=lambda: sys.stdin)
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    stdin_tty: bool | None = None
    stdout_tty: bool | None = None
    stderr_tty: bool | None = None

    def __post_init__(self) -> None:
        if self.stdin_tty is None:
            self.stdin_tty = _isatty(self.stdin)
        if self.stdout_tty is None:
            self.stdout_tty = _isatty(self.stdout)
        if self.stderr_tty is None:
            self.stderr_tty = _isatty(self.stderr)

    @property
    def interactive(self) -> bool:
        """True when a person can answer prompts (stdin is a terminal)."""
        return bool(self.stdin_tty)

    @property
    def color(self) -> bool:
        """Colour only on a capable terminal, and never when NO_COLOR is set."""
        return self._fancy and "NO_COLOR" not in os.environ

    @property
    def _fancy(self) -> bool:
        return bool(self.stderr_tty) and os.environ.get("TERM") != "dumb"

    def style(self, text: str, **styles: Any) -> str:
        """``text`` styled for stderr when colour is on."""
        return click.style(text, **styles) if self.color else text

    def out(self, text: str) -> None:
        """Write the product (a command, a JSON document) to stdout.

        Raises:
            OutputError: stdout is closed or cannot take it (a full disk). A reader that left
                early (``| head``) is still a ``BrokenPipeError``, stopped quietly elsewhere.
        """
        if self.stdout is None:  # started with descriptor 1 closed (`cmdai ... >&-`)
            raise OutputError("it is closed")
        try:
            self.stdout.write(text + "\n")
            self.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(exc.strerror or str(exc)) from exc

    def err(self, text: str = "") -> None:
        """Write a line for the human to stderr."""
        self.stderr.write(text + "\n")
        self.stderr.flush()

    @property
    def live(self) -> bool:
        """True when status lines are shown (stderr is a terminal that can redraw a line)."""
        return self._fancy

    def status(self, text: str) -> None:
        """A transient status line on a terminal (erased by ``clear_status``); silent otherwise.

        Cut to the terminal's width: a wrapped line could not be erased.
        """
        if self._fancy:
            width = shutil.get_terminal_size((80, 24)).columns - 1
            if len(text) > width:
                text = text[: max(1, width - 3)] + "..."
            self.stderr.write("\r\x1b[2K" + self.style(text, dim=True))
            self.stderr.flush()

    def clear_status(self) -> None:
        """Erase a status line."""
        if self._fancy:
            self.stderr.write("\r\x1b[2K")
            self.stderr.flush()

    def ask(self, prompt: str) -> str:
        """Prompt on stderr and read one line from stdin.

        Raises:
            EOFError: stdin closed (Ctrl-D).
        """
        self.stderr.write(prompt)
        self.stderr.flush()
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    def edit(self, prompt: str, text: str) -> str:
        """Let the user edit ``text`` in place (readline), or retype it where readline is absent.

        Raises:
            EOFError: stdin closed (Ctrl-D).
        """
        # Python's input() uses readline only when stdin and stdout are both terminals, and
        # then draws on stdout: so in-place editing only when stdout is not being captured.
        if self.stdin is sys.stdin and self.stdin_tty and _isatty(sys.stdout):
            try:
                import readline
            except ImportError:  # pragma: no cover - Windows without pyreadline
                pass
            else:
                readline.set_startup_hook(lambda: readline.insert_text(text))
                try:
                    return input(prompt)
                finally:
                    readline.set_startup_hook(None)
        self.err(self.style(f"current: {text}", dim=True))
        return self.ask(prompt)


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

"""``cmdai init bash|zsh|fish``: the snippet for the rc file, and what its key binding runs.

The snippets are package data (``cmdai/shells/``), filled in with the key and the command that
starts this cmdai. They do three things, each idempotent (sourcing twice changes nothing):

- bind a key (``shell_key``, default Alt+G) to a widget that sends the line to cmdai and
  replaces the line buffer with the proposed command, for the user to read, edit and run
  with Enter (so it enters the shell's own history); a blocked command never reaches the
  buffer, and a failing, interrupted or slow cmdai leaves the line as it was. With an empty
  line the key proposes a fix for the last command. A key the user already bound is left
  alone (one line on stderr says so); only the shell's own default for Alt+G (bash's
  ``glob-complete-word``, zsh's ``get-line``) is replaced;
- remember the last command line and its exit status (never its output) for ``cmdai fix``;
- wrap ``cmdai`` in a function that hands those to ``cmdai fix`` in two environment
  variables, for that one process only.

While the widget waits for the model, ``cancel_keys`` reads the terminal itself (no signals),
so Ctrl-C or Esc cancels cmdai without the shell seeing a Ctrl-C that would discard the line.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from cmdai.errors import ConfigError

SHELLS = ("bash", "zsh", "fish")
LAST_COMMAND_ENV = "CMDAI_LAST_COMMAND"
LAST_STATUS_ENV = "CMDAI_LAST_STATUS"
NO_KEY = ("none", "off", "")

_KEY_PART = re.compile(r"^(?:(alt|ctrl)-)?([a-z0-9])$|^(alt|ctrl)-(\[|\]|\\|/|\.|,)$")


@dataclass(frozen=True)
class Key:
    """A key sequence in cmdai's notation (``alt-g``, ``ctrl-x ctrl-g``), per shell."""

    name: str
    bash: str
    zsh: str
    fish: str

    def for_shell(self, shell: str) -> str:
        """The sequence as ``shell`` writes it in ``bind`` / ``bindkey``."""
        return {"bash": self.bash, "zsh": self.zsh, "fish": self.fish}[shell]


def parse_key(text: str) -> Key | None:
    """Parse the ``shell_key`` setting; None means bind no key.

    Raises:
        ConfigError: not a key cmdai can bind (letters, digits and a few punctuation
            marks, with ``alt-`` or ``ctrl-``, one or more separated by spaces).
    """
    name = " ".join(text.lower().split())
    if name in NO_KEY:
        return None
    bash, zsh, fish = [], [], []
    for part in name.split(" "):
        match = _KEY_PART.match(part)
        modifier = match and (match.group(1) or match.group(3))
        char = match and (match.group(2) or match.group(4))
        if not match or not modifier or not char:
            raise ConfigError(
                f"invalid shell_key {text!r}",
                hint="Use alt-LETTER or ctrl-LETTER, one or more separated by spaces "
                "(alt-g, ctrl-x ctrl-g), or none.",
            )
        if modifier == "alt":
            bash.append("\\e" + ("\\\\" if char == "\\" else char))
            zsh.append("^[" + ("\\\\" if char == "\\" else char))
            fish.append("\\e" + (char if char.isalnum() else "\\" + char))
        else:
            if not char.isalpha():
                raise ConfigError(
                    f"invalid shell_key {text!r}: ctrl- goes with a letter",
                    hint="For example ctrl-x ctrl-g.",
                )
            bash.append("\\C-" + char)
            zsh.append("^" + char.upper())
            fish.append("\\c" + char)
    return Key(name, "".join(bash), "".join(zsh), "".join(fish))


def self_command() -> list[str]:
    """The argv that starts this cmdai (the console script, else ``python -m cmdai``)."""
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name == "cmdai":
        found = argv0 if argv0.is_file() else None
        if found is None:
            which = shutil.which(str(argv0))
            found = Path(which) if which else None
        if found is not None:
            return [str(found.absolute())]
    return [sys.executable, "-m", "cmdai"]


def snippet(shell: str, key: Key | None, command: list[str] | None = None) -> str:
    """The text ``cmdai init SHELL`` prints, for ``eval`` (bash, zsh) or ``source`` (fish).

    Raises:
        ConfigError: an unknown shell.
    """
    if shell not in SHELLS:
        raise ConfigError(
            f"unknown shell {shell!r}", hint="cmdai init supports " + ", ".join(SHELLS) + "."
        )
    command = command or self_command()
    text = resources.files("cmdai").joinpath("shells", f"cmdai.{shell}").read_text("utf-8")
    quote = _fish_quote if shell == "fish" else shlex.quote
    values = {
        "@COMMAND@": " ".join(quote(part) for part in command),
        # fish reads \e and \c only outside quotes; the key's characters are plain ones.
        "@KEY@": (key.for_shell(shell) if shell == "fish" else quote(key.for_shell(shell)))
        if key
        else "''",
        "@KEYNAME@": quote(key.name if key else ""),
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def last_command(environ: dict[str, str] | None = None) -> tuple[str, int | None] | None:
    """The last command line and its exit status as the shell snippet passes them, if any.

    Both variables are removed from this process's environment, so the command cmdai may
    run does not inherit them.
    """
    source = os.environ if environ is None else environ
    command = source.pop(LAST_COMMAND_ENV, None)
    status_text = source.pop(LAST_STATUS_ENV, None)
    if not command or not command.strip():
        return None
    try:
        status = int(status_text) if status_text not in (None, "") else None
    except ValueError:
        status = None
    return command.strip(), status


# -- the widget: cancel with Ctrl-C or Esc, without a signal the shell would also see ----------

TTY: str | int = "/dev/tty"
"""The terminal the keys are read from: a path, or a descriptor open on it (a request handed to
the warm server's helper, which has no terminal of its own, reads the one its client passed
it: ``cmdai.server.helper``)."""
CANCEL_KEYS = (b"\x03", b"\x1b")
CANCEL_GRACE_S = 3.0


def interrupt_main() -> None:
    """Deliver SIGINT to the main thread, as Ctrl-C would (a sleep or a read wakes up)."""
    signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)


@contextlib.contextmanager
def cancel_keys(on_cancel: Callable[[], None], tty: str | int | None = None) -> Iterator[bool]:
    """While inside, read the terminal raw: Ctrl-C or Esc calls ``on_cancel`` (once).

    A key binding runs cmdai in the shell's own process group, so a Ctrl-C typed while it
    thinks would also interrupt the shell, which then throws the line away. Here the terminal
    sends no signals (ISIG off) and cmdai reads the keys itself. Yields False, and does
    nothing, when there is no terminal to read.
    """
    try:
        import termios

        terminal = TTY if tty is None else tty
        if isinstance(terminal, int):  # a descriptor already open on it: a copy to close
            fd = os.dup(terminal)
        else:
            fd = os.open(terminal, os.O_RDWR | os.O_NOCTTY | os.O_CLOEXEC)
    except (ImportError, OSError):
        yield False
        return
    try:
        saved = termios.tcgetattr(fd)
    except termios.error:
        os.close(fd)
        yield False
        return
    raw = list(saved)
    raw[3] &= ~(termios.ISIG | termios.ICANON | termios.ECHO)
    raw[6] = list(saved[6])
    raw[6][termios.VMIN], raw[6][termios.VTIME] = 1, 0
    stop = threading.Event()

    def watch() -> None:
        import select

        while not stop.is_set():
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready or stop.is_set():
                continue
            try:
                data = os.read(fd, 64)
            except OSError:
                return
            if any(key in data for key in CANCEL_KEYS):
                termios.tcsetattr(fd, termios.TCSANOW, saved)
                on_cancel()
                # Stuck in native code that never returns to Python: leave all the same.
                if not stop.wait(CANCEL_GRACE_S):
                    os._exit(130)
                return

    try:
        termios.tcsetattr(fd, termios.TCSANOW, raw)
    except termios.error:
        os.close(fd)
        yield False
        return
    thread = threading.Thread(target=watch, name="cmdai-cancel-keys", daemon=True)
    thread.start()
    try:
        yield True
    finally:
        stop.set()
        thread.join(timeout=1)
        with contextlib.suppress(termios.error):
            termios.tcsetattr(fd, termios.TCSANOW, saved)
        os.close(fd)

"""``python -m evals demo``: capture the README's opening demo from a real pseudo-terminal.

Runs the installed ``cmdai`` with the default model in a throwaway demo directory, on a
pseudo-terminal (pexpect), answers its prompt as a user would (explain, revise, decline:
nothing runs), and prints the session as a Markdown ``console`` block to paste into the
README. Rerun it whenever the prompt or the model changes.

``--shell`` captures the shell-key session of docs/shell.md instead: a real interactive bash
in tmux (100 columns) with ``cmdai init bash`` sourced and the fake backend scripted, so that
it reads the same every time; the screen is what ``tmux capture-pane`` shows.

    python -m evals demo [--request TEXT] [--revision TEXT]
    python -m evals demo --shell
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

DEFAULT_REQUEST = "find files over 100MB changed this week"
DEFAULT_REVISION = "only in my Downloads folder, and show their sizes"
MENU_TEXT = "Run it? [y]es / [N]o / [e]dit / e[x]plain / [r]evise: "
MENU = re.compile(re.escape(MENU_TEXT))
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def capture(request: str, revision: str, timeout_s: float = 300.0) -> str:
    """The transcript of one session: ask, explain (x), revise (r), decline (n)."""
    import pexpect

    cmdai = shutil.which("cmdai") or f"{sys.executable} -m cmdai"
    with tempfile.TemporaryDirectory(prefix="demo-") as tmp:
        demo = Path(tmp) / "demo"
        (demo / "Downloads").mkdir(parents=True)
        (demo / "notes.txt").write_text("demo\n", encoding="utf-8")
        env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
        child = pexpect.spawn(
            "/bin/bash",
            ["-c", f'cd "{demo}" && {cmdai} "$1"', "demo", request],
            env=env,
            encoding="utf-8",
            timeout=timeout_s,
            dimensions=(40, 100),
        )
        transcript = [f'$ cd /tmp/demo && cmdai "{request}"']
        child.expect(MENU)
        transcript.append(_clean(child.before) + MENU_TEXT + "x")
        child.sendline("x")
        child.expect(MENU)
        transcript.append(_clean(child.before) + MENU_TEXT + "r")
        child.sendline("r")
        child.expect("Revise how\\? ")
        transcript.append(_clean(child.before) + "Revise how? " + revision)
        child.sendline(revision)
        child.expect(MENU)
        transcript.append(_clean(child.before, typed=revision) + MENU_TEXT + "n")
        child.sendline("n")
        child.expect(pexpect.EOF)
        transcript.append(_clean(child.before))
    return "\n".join(part.strip("\n") for part in transcript if part.strip())


_SHELL_ANSWERS = (
    ("du -ah . | sort -rh | head -n 3", "Lists the 3 largest entries."),
    ("find . -name '*.py' -size +1k", "Quotes the pattern so that find gets it, not the shell."),
)


def capture_shell(timeout_s: float = 60.0) -> str:
    """The docs' shell session, as the tmux screen shows it at the end.

    A request and Alt+G, then Enter; a failing find, Alt+G on the empty line (a fix), Enter.
    """
    import json
    import subprocess
    import time

    if shutil.which("tmux") is None:
        raise SystemExit("demo --shell needs tmux (apt-get install tmux)")
    cmdai = shutil.which("cmdai") or str(Path(sys.executable).with_name("cmdai"))
    # The shell may still be writing as it exits (tmux's kill-server does not wait for it).
    with tempfile.TemporaryDirectory(prefix="demo-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        demo, home = root / "demo", root / "home"
        demo.mkdir()
        home.mkdir()
        (demo / "notes.txt").write_text("demo\n", encoding="utf-8")
        (demo / "a.py").write_text("print('a')\n", encoding="utf-8")
        (demo / "b.py").write_text("# b\n" * 600, encoding="utf-8")
        script = home / "script.json"
        init = subprocess.run(
            [cmdai, "init", "bash"], capture_output=True, text=True, check=True
        ).stdout
        (home / "init.bash").write_text(init, encoding="utf-8")
        (home / "bashrc").write_text(
            f"PS1='$ '\nunset HISTFILE\nsource {home / 'init.bash'}\ncd {demo}\n",
            encoding="utf-8",
        )
        env = {
            **os.environ,
            "HOME": str(home),
            "CMDAI_BACKEND": "fake",
            "CMDAI_FAKE_SCRIPT": str(script),
            "CMDAI_HISTORY": "0",
            "NO_COLOR": "1",
            "TERM": "xterm",
        }
        socket = ["tmux", "-S", str(root / "tmux.sock")]

        def answer(number: int) -> None:
            command, explanation = _SHELL_ANSWERS[number]
            text = json.dumps({"kind": "command", "command": command, "explanation": explanation})
            script.write_text(json.dumps([text]), encoding="utf-8")

        def screen() -> str:
            return subprocess.run(
                [*socket, "capture-pane", "-p", "-t", "demo"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout

        def keys(*what: str) -> None:
            subprocess.run([*socket, "send-keys", "-t", "demo", *what], check=True)

        def wait_for(text: str) -> None:
            deadline = time.monotonic() + timeout_s
            while text not in screen():
                if time.monotonic() > deadline:
                    raise SystemExit(f"demo --shell: no {text!r} on the screen:\n{screen()}")
                time.sleep(0.1)

        argv = ["bash", "--noprofile", "--rcfile", str(home / "bashrc"), "-i"]
        subprocess.run(
            [*socket, "new-session", "-d", "-s", "demo", "-x", "100", "-y", "40", *argv],
            env=env,
            check=True,
        )
        try:
            wait_for("$")  # the prompt (capture-pane drops trailing spaces)
            answer(0)
            keys("-l", "list the three biggest files here")
            keys("M-g")
            wait_for("$ " + _SHELL_ANSWERS[0][0])
            keys("Enter")
            wait_for("./b.py")
            answer(1)
            keys("-l", "find . -name *.py -size +1k")
            keys("Enter")
            wait_for("find: paths must precede")
            time.sleep(0.3)
            keys("M-g")
            wait_for("$ " + _SHELL_ANSWERS[1][0])
            keys("Enter")
            time.sleep(1.0)
            text = screen()
        finally:
            subprocess.run([*socket, "kill-server"], capture_output=True)
            deadline = time.monotonic() + 5
            while (
                time.monotonic() < deadline
                and subprocess.run([*socket, "has-session"], capture_output=True).returncode == 0
            ):
                time.sleep(0.05)
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and lines[-1] in ("", "$"):
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def _clean(text: str | None, typed: str = "") -> str:
    """Terminal output as plain lines, as the user saw them.

    No escape sequences; a line overwritten after a carriage return (the "thinking..."
    status) shows what was written last; the terminal's echo of what was typed is dropped.
    """
    lines = []
    for raw in _ANSI.sub("", text or "").split("\n"):
        line = raw.rstrip("\r").split("\r")[-1].rstrip()
        if line.strip() in ("x", "r", "n", typed) or not line.strip():
            continue
        lines.append(line)
    return "\n".join(lines) + "\n" if lines else ""


def main(argv: list[str] | None = None) -> None:
    """Print the captured session as a Markdown block."""
    parser = argparse.ArgumentParser(prog="python -m evals demo", description=__doc__)
    parser.add_argument("--request", default=DEFAULT_REQUEST)
    parser.add_argument("--revision", default=DEFAULT_REVISION)
    parser.add_argument("--shell", action="store_true", help="the shell-key session (tmux)")
    args = parser.parse_args(argv)
    text = capture_shell() if args.shell else capture(args.request, args.revision)
    sys.stdout.write("```console\n" + text + "\n```\n")

"""``python -m evals demo``: capture the README's opening demo from a real pseudo-terminal.

Runs the installed ``cmdai`` with the default model in a throwaway demo directory, on a
pseudo-terminal (pexpect), answers its prompt as a user would (explain, revise, decline:
nothing runs), and prints the session as a Markdown ``console`` block to paste into the
README. Rerun it whenever the prompt or the model changes.

    python -m evals demo [--request TEXT] [--revision TEXT]
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
    args = parser.parse_args(argv)
    sys.stdout.write("```console\n" + capture(args.request, args.revision) + "\n```\n")

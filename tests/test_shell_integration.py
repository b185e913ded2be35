"""``cmdai init``: the key binding and ``cmdai fix`` in real bash, zsh and fish on a pty.

Each test starts the shell with an rc file that sources ``cmdai init SHELL``, with the fake
backend scripted through CMDAI_FAKE_SCRIPT. The only commands that run are the scripted
harmless ones (echo, printf) and a blocked one that would fail harmlessly anyway
(mkfs of a device that does not exist), which must never reach the line.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest
from conftest import answer

SHELLS = ("bash", "zsh", "fish")
KEY = "\x1bg"  # Alt+G as a terminal sends it
PROMPT = "PROMPT> "
TYPED = "printf '%s-%s\\n' typed intact"  # what the user typed; prints typed-intact
BLOCKED = "mkfs.ext4 /dev/cmdai-no-such-disk"


class Shell:
    """One interactive shell on a pseudo-terminal, with cmdai's snippet sourced."""

    def __init__(self, name: str, home: Path, pre: str = "", times: int = 1) -> None:
        self.name = name
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        self.env = dict(os.environ)
        self.env.update(
            {
                "CMDAI_BACKEND": "fake",
                "CMDAI_FAKE_SCRIPT": str(home / "script.json"),
                "TERM": "xterm",
                "NO_COLOR": "1",
                "HOME": str(home),
                "XDG_DATA_HOME": str(home / "share"),
                "XDG_CONFIG_HOME": str(home / "config"),
            }
        )
        init = subprocess.run(
            [sys.executable, "-m", "cmdai", "init", name],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (home / f"init.{name}").write_text(init)
        self.script()
        source = f"source {home / f'init.{name}'}\n" * times
        history = home / "history"
        if name == "bash":
            rc = home / "bashrc"
            rc.write_text(
                f"PS1='{PROMPT}'\nHISTFILE={history}\nHISTSIZE=100\nHISTFILESIZE=100\n"
                f"{pre}\n{source}"
            )
            argv = ["bash", "--noprofile", "--rcfile", str(rc), "-i"]
        elif name == "zsh":
            (home / ".zshrc").write_text(
                f"PS1='{PROMPT}'\nHISTFILE={history}\nSAVEHIST=100\nHISTSIZE=100\n"
                f"unsetopt PROMPT_SP\n{pre}\n{source}"
            )
            self.env["ZDOTDIR"] = str(home)
            argv = ["zsh", "-d", "-i"]
        else:
            rc = home / "config" / "fish" / "config.fish"
            rc.parent.mkdir(parents=True)
            rc.write_text(
                "set -g fish_greeting ''\n"
                f"function fish_prompt; echo -n '{PROMPT}'; end\n{pre}\n{source}"
            )
            argv = ["fish", "-i"]
        self.child = pexpect.spawn(
            argv[0],
            argv[1:],
            env=self.env,
            cwd=str(home),
            encoding="utf-8",
            timeout=30,
            dimensions=(24, 200),
        )
        self.child.expect_exact(PROMPT)

    def script(self, *answers: object) -> None:
        """What the fake model answers next (each cmdai process starts from the top)."""
        (self.home / "script.json").write_text(json.dumps(list(answers)))

    def run(self, line: str) -> None:
        """Type ``line`` and Enter, and wait for the next prompt."""
        self.child.sendline(line)
        self.child.expect_exact(PROMPT)

    def key(self, line: str = "") -> None:
        """Type ``line`` (not Enter), then the key."""
        self.child.send(line)
        self.child.send(KEY)

    def close(self) -> None:
        """Leave the shell (so it writes its history file)."""
        if self.child.isalive():
            self.child.send("\x15")  # Ctrl-U: whatever is on the line goes
            self.child.sendline("exit")
            try:
                self.child.expect(pexpect.EOF, timeout=10)
            except pexpect.TIMEOUT:
                self.child.terminate(force=True)
        self.child.close()

    def history_file(self) -> str:
        """The shell's own history, as written on exit."""
        path = (
            self.home / "share" / "fish" / "fish_history"
            if self.name == "fish"
            else self.home / "history"
        )
        return path.read_text(errors="replace") if path.exists() else ""

    def recorded(self) -> list[sqlite3.Row]:
        """cmdai's history database rows."""
        data = Path(self.env["CMDAI_DATA_DIR"]) / "history.db"
        with sqlite3.connect(data) as conn:
            conn.row_factory = sqlite3.Row
            return conn.execute("SELECT * FROM requests ORDER BY id").fetchall()


def output(text: str) -> str:
    """A pattern for ``text`` printed on a line of its own (not the typed line echoed)."""
    return rf"[\r\n]{text}\r?\n"


def filled(name: str, command: str) -> str:
    """How the line looks once the key filled it (fish runs what it cannot read with bash)."""
    if name == "fish" and "$((" in command:
        return "bash -c " + "'" + command.replace("'", "\\'") + "'"
    return command


@pytest.fixture(params=SHELLS)
def shell_name(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if shutil.which(name) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed: .ci/setup-shells installs it")
        pytest.skip(f"{name} is not installed (.ci/setup-shells installs it)")
    return name


@pytest.fixture
def start(shell_name: str, tmp_path: Path) -> Iterator[type[Shell]]:
    shells: list[Shell] = []

    def make(pre: str = "", times: int = 1) -> Shell:
        shell = Shell(shell_name, tmp_path / f"{shell_name}-{len(shells)}", pre, times)
        shells.append(shell)
        return shell

    yield make  # type: ignore[misc]
    for shell in shells:
        shell.close()


def test_key_fills_the_line_and_enter_runs_it_into_history(start) -> None:  # type: ignore[no-untyped-def]
    sh = start()
    sh.script(answer("echo hi-$((40+2))", "Says hi."))
    sh.key("say hi")
    sh.child.expect_exact("Says hi.")
    sh.child.expect_exact("risk: safe")
    sh.child.expect_exact(PROMPT)
    sh.child.expect_exact(filled(sh.name, "echo hi-$((40+2))"))
    # The cursor is at the end: what is typed next goes after the command.
    sh.child.send("; echo tail-$((1))" if sh.name != "fish" else "; echo tail-1")
    sh.child.send("\r")
    sh.child.expect(output("hi-42"))
    sh.child.expect_exact("tail-1")
    sh.child.expect_exact(PROMPT)
    sh.close()
    assert filled(sh.name, "echo hi-$((40+2))") in sh.history_file()
    row = sh.recorded()[-1]
    assert (row["source"], row["request"], row["action"]) == ("shell", "say hi", "shown")


def test_a_blocked_command_never_reaches_the_line(start) -> None:  # type: ignore[no-untyped-def]
    sh = start()
    sh.script(answer(BLOCKED, "Formats a disk."))
    sh.key(TYPED)
    sh.child.expect_exact(f"BLOCKED: {BLOCKED}")
    sh.child.expect_exact("critical")
    sh.child.expect_exact(PROMPT)
    sh.child.send("\r")
    index = sh.child.expect([output("typed-intact"), "cmdai-no-such-disk"])
    assert index == 0, "the blocked command reached the line"
    sh.child.expect_exact(PROMPT)
    sh.close()
    assert BLOCKED not in sh.history_file()
    assert sh.recorded()[-1]["action"] == "blocked"


def test_ctrl_c_while_thinking_leaves_the_line(start) -> None:  # type: ignore[no-untyped-def]
    sh = start()
    sh.script({"text": answer("echo never-$((1))"), "delay_s": 30})
    sh.key(TYPED)
    sh.child.expect_exact("thinking")
    sh.child.send("\x03")
    sh.child.expect_exact("cmdai: interrupted")
    sh.child.expect_exact(PROMPT)
    sh.child.send("\r")
    sh.child.expect(output("typed-intact"))
    sh.child.expect_exact(PROMPT)
    assert "never-1" not in (sh.child.before or "")


def test_a_failing_cmdai_leaves_the_line(start) -> None:  # type: ignore[no-untyped-def]
    sh = start()
    missing = sh.home / "missing.gguf"
    if sh.name == "fish":
        sh.run(f"set -gx CMDAI_BACKEND llamacpp; set -gx CMDAI_MODEL {missing}")
    else:
        sh.run(f"export CMDAI_BACKEND=llamacpp CMDAI_MODEL={missing}")
    sh.key(TYPED)
    sh.child.expect_exact("cmdai: error:")
    sh.child.expect_exact(PROMPT)
    sh.child.send("\r")
    sh.child.expect(output("typed-intact"))
    sh.child.expect_exact(PROMPT)


def test_an_existing_binding_is_not_clobbered(start, shell_name: str) -> None:  # type: ignore[no-untyped-def]
    pre = {
        "bash": 'bind \'"\\eg": "echo user-$((1+1))"\'',
        "zsh": "bindkey -s '^[g' 'echo user-$((1+1))'",
        "fish": "bind \\eg 'commandline -r \"echo user-2\"'",
    }[shell_name]
    sh = start(pre=pre)
    assert "Alt-G is already bound" in (sh.child.before or "").replace("alt-g", "Alt-G")
    sh.key()
    sh.child.send("\r")
    sh.child.expect(output("user-2"))
    sh.child.expect_exact(PROMPT)


def test_sourcing_twice_changes_nothing(start, shell_name: str) -> None:  # type: ignore[no-untyped-def]
    sh = start(times=2)
    assert "already bound" not in (sh.child.before or "")
    show = {
        "bash": 'echo "[$PROMPT_COMMAND]"',
        "zsh": 'echo "[$precmd_functions|$preexec_functions]"',
        "fish": "echo [(count (functions --handlers-type generic"
        " | string match -r '__cmdai\\S*'))]",
    }[shell_name]
    expected = {
        "bash": "[__cmdai_precmd]",
        "zsh": "[__cmdai_precmd|__cmdai_preexec]",
        "fish": "[1]",
    }[shell_name]
    sh.child.sendline(show)
    sh.child.expect(output(re.escape(expected)))
    sh.child.expect_exact(PROMPT)
    sh.script(answer("echo again-$((1))"))
    sh.key("say again")
    sh.child.expect_exact("risk: safe")
    sh.child.expect_exact(PROMPT)
    sh.child.expect_exact(filled(sh.name, "echo again-$((1))"))
    sh.child.send("\r")
    sh.child.expect(output("again-1"))


def test_the_key_on_an_empty_line_fixes_the_last_command(start) -> None:  # type: ignore[no-untyped-def]
    sh = start()
    sh.run("echo an-earlier-command")
    sh.run("cmdai-test-no-such-command --flag")
    sh.script(answer("echo fixed-$((2+3))", "Runs the right command."))
    sh.key()
    sh.child.expect_exact("fixing: cmdai-test-no-such-command --flag (exit 127)")
    sh.child.expect_exact(PROMPT)
    sh.child.expect_exact(filled(sh.name, "echo fixed-$((2+3))"))
    sh.child.send("\r")
    sh.child.expect(output("fixed-5"))
    sh.child.expect_exact(PROMPT)
    row = sh.recorded()[-1]
    assert row["source"] == "fix"
    assert row["request"] == "fix: cmdai-test-no-such-command --flag (exit 127)"
    # The last command is now the one the key put in the line.
    sh.script(answer("echo again"))
    sh.key()
    sh.child.expect_exact(f"fixing: {filled(sh.name, 'echo fixed-$((2+3))')} (exit 0)")
    sh.child.expect_exact(PROMPT)


def test_cmdai_fix_gets_the_last_command_and_its_status(start) -> None:  # type: ignore[no-untyped-def]
    sh = start()
    sh.run("ls /cmdai-test-no-such-dir")
    sh.script(answer("ls -d /tmp", "Lists a directory that exists."))
    sh.child.sendline("cmdai fix --dry-run")
    sh.child.expect_exact("fixing: ls /cmdai-test-no-such-dir (exit 2)")
    sh.child.expect_exact("ls -d /tmp")
    sh.child.expect_exact(PROMPT)
    # cmdai fix itself is not "the last command": a second one fixes the same line.
    sh.child.sendline("cmdai fix --dry-run")
    sh.child.expect_exact("fixing: ls /cmdai-test-no-such-dir (exit 2)")
    sh.child.expect_exact(PROMPT)


def test_the_key_is_answered_by_the_warm_server(start, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "CMDAI_BACKEND": "fake", "XDG_RUNTIME_DIR": str(runtime)}
    cli = [sys.executable, "-m", "cmdai"]
    subprocess.run([*cli, "serve"], env=env, check=True, capture_output=True, timeout=60)
    try:
        shell = start(pre=f"export XDG_RUNTIME_DIR={runtime} CMDAI_SERVER=on")
        shell.script()  # nothing scripted: the served fake answers "list ..." with ls -la
        shell.key("list the files here")
        shell.child.expect_exact("ls -la")
        status = subprocess.run(
            [*cli, "serve", "--status", "--json"], env=env, capture_output=True, check=True
        )
        assert json.loads(status.stdout)["served"] == 1
    finally:
        subprocess.run([*cli, "serve", "--stop"], env=env, capture_output=True, timeout=60)


def test_hotkey_measurement_times_both_sides_through_the_warm_server() -> None:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    from evals.targets import measure_hotkey

    result = measure_hotkey(2)
    assert result["served_by_warm_server"] >= 4
    assert 0 < result["cli_p50_s"] < 30
    assert 0 < result["key_p50_s"] < 30


def test_first_character_measurement_reads_the_status_line_on_a_terminal() -> None:
    from evals.targets import ONESHOT_REQUESTS, _on_a_terminal, measure_first_char

    result = measure_first_char(1, backend="fake")
    assert result["requests"] == len(ONESHOT_REQUESTS)
    assert 0 < result["first_char_p50_s"] <= result["whole_p50_s"] < 30
    # A process that shows only the waiting line has no first character.
    shown, done = _on_a_terminal(
        [sys.executable, "-c", "import sys; sys.stderr.write('cmdai: thinking...')"],
        dict(os.environ),
        Path.cwd(),
    )
    assert shown is None
    assert done > 0


def test_question_measurement_asks_through_the_servers_helper(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """cmdai "..." on a terminal, handed to a real server's helper: asked, answered No."""
    from evals.targets import measure_question

    monkeypatch.setenv("CMDAI_HELPER", "require")  # the server starts one; nothing runs here
    result = measure_question(2)
    assert result["helper"] is True
    assert 0 < result["question_p50_s"] <= result["exit_p50_s"] < 30

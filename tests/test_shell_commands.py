"""cmdai explain, fix, init, the shell key's widget command, and completion (CliRunner)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Invoker, answer, cli_in_child
from test_cli import tty_terminal

from cmdai.cli import cli
from cmdai.errors import ConfigError, ExitStatus
from cmdai.fix import fix_request, label, status_meaning
from cmdai.history import default_path
from cmdai.shell_init import cancel_keys, last_command, parse_key, snippet

# -- cmdai explain -----------------------------------------------------------------------------


def test_explain_shows_the_parts_and_the_gates_findings(invoke: Invoker) -> None:
    invoke.fake.enqueue("`git push origin main`: sends main to origin\n`--force`: overwrites it")
    result = invoke("explain", "git push --force origin main")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "`git push origin main`: sends main to origin",
        "`--force`: overwrites it",
        "risk: high (confirm)",
        "  - Force-pushes, which can overwrite commits on the remote for everyone. "
        "[git-force-push, high] Safer: git push --force-with-lease checks nobody else pushed "
        "first.",
    ]
    assert invoke.fake.history[-1].messages[-1].content == "git push --force origin main"
    assert invoke.recorder.commands == []


def test_explain_json_and_stdin(invoke: Invoker) -> None:
    invoke.fake.enqueue("`ls -la`: lists every file")
    result = invoke("explain", "--json", input="ls -la\n")
    doc = json.loads(result.stdout)
    assert result.exit_code == 0
    assert doc["command"] == "ls -la"
    assert doc["explanation"] == ["`ls -la`: lists every file"]
    assert doc["safety"] == {"decision": "allow", "risk": "safe", "findings": []}
    assert doc["model"]["backend"] == "fake"


def test_explain_never_runs_a_blocked_command_and_still_explains(invoke: Invoker) -> None:
    invoke.fake.enqueue("`rm -rf /`: deletes everything")
    result = invoke("explain", "rm -rf /")
    assert result.exit_code == 0
    assert "risk: critical (block)" in result.stdout
    assert invoke.recorder.commands == []


def test_explain_without_a_command_is_a_usage_error(invoke: Invoker) -> None:
    assert invoke("explain", input="  \n").exit_code == ExitStatus.USAGE
    terminal, _, _ = tty_terminal("")
    assert invoke("explain", terminal=terminal).exit_code == ExitStatus.USAGE


# -- cmdai fix ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "stderr", "expected"),
    [
        (
            127,
            None,
            "Fix this command, which failed with exit status 127 (command not found): gti st",
        ),
        (1, None, "Fix this command, which failed with exit status 1 (a general error): gti st"),
        (5, None, "Fix this command, which failed with exit status 5: gti st"),
        (None, None, "Fix this command, which failed: gti st"),
        (0, None, "Fix this command, which ran but did not do what I wanted: gti st"),
        (
            127,
            "bash: gti:\n command not found\n",
            "Fix this command, which failed with exit status 127 (command not found): gti st "
            "Its error output: bash: gti: command not found",
        ),
    ],
)
def test_fix_request(status: int | None, stderr: str | None, expected: str) -> None:
    assert fix_request("gti st", status, stderr) == expected


def test_fix_request_keeps_the_end_of_a_long_error_output() -> None:
    request = fix_request("make", 2, "noise " * 500 + "the real error")
    assert request.endswith("the real error")
    assert len(request) < 700


def test_status_meaning_and_label() -> None:
    assert status_meaning(130) == "killed by SIGINT"
    assert status_meaning(None) == ""
    assert label("gti st", 127) == "fix: gti st (exit 127)"
    assert label("gti st", None) == "fix: gti st"


def test_last_command_comes_from_the_snippets_variables_once() -> None:
    environ = {"CMDAI_LAST_COMMAND": "  gti status ", "CMDAI_LAST_STATUS": "127", "X": "1"}
    assert last_command(environ) == ("gti status", 127)
    assert environ == {"X": "1"}  # not inherited by the command cmdai may run
    assert last_command({"CMDAI_LAST_COMMAND": "ls", "CMDAI_LAST_STATUS": "x"}) == ("ls", None)
    assert last_command({"CMDAI_LAST_STATUS": "1"}) is None


def test_fix_uses_the_last_command_from_the_shell(
    invoke: Invoker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMDAI_LAST_COMMAND", "gti status")
    monkeypatch.setenv("CMDAI_LAST_STATUS", "127")
    invoke.fake.enqueue(answer("git status", "Shows the working tree status."))
    result = invoke("fix", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == "git status\n"
    assert "fixing: gti status (exit 127)" in result.stderr
    request = invoke.fake.history[-1].messages[-1].content
    assert "Fix this command, which failed with exit status 127" in request
    assert "gti status" in request
    assert "CMDAI_LAST_COMMAND" not in os.environ
    history = json.loads(invoke("history", "--json").stdout)
    assert (history["source"], history["request"]) == ("fix", "fix: gti status (exit 127)")


def test_fix_a_given_command_with_the_same_confirmation(invoke: Invoker) -> None:
    invoke.fake.enqueue(answer("git status"))
    terminal, _, err = tty_terminal("y\n")
    result = invoke("fix", "gti status", "--status", "1", terminal=terminal)
    assert result.exit_code == 0
    assert invoke.recorder.commands == ["git status"]
    assert "Run it?" in err.getvalue()
    invoke.fake.enqueue(answer("rm -rf /"))
    blocked = invoke("fix", "--yes", "rm -rf /tmp/x/ /")
    assert blocked.exit_code == ExitStatus.BLOCKED
    assert blocked.stdout == ""
    assert invoke.recorder.commands == ["git status"]


def test_fix_without_a_command_is_a_usage_error(invoke: Invoker) -> None:
    result = invoke("fix")
    assert result.exit_code == ExitStatus.USAGE
    assert "no command to fix" in result.stderr
    assert "cmdai init" in result.stderr


def test_fix_rerun_asks_then_sends_the_error_output(invoke: Invoker, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-file"
    invoke.fake.enqueue(answer(f"touch {missing}"))
    terminal, _, err = tty_terminal("y\n")
    result = invoke("fix", "--rerun", "--dry-run", f"cat {missing}", terminal=terminal)
    assert result.exit_code == 0
    assert "again to show the model its errors?" in err.getvalue()
    request = invoke.fake.history[-1].messages[-1].content
    assert "exit status 1" in request
    assert "Its error output: cat:" in request
    assert "No such file or directory" in request
    # The error output is shown, never stored.
    assert "No such file" not in default_path().read_bytes().decode(errors="replace")


def test_fix_rerun_is_refused_without_a_terminal_or_for_a_blocked_command(
    invoke: Invoker,
) -> None:
    assert invoke("fix", "--rerun", "cat /nonexistent").exit_code == ExitStatus.USAGE
    refused = invoke("fix", "--rerun", "--yes", "rm -rf /")
    assert refused.exit_code == ExitStatus.USAGE
    assert "blocks" in refused.stderr
    terminal, _, _ = tty_terminal("n\n")
    assert invoke("fix", "--rerun", "ls /x", terminal=terminal).exit_code == ExitStatus.USAGE
    assert invoke.fake.history == []


# -- the shell key's command -------------------------------------------------------------------


def test_widget_prints_only_the_command_on_stdout(invoke: Invoker) -> None:
    invoke.fake.enqueue(answer("du -sh .", "Shows the size."))
    result = invoke("widget", "--", "how big is this")
    assert result.exit_code == 0
    assert result.stdout == "du -sh .\n"
    assert "risk: safe" in result.stderr
    assert invoke.recorder.commands == []
    (doc,) = [json.loads(line) for line in invoke("history", "--json").stdout.splitlines()]
    assert (doc["source"], doc["action"]) == ("shell", "shown")


def test_widget_never_prints_a_blocked_command(invoke: Invoker) -> None:
    invoke.fake.enqueue(answer("rm -rf ~"))
    result = invoke("widget", "--", "clean up")
    assert result.exit_code == ExitStatus.BLOCKED
    assert result.stdout == ""
    assert "BLOCKED: rm -rf ~" in result.stderr


def test_widget_on_an_empty_line_fixes_the_last_command(
    invoke: Invoker, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("widget").exit_code == ExitStatus.USAGE
    monkeypatch.setenv("CMDAI_LAST_COMMAND", "sl -la")
    monkeypatch.setenv("CMDAI_LAST_STATUS", "127")
    invoke.fake.enqueue(answer("ls -la"))
    result = invoke("widget")
    assert result.exit_code == 0
    assert result.stdout == "ls -la\n"
    assert "command not found): sl -la" in invoke.fake.history[-1].messages[-1].content


def test_widget_is_hidden_from_help(invoke: Invoker) -> None:
    help_text = invoke("--help").stdout
    assert "widget" not in help_text
    for command in ("history", "explain", "fix", "init"):
        assert command in help_text


def test_cancel_keys_reads_ctrl_c_and_esc_without_signals() -> None:
    import pty
    import termios
    import threading

    for key in (b"\x03", b"\x1b"):
        master, slave = pty.openpty()
        try:
            before = termios.tcgetattr(slave)
            cancelled = threading.Event()
            with cancel_keys(cancelled.set, tty=os.ttyname(slave)) as active:
                assert active
                during = termios.tcgetattr(slave)
                assert not during[3] & termios.ISIG  # Ctrl-C is a key, not a signal
                os.write(master, b"abc")  # other keys are dropped
                assert not cancelled.wait(0.3)
                os.write(master, key)
                assert cancelled.wait(5)
            assert termios.tcgetattr(slave) == before
        finally:
            os.close(master)
            os.close(slave)


def test_cancel_keys_without_a_terminal() -> None:
    with cancel_keys(lambda: None, tty="/nonexistent/tty") as active:
        assert not active


# -- cmdai init --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "bash", "zsh", "fish"),
    [
        ("alt-g", "\\eg", "^[g", "\\eg"),
        ("Ctrl-X  ctrl-g", "\\C-x\\C-g", "^X^G", "\\cx\\cg"),
        ("alt-.", "\\e.", "^[.", "\\e\\."),
    ],
)
def test_parse_key(text: str, bash: str, zsh: str, fish: str) -> None:
    key = parse_key(text)
    assert key is not None
    assert (key.bash, key.zsh, key.fish) == (bash, zsh, fish)


@pytest.mark.parametrize("text", ["g", "alt-", "meta-g", "ctrl-1", "alt-gg", "alt-g;rm"])
def test_parse_key_refuses_what_it_cannot_bind(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_key(text)


def test_parse_key_none() -> None:
    assert parse_key("none") is None
    assert "__cmdai_key=''" in snippet("bash", None)
    assert "typeset -g __cmdai_key=''" in snippet("zsh", None)
    assert "set -g __cmdai_key ''" in snippet("fish", None)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_init_prints_a_snippet_that_parses(invoke: Invoker, shell: str, tmp_path: Path) -> None:
    result = invoke("init", shell)
    assert result.exit_code == 0
    assert "__cmdai_widget" in result.stdout
    assert "_CMDAI_COMPLETE" in result.stdout  # completion for cmdai itself
    assert "@" + "KEY@" not in result.stdout
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    path = tmp_path / f"init.{shell}"
    path.write_text(result.stdout)
    checked = subprocess.run([shell, "-n", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_init_key_from_setting_option_and_none(
    invoke: Invoker, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "__cmdai_key='\\eg'" in invoke("init", "bash").stdout
    monkeypatch.setenv("CMDAI_SHELL_KEY", "ctrl-x ctrl-a")
    assert "__cmdai_key='\\C-x\\C-a'" in invoke("init", "bash").stdout
    assert "__cmdai_key=''" in invoke("init", "bash", "--key", "none").stdout
    assert "set -g __cmdai_key \\ej" in invoke("init", "fish", "--key", "alt-j").stdout
    bad = invoke("init", "zsh", "--key", "hyper-q")
    assert bad.exit_code == ExitStatus.USAGE
    assert "invalid shell_key" in bad.stderr
    assert "_CMDAI_COMPLETE" not in invoke("init", "bash", "--no-completion").stdout


def test_init_is_quick_and_light() -> None:
    heavy = {"llama_cpp", "pydantic", "sqlite_utils", "cmdai.core"}
    assert not cli_in_child(["init", "bash"]).modules & heavy


# -- completion for cmdai's own commands -------------------------------------------------------


def complete(words: str, cword: int) -> list[str]:
    env = {"_CMDAI_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    result = CliRunner().invoke(cli, [], env=env, prog_name="cmdai")
    return [line.split(",", 1)[1] for line in result.output.splitlines()]


def test_completion_of_commands_and_options() -> None:
    commands = complete("cmdai ", 1)
    for name in ("ask", "check", "explain", "fix", "history", "init", "model", "serve"):
        assert name in commands
    assert "widget" not in commands
    assert complete("cmdai init ", 2) == ["bash", "zsh", "fish"]
    assert "--hook" in complete("cmdai check --h", 2)
    assert "clear" in complete("cmdai history ", 2)

"""cmdai as a user meets it: a real process, on a pseudo-terminal and on pipes.

The fake backend is scripted through CMDAI_FAKE_SCRIPT; the only commands that run are the
scripted harmless ones below (echo, sleep), never anything a model generated.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest
from conftest import answer

from cmdai.errors import ExitStatus

Spawn = Callable[..., pexpect.spawn]


@pytest.fixture
def script(tmp_path: Path) -> Callable[..., dict[str, str]]:
    """Write a fake-backend script; return the environment that makes cmdai use it."""

    def make(*items: object) -> dict[str, str]:
        path = tmp_path / "script.json"
        path.write_text(json.dumps(list(items)))
        env = dict(os.environ)
        env.update({"CMDAI_BACKEND": "fake", "CMDAI_FAKE_SCRIPT": str(path), "TERM": "xterm"})
        env.pop("NO_COLOR", None)
        return env

    return make


@pytest.fixture
def spawn(tmp_path: Path) -> Spawn:
    def start(env: dict[str, str], *args: str) -> pexpect.spawn:
        return pexpect.spawn(
            sys.executable,
            ["-m", "cmdai", *args],
            env=env,
            cwd=str(tmp_path),
            encoding="utf-8",
            timeout=20,
            dimensions=(24, 200),
        )

    return start


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus)


def test_yes_runs_the_command(script, spawn: Spawn) -> None:  # type: ignore[no-untyped-def]
    child = spawn(script(answer("echo ran-$((6*7))", "Prints a marker.")), "print a marker")
    child.expect_exact("echo ran-$((6*7))")
    child.expect_exact("Prints a marker.")
    child.expect_exact("Run it? [y]es / [N]o")
    child.sendline("y")
    child.expect_exact("ran-42")
    assert finish(child) == 0


def test_no_does_not_run(script, spawn: Spawn) -> None:  # type: ignore[no-untyped-def]
    child = spawn(script(answer("echo ran-$((6*7))")), "print a marker")
    child.expect_exact("Run it?")
    child.sendline("n")
    child.expect_exact("not run")
    assert "ran-42" not in (child.before or "")
    assert finish(child) == ExitStatus.DECLINED


def test_edit_prefills_the_command(script, spawn: Spawn) -> None:  # type: ignore[no-untyped-def]
    child = spawn(script(answer("echo first")), "say something")
    child.expect_exact("Run it?")
    child.sendline("e")
    child.expect_exact("Edit: ")
    child.expect_exact("echo first")  # readline shows the current command, ready to edit
    child.send("\x15")  # Ctrl-U: clear the line
    child.sendline("echo edited-$((1+1))")
    child.expect_exact("Run it?")
    child.sendline("y")
    child.expect_exact("edited-2")
    assert finish(child) == 0


def test_explain_and_revise(script, spawn: Spawn) -> None:  # type: ignore[no-untyped-def]
    env = script(
        answer("echo all"),
        "echo prints its arguments.",
        answer("echo only-logs", "Prints only logs."),
    )
    child = spawn(env, "show things")
    child.expect_exact("Run it?")
    child.sendline("x")
    child.expect_exact("echo prints its arguments.")
    child.expect_exact("Run it?")
    child.sendline("r")
    child.expect_exact("Revise how?")
    child.sendline("only .log files")
    child.expect_exact("echo only-logs")
    child.expect_exact("Run it?")
    child.sendline("")
    assert finish(child) == ExitStatus.DECLINED


def test_ctrl_c_during_generation(script, spawn: Spawn) -> None:  # type: ignore[no-untyped-def]
    child = spawn(script({"text": answer("echo never"), "delay_s": 30}), "slow request")
    child.expect_exact("thinking")
    child.sendintr()
    child.expect_exact("cmdai: interrupted")
    assert finish(child) == ExitStatus.INTERRUPTED


def test_ctrl_c_reaches_the_running_command(script, spawn: Spawn) -> None:  # type: ignore[no-untyped-def]
    child = spawn(script(answer("sleep 30; echo not-reached")), "wait")
    child.expect_exact("Run it?")
    child.sendline("y")
    child.sendintr()
    assert finish(child) == 130
    assert "not-reached" not in (child.before or "")


def test_blocked_command_is_not_offered(script, spawn: Spawn) -> None:  # type: ignore[no-untyped-def]
    env = script(answer("rm -rf ~", "Deletes your home."))
    child = spawn(env, "clean up")
    child.expect_exact("BLOCKED")  # (the command streamed on the status line before it)
    assert "\x1b[31m" in (child.before or "")[-20:]  # red on a terminal...
    assert finish(child) == ExitStatus.BLOCKED
    child = spawn({**env, "NO_COLOR": "1"}, "clean up")
    child.expect_exact("BLOCKED: rm -rf ~")  # ...and none with NO_COLOR
    assert "\x1b[31m" not in (child.before or "")
    assert finish(child) == ExitStatus.BLOCKED


def run_cmdai(
    env: dict[str, str], *args: str, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cmdai", *args],
        env=env,
        input=stdin,
        capture_output=True,
        timeout=60,
    )


def test_pipes_dry_run(script) -> None:  # type: ignore[no-untyped-def]
    result = run_cmdai(script(answer("ls -lS | head -n 5")), "--dry-run", "five largest files")
    assert result.returncode == 0
    assert result.stdout == b"ls -lS | head -n 5\n"
    assert b"risk: safe" in result.stderr


def test_pipes_never_run_without_yes(script) -> None:  # type: ignore[no-untyped-def]
    result = run_cmdai(script(answer("echo ran-$((6*7))")), "print a marker")
    assert result.returncode == ExitStatus.DECLINED
    assert b"ran-42" not in result.stdout


def test_pipes_yes_runs_and_returns_its_status(script) -> None:  # type: ignore[no-untyped-def]
    result = run_cmdai(script(answer("echo ran-$((6*7)); exit 3")), "--yes", "print and fail")
    assert result.returncode == 3
    assert result.stdout == b"echo ran-$((6*7)); exit 3\nran-42\n"


def test_installed_console_script(script) -> None:  # type: ignore[no-untyped-def]
    exe = Path(sys.executable).parent / "cmdai"
    assert exe.exists(), "pip install -e . installs the cmdai console script"
    result = subprocess.run(
        [str(exe), "--json", "five largest files"],
        env=script(answer("ls -lS | head -n 5")),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["command"] == "ls -lS | head -n 5"


def test_truncated_gguf_is_reported_by_a_real_llama_cpp(tmp_path: Path) -> None:
    model = tmp_path / "broken.gguf"
    # A GGUF v3 header promising 10 tensors and 5 metadata keys, then nothing.
    model.write_bytes(
        b"GGUF" + (3).to_bytes(4, "little") + (10).to_bytes(8, "little") + (5).to_bytes(8, "little")
    )
    env = dict(os.environ, CMDAI_MODEL=str(model))
    result = run_cmdai(env, "--dry-run", "list files")
    assert result.returncode == ExitStatus.MODEL_ERROR
    assert b"cmdai: error: llama.cpp could not load" in result.stderr
    assert b"hint:" in result.stderr
    assert b"Traceback" not in result.stderr
    assert result.stdout == b""

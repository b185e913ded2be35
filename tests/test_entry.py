"""The console-script entry: `--help` and `--version` answered without importing click."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cmdai
from cmdai import entry, help_text
from cmdai.cli import top_level_help, write_help_module
from cmdai.errors import ExitStatus, OutputError
from cmdai.terminal import Terminal

CLICK_MAIN = "from cmdai.cli import main; main()"


def _run(code: str, *args: str, columns: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = columns
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_stored_help_is_what_click_renders_now() -> None:
    assert top_level_help() == help_text.TOP_LEVEL_HELP, (
        "cmdai/help_text.py is stale: python -c 'import cmdai.cli; cmdai.cli.write_help_module()'"
    )


def test_the_generator_writes_the_committed_module(tmp_path: Path) -> None:
    written = write_help_module(tmp_path / "help_text.py")
    committed = Path(help_text.__file__).read_text(encoding="utf-8")
    assert written.read_text(encoding="utf-8") == committed


@pytest.mark.parametrize("columns", ["120", "80", "79", "50", None])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_is_byte_identical_to_click_at_any_width(columns: str | None, flag: str) -> None:
    fast = _run("from cmdai.entry import main; main()", flag, columns=columns)
    slow = _run(CLICK_MAIN, flag, columns=columns)
    assert fast.returncode == slow.returncode == 0
    assert fast.stdout == slow.stdout
    assert fast.stdout.startswith("Usage: cmdai [OPTIONS] COMMAND [ARGS]...")


def test_version_is_click_s_answer() -> None:
    fast = _run("from cmdai.entry import main; main()", "--version", columns=None)
    slow = _run(CLICK_MAIN, "--version", columns=None)
    assert fast.stdout == slow.stdout == f"cmdai {cmdai.__version__}\n"


def test_the_fast_answers_do_not_import_click() -> None:
    probe = (
        "import sys; from cmdai.entry import main; main(); "
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('click', 'pydantic') or m.startswith('cmdai.cli'))))"
    )
    for flag in ("--help", "--version"):
        done = _run(probe, flag, columns="100")
        assert done.returncode == 0, done.stderr
        assert done.stderr == "[]"


def test_everything_else_goes_to_the_click_application() -> None:
    assert entry.fast_answer(["--help", "--traceback"]) is None
    assert entry.fast_answer(["check", "--help"]) is None
    assert entry.fast_answer(["--version", "x"]) is None
    assert entry.fast_answer([]) is None
    done = _run("from cmdai.entry import main; main()", "check", "ls", columns=None)
    assert done.returncode == 0
    assert done.stdout.startswith("allow")


def test_a_narrow_terminal_gets_click_s_own_wrapping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "79")
    assert entry.fast_answer(["--help"]) is None
    monkeypatch.setenv("COLUMNS", "80")
    assert entry.fast_answer(["--help"]) == help_text.TOP_LEVEL_HELP


def test_terminal_columns_reads_columns_then_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "133")
    assert entry.terminal_columns() == 133
    monkeypatch.setenv("COLUMNS", "wide")  # not a number: as shutil, ask the terminal
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((91, 30)))
    assert entry.terminal_columns() == 91
    monkeypatch.setenv("COLUMNS", "0")
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((0, 0)))
    assert entry.terminal_columns() == 80

    def no_terminal(fd: int) -> os.terminal_size:
        raise OSError("not a terminal")

    monkeypatch.setattr(os, "get_terminal_size", no_terminal)
    assert entry.terminal_columns() == 80


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError


def test_a_reader_that_left_ends_quietly_with_141(monkeypatch: pytest.MonkeyPatch) -> None:
    quieted: list[bool] = []
    monkeypatch.setattr(sys, "argv", ["cmdai", "--version"])
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    monkeypatch.setattr(entry, "quiet_stdout", lambda: quieted.append(True))
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    assert stopped.value.code == ExitStatus.OUTPUT_CLOSED == 141
    assert quieted == [True]


def test_help_into_a_closed_pipe_from_a_shell() -> None:
    # The whole help fits a pipe's buffer, so `| head -1` sees no error: the status is 0.
    done = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m cmdai --help | head -1; echo ${{PIPESTATUS[0]}}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout == "Usage: cmdai [OPTIONS] COMMAND [ARGS]...\n0\n"
    assert done.stderr == ""


def _shell(line: str) -> subprocess.CompletedProcess[str]:
    """``line`` in bash, ``cmdai`` being this interpreter's ``-m cmdai``."""
    return subprocess.run(
        ["bash", "-c", line.replace("cmdai", f"{sys.executable} -m cmdai", 1)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    ["--help", "--version", "check ls", "check --json ls", "config", "check --help"],
)
def test_a_full_disk_on_stdout_is_a_clear_error(args: str) -> None:
    done = _shell(f"cmdai {args} > /dev/full")
    assert done.returncode == 1
    assert done.stderr == "cmdai: error: cannot write to standard output: No space left on device\n"


@pytest.mark.parametrize(
    "args", ["--help", "--version", "check ls", "check --json ls", "config", "check --help"]
)
def test_a_closed_stdout_is_a_clear_error(args: str) -> None:
    done = _shell(f"cmdai {args} >&-")
    assert done.returncode == 1
    assert done.stderr == "cmdai: error: cannot write to standard output: it is closed\n"


class _FullDisk(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_terminal_output_says_why_it_could_not_be_written() -> None:
    with pytest.raises(OutputError, match="cannot write to standard output: No space left"):
        Terminal(stdout=_FullDisk()).out("ls")
    with pytest.raises(BrokenPipeError):  # a reader that left is not an error: stopped quietly
        Terminal(stdout=_ClosedPipe()).out("ls")

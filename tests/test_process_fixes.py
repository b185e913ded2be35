"""Processes and jobs (cmdai.process_fixes; the twenty-eighth by-hand round). The fixed
commands are run against processes this test starts."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.checks import command_warnings
from cmdai.context import Workdir


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    """A process that is no child of the shell the fixed commands run in."""
    process = subprocess.Popen(["sleep", "30"])
    yield process
    process.kill()
    process.wait()


def test_a_pid_found_without_grep_itself(tmp_path: Path, sleeper: subprocess.Popen[bytes]) -> None:
    draft = "ps aux | grep sleep | awk '{print $2}'"
    pids = fixed(draft, "show the pid of the process named sleep")
    assert pids == "pgrep -x sleep"
    assert str(sleeper.pid) in run_bash(pids, tmp_path).stdout.split()
    assert (
        fixed("ps aux | grep [s]leep | awk '{print $2}'", "the pid of the process named sleep")
        is None
    )


def test_processes_counted_without_the_title_line(tmp_path: Path) -> None:
    counted = fixed("ps -p 1 | wc -l", "count the processes with pid 1")
    assert counted == "ps -p 1 --no-headers | wc -l"
    assert run_bash(counted, tmp_path).stdout.strip() == "1"
    assert run_bash("ps -p 1 | wc -l", tmp_path).stdout.strip() == "2"
    assert fixed("ps haux | wc -l", "count the processes") is None


def test_memory_held_environment_open_files_and_the_busiest(tmp_path: Path) -> None:
    rss = fixed(f"ps -p {os.getpid()} -o pid,vsz", "how much memory does this process use")
    assert rss == f"ps -p {os.getpid()} -o pid,rss"
    assert run_bash(rss, tmp_path).stdout.split()[:2] == ["PID", "RSS"]
    assert fixed("ps -p 1 -o vsz", "how much virtual memory does it use") is None
    env = fixed(f"ps -p {os.getpid()} -o env", "show the environment variables of this process")
    assert env == f"tr '\\0' '\\n' < /proc/{os.getpid()}/environ"
    assert "error" in run_bash(f"ps -p {os.getpid()} -o env", tmp_path, check=False).stderr
    assert any(line.startswith("PATH=") for line in run_bash(env, tmp_path).stdout.splitlines())
    (tmp_path / "notes.txt").write_text("x\n")
    held = fixed("ps aux | grep notes.txt", "show which program has notes.txt open")
    assert held == "lsof -- notes.txt"
    if shutil.which("lsof"):
        with (tmp_path / "notes.txt").open() as holder:  # this process holds it open
            assert str(os.getpid()) in run_bash(held, tmp_path).stdout
            holder.read()
    busy = fixed("ps aux --sort=-%cpu | head -n 10", "show the processes using more than 50% cpu")
    assert busy == "ps aux | awk 'NR == 1 || $3 > 50'"
    assert run_bash(busy, tmp_path).stdout.startswith("USER")


def test_waiting_for_a_process_that_is_no_child(
    tmp_path: Path, sleeper: subprocess.Popen[bytes]
) -> None:
    pid = sleeper.pid
    draft = f'wait {pid} && echo "done"'
    waits = fixed(draft, f"wait for process {pid} to finish, then print done")
    assert waits == f'while kill -0 {pid} 2>/dev/null; do sleep 1; done; echo "done"'
    assert "not a child" in run_bash(draft, tmp_path, check=False).stderr
    loop = subprocess.Popen(["bash", "-c", waits], stdout=subprocess.PIPE, text=True)
    with pytest.raises(subprocess.TimeoutExpired):
        loop.wait(timeout=1.5)  # still waiting while the process runs
    sleeper.kill()
    sleeper.wait()
    assert loop.communicate(timeout=10)[0] == "done\n"


def test_two_scripts_at_once_and_no_sudo_to_lower_a_priority(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.sh": "#!/bin/sh\necho a\n", "b.sh": "#!/bin/sh\necho b\n"})
    (tmp_path / "a.sh").chmod(0o755)
    both = fixed("sh a.sh &", "run a.sh and b.sh at the same time and wait for both", tmp_path)
    assert both == "./a.sh & sh b.sh & wait"  # b.sh is not executable: sh runs it
    assert sorted(run_bash(both, tmp_path).stdout.split()) == ["a", "b"]
    lower = fixed("sudo nice -n 19 ./a.sh", "run a.sh with low priority", tmp_path)
    assert lower == "nice -n 19 ./a.sh"
    assert run_bash(lower, tmp_path).stdout == "a\n"
    assert command_warnings(lower, "/bin/bash", None, "", Workdir(tmp_path)) == []
    assert fixed("sudo nice -n -5 ./a.sh", "run a.sh with high priority", tmp_path) is None
    assert fixed("nice -n 19 ./a.sh", "run a.sh with low priority", tmp_path) is None

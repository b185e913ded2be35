"""tmux sessions (cmdai.tmux_fixes; the forty-seventh by-hand round). The fixed commands run
against a private tmux server (its own socket, so no session of the user's is touched)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import sure_fixed as fixed

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def test_the_fixes_as_text() -> None:
    assert (
        fixed(
            'tmux start -d build && tmux send-keys -t build "make" Enter',
            "start a detached tmux session called build that runs make",
        )
        == "tmux new-session -d -s build make"
    )
    assert fixed("tmux rename-session work dev", "rename the tmux session work to dev") == (
        "tmux rename-session -t work dev"
    )
    assert fixed("tmux rename-session -t work dev", "rename the tmux session work to dev") is None
    killed = "tmux kill-session -t $(tmux ls | grep -v cur | awk '{print $1}')"
    assert fixed(killed, "kill every tmux session except the current one") == "tmux kill-session -a"
    assert fixed("tmux new -s work", "start a new tmux session called work") is None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[list[str]]:
    socket = tmp_path / "tmux.sock"
    yield ["tmux", "-S", str(socket)]
    subprocess.run(["tmux", "-S", str(socket), "kill-server"], capture_output=True, check=False)


@needs_tmux
def test_the_fixed_commands_do_it(server: list[str]) -> None:
    def tmux(*args: str) -> str:
        done = subprocess.run([*server, *args], capture_output=True, text=True, check=True)
        return done.stdout

    tmux("new-session", "-d", "-s", "build", "sleep 30")  # as the fix writes it
    tmux("rename-session", "-t", "build", "dev")
    tmux("new-session", "-d", "-s", "other", "sleep 30")
    assert sorted(tmux("list-sessions", "-F", "#{session_name}").split()) == ["dev", "other"]
    tmux("kill-session", "-a", "-t", "dev")  # -a: all but the target (the current one)
    assert tmux("list-sessions", "-F", "#{session_name}").split() == ["dev"]

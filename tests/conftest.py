"""Shared fixtures: an isolated user directory for every test, a fake backend, a recorder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cmdai.backends.fake import FakeBackend
from cmdai.cli import cli
from cmdai.core import Engine
from cmdai.execute import RecordingExecutor
from cmdai.prompts import Environment, get_template
from cmdai.safety import PatternValidator
from cmdai.settings import Settings
from cmdai.terminal import Terminal


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No test touches the real config, model cache or warm server, or inherits CMDAI_* settings."""
    for var in list(os.environ):
        if var.startswith("CMDAI_") or var == "NO_COLOR":
            monkeypatch.delenv(var)
    home = tmp_path / "user"
    monkeypatch.setenv("CMDAI_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("CMDAI_CACHE_DIR", str(home / "cache"))
    # The warm server's socket, lock and log: no test talks to a real user's server.
    monkeypatch.setenv("CMDAI_RUNTIME_DIR", str(home / "run"))
    # `server = "auto"` (the default) starts a warm server after a request; a test that means
    # it says so (tests/test_server.py), the rest answer in-process and leave nothing running.
    monkeypatch.setenv("CMDAI_SERVER", "off")
    # Nor does a test's server start the helper that requests are handed to (tests/test_helper.py).
    monkeypatch.setenv("CMDAI_HELPER", "off")
    # The history database: no test writes to a real user's.
    monkeypatch.setenv("CMDAI_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("SHELL", "/bin/bash")
    return home


def answer(
    command: str = "ls -la", explanation: str = "Lists files.", kind: str = "command"
) -> str:
    """A raw model answer in the exact form constrained decoding produces."""
    return json.dumps({"kind": kind, "command": command, "explanation": explanation})


def assert_pitfall(
    engine: Engine,
    fake: FakeBackend,
    command: str,
    label: str,
    expected: str | None,
    request: str = "do the task",
) -> None:
    """The draft ``command`` gets one warning labelled ``label`` that contains ``expected``.

    None: no such warning. When a check asks the model again, it repeats the draft.
    """
    fake.enqueue(answer(command))
    fake.enqueue(answer(command))
    found = [w for w in engine.propose(request).warnings if w.startswith(label)]
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1
        assert expected in found[0]


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write each text under ``root`` at its relative path, making the folders; ``root``."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def sure_fixed(command: str, request: str, where: Path | None = None) -> str | None:
    """The sure fix of ``command`` for ``request`` in ``where`` (None: none), its note checked."""
    from cmdai.context import Workdir
    from cmdai.sure_fixes import sure_fix

    found = sure_fix(command, request, Workdir(where) if where else None)
    if found is not None:
        assert found[1].startswith("fixed here: ")
    return found[0] if found else None


def run_bash(command: str, where: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a fixed command with bash in ``where`` (a copy when it changes files), as cmdai does."""
    return subprocess.run(
        ["bash", "-c", command], cwd=where, capture_output=True, text=True, check=check, timeout=30
    )


def assert_fixed(
    engine: Engine, fake: FakeBackend, command: str, request: str, fixed: str | None, note: str
) -> None:
    """The draft ``command`` comes back as ``fixed``, with a warning starting ``note``.

    Fixed here, so with no second generation; ``fixed`` None: as it was, with no such warning.
    """
    fake.enqueue(answer(command))
    fake.enqueue(answer(command))  # should the check ask again instead: the same draft
    before = len(fake.history)
    proposal = engine.propose(request)
    assert proposal.command == (fixed or command)
    assert any(w.startswith(note) for w in proposal.warnings) is (fixed is not None)
    if fixed is not None:
        assert len(fake.history) == before + 1  # sure: the model is not asked again


@pytest.fixture
def fake() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def recorder() -> RecordingExecutor:
    return RecordingExecutor()


@pytest.fixture
def engine(fake: FakeBackend) -> Engine:
    return Engine(
        settings=Settings(backend="fake"),
        backend=fake,
        validator=PatternValidator(),
        template=get_template("default"),
        env=Environment("Linux (Test)", "GNU coreutils", "bash", "/home/user/project"),
        shell="/bin/bash",
    )


class Invoker:
    """Runs the real click entry point with a fake backend and a recording executor."""

    def __init__(self, fake: FakeBackend, recorder: RecordingExecutor) -> None:
        self.fake = fake
        self.recorder = recorder

    def __call__(
        self,
        *args: str,
        input: str | bytes | None = None,
        terminal: Terminal | None = None,
        real_backend: bool = False,
    ) -> Result:
        obj: dict[str, Any] = {"executor": self.recorder}
        if not real_backend:
            obj["backend"] = self.fake
        if terminal is not None:
            obj["terminal"] = terminal
        return CliRunner().invoke(cli, list(args), input=input, obj=obj, catch_exceptions=False)


@pytest.fixture
def invoke(fake: FakeBackend, recorder: RecordingExecutor) -> Invoker:
    return Invoker(fake, recorder)


_CHILD_MARK = "\n@@cmdai-child@@"


@dataclass(frozen=True)
class ChildRun:
    """What ``cmdai ARGV`` did in a new interpreter."""

    lines: list[str]
    """Its standard output, line by line."""
    status: int | str | None
    """Its exit status (``SystemExit.code``)."""
    modules: frozenset[str]
    """Every module it had imported when it ended."""
    stderr: str


def cli_in_child(
    argv: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float = 60.0
) -> ChildRun:
    """Run the CLI with ``argv`` in a new interpreter: what a start-up cost test needs to see."""
    code = (
        "import json, sys\n"
        "from cmdai.cli import cli\n"
        "status = 0\n"
        "try:\n"
        f"    cli({list(argv)!r}, prog_name='cmdai')\n"
        "except SystemExit as exc:\n"
        "    status = exc.code\n"
        f"sys.stderr.write({_CHILD_MARK!r} + json.dumps([status, sorted(sys.modules)]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=None if env is None else dict(env),
        capture_output=True,
        text=True,
        check=True,
        timeout=timeout,
    )
    stderr, _, report = result.stderr.rpartition(_CHILD_MARK)
    status, modules = json.loads(report)
    return ChildRun(result.stdout.splitlines(), status, frozenset(modules), stderr)

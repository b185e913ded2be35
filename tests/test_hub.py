"""Hub downloads against a real HTTP server on 127.0.0.1 that speaks the hub's protocol.

See ``hubserver.py`` for what huggingface_hub expects of the hub. Nothing leaves 127.0.0.1:
``HF_ENDPOINT`` points at the local server and ``HF_HOME`` at a temporary directory.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from conftest import Invoker
from hubserver import HubState, serve_hub, unused_port

from cmdai.errors import (
    ExitStatus,
    ModelCorruptError,
    ModelDownloadError,
    ModelError,
    ModelMissingError,
)
from cmdai.models import (
    DEFAULT_MODEL_NAME,
    REGISTRY,
    HubFile,
    HubSource,
    ModelSpec,
    gguf,
    models_dir,
    resolve_model,
)
from cmdai.terminal import Terminal

REPO = "cmdai-test/tiny-GGUF"
TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
)


def make_gguf(tmp_path: Path, **extra: Any) -> bytes:
    """A small real GGUF: a header and metadata cmdai checks, padded to 256 KB."""
    meta: dict[str, Any] = {
        "general.architecture": "qwen2",
        "general.name": "Tiny Test",
        "qwen2.context_length": 4096,
        "general.file_type": 15,
        "tokenizer.ggml.tokens": [f"tok{i}" for i in range(100)],
        "tokenizer.chat_template": TEMPLATE,
    }
    meta.update(extra)
    path = tmp_path / "made.gguf"
    gguf.write_gguf(path, {k: v for k, v in meta.items() if v is not None}, {"w": [16, 8]})
    data = path.read_bytes()
    return data + b"\0" * (256 * 1024 - len(data))


class Hub(NamedTuple):
    state: HubState
    endpoint: str
    spec: ModelSpec
    data: bytes
    cache: Path


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_user_dirs: Path) -> Iterator[Hub]:
    data = make_gguf(tmp_path)
    state = HubState()
    state.add(REPO, "tiny.gguf", data)
    spec = dataclasses.replace(
        REGISTRY[DEFAULT_MODEL_NAME],
        name="tiny",
        filename="tiny.gguf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        pypi_parts=None,
        hub=HubFile(REPO, "tiny.gguf"),
    )
    monkeypatch.setitem(REGISTRY, "tiny", spec)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    from huggingface_hub import constants

    # httpx hands http_get 10 MB chunks; bytes of an unfinished chunk are lost on a drop, so
    # use small ones to drop (and resume) mid-file in a 256 KB file.
    monkeypatch.setattr(constants, "DOWNLOAD_CHUNK_SIZE", 16 * 1024)
    with serve_hub(state) as endpoint:
        monkeypatch.setenv("HF_ENDPOINT", endpoint)
        yield Hub(state, endpoint, spec, data, isolated_user_dirs / "cache")


def dest_of(hub: Hub) -> Path:
    return models_dir(hub.cache) / hub.spec.filename


def leftovers(hub: Hub) -> list[str]:
    folder = models_dir(hub.cache)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_download_with_progress_redirect_and_stamp(hub: Hub) -> None:
    seen: list[tuple[int, int]] = []
    HubSource().fetch(hub.spec, dest_of(hub), lambda d, t: seen.append((d, t)))
    assert dest_of(hub).read_bytes() == hub.data
    assert seen[0] == (0, len(hub.data))
    assert seen[-1] == (len(hub.data), len(hub.data))
    assert leftovers(hub) == ["tiny.gguf", "tiny.gguf.verified"]
    methods = [(m, p.split("/")[1]) for m, p, _ in hub.state.requests]
    assert methods == [("HEAD", "cmdai-test"), ("GET", "cdn")]  # HEAD on the hub, GET on the CDN


def test_download_without_redirect(hub: Hub) -> None:
    hub.state.redirect = False
    HubSource(endpoint=hub.endpoint).fetch(hub.spec, dest_of(hub), None)
    assert dest_of(hub).read_bytes() == hub.data


def test_connection_dropped_mid_file_is_resumed_with_a_range_request(hub: Hub) -> None:
    hub.state.drop_after = 100_000
    HubSource().fetch(hub.spec, dest_of(hub), None)
    assert dest_of(hub).read_bytes() == hub.data
    gets = [rng for m, _, rng in hub.state.requests if m == "GET"]
    assert gets[0] is None
    assert len(gets) == 2
    resumed_at = int(str(gets[1]).removeprefix("bytes=").removesuffix("-"))
    assert 0 < resumed_at <= 100_000


def test_interrupted_download_resumes_on_the_next_run(hub: Hub) -> None:
    def interrupt(done: int, total: int) -> None:
        if done > 120_000:  # the second body: the first 120,000 bytes are on disk
            raise KeyboardInterrupt

    hub.state.drop_after = 120_000  # the first body stops here and is resumed in-call
    with pytest.raises(KeyboardInterrupt):
        HubSource().fetch(hub.spec, dest_of(hub), interrupt)
    assert not dest_of(hub).exists()
    [partial] = [n for n in leftovers(hub) if n.endswith(".partial")]
    kept = (models_dir(hub.cache) / partial).stat().st_size
    assert 0 < kept <= 120_000
    hub.state.requests.clear()
    HubSource().fetch(hub.spec, dest_of(hub), None)
    assert dest_of(hub).read_bytes() == hub.data
    assert ("GET", f"bytes={kept}-") in [(m, r) for m, _, r in hub.state.requests]
    assert leftovers(hub) == ["tiny.gguf", "tiny.gguf.verified"]


def test_hub_announcing_another_sha256_is_rejected_before_downloading(hub: Hub) -> None:
    hub.state.announced_sha = "f" * 64
    with pytest.raises(ModelCorruptError, match="not the file cmdai expects"):
        HubSource().fetch(hub.spec, dest_of(hub), None)
    assert not any(m == "GET" for m, _, _ in hub.state.requests)
    assert leftovers(hub) == []


def test_bytes_not_matching_the_registry_sha256_are_rejected_and_removed(hub: Hub) -> None:
    wrong = hub.data[:-1] + b"X"
    hub.state.add(REPO, "tiny.gguf", wrong)
    hub.state.announced_sha = hub.spec.sha256  # the hub claims the right file, serves another
    with pytest.raises(ModelCorruptError, match="does not match the registry"):
        HubSource().fetch(hub.spec, dest_of(hub), None)
    assert leftovers(hub) == []


def test_missing_file_is_a_404_model_missing_error(hub: Hub) -> None:
    spec = dataclasses.replace(hub.spec, hub=HubFile(REPO, "nope.gguf"))
    with pytest.raises(ModelMissingError, match=r"has no file .*nope.gguf \(HTTP 404\)"):
        HubSource().fetch(spec, dest_of(hub), None)
    other = dataclasses.replace(hub.spec, hub=HubFile("nobody/nothing", "x.gguf"))
    with pytest.raises(ModelMissingError, match="no accessible repository"):
        HubSource().fetch(other, dest_of(hub), None)
    assert leftovers(hub) == []


def test_server_down_is_a_download_error_with_a_hint(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{unused_port()}")
    with pytest.raises(ModelDownloadError, match="cannot download") as info:
        HubSource().fetch(hub.spec, dest_of(hub), None)
    assert "network" in info.value.hint


def test_not_enough_disk_space_is_checked_before_downloading(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    usage = shutil.disk_usage("/")
    monkeypatch.setattr(
        "cmdai.models.verify.shutil.disk_usage", lambda _: usage._replace(free=hub.spec.size // 2)
    )
    with pytest.raises(ModelError, match="not enough free space"):
        HubSource().fetch(hub.spec, dest_of(hub), None)
    assert not any(m == "GET" for m, _, _ in hub.state.requests)
    assert leftovers(hub) == []


def test_resolution_downloads_only_when_confirmed(hub: Hub) -> None:
    with pytest.raises(ModelMissingError, match="not installed") as info:
        resolve_model("tiny", cache_dir=hub.cache)  # no confirm: never downloads
    assert "cmdai model download tiny" in info.value.hint
    assert hub.state.requests == []
    asked: list[str] = []
    got = resolve_model(
        "tiny", cache_dir=hub.cache, confirm=lambda spec, src: asked.append(spec.name) or True
    )
    assert (got.origin, got.sha256, asked) == ("hub", hub.spec.sha256, ["tiny"])


def test_offline_uses_the_cache_and_never_the_network(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    HubSource().fetch(hub.spec, dest_of(hub), None)
    hub.state.requests.clear()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    got = resolve_model("tiny", cache_dir=hub.cache, confirm=lambda *_: True)
    assert got.origin == "cache"
    dest_of(hub).unlink()
    with pytest.raises(ModelMissingError, match="offline"):
        resolve_model("tiny", cache_dir=hub.cache, confirm=lambda *_: True)
    with pytest.raises(ModelMissingError, match="offline"):
        HubSource().fetch(hub.spec, dest_of(hub), None)
    assert hub.state.requests == []


def test_user_repo_file_reference_is_downloaded_and_verified(hub: Hub) -> None:
    ref = f"{REPO}:tiny.gguf"
    with pytest.raises(ModelMissingError, match="not downloaded"):
        resolve_model(ref, cache_dir=hub.cache)
    got = resolve_model(ref, cache_dir=hub.cache, confirm=lambda *_: True)
    assert got.path.read_bytes() == hub.data
    assert got.sha256 == hub.spec.sha256
    again = resolve_model(ref, cache_dir=hub.cache, offline=True)
    assert (again.origin, again.path) == ("cache", got.path)


def test_a_hub_name_resolves_as_its_reference_verified_by_the_hubs_sha256(
    hub: Hub, monkeypatch: pytest.MonkeyPatch, invoke: Invoker
) -> None:
    """HUB_NAMES (the 3B and 7B models): a name for a hub file cmdai pins no sha256 for."""
    from cmdai.models import HUB_NAMES

    monkeypatch.setitem(HUB_NAMES, "tiny-by-name", HubFile(REPO, "tiny.gguf"))
    listed = invoke("model", "list").stdout
    assert re.search(r"tiny-by-name +\? GB +not installed +hub", listed), listed
    with pytest.raises(ModelMissingError, match="not downloaded"):
        resolve_model("tiny-by-name", cache_dir=hub.cache)
    result = invoke("model", "download", "tiny-by-name")
    assert result.exit_code == ExitStatus.SUCCESS, result.stderr
    got = resolve_model("tiny-by-name", cache_dir=hub.cache, offline=True)
    assert got.path.read_bytes() == hub.data
    assert got.sha256 == hashlib.sha256(hub.data).hexdigest()
    listed = invoke("model", "list").stdout
    assert re.search(r"tiny-by-name +0\.00 GB +installed +hub", listed), listed
    assert f"{REPO}:tiny.gguf" not in listed  # the same file is not listed twice


# -- the CLI: cmdai model ..., the first-run offer, --offline -----------------------------------


def tty(reply: str) -> tuple[Terminal, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    terminal = Terminal(io.StringIO(reply), out, err, stdin_tty=True, stdout_tty=True)
    terminal.stderr_tty = False
    return terminal, out, err


def test_cli_model_download_info_verify_remove(hub: Hub, invoke: Invoker) -> None:
    result = invoke("model", "list")
    assert result.exit_code == ExitStatus.SUCCESS
    assert f"* {DEFAULT_MODEL_NAME}" in result.stdout
    assert "tiny" in result.stdout
    assert "not installed" in result.stdout

    result = invoke("model", "download", "tiny")
    assert result.exit_code == ExitStatus.SUCCESS, result.stderr
    assert "downloaded and verified tiny" in result.stderr
    assert result.stdout == ""  # quiet without a terminal: no progress bar
    assert invoke("model", "download", "tiny").exit_code == ExitStatus.SUCCESS  # already there

    result = invoke("model", "info", "tiny")
    assert result.exit_code == ExitStatus.SUCCESS
    for line in ("architecture:", "qwen2", "Q4_K_M", "context length:", "4096", "present"):
        assert line in result.stdout
    assert re.search(r"^verified: +verified$", result.stdout, re.MULTILINE)
    doc = json.loads(invoke("model", "info", "tiny", "--json").stdout)
    assert (doc["name"], doc["installed"], doc["size"]) == ("tiny", True, hub.spec.size)
    assert (doc["quantization"], doc["context_length"], doc["verified"]) == (
        "Q4_K_M",
        4096,
        "verified",
    )
    listed = json.loads(invoke("model", "list", "--json").stdout)
    tiny = next(m for m in listed if m["name"] == "tiny")
    assert tiny["installed"] is True
    assert tiny["size_bytes"] == hub.spec.size
    assert next(m for m in listed if m["in_use"])["name"] == DEFAULT_MODEL_NAME

    result = invoke("model", "verify", "tiny")
    assert (result.exit_code, result.stdout) == (0, f"ok tiny {hub.spec.sha256}\n")
    path = dest_of(hub)
    path.write_bytes(hub.data[:-1] + b"Z")
    result = invoke("model", "verify")
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert "FAILED tiny" in result.stdout

    assert invoke("model", "remove", "tiny").exit_code == ExitStatus.SUCCESS
    assert leftovers(hub) == []
    assert invoke("model", "remove", "tiny").exit_code == ExitStatus.MODEL_ERROR
    assert invoke("model", "verify", "tiny").exit_code == ExitStatus.MODEL_ERROR


def test_cli_model_download_errors(
    hub: Hub, invoke: Invoker, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = invoke("model", "download", "gpt5")
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert "unknown model 'gpt5'" in result.stderr
    result = invoke("model", "download", f"{REPO}:missing.gguf")
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert "HTTP 404" in result.stderr
    result = invoke("model", "download", "qwen2.5-coder-0.5b")  # no hub location known
    assert result.exit_code == ExitStatus.USAGE
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{unused_port()}")
    result = invoke("model", "download", "tiny")
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert "cannot download" in result.stderr
    assert "hint:" in result.stderr
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = invoke("model", "download", "tiny")
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert "offline" in result.stderr


def test_cli_model_use_writes_the_config(
    hub: Hub, invoke: Invoker, isolated_user_dirs: Path, tmp_path: Path
) -> None:
    config = isolated_user_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('# mine\nsafety_mode = "strict"\nmodel = "old"\n')
    result = invoke("model", "use", "tiny")
    assert result.exit_code == ExitStatus.SUCCESS
    assert config.read_text() == '# mine\nsafety_mode = "strict"\nmodel = "tiny"\n'
    local = tmp_path / "mine.gguf"
    local.write_bytes(hub.data)
    assert invoke("model", "use", str(local)).exit_code == ExitStatus.SUCCESS
    assert f'model = "{local}"' in config.read_text()
    no_template = tmp_path / "bare.gguf"
    no_template.write_bytes(make_gguf(tmp_path, **{"tokenizer.chat_template": None}))
    result = invoke("model", "use", str(no_template))
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert "no chat template" in result.stderr
    assert invoke("model", "use", "gpt5").exit_code == ExitStatus.MODEL_ERROR
    assert "old" not in config.read_text()


def test_missing_model_without_a_terminal_names_the_download_command(
    hub: Hub, invoke: Invoker
) -> None:
    result = invoke("--model", "tiny", "-n", "ls", real_backend=True)
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert "cmdai model download tiny" in result.stderr
    result = invoke("--offline", "--model", "tiny", "-n", "ls", real_backend=True)
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert "offline" in result.stderr
    assert hub.state.requests == []


def test_first_run_on_a_terminal_offers_the_download(hub: Hub, invoke: Invoker) -> None:
    terminal, _, err = tty("n\n")
    result = invoke("--model", "tiny", "-n", "ls", terminal=terminal, real_backend=True)
    assert result.exit_code == ExitStatus.MODEL_ERROR
    assert f"Download it from Hugging Face ({hub.spec.size / 1e9:.1f} GB)? [Y/n]" in err.getvalue()
    assert hub.state.requests == []
    terminal, _, err = tty("\n")  # Enter means yes
    invoke("--model", "tiny", "-n", "ls", terminal=terminal, real_backend=True)
    assert dest_of(hub).read_bytes() == hub.data  # then llama.cpp gets the (weightless) file


def test_offline_flag_uses_a_cached_model(hub: Hub, invoke: Invoker) -> None:
    HubSource().fetch(hub.spec, dest_of(hub), None)
    hub.state.requests.clear()
    from cmdai.cli.runtime import ensure_model
    from cmdai.settings import load_settings

    terminal, _, _ = tty("")
    ensure_model(load_settings({"model": "tiny"}), terminal, offline=True)  # no error
    assert hub.state.requests == []

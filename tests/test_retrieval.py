"""Retrieved few-shot examples (BM25) and the prompt templates that use them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from conftest import answer

from cmdai.backends.fake import FakeBackend
from cmdai.core import Engine, create_engine
from cmdai.errors import ConfigError
from cmdai.prompts import Example, get_template
from cmdai.retrieval import BM25Retriever, corpus_retriever, load_examples, tokens
from cmdai.schema import ModelAnswer
from cmdai.settings import Settings


def _example(request: str, command: str) -> Example:
    return Example(request, ModelAnswer(kind="command", command=command, explanation=""))


CORPUS = [
    _example("list all files including hidden ones", "ls -a"),
    _example("count the lines in a file", "wc -l file"),
    _example("show disk usage of a directory", "du -sh dir"),
    _example("extract a tar.gz archive", "tar -xzf archive.tar.gz"),
    _example("create a tar.gz archive from a directory", "tar -czf out.tar.gz dir"),
]


def test_tokens_drop_function_words_and_case() -> None:
    assert tokens("Show THE size of a Directory") == ["show", "size", "directory"]


def test_bm25_ranks_the_matching_examples_first() -> None:
    retriever = BM25Retriever(CORPUS)
    assert len(retriever) == 5
    best = retriever.nearest("unpack this tar.gz archive please", 2)
    assert [e.answer.command for e in best] == [
        "tar -xzf archive.tar.gz",
        "tar -czf out.tar.gz dir",
    ]
    assert retriever.nearest("how many lines does it have", 1)[0].answer.command == "wc -l file"


def test_bm25_rare_terms_outweigh_common_ones() -> None:
    retriever = BM25Retriever(CORPUS)
    # "archive" occurs twice in the corpus, "extract" once: the rarer term decides.
    assert retriever.nearest("extract archive", 1)[0].request == "extract a tar.gz archive"


def test_bm25_without_overlap_returns_nothing() -> None:
    assert BM25Retriever(CORPUS).nearest("zzz qqq", 3) == ()


def test_load_examples_reads_a_jsonl_corpus(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    rows = [
        {"request": "list files", "command": "ls"},
        {"request": "where am i", "references": ["pwd", "echo $PWD"], "source": "tldr"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    examples = load_examples(path)
    assert [e.answer.command for e in examples] == ["ls", "pwd"]
    assert corpus_retriever(path).nearest("list my files", 1)[0].answer.command == "ls"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ('{"request": "x"}\n', "line 1: not a request/command example"),
        ("not json\n", "line 1"),
        ('{"request": 1, "command": "ls"}\n', "line 1"),
        ('{"request": "x", "references": []}\n', "line 1"),
    ],
)
def test_bad_corpus_files_are_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_examples(path)


def test_missing_corpus_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the examples file"):
        load_examples(tmp_path / "nope.jsonl")


def test_retrieved_examples_follow_the_fixed_ones(engine: Engine, fake: FakeBackend) -> None:
    template = get_template("retrieved")
    engine = dataclasses.replace(engine, template=template, retriever=BM25Retriever(CORPUS))
    fake.enqueue(answer("tar -xzf logs.tar.gz", "Extracts it."))
    engine.propose("extract logs.tar.gz")
    request = fake.history[-1]
    fixed = 1 + 2 * len(template.examples)
    # The cacheable prefix is only the system prompt and the fixed examples.
    assert request.stable_prefix == fixed
    # Only the two tar examples share a word with the request; nothing unrelated is padded in.
    retrieved = request.messages[fixed:-1]
    assert [m.content.split("\n")[0] for m in retrieved[::2]] == [
        "extract a tar.gz archive",
        "create a tar.gz archive from a directory",
    ]
    assert json.loads(retrieved[1].content)["command"] == "tar -xzf archive.tar.gz"
    assert request.messages[-1].content.startswith("extract logs.tar.gz")


def test_retrieved_template_without_a_corpus_is_a_config_error(
    engine: Engine, fake: FakeBackend
) -> None:
    engine = dataclasses.replace(engine, template=get_template("retrieved"))
    with pytest.raises(ConfigError, match="needs a corpus"):
        engine.propose("extract logs.tar.gz")
    assert fake.history == []


def test_create_engine_loads_the_corpus_from_settings(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(json.dumps({"request": "list files", "command": "ls"}) + "\n")
    settings = Settings(backend="fake", prompt="retrieved", examples_file=str(path))
    engine = create_engine(settings, FakeBackend(), shell="/bin/bash")
    assert isinstance(engine.retriever, BM25Retriever)
    assert engine.template.id == "retrieved@1"
    assert create_engine(Settings(backend="fake"), FakeBackend()).retriever is None


def test_brief_template_leaves_explanations_to_on_demand() -> None:
    brief = get_template("brief")
    commands = [e for e in brief.examples if e.answer.kind == "command"]
    declines = [e for e in brief.examples if e.answer.kind != "command"]
    assert commands
    assert all(e.answer.explanation == "" for e in commands)
    assert declines
    assert all(e.answer.explanation for e in declines)  # a decline still says why
    assert '"explanation" is ""' not in brief.system
    assert 'explanation is ""' in brief.system
    assert [e.request for e in brief.examples] == [
        e.request for e in get_template("default").examples
    ]


def test_usable_here_skips_examples_of_programs_missing_here_unless_the_request_names_them() -> (
    None
):
    from cmdai.retrieval import usable_here

    corpus = [
        _example("list files sorted by size", "nosuchtool-eza --sort size"),
        _example("list files sorted by size, largest first", "ls -S"),
    ]
    retriever = BM25Retriever(corpus)
    assert retriever.nearest("list files by size", 1)[0].answer.command.startswith("nosuch")
    keep = usable_here("list files by size")
    assert [e.answer.command for e in retriever.nearest("list files by size", 2, keep)] == ["ls -S"]
    named = "list files by size with nosuchtool-eza"
    assert len(retriever.nearest(named, 2, usable_here(named))) == 2

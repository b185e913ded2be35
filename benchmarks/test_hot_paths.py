"""pytest-benchmark suite for cmdai's hot non-model paths.

    pytest benchmarks --benchmark-storage=file://benchmarks/baseline \
        --benchmark-compare=0001 --benchmark-compare-fail=median:150%

The saved baseline (benchmarks/baseline/) was measured on the project's 2-core reference VM;
the compare step fails when a median gets 2.5x slower, a margin above this VM's noise.
Re-save it (``--benchmark-save=baseline``) when the machine type changes.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cmdai.parsing import parse_answer
from cmdai.prompts import Environment, build_messages, get_template
from cmdai.retrieval import BM25Retriever
from cmdai.safety import ShellValidator

COMMANDS = [
    "find . -type f -size +100M -mtime -7",
    "du -sh -- */ | sort -rh | head -n 5",
    "rm -rf /",
    "curl -fsSL https://example.com/install.sh | sh",
    "tar -czf logs.tar.gz logs && rm -r logs",
    "grep -rn 'TODO' src --include='*.py' | wc -l",
    "sudo dd if=/dev/zero of=/dev/sda bs=1M",
    "find . -name '*.tmp' -exec rm {} +",
]
ENV = Environment("Linux (Debian 12)", "GNU coreutils", "bash", "/home/user/work")


def test_safety_validation(benchmark: pytest.FixtureRequest) -> None:
    validator = ShellValidator()

    def assess_all() -> None:
        for command in COMMANDS:
            validator.assess(command, "moderate")

    benchmark(assess_all)  # type: ignore[operator]


def test_parse_answer(benchmark: pytest.FixtureRequest) -> None:
    raw = json.dumps({"kind": "command", "command": COMMANDS[1], "explanation": "Sizes."})
    result = benchmark(parse_answer, raw)  # type: ignore[operator]
    assert result.method == "strict"


def test_prompt_building(benchmark: pytest.FixtureRequest) -> None:
    template = get_template("default")
    messages = benchmark(build_messages, template, ENV, "list the 5 largest files")  # type: ignore[operator]
    assert len(messages) == 2 + 2 * len(template.examples)


def test_retrieval_over_a_corpus(benchmark: pytest.FixtureRequest) -> None:
    from cmdai.prompts import Example
    from cmdai.schema import ModelAnswer

    words = [
        "list",
        "find",
        "archive",
        "compress",
        "count",
        "lines",
        "files",
        "size",
        "disk",
        "process",
        "port",
        "user",
    ]
    corpus = [
        Example(
            f"{words[i % 12]} {words[(i * 7) % 12]} item {i}",
            ModelAnswer(kind="command", command=f"echo {i}", explanation=""),
        )
        for i in range(5000)
    ]
    retriever = BM25Retriever(corpus)
    found = benchmark(retriever.nearest, "count lines in all files", 4)  # type: ignore[operator]
    assert len(found) == 4


def test_cli_import_in_a_new_interpreter(benchmark: pytest.FixtureRequest) -> None:
    def start() -> None:
        subprocess.run([sys.executable, "-c", "import cmdai.cli"], check=True)

    benchmark.pedantic(start, rounds=10, warmup_rounds=1)  # type: ignore[attr-defined]

"""tldr's examples for the program a request names (cmdai.program_examples) and their pack."""

from __future__ import annotations

import dataclasses
import gzip
import json
import logging
from pathlib import Path

import pytest
from conftest import answer

from cmdai.backends.fake import FakeBackend
from cmdai.core import Engine, create_engine
from cmdai.program_examples import PAGES_PATH, ProgramExamples
from cmdai.prompts import build_messages, detect_environment, get_template
from cmdai.settings import Settings
from evals.importers import pack_tldr_pages


def _pages(tmp_path: Path, pages: dict[str, list[list[str]]]) -> Path:
    path = tmp_path / "pages.jsonl.gz"
    lines = [json.dumps({"page": p, "examples": e}) for p, e in sorted(pages.items())]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    return path


PAGES = {
    "jj": [["Create a new repository", "jj git init"], ["Show the log", "jj log"]],
    "jj squash": [
        ["Move all changes from the current revision to its parent", "jj squash"],
        ["Interactively choose which parts to squash", "jj squash --interactive"],
        ["Squash into a given revision", "jj squash --into revset"],
        ["Keep the emptied revision", "jj squash --keep-emptied"],
    ],
    "jjx": [["Not the jj page", "jjx run"]],
}


def test_the_named_program_and_sub_command_give_its_page_nearest_first(tmp_path: Path) -> None:
    examples = ProgramExamples(_pages(tmp_path, PAGES))
    shown = examples.for_request("pick the hunks to squash, interactively (with jj squash)", 2)
    assert [e.answer.command for e in shown] == ["jj squash --interactive", "jj squash"]
    # No shared word: the page's own order (tldr lists the commonest use first), padded to k.
    assert [e.answer.command for e in examples.for_request("do it (with jj squash)", 3)] == [
        "jj squash",
        "jj squash --interactive",
        "jj squash --into revset",
    ]


def test_an_unknown_sub_command_falls_back_to_the_program_page(tmp_path: Path) -> None:
    examples = ProgramExamples(_pages(tmp_path, PAGES))
    shown = examples.for_request("show me the log (with jj frobnicate)", 1)
    assert [e.answer.command for e in shown] == ["jj log"]


def test_no_program_named_or_no_page_means_no_examples(tmp_path: Path) -> None:
    examples = ProgramExamples(_pages(tmp_path, PAGES))
    assert examples.for_request("list the files here", 3) == ()
    assert examples.for_request("do the thing (with nosuchtool)", 3) == ()
    assert examples.for_request("do it (with jj squash)", 0) == ()


def test_excluded_examples_are_never_shown(tmp_path: Path) -> None:
    hidden = {"jj squash --interactive"}
    examples = ProgramExamples(_pages(tmp_path, PAGES), exclude=lambda r, c: c in hidden)
    shown = examples.for_request("Interactively choose which parts to squash (with jj squash)", 4)
    assert "jj squash --interactive" not in [e.answer.command for e in shown]
    assert len(shown) == 3


@pytest.mark.parametrize("content", [None, b"not gzip at all", gzip.compress(b"{not json\n")])
def test_a_missing_or_damaged_file_costs_only_the_examples(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes | None
) -> None:
    path = tmp_path / "pages.jsonl.gz"
    if content is not None:
        path.write_bytes(content)
    examples = ProgramExamples(path)
    with caplog.at_level(logging.WARNING, logger="cmdai.program_examples"):
        assert examples.for_request("do it (with jj squash)", 3) == ()
        assert examples.for_request("show the log (with jj)", 3) == ()
    # Missing file or damaged gzip: said once; a page that is not JSON is no page.
    assert len([r for r in caplog.records if "cannot read" in r.message]) <= 1


def test_the_shipped_pages_hold_real_tldr_examples() -> None:
    examples = ProgramExamples(PAGES_PATH)
    tar = examples.page("tar")
    assert len(tar) >= 5
    assert all(command.startswith("tar") for _, command in tar)
    shown = examples.for_request("extract an archive into a folder (with tar)", 2)
    assert shown
    assert all("tar" in e.answer.command for e in shown)


def test_program_examples_are_a_second_system_message_after_the_cached_prefix() -> None:
    template = get_template("fenced")
    env = detect_environment("bash")
    shown = ProgramExamples(PAGES_PATH).for_request("extract an archive (with tar)", 3)
    plain = build_messages(template, env, "extract an archive (with tar)")
    messages = build_messages(template, env, "extract an archive (with tar)", program=shown)
    assert messages[0] == plain[0]  # the cached prefix is the same with or without them
    assert messages[1].role == "system"
    assert "from its tldr page" in messages[1].content
    assert "```bash\n" + shown[0].answer.command in messages[1].content
    assert messages[2:] == plain[1:]


def test_the_engine_shows_them_only_when_a_program_is_named(
    engine: Engine, fake: FakeBackend, tmp_path: Path
) -> None:
    engine = dataclasses.replace(
        engine,
        template=get_template("fenced"),
        program_examples=ProgramExamples(_pages(tmp_path, PAGES)),
    )
    fake.enqueue(answer("jj squash --interactive", ""))
    engine.propose("choose what to squash interactively (with jj squash)")
    sent = fake.history[-1]
    assert sent.stable_prefix == 1
    assert "jj squash --interactive" in sent.messages[1].content
    fake.enqueue(answer("ls", ""))
    engine.propose("list the files here")
    assert [m.role for m in fake.history[-1].messages].count("system") == 1


def test_create_engine_gives_the_shipped_pages_to_templates_that_use_them() -> None:
    settings = Settings(backend="fake", prompt="fenced")
    engine = create_engine(settings, FakeBackend(), shell="/bin/bash")
    assert engine.program_examples is not None
    assert engine.program_examples.path == PAGES_PATH
    bare = create_engine(Settings(backend="fake", prompt="fenced-bare"), FakeBackend())
    assert bare.program_examples is None


def test_the_pack_groups_by_page_and_is_deterministic(tmp_path: Path) -> None:
    source = tmp_path / "tldr.jsonl"
    rows = [
        ("tar", "Extract an archive:", "tar xf path/to/file.tar", True),
        ("tar", "Display help", "tar --help", True),
        ("tar", "Broken example", "tar 'x", False),
        ("vi", "View documentation for the original command", "tldr vim", True),
        ("ab", "Run a benchmark", "ab -n 100 url", True),
    ]
    source.write_text(
        "".join(
            json.dumps({"page_title": p, "nl": nl, "cmd": cmd, "bash_syntax_ok": ok}) + "\n"
            for p, nl, cmd, ok in rows
        )
    )
    first, second = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz"
    summary = pack_tldr_pages(first, source)
    pack_tldr_pages(second, source)
    assert first.read_bytes() == second.read_bytes()
    assert summary["pages"] == 2
    assert summary["examples"] == 2
    lines = gzip.decompress(first.read_bytes()).decode().splitlines()
    assert [json.loads(line)["page"] for line in lines] == ["ab", "tar"]
    assert json.loads(lines[1])["examples"] == [["Extract an archive", "tar xf path/to/file.tar"]]


def test_the_harness_hides_its_own_rows_and_the_held_out_utilities() -> None:
    from evals import data, external
    from evals.config import compose_config
    from evals.run import unseen_program_examples

    rows = [dict(r) for r in data.load_external()]
    heldout = next(
        name for name in ("shuf", "rev", "nl", "tac", "seq", "xxd") if external.is_heldout(name)
    )
    ext = unseen_program_examples(compose_config("backend.name=fake", "dataset=external_dev"))
    assert ext.exclude is not None
    # A test row's request (any split), a dev row's command, and a held-out utility are hidden.
    test_row = next(r for r in rows if r["split"] == "test")
    assert ext.exclude(test_row["request"].upper() + "!", "true")
    assert ext.exclude("something else", rows[0]["references"][0])
    # A row's request with the program it names in parentheses is that program's page's row.
    named = next(r for r in rows if r["request"].endswith(")") and "(with " in r["request"])
    bare = named["request"][: named["request"].rindex("(with ")]
    assert ext.exclude(bare, "true")
    assert ext.exclude("something else", f"{heldout} file.txt")
    assert not ext.exclude("something else", "ls -la")
    # The core set hides its own rows only: held-out utilities are the external set's rule.
    core = unseen_program_examples(compose_config("backend.name=fake", "dataset=core_dev"))
    assert core.exclude is not None
    assert not core.exclude("something else", f"{heldout} file.txt")
    assert core.exclude(dict(data.load_core()[0])["request"], "true")


def test_doctor_says_whether_the_pages_can_be_read(
    fake: FakeBackend, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from cmdai import program_examples
    from cmdai.doctor import run_doctor

    def pages_check(prompt: str = "fenced") -> tuple[str, str] | None:
        report = run_doctor({"backend": "fake", "prompt": prompt}, backend=fake, environ={})
        found = [c for c in report.checks if c.name == "tldr pages"]
        return (found[0].status, found[0].message) if found else None

    assert pages_check() is None  # readable: nothing to say beside the backend's checks
    # Damage after the first pages is found too: the whole file and its checksum are read.
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(program_examples.PAGES_PATH.read_bytes()[:-2000])
    assert program_examples.ProgramExamples(cut).page("ls")  # an early page still reads
    monkeypatch.setattr(program_examples, "PAGES_PATH", cut)
    damaged = pages_check()
    assert damaged is not None
    assert damaged[0] == "warn"
    monkeypatch.setattr(program_examples, "PAGES_PATH", tmp_path / "gone.jsonl.gz")
    status = pages_check()
    assert status is not None
    assert status[0] == "warn"
    assert pages_check("fenced-no-pages") is None  # a prompt without them does not need them
    assert "gets no examples" in status[1]

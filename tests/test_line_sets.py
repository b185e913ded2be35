"""Lines compared as sets (cmdai.line_sets) and the data file a column names (cmdai.columns)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import assert_fixed

from cmdai.backends.fake import FakeBackend
from cmdai.columns import columns, file_by_column
from cmdai.context import Workdir, render_facts, workspace_facts
from cmdai.core import Engine


@pytest.fixture
def data(tmp_path: Path) -> Path:
    (tmp_path / "fruits.txt").write_text("apple\nbanana\ncherry\napple\ndate\n")
    (tmp_path / "basket.txt").write_text("apple\ncherry\nfig\n")  # sorted
    (tmp_path / "Mixed.txt").write_text("Apple\nbanana\nCherry\n")  # sorted ignoring case
    return tmp_path


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            "comm -12 basket.txt Mixed.txt",
            "which lines are in basket.txt but not in Mixed.txt",
            "comm -23 basket.txt Mixed.txt",
        ),
        (
            "comm -12 Mixed.txt basket.txt",
            "which lines are in basket.txt but not in Mixed.txt",
            "comm -13 Mixed.txt basket.txt",
        ),
        ("comm -23 basket.txt Mixed.txt", "lines only in basket.txt", None),
        (
            "comm -3 basket.txt Mixed.txt",
            "the lines in both files",
            "comm -12 basket.txt Mixed.txt",
        ),
        ("comm basket.txt Mixed.txt", "compare basket.txt and Mixed.txt", None),
        # fruits.txt is not sorted: comm would print wrong columns
        (
            "comm -12 fruits.txt basket.txt",
            "which fruits are in fruits.txt but not in basket.txt",
            "comm -23 <(sort -u fruits.txt) basket.txt",
        ),
        (
            "comm -12 fruits.txt basket.txt",
            "the fruits in both lists",
            "comm -12 <(sort -u fruits.txt) basket.txt",
        ),
        ("comm -12 <(sort fruits.txt) basket.txt", "the fruits in both lists", None),
    ],
)
def test_comm_shows_the_column_asked_for_from_sorted_files(
    engine: Engine,
    fake: FakeBackend,
    data: Path,
    command: str,
    request_text: str,
    fixed: str | None,
) -> None:
    here = dataclasses.replace(engine, workdir=data)
    assert_fixed(here, fake, command, request_text, fixed, "fixed here: comm")


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            "sort fruits.txt | uniq",
            "remove the duplicate lines from fruits.txt keeping the first of each",
            "awk '!seen[$0]++' fruits.txt",
        ),
        (
            "sort -u fruits.txt",
            "drop repeated lines but keep the original order",
            "awk '!seen[$0]++' fruits.txt",
        ),
        ("sort -u fruits.txt", "remove the duplicate lines from fruits.txt", None),  # no order
        ("sort fruits.txt | uniq -c", "count the duplicates, keeping the order", None),
    ],
)
def test_duplicates_dropped_in_order_keep_the_order(
    engine: Engine,
    fake: FakeBackend,
    data: Path,
    command: str,
    request_text: str,
    fixed: str | None,
) -> None:
    here = dataclasses.replace(engine, workdir=data)
    assert_fixed(here, fake, command, request_text, fixed, "fixed here: sort reorders")


def test_a_small_text_file_is_read_whole_and_nothing_else(data: Path) -> None:
    work = Workdir(data)
    assert work.lines("basket.txt") == ["apple", "cherry", "fig"]
    assert work.lines("missing.txt") is None
    (data / "blob").write_bytes(b"a\x00b")
    assert work.lines("blob") is None
    (data / "big.txt").write_text("x\n" * 40000)  # 80 kB: more than a check reads whole
    assert work.lines("big.txt") is None
    (data.parent / "outside.txt").write_text("a\n")
    assert work.lines("../outside.txt") is None


def test_the_columns_of_tables_and_the_keys_of_records(tmp_path: Path) -> None:
    (tmp_path / "sales.csv").write_text("date,customer,product,amount\n2026-11-01,acme,x,1\n")
    (tmp_path / "rows.csv").write_text("2026-11-01,acme,x,1\n")  # no title line
    (tmp_path / "users.json").write_text('[\n {"name": "ann", "age": 34}\n]\n')
    (tmp_path / "events.jsonl").write_text('{"level": "ERROR", "msg": "x"}\n')
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0"}\n')
    assert columns(tmp_path / "sales.csv") == {"date", "customer", "product", "amount"}
    assert columns(tmp_path / "rows.csv") == frozenset()
    assert columns(tmp_path / "users.json") == {"name", "age"}
    assert columns(tmp_path / "events.jsonl") == {"level", "msg"}
    assert columns(tmp_path / "package.json") == frozenset()  # settings, not records


@pytest.mark.parametrize(
    ("request_text", "meant"),
    [
        ("which customer spent the most", "sales.csv"),
        ("total amount per customers", "sales.csv"),  # a plural names the column too
        ("what is the average age of the users", "users.json"),
        ("show the kernel version", None),  # package.json's version is a setting
        ("sort by name and date", None),  # words every request uses
        ("which product sold best", None),  # two files have that column: not guessed
    ],
)
def test_a_column_names_the_one_data_file_that_has_it(
    tmp_path: Path, request_text: str, meant: str | None
) -> None:
    (tmp_path / "sales.csv").write_text("date,customer,product,amount\n")
    (tmp_path / "stock.csv").write_text("product,count\n")
    (tmp_path / "users.json").write_text('[{"name": "ann", "age": 34}]\n')
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0"}\n')
    found = file_by_column(request_text, tmp_path)
    assert (found.name if found else None) == meant
    facts = render_facts(workspace_facts(request_text, tmp_path))
    assert (meant in facts) if meant else facts == ""


def test_a_file_named_in_two_words_is_named(tmp_path: Path) -> None:
    (tmp_path / "access.log").write_text('10.0.0.1 - - "GET / HTTP/1.1" 200 512\n')
    facts = render_facts(
        workspace_facts("count the requests per status in the access log", tmp_path)
    )
    assert facts == '(here: access.log (first line: 10.0.0.1 - - "GET / HTTP/1.1" 200 512))'
    assert render_facts(workspace_facts("show the error log", tmp_path)) == ""

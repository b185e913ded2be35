"""The sixteenth by-hand round (one text file at a time): lines numbered, the longest line
itself, a table sorted by a named column under its title line, a line removed from a file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import assert_fixed, run_bash

from cmdai.backends.fake import FakeBackend
from cmdai.context import Workdir
from cmdai.core import Engine
from cmdai.table_fixes import sorted_table_fix
from cmdai.text_fixes import longest_line_fix, numbered_lines_fix


@pytest.fixture
def texts(tmp_path: Path) -> Path:
    """A CSV with a title line, a TSV, notes with blank lines."""
    (tmp_path / "data.csv").write_text("name,city,age\nann,oslo,34\nben,rome,7\ncid,lima,41\n")
    (tmp_path / "table.tsv").write_text("id\tname\tscore\n1\tann\t90\n2\tben\t75\n")
    (tmp_path / "notes.txt").write_text("first\n\nthe longest line of all\n\nlast\n")
    return tmp_path


@pytest.mark.parametrize(
    ("draft", "request_text", "fixed"),
    [
        ("sed -n '=p' notes.txt", "number the lines of notes.txt", "cat -n notes.txt"),
        ("sed = notes.txt", "show notes.txt with line numbers", "cat -n notes.txt"),
        ("cat notes.txt", "print notes.txt numbered", "cat -n notes.txt"),
        ("cat -n notes.txt", "number the lines of notes.txt", None),
        ("grep -n x notes.txt", "show the lines with x, with line numbers", None),
        ("sed = notes.txt | sed 'N;s/\\n/ /'", "number the lines of notes.txt", None),
        ("sed -n '5p' notes.txt", "print line number 5 of notes.txt", None),
    ],
)
def test_numbered_lines_are_cat_n(draft: str, request_text: str, fixed: str | None) -> None:
    found = numbered_lines_fix(draft, request_text)
    assert (found[0] if found else None) == fixed


@pytest.mark.parametrize(
    ("draft", "request_text", "fixed"),
    [
        (
            "awk 'BEGIN {max=0} {if (length > max) max=length} END {print max}' notes.txt",
            "print the longest line in notes.txt",
            "awk 'length > max {max = length; line = $0} END {print line}' notes.txt",
        ),
        (
            "wc -L notes.txt",
            "show the longest line of notes.txt",
            "awk 'length > max {max = length; line = $0} END {print line}' notes.txt",
        ),
        ("wc -L notes.txt", "how long is the longest line of notes.txt", None),
        (
            "awk '{if (length > max) {max = length; l = $0}} END {print l}' notes.txt",
            "print the longest line in notes.txt",
            None,
        ),
    ],
)
def test_the_longest_line_is_printed_not_its_length(
    draft: str, request_text: str, fixed: str | None
) -> None:
    found = longest_line_fix(draft, request_text)
    assert (found[0] if found else None) == fixed


@pytest.mark.parametrize(
    ("draft", "request_text", "fixed"),
    [
        (
            "head -n 1 data.csv | cat -n data.csv | sort -k 3 -n | tail -n +2",
            "sort data.csv by age, keeping the header on top",
            "(head -n 1 data.csv && tail -n +2 data.csv | sort -t, -k3,3n)",
        ),
        (
            "sort -k2 data.csv",
            "sort data.csv by the city",
            "(head -n 1 data.csv && tail -n +2 data.csv | sort -t, -k2,2)",
        ),
        (
            "sort -k3 -nr table.tsv",
            "sort table.tsv by score, highest first",
            "(head -n 1 table.tsv && tail -n +2 table.tsv | sort -t $'\\t' -k3,3nr)",
        ),
        # the draft's own way: the title kept, the right key and separator
        (
            "(head -n 1 data.csv; tail -n +2 data.csv | sort -t, -k3 -n)",
            "sort data.csv by age",
            None,
        ),
        # no such column, no table, or nothing sorted
        ("sort -t, -k3 data.csv", "sort data.csv by length", None),
        ("sort notes.txt", "sort notes.txt by name", None),
        ("cut -d, -f3 data.csv", "sort data.csv by age", None),
    ],
)
def test_a_table_is_sorted_by_its_named_column_under_its_titles(
    texts: Path, draft: str, request_text: str, fixed: str | None
) -> None:
    found = sorted_table_fix(draft, request_text, Workdir(texts))
    assert (found[0] if found else None) == fixed


def test_the_fixed_commands_print_what_was_asked(texts: Path) -> None:
    table = "(head -n 1 data.csv && tail -n +2 data.csv | sort -t, -k3,3n)"
    assert run_bash(table, texts).stdout == "name,city,age\nben,rome,7\nann,oslo,34\ncid,lima,41\n"
    longest = "awk 'length > max {max = length; line = $0} END {print line}' notes.txt"
    assert run_bash(longest, texts).stdout == "the longest line of all\n"
    assert (
        run_bash("cat -n notes.txt", texts).stdout.splitlines()[2]
        == "     3\tthe longest line of all"
    )


def test_a_line_removed_of_a_named_file_is_removed_from_the_file(
    engine: Engine, fake: FakeBackend, texts: Path
) -> None:
    here = dataclasses.replace(engine, workdir=texts)
    assert_fixed(
        here,
        fake,
        "sed 1d data.csv",
        "remove the first line of data.csv",
        "sed -i 1d data.csv",
        "fixed here: sed -i",
    )

"""The tenth by-hand round's fixes (a book's manuscript): cmdai.text_fixes and the path fixes
that name the file a request means by its number, folder or list."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import assert_fixed, assert_pitfall

from cmdai.backends.fake import FakeBackend
from cmdai.core import Engine


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """Three numbered chapters in ``chapters/``, notes with a todo list, figures."""
    (tmp_path / "chapters").mkdir()
    for name in ("01-arrival.md", "02-letter.md", "03-departure.md"):
        (tmp_path / "chapters" / name).write_text("# Title\n\nText.\n")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("call the editor\n")
    (tmp_path / "notes" / "ideas.txt").write_text("a storm\n")
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "map.png").write_bytes(b"PNG")
    (tmp_path / "figures" / "fig2-plan.png").write_bytes(b"PNG")
    return tmp_path


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        ("cat chapter3.md", "show chapter 3", "cat chapters/03-departure.md"),
        (
            "pandoc -s chapter1.md -o chapter1.html",
            "convert chapter 1 to html",
            "pandoc -s chapters/01-arrival.md -o chapter1.html",
        ),
        ("wc -w chapter_2.txt", "count the words in chapter no. 2", "wc -w chapters/02-letter.md"),
        ("cat chapter4.md", "show chapter 4", None),  # no chapter 4
        ("cat chapter3.md", "show the third chapter", None),  # no number said
        ("cat part3.md", "show chapter 3", None),  # the draft's name is not the request's word
        ("file figure2.png", "what is figure 2", "file figures/fig2-plan.png"),
    ],
)
def test_a_numbered_item_is_the_one_file_of_that_number(
    engine: Engine,
    fake: FakeBackend,
    book: Path,
    command: str,
    request_text: str,
    fixed: str | None,
) -> None:
    here = dataclasses.replace(engine, workdir=book)
    assert_fixed(here, fake, command, request_text, fixed, "fixed here: ")


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        ("wc -l chapter*", "wc -l chapters/*"),
        ("cat note*", None),  # notes/ holds files only, but the fix reads only one folder: fine
        ("grep -r x chapter*", None),  # grep -r reads folders
        ("wc -l *.md", None),  # matches nothing here: another check's
    ],
)
def test_a_glob_that_matches_only_a_folder_reads_its_files(
    engine: Engine, fake: FakeBackend, book: Path, command: str, fixed: str | None
) -> None:
    (book / "notes" / "sub").mkdir()  # a folder inside: `notes/*` would hand cat a folder
    here = dataclasses.replace(engine, workdir=book)
    assert_fixed(here, fake, command, "count the lines of the chapters", fixed, "fixed here: ")


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            'echo "proofread" >> todo.txt',
            "add proofread to my todo list",
            'echo "proofread" >> notes/todo.txt',
        ),
        ("echo x | tee -a todo.txt", "add x to my todo list", "echo x | tee -a notes/todo.txt"),
        ("echo x >> todo.txt", "add x to todo.txt", None),  # the user named it: a new one
        ("find . 2>> todo.txt", "log the errors to my todo list", None),  # not a line added
        ("echo x >> plans.txt", "add x to my plans", None),  # no such file below
        ("echo x > todo.txt", "replace my todo list with x", None),  # not an append
    ],
)
def test_a_line_added_to_a_list_goes_to_the_one_list_of_that_name(
    engine: Engine,
    fake: FakeBackend,
    book: Path,
    command: str,
    request_text: str,
    fixed: str | None,
) -> None:
    here = dataclasses.replace(engine, workdir=book)
    assert_fixed(here, fake, command, request_text, fixed, "fixed here: ")


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        ("wc -w chapters/*.txt", "wc -w chapters/*.md"),
        ("cat notes/*.md", "cat notes/*.txt"),
        ("cat figures/*.txt", None),  # figures are images, not prose
        ("wc -w chapters/*.md", None),  # matches
        ("rm chapters/*.txt", None),  # not a reading tool
    ],
)
def test_a_made_up_suffix_in_a_folder_of_one_suffix_is_that_suffix(
    engine: Engine, fake: FakeBackend, book: Path, command: str, fixed: str | None
) -> None:
    here = dataclasses.replace(engine, workdir=book)
    assert_fixed(here, fake, command, "count the words", fixed, "fixed here: ")


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        ("wc -l book.md", "show the word count of the whole book", "wc -w book.md"),
        ("cat a b | wc -l", "how many words are in a and b", "cat a b | wc -w"),
        ("wc -l *.md", "count the words in each chapter", "wc -w *.md"),
        ("grep -o '[a-z]*' f | wc -l", "count the words in f", None),  # a line is a word there
        ("wc -l f", "count the lines and words of f", None),
        ("wc -l f", "how many lines does f have", None),
    ],
)
def test_words_are_counted_in_words(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: wc -w")


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        (
            "wc -l ch1.md ch2.md | sort -rn | head -n 1",
            "wc -l ch1.md ch2.md | grep -v ' total$' | sort -rn | head -n 1",
        ),
        ("wc -w *.md | sort -n", "wc -w *.md | grep -v ' total$' | sort -n"),
        ("wc -l ch1.md | sort -rn", None),  # one file: no total line
        ("cat *.md | wc -l | sort", None),  # wc reads its input: one count
    ],
)
def test_wc_total_line_is_kept_out_of_a_sorted_list(
    engine: Engine, fake: FakeBackend, command: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, "which chapter is the longest", fixed, "fixed here: grep")


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        (
            "grep -v '^$' chapters/* | awk 'length($0) > 80'",
            "grep -h -v '^$' chapters/* | awk 'length($0) > 80'",
        ),
        ("grep x a b | awk '{print $2}'", "grep -h x a b | awk '{print $2}'"),
        ("grep x a | awk '{print $2}'", None),  # one file: no name in front
        ("grep -e x a | awk '{print $2}'", None),
        ("grep TODO *.py | awk -F: '{print $1}'", None),  # reads the name on purpose
        ("grep -c x *.py | awk '{print $1}'", None),  # counts: the name is wanted
        ("grep 'GET /a b' log | awk '{print $1}'", None),  # a quoted pattern, one file
    ],
)
def test_grep_names_are_left_out_of_what_awk_measures(
    engine: Engine, fake: FakeBackend, command: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, "show the lines", fixed, "fixed here: grep -h")


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            "sed '/^$/d' ch3.md",
            "remove the repeated blank lines in ch3.md",
            "sed -i '/^$/N;/^\\n$/D' ch3.md",
        ),
        ("sed -i '/^$/d' f", "squeeze consecutive empty lines in f", "sed -i '/^$/N;/^\\n$/D' f"),
        (
            "sed '/^$/d' f",
            "show f without the multiple blank lines",
            "sed '/^$/N;/^\\n$/D' f",
        ),
        (
            "sed '/^$/d' f > g",
            "remove the repeated blank lines of f into g",
            "sed '/^$/N;/^\\n$/D' f > g",
        ),
        ("sed '/^$/d' f", "remove the blank lines in f", None),  # every one: as asked
        ("cat -s f", "remove the repeated blank lines in f", None),
    ],
)
def test_repeated_blank_lines_are_squeezed_not_all_removed(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: /^$/N")


@pytest.mark.parametrize(
    ("command", "request_text", "warned"),
    [
        ("wc -w book.txt", "show the word count of the whole book", "book.txt is not here"),
        ("grep -o Alice book.txt | wc -l", "how often is Alice named", "book.txt is not here"),
        ("wc -w chapters/01-arrival.md", "count the words of chapter 1", None),  # it is here
        ("wc -l notes.txt", "count the lines of notes.txt", None),  # the user named it
        ("sort -n ip_addresses.txt", "sort the ip_addresses file", None),  # named, no suffix
        ("touch a.txt && cat a.txt", "make a.txt and show it", None),  # the line makes it
        ("cat /etc/hosts.txt", "show the hosts file", None),  # outside: not ours to look at
        ("wc -l chapters/*.md", "count the lines of the chapters", None),  # a glob that matches
    ],
)
def test_a_file_that_is_not_here_is_proven_wrong(
    engine: Engine,
    fake: FakeBackend,
    book: Path,
    command: str,
    request_text: str,
    warned: str | None,
) -> None:
    here = dataclasses.replace(engine, workdir=book)
    assert_pitfall(here, fake, command, "file:", warned, request_text)
    assert len(fake.history) == (1 if warned is None else 2)  # asked again when proven wrong

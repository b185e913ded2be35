"""Files written and edited line by line (cmdai.write_fixes; the twenty-seventh by-hand round).
Each fixed command is run with bash, and the file it changes read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed


@pytest.fixture
def texts(tmp_path: Path) -> Path:
    files = {
        "todo.txt": "buy milk\n",
        "list.txt": "one\ntwo\nthree\nfour\n",
        "data.csv": "1,ann\n2,bob\n",
        "spaces.txt": "left   \nright\t \n",
    }
    return write_files(tmp_path, files)


def read(where: Path, name: str) -> str:
    return (where / name).read_text()


def test_a_line_put_at_the_top_not_over_the_file(texts: Path) -> None:
    draft = 'echo "# Shopping" > todo.txt'
    top = fixed(draft, 'add the line "# Shopping" at the top of todo.txt', texts)
    assert top == "sed -i '1i # Shopping' todo.txt"
    run_bash(top, texts)
    assert read(texts, "todo.txt") == "# Shopping\nbuy milk\n"
    header = fixed("sed '1s/^/id,name/' data.csv", "prepend the header id,name to data.csv", texts)
    run_bash(header or "", texts)
    assert read(texts, "data.csv") == "id,name\n1,ann\n2,bob\n"
    assert fixed(draft, 'add the line "# Shopping" at the top of none.txt', texts) is None


def test_a_whole_line_replaced_and_a_copy_turned_round(texts: Path) -> None:
    draft = "sed -i '3s/one/THREE/' list.txt"
    whole = fixed(draft, "replace line 3 of list.txt with THREE", texts)
    assert whole == "sed -i '3s/.*/THREE/' list.txt"
    assert (
        fixed("sed -i '3s/three/THREE/' list.txt", "replace line 3 of list.txt with THREE", texts)
        is None
    )
    run_bash(whole, texts)
    assert read(texts, "list.txt") == "one\ntwo\nTHREE\nfour\n"
    request = "make a copy of list.txt called rev.txt with the lines in reverse order"
    turned = fixed("cp list.txt rev.txt && sort -r rev.txt", request, texts)
    assert turned == "tac list.txt > rev.txt"
    run_bash(turned, texts)
    assert read(texts, "rev.txt") == "four\nTHREE\ntwo\none\n"
    sort = "make a copy of list.txt called rev.txt, sorted in reverse order"
    assert fixed("sort -r list.txt > rev.txt", sort, texts) is None


def test_several_lines_written_trailing_blanks_removed_lines_twice(texts: Path) -> None:
    lines = fixed('echo "a" > abc.txt', "write the three lines a, b and c into abc.txt", None)
    assert lines == "printf '%s\\n' a b c > abc.txt"
    run_bash(lines, texts)
    assert read(texts, "abc.txt") == "a\nb\nc\n"
    request = "write the three lines a, b and c into abc.txt"
    assert fixed("printf '%s\\n' a b c > abc.txt", request, None) is None
    request = "remove the trailing spaces from every line of spaces.txt"
    blanks = fixed("sed 's/ $//' spaces.txt", request, texts)  # -i added in the same pass
    assert blanks == "sed -i 's/[[:space:]]*$//' spaces.txt"
    run_bash(blanks, texts)
    assert read(texts, "spaces.txt") == "left\nright\n"
    twice = fixed(
        'cat list.txt | xargs -I {} echo "{}"', "print every line of list.txt twice", texts
    )
    assert twice == "sed p list.txt"
    assert run_bash(twice, texts).stdout == "one\none\ntwo\ntwo\nthree\nthree\nfour\nfour\n"

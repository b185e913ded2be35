"""Files converted from one form to another (cmdai.convert_fixes; the twenty-fourth by-hand
round). Each fixed command is run with bash, beside the draft it replaces where that runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

USERS = (
    '[{"name": "ann", "email": "ann@example.com", "age": 31},\n'
    ' {"name": "bob", "email": "bob@example.com", "age": 25}]\n'
)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "windows.txt": "first\r\nsecond\r\n",
            "pretty.json": '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}\n',
            "users.json": USERS,
            "table.csv": "name,city\nannabelle-marie,Paris\nbo,Rome\n",
            "long.txt": "This line is much longer than forty characters, so it wraps.\n",
            "sizes.txt": "1024\n1536000\n5368709120\n",
        },
    )


def out(command: str, where: Path) -> str:
    return run_bash(command, where, check=False).stdout


@pytest.mark.skipif(shutil.which("dos2unix") is not None, reason="dos2unix is installed")
def test_line_endings_changed_where_dos2unix_is_missing(files: Path) -> None:
    again = fixed("dos2unix windows.txt", "convert windows.txt to unix line endings")
    assert again == "sed -i 's/\\r$//' -- windows.txt"
    run_bash(again, files)
    assert (files / "windows.txt").read_bytes() == b"first\nsecond\n"
    back = fixed("unix2dos windows.txt", "give windows.txt windows line endings")
    run_bash(back or "", files)
    run_bash(back or "", files)  # twice: still one carriage return a line
    assert (files / "windows.txt").read_bytes() == b"first\r\nsecond\r\n"
    assert fixed("dos2unix -n a.txt b.txt", "convert a.txt") is None  # an option: left alone


def test_a_yes_or_no_check_says_its_answer(files: Path) -> None:
    draft = "grep -q $'\\r' windows.txt"
    said = fixed(draft, "check whether windows.txt has windows line endings")
    assert said == draft + " && echo yes || echo no"
    assert (out(draft, files), out(said or "", files)) == ("", "yes\n")
    (files / "unix.txt").write_text("first\n")
    assert out((said or "").replace("windows.txt", "unix.txt"), files) == "no\n"
    # A script's test of the system's state, or one asked to answer in its exit status.
    assert fixed("screen -list | grep -q main", "check if the screen session main exists") is None
    assert fixed(draft, "check if windows.txt has a CR, with no output") is None


def test_a_file_converted_to_another_encoding_in_place(tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes("café\n".encode("latin-1"))
    draft = "iconv -f latin1 -t utf-8 latin1.txt"
    again = fixed(draft, "convert latin1.txt from latin-1 to utf-8")
    assert (
        again
        == "iconv -f latin1 -t utf-8 latin1.txt > latin1.txt.tmp && mv latin1.txt.tmp latin1.txt"
    )
    run_bash(again, tmp_path)
    assert (tmp_path / "latin1.txt").read_text(encoding="utf-8") == "café\n"
    assert [p.name for p in tmp_path.iterdir()] == ["latin1.txt"]
    assert fixed(draft, "show latin1.txt converted to utf-8") is None


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_json_on_one_line_counted_sorted_and_made_a_csv(files: Path) -> None:
    one = fixed("jq . pretty.json", "put the json in pretty.json on one line")
    assert one == "jq -c . pretty.json"
    assert out(one, files) == '{"a":1,"b":[2]}\n'
    draft = "jq '.length' users.json"
    count = fixed(draft, "count the users in users.json")
    assert count == "jq length users.json"
    assert (out(draft, files), out(count, files)) == ("", "2\n")  # jq: Cannot index array
    ordered = fixed("jq -r '.[].age' users.json | sort -n", "sort users.json by age", files)
    assert ordered == "jq 'sort_by(.age)' users.json"
    assert out(f"{ordered} | jq -r '.[].name'", files) == "bob\nann\n"
    assert fixed("jq '.[].age' users.json", "sort users.json by height", files) is None
    draft = "jq -r '.[].name, .[].email' users.json"
    csv = fixed(draft, "turn users.json into a csv with the name and email columns", files)
    assert out(csv or "", files) == (
        '"name","email"\n"ann","ann@example.com"\n"bob","bob@example.com"\n'
    )
    assert fixed(draft, "turn users.json into a csv with the name and phone columns", files) is None


def test_tables_aligned_lines_wrapped_sizes_readable_and_hex(files: Path) -> None:
    draft = "awk -F, '{print $1 \"\\t\" $2}' table.csv"
    aligned = fixed(draft, "show table.csv as an aligned table")
    assert aligned == "column -s, -t table.csv"
    starts = {
        line.index("Paris" if "Paris" in line else "Rome")
        for line in out(aligned, files).splitlines()[1:]
    }
    assert len(starts) == 1  # the tabs left Paris and Rome in different columns
    wrapped = fixed(
        "awk '{print substr($0,1,40)}' long.txt", "wrap the lines of long.txt at 40 characters"
    )
    assert wrapped == "fold -s -w 40 long.txt"
    assert "".join(out(wrapped, files).split()) == "".join((files / "long.txt").read_text().split())
    assert max(len(line) for line in out(wrapped, files).splitlines()) <= 40
    sizes = fixed(
        "awk '{print $1/1024 \" KB\"}' sizes.txt",
        "convert the byte counts in sizes.txt to human readable sizes",
    )
    assert sizes == "numfmt --to=iec < sizes.txt"
    assert out(sizes, files).split() == ["1.0K", "1.5M", "5.0G"]
    assert (
        fixed("xxd -b -l 64 blob.bin", "show the first 64 bytes of blob.bin in hex")
        == "xxd -l 64 blob.bin"
    )
    assert fixed("xxd -b -l 64 blob.bin", "show the first 64 bytes of blob.bin in binary") is None

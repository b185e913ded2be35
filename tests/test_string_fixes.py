"""Strings and numbers worked on in the shell (cmdai.string_fixes; the twenty-third by-hand
round). Each fixed command is run with bash, beside the draft it replaces."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_bash, write_files

from cmdai.string_fixes import repeated_text_fix, string_fix
from cmdai.sure_fixes import sure_fix


@pytest.fixture
def texts(tmp_path: Path) -> Path:
    files = {
        "names.txt": "alice\nbob\ncarol\ndave\n",
        "codes.txt": "AB-1001-XYZ\nCD-2002-QRS\n",
    }
    return write_files(tmp_path, files)


def fixed(command: str, request: str) -> str | None:
    found = string_fix(command, request) or repeated_text_fix(command, request)
    if found is not None:
        assert found[1].startswith("fixed here: ")
        assert sure_fix(command, request, None) == found  # reached from the sure fixes
    return found[0] if found else None


def out(command: str, where: Path) -> str:
    return run_bash(command, where, check=False).stdout


def test_a_text_printed_a_number_of_times(texts: Path) -> None:
    draft = 'echo "hello" | tr -d \'\\n\' | xargs -I {} echo "hello"'
    again = fixed(draft, "print hello 3 times, one per line")
    assert again == "yes hello | head -n 3"
    assert out(draft, texts) == "hello\n"
    assert out(again, texts) == "hello\nhello\nhello\n"
    assert fixed('echo "-tcp"', "output -tcp two times") == "yes -- -tcp | head -n 2"
    assert out("yes -- -tcp | head -n 2", texts) == "-tcp\n-tcp\n"
    # Repeated already, something else asked as well, or not a printed text.
    assert fixed("for i in {1..3}; do echo hello; done", "print hello 3 times") is None
    assert fixed('echo "yes"', 'print "yes" 4 times followed by "no"') is None
    assert fixed("vmstat 2 5", "display reports every 2 seconds for 5 times") is None
    assert fixed("echo hello > f.txt", "print hello 3 times") is None


def test_the_characters_of_a_word_counted_without_echos_newline(texts: Path) -> None:
    draft = 'echo "internationalization" | wc -c'
    counted = fixed(draft, "count the characters in the word internationalization")
    assert counted == 'echo -n "internationalization" | wc -c'
    assert (out(draft, texts).strip(), out(counted, texts).strip()) == ("21", "20")
    assert fixed("echo -n abc | wc -c", "how many characters in abc") is None
    assert fixed("echo abc | wc -l", "how many characters in abc") is None
    assert fixed("wc -c names.txt", "count the characters in names.txt") is None


def test_the_last_or_first_characters_cut_by_the_count_asked(texts: Path) -> None:
    draft = "sed 's/.$//' codes.txt"
    cut = fixed(draft, "remove the last 4 characters of each line in codes.txt")
    assert cut == "sed 's/.\\{4\\}$//' codes.txt"
    assert out(cut, texts) == "AB-1001\nCD-2002\n"
    first = fixed("sed -E 's/^.{2}//' codes.txt", "cut off the first three characters of codes.txt")
    assert first == "sed -E 's/^.{3}//' codes.txt"
    assert out(first, texts) == "1001-XYZ\n2002-QRS\n"
    assert fixed("sed 's/...$//' f", "delete the last 3 characters of f") is None  # right
    assert fixed("sed 's/.$//' f", "remove the last 4 lines of f") is None


def test_lines_joined_without_a_separator_after_the_last(texts: Path) -> None:
    draft = "cat names.txt | tr '\\n' ','"
    joined = fixed(draft, "join the lines of names.txt with commas")
    assert joined == "paste -sd, names.txt"
    assert out(draft, texts) == "alice,bob,carol,dave,"
    assert out(joined, texts) == "alice,bob,carol,dave\n"
    piped = fixed("sort -r names.txt | tr '\\n' ' '", "join the names, last first, with spaces")
    assert piped == "sort -r names.txt | paste -sd' '"
    assert out(piped, texts) == "dave carol bob alice\n"
    # "comma separated" without a join: NL2Bash writes tr there, the separator after the last kept.
    assert fixed("ls -1 | tr '\\n' ','", "list the files as comma separated values") is None


@pytest.mark.skipif(shutil.which("bc") is None, reason="bc is not installed")
def test_a_number_in_another_base_and_a_quotient_rounded(texts: Path) -> None:
    hexed = fixed('echo "255" | od -t x1', "convert 255 to hexadecimal")
    assert hexed == "printf '%x\\n' 255"
    assert out(hexed, texts) == "ff\n"
    assert out(fixed("echo 8 | xxd", "convert 8 to octal") or "", texts) == "10\n"
    binary = fixed("echo 5 | hexdump -C", "show 5 in binary")
    assert binary == "echo 'obase=2; 5' | bc"
    assert out(binary, texts) == "101\n"
    assert fixed("echo 'obase=16; 255' | bc", "convert 255 to hex") is None  # right: FF
    draft = 'echo "scale=2; 17/3" | bc'
    rounded = fixed(draft, "calculate 17 divided by 3 to 2 decimal places")
    assert rounded == "printf '%.2f\\n' \"$(echo '17/3' | bc -l)\""
    assert (out(draft, texts), out(rounded, texts)) == ("5.66\n", "5.67\n")
    assert fixed('echo "scale=2; 17+3" | bc', "add 17 and 3 to 2 decimal places") is None


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_a_random_password_of_the_length_asked(texts: Path) -> None:
    for draft, request, again, length in (
        (
            "openssl rand -base64 16",
            "a random 16 character password",
            "openssl rand -base64 12",
            16,
        ),
        ("openssl rand -hex 10", "make a 10-character random token", "openssl rand -hex 5", 10),
        (
            "openssl rand -base64 9",
            "a random password 10 characters long",
            "openssl rand -base64 10 | tr -d '\\n' | head -c 10; echo",
            10,
        ),
    ):
        assert fixed(draft, request) == again
        assert len(out(again, texts).strip()) == length
    assert fixed("openssl rand -base64 12", "generate a random 16 character password") is None
    assert fixed("openssl rand -base64 16", "generate 16 random bytes") is None

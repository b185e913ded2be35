"""Made-up paths (cmdai.path_fixes), folders named by a word, and scripts run from here."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import answer

from cmdai.backends.fake import FakeBackend
from cmdai.context import Workdir, render_facts
from cmdai.context import workspace_facts as facts
from cmdai.core import Engine
from cmdai.path_fixes import path_fix, placeholders


@pytest.fixture
def home_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's files: the working directory (``work``) and an empty home beside it."""
    work = tmp_path / "work"
    (work / "Music" / "albums").mkdir(parents=True)
    (work / "Music" / "albums" / "a.mp3").write_bytes(b"ID3")
    (work / "Pictures" / "2025").mkdir(parents=True)
    (work / "Pictures" / "2026").mkdir()
    (work / "Pictures" / "2026" / "b.JPG").write_bytes(b"\xff\xd8")
    (work / "Documents" / "invoices").mkdir(parents=True)
    (work / "Documents" / "invoices" / "2026.csv").write_text("invoice,amount\nA,1\n")
    (work / "Documents" / "letters").mkdir()
    (work / "Documents" / "letters" / "sam.txt").write_text("Dear Sam\n")
    (work / "Documents" / "letters" / "kim.txt").write_text("Dear Kim\n")
    (work / "Downloads").mkdir()
    (work / "Downloads" / "notes.pdf").write_bytes(b"%PDF")
    (work / "site" / "js").mkdir(parents=True)
    (work / "site" / "js" / "app.js").write_text("console.log(1)\n")
    (work / "photo.png").write_bytes(b"\x89PNG")
    (work / "keys" / "private").mkdir(parents=True)
    (work / "keys" / "private" / "diary.txt").write_text("dear diary\n")
    (work / "keys" / "id_rsa").write_text("-----BEGIN KEY-----\n")
    (work / "private").mkdir()
    (work / "private" / "diary.txt").write_text("dear diary\n")
    (work / "backup.sh").write_text("#!/bin/sh\necho hi\n")
    (work / "run.sh").write_text("#!/bin/sh\necho hi\n")
    (work / "run.sh").chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return work


@pytest.mark.parametrize(
    ("request_text", "shown"),
    [
        # a bare word that is a folder's name, in any case, names it
        (
            "how much space does my music take",
            "(here: Music/ (directory: its files are in subfolders))",
        ),
        ("what is in my downloads", "(here: Downloads/ (directory))"),
        # a folder that holds only folders says so: its files are below
        (
            "how many pictures do I have",
            "(here: Pictures/ (directory: its files are in subfolders))",
        ),
        # a folder below, found by its name; holding one file, that file is shown
        (
            "which invoices are unpaid",
            "(here: Documents/invoices/2026.csv (first line: invoice,amount))",
        ),
        ("which letters mention Sam", "(here: Documents/letters/ (directory))"),
        ("list the files", ""),  # a file noun is never a folder's name
        # below, only a plural names a folder: "private" in "private key" is no folder's name
        ("fix the permissions on my private key", ""),
        ("fix the permissions on my ssh private key in keys/", "(here: keys/ (directory))"),
    ],
)
def test_a_folder_named_by_a_word_is_shown(home_dir: Path, request_text: str, shown: str) -> None:
    assert render_facts(facts(request_text, home_dir)) == shown


def test_a_folder_named_by_a_word_is_not_one_the_command_must_visit(home_dir: Path) -> None:
    # The checks keep the stricter reading: "my music" is shown, not required in the command.
    assert Workdir(home_dir).named_folders("how much space does my music take") == []


@pytest.mark.parametrize(
    ("command", "fixed", "note"),
    [
        ("du -sh /path/to/your/music", "du -sh Music", "/path/to/your/music was a placeholder"),
        ("sed '/console/d' yourfile.js", "sed '/console/d' site/js/app.js", "yourfile.js was"),
        ("grep Dear /path/to/letters", "grep Dear Documents/letters", "/path/to/letters was"),
        ("ls -lt ~/Downloads", "ls -lt Downloads", "Downloads is here, not in your home"),
        ("ls ~/Downloads/*.pdf", "ls Downloads/*.pdf", "Downloads is here"),
        ("zip photo.png photo.zip", "zip photo.zip photo.png", "zip's archive comes first"),
        # nothing here says which one: left as it is
        ("cat /path/to/file.txt", None, None),  # several .txt files
        ("du -sh /path/to/your/folder", None, None),  # a generic word
        ("ls ~/Videos", None, None),  # not here either
        ("zip photo.zip photo.png", None, None),
        ("zip -r out.zip site", None, None),
        ("ls Music", None, None),
    ],
)
def test_a_made_up_path_is_fixed_when_one_entry_here_is_meant(
    home_dir: Path, command: str, fixed: str | None, note: str | None
) -> None:
    result = path_fix(command, Workdir(home_dir))
    if fixed is None:
        assert result is None
    else:
        assert result is not None
        assert result[0] == fixed
        assert note is not None
        assert note in result[1]


def test_a_folder_in_the_home_folder_is_left_alone(home_dir: Path) -> None:
    (Path.home() / "Downloads").mkdir()
    assert path_fix("ls -lt ~/Downloads", Workdir(home_dir)) is None


@pytest.mark.parametrize(
    ("command", "found"),
    [
        ("du -sh /path/to/dir", ["/path/to/dir"]),
        ("cp your_file.txt backup/", ["your_file.txt"]),
        ("realpath filename", ["filename"]),
        ("wc -l < /path/to/input.txt", ["/path/to/input.txt"]),
        ("ls my-scripts", ["my-scripts"]),
        ("ls -l yours", []),
        ("cat notes.txt", []),
        ("echo 'path/to'", []),  # text, not a path
        ("systemctl restart mysql", []),
        ("cp myfile.txt yourdir", ["myfile.txt", "yourdir"]),
        ("grep -r x path/to/", ["path/to/"]),
    ],
)
def test_placeholders_are_the_words_that_stand_for_a_path(command: str, found: list[str]) -> None:
    assert placeholders(command) == found


def test_a_placeholder_nothing_resolves_is_a_warning(
    engine: Engine, fake: FakeBackend, home_dir: Path
) -> None:
    with_files = dataclasses.replace(engine, workdir=home_dir)
    for command, warned in (
        ("cat /path/to/file.txt", True),
        ("cat Documents/letters/sam.txt", False),
    ):
        fake.enqueue(answer(command))
        warnings = with_files.propose("show the letter").warnings
        assert (
            any(w.startswith(f"placeholder: {command[4:]} stands for") for w in warnings) is warned
        )
    assert len(fake.history) == 2  # a warning for the user: the model is not asked again


def test_the_engine_fixes_the_path_then_the_rest(
    engine: Engine, fake: FakeBackend, home_dir: Path
) -> None:
    with_files = dataclasses.replace(engine, workdir=home_dir)
    fake.enqueue(answer("du -sh /path/to/your/music"))
    proposal = with_files.propose("how much space does my music take")
    assert proposal.command == "du -sh Music"
    assert proposal.warnings[0].startswith("fixed here: /path/to/your/music")
    assert len(fake.history) == 1  # sure: the model is not asked again


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        ("./backup.sh", "not executable: ./backup.sh"),
        ("sh ./backup.sh", None),
        ("./run.sh", None),  # executable: nothing to say
    ],
)
def test_a_script_here_that_may_not_run_says_so(
    engine: Engine, fake: FakeBackend, home_dir: Path, command: str, warned: str | None
) -> None:
    with_files = dataclasses.replace(engine, workdir=home_dir)
    fake.enqueue(answer(command))
    warnings = with_files.propose("run the script").warnings
    assert not any(w.startswith("not installed here") for w in warnings)
    assert any(w.startswith("not executable:") for w in warnings) is (warned is not None)
    if warned:
        assert any(w.startswith(warned) for w in warnings)


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        (
            "ls -S Pictures/ | head -n 2",
            "find Pictures -type f -printf '%s %p\\n' | sort -nr | head -n 2",
        ),
        (
            "ls -t Music | head -3",
            "find Music -type f -printf '%TY-%Tm-%Td %TT %p\\n' | sort -r | head -3",
        ),
        ("ls -S Downloads | head -n 2", None),  # it holds files: ls orders them
    ],
)
def test_a_folder_of_folders_is_ordered_by_the_files_in_them(
    engine: Engine, fake: FakeBackend, home_dir: Path, command: str, fixed: str | None
) -> None:
    with_files = dataclasses.replace(engine, workdir=home_dir)
    fake.enqueue(answer(command))
    proposal = with_files.propose("the 2 biggest pictures")
    assert proposal.command == (fixed or command)
    noted = any(w.startswith("fixed here: ") and "holds folders" in w for w in proposal.warnings)
    assert noted is (fixed is not None)


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        ("awk -F, '{print $2}' raw_weather.csv", "awk -F, '{print $2}' data/raw/weather.csv"),
        ("ls -lh photo_image.png", "ls -lh photo.png"),
        ("grep Dear sam_letter.txt", "grep Dear Documents/letters/sam.txt"),
        ("wc -l invoices.csv", None),  # a folder's name: the context shows that file
        ("cat 2026.txt", "cat Documents/invoices/2026.csv"),  # the extension guessed
        ("jq '.[]' 2026.json", None),  # jq parses JSON: the .csv is no file it can read
        ("grep INV 2026.json", "grep INV Documents/invoices/2026.csv"),  # grep reads any text
        ("yq . weather.yaml", None),
        # a flag before the pattern is no option with a value: the file is still read
        ("grep -i dear sam_letter.txt", "grep -i dear Documents/letters/sam.txt"),
        ("sed -n '1p' raw_weather.csv", "sed -n '1p' data/raw/weather.csv"),
        ("grep -e dear sam_letter.txt", "grep -e dear Documents/letters/sam.txt"),
        ("head -n 2 raw_weather.csv", "head -n 2 data/raw/weather.csv"),
        # left alone: the file exists, is made by the command, or several are meant
        ("cat data/raw/weather.csv", None),
        ("sort a.csv > weather_sorted.csv && cat weather_sorted.csv", None),
        ("cat letter.txt", None),  # sam.txt and kim.txt: neither is "letter"
        ("grep weather.csv notes.md", None),  # grep's pattern is no file
        ("tar -czf weather.tar.gz data", None),  # not a tool that reads its operands
        ("sort a.csv", None),  # not a.mp3: the extension is only guessed between text files
        ("cat notes.md", None),  # not notes.pdf
    ],
)
def test_a_file_name_made_from_the_request_is_the_file_meant(
    home_dir: Path, command: str, fixed: str | None
) -> None:
    (home_dir / "data" / "raw").mkdir(parents=True)
    (home_dir / "data" / "raw" / "weather.csv").write_text("id,city\n")
    (home_dir / "data" / "weather_clean.csv").write_text("id,city\n")
    result = path_fix(command, Workdir(home_dir))
    assert (result[0] if result else None) == fixed
    if result:
        assert "is the file meant" in result[1]


@pytest.mark.parametrize(
    ("command", "request_text"),
    [
        ("maim path/to/screenshot.png", "take a screenshot"),  # written: photo.png would go
        ("sort -o weather_sorted.csv data/raw/weather.csv", "sort the weather"),
        ("python3 script.py notes_out.txt", "run the script"),  # the script's argument
        ("sort A.csv", "sort A.csv"),  # the request's own name
        ("find ~/Downloads -name '*.pdf'", "the pdfs in ~/Downloads"),
        ("sed -i s/a/b/ filename", "replace a with b in filename"),
        ("ls -lt ~/Downloads", "what is in Downloads in my home folder"),
    ],
)
def test_a_path_written_or_named_by_the_request_is_never_changed(
    home_dir: Path, command: str, request_text: str
) -> None:
    (home_dir / "data" / "raw").mkdir(parents=True)
    (home_dir / "data" / "raw" / "weather.csv").write_text("id,city\n")
    (home_dir / "notes.txt").write_text("x\n")
    (home_dir / "a.csv").write_text("x\n")
    (home_dir / "weather.csv").write_text("x\n")
    assert path_fix(command, Workdir(home_dir), request_text) is None
    assert placeholders(command, request=request_text) == (
        ["path/to/screenshot.png"] if command.startswith("maim") else []
    )

"""Doing something for each file or line (cmdai.loop_fixes; the twenty-sixth by-hand round):
a prefix added to each name, tr given files, and a script here run inside a loop."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.checks import command_warnings
from cmdai.context import Workdir


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_files(tmp_path, {"notes.txt": "one\ntwo\n", "todo.txt": "Alpha\n", "a.csv": "x\n"})


def test_a_prefix_added_to_each_files_name(folder: Path) -> None:
    draft = "rename 's/\\.txt/old_.txt/' *.txt"
    again = fixed(draft, "add the prefix old_ to every .txt file here", folder)
    assert again == 'for f in *.txt; do mv -- "$f" "old_$f"; done'
    run_bash(again, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["a.csv", "old_notes.txt", "old_todo.txt"]
    assert fixed(again, "add the prefix old_ to every .txt file here", folder) is None  # right
    assert fixed(draft, "add the prefix old_ to every .md file here", folder) is None  # none here


def test_tr_given_files_reads_them_from_its_input(folder: Path) -> None:
    draft = "find . -type f -name '*.txt' -exec tr '[:lower:]' '[:upper:]' {} \\;"
    assert "extra operand" in run_bash(draft, folder, check=False).stderr
    in_place = fixed(draft, "make every .txt file here uppercase, changing the files", folder)
    assert in_place == "find . -type f -name '*.txt' -exec sed -i 's/.*/\\U&/' {} +"
    shown = fixed(draft, "show every .txt file here in uppercase", folder)
    assert shown == "find . -type f -name '*.txt' -exec cat {} + | tr '[:lower:]' '[:upper:]'"
    assert sorted(run_bash(shown, folder).stdout.split()) == ["ALPHA", "ONE", "TWO"]
    run_bash(in_place, folder)
    assert (folder / "notes.txt").read_text() == "ONE\nTWO\n"
    one = fixed("tr -d 'O' notes.txt", "delete the letter O from notes.txt", folder)
    assert one == "tr -d 'O' < notes.txt"
    assert run_bash(one, folder).stdout == "NE\nTW\n"  # uppercase since the fix above
    assert fixed("tr -s ' ' notes.txt", "squeeze the spaces in notes.txt", folder) is None  # 1 set?
    assert fixed("tr a b < notes.txt", "swap a for b in notes.txt", folder) is None


def test_a_script_here_run_inside_a_loop_is_no_missing_program(folder: Path) -> None:
    (folder / "process.sh").write_text('#!/bin/sh\necho "$1"\n')
    (folder / "process.sh").chmod(0o755)
    here = Workdir(folder)
    for command in (
        'for f in *.csv; do\n  ./process.sh "$f"\ndone',
        "while ! ./process.sh x; do\n  sleep 1\ndone",
        "for i in {1..5}; do ./process.sh; done",
        "if ./process.sh; then echo ok; fi",
    ):
        assert command_warnings(command, "/bin/bash", None, "", here) == [], command
    missing = command_warnings("for f in *; do ./gone.sh; done", "/bin/bash", None, "", here)
    assert missing == ["no such file here: ./gone.sh"]

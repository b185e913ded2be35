"""Checks against what the request says in so many words (cmdai.intent), and their fixes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import answer, assert_fixed, assert_pitfall

from cmdai.backends.fake import FakeBackend
from cmdai.core import Engine
from cmdai.intent import asked_program, printed_edits, runs_program
from cmdai.ordering import wrong_end
from cmdai.prompts import get_template
from cmdai.shellparse import analyse


@pytest.mark.parametrize(
    ("request_text", "asked"),
    [
        ("Build a package in the current directory (with uv build)", "uv build"),
        ("Stop recording (with vhs)", "vhs"),
        ("list the files with `ls`", "ls"),
        ("copy the logs using cp", "cp"),
        ("count the lines of notes.md with wc.", "wc"),
        ("show the disk usage with du", "du"),
        ("files with less than 10 lines", None),  # an everyday word, not the program
        ("find the process using the most memory", None),
        ("replace foo with bar", None),  # not a program here
        ("list files with spaces in their names", None),  # "with" mid-phrase
        ("compress notes.md with not-a-program-xyz", None),
    ],
)
def test_the_program_a_request_asks_for(request_text: str, asked: str | None) -> None:
    assert asked_program(request_text) == asked


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        ("uvbuild", "the request asks for uv build, and this command does not run uv"),
        ("nano ~/.uv/config", "does not run uv"),  # a path that mentions it is not running it
        ("uv build", None),
        ("sudo uv build --wheel", None),
        ("find . -name '*.toml' -exec uv build {} \\;", None),
        ("tar --use-compress-program=uv -cf a.tar .", None),  # handed to another program
    ],
)
def test_a_command_that_does_not_run_the_program_asked_for_is_asked_again(
    engine: Engine, fake: FakeBackend, command: str, warned: str | None
) -> None:
    assert_pitfall(engine, fake, command, "tool:", warned, "build it (with uv build)")


def test_the_note_names_the_program_and_a_better_answer_is_kept(
    engine: Engine, fake: FakeBackend
) -> None:
    fake.enqueue(answer("uvbuild"))
    fake.enqueue(answer("uv build"))
    proposal = engine.propose("Build a package in the current directory (with uv build)")
    assert proposal.command == "uv build"
    assert "asked again: a check here proved the first command wrong" in proposal.warnings
    assert "(Note: the request asks for uv build" in fake.history[-1].messages[-1].content


def test_a_request_that_names_a_program_is_never_declined(
    engine: Engine, fake: FakeBackend
) -> None:
    fenced = dataclasses.replace(engine, template=get_template("fenced"))
    fenced.propose("Interactively choose which parts to squash (with jj squash)")
    assert fake.history[-1].decline_threshold > 1.0  # never reached
    fenced.propose("choose which parts to squash")
    assert fake.history[-1].decline_threshold == 0.10


def test_a_request_that_writes_out_a_path_or_a_variable_is_never_declined(
    engine: Engine, fake: FakeBackend
) -> None:
    # "make a test script in /tmp fully open" was declined ("the script should be fully open")
    fenced = dataclasses.replace(engine, template=get_template("fenced"))
    shell_words = (
        "make a test script in /tmp fully open",
        "tidy ~/Downloads",
        "run ./x",
        # NL2Bash's, declined as unclear before variables counted
        'Decompress and sort "$part0" and "$part1" of files in different processes',
        "print ${name} in upper case",
    )
    for request in shell_words:
        fenced.propose(request)
        assert fake.history[-1].decline_threshold > 1.0, request
    for request in (
        "compare apples and/or pears",
        "what is https://example.com about",
        "is $5 a fair price for a coffee",
    ):
        fenced.propose(request)
        assert fake.history[-1].decline_threshold == 0.10, request


@pytest.mark.parametrize(
    ("command", "name", "runs"),
    [
        ("python3.11 -c 'print(1)'", "python", True),
        ("pip3 install x", "pip", True),
        ("ls | xargs zstd", "zstd", True),
        ("pipx install x", "pip", False),
        ("7z a x.7z d", "zip", False),
    ],
)
def test_a_versioned_program_is_the_one_asked_for(command: str, name: str, runs: bool) -> None:
    assert runs_program(analyse(command), name) is runs


@pytest.mark.parametrize(
    ("request_text", "command", "warned"),
    [
        ("replace foo with bar in notes.txt", "sed 's/foo/bar/g' notes.txt", "leaves notes.txt"),
        ("Replace all tabs in data.tsv with commas", "sed -E 's/\t/,/g' data.tsv", "sed -i"),
        ("replace foo with bar in notes.txt", "sed -i 's/foo/bar/g' notes.txt", None),
        ("replace foo with bar in notes.txt", "sed -i.bak 's/foo/bar/g' notes.txt", None),
        ("replace foo with bar in notes.txt", "sed --in-place -e 's/foo/bar/' notes.txt", None),
        (
            "replace foo with bar in notes.txt and save it as new.txt",
            "sed 's/a/b/' notes.txt",
            None,
        ),
        ("show notes.txt with foo replaced by bar", "sed 's/foo/bar/g' notes.txt", None),
        ("replace foo with bar in notes.txt", "sed 's/foo/bar/g' notes.txt > out.txt", None),
        ("replace foo with bar in notes.txt", "sed 's/foo/bar/g' notes.txt | less", None),
        ("replace foo with bar in the output", "sed 's/foo/bar/g' other.txt", None),
    ],
)
def test_a_sed_that_only_prints_an_edit_asked_for_is_noted(
    request_text: str, command: str, warned: str | None
) -> None:
    notes = printed_edits(analyse(command), request_text)
    if warned is None:
        assert notes == []
    else:
        assert len(notes) == 1
        assert warned in notes[0]


def test_a_sed_that_only_prints_an_edit_asked_for_is_fixed_here(
    engine: Engine, fake: FakeBackend
) -> None:
    fake.enqueue(answer("sed 's/foo/bar/g' notes.txt"))
    proposal = engine.propose("replace foo with bar in notes.txt")
    assert proposal.command == "sed -i 's/foo/bar/g' notes.txt"
    assert "fixed here: sed -i, so that notes.txt itself changes" in proposal.warnings
    assert len(fake.history) == 1  # a sure fix: the model is not asked again
    # Anything but one sed is asked again with the note instead.
    assert_pitfall(
        engine,
        fake,
        "cd docs && sed 's/foo/bar/g' notes.txt",
        "edit:",
        "leaves notes.txt as it was",
        "replace foo with bar in notes.txt",
    )


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        ("ls -t | head -n 3", "show the 3 oldest files here", "ls -tr | head -n 3"),
        ("ls -ltr | head -n 3", "the 3 newest files", "ls -lt | head -n 3"),
        ("ls -S | tail -n 2", "the 2 largest files", "ls -Sr | tail -n 2"),
        (
            "du -sh * | sort -h | head -n 5",
            "the 5 largest folders",
            "du -sh * | sort -hr | head -n 5",
        ),
        (
            "sort -t, -k3 -n s.csv | head -n 1",
            "the highest score",
            "sort -t, -k3 -nr s.csv | head -n 1",
        ),
        ("sort -rn counts | head -n 4", "the 4 least common words", "sort -n counts | head -n 4"),
    ],
)
def test_the_wrong_end_of_an_order_is_turned_round_here(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: ")


@pytest.mark.parametrize(
    ("command", "request_text"),
    [
        ("ls -lt | head -n 3", "the 3 newest files"),
        ("du -sh * | sort -rh | head -n 5", "the 5 largest folders"),
        ("ls -S | tail -n 1", "the smallest file"),
        ("sort -n counts | tail -n 3", "the 3 most common words"),
        ("ls -t | head -n 3", "the 3 files changed last"),  # no end named: not read
        ("ls -S | head -n 1", "the newest and largest file"),  # a time word for a size order
        ("sort words | head -n 2", "the smallest words"),  # not numeric: not read
        ("ls -t | head -n 3", "the oldest and newest files"),  # both ends
    ],
)
def test_the_right_end_of_an_order_is_left_alone(
    engine: Engine, fake: FakeBackend, command: str, request_text: str
) -> None:
    assert_pitfall(engine, fake, command, "direction:", None, request_text)
    fake.enqueue(answer(command))
    assert engine.propose(request_text).command == command


def test_an_order_set_in_a_sort_key_is_asked_again_not_fixed(
    engine: Engine, fake: FakeBackend
) -> None:
    command = "sort -t, -k3,3nr s.csv | tail -n 1"
    assert_pitfall(engine, fake, command, "direction:", "gives the smallest", "the highest score")


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            "tail -f app.log",
            "the last 20 lines of app.log, and keep following it",
            "tail -n 20 -f app.log",
        ),
        ("cat app.log | head", "the first 3 lines of app.log", "cat app.log | head -n 3"),
        ("tail -n 5 app.log", "the last 20 lines of app.log", None),  # counted: the model's
        ("tail app.log", "the last 10 lines of app.log", None),
        ("tail -3 app.log", "the last 3 lines of app.log", None),
    ],
)
def test_a_count_of_lines_the_request_names_is_given_here(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: ")


@pytest.mark.parametrize(
    ("command", "request_text", "warned"),
    [
        ("ls -lt backups/", "list the backups from oldest to newest", "asks for the oldest first"),
        ("ls -t", "list files sorted by modification time, oldest first", "newest first here"),
        ("ls -Sr", "list the files sorted by size, biggest first", "the smallest first here"),
        ("ls -ltr backups/", "list the backups from oldest to newest", None),
        ("ls -lt", "list the files, newest first", None),
        ("ls -lt", "list the files by date", None),  # no order said
        ("ls -lt | head -n 3", "the 3 oldest files", None),  # an end: wrong_end's
    ],
)
def test_a_listing_in_the_other_order_is_asked_again(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, warned: str | None
) -> None:
    assert_pitfall(engine, fake, command, "order:", warned, request_text)


@pytest.mark.parametrize(
    ("command", "request_text", "warned"),
    [
        (
            'find src -type f -name "*.py" | wc -l',
            "how many lines of python code are there in src",  # found by hand
            "counts the files, not the lines",
        ),
        ("ls *.log | wc -l", "count the lines in all the log files", "ls prints one name"),
        ("find . -name '*.md' | wc -l", "total line count of the markdown files", "wc -l"),
        ("find src -name '*.py' -exec cat {} + | wc -l", "how many lines of python code", None),
        ("find src -name '*.py' | wc -l", "how many python files are in src", None),
        ("find . -type f | wc -l", "count the lines of the output of find", None),  # NL2Bash's
        ("( find . -name '*.php' -print0 | xargs -0 cat ) | wc -l", "total lines of php", None),
    ],
)
def test_names_counted_for_the_lines_asked_for_are_asked_again(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, warned: str | None
) -> None:
    assert_pitfall(engine, fake, command, "count:", warned, request_text)


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        ('echo "" > notes.md', "make notes.md empty", ": > notes.md"),
        ("echo > notes.md", "clear notes.md", ": > notes.md"),
        ('echo -n "" > notes.md', "make notes.md empty", None),
        ('echo "" > notes.md', "add a blank line to notes.md", None),
    ],
)
def test_an_empty_file_asked_for_is_left_empty(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: ")


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        ("ls -l logs/ | wc -l", "ls logs/ | wc -l"),
        ("ls -la | wc -l", "ls -A | wc -l"),
        ("ls -lh logs/ | wc -l", "ls logs/ | wc -l"),
        ("ls -l *.txt | wc -l", None),  # files: no total line
        ("ls | wc -l", None),
        ("ls -l | wc -c", None),
    ],
)
def test_a_long_listing_counted_by_wc_loses_its_total_line_here(
    engine: Engine, fake: FakeBackend, command: str, fixed: str | None
) -> None:
    assert_fixed(
        engine, fake, command, "how many files are in logs", fixed, "fixed here: without -l"
    )


def test_a_long_listing_with_other_options_is_asked_again(
    engine: Engine, fake: FakeBackend
) -> None:
    assert_pitfall(engine, fake, "ls -li | wc -l", "header:", "'total' line")


@pytest.mark.parametrize(
    ("command", "request_text", "warned"),
    [
        ("ls -S | head -n 3 | cat -n", "show the 3 biggest folders here", "du -s * | sort -nr"),
        ("ls -lS --group-directories-first | head", "the largest directory", "4096 bytes"),
        ("du -s * | sort -nr | head -n 3", "show the 3 biggest folders here", None),
        ("ls -S | head -n 3", "show the 3 biggest files here", None),
        ("ls -S src", "list the folder src by size", None),  # no end asked for
        ("ls -l | sort -k5 -n | tail -n 3 | cat -n", "the 3 biggest folders here", "du -s"),
        ("ls -l | sort -k5 -n | tail -n 3", "the 3 biggest files here", None),
    ],
)
def test_folders_ordered_by_their_entry_size_are_asked_again(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, warned: str | None
) -> None:
    assert_pitfall(engine, fake, command, "size:", warned, request_text)


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            "ls -S | head -n 3",
            "show the 3 biggest folders here",
            "du -sh */ | sort -rh | head -n 3",
        ),
        (
            "ls -lS logs/ | head -3",
            "the 3 largest dirs in logs",
            "du -sh logs/*/ | sort -rh | head -3",
        ),
        ("ls -S | head -n 2", "the 2 smallest directories", "du -sh */ | sort -h | head -n 2"),
        (  # a long listing sorted by its size column: the same entry sizes (a later round)
            "ls -l /var/log | sort -k 5 -nr | head -n 10",
            "show the 10 biggest folders in /var/log",
            "du -sh /var/log/*/ | sort -rh | head -n 10",
        ),
        (
            "ls -la | sort -nrk5 | head -3",
            "the 3 largest folders here",
            "du -sh */ | sort -rh | head -3",
        ),
    ],
)
def test_folders_ordered_by_their_entry_size_are_added_up_here(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: du -s adds up")


def test_files_in_a_directory_are_not_folders(engine: Engine, fake: FakeBackend) -> None:
    request = "list the 5 largest files in this directory"
    assert_pitfall(engine, fake, "ls -lS | head -n 5", "size:", None, request)
    assert_pitfall(
        engine, fake, "ls -S src | head -n 5", "size:", None, "the biggest files in src folder"
    )


@pytest.mark.parametrize(
    ("command", "request_text", "warned"),
    [
        (
            'find . -type f -name "*.tar.gz"',
            "extract all the .tar.gz archives here",
            "to extract them",
        ),
        ("find . -name '*.tmp'", "delete the .tmp files below here", "to delete them"),
        ("find . -name '*.tar.gz' -exec tar xzf {} \\;", "extract all the .tar.gz archives", None),
        ("find . -name '*.tmp' -delete", "delete the .tmp files below here", None),
        ("find . -name '*.tmp' | xargs rm", "delete the .tmp files below here", None),
        ("find . -name '*.tmp'", "list the .tmp files below here", None),
        ("find . -name '*.py'", "make a list of the python files", None),
    ],
)
def test_a_find_that_only_lists_files_it_was_asked_to_act_on_is_asked_again(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, warned: str | None
) -> None:
    assert_pitfall(engine, fake, command, "action:", warned, request_text)


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        ("du -sh *.bin", "show the total size of all .bin files", "du -ch *.bin | tail -n 1"),
        (
            "du -h a.bin b.bin",
            "the combined size of a.bin and b.bin",
            "du -ch a.bin b.bin | tail -n 1",
        ),
        (
            "du -sh cache/*",
            "total size in bytes of the files in cache",
            "du -cb cache/* | tail -n 1",
        ),
        ("du -ch *.bin | tail -n 1", "show the total size of all .bin files", None),
        ("du -sh logs", "the total size of logs", None),  # one folder: its total
        ("du -sh *.bin", "the size of each .bin file", None),
    ],
)
def test_a_total_size_asked_for_is_added_up_here(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: du -c")


def test_a_total_size_in_a_pipeline_is_asked_again(engine: Engine, fake: FakeBackend) -> None:
    request = "show the total size of all .bin files"
    assert_pitfall(engine, fake, "du -sh *.bin | sort -h", "total:", "du -ch", request)


def test_a_sort_asked_for_is_not_an_order_to_keep(engine: Engine, fake: FakeBackend) -> None:
    request = "sort people.csv by age, keeping the original order of equal ages"
    assert_pitfall(engine, fake, "sort -s -t, -k2,2n people.csv", "order:", None, request)


def test_a_sort_for_unique_lines_in_their_order_is_fixed_here(
    engine: Engine, fake: FakeBackend
) -> None:
    request = "dedupe words.txt, keep the order"
    assert_fixed(engine, fake, "sort -u words.txt", request, "awk '!seen[$0]++' words.txt", "fixed")


@pytest.mark.parametrize(
    ("command", "request_text", "warned"),
    [
        # no number to compare with: asked again (a plain limit is fixed here, below)
        ("ls -lt | grep 'Dec  5'", "list the files modified today", "find . -mmin"),
        ("ls -lt | grep 'Dec'", "files changed in the last few days", "cannot compare times"),
        ("ls -l | grep '\\.txt$'", "list the .txt files", None),
        ("find . -size +1M", "list the files here larger than 1 megabyte", None),
    ],
)
def test_a_listing_grepped_for_sizes_or_times_is_asked_again(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, warned: str | None
) -> None:
    assert_pitfall(engine, fake, command, "compare:", warned, request_text)


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            "ls -lh | grep -E '(1000000)'",
            "list the files here larger than 1 megabyte",
            "find . -type f -size +1M -exec ls -lh {} +",
        ),
        (
            "ls -l /srv/data | grep 'M '",
            "files over 100MB",
            "find /srv/data -type f -size +100M -exec ls -l {} +",
        ),
        (
            "ls -lt | grep '10:'",
            "list the files modified in the last hour, only in this folder",
            "find . -maxdepth 1 -type f -mmin -60 -exec ls -lt {} +",
        ),
        (
            "ls -lt | grep -E '^[0-9]{4}'",
            "list files modified in the last 24 hours",
            "find . -type f -mtime -1 -exec ls -lt {} +",
        ),
        (
            "ls -lRt | grep 'Dec'",
            "files changed within the past 2 weeks",
            "find . -type f -mtime -14 -exec ls -lt {} +",
        ),
        (
            "ls -l | grep 'K'",
            "files smaller than 10 kb in all subfolders",
            "find . -type f -size -10k -exec ls -l {} +",
        ),
        ("ls -lt | grep 'Dec'", "files changed in the last few days", None),  # no number
        ("ls -l *.log | grep 'M '", "logs over 5 MB", None),  # named files: not a folder
        (
            "ls | grep '2024'",
            "files changed in the last 2 days",
            "find . -type f -mtime -2",
        ),
    ],
)
def test_a_listing_grepped_for_a_plain_limit_is_fixed_here(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: grep cannot compare")


@pytest.mark.parametrize(
    ("command", "request_text", "warned"),
    [
        ("ls -t src | head -n 10", "the 10 most recently modified files below here", "find ."),
        ("ls -l *.py", "list the python files recursively", "ls lists one folder"),
        ("ls -R | grep py", "list the python files recursively", None),
        ("find . -name '*.py'", "list the python files in all subfolders", None),
        ("ls -t | head -n 10", "show the 10 most recently modified files here", None),
        ("ls **/*.py", "list the python files below here", None),
    ],
)
def test_a_one_folder_listing_for_the_files_below_is_asked_again(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, warned: str | None
) -> None:
    assert_pitfall(engine, fake, command, "depth:", warned, request_text)


@pytest.mark.parametrize(
    ("command", "request_text"),
    [
        # Turned round, these would delete the files the request says to keep. (Kept files
        # named by a count are cmdai.archive_fixes.kept_newest_fix's: tests/test_archive_fixes.)
        ("ls -t | tail -n 5 | xargs rm", "remove the 5 newest files"),
        ("ls -t | head -n 3 > list.txt", "save the names of the 3 oldest files in list.txt"),
        ("find . -name '*.log' | sort -n | head -n 2 | xargs rm", "delete the 2 largest logs"),
    ],
)
def test_a_command_that_changes_things_is_never_turned_round_here(
    engine: Engine, fake: FakeBackend, command: str, request_text: str
) -> None:
    assert_fixed(engine, fake, command, request_text, None, "fixed here")


def test_all_but_the_newest_names_the_end_to_keep() -> None:
    request = "delete all but the 3 newest files"
    assert wrong_end(analyse("ls -t | tail -n +4 | xargs rm"), request) == []


@pytest.mark.parametrize(
    "request_text",
    [
        "list what's in Downloads from the last 7 days, newest first",
        "list the files over 1KB sorted by size, smallest first",
    ],
)
def test_an_order_to_show_in_is_not_an_end_to_pick(request_text: str) -> None:
    assert wrong_end(analyse("ls -lt Downloads | tail -n 7"), request_text) == []
    assert wrong_end(analyse("du -b * | sort -n | tail -n 10"), request_text) == []


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        # wc straight into sort is fixed here instead (cmdai.text_fixes, tests/test_text_fixes.py)
        ("ls | grep csv | xargs -0 wc -l | sort -rn | head -n 3", "grep -v ' total$'"),
        ("wc -l a.csv | sort -n", None),
        ("wc -l *.csv | grep -v total | sort -rn", None),
    ],
)
def test_wcs_total_line_sorted_among_the_files_is_asked_again(
    engine: Engine, fake: FakeBackend, command: str, warned: str | None
) -> None:
    assert_pitfall(engine, fake, command, "header:", warned, "lines of each csv, largest first")


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            "ls -S | head -n 5",
            "find the 5 largest files below here",
            "find . -type f -printf '%s %p\\n' | sort -nr | head -n 5",
        ),
        (
            "ls -lt | head -n 10",
            "the 10 most recently changed files, recursively",
            "find . -type f -printf '%TY-%Tm-%Td %TT %p\\n' | sort -r | head -n 10",
        ),
        (
            "ls -Sr | head -3",
            "the 3 smallest files in all subfolders",
            "find . -type f -printf '%s %p\\n' | sort -n | head -3",
        ),
        ("ls -S | head -n 5", "the 5 largest files here", None),
    ],
)
def test_a_one_folder_listing_is_made_a_find_for_the_files_below(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: find reaches")


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        ("ls -S | head -n 3", "show the 3 largest files here", "ls -Sp | grep -v / | head -n 3"),
        ("ls -Sr | head -n 2", "the 2 smallest files", "ls -Srp | grep -v / | head -n 2"),
        # (src holds only a folder: find reaches the files in it, tests/test_path_fixes.py)
        ("ls -S logs | head -n 3", "the 3 largest files in logs", None),  # no folder in logs
        ("ls -lS | head -n 3", "the 3 largest files here", None),  # a long listing: its total
    ],
)
def test_files_by_size_leave_out_the_folders_listed_among_them(
    engine: Engine,
    fake: FakeBackend,
    tmp_path: Path,
    command: str,
    request_text: str,
    fixed: str | None,
) -> None:
    here = dataclasses.replace(engine, workdir=_with_folders(tmp_path))
    assert_fixed(here, fake, command, request_text, fixed, "fixed here: ls -S lists the folders")


def test_the_biggest_folders_are_du_s_fix_not_this_one(
    engine: Engine, fake: FakeBackend, tmp_path: Path
) -> None:
    here = dataclasses.replace(engine, workdir=_with_folders(tmp_path))
    fake.enqueue(answer("ls -S | head -n 3"))
    proposal = here.propose("the 3 biggest folders")
    assert not any(w.startswith("fixed here: ls -S lists") for w in proposal.warnings)
    assert proposal.command == "du -sh */ | sort -rh | head -n 3"


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        ("ls -S | head -n 3", "show the largest 3 files in logs", "ls -S logs | head -n 3"),
        ("ls -t | head -n 1", "the newest file in the logs folder", "ls -t logs | head -n 1"),
        ("ls -S logs | head -n 3", "show the largest 3 files in logs", None),  # it looks there
        ("ls -t | head -n 1", "the newest log file", None),  # no folder named
    ],
)
def test_a_lone_ls_of_the_folder_the_request_names_is_fixed_here(
    engine: Engine,
    fake: FakeBackend,
    tmp_path: Path,
    command: str,
    request_text: str,
    fixed: str | None,
) -> None:
    here = dataclasses.replace(engine, workdir=_with_folders(tmp_path))
    assert_fixed(here, fake, command, request_text, fixed, "fixed here: the request asks about")


@pytest.mark.parametrize(
    ("command", "request_text", "warned"),
    [
        ("find . -name '*.log' | wc -l", "count the log files in logs", "must look in logs"),
        ("find logs -name '*.log' | wc -l", "count the log files in logs", None),
        ("cd logs && ls | wc -l", "count the files in logs", None),
        ("find . -path '*/logs/*' | wc -l", "count the files in logs", None),
        ("find . -type f | wc -l", "count the files in the src folder", "must look in src"),
        ("find . -type f | wc -l", "count the files here", None),
    ],
)
def test_a_folder_the_request_names_and_the_command_never_looks_in_is_asked_again(
    engine: Engine,
    fake: FakeBackend,
    tmp_path: Path,
    command: str,
    request_text: str,
    warned: str | None,
) -> None:
    here = dataclasses.replace(engine, workdir=_with_folders(tmp_path))
    assert_pitfall(here, fake, command, "folder:", warned, request_text)


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        ('grep -rn "TODO" *.log', "files that match are in folders below (logs/a.log)"),
        ("wc -l *.log | sort -n", "grep -r --include='*.log'"),
        ("for f in *.log; do wc -l $f; done", "no file in this folder matches *.log"),
        ("grep -rn TODO --include='*.log' .", None),  # a pattern grep reads itself
        ("grep -rn TODO --include=*.log .", None),
        ("find . -name *.log", None),  # find's pattern: unmatched, it reaches as meant
        ("grep -rn TODO '*.log'", None),  # quoted: a name, not a glob bash expands
        ("wc -l logs/*.log", None),
        ("wc -l *.txt", None),  # matches nothing below either: nothing better to say
        ("wc -l *.md", None),  # a file here matches: bash expands it
        ("rm -f *.log", None),  # changes things: never widened to every folder's files
        ("cat *.log > all.txt", None),
    ],
)
def test_a_glob_that_matches_nothing_here_but_files_below_is_asked_again(
    engine: Engine, fake: FakeBackend, tmp_path: Path, command: str, warned: str | None
) -> None:
    # "show all TODO comments in the python files", code in src/: grep -r "# TODO" *.py
    (_with_folders(tmp_path) / "README.md").write_text("# x\n", encoding="utf-8")
    (tmp_path / ".hidden.log").write_text("x\n", encoding="utf-8")  # bash's *.log skips it
    here = dataclasses.replace(engine, workdir=tmp_path)
    assert_pitfall(here, fake, command, "glob:", warned, "count the lines of the log files")
    if warned:  # a request for this folder alone: the glob's error is the honest answer
        assert_pitfall(here, fake, command, "glob:", None, "lines of the log files, not subfolders")


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        ("grep -n helper src/*", "grep -r -n helper src/*"),  # src holds only folders (by hand)
        ("grep -n helper logs/*", None),  # a file among them: grep reads it
        ("grep -rn helper src/*", None),
        ("grep -n helper 'src/*'", None),  # quoted: no expansion
        ("cd logs && grep -n helper *", None),  # expanded in another folder
    ],
)
def test_a_glob_that_hands_a_tool_only_folders_gets_r_here(
    engine: Engine, fake: FakeBackend, tmp_path: Path, command: str, fixed: str | None
) -> None:
    here = dataclasses.replace(engine, workdir=_with_folders(tmp_path))
    request = "search for helper in src with line numbers"
    assert_fixed(here, fake, command, request, fixed, "fixed here: src/pkg is a directory")


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        ('grep -r "helper" src | grep -n', "grep is given no pattern"),  # found by hand
        ("grep -rn helper src", None),
        ("grep -e helper -n src/a.py", None),
        ("grep -rie helper src", None),  # -e in a cluster takes the next word
        ("grep -f patterns.txt notes.txt", None),
        ("grep --help", None),
        ("ls | xargs grep -n", None),  # handed on through xargs: not read that closely
    ],
)
def test_a_grep_given_no_pattern_is_asked_again(
    engine: Engine, fake: FakeBackend, command: str, warned: str | None
) -> None:
    assert_pitfall(engine, fake, command, "regex:", warned)


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        ("grep -v '^#' -v '^$' .env", "reads ^$ as a file to search"),  # found by hand
        ("grep -v -e '^#' -e '^$' .env", None),
        ("grep -zom 1 '.*' notes.txt", None),  # -m's value in a cluster: 1 is no pattern
        ('grep -oE "\\b([0-9]{1,3}\\.){3}[0-9]{1,3}\\b" ip.txt', None),  # quoted braces
        ("grep x a.txt b.txt", None),
    ],
)
def test_a_second_pattern_read_as_a_file_is_asked_again(
    engine: Engine, fake: FakeBackend, tmp_path: Path, command: str, warned: str | None
) -> None:
    here = dataclasses.replace(engine, workdir=tmp_path)
    assert_pitfall(here, fake, command, "regex:", warned)


def _with_folders(root: Path) -> Path:
    """A working directory with a folder that holds a folder, and one that holds a file."""
    (root / "src" / "pkg").mkdir(parents=True)
    (root / "logs").mkdir()
    (root / "logs" / "a.log").write_text("x\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        (
            "grep -o -i '[a-zA-Z]+' words.txt | sort | uniq -c",
            "grep -E -o -i '[a-zA-Z]+' words.txt | sort | uniq -c",
        ),
        ("grep -i 'error|warning' app.log", "grep -E -i 'error|warning' app.log"),
        ("ps aux | grep 'node|npm'", "ps aux | grep -E 'node|npm'"),
        ("grep -m 5 'id=.+;' app.log", "grep -E -m 5 'id=.+;' app.log"),
        ("grep -E '[0-9]+' app.log", None),  # already extended
        ("grep 'C++' notes.txt", None),  # a plus sign after a letter may be one
        ("grep '\\(ab\\)\\+' notes.txt", None),  # GNU's basic operators, escaped
        ("grep '|' table.txt", None),
        ("grep '[0-9]+' a.txt | grep -v x", None),  # two greps: asked, not fixed
    ],
)
def test_extended_operators_in_a_basic_grep_are_fixed_here(
    engine: Engine, fake: FakeBackend, command: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, "find the matches", fixed, "fixed here: grep's basic")


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        ("kill -9 $(lsof -i :3000 -t | awk '{print $2}')", "kill -9 $(lsof -i :3000 -t)"),
        ("lsof -ti :3000 | awk '{print $2}' | xargs kill", "lsof -ti :3000 | xargs kill"),
        ("pgrep -f node | awk '{print $2}' | xargs kill", "pgrep -f node | xargs kill"),
        ("pgrep -l node | awk '{print $2}'", None),  # -l: the name is the second field
        ("pgrep -af node | awk '{print $2}'", None),
        ("lsof -i :3000 -t | xargs kill", None),
    ],
)
def test_ids_alone_handed_to_awk_are_fixed_here(
    engine: Engine, fake: FakeBackend, command: str, fixed: str | None
) -> None:
    # lsof -t and pgrep print one process id per line: awk '{print $2}' prints empty lines.
    assert_fixed(engine, fake, command, "kill what listens on port 3000", fixed, "fixed here: ")


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        (
            "sudo lsof -i :8080 | grep -v grep | awk '{print $2}' | xargs kill -9",
            "sudo lsof -t -i :8080 | xargs kill -9",
        ),
        ("kill -9 $(lsof -i :8080 | awk '{print $2}')", "kill -9 $(lsof -t -i :8080)"),
        (
            "lsof -i tcp:3000 | awk '{ print $2 }' | xargs -r kill",
            "lsof -t -i tcp:3000 | xargs -r kill",
        ),
        ("lsof -ti :8080 | xargs kill", None),  # already the ids alone
        ("lsof -i :8080 | awk '{print $2}'", None),  # shown, not killed
    ],
)
def test_lsof_titles_handed_to_kill_are_fixed_here(
    engine: Engine, fake: FakeBackend, command: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, "kill what listens on port 8080", fixed, "fixed here: lsof")


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            "md5sum bash",
            "Calculate the md5sum of the executable file of command 'bash'",
            "md5sum $(which bash)",
        ),
        ("ls -l bash", "show the permissions of the bash binary", "ls -l $(which bash)"),
        ("file sh", "what kind of file is the sh program", "file $(which sh)"),
        ("md5sum bash", "the md5sum of bash", None),  # no program, command or binary asked
        ("md5sum notes.txt", "md5sum of the notes.txt command file", None),  # a file here
        ("md5sum no-such-program-here", "md5sum of the no-such-program-here binary", None),
        ("cat bash | wc -c", "the size of the bash program", None),  # more than one command
    ],
)
def test_a_programs_name_where_its_file_was_meant_is_fixed_here(
    engine: Engine,
    fake: FakeBackend,
    tmp_path: Path,
    command: str,
    request_text: str,
    fixed: str | None,
) -> None:
    # "the md5sum of the executable file of command 'c++'" was answered `md5sum c++`.
    (tmp_path / "notes.txt").write_text("a\n", encoding="utf-8")
    here = dataclasses.replace(engine, workdir=tmp_path)
    assert_fixed(here, fake, command, request_text, fixed, "fixed here: ")


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            "curl -s \"https://api.ipify.org?format=json\" | jq -r '.ip'",
            "what time is it in Tokyo",
            "TZ=Asia/Tokyo date",
        ),
        (
            'date -u +"%H:%M" --tz=Europe/London',
            "show the current time in London",
            'TZ=Europe/London date +"%H:%M"',
        ),
        ("date", "what's the date in New York right now", "TZ=America/New_York date"),
        ("date", "Sydney time please", "TZ=Australia/Sydney date"),
        ("TZ=Asia/Tokyo date", "what time is it in Tokyo", None),  # already so
        ("TZ='Asia/Tokyo' date +%R", "the time in Tokyo", None),
        ("date", "what time is it", None),  # no city
        ("date -d '3pm'", "convert 3pm Tokyo time to local time", None),  # not now
        ("ls -lt", "sort the files in London by time", None),  # a folder, not a clock
        ("date", "what time is it in Springfield", None),  # no such zone, or several
    ],
)
def test_the_time_in_a_city_is_its_zone_fixed_here(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    # By hand: "what time is it in Tokyo" got an IP lookup, London `date --tz=` (no such option).
    import zoneinfo

    if "Asia/Tokyo" not in zoneinfo.available_timezones():
        pytest.skip("no time-zone database on this system (the fix then does nothing)")
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: the time in")


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        # found by hand: "lines 2 to 3" answered with head's count taken as the last line
        ("tail -n +2 app.log | head -n 3", "show lines 2 to 3 of app.log", "sed -n '2,3p' app.log"),
        ("head -n 20 f.txt | tail -n 5", "print lines 10 to 20 of f.txt", "sed -n '10,20p' f.txt"),
        ("sed -n '1,20p' f.txt", "lines 10-20 of f.txt", "sed -n '10,20p' f.txt"),
        ("tail -n +2 app.log | head -n 2", "show lines 2 to 3 of app.log", None),  # right
        ("sed -n '10,20p' f.txt", "lines 10 through 20 of f.txt", None),
        ("tail -n +2 app.log | head -n 3", "show the lines after the first", None),
    ],
)
def test_a_range_of_lines_is_the_range_asked_for(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: ")


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        # "sorted by size" picks no end: the folders' sizes in ls -S's order, largest first
        ("ls -ld --sort=size", "list the directories here sorted by size", "du -sh */ | sort -rh"),
        ("ls -S logs", "list the folders in logs by size", "du -sh logs/*/ | sort -rh"),
        ("ls -S", "list the files in this folder sorted by size", None),  # files, in a folder
        ("ls -lS", "list files by size", None),
    ],
)
def test_folders_sorted_by_size_are_sorted_by_what_they_hold(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: du -s")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("cp -r data/ data/$(date +%Y%m%d)", "cp cannot put data inside itself"),
        ("mv src src/old", "mv cannot put src inside itself"),
        ("cp -r data data-$(date +%F)", None),
        ("cp notes.txt data/", None),
    ],
)
def test_a_folder_copied_into_itself_is_asked_again(
    engine: Engine, fake: FakeBackend, command: str, expected: str | None
) -> None:
    assert_pitfall(engine, fake, command, "dir:", expected)


@pytest.mark.parametrize(
    ("command", "request_text", "fixed", "note"),
    [
        # the request names the file by its own name; the command by its path here
        (
            "sed 's/red/blue/g' web/css/site.css",
            "replace red with blue in site.css",
            "sed -i 's/red/blue/g' web/css/site.css",
            "fixed here: sed -i",
        ),
        # a rename keeps the file in its folder
        (
            "mv notes/2026-12-01.md meeting.md",
            "rename notes/2026-12-01.md to meeting.md",
            "mv notes/2026-12-01.md notes/meeting.md",
            "fixed here: notes/meeting.md",
        ),
        ("mv notes/a.md b.md", "move notes/a.md to b.md", None, "fixed here: "),
        ("mv a.md b.md", "rename a.md to b.md", None, "fixed here: "),
    ],
)
def test_an_edit_or_a_rename_of_a_file_in_a_folder(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None, note: str
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, note)


@pytest.mark.parametrize(
    ("command", "request_text", "warned"),
    [
        ("ls *.tmp && rm *.tmp", "find the temp files", "rm deletes files"),
        ("rm -f $(ls *.tmp)", "which .tmp files are there", "rm deletes"),
        ("find . -name '*.tmp' -delete", "clean up the temp files", None),
        ("rm -f *.tmp", "get rid of the .tmp files", None),
        ("mv old.txt new.txt && rm -f tmp", "move old.txt to new.txt", None),
        ("find . -name '*.tmp'", "find the temp files", None),
        ("passwd --delete alice", "make alice's password blank", None),
    ],
)
def test_a_command_that_deletes_what_nobody_asked_to_delete_is_asked_again(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, warned: str | None
) -> None:
    assert_pitfall(engine, fake, command, "delete:", warned, request_text)


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        ("find . -type f -empty -exec rm {} \\;", "find empty files", "find . -type f -empty"),
        ("find . -name '*.tmp' -delete", "list the temp files", "find . -name '*.tmp'"),
        (
            "find . -type f -exec md5sum {} + | sort | uniq -d | xargs rm -f",
            "find duplicate files",
            "find . -type f -exec md5sum {} + | sort | uniq -d",
        ),
        ("find . -name '*.tmp' -delete", "delete the temp files", None),  # asked
        ("rm notes.txt", "show notes.txt", None),  # nothing left once rm goes: asked again
    ],
)
def test_a_find_that_deletes_what_it_was_asked_to_find_only_finds_it_here(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: the request asks for")

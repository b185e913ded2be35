"""What is here: the facts about files a request names, and how they reach the prompt."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import answer, assert_pitfall

from cmdai.backends.fake import FakeBackend
from cmdai.context import MAX_ENTRIES, MAX_LINE_CHARS, Workdir, named_entries, render_facts
from cmdai.context import workspace_facts as facts
from cmdai.core import Engine
from cmdai.prompts import get_template
from cmdai.settings import Settings


@pytest.fixture
def here(tmp_path: Path) -> Path:
    (tmp_path / "sales.csv").write_text("date,region,units\n2024-01-01,north,3\n")
    (tmp_path / "employees.csv").write_text("id,name,department\r\n1,ann,ops\r\n")
    (tmp_path / "inventory.json").write_text('[\n  {"name": "widget",\n   "qty": 3}\n]\n')
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (tmp_path / "blob").write_bytes(b"ab\x00cd")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("import sys\n")
    (tmp_path / "notes.md").write_text("x" * 500 + "\n")
    (tmp_path / "report.txt").write_text("a\n")
    (tmp_path / "data.csv").write_text("1,2\n3,4\n")
    (tmp_path / "report.pdf").write_bytes(b"%PDF")
    return tmp_path


def test_a_named_file_shows_its_first_line(here: Path) -> None:
    assert render_facts(facts("total units in sales.csv", here)) == (
        "(here: sales.csv (first line: date,region,units))"
    )


def test_a_stem_names_the_one_file_it_matches(here: Path) -> None:
    # "employees" names employees.csv; "report" is ambiguous (txt and pdf): nothing.
    assert [f.name for f in facts("how many rows in employees", here)] == ["employees.csv"]
    assert facts("open the report file", here) == ()


def test_a_file_named_without_its_folder_is_found_below(here: Path) -> None:
    # "sort staff.csv" for data/staff.csv: the model had written the bare name, which fails
    (here / "data").mkdir()
    (here / "data" / "staff.csv").write_text("name,dept,salary\n")
    assert render_facts(facts("sort staff.csv by salary", here)) == (
        "(here: data/staff.csv (first line: name,dept,salary))"
    )
    assert [f.name for f in facts("what imports main.py", here)] == ["src/main.py"]
    (here / "logs" / "old").mkdir(parents=True)
    (here / "logs" / "app.log").write_text("a\n")
    (here / "logs" / "old" / "app.log").write_text("b\n")
    assert facts("errors in app.log", here) == ()  # two of them: which one is not known
    (here / ".git").mkdir()
    (here / ".git" / "config.toml").write_text("x\n")
    assert facts("show config.toml", here) == ()  # hidden folders are not looked in
    assert facts("show nothere.txt", here) == ()


def test_a_script_or_file_named_by_its_stem_is_found_below(here: Path) -> None:
    # "make the deploy script executable" had been answered chmod +x deploy.sh (found by hand)
    (here / "scripts").mkdir()
    (here / "scripts" / "deploy.sh").write_text("#!/bin/sh\n")
    (here / "data").mkdir()
    (here / "data" / "events.csv").write_text("ts,level,msg\n")
    assert render_facts(facts("make the deploy script executable", here)) == (
        "(here: scripts/deploy.sh (first line: #!/bin/sh))"
    )
    assert [f.name for f in facts("count the lines in the events file", here)] == [
        "data/events.csv"
    ]
    assert facts("deploy the app", here) == ()  # a word, not in a name's place
    (here / "old").mkdir()
    (here / "old" / "deploy.py").write_text("x\n")
    assert facts("run the deploy script", here) == ()  # two of them: which one is not known


def test_the_newest_of_a_folders_things_names_the_folder(here: Path) -> None:
    # "show the error lines from the newest log" had been answered tail -n 1000 log (by hand)
    (here / "logs").mkdir(exist_ok=True)
    (here / "backups").mkdir()
    assert render_facts(facts("show the error lines from the newest log", here)) == (
        "(here: logs/ (directory))"
    )
    assert render_facts(facts("what is in the latest backup", here)) == (
        "(here: backups/ (directory))"
    )
    assert facts("back up the newest photo", here) == ()  # no photos/ here
    assert facts("log the newest", here) == ()


@pytest.mark.parametrize(
    "request_",
    [
        "the employees file",
        "average age of employees",
        "sort 'employees' by name",
        "copy the rows from employees to sales.csv",
        "show the src directory",
    ],
)
def test_a_bare_word_names_an_entry_where_it_reads_as_a_name(here: Path, request_: str) -> None:
    assert named_entries(request_, here)


@pytest.mark.parametrize(
    "request_",
    [
        "Reverse the space separated words in 'a b c'",  # with a file called words here
        "print numbers from 1 to 10",  # numbers.txt
        "how many employees earn more than 50k",
        "list src",
        "create an empty file called notes.txt",  # with a directory called empty here
        "make a new folder for the logs",  # new/
    ],
)
def test_a_bare_word_that_is_just_a_word_names_nothing(here: Path, request_: str) -> None:
    (here / "words").write_text("zebra\n")
    (here / "numbers.txt").write_text("1\n")
    (here / "empty").mkdir()
    (here / "new").mkdir()
    assert named_entries(request_, here) == []


def test_kinds_of_entries(here: Path) -> None:
    found = {
        f.name: f
        for f in facts(
            "src/ empty.txt photo.jpg blob",
            here,
        )
    }
    assert found["src/"].render() == "src/ (directory)"
    assert found["empty.txt"].render() == "empty.txt (file)"  # what it will hold, not "empty"
    assert found["photo.jpg"].render() == "photo.jpg (binary file)"
    assert "blob" not in found  # only three entries are read
    assert len(found) == MAX_ENTRIES
    assert facts("the blob file", here)[0].render() == "blob (binary file)"


def test_json_shows_how_it_starts_and_long_lines_are_clipped(here: Path) -> None:
    assert facts("names in inventory.json", here)[0].render() == (
        'inventory.json (JSON: [{"name": "widget", "qty": 3}])'  # cmdai.json_shape
    )
    line = facts("wrap notes.md", here)[0].first_line
    assert line is not None
    assert len(line) == MAX_LINE_CHARS
    assert line.endswith("...")


def test_paths_below_here_and_nothing_outside(here: Path) -> None:
    assert [p.name for p in named_entries("count lines of src/main.py", here)] == ["main.py"]
    (here.parent / "secret").write_text("key\n")
    (here / "link").symlink_to(here.parent / "secret")
    assert named_entries("read /etc/passwd and ../secret and link", here) == []
    assert facts("anything", here / "missing") == ()


def test_a_request_that_names_a_file_here_is_never_declined(
    engine: Engine, fake: FakeBackend, here: Path
) -> None:
    # "show the words of empty.txt" was answered "not a shell task: empty.txt is empty".
    with_context = dataclasses.replace(engine, template=get_template("fenced"), workdir=here)
    with_context.propose("show the 10 most common words in empty.txt")
    assert fake.history[-1].decline_threshold > 1.0  # never reached
    with_context.propose("show the 10 most common words in missing.txt")
    assert fake.history[-1].decline_threshold == 0.10


def test_the_engine_puts_facts_in_the_request_turn_only_when_asked(
    engine: Engine, fake: FakeBackend, here: Path
) -> None:
    with_context = dataclasses.replace(engine, template=get_template("fenced"), workdir=here)
    with_context.propose("total units in sales.csv")
    turn = fake.history[-1].messages[-1].content
    assert turn == "total units in sales.csv\n(here: sales.csv (first line: date,region,units))"
    # The worked examples (in the system message) show the same form.
    assert "(here: payments.csv (first line: date,payee,amount))" in (
        fake.history[-1].messages[0].content
    )

    off = dataclasses.replace(with_context, settings=Settings(backend="fake", context=False))
    off.propose("total units in sales.csv")
    assert fake.history[-1].messages[-1].content == "total units in sales.csv"

    plain = dataclasses.replace(with_context, template=get_template("fenced-bare"))
    plain.propose("total units in sales.csv")
    assert fake.history[-1].messages[-1].content == "total units in sales.csv"


def test_the_checks_read_only_below_here(here: Path) -> None:
    work = Workdir(here)
    assert work.first_line("employees.csv") == "id,name,department"  # CRLF: the CR dropped
    assert work.first_line("src/main.py") == "import sys"
    assert work.first_line("empty.txt") == ""
    assert work.first_line("blob") is None  # binary
    assert work.first_line("src") is None  # a directory
    assert work.first_line("missing.csv") is None
    (here.parent / "outside.csv").write_text("a,b\n")
    (here.parent / "away").mkdir()
    assert work.first_line("../outside.csv") is None
    assert work.first_line("/etc/passwd") is None
    assert work.is_dir("src")
    assert work.is_dir("src/")
    assert not work.is_dir("notes.md")
    assert not work.is_dir("missing")
    assert not work.is_dir("../away")
    assert not work.is_dir("/etc")


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        ("awk '{sum += $3} END {print sum}' sales.csv > total.txt", "awk -F,"),
        ("awk 'NR>1 {print $2}' sales.csv | sort", "awk without -F splits on blanks"),
        ("awk '{print $NF}' < sales.csv", "awk -F,"),
        ("cut -f3 sales.csv", "cut -d, -f2"),
        ("cut --fields=2 employees.csv", "cut -f splits on tabs"),
        ("sort -k3 -n sales.csv", "sort -t, -k2"),
        ("sort -t, -k3 -n sales.csv", None),
        ("sort -n sales.csv", None),  # no key: whole lines, as asked
        ("awk -F, '{sum += $3} END {print sum}' sales.csv", None),
        ("awk -v FS=, '{print $2}' sales.csv", None),
        ("awk 'BEGIN {FS=\",\"} {print $2}' sales.csv", None),
        ("awk '{print $0}' sales.csv", None),  # no field read
        ("awk '{print $2}' report.txt", None),  # blank-separated (or one field)
        ("cut -d, -f3 sales.csv", None),
        ("cut -c1-4 sales.csv", None),
    ],
)
def test_splitting_a_comma_separated_file_on_blanks_is_a_warning(
    engine: Engine, fake: FakeBackend, here: Path, command: str, warned: str | None
) -> None:
    with_files = dataclasses.replace(engine, workdir=here)
    assert_pitfall(with_files, fake, command, "fields:", warned, "the units")
    assert len(fake.history) == (1 if warned is None else 2)


def test_a_file_that_is_not_here_has_no_separator_to_read(
    engine: Engine, fake: FakeBackend, here: Path
) -> None:
    with_files = dataclasses.replace(engine, workdir=here)
    assert_pitfall(with_files, fake, "awk '{print $2}' missing.csv", "fields:", None, "the units")


@pytest.mark.parametrize(
    ("command", "fixed", "note"),
    [
        (
            "awk '{sum += $3} END {print sum/NR}' sales.csv",
            "awk -F, 'NR > 1 {sum += $3} END {print sum/(NR - 1)}' sales.csv",
            "fixed here: awk -F,: sales.csv's fields are separated by ','; NR > 1 skips",
        ),
        (
            "awk -F, '{s += $3} END {print s / NR}' sales.csv",
            "awk -F, 'NR > 1 {s += $3} END {print s / (NR - 1)}' sales.csv",
            "fixed here: NR > 1 skips sales.csv's title line, and the mean divides by NR - 1",
        ),
        (
            "awk '{print $2}' employees.csv",
            "awk -F, '{print $2}' employees.csv",
            "fixed here: awk -F,: employees.csv's fields are separated by ','",
        ),
    ],
)
def test_a_lone_awk_gets_the_files_separator_and_skips_its_titles_here(
    engine: Engine, fake: FakeBackend, here: Path, command: str, fixed: str, note: str
) -> None:
    fake.enqueue(answer(command))
    proposal = dataclasses.replace(engine, workdir=here).propose("the mean of the units")
    assert proposal.command == fixed
    assert any(w.startswith(note) for w in proposal.warnings)
    assert len(fake.history) == 1  # sure: the model is not asked again


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        ("awk -F, '{s += $3} END {print s/NR}' sales.csv | cat", "NR counts it"),
        ("awk -F, '$3 > 0 {s += $3} END {print s/NR}' sales.csv", "NR counts it"),
        ("awk -F, 'NR > 1 {s += $3} END {print s/(NR-1)}' sales.csv", None),
        ("awk -F, 'NR == 1 {next} {s += $3} END {print s/(NR-1)}' sales.csv", None),
        ("awk '{s += $1} END {print s/NR}' report.txt", None),  # one field: not titles
        ("awk -F, '{s += $2} END {print s/NR}' data.csv", None),  # numbers: not titles
        ("awk -F, '{s += $3} END {print s}' sales.csv", None),  # a sum: the titles add 0
    ],
)
def test_a_mean_that_counts_the_title_line_is_a_warning(
    engine: Engine, fake: FakeBackend, here: Path, command: str, warned: str | None
) -> None:
    with_files = dataclasses.replace(engine, workdir=here)
    assert_pitfall(with_files, fake, command, "header:", warned)
    if warned is None:  # nor fixed here
        fake.enqueue(answer(command))
        assert with_files.propose("do the task").command == command


def test_the_files_are_not_read_when_context_is_off(
    engine: Engine, fake: FakeBackend, here: Path
) -> None:
    off = dataclasses.replace(
        engine, workdir=here, settings=Settings(backend="fake", context=False)
    )
    fake.enqueue(answer("awk '{print $2}' sales.csv"))
    assert off.propose("the regions").warnings == ()


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        ("rm src/", "src/ is a directory, and rm without -r skips it"),
        ("zip src.zip src && ls", "zip without -r stores only the folder"),
        ("cd . && cp src backup", "cp without -r skips it (cp -r)"),
        ("grep import src | wc -l", "grep -r"),
        ("zip -r src.zip src", None),
        ("cp -a src backup", None),
        ("cp notes.md src", None),  # into a directory
        ("rm -rf src", None),
        ("grep -rn import src", None),
        ("grep -e src notes.md", None),  # src is the pattern
        ("grep src notes.md", None),
        ("zip notes.zip notes.md", None),
    ],
)
def test_a_directory_given_to_a_tool_that_skips_it_is_a_warning(
    engine: Engine, fake: FakeBackend, here: Path, command: str, warned: str | None
) -> None:
    with_files = dataclasses.replace(engine, workdir=here)
    assert_pitfall(with_files, fake, command, "dir:", warned)


@pytest.mark.parametrize(
    ("command", "fixed"),
    [
        ("zip src.zip src", "zip -r src.zip src"),
        ("cp src src_backup", "cp -r src src_backup"),
        ("grep -n import src/", "grep -r -n import src/"),
        ("scp src host:/tmp/", "scp -r src host:/tmp/"),
    ],
)
def test_a_missing_r_is_added_here_when_the_directory_is_sure(
    engine: Engine, fake: FakeBackend, here: Path, command: str, fixed: str
) -> None:
    with_files = dataclasses.replace(engine, workdir=here)
    fake.enqueue(answer(command))
    proposal = with_files.propose("do the task")
    assert proposal.command == fixed
    assert proposal.warnings[0].startswith("fixed here: src")
    assert len(fake.history) == 1  # nothing asked again


def test_rm_of_a_directory_is_never_made_recursive_here(
    engine: Engine, fake: FakeBackend, here: Path
) -> None:
    with_files = dataclasses.replace(engine, workdir=here)
    fake.enqueue(answer("rm src"))
    fake.enqueue(answer("rm src"))
    assert with_files.propose("delete src").command == "rm src"

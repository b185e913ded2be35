"""Searching a project's text with grep (cmdai.search_fixes; the twentieth by-hand round)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_bash, write_files

from cmdai.context import Workdir
from cmdai.search_fixes import example_regex, search_fix


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small project like the round's scratch folder."""
    files = {
        "src/app.py": "# License: MIT\nimport os\n# TODO: cache\n",
        "src/cli.py": "import os\nprint('no license')\n",
        "node_modules/lib/index.js": "// TODO\nvar password = 1;\n",
        "src/settings.py": "password = 'x'\n",
        "logs/app.log": "ERROR a\nERROR b\nException: one\nException: two\n",
        "logs/worker.log": "ok\nException: three\n",
        "access.log": "GET /index.html\n",
        "server.log": "l1\nl2\npanic: here\nl4\nl5\nl6\n",
        "prices.txt": "apple $1.20\npear $12.50 each\nnothing\nplum $3\n",
        "both.txt": "foo\nand then bar\n",
        "foo_only.txt": "foo\n",
        ".env": "api_key=1\n",
    }
    return write_files(tmp_path, files)


def fixed(command: str, request: str, where: Path | None = None) -> str | None:
    found = search_fix(command, request, Workdir(where) if where else None)
    if found is not None:
        assert found[1].startswith("fixed here: ")
    return found[0] if found else None


@pytest.mark.parametrize(
    ("draft", "request_text", "fix"),
    [
        ('grep -r "TODO" .', "which files mention TODO", "grep -rl TODO ."),
        ("grep TODO *.py", "list the files that contain TODO", "grep -l TODO *.py"),
        ("grep -r --hidden api_key .", "search for api_key in hidden files", "grep -r api_key ."),
        (
            'grep -r "foo.*bar" .',
            "list the files that contain both foo and bar",
            "grep -rlZ -- foo . | xargs -0 grep -l -- bar",
        ),
        (
            "find . -name '*.py' | grep -r --include='*.py' -v 'License'",
            "which python files do not contain the word License",
            "grep -rL --include='*.py' License .",
        ),
        (
            "grep -v TODO src/a.py src/b.py",
            "files that don't contain TODO",
            "grep -L TODO src/a.py src/b.py",
        ),
    ],
)
def test_a_search_draft_is_fixed(draft: str, request_text: str, fix: str) -> None:
    assert fixed(draft, request_text) == fix


@pytest.mark.parametrize(
    ("draft", "request_text"),
    [
        ("grep -rl TODO .", "which files mention TODO"),  # names them already
        ("grep -rn TODO .", "which files mention TODO"),  # told to number the lines
        ("grep TODO notes.txt", "which files mention TODO"),  # one file: nothing to name
        ("grep -r TODO .", "show the TODO lines"),
        (
            "find $d -name '*.js' | grep -v ' '",
            "the .js files whose pathnames do not contain spaces",
        ),
        ("find . -name '*.js' | grep -v old", "the .js files that do not contain old"),  # names
        ("grep -v '^#' a.conf", "the lines that are not comments"),
        ("grep -r foo . | grep bar", "the files that contain both foo and bar"),  # two greps
    ],
)
def test_a_right_or_unknown_search_draft_is_left_alone(draft: str, request_text: str) -> None:
    assert fixed(draft, request_text) is None


def test_the_fixed_searches_find_what_was_asked(project: Path) -> None:
    files = fixed('grep -r "TODO" .', "which files mention TODO")
    assert files is not None
    assert sorted(run_bash(files, project).stdout.split()) == [
        "./node_modules/lib/index.js",
        "./src/app.py",
    ]
    both = fixed('grep -r "foo.*bar" .', "list the files that contain both foo and bar")
    assert both is not None
    assert run_bash('grep -r "foo.*bar" .', project, check=False).stdout == ""  # the draft
    assert run_bash(both, project).stdout == "./both.txt\n"
    without = fixed(
        "find . -name '*.py' | grep -r --include='*.py' -v 'License'",
        "which python files do not contain the word License",
    )
    assert without is not None
    assert sorted(run_bash(without, project).stdout.split()) == [
        "./src/cli.py",
        "./src/settings.py",
    ]


def test_a_folder_the_request_leaves_out_is_excluded_not_searched(project: Path) -> None:
    draft = "grep -r -i -v 'password' node_modules/*"
    fix = fixed(draft, "search for password everywhere except node_modules", project)
    assert fix == "grep -ri --exclude-dir=node_modules password ."
    assert run_bash(fix, project).stdout == "./src/settings.py:password = 'x'\n"
    assert fixed(draft, "search for password except in nothing", project) is None


def test_lines_around_a_match_are_found_by_grep(project: Path) -> None:
    draft = "tail -n +2 server.log | head -n 4"
    fix = fixed(draft, "show 2 lines before and after the panic in server.log", project)
    assert fix == "grep -C 2 panic server.log"
    assert run_bash(fix, project).stdout.split() == ["l1", "l2", "panic:", "here", "l4", "l5"]
    assert (
        fixed("grep -A 2 panic server.log", "2 lines around panic in server.log", project) is None
    )


@pytest.mark.parametrize(
    ("example", "regex"),
    [
        ("$12.50", r"\$[0-9]+(\.[0-9]+)?"),
        ("2024-01-05", "[0-9]+\\-[0-9]+\\-[0-9]+"),
        ("v1", "v[0-9]+"),
    ],
)
def test_an_example_becomes_a_pattern_of_its_shape(example: str, regex: str) -> None:
    assert example_regex(example) == regex


def test_text_shaped_like_an_example_is_extracted(project: Path) -> None:
    draft = "awk '{print $2}' prices.txt"
    fix = fixed(draft, "extract the prices like $12.50 from prices.txt", project)
    assert fix == "grep -oE '\\$[0-9]+(\\.[0-9]+)?' prices.txt"
    assert run_bash(fix, project).stdout.split() == ["$1.20", "$12.50", "$3"]
    assert fixed(draft, "extract the prices from prices.txt", project) is None


def test_one_count_or_first_match_per_file_reaches_the_files_below(project: Path) -> None:
    count = fixed("grep -o 'ERROR' *.log | wc -l", "count ERROR in each log file", project)
    assert count == "grep -rc --include='*.log' ERROR ."
    assert sorted(run_bash(count, project).stdout.split()) == [
        "./access.log:0",
        "./logs/app.log:2",
        "./logs/worker.log:0",
        "./server.log:0",
    ]
    first = fixed(
        "grep -E 'Exception' *.log | head -n 1", "the first Exception in each log file", project
    )
    assert first == "grep -rE -m 1 --include='*.log' Exception ."
    assert sorted(run_bash(first, project).stdout.splitlines()) == [
        "./logs/app.log:Exception: one",
        "./logs/worker.log:Exception: three",
    ]
    (project / "logs" / "app.log").rename(project / "logs" / "app.txt")
    (project / "logs" / "worker.log").rename(project / "worker.txt")
    here_only = fixed(
        "grep Exception *.txt | head -n 1", "the first Exception in each file", project
    )
    assert here_only == "grep -r -m 1 --include='*.txt' Exception ."
    assert sorted(run_bash(here_only, project).stdout.splitlines()) == [
        "./logs/app.txt:Exception: one",
        "./worker.txt:Exception: three",
    ]
    (project / "logs" / "app.txt").unlink()
    only_here = fixed(
        "grep Exception *.txt | head -n 1", "the first Exception in each file", project
    )
    assert only_here == "grep -m 1 Exception *.txt"
    assert fixed("grep -c ERROR *.log", "count ERROR in each log file", project) is None

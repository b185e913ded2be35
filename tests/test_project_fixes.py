"""A Python project's chores (cmdai.project_fixes; the twenty-second by-hand round), a setting
exported where it was meant for one run, a glob that leaves out a folder's folders, and the
kind of file the request names kept when find replaces git."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_bash, write_files

from cmdai.context import Workdir
from cmdai.find_fixes import changed_since_fix
from cmdai.project_fixes import project_fix
from cmdai.search_fixes import nested_files_fix
from cmdai.session_fixes import exported_run_fix
from cmdai.shellparse import analyse


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "app.py": 'import os\nprint("debug" if os.getenv("DEBUG") else "quiet")\n',
            "src/net.py": "import requests\n\n\ndef fetch(url):\n    return url\n",
            "src/pkg/maths.py": (
                "def add(a, b):\n    return a + b\n\n\nasync def sub(a, b):\n    return a - b\n"
            ),
            "tests/test_app.py": "def test_add():\n    assert 1 + 2 == 3\n",
            "requirements.txt": "requests==2.31.0\nclick>=8  # the CLI\n",
            "notes.md": "notes\n",
        },
    )


def test_a_test_is_run_by_its_name(project: Path) -> None:
    here = Workdir(project)
    found = project_fix("./test_add", "run the test called test_add", here)
    assert found is not None
    assert found[0] == "pytest -k test_add"
    assert (
        project_fix("./test_add", "run the test called test_add", Workdir(project / "src")) is None
    )
    assert project_fix("pytest -k test_add", "run the test called test_add", here) is None


def test_a_required_package_is_asked_of_pip(project: Path) -> None:
    here = Workdir(project)
    found = project_fix(
        "dpkg -s requests", "show which version of the requests package is installed", here
    )
    assert found is not None
    assert found[0] == "pip show requests"
    assert project_fix("dpkg -s click | grep Version", "the version of click", here) is not None
    assert project_fix("dpkg -s nginx", "which version of nginx is installed", here) is None


def test_the_functions_of_python_files_are_listed(project: Path) -> None:
    here = Workdir(project)
    draft = 'find src -name "*.py" -exec python -m py_compile {} \\;'
    found = project_fix(draft, "list the functions defined in the python files in src", here)
    assert found is not None
    shown = run_bash(found[0], project).stdout.splitlines()
    assert sorted(shown) == [
        "src/net.py:4:def fetch(url):",
        "src/pkg/maths.py:1:def add(a, b):",
        "src/pkg/maths.py:5:async def sub(a, b):",
    ]
    assert project_fix("grep -n '^def' src/*.py", "list the functions in src", here) is None


@pytest.mark.skipif(shutil.which("python3") is None, reason="python3 is the program run")
def test_a_setting_exported_before_a_program_is_set_for_its_run(project: Path) -> None:
    draft = "export DEBUG=1 python3 app.py"
    assert run_bash(draft, project, check=False).returncode != 0  # not a valid identifier
    found = exported_run_fix(draft)
    assert found is not None
    assert found[0] == "DEBUG=1 python3 app.py"
    assert run_bash(found[0], project).stdout == "debug\n"
    assert exported_run_fix("export DEBUG=1 EDITOR=vim") is None
    assert exported_run_fix("export DEBUG=1 nosuchprogram x") is None


def test_a_glob_that_leaves_out_the_folders_below_reaches_them(project: Path) -> None:
    here = Workdir(project)
    draft = "grep -v '^$' src/*.py | wc -l"
    found = nested_files_fix(draft, "count the lines of python code in src", here)
    assert found is not None
    assert found[0] == "grep -rv --include='*.py' '^$' src | wc -l"
    assert run_bash(draft, project).stdout.strip() == "3"  # src/net.py alone
    assert run_bash(found[0], project).stdout.strip() == "7"  # and src/pkg/maths.py
    assert (
        nested_files_fix(
            draft, "count the lines of python code only in src, not in subfolders", here
        )
        is None
    )
    assert nested_files_fix("grep -v '^$' tests/*.py", "lines in tests", here) is None  # no deeper


def test_the_kind_of_file_asked_for_is_kept_when_find_replaces_git(project: Path) -> None:
    here = Workdir(project)
    if here.in_repository():
        pytest.skip("the temporary folder lies in a git repository")
    draft = "git log --since=yesterday --name-only"
    found = changed_since_fix(analyse(draft), "show the python files changed in the last day", here)
    assert found is not None
    assert found[0] == "find . -type f -name '*.py' -mtime -1"
    assert "./notes.md" not in run_bash(found[0], project).stdout

"""A Python virtual environment in the folder (cmdai.venv_project.venv_fact, cmdai.venv_fixes;
the fifty-second by-hand round). The environment is made for real with ``python -m venv``
(without pip, which is all these tests need), and the fixed commands run in it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.venv_project import venv_fact, venv_here


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with scripts, a requirements.txt and a .venv (made once for the module)."""
    root = tmp_path_factory.mktemp("project")
    write_files(
        root,
        {
            "requirements.txt": "rich>=13\n",
            "report.py": 'print("report")\n',
            "tests/test_report.py": "def test_report():\n    assert True\n",
        },
    )
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / ".venv")], check=True)
    return root


def test_the_venv_is_shown_where_the_request_speaks_of_one(made: Path, tmp_path: Path) -> None:
    assert venv_here(made) == ".venv"
    shown = venv_fact("which packages are installed in the venv", made)
    assert shown is not None
    assert shown[0] == ".venv"
    assert shown[1].startswith(
        f"Python virtual environment (python {sys.version.split()[0]}); its programs: "
        ".venv/bin/python, .venv/bin/pip; installed: "
    )
    assert venv_fact("which packages are installed", made) is None  # no venv asked about
    assert venv_fact("which packages are installed in the venv", tmp_path) is None  # none here
    write_files(tmp_path, {"venv/pyvenv.cfg": "version = 3.11\n"})  # no bin/python: not one
    assert venv_here(tmp_path) is None


@pytest.mark.parametrize(
    ("command", "request_text", "expected"),
    [
        (
            "pip install -r requirements.txt",
            "install the requirements into the virtual environment",
            ".venv/bin/pip install -r requirements.txt",
        ),
        ("pip list --format=columns", "which packages are installed in the venv", None),
        (
            "pip freeze > requirements-lock.txt",
            "save the venv's installed packages to requirements-lock.txt",
            ".venv/bin/pip freeze > requirements-lock.txt",
        ),
        ("python -V", "which python version does the venv use", ".venv/bin/python -V"),
        ("which python", "show where the venv's python is", "ls -l .venv/bin/python"),
        (
            "python -m venv .venv",
            "install pytest into the venv and run the tests",
            ".venv/bin/pip install pytest && .venv/bin/python -m pytest",
        ),
        (
            "python -m venv .venv",
            "recreate the virtual environment from scratch",
            "python3 -m venv --clear .venv && .venv/bin/pip install -r requirements.txt",
        ),
        (
            "python -m venv .venv",
            "run report.py with the venv and save its output to report.txt",
            ".venv/bin/python report.py > report.txt",
        ),
        (
            "pip list --format=freeze | xargs -I {} pip check --all",
            "check that the venv's installed packages have compatible dependencies",
            ".venv/bin/pip check",
        ),
        (
            "python --version",
            "is the venv's python the same version as the system one",
            ".venv/bin/python --version && python3 --version",
        ),
        ("pytest -q", "run the tests with the venv", ".venv/bin/python -m pytest -q"),
    ],
)
def test_the_venvs_own_programs_are_run(
    made: Path, command: str, request_text: str, expected: str | None
) -> None:
    assert fixed(command, request_text, made) == (expected or ".venv/bin/pip list --format=columns")


@pytest.mark.parametrize(
    ("command", "request_text"),
    [
        (".venv/bin/pip install --upgrade pip", "upgrade pip in the venv"),
        (".venv/bin/python report.py", "run report.py with the venv"),
        ("pip list", "which packages are installed"),  # no venv asked about
        ("python3 -m venv --clear .venv", "recreate the virtual environment"),
        ("source .venv/bin/activate && pip list", "list the packages of the venv"),  # activated
        ("python3 -m venv venv2", "make another virtual environment called venv2"),
        ("du -sh .venv", "how big is the venv"),
    ],
)
def test_a_right_draft_or_another_request_is_left_alone(
    made: Path, command: str, request_text: str
) -> None:
    assert fixed(command, request_text, made) is None


def test_nothing_is_fixed_without_a_venv(tmp_path: Path) -> None:
    assert fixed("pip list", "which packages are installed in the venv", tmp_path) is None


def test_the_fixed_commands_run_in_the_venv(made: Path) -> None:
    assert run_bash(".venv/bin/python report.py > report.txt", made).returncode == 0
    assert (made / "report.txt").read_text() == "report\n"
    assert run_bash(".venv/bin/python -V", made).stdout.startswith("Python 3.")
    assert ".venv/bin/python" in run_bash("ls -l .venv/bin/python", made).stdout


def test_a_search_of_the_users_code_leaves_installed_packages_out(made: Path) -> None:
    write_files(made, {"fetch.py": "import requests\n", ".venv/lib/x/api.py": "import requests\n"})
    draft = 'grep -r "import requests" .'
    assert fixed(draft, "find which script imports requests", made) == (
        "grep -rl --exclude-dir=.venv 'import requests' ."
    )
    assert fixed(draft, "search my code for imports of requests", made) == (
        "grep -r --exclude-dir=.venv 'import requests' ."
    )
    assert run_bash("grep -rl --exclude-dir=.venv 'import requests' .", made).stdout == (
        "./fetch.py\n"
    )
    for request in ("which installed packages import requests", "search everything for requests"):
        assert fixed(draft, request, made) is None, request
    assert fixed("grep -r requests src", "which script imports requests", made) is None

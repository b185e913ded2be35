"""A Python project managed with Poetry or uv (cmdai.managed_project, cmdai.managed_fixes; the
fifty-ninth and sixtieth by-hand rounds). Neither is a dependency: commands are checked as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import sure_fixed as fixed
from conftest import write_files

from cmdai.managed_project import managed_fact, read_managed

PYPROJECT = """[tool.poetry]
name = "wordstats"
version = "0.3.1"
packages = [{ include = "wordstats", from = "src" }]

[tool.poetry.dependencies]
python = "^3.9"
click = "^8.1"
requests = { version = "^2.31", extras = ["socks"] }

[tool.poetry.group.dev.dependencies]
pytest = "^8.0"
ruff = "^0.4"

[tool.poetry.scripts]
wordstats = "wordstats.cli:main"

[build-system]
requires = ["poetry-core>=1.9"]
build-backend = "poetry.core.masonry.api"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "pyproject.toml": PYPROJECT,
            "src/wordstats/__init__.py": "",
            "tests/test_cli.py": "def test_x():\n    pass\n",
            "sample.txt": "one two\n",
        },
    )


def test_the_facts_show_the_groups_scripts_and_lock(project: Path) -> None:
    label, text = managed_fact("install the project's dependencies", project) or ("", "")
    assert label == "pyproject.toml"
    assert text == (
        "Poetry project wordstats 0.3.1 (run its tools in its environment with poetry run); "
        "dependencies: click ^8.1, requests ^2.31; group dev: pytest ^8.0, ruff ^0.4; python "
        "^3.9; scripts: wordstats (wordstats.cli:main); no poetry.lock yet"
    )
    write_files(project, {"poetry.lock": "# locked\n", ".venv/pyvenv.cfg": "home = /usr\n"})
    _, text = managed_fact("run wordstats", project) or ("", "")
    assert text.endswith("; poetry.lock; environment .venv")


def test_the_facts_need_a_word_of_the_project_or_a_name_of_it(project: Path) -> None:
    for request in (
        "what does click do here",
        "run wordstats on a file",
        "add httpx as a dependency",
    ):
        assert managed_fact(request, project) is not None, request
    for request in ("count the lines of notes.txt", "show the disk usage", "who am i"):
        assert managed_fact(request, project) is None, request


def test_pep_621_projects_built_with_poetry_and_other_projects(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1.0"\n'
            'dependencies = ["httpx>=0.27", "rich"]\n'
            '[build-system]\nbuild-backend = "poetry.core.masonry.api"\n'
        },
    )
    found = read_managed(tmp_path)
    assert found is not None
    assert found.groups == {"main": {"httpx": ">=0.27", "rich": ""}}
    assert found.group_of("HTTPX") == "main"
    write_files(tmp_path, {"pyproject.toml": '[project]\nname = "y"\n'})
    assert read_managed(tmp_path) is None  # setuptools' or hatch's, not Managed's
    write_files(tmp_path, {"pyproject.toml": "not toml ["})
    assert read_managed(tmp_path) is None


@pytest.mark.parametrize(
    ("command", "asked", "expected"),
    [
        ("npm install", "install the project's dependencies", None),  # another ecosystem's tool
        ("pip install .", "install the project's dependencies", "poetry install"),
        ("pip install httpx", "add httpx as a dependency", "poetry add httpx"),
        ("pip install mypy", "add mypy as a development dependency", "poetry add --group dev mypy"),
        ("rm requests", "remove the requests dependency", "poetry remove requests"),
        ("pip uninstall ruff", "remove the ruff dependency", "poetry remove --group dev ruff"),
        (
            "python -m pytest tests/test_cli.py",
            "run the tests inside the project's environment",
            "poetry run pytest",
        ),
        (
            "python src/wordstats/cli.py sample.txt",
            "run the wordstats command on sample.txt",
            "poetry run wordstats sample.txt",
        ),
        ("tree -d", "show the dependency tree", "poetry show --tree"),
        ("poetry run poetry show --tree", "show the dependency tree", "poetry show --tree"),
        (
            "pip list --outdated",
            "which dependencies have newer versions available",
            "poetry show --outdated",
        ),
        ("poetry run wordstats --update", "update only click", "poetry update click"),
        (
            "poetry run bumpversion minor",
            "bump the version to the next minor release",
            "poetry version minor",
        ),
        (
            "sed -i s/0.3.1/1.0.0/ pyproject.toml",
            "set the project version to 1.0.0",
            "poetry version 1.0.0",
        ),
        (
            "python setup.py sdist bdist_wheel",
            "build the wheel and the source distribution",
            "poetry build",
        ),
        (
            "pip install --no-dev .",
            "install only the main dependencies without the dev group",
            "poetry install --only main",
        ),
        ("which python3", "where is the project's virtual environment", "poetry env info --path"),
        ("poetry lock --no-root", "lock the dependencies without installing them", "poetry lock"),
        (
            "pip show requests",
            "show which version of requests is installed",
            "poetry show requests",
        ),
        (
            "pip freeze > requirements.txt",
            "export the dependencies to requirements.txt",
            "poetry self add poetry-plugin-export && poetry export -f requirements.txt "
            "--output requirements.txt",
        ),
        (
            "twine upload --repository testpypi dist/*",
            "publish the package to the test PyPI repository",
            "poetry config repositories.testpypi https://test.pypi.org/legacy/ && "
            "poetry publish --build -r testpypi",
        ),
        ("poetry run poetry version", "what version is the project at", "poetry version"),
        # already right, or another task: left alone
        ("poetry check", "check that pyproject.toml is valid", None),
        ("poetry run ruff .", "run ruff on the source code from the project's environment", None),
        ("python -m build", "build a wheel and a source distribution of the project", None),
        ("grep '^version' pyproject.toml", "show the project's version", None),
        ("poetry update --lock", "lock the dependencies without installing them", None),
        ("pip install -r requirements.txt", "install the packages in requirements.txt", None),
        ("pip install -e .", "install this project in editable mode", None),
        (".venv/bin/pip list --outdated", "list the outdated packages in the venv", None),
        ("pip list --outdated", "list outdated packages that can be upgraded", None),
        ("pip wheel requests", "build a wheel for a package", None),
        ("pip show click", "show the version of the click python package", None),
        ("poetry sync --only-root", "install the project without its dependencies", None),
        ("poetry self install", "install poetry's own dependencies", None),
        ("git describe --tags", "what version is the project at", None),
        ("npm publish", "publish the package", None),
    ],
)
def test_poetry_s_own_way_for_the_task_asked(
    project: Path, command: str, asked: str, expected: str | None
) -> None:
    assert fixed(command, asked, project) == expected


def test_no_poetry_project_no_fix(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": '[project]\nname = "y"\n'})
    assert fixed("pip install httpx", "add httpx as a dependency", tmp_path) is None


UV_PYPROJECT = """[project]
name = "wordstats"
version = "0.3.1"
requires-python = ">=3.9"
dependencies = ["click>=8.1", "requests>=2.31"]

[project.scripts]
wordstats = "wordstats.cli:main"

[dependency-groups]
dev = ["pytest>=8.0", "ruff>=0.4"]

[tool.uv]
package = true
"""


@pytest.fixture
def uv_project(tmp_path: Path) -> Path:
    return write_files(tmp_path, {"pyproject.toml": UV_PYPROJECT, "sample.txt": "one two\n"})


def test_a_uv_project_is_shown_as_uv_s(uv_project: Path) -> None:
    _, text = managed_fact("install the project's dependencies", uv_project) or ("", "")
    assert text == (
        "uv project wordstats 0.3.1 (run its tools in its environment with uv run); "
        "dependencies: click >=8.1, requests >=2.31; group dev: pytest >=8.0, ruff >=0.4; "
        "python >=3.9; scripts: wordstats (wordstats.cli:main); no uv.lock yet"
    )
    write_files(uv_project, {"pyproject.toml": '[project]\nname = "x"\n', "uv.lock": "v=1\n"})
    found = read_managed(uv_project)
    assert found is not None
    assert found.manager == "uv"
    assert found.locked


@pytest.mark.parametrize(
    ("command", "asked", "expected"),
    [
        ("pip install -r pyproject.toml", "install the project's dependencies", "uv sync"),
        ("pip install httpx", "add httpx as a dependency", "uv add httpx"),
        ("pip install mypy", "add mypy as a development dependency", "uv add --dev mypy"),
        ("pip uninstall requests", "remove the requests dependency", "uv remove requests"),
        ("pip uninstall ruff", "remove the ruff dependency", "uv remove --dev ruff"),
        ("python -m pytest", "run the tests inside the project's environment", "uv run pytest"),
        ("tree -d", "show the dependency tree", "uv tree"),
        ("uv run uv tree", "show the dependency tree", "uv tree"),
        (
            "pip list --outdated",
            "which dependencies have newer versions available",
            "uv tree --outdated --depth 1",
        ),
        (
            "sed -i s/a/b/ pyproject.toml",
            "upgrade only click in the lock file",
            "uv lock --upgrade-package click",
        ),
        (
            "pip install -U click",
            "update only click to the newest allowed version",
            "uv sync --upgrade-package click",
        ),
        (
            "python3.12 -m pip install -U pip",
            "pin the project to python 3.12",
            "uv python pin 3.12",
        ),
        ("python setup.py sdist", "build the wheel and the source distribution", "uv build"),
        ("pip install --upgrade pip", "lock the dependencies without installing them", "uv lock"),
        (
            "pip install .",
            "install only the main dependencies without the dev group",
            "uv sync --no-dev",
        ),
        (
            "pip freeze > requirements.txt",
            "export the locked dependencies to requirements.txt",
            "uv export --format requirements.txt -o requirements.txt",
        ),
        ("ls -l uv.lock", "check that the lock file is up to date", "uv lock --check"),
        (
            "sed -i s/0.3.1/0.3.2/ pyproject.toml",
            "bump the version to the next minor release",
            "uv version --bump minor",
        ),
        (
            "grep -oP '(?<=version=).*' pyproject.toml",
            "what version is the project at",
            "uv version",
        ),
        (
            "ruff check .",
            "run ruff on the source code from the project's environment",
            "uv run ruff check src",
        ),
        (
            "pip install requests[socks]",
            "add requests with the socks extra",
            "uv add 'requests[socks]'",
        ),
        ("python", "open a python shell in the project's environment", "uv run python"),
        (
            "twine upload -r testpypi dist/*",
            "publish the package to the test PyPI repository",
            "uv build && uv publish --publish-url https://test.pypi.org/legacy/",
        ),
        # already right, uv's own spelling, or another manager's command: left alone
        ("uv sync", "install the project's dependencies", None),
        ("uv add --dev mypy", "add mypy as a development dependency", None),
        (
            "uv export --format requirements-txt --output-file requirements.txt",
            "export the dependencies to a requirements.txt file",
            None,
        ),
        ("python -m build", "build the wheel and the source distribution", None),
        ("grep -m 1 '^version' pyproject.toml", "show the project's version", None),
        ("poetry add httpx", "add httpx as a dependency", None),
        ("pip install -r requirements.txt", "install the packages in requirements.txt", None),
        ("pip install .", "check that pyproject.toml is valid", None),  # uv has no such check
    ],
)
def test_uv_s_own_way_for_the_task_asked(
    uv_project: Path, command: str, asked: str, expected: str | None
) -> None:
    assert fixed(command, asked, uv_project) == expected


def test_another_managers_command_is_left_alone_in_a_poetry_project(project: Path) -> None:
    assert fixed("uv add httpx", "add httpx as a dependency", project) is None
    assert fixed("uv build --wheel", "build only a wheel of the project", project) is None

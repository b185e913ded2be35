"""Sure fixes from the fifty-ninth and sixtieth rounds: a project managed with Poetry or uv.

Before the facts knew Poetry's ``pyproject.toml`` (``cmdai.managed_project``), the model managed
the project with whatever it knew: ``npm install``, ``pip install httpx`` into the Python first
on the PATH, ``rm requests``, ``tree -d`` for the dependency tree, ``python setup.py
bdist_wheel`` (there is no setup.py), ``pip freeze`` of the machine's packages for the
project's requirements, ``which python3`` for its environment.

Where the folder holds a Poetry project and the request asks for one of its everyday tasks
that the draft does not do, the draft is replaced by Poetry's own command, with the package,
the group and the script the request names; the project's tools run with ``poetry run``. In a
uv project (``[tool.uv]`` or ``uv.lock``) the same tasks are uv's (``uv add --dev``, ``uv
sync``, ``uv run``, ``uv tree``, ``uv version --bump``), where uv has them.
``managed_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called
(through ``cmdai.project_fixes.project_fix``) with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.managed_project import Managed, parse_managed
from cmdai.project_files import Done, holds, joined, request_words, runs_only

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_NOTE = "fixed here: {}'s own way for this project"
_REPLACEABLE = frozenset(
    "poetry uv pip pip3 python python3 tree rm sed grep cat ls twine pytest ruff mypy black "  # noqa: SIM905
    "flake8 which find awk head echo".split()
)
"""The programs of a draft these fixes may replace: Poetry's, pip's and Python's, the project's
tools run outside its environment, readers of files, and what the model writes for a Poetry task
without knowing the project (``tree``, ``rm requests``). Another ecosystem's tool (``npm``,
``git``) or a named virtual environment's (``.venv/bin/pip``) is another task, left alone."""
_TOOLS = ("pytest", "ruff", "mypy", "black", "flake8")
_BUMPS = ("patch", "minor", "major", "prepatch", "preminor", "premajor", "prerelease")
_PACKAGE = r"([A-Za-z0-9][\w.-]*)"


def managed_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does, or no Poetry or uv project here)."""
    if not here.exists("pyproject.toml"):
        return None
    found = parse_managed(joined(here.lines), here.exists)
    if found is None:
        return None
    other = "uv" if found.manager == "poetry" else "poetry"
    own = re.match(rf"\s*{found.manager}\s", command)  # `poetry run X` runs X: peeled as a runner
    versioned = re.sub(r"\bpython3\.\d+\b", "python3", command)  # python3.12 -m pip ...
    if re.search(rf"(?:^|[\s;&|(]){other}\s", command) or not (
        own or runs_only(versioned, _REPLACEABLE - {other})
    ):
        return None  # the other manager's command is another tool's
    others = {"npm", "node", "cargo", "conda", "pipenv", "uv", "poetry", "hatch", "pdm", "docker"}
    named = {w.lower() for w in re.findall(r"[\w-]+", request)} & (others - {found.manager})
    if named:
        return None  # another tool, named
    if re.search(
        r"(?:^|[\s;&|(])\S*/bin/|\bpoetry\s+(?:self|sync|config|source)\b"
        r"|\buv\s+(?:self|pip|tool|cache|python\s+install)\b",
        command,
    ):
        return None  # a named environment's tools; the manager's own other commands
    task = _task(request, found)
    if task is not None and found.manager == "uv":
        task = _for_uv(task, request)
    if task is None:
        return None
    fixed, done = task
    # the manager is not in the project's environment: `poetry run poetry show` fails
    inside = re.search(r"\b(poetry|uv)\s+run\s+\1\b", command)
    note = _NOTE.format("Poetry" if found.manager == "poetry" else "uv")
    return None if done(command) and not inside else (fixed, note)


_UV = (  # Poetry's command -> uv's, for the tasks uv has (its manual)
    (r"poetry install --only main", "uv sync --no-dev"),
    (r"poetry install", "uv sync"),
    (r"poetry add --group dev (.+)", r"uv add --dev \1"),
    (r"poetry add (.+)", r"uv add \1"),
    (r"poetry remove --group dev (.+)", r"uv remove --dev \1"),
    (r"poetry remove (.+)", r"uv remove \1"),
    (r"poetry update (.+)", r"uv lock --upgrade-package \1"),
    (r"poetry show --tree", "uv tree"),
    (r"poetry show --outdated", "uv tree --outdated --depth 1"),
    (r"poetry show (.+)", r"uv pip show \1"),
    (r"poetry lock", "uv lock"),
    (r"poetry check --lock", "uv lock --check"),
    (r"poetry run (.+)", r"uv run \1"),
    (r"poetry version (patch|minor|major)", r"uv version --bump \1"),
    (r"poetry version(.*)", r"uv version\1"),
    (r"poetry build", "uv build"),
    (r"poetry env use (.+)", r"uv python pin \1"),
    (r".*poetry export .*", "uv export --format requirements.txt -o requirements.txt"),
    (r".*poetry publish --build -r testpypi", "uv build && uv publish --publish-url "
     "https://test.pypi.org/legacy/"),
)  # fmt: skip
_UV_DONE = {  # where uv's own spellings differ from the one above (requirements-txt, --output-file)
    "uv export": r"\buv\s+export\b.*\brequirements",
    "uv build && uv publish": r"\buv\s+publish\b.*test\.pypi\.org",
}


def _for_uv(task: tuple[str, Done], request: str) -> tuple[str, Done] | None:
    """The uv form of Poetry's command, and a test a draft doing it passes (None: uv has none).

    A draft passes with uv's words, or with the other ways Poetry's test accepts (``python -m
    build``, the version read from pyproject.toml), but never as a Poetry command.
    """
    poetry, generic = task
    for pattern, replacement in _UV:
        if re.fullmatch(pattern, poetry):
            fixed = re.sub(pattern, replacement, poetry)
            if fixed.startswith("uv lock --upgrade-package") and not re.search(
                r"\block\b", request, re.I
            ):
                fixed = fixed.replace("uv lock", "uv sync", 1)  # and installed
            words = [w for w in shlex.split(fixed) if w not in ("&&",)]

            spelled = next((p for k, p in _UV_DONE.items() if fixed.startswith(k)), None)

            def done(draft: str, words: list[str] = words, spelled: str | None = spelled) -> object:
                if not re.match(r"\s*(?:poetry|uv)\b", draft):
                    return generic(draft)
                if spelled is not None:
                    return re.search(spelled, draft)
                try:
                    said = shlex.split(draft)
                except ValueError:
                    return False
                return said[0] == "uv" and all(w in said for w in words)

            return fixed, done
    return None


def _task(request: str, found: Managed) -> tuple[str, Done] | None:
    return (
        _dependency_task(request, found)
        or _run_task(request, found)
        or _release_task(request)
        or _environment_task(request, found)
    )


def _named_package(request: str, pattern: str) -> str | None:
    asked = re.search(pattern, request, re.I)
    if asked is None:
        return None
    name = asked[1]
    if name.lower() in (
        "a", "an", "the", "only", "all", "every", "it", "them", "package", "packages",
        "dependency", "dependencies", "some", "one",
    ):  # fmt: skip
        return None
    return name


def _dependency_task(request: str, found: Managed) -> tuple[str, Done] | None:
    """Dependencies added, removed, updated, shown."""
    dev = re.search(r"\bdev(?:elopment)?\b|\btest(?:ing)?\s+dependenc", request, re.I)
    extra = re.search(
        rf"\badd\s+{_PACKAGE}\s+with\s+(?:the\s+|its\s+)?([\w-]+)\s+extras?\b", request
    )
    if extra is not None:
        spec = shlex.quote(f"{extra[1]}[{extra[2]}]")
        return f"poetry add {spec}", holds(
            r"\bpoetry\s+add\b", rf"{re.escape(extra[1])}\[{re.escape(extra[2])}\]"
        )
    added = _named_package(request, rf"\badd\s+(?:the\s+)?{_PACKAGE}\s+(?:as|to)\b")
    if added is not None:
        group = " --group dev" if dev and "dev" in found.groups else ""
        patterns = [r"\bpoetry\s+add\b", rf"\b{re.escape(added)}\b"]
        patterns += [r"(?:--group[= ]dev|-G\s*dev|--dev\b|-D\b)"] if group else []
        return f"poetry add{group} {added}", holds(*patterns)
    removed = _named_package(
        request,
        rf"\b(?:remove|drop|uninstall)\s+(?:the\s+)?{_PACKAGE}\s+(?:dependency|package)",
    )
    in_group = found.group_of(removed) if removed is not None else None
    if removed is not None and in_group is not None:
        option = f" --group {in_group}" if in_group != "main" else ""
        return f"poetry remove{option} {removed}", holds(
            r"\bpoetry\s+remove\b", rf"\b{re.escape(removed)}\b"
        )
    updated = _named_package(request, rf"\b(?:update|upgrade)\s+(?:only\s+)?{_PACKAGE}\b")
    if updated is not None and found.group_of(updated) is not None:
        return f"poetry update {updated}", holds(
            r"\bpoetry\s+update\b", rf"\b{re.escape(updated)}\b"
        )
    if re.search(r"\bdependenc\w*\s+tree\b|\btree\s+of\s+(?:the\s+)?dependenc", request, re.I):
        return "poetry show --tree", holds(r"\bpoetry\s+show\b.*--tree")
    project = re.search(r"\b(?:dependenc\w*|project(?:'s)?|poetry)\b", request, re.I)
    if project and re.search(r"\b(?:outdated|newer\s+versions?|out\s+of\s+date)\b", request, re.I):
        return "poetry show --outdated", holds(r"\bpoetry\s+show\b.*(?:--outdated|-o\b)")
    shown = re.search(rf"\bversion\s+of\s+{_PACKAGE}\s+(?:is\s+)?installed\b", request, re.I)
    if shown is not None and found.group_of(shown[1]) is not None:
        return f"poetry show {shown[1]}", holds(rf"\bpoetry\s+show\s+{re.escape(shown[1])}\b")
    if re.search(r"\bexport\b.*\brequirements(?:\.txt)?\b", request, re.I):
        export = "poetry export -f requirements.txt --output requirements.txt"
        # Poetry 2 moved export to a plugin: without it, `poetry export` does not exist
        return f"poetry self add poetry-plugin-export && {export}", holds(
            r"poetry-plugin-export", r"\bpoetry\s+export\b"
        )
    if re.search(r"\block\s*file\b.*\bup\s+to\s+date\b", request, re.I):
        return "poetry check --lock", holds(r"\bpoetry\s+check\b.*--lock\b")
    if re.search(r"\block\b", request, re.I) and re.search(r"\bwithout\s+install", request, re.I):
        locks = holds(r"\bpoetry\s+(?:lock|update\s+(?:.*\s)?--lock)\b")

        def lock_only(draft: str) -> object:  # Poetry 2 has neither option on lock
            return locks(draft) and not re.search(r"--no-(?:root|update)\b", draft)

        return "poetry lock", lock_only
    return None


def _run_task(request: str, found: Managed) -> tuple[str, Done] | None:
    """The project's tests, tools and scripts, run in its environment."""
    words = request_words(request)
    for script in found.scripts:
        if script.lower() in words and re.search(r"\brun\b", request, re.I):
            files = [w for w in re.findall(r"[\w./-]+\.\w+", request) if "." in w]
            args = " ".join(shlex.quote(f) for f in files)
            fixed = f"poetry run {script} {args}".strip()
            return fixed, holds(rf"\bpoetry\s+run\s+{re.escape(script)}\b", *map(re.escape, files))
    inside = re.search(r"\b(?:environment|venv|virtualenv|poetry)\b", request, re.I)
    tests = re.search(r"\b(?:run|execute)\b.*\btests?\b", request, re.I)
    if tests and inside and not re.search(r"\binstall\b", request, re.I):
        return "poetry run pytest", holds(r"\bpoetry\s+run\s+(?:python\s+-m\s+)?pytest\b")
    for tool in _TOOLS[1:]:
        if re.search(rf"\b{tool}\b", request, re.I) and inside:
            target = (
                " src" if found.name and re.search(r"\bsource\b|\bsrc\b", request, re.I) else ""
            )
            args = {"ruff": f"check{target or ' .'}", "mypy": target.strip() or "."}.get(tool, ".")
            return f"poetry run {tool} {args}".strip(), holds(
                rf"\bpoetry\s+run\s+(?:python\s+-m\s+)?{tool}\b"
            )
    return None


def _release_task(request: str) -> tuple[str, Done] | None:
    """The version bumped or read, the package built, checked, published."""
    bump = re.search(r"\b(patch|minor|major)\b", request, re.I)
    if bump is not None and re.search(r"\b(?:bump|increase|raise|next)\b", request, re.I):
        part = bump[1].lower()
        return f"poetry version {part}", holds(rf"\bpoetry\s+version\s+{part}\b")
    if re.search(
        r"\bversion\s+is\s+(?:the|this)\s+project\b|\bproject(?:'s)?\s+version\b"
        r"|\bversion\s+of\s+(?:the|this)\s+project\b",
        request,
        re.I,
    ):
        number = re.search(r"\b(?:to|as)\s+v?(\d+\.\d+(?:\.\d+)?\S*)", request)
        if number is not None and re.search(r"\b(?:set|change|make)\b", request, re.I):
            return f"poetry version {number[1]}", holds(
                rf"\bpoetry\s+version\s+{re.escape(number[1])}(?:\s|$)"
            )
        # a grep of its version line in pyproject.toml says the same
        return "poetry version", holds(
            r"\bpoetry\s+version\b|\bgrep\s+(?:-\S+\s+(?:\d+\s+)?)*['\"]?\^?version\b[^|]*\bpyproject\.toml\b"
        )
    if re.search(r"\bpublish\w*\b", request, re.I) and re.search(
        r"\b(?:pypi|testpypi|poetry|project|package)\b", request, re.I
    ):
        test = re.search(r"\btest\s*pypi\b|\btestpypi\b", request, re.I)
        if test:
            config = "poetry config repositories.testpypi https://test.pypi.org/legacy/"
            return f"{config} && poetry publish --build -r testpypi", holds(
                r"\bpoetry\s+publish\b", r"-r\s*testpypi|--repository[= ]testpypi"
            )
        return "poetry publish --build", holds(r"\bpoetry\s+publish\b")
    if re.search(r"\bbuild\b", request, re.I) and re.search(
        r"\bsdist\b|\bsource\s+distribution\b|\b(?:the|this)\s+project\b|\bpoetry\b", request, re.I
    ):
        # any PEP 517 front end builds it with the project's backend
        return "poetry build", holds(
            r"\bpoetry\s+build\b|\bpython3?\s+-m\s+build\b|\bpyproject-build\b"
        )
    if re.search(r"\bpyproject\.toml\b.*\bvalid\b|\bvalid\w*\b.*\bpyproject\.toml\b", request):
        return "poetry check", holds(r"\bpoetry\s+check\b")
    return None


def _environment_task(request: str, found: Managed) -> tuple[str, Done] | None:
    """The project installed (with or without a group), its Python, where its environment is."""
    pin = re.search(r"\b(?:pin|use|switch)\b.*\bpython\s*(\d\.\d+)\b", request, re.I)
    if pin is not None and re.search(r"\bproject\b", request, re.I):
        return f"poetry env use {pin[1]}", holds(rf"\bpoetry\s+env\s+use\s+(?:python)?{pin[1]}")
    if re.search(r"\bpython\s+shell\b|\bpython\s+(?:repl|prompt)\b", request, re.I) and re.search(
        r"\b(?:environment|venv|project)\b", request, re.I
    ):
        return "poetry run python", holds(r"\bpoetry\s+run\s+python3?\s*$")
    if re.search(r"\bwhere\b.*\b(?:virtual\s*env\w*|venv|environment)\b", request, re.I):
        if re.search(r"\bpython\b|\binterpreter\b", request, re.I):
            return "poetry env info --executable", holds(r"\bpoetry\s+env\s+info\b.*--executable")
        return "poetry env info --path", holds(r"\bpoetry\s+env\s+info\b")
    if not re.search(r"\binstall\b", request, re.I) or re.search(
        r"\b(?:venv|virtual\s+environment|editable|requirements\.txt)\b", request, re.I
    ):
        return None
    if re.search(
        r"\bwithout\s+(?:its\s+|the\s+)?dependencies\b|\bonly\s+the\s+root\b", request, re.I
    ):
        return "poetry install --only-root", holds(r"\bpoetry\s+(?:install|sync)\b.*--only-root")
    only = re.search(
        r"\bonly\s+the\s+main\b|\bwithout\s+(?:the\s+)?dev\b|\bno\s+dev\b", request, re.I
    )
    if only and "dev" in found.groups:
        return "poetry install --only main", holds(
            r"\bpoetry\s+install\b", r"--only[= ]main|--without[= ]dev"
        )
    if re.search(r"\b(?:dependencies|project(?:'s)?)\b", request, re.I) and not re.search(
        r"\badd\b", request, re.I
    ):
        return "poetry install", holds(r"\bpoetry\s+(?:install|sync)\b")
    return None

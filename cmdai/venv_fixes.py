"""Sure fixes from the fifty-second by-hand round: a Python virtual environment here.

Shown the environment (``cmdai.venv_project.venv_fact``), the model still ran the system's
tools for requests about the venv: ``pip install -r requirements.txt`` into "the virtual
environment" (the system's pip: a distribution's Python refuses it, another installs into the
wrong place), ``pip list``, ``pip freeze``, ``python -V`` for "which python version does the
venv use", ``which python`` for "where the venv's python is"; and ``python -m venv .venv``
for "install pytest into the venv and run the tests" and "run report.py with the venv and save
its output to report.txt", which makes (or leaves) a venv and does neither.

Where a virtual environment is here and the request speaks of it, its own programs are run:
``.venv/bin/pip``, ``.venv/bin/python``, ``.venv/bin/python -m pytest``, and a few tasks the
draft did not do are written out. ``venv_fix`` returns the fixed command with a ``fixed
here:`` note, or None; it is called (through ``cmdai.project_fixes.project_fix``) with the
working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.shellparse import split_commands
from cmdai.venv_project import VENV_NAMES, VENV_WORDS

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def venv_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does, or no venv is here)."""
    if not VENV_WORDS.search(request):
        return None
    venv = next(  # (its bin/python is a link out of the folder, to the Python it came from)
        (
            n
            for n in VENV_NAMES
            if here.exists(f"{n}/pyvenv.cfg") and here.is_link(f"{n}/bin/python")
        ),
        None,
    )
    if venv is None:
        return None
    task = _task(command, request, venv, here)
    if task is not None:
        return task, f"fixed here: the virtual environment's own programs ({venv}/bin)"
    return _own_programs(command, venv)


_RUN_SCRIPT = re.compile(r"\brun\s+(?P<script>[\w./-]+\.py)\b", re.I)
_SAVE_TO = re.compile(r"\b(?:save|write|put)\b.*?\b(?:to|into|in)\s+(?P<out>[\w./-]+\.\w+)\b", re.I)


def _task(command: str, request: str, venv: str, here: Here) -> str | None:
    """A task the draft did not do, written out with the venv's programs (None: none)."""
    py, pip = f"{venv}/bin/python", f"{venv}/bin/pip"
    creates = re.search(r"(?:^|\s)-m\s+venv\b|\bvirtualenv\b", command) is not None
    if re.search(r"\b(?:recreate|rebuild|re-create)\b|\bfrom\s+scratch\b", request, re.I):
        if "--clear" in command or re.search(rf"\brm\s+-\w*r\w*\s+{re.escape(venv)}\b", command):
            return None
        fixed = f"python3 -m venv --clear {venv}"
        if here.exists("requirements.txt"):
            fixed += f" && {pip} install -r requirements.txt"
        return fixed
    if re.search(r"\bcompatible\b|\bbroken\s+(?:requirements|dependencies)\b", request, re.I):
        return None if re.fullmatch(rf"\s*{re.escape(pip)}\s+check\s*", command) else f"{pip} check"
    if re.search(r"\bsame\s+version\s+as\s+the\s+system\b", request, re.I):
        if py in command:
            return None
        return f"{py} --version && python3 --version"
    if re.search(r"\bwhere\b.*\bpython\b.*\bis\b", request, re.I) and re.match(
        r"\s*(?:which|type|command\s+-v|whereis)\s+python3?\s*$", command
    ):
        return f"ls -l {py}"
    installs = re.search(
        r"\binstall\s+(?P<pkg>[A-Za-z][\w.-]*)\s+(?:in)?to\s+the\s+venv\b", request, re.I
    )
    if creates and installs and re.search(r"\brun\s+the\s+tests\b", request, re.I):
        return f"{pip} install {shlex.quote(installs['pkg'])} && {py} -m pytest"
    script = _RUN_SCRIPT.search(request)
    if creates and script and here.exists(script["script"]):
        fixed = f"{py} {shlex.quote(script['script'])}"
        if (out := _SAVE_TO.search(request)) is not None:
            fixed += f" > {shlex.quote(out['out'])}"
        return fixed
    return None


_TOOLS = {"pip": "pip", "pip3": "pip", "python": "python", "python3": "python", "pytest": "pytest"}


def _own_programs(command: str, venv: str) -> tuple[str, str] | None:
    """``.venv/bin/pip list`` for ``pip list``: each bare pip, python or pytest of the draft."""
    if re.search(r"(?:^|\s)-m\s+venv\b|\bactivate\b|[`]|\$\(", command):
        return None
    try:
        argvs = split_commands(command)
    except ValueError:
        return None
    if not any(argv and argv[0] in _TOOLS for argv in argvs):
        return None

    def own(match: re.Match[str]) -> str:
        tool = _TOOLS[match["tool"]]
        return match["lead"] + (
            f"{venv}/bin/python -m pytest" if tool == "pytest" else f"{venv}/bin/{tool}"
        )

    fixed = re.sub(
        r"(?P<lead>^|[|;&(]\s*|&&\s*|\|\|\s*)(?P<tool>pip3?|python3?|pytest)(?=\s|$)", own, command
    )
    if fixed == command:
        return None
    return fixed, f"fixed here: the request is about the virtual environment in {venv}"

"""A Python virtual environment in the working directory, where a request speaks of one.

In a folder with a ``.venv`` (the fifty-second by-hand round), "install the requirements into
the virtual environment" was ``pip install -r requirements.txt`` (the system's pip: refused by
a distribution's Python, or the wrong site-packages), "upgrade pip in the venv" ``source
venv/bin/activate`` (a folder called ``venv`` that is not here, and nothing upgraded), and
"run fetch_prices.py with the venv's python" ``python3 -m venv venv``: the model is shown
files a request names, and "the venv" names none. Where the request speaks of a virtual
environment, the facts (through ``cmdai.projects.project_facts``) show it: its folder, its
Python version and what is installed in it. ``cmdai.venv_fixes`` finds the same folder.
"""

from __future__ import annotations

import re
from itertools import islice
from pathlib import Path

from cmdai.project_files import small_text

VENV_NAMES = (".venv", "venv", "env", ".env")
"""Where a project keeps its virtual environment, most common first."""
VENV_WORDS = re.compile(r"\b(?:venv|virtualenv|virtual\s+env(?:ironment)?|\.venv)\b", re.I)
MAX_PACKAGES = 12
MAX_ENTRIES = 4096  # site-packages entries read, at most


def venv_here(workdir: Path) -> str | None:
    """The folder of the virtual environment here (``.venv``), or None.

    A folder counts when it holds a ``pyvenv.cfg`` and a ``bin/python``.
    """
    for name in VENV_NAMES:
        try:
            if (workdir / name / "pyvenv.cfg").is_file() and (
                workdir / name / "bin/python"
            ).exists():
                return name
        except OSError:
            continue
    return None


def venv_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``(".venv", "Python virtual environment (python 3.11.7); installed: pip 23.2.1")``."""
    if not VENV_WORDS.search(request):
        return None
    name = venv_here(workdir)
    if name is None:
        return None
    config = small_text(workdir / name / "pyvenv.cfg", replace=True) or ""
    found = re.search(r"^\s*version(?:_info)?\s*=\s*(\S+)", config, re.M)
    version = found[1] if found else ""
    installed: list[str] = []
    try:
        for site in sorted((workdir / name / "lib").glob("python*/site-packages"))[:1]:
            installed = sorted(
                re.sub(r"\.dist-info$", "", p.name).replace("-", " ", 1)
                # A bounded read: a venv with thousands of entries costs no more than this.
                for p in islice(site.iterdir(), MAX_ENTRIES)
                if p.name.endswith(".dist-info")
            )
    except OSError:
        installed = []
    text = "Python virtual environment" + (f" (python {version})" if version else "")
    shown = installed[:MAX_PACKAGES] + (["..."] if len(installed) > MAX_PACKAGES else [])
    text += f"; its programs: {name}/bin/python, {name}/bin/pip"
    text += "; installed: " + (", ".join(shown) if shown else "nothing")
    return name, text

"""Sure fixes from the nineteenth by-hand round: the shell session itself.

A relative folder put on ``PATH``, a script made "runnable from anywhere" with ``chmod`` alone,
the real file of a program (``readlink -f``), the program a request asks which of, and the
aliases a file defines rather than the shell's own.

Each returns the fixed command with a ``fixed here:`` note, or None; ``session_fix`` is the one
``cmdai.sure_fixes`` calls, for any draft.
"""

from __future__ import annotations

import re
import shlex
import shutil
from typing import TYPE_CHECKING

from cmdai.stages import replace_once, request_entries

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def session_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of this module's fixes that applies (None: none does)."""
    fixed = (
        relative_path_entry_fix(command)
        or exported_run_fix(command)
        or real_file_fix(command, request)
        or program_in_use_fix(command, request)
    )
    if fixed is None and here is not None:
        fixed = from_anywhere_fix(command, request, here) or file_aliases_fix(
            command, request, here
        )
    return fixed


_PATH_SET = re.compile(
    r"(?<![\w$])(?P<export>export\s+)?PATH=(?P<q>['\"]?)(?P<value>[^\s'\";&|]+)(?P=q)(?=\s|;|&|$)"
)


def relative_path_entry_fix(command: str) -> tuple[str, str] | None:
    """``export PATH="$PATH:$PWD/bin"`` for ``export PATH=$PATH:bin``.

    A relative folder on ``PATH`` is looked up from wherever the shell is at the time: the
    programs in it are found only from this folder, and a ``bin`` in any other folder is run
    in their place. ``$PWD`` makes it this folder's, as the request meant.
    """
    found = _PATH_SET.search(command)
    if found is None:
        return None
    entries = found["value"].split(":")
    relative = [e for e in entries if e and not e.startswith(("/", "$", "~"))]
    if not relative or not any(e.startswith("$") for e in entries):
        return None  # `PATH=bin` alone would drop every other folder: not this fix's to say
    fixed_entries = [
        e if e not in relative else "$PWD" if e in (".", "./") else f"$PWD/{e.removeprefix('./')}"
        for e in entries
    ]
    value = ":".join(fixed_entries)
    written = f'{found["export"] or ""}PATH="{value}"'
    fixed = replace_once(command, re.escape(found.group()), written)
    if fixed is None:
        return None
    note = (
        f"{', '.join(relative)} on PATH would be looked up from wherever you are; "
        f"$PWD/{relative[0].removeprefix('./')} is this folder's"
    )
    return fixed, f"fixed here: {note}"


_EXPORT_RUN = re.compile(
    r"^export\s+(?P<sets>(?:[A-Za-z_]\w*=\S*\s+)+)(?P<program>[A-Za-z_][\w.-]*)(?P<rest>(?:\s.*)?)$"
)


def exported_run_fix(command: str) -> tuple[str, str] | None:
    """``DEBUG=1 python app.py`` for ``export DEBUG=1 python app.py``.

    ``export`` takes every word as a variable to export: ``python`` becomes one and
    ``app.py`` is refused ("not a valid identifier"); nothing runs. A setting written before
    a program's name is set for that run. Only where the word after the settings is a
    program installed here.
    """
    found = _EXPORT_RUN.match(command.strip())
    if found is None or "=" in found["program"] or shutil.which(found["program"]) is None:
        return None
    fixed = f"{found['sets']}{found['program']}{found['rest']}"
    sets = found["sets"].strip()
    note = f"export would make {found['program']} a variable; {sets} before it sets it for one run"
    return fixed, f"fixed here: {note}"


_REAL_FILE = re.compile(
    r"\bsym(?:bolic\s+)?links?\s+(?:followed|resolved)|\bfollow(?:ing)?\s+(?:the\s+)?sym(?:bolic\s+)?"
    r"links?|\breal(?:ly)?\s+(?:file|path|live|located|is)\b|\bresolv(?:e|ing)\s+(?:the\s+)?"
    r"(?:sym)?links?",
    re.IGNORECASE,
)
_WHICH = re.compile(r"(?:which|command\s+-v|type\s+-p)\s+(?P<name>[\w.+-]+)")


def real_file_fix(command: str, request: str) -> tuple[str, str] | None:
    """``readlink -f "$(command -v python3)"`` for ``which python3``, "with symlinks followed".

    ``which`` prints the first match on ``PATH``, often a link (``/usr/bin/python3`` ->
    ``python3.11``); the request asked for the file it leads to.
    """
    found = _WHICH.fullmatch(command.strip())
    if found is None or not _REAL_FILE.search(request):
        return None
    name = found["name"]
    note = f"{command.split()[0]} prints the link on PATH; readlink -f follows it to the file"
    return f'readlink -f "$(command -v {name})"', f"fixed here: {note}"


_IN_USE = re.compile(
    r"\bwhich\s+(?P<name>[\w.+-]+)\s+(?:am\s+I|do\s+I|does\s+this\s+shell|is\s+being|is)\s+"
    r"(?:using|use|used|run|running|runs)\b",
    re.IGNORECASE,
)


def program_in_use_fix(command: str, request: str) -> tuple[str, str] | None:
    """``command -v python && python --version`` for ``python --version``, "which python".

    The version alone does not say which program runs: the request asks for the one ``PATH``
    finds (a virtual environment's, pyenv's, the system's); its version is kept.
    """
    asked = _IN_USE.search(request)
    if asked is None:
        return None
    name = asked["name"].lower()
    words = command.split()
    if len(words) != 2 or words[0] != name or words[1] not in ("--version", "-V", "-v", "version"):
        return None
    fixed = f"command -v {name} && {command.strip()}"
    return fixed, f"fixed here: command -v says which {name} runs; the version alone does not"


_ANYWHERE = re.compile(
    r"\bfrom\s+(?:anywhere|any\s+(?:folder|directory|dir|place)|every\s+(?:folder|directory))\b",
    re.IGNORECASE,
)
_MAKE_RUNNABLE = re.compile(r"chmod\s+(?:\+x|u\+x|a\+x|755|0755|700)\s+(?P<file>[\w./-]+)")


def from_anywhere_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``export PATH="$PWD/bin:$PATH"`` for ``chmod +x bin/tool``, "runnable from anywhere".

    The execute bit lets the file run by its path; from another folder the shell finds it by
    name only through ``PATH``. The ``chmod`` stays when the file may not be run yet.
    """
    found = _MAKE_RUNNABLE.fullmatch(command.strip())
    if found is None or not _ANYWHERE.search(request):
        return None
    path = found["file"].removeprefix("./")
    if not here.exists(path) or here.is_dir(path):
        return None
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    export = f'export PATH="$PWD{"/" + folder if folder else ""}:$PATH"'
    fixed = export if here.executable(path) else f"{command.strip()} && {export}"
    note = f"the shell finds {path.rsplit('/', 1)[-1]} by name from any folder only through PATH"
    return fixed, f"fixed here: {note}"


def file_aliases_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``grep -E '^[[:space:]]*alias ' shellrc`` for ``alias``, "the aliases defined in shellrc".

    ``alias`` lists this shell's own aliases, not those a file defines.
    """
    if command.strip() != "alias" or not re.search(r"\baliases\b", request, re.IGNORECASE):
        return None
    files = [w for w in request_entries(request, here) if not here.is_dir(w)]
    if len(files) != 1:
        return None
    fixed = f"grep -E '^[[:space:]]*alias ' {shlex.quote(files[0])}"
    return fixed, f"fixed here: alias lists this shell's aliases; grep reads those in {files[0]}"

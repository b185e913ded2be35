"""Sure fixes from the twenty-sixth by-hand round: doing something for each file.

A prefix added to each file's name (a loop of ``mv``), and ``tr`` given files to read, which
it refuses ("extra operand"): it reads standard input only.

Each returns the fixed command with a ``fixed here:`` note, or None; ``loop_fix`` is the one
``cmdai.sure_fixes`` calls, for any draft: the prefix fix makes the change the request names,
the ``tr`` fix makes a command that cannot run do what it meant to.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.stages import command_stages, short_flags

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def loop_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of this module's fixes that applies (None: none does)."""
    return (prefix_fix(command, request, here) if here is not None else None) or tr_files_fix(
        command, request
    )


_PREFIX_ASKED = re.compile(
    r"^\s*(?:please\s+)?(?:add\s+(?:the\s+)?prefix\s+(?P<prefix>[\w.-]+)\s+to|prefix)\s+"
    r"(?:the\s+names?\s+of\s+)?(?:every|each|all(?:\s+the)?)\s+(?P<glob>\*?\.?\w+)\s+files?"
    r"(?:\s+here)?(?:\s+with\s+(?P<prefix2>[\w.-]+))?\s*$",
    re.IGNORECASE,
)


def prefix_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    r"""``for f in *.txt; do mv -- "$f" "old_$f"; done``: "add the prefix old_ to every .txt file".

    Seen: ``rename 's/\.txt/old_.txt/' *.txt``, a suffix, with a rename not installed here.
    Only where such files are here and the draft does not write the prefix before the name.
    """
    asked = _PREFIX_ASKED.match(request)
    if asked is None:
        return None
    prefix = asked["prefix"] or asked["prefix2"]
    if not prefix:
        return None
    ext = asked["glob"].lstrip("*").lstrip(".")
    glob = f"*.{ext}"
    if not here.expand(glob) or re.search(re.escape(prefix) + r"\$\{?\w", command):
        return None
    fixed = f'for f in {glob}; do mv -- "$f" "{prefix}$f"; done'
    return fixed, f"fixed here: mv puts {prefix} before each {glob} file's name"


_CASES = {
    ("[:lower:]", "[:upper:]"): "\\U",
    ("a-z", "A-Z"): "\\U",
    ("[:upper:]", "[:lower:]"): "\\L",
    ("A-Z", "a-z"): "\\L",
}
_IN_PLACE = re.compile(r"\bin\s+place\b|\bchang(?:e|ing)\s+the\s+files?\b|\boverwrit", re.I)


def tr_files_fix(command: str, request: str) -> tuple[str, str] | None:
    r"""``tr`` given a file: ``tr A B < f``; under ``find -exec``, ``sed -i`` or ``cat {} +``.

    "make every .txt file here uppercase, changing the files" was answered ``find . -name
    '*.txt' -exec tr '[:lower:]' '[:upper:]' {} \;``: tr reads only its standard input and
    stops at the file ("extra operand"). A change of case made in the files themselves is
    sed's ``\U&`` (``\L&``); otherwise the files are read with cat and piped to tr.
    """
    stages = command_stages(command)
    if len(stages) != 1:
        return None
    words = stages[0]
    if words[0] == "tr":
        return _tr_reading(command, words)
    if words[0] != "find" or "-exec" not in words:
        return None
    start = words.index("-exec")
    end = next((i for i in range(start, len(words)) if words[i] in (";", "+")), None)
    if end is None or words[start + 1 : start + 2] != ["tr"] or words[end - 1] != "{}":
        return None
    sets = [w for w in words[start + 2 : end - 1] if not w.startswith("-")]
    if len(sets) != 2 or short_flags(words[start + 1 : end - 1]):
        return None
    tail = re.search(r"-exec\s+tr\s.*?\{\}\s*(?:\\;|;|\+)", command)
    if tail is None:
        return None
    case = _CASES.get((sets[0], sets[1]))
    if _IN_PLACE.search(request) and case is not None:
        fixed = command[: tail.start()] + f"-exec sed -i 's/.*/{case}&/' {{}} +"
        note = f"sed -i changes each file (tr reads no files: {case}& is the line's case changed)"
    elif _IN_PLACE.search(request):
        return None
    else:
        quoted = " ".join(shlex.quote(s) for s in sets)
        fixed = command[: tail.start()] + f"-exec cat {{}} + | tr {quoted}"
        note = "tr reads no files, only what is piped to it: cat reads them"
    return fixed.rstrip() + command[tail.end() :], f"fixed here: {note}"


def _tr_reading(command: str, words: list[str]) -> tuple[str, str] | None:
    """``tr A B < f`` for ``tr A B f`` (two sets, or one with ``-d``, then one file)."""
    flags = short_flags(words)
    operands = [w for w in words[1:] if not w.startswith("-") or w == "-"]
    sets = 1 if "d" in flags and "s" not in flags else 2
    if len(operands) != sets + 1 or set(flags) - set("dscC"):
        return None
    name = operands[-1]
    if not re.fullmatch(r"[\w./-]*\.\w+|[\w.-]*/[\w./-]+", name) or "<" in command:
        return None
    found = list(re.finditer(r"(?<=\s)" + re.escape(shlex.quote(name)) + r"\s*$", command))
    if len(found) != 1:
        found = list(re.finditer(r"(?<=\s)" + re.escape(name) + r"\s*$", command))
    if len(found) != 1:
        return None
    fixed = command[: found[0].start()] + f"< {shlex.quote(name)}"
    return fixed, f"fixed here: tr reads only its standard input: < {name} gives it the file"

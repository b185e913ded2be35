r"""Sure fixes from the twenty-first by-hand round: comparing two files or two folders.

The files in one folder and not the other (or in both), which files differ, whether two
files or folders are the same, a comparison side by side, two files' checksums, and the
count of lines that differ.

Each returns the fixed command with a ``fixed here:`` note, or None; ``compare_fix`` is the one
``cmdai.sure_fixes`` calls, for a command that changes nothing, and ``folder_sets_fix``, for a
request that changes nothing, whatever the draft (``find new -exec ls -l {} \;`` runs ls).
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.stages import command_stages, replace_once, request_entries, short_flags

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def compare_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of this module's fixes that applies (None: none does)."""
    fixed = side_by_side_fix(command, request) or differing_lines_fix(command, request)
    if fixed is None and here is not None:
        fixed = (
            differing_files_fix(command, request, here)
            or same_fix(command, request, here)
            or checksums_fix(command, request, here)
        )
    return fixed


def side_by_side_fix(command: str, request: str) -> tuple[str, str] | None:
    """``diff -y a b`` for ``diff a b`` and "the differences side by side"."""
    if not re.search(r"\bside[- ]by[- ]side\b", request, re.IGNORECASE):
        return None
    stages = command_stages(command)
    if len(stages) != 1 or stages[0][0] != "diff" or "-y" in stages[0]:
        return None
    if any(w.startswith("--side") or re.fullmatch(r"-\w*y\w*", w) for w in stages[0]):
        return None
    fixed = replace_once(command, r"(?<![\w/.-])diff(?=\s)", "diff -y")
    return (fixed, "fixed here: diff -y shows the two side by side") if fixed else None


def differing_lines_fix(command: str, request: str) -> tuple[str, str] | None:
    """``diff a b | grep -c '^[<>]'`` for ``diff a b | wc -l`` and "how many lines differ".

    diff's output holds its own lines (``2c2``, ``---``) among the changed ones; the lines
    that differ are those marked ``<`` or ``>``.
    """
    if not re.search(
        r"\bhow\s+many\s+lines\b.*\bdiffer|\bnumber\s+of\s+(?:different|changed)\s+lines",
        request,
        re.IGNORECASE,
    ):
        return None
    stages = command_stages(command)
    if len(stages) != 2 or stages[0][0] != "diff" or stages[1] != ["wc", "-l"]:
        return None
    if any(w.startswith(("-u", "-c", "-y", "-q", "--")) for w in stages[0][1:]):
        return None
    fixed = replace_once(command, r"\|\s*wc\s+-l\s*$", "| grep -c '^[<>]'")
    note = "diff prints its own lines too (2c2, ---); grep -c counts the lines marked < or >"
    return (fixed, f"fixed here: {note}") if fixed else None


_BOTH = re.compile(r"\b(?:in|inside)\s+both\b", re.IGNORECASE)
_ONLY_IN = re.compile(
    r"\bin\s+(?:the\s+)?(?P<a>[\w.-]+)(?:\s+folder)?\s+but\s+not\s+(?:in\s+)?(?:the\s+)?(?P<b>[\w.-]+)",
    re.IGNORECASE,
)


_CHANGE_VERB = re.compile(
    r"\b(?:delete|remove|copy|move|rename|sync|change|edit|replace|make|create|put|add|archive)\b",
    re.IGNORECASE,
)


def _listing(folder: str) -> str:
    return f"<(cd {shlex.quote(folder)} && find . -type f | sort)"


def folder_sets_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``comm -12 <(cd old && find . -type f | sort) <(cd new && ...)`` for "files in both".

    And ``comm -23`` (``-13``) for "the files in new but not in old". Each folder's files are
    listed from inside it, so that the same file has the same name in both lists.
    """
    if "comm" in command or not re.search(r"\bfiles?\b", request, re.IGNORECASE):
        return None
    if _CHANGE_VERB.search(request):
        return None  # "delete the files in new but not in old": not a listing to write
    only = _ONLY_IN.search(request)
    folders = [n for n in request_entries(request, here) if here.is_dir(n)]
    if only is not None and here.is_dir(only["a"]) and here.is_dir(only["b"]):
        a, b, columns = only["a"], only["b"], "-23"
        note = f"comm -23 keeps the files listed in {a} and not in {b}"
    elif _BOTH.search(request) and len(folders) == 2:
        (a, b), columns = folders, "-12"
        note = f"comm -12 keeps the files listed in both {a} and {b}"
    else:
        return None
    fixed = f"comm {columns} {_listing(a)} {_listing(b)}"
    return fixed, f"fixed here: {note}"


_WHICH_DIFFER = re.compile(
    r"\b(?:which|what)\s+files\s+(?:differ|are\s+different|changed)|\bnames\s+of\s+the\s+files\s+"
    r"(?:that|which)\s+(?:differ|are\s+different)|\bfiles\s+that\s+differ\b",
    re.IGNORECASE,
)


def differing_files_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``diff -rq old new`` for ``diff old new`` (or ``diff -r ... | grep``), "which files differ".

    Between two folders diff prints the changed lines of the files at their top; ``-r``
    goes into their folders and ``-q`` names each file that differs or is on one side only.
    """
    if not _WHICH_DIFFER.search(request):
        return None
    stages = command_stages(command)
    if not stages or stages[0][0] != "diff":
        return None
    options = [w for w in stages[0][1:] if w.startswith("-")]
    letters = short_flags(stages[0])
    if "q" in letters or "--brief" in options:
        return None  # names the files already (`diff -q`, `--brief --recursive`)
    operands = [w for w in stages[0][1:] if not w.startswith("-")]
    if len(operands) != 2 or not all(here.is_dir(w.rstrip("/")) for w in operands):
        return None
    longs = {w for w in options if w.startswith("--")}
    if set(letters) - set("rN") or longs - {"--recursive", "--new-file"}:
        return None  # other options (-u, -w, -x NAME): not a listing of names to rewrite
    fixed = shlex.join(["diff", "-rq" + ("N" if "N" in letters else ""), *operands])
    return fixed, "fixed here: diff -rq names the files that differ, in the folders below too"


_SAME = re.compile(
    r"\b(?:identical|the\s+same(?:\s+contents?)?|same\s+contents?|exactly\s+alike)\b",
    re.IGNORECASE,
)


def same_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``cmp -s a b && echo identical || echo different`` for ``diff a b``, "are a and b the same".

    diff prints nothing when they are: the request's yes or no is said in words. Two folders
    are compared file by file (``diff -rq``), the files that differ named.
    """
    if not _SAME.search(request) or not re.search(r"\b(?:are|is|whether|if)\b", request, re.I):
        return None
    stages = command_stages(command)
    if len(stages) != 1 or stages[0][0] not in ("diff", "cmp") or "echo" in command:
        return None
    named = request_entries(request, here)
    if len(named) != 2:
        return None
    a, b = (shlex.quote(n) for n in named)
    if not here.is_dir(named[0]) and not here.is_dir(named[1]):
        fixed = f"cmp -s {a} {b} && echo identical || echo different"
    elif here.is_dir(named[0]) and here.is_dir(named[1]):
        fixed = f"diff -rq {a} {b} && echo identical"
    else:
        return None
    return fixed, "fixed here: the request asks yes or no, and diff says nothing when they match"


def checksums_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``md5sum old/app.py new/app.py`` for a ``diff`` when the request asks for checksums."""
    asked = re.search(r"\b(?:check\s*sums?|hash(?:es)?|md5|sha-?(?:1|256)?)\b", request, re.I)
    if asked is None or re.search(r"\b(?:md5|sha\d*|b2|cksum)sum\b|\bcksum\b", command):
        return None
    files = [n for n in request_entries(request, here) if not here.is_dir(n)]
    if len(files) != 2:
        return None
    tool = "sha256sum" if re.search(r"sha-?256", request, re.I) else "md5sum"
    tool = "sha1sum" if re.search(r"sha-?1\b", request, re.I) else tool
    fixed = shlex.join([tool, *files])
    return fixed, f"fixed here: {tool} prints each file's checksum, to compare"

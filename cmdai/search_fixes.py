"""Sure fixes from the twentieth by-hand round: searching the text of a project with grep.

The files that match rather than their lines (``-l``), files without a word (``-L``), files
with two words, a folder left out (``--exclude-dir``), lines around a match (``-C``), text
shaped like an example (``grep -oE``), one count or first match per file (``-c``, ``-m 1``),
and ripgrep's ``--hidden`` given to grep.

Each returns the fixed command with a ``fixed here:`` note, or None; ``search_fix`` is the one
``cmdai.sure_fixes`` calls, for a command that changes nothing.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.operands import ONLY_HERE, VALUED
from cmdai.stages import command_stages, request_entries
from cmdai.titles import number_value

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_VALUED = frozenset(VALUED["grep"])


class _Grep:
    """One grep's words: its short flags, long options, pattern and files."""

    def __init__(self, argv: list[str]) -> None:
        self.flags, self.long, self.rest = "", [], []
        skip = False
        for word in argv[1:]:
            if skip:
                skip = False
                self.long.append(word)
            elif word in _VALUED:
                skip = True
                self.long.append(word)
            elif word.startswith("--"):
                self.long.append(word)
            elif re.fullmatch(r"-[A-Za-z]+", word):
                self.flags += word[1:]
            else:
                self.rest.append(word)
        self.pattern = self.rest[0] if self.rest else None
        self.files = self.rest[1:]

    def written(self, flags: str, files: list[str], drop: tuple[str, ...] = ()) -> str:
        """This grep written again with ``flags`` and ``files`` (long options kept)."""
        long = [w for w in self.long if w.split("=", 1)[0] not in drop]
        words = ["grep", *([f"-{flags}"] if flags else []), *long, self.pattern or ""]
        return " ".join([_joined(words), *(_operand(f) for f in files)])


def _one_grep(command: str) -> tuple[list[list[str]], int, _Grep] | None:
    """The command's stages, the index of its one grep, and that grep's words."""
    stages = command_stages(command)
    greps = [n for n, stage in enumerate(stages) if stage[0] == "grep"]
    if len(greps) != 1:
        return None
    grep = _Grep(stages[greps[0]])
    return (stages, greps[0], grep) if grep.pattern else None


def _operand(word: str) -> str:
    """A file operand as bash should read it: a glob (``*.py``) left for bash to expand."""
    return word if re.fullmatch(r"[\w@%+=:,./*?\[\]-]+", word) else shlex.quote(word)


def _joined(words: list[str]) -> str:
    """``words`` as a command line, an ``--include=GLOB`` written ``--include='GLOB'``."""
    return re.sub(r"'--(include|exclude)=([^']*)'", r"--\1='\2'", shlex.join(words))


def search_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of this module's fixes that applies (None: none does)."""
    fixed = (
        hidden_option_fix(command)
        or both_words_fix(command, request)
        or files_without_fix(command, request)
        or files_only_fix(command, request)
    )
    if fixed is None and here is not None:
        fixed = (
            installed_folders_fix(command, request, here)
            or except_folder_fix(command, request, here)
            or excluded_folder_fix(command, here)
            or context_lines_fix(command, request, here)
            or example_pattern_fix(command, request, here)
            or each_file_fix(command, request, here)
            or nested_files_fix(command, request, here)
        )
    return fixed


def hidden_option_fix(command: str) -> tuple[str, str] | None:
    """``grep -r api_key .`` for ``grep -r --hidden api_key .`` (ripgrep's option, not grep's).

    grep reads hidden files as it reads the others; it refuses ``--hidden``.
    """
    found = _one_grep(command)
    if found is None or "--hidden" not in found[2].long or len(found[0]) != 1:
        return None
    grep = found[2]
    fixed = grep.written(grep.flags, grep.files, drop=("--hidden",))
    return fixed, "fixed here: grep has no --hidden (ripgrep's); grep -r reads hidden files too"


_BOTH = re.compile(
    r"\b(?:contain|mention|have|include|use)s?\s+both\s+(?P<a>\S+)\s+and\s+(?P<b>\S+)",
    re.IGNORECASE,
)
_QUOTES = "'\"`,.;:()"


def both_words_fix(command: str, request: str) -> tuple[str, str] | None:
    """``grep -rlZ foo . | xargs -0 grep -l bar`` for "the files that contain both foo and bar".

    One grep finds lines, and ``foo.*bar`` only the lines holding both in that order; a file
    with each on its own line has both.
    """
    asked = _BOTH.search(request)
    found = _one_grep(command)
    if asked is None or found is None or len(found[0]) != 1:
        return None
    a, b = asked["a"].strip(_QUOTES), asked["b"].strip(_QUOTES)
    where = found[2].files or ["."]
    first = shlex.join(["grep", "-rlZ", "--", a, *where])
    fixed = f"{first} | xargs -0 grep -l -- {shlex.quote(b)}"
    return fixed, f"fixed here: a file has both words when each is anywhere in it: {a}, then {b}"


_WITHOUT = re.compile(
    r"\bfiles?\b.*?\b(?:(?:do|does)\s*n[o']t|not|never)\s+(?:contain|mention|have|include|use)|"
    r"\bfiles?\s+(?:without|lacking)\b",
    re.IGNORECASE,
)


def files_without_fix(command: str, request: str) -> tuple[str, str] | None:
    """``grep -rL --include='*.py' License .`` for "which python files do not contain License".

    ``grep -v`` prints the lines without the word, from every file; ``-L`` names the files
    that have none. A ``find ... -name GLOB |`` before a ``grep -r`` (which reads the files
    itself, not find's names) is dropped, its glob kept as ``--include``.
    """
    if not _WITHOUT.search(request):
        return None
    found = _one_grep(command)
    if found is None:
        return None
    stages, at, grep = found
    if "v" not in grep.flags or at != len(stages) - 1 or grep.pattern is None:
        return None
    if grep.pattern.lower() not in request.lower():
        return None
    before = stages[:at]
    include = [w for w in grep.long if w.startswith("--include")]
    if re.search(r"\b(?:name|path)\w*\s+(?:do(?:es)?\s*n[o']t|not)\b", request, re.IGNORECASE):
        return None  # "whose pathnames do not contain whitespace": names, not contents
    if before:
        names = before[0][before[0].index("-name") + 1 :][:1] if "-name" in before[0] else []
        if (
            len(before) != 1
            or before[0][0] != "find"
            or not names
            or not set("rR") & set(grep.flags)
        ):
            return None  # `find | grep -v X` filters the names find prints
        include = include or [f"--include={names[0]}"]
    files = grep.files or ["."]
    recursive = "r" if ("r" in grep.flags or "R" in grep.flags or files == ["."]) else ""
    flags = recursive + grep.flags.replace("v", "").replace("r", "").replace("R", "") + "L"
    fixed = _joined(["grep", f"-{flags}", *include, grep.pattern, *files])
    return fixed, "fixed here: grep -v prints the lines without it; grep -L names the files"


_WHICH_FILES = re.compile(
    r"\b(?:which|what)\s+files\b|\blist\s+(?:only\s+)?(?:the\s+)?(?:names\s+of\s+(?:the\s+)?)?"
    r"files\b|\bnames\s+of\s+the\s+files\b|\bfiles\s+(?:that|which)\s+(?:mention|contain)",
    re.IGNORECASE,
)


def files_only_fix(command: str, request: str) -> tuple[str, str] | None:
    """``grep -rl TODO .`` for ``grep -r TODO .`` and "which files mention TODO".

    The request asks for the files; grep prints every matching line. Only a lone grep over
    a folder or several files, told nothing about what to print.
    """
    found = _one_grep(command)
    if not _WHICH_FILES.search(request) or found is None or len(found[0]) != 1:
        return None
    grep = found[2]
    if set(grep.flags) & set("lLcoqhvn") or (
        grep.long and not all(w.startswith(("--include", "--exclude")) for w in grep.long)
    ):
        return None
    if not ({"r", "R"} & set(grep.flags) or len(grep.files) > 1 or "*" in "".join(grep.files)):
        return None
    fixed = grep.written(grep.flags + "l", grep.files)
    return fixed, "fixed here: the request asks which files; grep -l names them, not their lines"


_EXCEPT = re.compile(
    r"\b(?:except|excluding|but\s+not|outside|not)\s+(?:in\s+)?(?:the\s+)?(?P<dir>[\w.-]+)",
    re.IGNORECASE,
)


def except_folder_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``grep -r --exclude-dir=node_modules password .`` for "everywhere except node_modules".

    Answered by searching that folder (``grep -r -v password node_modules/*``): the folder the
    request leaves out is the one searched, and ``-v`` printed the other lines.
    """
    asked = _EXCEPT.search(request)
    found = _one_grep(command)
    if asked is None or found is None or len(found[0]) != 1:
        return None
    folder, grep = asked["dir"], found[2]
    if not here.is_dir(folder) or "--exclude-dir" in " ".join(grep.long):
        return None
    if not any(f.rstrip("/*") == folder for f in grep.files):
        return None
    flags = grep.flags.replace("v", "")
    flags = flags if set("rR") & set(flags) else "r" + flags
    words = ["grep", f"-{flags}", f"--exclude-dir={folder}", grep.pattern or "", "."]
    note = f"the request leaves {folder} out: --exclude-dir skips it, and the rest is searched"
    return shlex.join(words), f"fixed here: {note}"


_INSTALLED = (".venv", "venv", "node_modules")
"""Folders of installed packages: thousands of files of other people's code."""
_OWN_CODE = re.compile(r"\b(?:scripts?|(?:my|the|our)\s+code|source\s+(?:code|files))\b", re.I)
_WHICH = re.compile(r"\b(?:which|what)\s+(?:scripts?|files?|modules?)\b", re.I)


def installed_folders_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``grep -rl --exclude-dir=.venv 'import requests' .`` for "which script imports requests".

    Answered ``grep -r "import requests" .`` beside a virtual environment (the fifty-second
    by-hand round): the one script that does is lost among hundreds of matches inside
    ``.venv``. Only for a request about the user's own scripts or code that does not speak of
    the installed packages, and a recursive search of the whole folder.
    """
    if not _OWN_CODE.search(request) or re.search(
        r"\b(?:venv|virtual|node_modules|packages?|librar(?:y|ies)|dependenc\w*|installed)\b",
        request,
        re.I,
    ):
        return None
    found = _one_grep(command)
    if found is None or len(found[0]) != 1:
        return None
    grep = found[2]
    if not {"r", "R"} & set(grep.flags) or grep.files not in ([], ["."], ["./"]):
        return None
    present = [f for f in _INSTALLED if here.is_dir(f)]
    if not present or "--exclude-dir" in " ".join(grep.long):
        return None
    flags = grep.flags + ("l" if _WHICH.search(request) and "l" not in grep.flags else "")
    words = [
        "grep",
        f"-{flags}",
        *(f"--exclude-dir={f}" for f in present),
        *grep.long,
        grep.pattern or "",
        ".",
    ]
    note = f"{', '.join(present)} holds installed packages, not the code asked about"
    return shlex.join(words), f"fixed here: {note}"


_EXCLUDE_FOLDER = re.compile(r"--exclude=(['\"]?)(?P<dir>[\w.-]+)(?:/\*?)?\1(?=\s|$)")


def excluded_folder_fix(command: str, here: Here) -> tuple[str, str] | None:
    """``--exclude-dir=node_modules`` for ``grep -r --exclude=node_modules/* TODO .``.

    ``--exclude`` matches file names, never a folder: the folder was searched all the same.
    """
    found = _one_grep(command)
    asked = _EXCLUDE_FOLDER.search(command)
    if found is None or asked is None or not set("rR") & set(found[2].flags):
        return None
    folder = asked["dir"]
    if not here.is_dir(folder):
        return None
    fixed = command[: asked.start()] + f"--exclude-dir={folder}" + command[asked.end() :]
    return fixed, f"fixed here: --exclude matches file names; --exclude-dir={folder} skips it"


_AROUND = re.compile(
    r"\b(?P<n>\d+|\w+)\s+lines?\s+(?:before\s+and\s+after|around|either\s+side\s+of)\s+"
    r"(?:the\s+|each\s+|every\s+)?(?:word\s+|line\s+with\s+)?(?P<word>[\w'\"-]+)",
    re.IGNORECASE,
)


def _named_file(request: str, here: Here) -> str | None:
    """The one file here that the request names by its path (``logs/server.log``)."""
    named = [
        w for w in request_entries(request, here) if ("." in w or "/" in w) and not here.is_dir(w)
    ]
    return named[0] if len(named) == 1 else None


def context_lines_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``grep -C 2 panic logs/server.log`` for "2 lines before and after the panic in it".

    Answered with ``tail -n +2 FILE | head -n 4``, the lines at a guessed place; grep finds
    the match and prints its neighbours.
    """
    asked = _AROUND.search(request) or _WITH_LINES.search(request)
    if asked is None or re.search(r"grep\b.*\s-[A-Za-z]*[ABC]", command):
        return None
    n = number_value(asked["n"])
    if n is None:
        return None
    name = _named_file(request, here)
    if name is None:
        return None
    word = asked["word"].strip(_QUOTES)
    side = (asked.groupdict().get("side") or "around").lower()
    option = {"after": "-A", "before": "-B"}.get(side, "-C")
    where = {"after": "after it", "before": "before it"}.get(side, "on either side")
    fixed = shlex.join(["grep", option, str(n), word, name])
    return fixed, f"fixed here: grep {option} {n} prints each line with {word} and {n} {where}"


# "show each ERROR in app.log with the 2 lines after it" (seen: `tail -n +2 app.log | grep ERROR`)
_WITH_LINES = re.compile(
    r"\b(?:each|every)\s+(?P<word>[\w'\"-]+).*?\bwith\s+(?:the\s+)?(?P<n>\d+|\w+)\s+lines?\s+"
    r"(?P<side>after|before|around)\s+(?:it|each|them)\b",
    re.IGNORECASE,
)


_LIKE = re.compile(
    r"\b(?:extract|pull\s+out|list|show|find|get|print)\b.*?\blike\s+(?P<ex>\S*\d\S*)",
    re.IGNORECASE,
)


def example_regex(example: str) -> str:
    """An extended regular expression for text shaped like ``example`` (``$12.50``).

    Each run of digits is any run of digits; a last ``.digits`` may be missing (``$3``);
    every other character stands for itself.
    """
    parts = re.findall(r"\d+|\.\d+$|.", example)
    out = []
    for part in parts:
        if part.isdigit():
            out.append("[0-9]+")
        elif re.fullmatch(r"\.\d+", part):
            out.append(r"(\.[0-9]+)?")
        else:
            out.append(re.escape(part))
    return "".join(out)


def example_pattern_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    r"""``grep -oE '\$[0-9]+(\.[0-9]+)?' prices.txt`` for "extract the prices like $12.50".

    Answered with a column (``awk '{print $2}'``), which holds a price only on the lines that
    put one there; ``grep -o`` prints each text of that shape, wherever it is.
    """
    asked = _LIKE.search(request)
    if asked is None or re.search(r"grep\s+(?:-\w*o|.*\s-\w*o)", command):
        return None
    name = _named_file(request, here)
    example = asked["ex"].rstrip(",;:)").removesuffix(".")
    if name is None or "'" in example or not re.search(r"\d", example):
        return None
    fixed = f"grep -oE '{example_regex(example)}' {shlex.quote(name)}"
    return fixed, f"fixed here: grep -o prints each text shaped like {example}, wherever it is"


_EACH_FILE = re.compile(r"\b(?:in|of|for|from)\s+(?:each|every)\s+(?:\w+\s+)?file\b", re.IGNORECASE)


def each_file_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``grep -r -m 1 --include='*.log' Exception .`` for ``grep Exception *.log | head -n 1``.

    "the first Exception in each log file": ``head`` keeps the first line of all of them
    together, and ``| wc -l`` one total; ``-m 1`` and ``-c`` do it per file. Where files in
    the folders below match the glob too, grep reaches them (``-r --include``).
    """
    found = _one_grep(command)
    if not _EACH_FILE.search(request) or found is None:
        return None
    stages, at, grep = found
    after = stages[at + 1 :]
    if at != 0 or len(after) != 1 or len(grep.files) != 1 or set("rRlLc") & set(grep.flags):
        return None
    if after[0] == ["wc", "-l"]:
        flags, what = grep.flags.replace("o", "") + "c", "-c counts"
    elif after[0] in (["head", "-n", "1"], ["head", "-1"], ["head", "-n1"]):
        flags, what = grep.flags + "m", "-m 1 keeps the first"
    else:
        return None
    glob = grep.files[0]
    if not re.fullmatch(r"\*\.\w+", glob):
        return None
    below = here.below(glob)
    letters = ("r" if below else "") + flags.replace("m", "")
    words = ["grep", *([f"-{letters}"] if letters else []), *(["-m", "1"] if "m" in flags else [])]
    words += [f"--include={glob}", grep.pattern or "", "."] if below else [grep.pattern or "", glob]
    fixed = _joined(words) if below else _joined(words).replace(shlex.quote(glob), glob)
    return fixed, f"fixed here: grep {what} in each file, not of all of them together"


_DIR_GLOB = re.compile(r"(?P<dir>[\w.-]+(?:/[\w.-]+)*)/(?P<glob>\*\.\w+)")


def nested_files_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``grep -rv --include='*.py' '^$' src | wc -l`` for ``grep -v '^$' src/*.py | wc -l``.

    "the lines of python code in src": ``src/*.py`` leaves out the files in src's own folders
    (``src/pkg/maths.py``); ``-r --include`` reads them all. Only a grep at the start, given
    that one glob, where such files lie deeper, and not for a request about that folder alone.
    """
    found = _one_grep(command)
    if found is None or ONLY_HERE.search(request):
        return None
    _, at, grep = found
    if at != 0 or len(grep.files) != 1 or set("rR") & set(grep.flags):
        return None
    shape = _DIR_GLOB.fullmatch(grep.files[0])
    if shape is None or not here.is_dir(shape["dir"]) or f" {grep.files[0]}" not in command:
        return None
    depth = shape["dir"].count("/") + 2  # a file in a folder of that folder
    inside = [f for f in here.below(shape["glob"]) if f.startswith(f"{shape['dir']}/")]
    deeper = [f for f in inside if f.count("/") >= depth]
    if not deeper:
        return None
    include = [*grep.long, f"--include={shape['glob']}"]
    written = _joined(["grep", f"-r{grep.flags}", *include, grep.pattern or "", shape["dir"]])
    rest = command[command.index(grep.files[0]) + len(grep.files[0]) :]
    note = f"{grep.files[0]} leaves out the files in {shape['dir']}'s folders ({deeper[0]})"
    return written + rest, f"fixed here: {note}; grep -r --include reads them too"

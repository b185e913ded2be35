"""Path fixes: a path the draft made up, where what is here says which one was meant.

A small model writes what it cannot see: a placeholder (``du -sh /path/to/your/music``,
``sed '/debug/d' yourfile.js``), a name made from the request's words (``raw_weather.csv``
for ``data/raw/weather.csv``), a home folder for the one beside it (``ls -lt ~/Downloads``
run next to ``Downloads``), zip's operands the wrong way round (``zip photo.png photo.zip``
makes an archive called ``photo.png``). Each fix here changes a path only when what is here
leaves one reading: one folder by that name, one file with that extension, no such folder at
home; and only a path a tool reads (a made-up output name "fixed" to a file here would
overwrite it), never one the request itself writes. A placeholder nothing here resolves
stays, with a warning that names it.
"""

from __future__ import annotations

import itertools
import os
import re
from typing import TYPE_CHECKING

from cmdai.context import name_words
from cmdai.shellparse import analyse

if TYPE_CHECKING:
    from cmdai.context import Workdir
    from cmdai.pitfalls import Here
    from cmdai.shellparse import Analysis

_NOUNS = (
    r"(?:file|dir|directory|folder|script|document|doc|image|archive|project|repo|repository"
    r"|path|input|output|log|data|backup|dest|destination|source|target|video|photo|picture"
    r"|music|program|app)s?"
)
_PLACEHOLDER = re.compile(
    r"(?:^|/)path/to(?:/|$)"  # /path/to/file, path/to/dir
    r"|(?:^|/)(?:your|my)(?:[_-]\w+|" + _NOUNS + r"(?:[_-]\w+)?)(?:\.\w+)?$"  # yourfile.js
    r"|(?:^|/)(?:file_?name|dir_?name|folder_?name|some_?file)(?:\.\w+)?$",
    re.IGNORECASE,
)
_HOME = re.compile(r"\bhome\b|~", re.IGNORECASE)
_GENERIC = frozenset(
    ("file", "files", "filename", "dir", "dirname", "directory", "folder", "foldername", "name")
)


def path_fix(command: str, here: Workdir, request: str = "") -> tuple[str, str] | None:
    """The first path fix that applies to ``command``, with its note; None when none does.

    A path the request itself writes is never changed: the user named it ("sort A.txt",
    "find ~/src -newer main.css"), even where nothing here has that name.
    """
    try:
        analysis = analyse(command)
    except ValueError:
        return None
    if analysis.problems:
        return None
    return (
        placeholder_fix(command, analysis, here, request)
        or made_up_name_fix(command, analysis, here, request)
        or home_fix(command, analysis, here, request)
        or zip_order_fix(command, analysis, here)
    )


def _read_operands(analysis: Analysis) -> list[str]:
    """The operands that tools which read (``_READERS``) are given, patterns and programs aside.

    Only these are fixed: a made-up name where a file is written (``maim path/to/shot.png``)
    would be an existing file overwritten.
    """
    words: list[str] = []
    for simple in analysis.commands:
        argv = simple.argv
        if not argv or argv[0] not in _READERS:
            continue
        valued = _VALUED.get(argv[0], frozenset()) | {"-o", "--output"}
        operands = [
            w
            for before, w in itertools.pairwise(argv)
            if not w.startswith("-") and before not in valued  # `sort -o out.txt`: written
        ]
        if argv[0] in _PATTERN_FIRST and not {"-e", "-f"} & set(argv):
            operands = operands[1:]  # `grep console.log app.js`: the pattern is no file
        elif argv[0] in _INTERPRETERS:
            operands = operands[:1]  # the script; what follows are its arguments
        words += operands
    return words


# Options that take the next word as their value, per tool (an output file taken for an input
# would be overwritten; a flag taken for one that takes a value only costs a fix not made).
_VALUED: dict[str, frozenset[str]] = {
    "sort": frozenset({"-k", "-t", "-S", "-T"}),
    "head": frozenset({"-n", "-c"}),
    "tail": frozenset({"-n", "-c"}),
    "cut": frozenset({"-d", "-f", "-c", "-b"}),
    "awk": frozenset({"-F", "-v", "-f"}),
    "grep": frozenset({"-e", "-f", "-m", "-A", "-B", "-C"}),
    "egrep": frozenset({"-e", "-f", "-m", "-A", "-B", "-C"}),
    "fgrep": frozenset({"-e", "-f", "-m", "-A", "-B", "-C"}),
    "sed": frozenset({"-e", "-f"}),
    "du": frozenset({"-d"}),
    "column": frozenset({"-s", "-c"}),
    "jq": frozenset({"--arg", "--argjson"}),
}
_INTERPRETERS = frozenset({"python", "python3", "node", "bash", "sh", "source"})


def _words(analysis: Analysis) -> list[str]:
    """The argument words of every simple command, and the files redirected to or from.

    Not what ``echo`` and ``printf`` print: text, not paths.
    """
    words = [
        w
        for c in analysis.commands
        if c.argv[:1] not in (("echo",), ("printf",))
        for w in c.argv[1:]
    ]
    return words + [r.target for r in analysis.redirects]


def placeholders(command: str, here: Here | None = None, request: str = "") -> list[str]:
    """The words of ``command`` that stand for a path of the user's own (not one here).

    Not a word the request writes ("replace foo in filename"): that is the user's own name.
    """
    try:
        analysis = analyse(command)
    except ValueError:
        return []
    return _placeholders(analysis, here, request)


def _placeholders(analysis: Analysis, here: Here | None, request: str) -> list[str]:
    found = [
        w
        for w in _words(analysis)
        if _PLACEHOLDER.search(w)
        and not w.startswith("-")
        and w not in request
        and not (here and here.exists(w))
    ]
    return list(dict.fromkeys(found))


def placeholder_warnings(command: str, here: Here | None, request: str = "") -> list[str]:
    """A warning per placeholder left in ``command``: the user must put a path there."""
    return [
        f"placeholder: {word} stands for a path of your own; put yours there before running"
        for word in placeholders(command, here, request)
    ]


def placeholder_fix(
    command: str, analysis: Analysis, here: Workdir, request: str = ""
) -> tuple[str, str] | None:
    """A placeholder a reading tool is given, replaced by the one entry here it can mean.

    ``yourfile.js`` -> the one ``.js`` file here or below; ``/path/to/your/music`` -> the one
    folder here (or below) called ``music`` in any case.
    """
    read = set(_read_operands(analysis))
    for word in _placeholders(analysis, here, request):
        if word not in read:
            continue
        target = _resolve(word, here)
        if target is None or command.count(word) != 1:
            continue
        fixed = command.replace(word, target)
        return fixed, f"fixed here: {word} was a placeholder, and {target} is the one here"
    return None


def _resolve(word: str, here: Workdir) -> str | None:
    last = word.rstrip("/").rsplit("/", 1)[-1]
    stem, dot, suffix = last.rpartition(".")
    if dot and stem and suffix.isalnum():
        return here.only_with_suffix("." + suffix)
    name = re.sub(r"(?i)^(?:your|my)[_-]?", "", last)
    if not name or name.lower() in _GENERIC:
        return None
    return here.folder_called(name)


def home_fix(
    command: str, analysis: Analysis, here: Workdir, request: str = ""
) -> tuple[str, str] | None:
    """``~/Downloads`` where home has no ``Downloads`` and this directory has one.

    Not when the request speaks of the home folder itself ("the test folder in my home").
    """
    if _HOME.search(request):
        return None
    home = os.path.expanduser("~")
    for word in _words(analysis):
        if not word.startswith("~/") or len(word) < 3 or word.rstrip("/") in request:
            continue
        rest = word[2:]
        first = rest.split("/", 1)[0]
        if os.path.lexists(os.path.join(home, first)) or not here.exists(first):
            continue
        spelled = re.compile(re.escape(word) + r"(?![\w.-])")
        if len(spelled.findall(command)) != 1:
            continue
        fixed = spelled.sub(rest.replace("\\", "\\\\"), command, count=1)
        return fixed, f"fixed here: {first} is here, not in your home folder"
    return None


def zip_order_fix(command: str, analysis: Analysis, here: Workdir) -> tuple[str, str] | None:
    """``zip photo.png photo.zip``: the archive comes first, so zip would write photo.png."""
    for simple in analysis.commands:
        argv = simple.argv
        if not argv or argv[0] != "zip" or any(w.startswith("-") for w in argv[1:]):
            continue
        operands = argv[1:]
        if len(operands) != 2:
            continue
        first, last = operands
        if first.lower().endswith(".zip") or not last.lower().endswith(".zip"):
            continue
        if here.exists(last) or not (here.exists(first) or "." in first):
            continue
        pattern = re.compile(r"\bzip\s+" + re.escape(first) + r"\s+" + re.escape(last) + r"\b")
        if len(pattern.findall(command)) != 1:
            continue
        fixed = command.replace(pattern.findall(command)[0], f"zip {last} {first}", 1)
        return fixed, f"fixed here: zip's archive comes first ({last}), then what goes in it"
    return None


# Tools whose file operands are read (or edited in place): a name there must exist.
_READERS = frozenset(
    {
        *("cat", "head", "tail", "less", "more", "grep", "egrep", "fgrep", "awk", "sed", "wc"),
        *("sort", "uniq", "cut", "column", "jq", "file", "stat", "du", "ls", "md5sum", "sha1sum"),
        *("sha256sum", "diff", "cmp", "tac", "nl", "od", "xxd", "hexdump", "strings", "python3"),
        *("python", "node", "bash", "sh", "source"),
    }
)
_PATTERN_FIRST = frozenset({"grep", "egrep", "fgrep", "sed", "awk", "jq"})
_FILE_WORD = re.compile(r"[\w.-]+\.([A-Za-z][A-Za-z0-9]{0,4})")


def made_up_name_fix(
    command: str, analysis: Analysis, here: Workdir, request: str = ""
) -> tuple[str, str] | None:
    """A file name the model made from the request's words, for the one file it means.

    "show the hottest city in the raw weather csv" was answered with ``raw_weather.csv``
    beside ``data/raw/weather.csv``; "how big is the hero image", ``hero_image.jpg`` for
    ``web/public/hero.jpg``. A name a reading tool is given that is not here is replaced by
    the one file here or below with its extension whose own name's words are all among the
    made-up name's words (``weather`` in ``raw_weather``); none or several: left alone.
    """
    for word in _read_operands(analysis):
        shape = _FILE_WORD.fullmatch(word)
        if shape is None or word in request or here.exists(word):
            continue
        words = set(name_words(word))
        target = here.only_named_within(shape.group(1), words)
        spelled = re.compile(r"(?<![\w./-])" + re.escape(word) + r"(?![\w.-])")
        if target is None or len(spelled.findall(command)) != 1:
            continue
        fixed = spelled.sub(target.replace("\\", "\\\\"), command, count=1)
        return fixed, f"fixed here: {word} is not here, and {target} is the file meant"
    return None

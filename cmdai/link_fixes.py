"""Sure fixes from the twenty-fifth by-hand round: links, and what a file's metadata says.

Where a link points, a link pointed elsewhere (``ln -sfn``), a hard link that is one, the
broken links (``find -xtype l``; every link before, and the delete removed working ones
too), a size in bytes, which of two files is newer, and a file's full path.

Each returns the fixed command with a ``fixed here:`` note, or None. ``link_fix`` is called
for any draft (its fixes make the change the request names, or narrow a delete);
``metadata_fix`` for a draft that shows and changes nothing, with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.stages import command_stages, short_flags

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_NAME = r"['\"]?(?P<{0}>[\w.][\w./-]*[\w/]|\w)['\"]?"


def link_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of the fixes for any draft that applies (None: none does)."""
    return (
        hard_link_fix(command, request)
        or broken_links_fix(command, request)
        or (relink_fix(command, request, here) if here is not None else None)
    )


def metadata_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes for a draft that only shows that applies (None: none does)."""
    return (
        link_target_fix(command, request, here)
        or bytes_fix(command, request, here)
        or newer_fix(command, request, here)
        or full_path_fix(command, request, here)
    )


def hard_link_fix(command: str, request: str) -> tuple[str, str] | None:
    """``ln data.bin data-link.bin`` for ``ln -s data.bin data-link.bin``: "make a hard link"."""
    if not re.search(r"\bhard\s*-?links?\b", request, re.IGNORECASE):
        return None
    stages = command_stages(command)
    if len(stages) != 1 or stages[0][0] != "ln" or short_flags(stages[0]) != "s":
        return None
    fixed = re.sub(r"^(\s*ln)\s+-s(?=\s)", r"\1", command, count=1)
    if fixed == command:
        return None
    return fixed, "fixed here: ln without -s makes a hard link (-s makes a symbolic one)"


_BROKEN_ASKED = re.compile(r"\b(?:broken|dangling|dead|orphaned)\b.*\blinks?\b", re.IGNORECASE)
# A draft that tells a broken link already: by its target, or by file's or find's word for it.
_TESTS_TARGET = re.compile(
    r"-xtype\s+l|test\s+!?\s*-e|\[\s+!?\s*-e|-L\b|!\s+-readable|\bbroken\b|%Y"
)


def broken_links_fix(command: str, request: str) -> tuple[str, str] | None:
    r"""``find . -xtype l`` for ``find . -type l`` when the request asks for the broken links.

    ``-type l`` is every symbolic link: "remove the broken symbolic links here" answered
    ``find . -type l -exec rm {} \;`` would delete the working ones too. ``-xtype l`` is a
    link whose target is missing. The fix only narrows what find picks.
    """
    if not _BROKEN_ASKED.search(request) or _TESTS_TARGET.search(command):
        return None
    stages = command_stages(command)
    if not stages or stages[0][0] != "find":
        return None
    found = list(re.finditer(r"(?<=\s)-type\s+l(?=\s|$)", command))
    if len(found) != 1:
        return None
    match = found[0]
    fixed = command[: match.start()] + "-xtype l" + command[match.end() :]
    return (
        fixed,
        "fixed here: -xtype l picks the links whose target is missing (-type l: every link)",
    )


_RELINK = re.compile(
    r"^\s*(?:please\s+)?(?:change|point|re-?point|update|switch|make)\s+(?:the\s+)?"
    r"(?:symbolic\s+|sym)?link\s+" + _NAME.format("link") + r"\s+(?:so\s+(?:that\s+)?it\s+)?"
    r"(?:points?\s+)?(?:to\s+point\s+)?(?:at|to)\s+" + _NAME.format("target") + r"\s*$",
    re.IGNORECASE,
)


def relink_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``ln -sfn releases/v2 current`` for "change the link current so it points to releases/v2".

    Seen: ``cd releases/v2``. ``-f`` replaces the link, and ``-n`` keeps ln from following
    a link to a folder and making the new link inside it. Only for a link and a target here,
    both named from this folder (a relative target is read from the link's own folder).
    """
    asked = _RELINK.match(request)
    if asked is None or re.search(r"\bln\s+-(?=\w*s)(?=\w*f)(?=\w*n)", command):
        return None
    link, target = asked["link"], asked["target"]
    if "/" in link or not here.is_link(link) or not here.exists(target):
        return None
    fixed = f"ln -sfn {shlex.quote(target)} {shlex.quote(link)}"
    return fixed, f"fixed here: ln -sfn points the link {link} at {target} (-n: not into it)"


_POINTS_ASKED = re.compile(
    r"\bwhere\s+(?:the\s+)?(?:symbolic\s+|sym)?link\s+" + _NAME.format("link") + r"\s+points?\b"
    r"|\bwhat\s+(?:does\s+)?(?:the\s+)?(?:symbolic\s+|sym)?link\s+"
    + _NAME.format("link2")
    + r"\s+points?\s+(?:to|at)\b",
    re.IGNORECASE,
)


def link_target_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``readlink current`` for ``readlink -f .``: "show where the link current points to"."""
    asked = _POINTS_ASKED.search(request)
    if asked is None:
        return None
    link = asked["link"] or asked["link2"]
    if link in command.split() or not here.is_link(link):
        return None
    fixed = f"readlink {shlex.quote(link)}"
    return fixed, f"fixed here: readlink prints where {link} points (the draft did not read it)"


_BYTES_ASKED = re.compile(
    r"\bsize\s+of\s+" + _NAME.format("file") + r"\s+in\s+bytes\b"
    r"|\bhow\s+many\s+bytes\s+(?:is|are\s+in|does)\s+" + _NAME.format("file2"),
    re.IGNORECASE,
)


def bytes_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``stat -c %s data.bin`` for ``ls -lh data.bin``: "the size of data.bin in bytes".

    ``-h`` (and ``du``) rounds the size to K, M or G; stat gives the bytes.
    """
    asked = _BYTES_ASKED.search(request)
    if asked is None:
        return None
    name = asked["file"] or asked["file2"]
    stages = command_stages(command)
    if len(stages) != 1 or stages[0][-1] != name or here.is_dir(name) or not here.exists(name):
        return None
    tool, flags = stages[0][0], short_flags(stages[0])
    if not ((tool == "ls" and "h" in flags) or (tool == "du" and "b" not in flags)):
        return None
    fixed = f"stat -c %s {shlex.quote(name)}"
    return fixed, f"fixed here: stat -c %s gives the size in bytes ({tool} rounded it)"


_NEWER_ASKED = re.compile(
    r"\bwhich\s+(?:one\s+|file\s+)?is\s+(?P<how>newer|more\s+recent|older)\b[,:]?\s*"
    + _NAME.format("a")
    + r"\s+or\s+"
    + _NAME.format("b")
    + r"\s*\??$",
    re.IGNORECASE,
)
_COMPARES_TIMES = re.compile(r"-nt\b|-ot\b|\bls\s+-\w*t|\bstat\b|\bfind\b.*-newer")


def newer_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``ls -t -- a.txt b.txt | head -n 1`` for "which is newer, a.txt or b.txt"."""
    asked = _NEWER_ASKED.search(request)
    if asked is None or _COMPARES_TIMES.search(command):
        return None
    a, b = asked["a"], asked["b"]
    if not (here.exists(a) and here.exists(b)):
        return None
    order = "-tr" if asked["how"].lower() == "older" else "-t"
    fixed = f"ls {order} -- {shlex.quote(a)} {shlex.quote(b)} | head -n 1"
    return fixed, f"fixed here: ls {order} orders the two by modification time"


_FULL_PATH_ASKED = re.compile(
    r"\b(?:full|absolute|whole)\s+path\s+(?:of|to)\s+(?:the\s+file\s+)?" + _NAME.format("file"),
    re.IGNORECASE,
)


def full_path_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``realpath notes.txt`` for ``find . -name notes.txt`` (which prints ``./notes.txt``)."""
    asked = _FULL_PATH_ASKED.search(request)
    if asked is None or re.search(r"\b(?:realpath|readlink|pwd)\b|\$PWD|\$\(pwd\)", command):
        return None
    name = asked["file"]
    stages = command_stages(command)
    if len(stages) != 1 or stages[0][0] not in ("find", "ls", "echo") or not here.exists(name):
        return None
    fixed = f"realpath {shlex.quote(name)}"
    return fixed, "fixed here: realpath prints the path from / (find prints it from here)"

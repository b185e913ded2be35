"""The member of an archive a command names, checked against the archive's own list.

"extract only README.md from backup.tar.gz" was answered ``tar -xzf backup.tar.gz --wildcards
'src/README.md'``: the model guessed the folder the file came from, and tar extracts nothing.
The archive here says what it holds (its list is read, nothing is extracted): a member the
command names that it does not hold, where exactly one member has that file name, is replaced
by that member (a sure fix, ``cmdai.sure_fixes``).
"""

from __future__ import annotations

import itertools
import re
import tarfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from cmdai.stages import replace_once

if TYPE_CHECKING:
    from cmdai.pitfalls import Here
    from cmdai.shellparse import Analysis

MAX_ARCHIVE = 16 * 1024 * 1024
"""The largest archive whose list is read (a compressed tar is read through to list it)."""
MAX_MEMBERS = 10000


def archive_members(path: Path) -> frozenset[str] | None:
    """The member names of the tar or zip archive at ``path`` (None: not one, or too big)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_ARCHIVE:
            return None
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()[:MAX_MEMBERS]
        elif tarfile.is_tarfile(path):
            with tarfile.open(path) as archive:
                names = [m.name for m in itertools.islice(archive, MAX_MEMBERS)]
        else:
            return None
    except (OSError, EOFError, tarfile.TarError, zipfile.BadZipFile, ValueError):
        return None
    return frozenset(n.removeprefix("./").rstrip("/") for n in names)


# Options that take the next word as their value (not a member).
_VALUED = {
    "tar": frozenset({"-C", "--directory", "-T", "--files-from", "-X", "--exclude-from"}),
    "unzip": frozenset({"-d", "-P"}),
}


def _archive_and_members(argv: tuple[str, ...]) -> tuple[str, list[str]] | None:
    """The archive an extracting ``tar`` or ``unzip`` reads, and the members it names."""
    words = list(argv[1:])
    archive = None
    rest: list[str] = []
    skip = False
    for i, word in enumerate(words):
        if skip:
            skip = False
            continue
        if argv[0] == "tar" and word.startswith("--file="):
            archive = word.split("=", 1)[1]
        elif argv[0] == "tar" and (word == "--file" or re.fullmatch(r"-?[A-Za-z]*f", word)):
            archive = words[i + 1] if i + 1 < len(words) else None  # -xzf ARCHIVE, xzf ARCHIVE
            skip = True
        elif word in _VALUED[argv[0]]:
            skip = True
        elif argv[0] == "unzip" and word == "-x":  # the rest are names to leave out
            break
        elif not word.startswith("-"):
            rest.append(word)
    if argv[0] == "unzip" and rest:
        archive, rest = rest[0], rest[1:]
    return (archive, rest) if archive else None


def member_fix(command: str, analysis: Analysis, here: Here) -> tuple[str, str] | None:
    """``tar -xzf a.tgz src/README.md`` where ``a.tgz`` holds ``README.md``: that member."""
    if len(analysis.commands) != 1:
        return None
    argv = analysis.commands[0].argv
    if argv[:1] not in (("tar",), ("unzip",)):
        return None
    found = _archive_and_members(argv)
    if found is None or not found[1]:
        return None
    archive, named = found
    members = here.members(archive)
    if not members:
        return None
    fixed, notes = command, []
    for word in named:
        name = word.removeprefix("./").rstrip("/")
        if name in members or re.search(r"[*?\[]", name):
            continue
        base = name.rsplit("/", 1)[-1]
        same = [m for m in members if m.rsplit("/", 1)[-1] == base]
        spot = rf"(?<=[\s'\"]){re.escape(word)}(?=['\"]?(?:\s|$))"
        replaced = replace_once(fixed, spot, same[0]) if len(same) == 1 else None
        if replaced is None:
            return None
        fixed = replaced
        notes.append(f"{archive} holds {same[0]}, not {name}")
    if not notes:
        return None
    return fixed, "fixed here: " + "; ".join(notes)

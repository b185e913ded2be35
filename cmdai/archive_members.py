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


# tar's options that take the next word as their value (not a member).
_TAR_VALUED = frozenset(
    (
        *("-C", "--directory", "-T", "--files-from", "-X", "--exclude-from", "--exclude"),
        *("-N", "--newer", "-g", "--listed-incremental", "--transform", "--owner", "--group"),
        *("--mode", "-b", "-L", "-V", "--label"),
    )
)


class TarWords:
    """A ``tar`` command's words read as tar reads them: mode letters, archive, members."""

    def __init__(self, argv: list[str]) -> None:
        self.letters = ""
        self.archive: str | None = None
        self.members: list[str] = []
        self.excludes: list[str] = []
        self.from_list = False
        words = argv[1:]
        i = 0
        if words and re.fullmatch(r"[A-Za-z]+", words[0]):  # the old style: `tar czf a.tgz x`
            self.letters = words[0].replace("f", "")  # the letters' values follow in order
            if "f" in words[0]:
                self.archive, i = (words[1] if len(words) > 1 else None), 1
            i += 1
        while i < len(words):
            word = words[i]
            value = words[i + 1] if i + 1 < len(words) else None
            if word.startswith("--"):
                name, eq, given = word.partition("=")
                long_mode = {"--create": "c", "--extract": "x", "--get": "x", "--list": "t"}
                self.letters += long_mode.get(name, "")
                if name == "--file":
                    self.archive, i = (given, i) if eq else (value, i + 1)
                elif name == "--exclude":
                    self.excludes.append(given if eq else value or "")
                    i += 0 if eq else 1
                elif name in ("--files-from", "--exclude-from"):
                    self.from_list = True
                    i += 0 if eq else 1
                elif name in _TAR_VALUED and not eq:
                    i += 1
            elif word.startswith("-") and len(word) > 1:
                cluster = word[1:]
                if "f" in cluster:  # -czf ARCHIVE, or -cfa.tgz: the rest of the cluster
                    before, _, rest = cluster.partition("f")
                    self.letters += before
                    self.archive, i = (rest, i) if rest else (value, i + 1)
                elif word in _TAR_VALUED:  # -C DIR: a value, not a mode
                    self.from_list |= word in ("-T", "-X")
                    i += 1
                else:
                    self.letters += cluster
            else:
                self.members.append(word)
            i += 1

    def mode(self) -> str | None:
        """``c``, ``x`` or ``t`` (create, extract, list), or None when not one of them."""
        modes = [m for m in "cxt" if m in self.letters]
        return modes[0] if len(modes) == 1 else None


# unzip's options that take the next word as their value.
_UNZIP_VALUED = frozenset({"-d", "-P"})


def _archive_and_members(argv: tuple[str, ...]) -> tuple[str, list[str]] | None:
    """The archive an extracting ``tar`` or ``unzip`` reads, and the members it names."""
    if argv[0] == "tar":
        tar = TarWords(list(argv))
        return (tar.archive, tar.members) if tar.archive else None
    rest: list[str] = []
    skip = False
    for word in argv[1:]:
        if skip:
            skip = False
        elif word in _UNZIP_VALUED:
            skip = True
        elif word == "-x":  # the rest are names to leave out
            break
        elif not word.startswith("-"):
            rest.append(word)
    return (rest[0], rest[1:]) if rest else None


def one_member_named(name: str, members: frozenset[str]) -> str | None:
    """The one member whose file name is ``name`` (None: no such member, or several)."""
    same = [m for m in members if m.rsplit("/", 1)[-1] == name]
    return same[0] if len(same) == 1 else None


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
        member = one_member_named(name.rsplit("/", 1)[-1], members)
        spot = rf"(?<=[\s'\"]){re.escape(word)}(?=['\"]?(?:\s|$))"
        replaced = replace_once(fixed, spot, member) if member is not None else None
        if replaced is None:
            return None
        fixed = replaced
        notes.append(f"{archive} holds {member}, not {name}")
    if not notes:
        return None
    return fixed, "fixed here: " + "; ".join(notes)

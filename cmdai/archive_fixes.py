"""Sure fixes from the fourteenth by-hand round: archives and backups.

An archive made of nothing, one member taken out of an archive, a compressed file shown rather
than tested, a folder's newest files kept while the rest are deleted, and a backup that was
only an empty folder.

Each returns the fixed command with a ``fixed here:`` note, or None; ``archive_fix`` is the one
``cmdai.sure_fixes`` calls, for any draft (these fixes make the change the request names).
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.archive_members import TarWords, one_member_named
from cmdai.stages import command_stages, replace_once, request_words, short_flags, xargs_runs
from cmdai.titles import NUMBER_WORDS

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def archive_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of this module's fixes that applies (None: none does)."""
    fixed = shown_not_tested_fix(command, request) or kept_newest_fix(command, request, here)
    if fixed is None and here is not None:
        fixed = (
            empty_archive_fix(command, request, here)
            or one_member_fix(command, request, here)
            or empty_backup_fix(command, request, here)
        )
    return fixed


def _only_stage(command: str, tool: str) -> list[str] | None:
    """The words of ``command`` when it is one simple command running ``tool``."""
    stages = command_stages(command)
    return stages[0] if len(stages) == 1 and stages[0][:1] == [tool] else None


def empty_archive_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``tar -czf project.tar.gz --exclude=project/node_modules project``: what to archive.

    "make a tar.gz of the project without node_modules" was answered without the folder to
    put in it, and tar refuses ("Cowardly refusing to create an empty archive"). The folder is
    the one the excluded paths lie in, else the one folder here the request names by its name.
    """
    argv = _only_stage(command, "tar")
    if argv is None:
        return None
    tar = TarWords(argv)
    if tar.mode() != "c" or not tar.archive or tar.members or tar.from_list:
        return None
    outer = {e.removeprefix("./").split("/", 1)[0] for e in tar.excludes if "/" in e.strip("/")}
    found = [f for f in outer if here.is_dir(f)]
    if not found:
        excluded = {e.removeprefix("./").strip("/").rsplit("/", 1)[-1] for e in tar.excludes}
        words = {w.rstrip("/") for w in request_words(request)}
        found = [w for w in words - excluded if w and "/" not in w and here.is_dir(w)]
    if len(found) != 1:
        return None
    folder = found[0]
    note = f"tar -c was given nothing to put in {tar.archive}; {folder} is the folder asked for"
    return f"{command.rstrip()} {shlex.quote(folder)}", f"fixed here: {note}"


_TAKE_OUT = re.compile(
    r"\b(?:extract|unpack|restore|get|pull|take|recover|unzip|untar)\b", re.IGNORECASE
)
# What may follow an extracting tar in a draft that went on to look for the member itself.
_FILTERS = frozenset({"grep", "egrep", "head", "tail", "sed", "awk", "cat"})


def one_member_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``tar -xzvf backup.tar.gz config/app.ini``: the one member the request takes out.

    "extract only config/app.ini from backup.tar.gz" was answered ``tar -xzvf backup.tar.gz |
    grep -A 1 'config/app.ini' | tail -n 1``: everything extracted, and the file looked for in
    tar's list. tar and unzip take the members to extract after the archive. Only when the
    request names the archive and a member it holds (the archive's list is read here).
    """
    if not _TAKE_OUT.search(request):
        return None
    stages = command_stages(command)
    if not stages or any(s[0] not in _FILTERS for s in stages[1:]):
        return None
    first = stages[0]
    if first[0] == "tar":
        tar = TarWords(first)
        if tar.mode() != "x" or tar.members or tar.from_list:
            return None
        archive = tar.archive
    elif first[0] == "unzip":
        names = [w for w in first[1:] if not w.startswith("-")]
        if len(names) != 1 or {"-d", "-x", "-P"} & set(first):
            return None
        archive = names[0]
    else:
        return None
    words = request_words(request)
    if not archive or archive not in words:
        return None
    members = here.members(archive)
    if not members:
        return None
    wanted = {_member(w, members) for w in words if w != archive} - {None}
    if len(wanted) != 1:
        return None
    member = wanted.pop()
    assert member is not None
    fixed = f"{shlex.join(first)} {shlex.quote(member)}"
    return fixed, f"fixed here: {first[0]} extracts only the members it is given: {member}"


def _member(word: str, members: frozenset[str]) -> str | None:
    """The member ``word`` names: itself, or the one member with that file name."""
    word = word.removeprefix("./")
    if word in members:
        return word
    return one_member_named(word, members) if "." in word and "/" not in word else None


_SHOW_ASKED = re.compile(
    r"\b(?:show|print|display|view|read|see|output|cat)\b|\bwhat(?:'s|\s+is)\s+in(?:side)?\b",
    re.IGNORECASE,
)
_TEST_ASKED = re.compile(
    r"\b(?:test\w*|check\w*|verif\w*|intact|corrupt\w*|valid\w*|integrity|damaged|broken"
    r"|size|sizes|ratio|compression)\b",
    re.IGNORECASE,
)
_READER = {"gzip": "zcat", "gunzip": "zcat", "xz": "xzcat", "unxz": "xzcat", "bzip2": "bzcat"}


def shown_not_tested_fix(command: str, request: str) -> tuple[str, str] | None:
    """``zcat notes.txt.gz`` for ``gzip -t notes.txt.gz`` when the request asks to see it.

    "show notes.txt.gz without extracting it" was answered ``gzip -t``, which tests the file
    and prints nothing (``-l``: the sizes). zcat (xzcat, bzcat) prints what it holds.
    """
    if not _SHOW_ASKED.search(request) or _TEST_ASKED.search(request):
        return None
    stages = command_stages(command)
    if len(stages) != 1 or stages[0][0] not in _READER:
        return None
    argv = stages[0]
    flags = set(short_flags(argv))
    if not flags & set("tl") or flags - set("tlv") or any(w.startswith("--") for w in argv):
        return None
    files = [w for w in argv[1:] if not w.startswith("-")]
    if not files:
        return None
    reader = _READER[argv[0]]
    fixed = shlex.join([reader, *files])
    note = f"{argv[0]} -{short_flags(argv)} prints no line of the file; {reader} shows it"
    return fixed, f"fixed here: {note}"


_NUMBERS = NUMBER_WORDS[1:11]  # one to ten
_COUNT = r"(\d+|" + "|".join(_NUMBERS) + r")"
_ENDS = r"(newest|latest|most\s+recent|youngest|last|oldest|earliest|first)"
# "keep only the 3 newest", "all but the latest 5", "except the 2 most recent", "keeping the last 3"
_KEPT = re.compile(
    r"\b(?:keep|keeping|leave|leaving|except(?:\s+for)?|but|save|saving|retain|retaining)\s+"
    rf"(?:only\s+)?(?:the\s+)?(?:{_COUNT}\s+{_ENDS}|{_ENDS}\s+{_COUNT})\b",
    re.IGNORECASE,
)
_CUT = re.compile(r"(?:head|tail)\s+(?:-n\s*[-+]?\d+|-\d+|--lines=[-+]?\d+)")


def _cut_kept(cut: str) -> tuple[str, str]:
    """What a head or tail keeps: ``tail -n+4`` and ``tail -n +4`` are ("tail", "+4")."""
    tool, _, rest = cut.partition(" ")
    number = re.sub(r"^(?:-n\s*|--lines=)", "", rest.strip())
    if re.fullmatch(r"-\d+", rest.strip()):
        number = rest.strip()[1:]  # `head -4` is `head -n 4`
    return tool, number


# What xargs may run on names that must be paths from here (not echo, basename, printf...).
_PATH_TAKERS = frozenset(
    (
        *("rm", "mv", "cp", "chmod", "chown", "chgrp", "gzip", "gunzip", "xz", "bzip2", "zip"),
        *("tar", "du", "wc", "cat", "stat", "touch", "ls", "file", "md5sum", "sha256sum"),
        *("head", "tail", "grep", "shred", "unlink", "rmdir"),
    )
)


def kept_newest_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """``ls -td backups/* | tail -n +4 | xargs rm`` for "keep only the 3 newest backups".

    Answered ``ls -t backups/ | head -n -4 | xargs rm -rf``: ``ls DIR`` prints bare names, so
    rm looked for them here (and would delete files here that share a name), and ``head -n
    -4`` keeps all but the 4 oldest out of the list: the newest are deleted. The files to
    delete are all but the first N of the listing, or all but its last N when it is oldest
    first.
    """
    stages = command_stages(command)
    if len(stages) < 2 or stages[0][0] != "ls" or stages[-1][0] != "xargs":
        return None
    ls_words = stages[0]
    flags = short_flags(ls_words)
    if set(flags) & set("lSUXvf"):  # long lines, or another order than by time
        return None
    fixed, notes = command, []
    folders = [w for w in ls_words[1:] if not w.startswith("-")]
    runs = " ".join(stages[-1])
    takes_paths = xargs_runs(stages[-1]) in _PATH_TAKERS
    if (
        len(folders) == 1
        and "d" not in flags
        and takes_paths
        and here is not None
        and here.is_dir(folders[0])
    ):
        folder = folders[0].rstrip("/")
        if folder not in (".", "") and folder not in runs and "-I" not in stages[-1]:
            spot = rf"(?<![\w/.-]){re.escape(folders[0])}(?=\s|\|)"
            listed = replace_once(fixed, spot, f"{shlex.quote(folder)}/*")
            if listed is not None:
                with_d = replace_once(
                    listed, r"(?<![\w-])ls\s+-([A-Za-z]+)(?=\s)", lambda m: f"ls -{m[1]}d"
                ) or replace_once(listed, r"(?<![\w-])ls(?=\s)", "ls -d")
                if with_d is None:
                    return None
                fixed = with_d
                notes.append(f"ls {folder} prints bare names, which xargs would look for here")
    kept = _KEPT.search(request)
    if kept is not None and "t" in flags and len(stages) == 3:
        count_word = (kept[1] or kept[4]).lower()
        count = int(count_word) if count_word.isdigit() else _NUMBERS.index(count_word) + 1
        keep_newest = (kept[2] or kept[3]).lower() not in ("oldest", "earliest", "first")
        newest_first = "r" not in flags
        cut = f"tail -n +{count + 1}" if keep_newest == newest_first else f"head -n -{count}"
        spots = list(_CUT.finditer(fixed))
        middle = " ".join(stages[1])
        if len(spots) == 1 and _CUT.fullmatch(middle) and _cut_kept(middle) != _cut_kept(cut):
            fixed = fixed[: spots[0].start()] + cut + fixed[spots[0].end() :]
            end = "newest" if keep_newest else "oldest"
            notes.append(f"{cut} leaves out of the list the {count} {end}, the ones kept")
    if not notes:
        return None
    return fixed, "fixed here: " + "; ".join(notes)


# "make a backup of the config folder", "back up my notes", "a copy of reports"
_BACKUP_OF = re.compile(
    r"\b(?:back\s*up|backup|copy)\s+(?:of\s+)?(?:the\s+|my\s+|this\s+)?(?P<name>[\w.-]+)",
    re.IGNORECASE,
)


# One mkdir of one name, which may hold a substitution: `mkdir -p backup_$(date +%F)`.
_ONE_MKDIR = re.compile(r"mkdir(?:\s+-p)?\s+(?P<name>(?:[^\s;|&$()]|\$\([^()]*\))+)")


def empty_backup_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``cp -r config backup_$(date +%Y%m%d)`` for ``mkdir -p backup_$(date +%Y%m%d)``.

    "make a backup of the config folder named with today's date" was answered with the dated
    folder alone, made empty, and asked again (the ``folder:`` check) the same. Only for one
    ``mkdir`` of one new name, and a folder here the request backs up by its name.
    """
    asked = _BACKUP_OF.search(request)
    made = _ONE_MKDIR.fullmatch(command.strip())
    if asked is None or made is None or not here.is_dir(asked["name"]):
        return None
    if here.exists(made["name"]):
        return None
    folder = asked["name"]
    fixed = f"cp -r {shlex.quote(folder)} {made['name']}"
    return fixed, f"fixed here: mkdir makes an empty folder; cp -r copies {folder} into it"

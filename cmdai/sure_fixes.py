"""Sure fixes: pitfalls whose fix is certain, made here instead of asking the model again.

Each takes a draft and returns the fixed command with a ``fixed here:`` note, or None. Only
a draft of a known shape is changed (one ``sed``, ``awk`` or ``du``; the one tool of a
pipeline that orders, counts or cuts); everything else stays a warning that asks the model
again (``cmdai.core``), and the fixed draft goes through every check again. A fix to what a
command shows never touches one that changes things, and ``rm`` is never made recursive:
those are the model's to propose and the gate's to judge. One exception, where the request
gives the count: "keep only the 3 newest" has the cut of its listing written from it
(``cmdai.archive_fixes.kept_newest_fix``), and the gate still judges the delete.
"""

from __future__ import annotations

import functools
import re

from cmdai.archive_fixes import archive_fix
from cmdai.archive_members import member_fix
from cmdai.build_fixes import build_fix
from cmdai.compare_fixes import compare_fix, folder_sets_fix
from cmdai.convert_fixes import convert_fix, shown_convert_fix
from cmdai.find_fixes import find_fix
from cmdai.git_fixes import git_fix
from cmdai.git_requests import (
    branch_diff_fix,
    commit_all_fix,
    diff_fix,
    log_format_fix,
    soft_reset_fix,
    stash_untracked_fix,
)
from cmdai.intent import delete_asked, deletes, not_emptied, printed_edits, uncounted
from cmdai.json_fixes import json_fix
from cmdai.keep_fixes import extract_folder_fix, keep_input_fix, no_overwrite_fix
from cmdai.line_sets import comm_fix, ordered_unique_fix
from cmdai.link_fixes import link_fix, metadata_fix
from cmdai.listing_fixes import (
    compared_listing_fix,
    files_only_fix,
    folder_sizes_fix,
    listing_count_fix,
    total_fix,
    tree_listing_fix,
)
from cmdai.log_fixes import log_fix
from cmdai.loop_fixes import loop_fix
from cmdai.node_fixes import node_fix
from cmdai.operands import changes_things
from cmdai.ordering import wrong_end
from cmdai.permission_fixes import permission_fix
from cmdai.pitfalls import Here, directory_pitfalls, mentions
from cmdai.process_fixes import process_fix
from cmdai.project_fixes import project_fix
from cmdai.search_fixes import search_fix
from cmdai.secret_fixes import secret_fix
from cmdai.session_fixes import session_fix
from cmdai.shellparse import Analysis, analyse
from cmdai.sqlite_fixes import sqlite_fix
from cmdai.stages import short_flags
from cmdai.string_fixes import repeated_text_fix, string_fix
from cmdai.system_fixes import id_list_fix, lsof_pids_fix, machine_fix, remote_target_fix
from cmdai.table_fixes import awk_fix, table_fix
from cmdai.text_fixes import (
    grep_prefix_fix,
    longest_line_fix,
    numbered_lines_fix,
    squeeze_blanks_fix,
    total_sorted_fix,
    word_count_fix,
)
from cmdai.time_fixes import time_fix
from cmdai.titles import names_number, titled_cuts
from cmdai.tmux_fixes import tmux_fix
from cmdai.write_fixes import trailing_blanks_fix, write_fix


def sure_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first sure fix that applies to ``command``, with its note; None when none does.

    ``here`` (None when ``context`` is off) lets the fixes that look at files read them. The
    fixes to what a command shows (an order, a count, a total) apply only to a command that
    shows and changes nothing: turned round, ``ls -t | tail -n 5 | xargs rm`` would delete
    other files (the sed, empty-file and ``-r`` fixes make the change the request names).
    """
    analysis = analyse(command)  # one parse for every fix
    fixed = (
        unasked_delete_fix(command, analysis, request)
        or trailing_blanks_fix(command, request)
        or in_place_fix(command, analysis, request)
        or empty_fix(command, analysis, request)
        or lsof_pids_fix(command, analysis)
        or id_list_fix(command)
        or extended_grep_fix(command, analysis)
        or rename_in_place_fix(command, analysis, request)
        or stash_untracked_fix(command, analysis, request)
        or soft_reset_fix(command, analysis, request)
        or commit_all_fix(command, analysis, request)
        or keep_input_fix(command, analysis, request)
        or no_overwrite_fix(command, analysis, request)
        or squeeze_blanks_fix(command, analysis, request)
        or remote_target_fix(command, analysis, request)
        or archive_fix(command, request, here)
        or permission_fix(command, request, here)
        or time_fix(command, request)
        or (folder_sets_fix(command, request, here) if here is not None else None)
        or find_fix(command, analysis, request, here)
        or session_fix(command, request, here)
        or repeated_text_fix(command, request)
        or convert_fix(command, request)
        or link_fix(command, request, here)
        or loop_fix(command, request, here)
        or write_fix(command, request, here)
        or process_fix(command, request, here)
        or secret_fix(command, request, here)
        or build_fix(command, request, here)
        or git_fix(command, request, here)
        or sqlite_fix(command, request, here)
        or node_fix(command, request, here)
        or (json_fix(command, request, here) if here is not None else None)
        or tmux_fix(command, request)
    )
    shows_only = not changes_things(analysis)
    if fixed is None and shows_only:
        fixed = (
            titles_counted_fix(command, analysis, request)
            # folders before the direction: that fix swaps ls -S for du
            or folder_sizes_fix(command, analysis, request)
            or tree_listing_fix(command, analysis, request)
            or direction_fix(command, analysis, request)
            or count_fix(command, analysis, request)
            or listing_count_fix(command, analysis)
            or total_fix(command, analysis, request)
            or world_time_fix(command, analysis, request)
            or compared_listing_fix(analysis, request)
            or line_range_fix(command, request)
            or log_format_fix(command, analysis, request)
            or diff_fix(command, analysis, request)
            or comm_fix(command, analysis, request, here)
            or ordered_unique_fix(command, request)
            or word_count_fix(command, request)
            or total_sorted_fix(command)
            or grep_prefix_fix(command)
            or numbered_lines_fix(command, request)
            or longest_line_fix(command, request)
            or machine_fix(command, analysis, request)
            or search_fix(command, request, here)
            or compare_fix(command, request, here)
            or string_fix(command, request)
            or shown_convert_fix(command, request, here)
        )
    if fixed is None and here is not None:
        fixed = (
            recursive_fix(command, analysis, here)
            or project_fix(command, request, here)
            or program_file_fix(command, analysis, request, here)
            or extract_folder_fix(command, analysis, here)
            or member_fix(command, analysis, here)
        )
        if fixed is None and shows_only:
            fixed = (
                tree_listing_fix(command, analysis, request, here)
                or folder_fix(command, analysis, request, here)
                or files_only_fix(command, request, here)
                or awk_fix(command, analysis, here)
                or branch_diff_fix(command, analysis, here)
                or table_fix(command, request, here)
                or metadata_fix(command, request, here)
                or log_fix(command, request, here)
            )
    return fixed


_BARE_LS = re.compile(r"(?<![\w/.-])ls((?:\s+-[A-Za-z]+)*)(?=\s*(?:$|[|;&)]))")


def folder_fix(
    command: str, analysis: Analysis, request: str, here: Here
) -> tuple[str, str] | None:
    """``ls -S logs | head -n 3`` for ``ls -S | head -n 3`` and "the largest 3 files in logs".

    Only for one ``ls`` given no file or folder, when the request names one folder here that
    the command never mentions (the ``folder:`` check, ``cmdai.pitfalls.unvisited_folders``;
    asked again with that note, the model wrote the same listing of this directory).
    """
    spots = list(_BARE_LS.finditer(command))
    if len(spots) != 1:
        return None
    named = here.named_folders(request)
    if len(named) != 1 or mentions(analysis, named[0]):
        return None
    name, m = named[0], spots[0]
    fixed = f"{command[: m.end()]} {name}{command[m.end() :]}"
    return fixed, f"fixed here: the request asks about the folder {name}, so ls lists it"


_HEAD_COUNT = re.compile(r"(\|\s*head\s+(?:-n\s*|--lines[= ]|-))(\d+)(?=\s|$|[|;&)])")


def titles_counted_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``command`` with its ``head`` count raised past the column titles, and a note saying so.

    Only where the count is sure and ``head`` is the last stage: the request names the number
    of rows that ``head -n N`` cut to N - 1 (or to none), or a tool with one title line is cut
    to that line alone ("which process uses the most memory": the titles and the first row).
    None otherwise (then the check's warning asks the model again).
    """
    for before, after, kept, titles in titled_cuts(analysis):
        if after[0] != "head":
            continue
        if names_number(request, kept):
            wanted = kept + titles
        elif titles == 1 and kept == 1:
            wanted = 2
        else:
            continue
        found = [m for m in _HEAD_COUNT.finditer(command) if int(m.group(2)) == kept]
        if len(found) != 1 or "|" in command[found[0].end() :]:
            return None  # another stage reads the titles too: the model is asked again
        m = found[0]
        fixed = f"{command[: m.start(2)]}{wanted}{command[m.end(2) :]}"
        what = "7 lines of summary and titles" if titles > 1 else "a line of column titles"
        return (
            fixed,
            f"fixed here: {before[0]} prints {what} first, so head -n {kept} is now {wanted}",
        )
    return None


# An extended pattern's operators, meant as such: a quantifier after a class, a group or a dot
# (`[a-z]+`, `(ab)?`, `.{3}`), or words in alternation (`error|warning`).
_ERE_MEANT = re.compile(r"[\]).][+?]|[\]).]\{\d+,?\d*\}|\w\|\w")
# Basic-syntax operators written escaped (`\(`, `\+`): then -E would change what they mean.
_BRE_ESCAPES = re.compile(r"\\[(){}|+?]")
_GREP_VALUES = frozenset({"-m", "--max-count", "-A", "-B", "-C", "-f", "--file", "-d", "-D"})
_GREP_SYNTAX = ("--extended-regexp", "--fixed-strings", "--basic-regexp", "--perl-regexp")


def extended_grep_fix(command: str, analysis: Analysis) -> tuple[str, str] | None:
    r"""``grep -E -o '[a-z]+'`` for ``grep -o '[a-z]+'``: basic syntax reads ``+`` as a plus sign.

    Found by hand ("count how many times each word appears": nothing matched). Only one grep,
    without a syntax option, whose pattern plainly uses the extended operators (a quantifier
    after a class, group or dot; words in alternation), with balanced parentheses and no
    operator written the basic way (``\+``, ``\(``).
    """
    greps = [c for c in analysis.commands if c.argv and c.argv[0] == "grep"]
    spots = list(re.finditer(r"(?<![\w/.-])grep(?=\s)", command))
    if len(greps) != 1 or len(spots) != 1:
        return None
    words = greps[0].argv[1:]
    if set("EFGP") & set(short_flags(greps[0].argv)) or any(w in _GREP_SYNTAX for w in words):
        return None
    patterns = [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-e", "--regexp")]
    if not patterns:
        rest = iter(words)
        for word in rest:
            if word in _GREP_VALUES:
                next(rest, None)
            elif not word.startswith("-"):
                patterns = [word]
                break
    if not patterns or not any(_ERE_MEANT.search(p) for p in patterns):
        return None
    if any(_BRE_ESCAPES.search(p) or p.count("(") != p.count(")") for p in patterns):
        return None
    at = spots[0].end()
    fixed = f"{command[:at]} -E{command[at:]}"
    return fixed, "fixed here: grep's basic syntax reads + ? | as plain characters; -E does not"


ADDS_R = frozenset({"zip", "cp", "grep", "scp"})
"""Tools whose recursive option can be added for sure when given a directory here (not rm)."""


def recursive_fix(command: str, analysis: Analysis, here: Here) -> tuple[str, str] | None:
    """``zip -r src.zip src`` for ``zip src.zip src`` when ``src`` is a directory here.

    Only for a command that is one simple command starting with the tool's name (no pipes,
    no wrappers), and never for ``rm``: a recursive delete is the model's to propose and the
    gate's to judge.
    """
    if len(analysis.commands) != 1 or len(analysis.pipelines) > 1:
        return None
    tool = analysis.commands[0].argv[0] if analysis.commands[0].argv else ""
    if tool not in ADDS_R or not command.startswith(tool + " "):
        return None
    notes = directory_pitfalls(analysis, here)
    if not notes:
        return None
    folder = notes[0].split(" ", 2)[1]
    fixed = f"{tool} -r{command[len(tool) :]}"
    return fixed, f"fixed here: {folder} is a directory, so {tool} needs -r"


_NOW_IN = re.compile(r"\b(?:time|date|clock)\b", re.I)
_NOT_NOW = re.compile(
    r"\d|\b(?:convert|when|ago|until|since|between|tomorrow|yesterday|difference|zones?)\b", re.I
)
_REGIONS = "Africa America Antarctica Asia Atlantic Australia Europe Indian Pacific".split()  # noqa: SIM905
_ZONE_OPTIONS = re.compile(r"(?:^|\s)(?:--tz[= ]\S+|-u|--utc|--universal)(?=\s|$)")
"""Options of a ``date`` that would override ``TZ=`` (UTC), or that date lacks (``--tz``)."""


@functools.cache
def _cities() -> dict[str, list[str]]:
    """The system time-zone database's zones by city (``new york`` -> America/New_York)."""
    import zoneinfo

    cities: dict[str, list[str]] = {}
    for zone in zoneinfo.available_timezones():
        region, _, city = zone.partition("/")
        if region in _REGIONS and city:
            cities.setdefault(city.rsplit("/", 1)[-1].replace("_", " ").lower(), []).append(zone)
    return cities


def _zone_of(request: str) -> str | None:
    """The time zone of the one city the request names: "the time in X", "X time"."""
    cities = _cities()
    words = re.findall(r"[A-Za-z]+", request)
    found = set()
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            before = words[i - 1].lower() if i else ""
            after = words[i + n].lower() if i + n < len(words) else ""
            name = " ".join(words[i : i + n]).lower()
            asked = {w.lower() for w in words[max(0, i - 6) : i]} & {"time", "date", "clock"}
            if name in cities and ((before == "in" and asked) or after == "time"):
                zones = cities[name]
                found.add(min(zones, key=lambda z: (z.count("/"), z)))
    return found.pop() if len(found) == 1 else None


def world_time_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``TZ=Asia/Tokyo date`` for "what time is it in Tokyo" answered any other way.

    By hand: web services that need a key, an IP lookup, ``date --tz=`` (no such option). Only
    for the time or date now (no number, no "convert", "ago", "tomorrow"...) in one city the
    system's time-zone database names (its last part: Tokyo, New York). A lone ``date``
    keeps its format and gets the zone; anything else is replaced.
    """
    if not _NOW_IN.search(request) or _NOT_NOW.search(request):
        return None
    zone = _zone_of(request)
    if zone is None or f"TZ={zone}" in command.replace('"', "").replace("'", ""):
        return None
    lone = len(analysis.commands) == 1 and re.match(r"\s*date(?=\s|$)", command)
    # A format (+%H:%M) is kept; a zone option date lacks (--tz) or UTC (-u) is not.
    shown = _ZONE_OPTIONS.sub(" ", command[lone.end() :]).strip() if lone else ""
    fixed = f"TZ={zone} date {shown}" if shown.startswith("+") else f"TZ={zone} date"
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    return fixed, f"fixed here: the time in {city} is TZ={zone}"


_INSPECTORS = frozenset(
    " ".join(
        (
            "md5sum sha1sum sha224sum sha256sum sha384sum sha512sum b2sum cksum sum file stat",
            "ldd readelf objdump strings nm hexdump xxd od du ls",
        )
    ).split()
)
"""Utilities that read or describe the files they are given (a program's file among them)."""
_PROGRAM_WORDS = re.compile(r"\b(?:executables?|binar(?:y|ies)|programs?|commands?)\b", re.I)


def program_file_fix(
    command: str, analysis: Analysis, request: str, here: Here
) -> tuple[str, str] | None:
    """``md5sum $(which c++)`` for ``md5sum c++``: the program's name where its file was meant.

    "the md5sum of the executable file of command 'c++'": ``c++`` is no file here, so the
    command fails. Only for one inspecting utility given one operand, a request that names
    that word and speaks of a program, command, executable or binary, no entry of that name
    here, and a program of that name installed.
    """
    import shutil

    argv = analysis.commands[0].argv if len(analysis.commands) == 1 else ()
    if not argv or argv[0] not in _INSPECTORS or not _PROGRAM_WORDS.search(request):
        return None
    operands = [w for w in argv[1:] if not w.startswith("-")]
    if len(operands) != 1 or "/" in operands[0] or here.exists(operands[0]):
        return None
    name = operands[0]
    program = shutil.which(name)
    word = rf"(?<![\w.+-]){re.escape(name)}(?![\w+-])"
    found = list(re.finditer(rf"(?<=\s){re.escape(name)}(?=\s|$)", command))
    if program is None or not re.search(word, request) or len(found) != 1:
        return None
    at = found[0]
    fixed = f"{command[: at.start()]}$(which {name}){command[at.end() :]}"
    return fixed, f"fixed here: {name} is no file here but the program {program}"


def in_place_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``sed -i 's/a/b/' f`` for ``sed 's/a/b/' f`` when the request says to change ``f``.

    Only for a command that is one ``sed`` and nothing else: the request asked for the file
    to change, so the fix is sure (asked again with the note, the model kept printing).
    """
    if not command.startswith("sed "):
        return None
    notes = printed_edits(analysis, request)
    if len(analysis.commands) != 1 or not notes:
        return None
    target = notes[0].split(" and leaves ", 1)[1].split(" as it was", 1)[0]
    return f"sed -i{command[3:]}", f"fixed here: sed -i, so that {target} itself changes"


_CLUSTER = r"(\s-)([A-Za-z]+)(?=\s|$)"


def direction_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``ls -tr | head -n 3`` for ``ls -t | head -n 3`` when the request asks for the oldest.

    The ``r`` is added to (or taken from) the ordering tool's first group of short options;
    only when that tool appears once and its order is not set in a sort key.
    """
    notes = wrong_end(analysis, request)
    if not notes:
        return None
    tool = notes[0].split()[1]
    found = list(re.finditer(rf"(?:^|[|;&(]\s*){tool}\b", command))
    if len(found) != 1 or re.search(r"-k\s*\S*r|--reverse", command):
        return None
    start = found[0].end()
    end = command.find("|", start)
    stage = command[start : end if end != -1 else len(command)]
    cluster = re.search(_CLUSTER, stage)
    if cluster is None or (tool == "ls" and not set("tS") & set(cluster.group(2))):
        return None
    letters = cluster.group(2)
    letters = letters.replace("r", "") if "r" in letters else letters + "r"
    if not letters:
        new_stage = stage[: cluster.start()] + stage[cluster.end() :]
    else:
        new_stage = stage[: cluster.start(2)] + letters + stage[cluster.end(2) :]
    fixed = command[:start] + new_stage + command[start + len(stage) :]
    ends = re.search(r"gives the (\w+), and the request asks for the (\w+)", notes[0])
    assert ends is not None  # the note's own wording (cmdai.intent.wrong_end)
    return fixed, f"fixed here: {tool}'s order turned round, for the {ends[2]} (not the {ends[1]})"


def count_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``tail -n 20 -f app.log`` for ``tail -f app.log`` when the request asks for 20 lines."""
    notes = uncounted(analysis, request)
    if not notes:
        return None
    tool, n = notes[0].split()[1], notes[0].rsplit(" ", 1)[1].rstrip(")")
    found = list(re.finditer(rf"(?:^|[|;&(]\s*){tool}(?=\s|$)", command))
    if len(found) != 1:
        return None
    at = found[0].end()
    return f"{command[:at]} -n {n}{command[at:]}", f"fixed here: {tool} -n {n}, as the request asks"


def empty_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``: > notes.md`` for ``echo "" > notes.md`` when the request asks for an empty file."""
    notes = not_emptied(analysis, request)
    if not notes or len(analysis.commands) != 1 or len(analysis.redirects) != 1:
        return None
    target = analysis.redirects[0].target
    return f": > {target}", f"fixed here: : > {target} leaves it empty (echo writes a newline)"


_LINE_RANGE = re.compile(
    r"\blines?\s+(\d+)\s*(?:to|-|through|thru|until)\s*(?:line\s+)?(\d+)\b", re.IGNORECASE
)
_COUNT = r"(?:-n\s*|--lines[=\s]|-)(\d+)"
# The three ways a draft prints a range of lines of one file: what it prints, from what.
_RANGES = (
    (re.compile(rf"tail\s+(?:-n\s*|--lines[=\s])?\+(\d+)\s+(\S+)\s*\|\s*head\s+{_COUNT}"), "tail"),
    (re.compile(rf"head\s+{_COUNT}\s+(\S+)\s*\|\s*tail\s+{_COUNT}"), "head"),
    (re.compile(r"sed\s+-n\s+'?(\d+),(\d+)p'?\s+(\S+)"), "sed"),
)


def line_range_fix(command: str, request: str) -> tuple[str, str] | None:
    """``sed -n '2,3p' FILE`` for ``tail -n +2 FILE | head -n 3`` asked for "lines 2 to 3".

    ``head -n K`` after ``tail -n +N`` prints K lines from N on, not up to line K: an easy
    slip (and ``head -n M | tail -n K``, ``sed -n 'A,Bp'`` the same way round).
    """
    asked = _LINE_RANGE.search(request)
    if asked is None or int(asked.group(1)) > int(asked.group(2)):
        return None
    first, last = int(asked.group(1)), int(asked.group(2))
    for pattern, shape in _RANGES:
        found = pattern.fullmatch(command.strip())
        if found is None:
            continue
        if shape == "tail":
            start, path, count = int(found.group(1)), found.group(2), int(found.group(3))
            shown = (start, start + count - 1)
        elif shape == "head":
            end, path, count = int(found.group(1)), found.group(2), int(found.group(3))
            shown = (end - count + 1, end)
        else:
            shown, path = (int(found.group(1)), int(found.group(2))), found.group(3)
        if shown == (first, last):
            return None
        fixed = f"sed -n '{first},{last}p' {path}"
        return (
            fixed,
            f"fixed here: {fixed} prints lines {first} to {last} (the draft printed "
            f"{shown[0]} to {shown[1]})",
        )
    return None


_RENAME = re.compile(
    r"^\s*rename\s+(?:the\s+file\s+)?(\S+/[^\s/]+)\s+to\s+([^\s/]+?)[.!]?\s*$", re.I
)


def rename_in_place_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``mv notes/a.md notes/b.md`` for ``mv notes/a.md b.md``, asked "rename notes/a.md to b.md".

    A rename keeps the file where it is; the bare new name moved it up into this directory.
    """
    asked = _RENAME.match(request)
    if asked is None or len(analysis.commands) != 1 or analysis.redirects:
        return None
    source, name = asked.group(1).strip("'\""), asked.group(2).strip("'\"")
    if analysis.commands[0].argv != ("mv", source, name):
        return None
    target = f"{source.rsplit('/', 1)[0]}/{name}"
    return f"mv {source} {target}", f"fixed here: {target}, so that it stays in its folder"


# The deleting end of a find or a pipeline: `-delete`, `-exec rm ... ;`, `| xargs rm ...`.
_DELETING_ENDS = (
    re.compile(r"\s+-delete(?=\s*(?:$|[|;&)]))"),
    re.compile(r"\s+-exec(?:dir)?\s+rm\b[^;+|&]*?(?:\\;|';'|\+)"),
    re.compile(r"\s*\|\s*xargs\s+(?:-\S+\s+)*rm\b[^|;&]*$"),
)


def unasked_delete_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """A find or a listing that deletes what it finds, asked only to find or show it.

    "find empty files and empty folders" answered ``find . -type f -empty -exec rm {} +``:
    without its deleting end a find prints what it finds, which is what was asked.
    """
    if delete_asked(request) or deletes(analysis) is None:
        return None
    fixed = command
    for end in _DELETING_ENDS:
        fixed = end.sub("", fixed)
    if fixed == command or not fixed.strip():
        return None
    try:
        still = deletes(analyse(fixed))
    except ValueError:  # what is left does not parse: the model is asked again instead
        return None
    if still is not None:
        return None
    return fixed, "fixed here: the request asks for nothing to be deleted, so nothing is"

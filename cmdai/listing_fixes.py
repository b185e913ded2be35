"""Sure fixes for listings: what ``ls``, ``find`` and ``du`` show, by size, time and depth.

The listing half of ``cmdai.sure_fixes`` (which applies them): a listing grepped for a time
or a size, titles or a ``total`` line counted, folders listed among files, per-file sizes
where a total was asked, one folder where the tree was meant. Each takes a draft and returns
the fixed command with a ``fixed here:`` note, or None; none touches a command that changes
things.
"""

from __future__ import annotations

import re

from cmdai.intent import LS_L_BY_SIZE, folder_sizes, grepped_listing, no_total, shallow_listing
from cmdai.operands import ONLY_HERE
from cmdai.ordering import wanted_end
from cmdai.pitfalls import Here, counted_listing
from cmdai.shellparse import Analysis

_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "few": 0, "": 1}
_WITHIN = re.compile(
    r"\b(?:in|within|during|over) the (?:last|past) (\d+|an?|one|two|three|few|) ?"
    r"(minute|hour|day|week)s?\b",
    re.IGNORECASE,
)
_LIMIT = re.compile(
    r"\b(larger|bigger|greater|more|over|above|smaller|less|under|below)\b(?: than)?\s*"
    r"(\d+)\s*(bytes?|(?:kilo|mega|giga)(?:bytes?)?|[kmg]i?b?)\b",
    re.IGNORECASE,
)
_UNITS = {"b": "c", "k": "k", "m": "M", "g": "G"}
_MINUTES = {"minute": 1, "hour": 60, "day": 1440, "week": 10080}


def compared_listing_fix(analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``find . -type f -mtime -1 -exec ls -lt {} +`` for ``ls -lt | grep ...`` (the last day).

    grep matches the text of ls's lines, so it cannot compare times or sizes (the ``compare:``
    check); asked again, the model wrote another grep. Fixed only when the request says one
    limit plainly: "in the last N minutes/hours/days/weeks", "larger/smaller than N MB". It
    looks below here too unless the request keeps to this directory ("only here").
    """
    if not grepped_listing(analysis, request) or len(analysis.pipelines) != 1:
        return None
    ls = next(c for c in analysis.commands if c.argv and c.argv[0] == "ls")
    options = [w for w in ls.argv[1:] if w.startswith("-")]
    folders = [w for w in ls.argv[1:] if not w.startswith("-")]
    if len(folders) > 1 or any(ch in w for w in folders for ch in "*?["):
        return None  # files named or globbed: find would need their names too
    # Below here too, as `find .` reads "files here" (the core set's references, and the note's
    # own suggestion); only "only here" / "not in subfolders" keeps to this directory.
    depth = " -maxdepth 1" if ONLY_HERE.search(request) else ""
    # ls's own listing kept for what matched (`-exec ls -lh {} +`), without its recursion
    shown = " ".join(o for o in (w.replace("R", "") for w in options) if o not in ("-", ""))
    times, sizes = list(_WITHIN.finditer(request)), list(_LIMIT.finditer(request))
    if len(times) + len(sizes) != 1:
        return None
    if times:
        count = _NUMBERS.get(times[0].group(1).lower())
        number = int(times[0].group(1)) if times[0].group(1).isdigit() else count
        if not number:
            return None  # "the last few days": no number to compare with
        minutes = number * _MINUTES[times[0].group(2).lower()]
        test = f"-mtime -{minutes // 1440}" if minutes % 1440 == 0 else f"-mmin -{minutes}"
    else:
        word, size, unit = sizes[0].groups()
        sign = (
            "+" if word.lower() in ("larger", "bigger", "greater", "more", "over", "above") else "-"
        )
        test = f"-size {sign}{size}{_UNITS[unit[0].lower()]}"
    start = folders[0] if folders else "."
    fixed = f"find {start}{depth} -type f {test}" + (f" -exec ls {shown} {{}} +" if shown else "")
    return fixed, "fixed here: grep cannot compare the times or sizes in ls's lines; find does"


def listing_count_fix(command: str, analysis: Analysis) -> tuple[str, str] | None:
    """``ls logs/ | wc -l`` for ``ls -l logs/ | wc -l`` (``-A`` for ``-la``: no . and ..)."""
    if not counted_listing(analysis):
        return None
    found = list(re.finditer(r"(?:^|[|;&(]\s*)ls\s+-([A-Za-z]+)(?=\s|\|)", command))
    if len(found) != 1 or set(found[0][1]) - set("lahtrS1"):
        return None  # options beyond the listing's own: the model is asked again
    letters = "".join("A" if c == "a" else c for c in found[0][1] if c in "atrS")
    cluster = f" -{letters}" if letters else ""
    start, end = found[0].span(1)
    fixed = command[: start - 2] + cluster + command[end:]
    return fixed, "fixed here: without -l, ls prints no 'total' line for wc -l to count"


_LS_SIZES_HEAD = re.compile(
    r"ls\s+-(?P<flags>[A-Za-z]*S[A-Za-z]*)(?:\s+(?P<dir>[\w./~][\w./~-]*))?"
    r"\s*\|\s*head(?P<count>\s+(?:-n\s*)?-?\d+)?"
)


# A lone listing by size: `ls -lS`, `ls -ld --sort=size` ("the folders here sorted by size").
_LS_SIZES = re.compile(
    r"ls(?=.*(?:\s-[A-Za-z]*S|\s--sort=size))(?:\s+(?:-[A-Za-z]+|--sort=size))+"
    r"(?:\s+(?P<dir>[\w./~][\w./~-]*))?"
)


# `ls -l /var/log | sort -k 5 -nr | head -n 10` (an end picked or not)
_LS_L_SORTED = re.compile(LS_L_BY_SIZE.pattern + r"(?:\s*\|\s*head(?P<count>\s+(?:-n\s*)?-?\d+)?)?")


def folder_sizes_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``du -sh */ | sort -rh | head -n 3`` for ``ls -S | head -n 3`` and "the biggest folders".

    A lone ``ls -S`` for "the folders sorted by size" (no end picked) keeps ls's order,
    largest first, and all of them.
    """
    end = wanted_end(request, "size")
    pattern = _LS_SIZES_HEAD if end is not None else _LS_SIZES
    shape = pattern.fullmatch(command.strip()) or _LS_L_SORTED.fullmatch(command.strip())
    if shape is None or not folder_sizes(analysis, request):
        return None
    folder = shape["dir"].rstrip("/") + "/" if shape["dir"] else ""
    order = "-rh" if end is None or end[0] == 0 else "-h"
    head = f" | head{shape['count'] or ''}" if end is not None else ""
    fixed = f"du -sh {folder}*/ | sort {order}{head}"
    return fixed, "fixed here: du -s adds up what each folder holds (ls: their own 4096 bytes)"


# "the 3 largest files", "smallest 5 log files": files, and an end of the size order.
_FILES_BY_SIZE = re.compile(
    r"\b(?:largest|biggest|heaviest|smallest|tiniest)\s+(?:\w+\s+){0,2}files?\b", re.IGNORECASE
)


def files_only_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``ls -Sp | grep -v / | head -n 3`` for ``ls -S | head -n 3`` and "the 3 largest files".

    Only where the listed folder holds folders: ``ls -S`` lists them too, each by its own
    entry's size (4096 bytes), among the files or at their top. ``-p`` marks them with a slash,
    and ``grep -v /`` leaves the files. Not for a long listing (its total line) or ``-d``.
    """
    shape = _LS_SIZES_HEAD.fullmatch(command.strip())
    if shape is None or not _FILES_BY_SIZE.search(request):
        return None
    flags, folder = shape["flags"], shape["dir"] or "."
    if set(flags) & set("lpdRF") or not here.has_folders(folder):
        return None
    where = f" {shape['dir']}" if shape["dir"] else ""
    fixed = f"ls -{flags}p{where} | grep -v / | head{shape['count'] or ''}"
    return fixed, "fixed here: ls -S lists the folders too (each 4096 bytes); -p marks them"


def total_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``du -ch *.bin | tail -n 1`` for ``du -sh *.bin`` and "the total size of the .bin files".

    Only a lone ``du``: ``-c`` adds the total line (``-s`` is dropped, it is per operand) and
    ``tail`` keeps that line alone.
    """
    if len(analysis.commands) != 1 or analysis.redirects or not no_total(analysis, request):
        return None
    shape = re.fullmatch(r"du(?:\s+-([A-Za-z]+))?(\s+[^|;&<>]+)", command.strip())
    if shape is None:
        return None
    letters = "c" + (shape[1] or "").replace("s", "").replace("c", "")
    if re.search(r"\bbytes\b", request, re.IGNORECASE):
        letters = letters.replace("h", "").replace("b", "") + "b"  # not 4.0K: a count of bytes
    fixed = f"du -{letters}{shape[2]} | tail -n 1"
    return fixed, "fixed here: du -c adds a total line, and tail -n 1 keeps it alone"


_LS_ORDER_HEAD = re.compile(
    r"ls\s+-(?P<flags>[A-Za-z]*[St][A-Za-z]*)(?:\s+(?P<folder>[\w.-]+(?:/[\w.-]+)*)/?)?\s*\|\s*"
    r"head(?P<count>\s+(?:-n\s*)?-?\d+)?"
)


def tree_listing_fix(
    command: str, analysis: Analysis, request: str, here: Here | None = None
) -> tuple[str, str] | None:
    """``find`` for ``ls -S | head -n 5`` when the request asks for the files below here too.

    ``ls -S`` (``-t``) lists one folder; ``find . -type f -printf '%s %p'`` (or the time)
    with a sort reaches every level, largest (newest) first unless ``-r``. With ``here``, also
    ``ls -S Pictures | head -n 2`` where ``Pictures`` holds only folders: it would order them.
    """
    shape = _LS_ORDER_HEAD.fullmatch(command.strip())
    if shape is None:
        return None
    root = shape["folder"]
    if root is None:
        if not shallow_listing(analysis, request):
            return None
        root = "."
    elif here is None or not here.holds_only_folders(root):
        return None
    flags, reverse = shape["flags"], "r" in shape["flags"]
    if "S" in flags and "t" not in flags:
        key, order = "%s", "sort -n" if reverse else "sort -nr"
    else:  # the time as 2026-12-05 09:30:12.5: it sorts as text, and a person can read it
        key, order = "%TY-%Tm-%Td %TT", "sort" if reverse else "sort -r"
    fixed = f"find {root} -type f -printf '{key} %p\\n' | {order} | head{shape['count'] or ''}"
    if root != ".":
        return fixed, f"fixed here: {root} holds folders, and find reaches the files in them"
    return fixed, "fixed here: find reaches the files below here too (ls lists one folder)"

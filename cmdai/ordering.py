"""The order a command puts lines in, against the order or the end the request asks for.

Notes, each proving a draft wrong (``cmdai.intent`` runs them with its other checks):
``order:`` the request says to keep the lines' order and the command sorts them, or asks for
a listing from the oldest (smallest) and ``ls`` starts at the other end; ``direction:`` it
asks for the oldest or smallest and ``head``/``tail`` keep the other end of the order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cmdai.stages import adjacent_stages, short_flags

if TYPE_CHECKING:
    from cmdai.shellparse import Analysis


# "keeping their order", "in the original order", "without sorting them".
_KEEP_ORDER = re.compile(
    r"\b(?:keep(?:s|ing)?|preserv(?:e|es|ing)|maintain(?:s|ing)?|retain(?:s|ing)?) "
    r"(?:the |their |its )?(?:original |current |same |first-seen )?order"
    r"|\bin (?:the )?(?:original|same|current) order|\bwithout sorting|\bunsorted\b",
    re.IGNORECASE,
)


def reordered(analysis: Analysis, request: str) -> list[str]:
    """A ``sort`` in a command whose request says to keep the lines' order.

    ``sort -u`` is the usual answer to "remove duplicates" and sorts what the user asked to
    keep in order; ``awk '!seen[$0]++'`` keeps the first of each line where it was.
    """
    if not _KEEP_ORDER.search(request) or re.search(r"\bsort", request, re.IGNORECASE):
        return []  # "sort by size, keeping the order of ties" asks for a (stable) sort
    if any(simple.argv[:1] == ("sort",) for simple in analysis.commands):
        return [
            "order: sort puts the lines in a new order, and the request says to keep theirs "
            "(awk '!seen[$0]++' FILE drops repeated lines and keeps the order)"
        ]
    return []


# The two ends of an order, as requests name them: time for `ls -t`, size for `ls -S`, and
# any quantity for a numeric `sort`.
_ENDS = {
    "time": (r"newest|latest|most recent(?:ly)?|youngest", r"oldest|earliest|least recent(?:ly)?"),
    "size": (r"largest|biggest|heaviest", r"smallest|tiniest|lightest"),
    "number": (
        r"largest|biggest|heaviest|most|highest|top|longest|greatest",
        r"smallest|tiniest|lightest|least|fewest|lowest|shortest",
    ),
}
_FIRST_NAMES = {"time": ("newest", "oldest"), "size": ("largest", "smallest")}


def wanted_end(request: str, key: str) -> tuple[int, str] | None:
    """Which end of an order the request asks for, and its word for it (None: neither).

    0 is the high end (largest, newest), 1 the low end (smallest, oldest). "Newest first"
    orders a listing and picks no end: None.
    """
    high, low = (re.search(rf"\b(?:{words})\b", request, re.IGNORECASE) for words in _ENDS[key])
    if bool(high) == bool(low):
        return None
    if re.search(
        rf"\b(?:{'|'.join(_ENDS[key])})\s+(?:first|last|on top|at the top)\b", request, re.I
    ):
        return None
    return (0, high[0].lower()) if high else (1, low[0].lower()) if low else None


def _order(argv: Sequence[str]) -> tuple[str, bool] | None:
    """What an ``ls`` or a numeric ``sort`` orders by, and whether its first line is the low end.

    ``ls -t`` and ``ls -S`` list the high end (newest, largest) first, a numeric ``sort`` the
    low end; ``-r`` (or an ``r`` in a sort key) turns either round. None for anything else.
    """
    short = short_flags(argv)
    longs = [w for w in argv[1:] if w.startswith("--")]
    reverse = "r" in short or "--reverse" in longs
    if argv[0] == "ls":
        if "t" in short or "--sort=time" in longs:
            return "time", reverse
        if "S" in short or "--sort=size" in longs:
            return "size", reverse
        return None
    if argv[0] != "sort":
        return None
    keys = [argv[i + 1] for i, w in enumerate(argv[:-1]) if w == "-k"]
    keys += [w[2:] for w in argv[1:] if w.startswith("-k") and len(w) > 2]
    modifiers = "".join(k.lstrip("0123456789,.") for k in keys)
    numeric = set("nhg") & set(short + modifiers) or any(
        w.startswith(("--numeric", "--human", "--general")) for w in longs
    )
    if not numeric:
        return None
    # Ascending: the first line is the low end, unless -r (or an r in a key) turns it round.
    return "number", not (reverse or "r" in modifiers)


_ALL_BUT = re.compile(
    r"\b(?:all but|all except|but the|except|other than|apart from|besides|keep(?:s|ing)?"
    r"|leav(?:e|es|ing)|not the)\b",
    re.IGNORECASE,
)


def wrong_end(analysis: Analysis, request: str) -> list[str]:
    """``ls -t | head -n 3`` for "the 3 oldest files": the other end of the order.

    ``ls -t`` lists the newest first and ``ls -S`` the largest; a numeric ``sort`` puts the
    smallest first unless ``-r``; ``head`` keeps the first lines and ``tail`` the last.
    """
    if _ALL_BUT.search(request):
        return []  # "remove all but the 5 newest": the end named is the one to keep
    found: list[str] = []
    for before, after in adjacent_stages(analysis):
        order = _order(before)
        if order is None or after[0] not in ("head", "tail"):
            continue
        key, reverse = order
        wanted = wanted_end(request, key)
        if wanted is None:
            continue
        taken = int(reverse) if after[0] == "head" else 1 - int(reverse)
        if taken != wanted[0]:
            got, asked = _FIRST_NAMES.get(key, ("largest", "smallest"))[taken], wanted[1]
            found.append(
                f"direction: {before[0]} | {after[0]} here gives the {got}, and the request asks "
                f"for the {asked} (-r turns {before[0]}'s order round)"
            )
    return found


def wanted_order(request: str, key: str) -> tuple[int, str] | None:
    """Which end a listing should start with: "oldest to newest", "largest first" (None: not said).

    0 is the high end (newest, largest), 1 the low end, with the request's word for it.
    """
    high, low = _ENDS[key]
    first = re.search(
        rf"\b(?:from (?:the )?)?({high}|{low})(?: ones?)?(?: (?:to|->|first)\b| on top\b)",
        request,
        re.IGNORECASE,
    )
    if first is None:
        return None
    word = first.group(1).lower()
    return (0, word) if re.fullmatch(high, word, re.IGNORECASE) else (1, word)


def listing_order(analysis: Analysis, request: str) -> list[str]:
    """``ls -lt backups/`` for "list the backups from oldest to newest": the order turned round.

    Found by hand. Only a listing that is shown whole (no ``head``/``tail`` after it: the end
    it keeps is ``wrong_end``'s), ordered by ``ls -t`` or ``ls -S``.
    """
    argvs = [simple.argv for simple in analysis.commands if simple.argv]
    if any(argv[0] in ("head", "tail", "sort", "tac") for argv in argvs):
        return []
    for argv in argvs:
        order = _order(argv) if argv[0] == "ls" else None
        wanted = wanted_order(request, order[0]) if order else None
        if order is None or wanted is None or int(order[1]) == wanted[0]:
            continue
        got = _FIRST_NAMES[order[0]][int(order[1])]
        return [
            f"order: ls lists the {got} first here, and the request asks for the {wanted[1]} "
            f"first (-r turns ls's order round)"
        ]
    return []

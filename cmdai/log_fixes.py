"""Sure fixes from the thirty-first by-hand round: a web server's and an application's logs.

A log's first line says its format, and the format says which field holds what: in an access
log in the common or combined format (Apache's and nginx's default) the client is awk's
``$1``, the time ``$4``, the path ``$7``, the status ``$9``, the bytes sent ``$10``, and the
user agent the sixth ``"``-separated field; in a log whose lines start with a date and a time,
the level is the first word after them. Drafts guessed: URLs grepped for ``https?://`` (the log
holds paths), ``ping`` for "the requests from 10.0.0.5", the client's address summed for the
bytes sent, one total for "each log level", a status grepped anywhere in the line.

``log_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called for a
draft that shows and changes nothing, with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.stages import request_entries

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_ACCESS_LINE = re.compile(r'^\S+ \S+ \S+ \[[^\]]+\] "[A-Z]+ \S+[^"]*" \d{3} (?:\d+|-)')
_STAMPED_LINE = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d)?\S*\s")
_LEVELS = frozenset(
    ("TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "CRITICAL", "FATAL")
)


def log_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the log fixes that applies (None: none does)."""
    access = _log_file(command, request, here, _ACCESS_LINE)
    if access is not None:
        fixed = access_field_fix(command, request, access) or status_fix(command, request, access)
        if fixed is not None:
            return fixed
    stamped = _log_file(command, request, here, _STAMPED_LINE)
    if stamped is not None:
        return level_count_fix(command, request, stamped, here) or time_range_fix(
            command, request, stamped, here
        )
    return None


def _log_file(command: str, request: str, here: Here, form: re.Pattern[str]) -> str | None:
    """The one file the request (or else the draft) names here whose first line has ``form``.

    Where neither names one, a request about requests reads the one access log here (seen:
    "show the requests from 10.0.0.5" answered ``ping``).
    """
    sources = [request_entries(request, here), _draft_words(command)]
    if form is _ACCESS_LINE and _FROM_ADDRESS.search(request):
        sources.append(here.expand("*"))
    for words in sources:
        logs = [w for w in words if form.match(here.first_line(w) or "")]
        if len(set(logs)) == 1:
            return logs[0]
    return None


def _draft_words(command: str) -> list[str]:
    try:
        return shlex.split(command)
    except ValueError:
        return []


_FIELD_ASKED = (  # (what the request asks about, awk's program for it, what it is)
    (r"\b(?:urls?|paths?|pages?)\b", "{print $7}", "the path is field 7"),
    (
        r"\b(?:user[- ]agents?|browsers?)\b",
        "-F'\"' '{print $6}'",
        'the user agent is the sixth "-field',
    ),
    (r"\b(?:ip(?:\s+address(?:es)?)?|clients?|visitors?)\b", "{print $1}", "the client is field 1"),
)
_FIELD_WORD = re.compile(r"(?:\$(?:1|7|6)\b|-f\s*(?:1|7)\b)")
_MOST = re.compile(r"\bmost\s+(?:often|requested|common|visited|frequent)\b|\bthe\s+top\b", re.I)
_DIFFERENT = re.compile(r"\b(?:different|distinct|unique)\b", re.IGNORECASE)
_EACH = re.compile(r"\b(?:of|for|per|by)\s+(?:each|every)\b|\bper\b", re.IGNORECASE)
_FROM_ADDRESS = re.compile(r"\b(?:requests|lines|hits)\s+(?:from|by|of)\s+(\d+(?:\.\d+){3})\b")
_BYTES = re.compile(r"\bbytes\b.*\b(?:total|in all|altogether)\b|\btotal\b.*\bbytes\b", re.I)
_PER_HOUR = re.compile(r"\b(?:per|each|every|by)\s+hour\b", re.IGNORECASE)


def access_field_fix(command: str, request: str, log: str) -> tuple[str, str] | None:
    """The access log's own field for what the request counts, lists or picks.

    Fires only where the draft does not read that field already (``$7``, ``cut -f7``).
    """
    name = shlex.quote(log)
    address = _FROM_ADDRESS.search(request)
    if address and f'"{address[1]}"' not in command and "$1" not in command:
        fixed = f"awk '$1 == \"{address[1]}\"' {name}"
        return fixed, f"fixed here: {log} is an access log; the client is field 1"
    if _BYTES.search(request) and "$10" not in command:
        fixed = f"awk '{{s += $10}} END {{print s}}' {name}"
        return fixed, f"fixed here: {log} is an access log; the bytes sent are field 10"
    if _PER_HOUR.search(request) and "substr($4" not in command:
        fixed = f"awk '{{print substr($4, 2, 14)}}' {name} | sort | uniq -c"
        return fixed, f"fixed here: {log} is an access log; field 4 is [day/month/year:hour..."
    for asked, program, what in _FIELD_ASKED:
        if not re.search(asked, request, re.IGNORECASE) or _FIELD_WORD.search(command):
            continue
        awk = f"awk {program}" if program.startswith("-F") else f"awk '{program}'"
        if _MOST.search(request):
            fixed = f"{awk} {name} | sort | uniq -c | sort -nr | head -n 1"
        elif _EACH.search(request) or re.search(r"\bcount\b", request, re.IGNORECASE):
            fixed = f"{awk} {name} | sort | uniq -c | sort -nr"
        elif _DIFFERENT.search(request) or re.search(r"\blist\b", request, re.IGNORECASE):
            fixed = f"{awk} {name} | sort -u"
        else:
            return None
        return fixed, f"fixed here: {log} is an access log; {what}"
    return None


_STATUS_GREP = re.compile(r"^\s*grep\s+(?:-[a-z]+\s+)?['\"]?\b([1-5]\d\d)\b['\"]?\s+(\S+)(.*)$")


def status_fix(command: str, request: str, log: str) -> tuple[str, str] | None:
    """``awk '$9 == 404' access.log`` for ``grep 404 access.log`` (a size or a path has 404)."""
    found = _STATUS_GREP.match(command)
    if found is None or found[1] not in request or found[2].strip("'\"") != log:
        return None
    rest = found[3]
    if rest.strip() and not re.fullmatch(r"\s*\|\s*wc\s+-l\s*", rest):
        return None
    fixed = f"awk '$9 == {found[1]}' {shlex.quote(log)}{rest}"
    note = f"the status is field 9 (grep matched {found[1]} anywhere in a line)"
    return fixed, f"fixed here: {log} is an access log; {note}"


def level_count_fix(command: str, request: str, log: str, here: Here) -> tuple[str, str] | None:
    """``awk '{print $3}' app.log | sort | uniq -c`` for "count the lines of each log level"."""
    if not re.search(r"\b(?:each|every|per)\s+(?:log\s+)?level\b", request, re.IGNORECASE):
        return None
    if re.search(r"uniq\s+-c|\bcount\[", command):
        return None
    fields = (here.first_line(log) or "").split()
    level = next((i for i, w in enumerate(fields) if w.strip("[]:").upper() in _LEVELS), None)
    if level is None:
        return None
    fixed = f"awk '{{print ${level + 1}}}' {shlex.quote(log)} | sort | uniq -c"
    return fixed, f"fixed here: the level is field {level + 1} of {log}; uniq -c counts each"


_BETWEEN = re.compile(r"\bbetween\s+(\d{1,2}):(\d\d)\s+and\s+(\d{1,2}):(\d\d)\b", re.IGNORECASE)


def time_range_fix(command: str, request: str, log: str, here: Here) -> tuple[str, str] | None:
    """``awk '$2 >= "10:00:00" && $2 <= "11:00:00"' app.log`` for "between 10:00 and 11:00".

    Seen: ``grep -E '10:00|11:00'``, the lines of those two minutes only.
    """
    asked = _BETWEEN.search(request)
    if asked is None or re.search(r"\$2\s*[<>]", command):
        return None
    if not re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ", here.first_line(log) or ""):
        return None  # the time is awk's field 2 only after a date and a space
    start = f"{int(asked[1]):02d}:{asked[2]}:00"
    end = f"{int(asked[3]):02d}:{asked[4]}:00"
    if end <= start:
        return None
    fixed = f'awk \'$2 >= "{start}" && $2 <= "{end}"\' {shlex.quote(log)}'
    return fixed, f"fixed here: field 2 of {log} is the time; awk keeps the lines between the two"

"""Sure fixes from the twenty-fourth by-hand round: files converted from one form to another.

Line endings where dos2unix is not installed, a file converted to another encoding (not only
printed), JSON put on one line, counted, sorted by a key or turned into a CSV with jq, a CSV
shown as an aligned table, lines wrapped (not cut), byte counts made readable with numfmt, a
hex dump that is hex, and a yes-or-no check that says its answer.

Each returns the fixed command with a ``fixed here:`` note, or None. ``convert_fix`` is called
for any draft (its fixes make the change the request names, or replace one that cannot run);
``shown_convert_fix`` for a draft that shows and changes nothing.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from typing import TYPE_CHECKING

from cmdai.stages import command_stages, short_flags

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def convert_fix(command: str, request: str) -> tuple[str, str] | None:
    """The first of the fixes for any draft that applies (None: none does)."""
    return line_endings_fix(command) or encoding_in_place_fix(command, request)


def shown_convert_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of the fixes for a draft that only shows that applies (None: none does)."""
    return (
        silent_check_fix(command, request)
        or one_line_json_fix(command, request)
        or json_length_fix(command, request)
        or hex_dump_fix(command, request)
        or wrapped_lines_fix(command, request)
        or readable_sizes_fix(command, request)
        or aligned_table_fix(command, request)
        or (json_sort_fix(command, request, here) if here is not None else None)
        or (json_csv_fix(command, request, here) if here is not None else None)
    )


_FILES = r"(?:\s+(?:--\s+)?[\w./-]+)+"
_LINE_TOOLS = {
    "dos2unix": ("s/\\r$//", "takes the carriage return off each line's end"),
    "unix2dos": ("s/\\r*$/\\r/", "ends each line with a carriage return"),
}


def line_endings_fix(command: str) -> tuple[str, str] | None:
    r"""``sed -i 's/\r$//' windows.txt`` for ``dos2unix windows.txt`` where it is not installed.

    unix2dos likewise (``s/\r*$/\r/``, which leaves a line that has one as it was).
    """
    found = re.fullmatch(r"\s*(dos2unix|unix2dos)(" + _FILES + r")\s*", command)
    if found is None or shutil.which(found[1]) is not None:
        return None
    files = [f for f in found[2].split() if f != "--"]
    if any(f.startswith("-") for f in files):
        return None
    script, does = _LINE_TOOLS[found[1]]
    fixed = f"sed -i '{script}' -- {' '.join(shlex.quote(f) for f in files)}"
    return fixed, f"fixed here: {found[1]} is not installed here; sed -i {does}"


_CONVERT_FILE = re.compile(
    r"^\s*(?:please\s+)?convert\s+(?:the\s+(?:file\s+)?)?(?P<file>[\w.-]+\.\w+)\s+"
    r"(?:from\s+\S+\s+)?to\s+\S+",
    re.IGNORECASE,
)
_ICONV = re.compile(
    r"^\s*iconv(?P<opts>(?:\s+(?:-f|-t|--from-code|--to-code)(?:\s+|=)[\w.:/-]+|\s+-c)+)"
    r"\s+(?P<file>[\w.-]+)\s*$"
)


def encoding_in_place_fix(command: str, request: str) -> tuple[str, str] | None:
    """``iconv ... latin1.txt > latin1.txt.tmp && mv latin1.txt.tmp latin1.txt`` for iconv alone.

    "convert latin1.txt from latin-1 to utf-8" answered with an iconv that prints the
    converted text and leaves the file as it was. iconv cannot write the file it reads (the
    output would empty it first), so it writes a copy that then takes the file's place.
    """
    asked = _CONVERT_FILE.match(request)
    found = _ICONV.match(command)
    if asked is None or found is None or found["file"] != asked["file"]:
        return None
    if re.search(r"\b(?:print|show|display|copy|into|as|save)\b", request, re.IGNORECASE):
        return None
    name = shlex.quote(found["file"])
    tmp = shlex.quote(found["file"] + ".tmp")
    fixed = f"iconv{found['opts']} {name} > {tmp} && mv {tmp} {name}"
    return fixed, f"fixed here: the converted text replaces {found['file']} (iconv only printed it)"


_YES_OR_NO = re.compile(
    r"^\s*(?:please\s+)?(?:check\s+(?:whether|if)|tell\s+me\s+(?:whether|if)|(?:does|do|is|are|"
    r"has|have)\b)",
    re.IGNORECASE,
)


_EXIT_STATUS = re.compile(r"\bexit\s+(?:code|status)\b|\bno\s+output\b|\bquiet|\bsilent", re.I)


def silent_check_fix(command: str, request: str) -> tuple[str, str] | None:
    """``file windows.txt | grep -q CRLF && echo yes || echo no`` for a ``grep -q`` that ends it.

    "check whether windows.txt has windows line endings": ``grep -q`` answers in its exit
    status, which the terminal does not show.
    """
    if not _YES_OR_NO.match(request) or re.search(r"&&|\|\||;|\bif\b", command):
        return None
    # About a file the request names (a script's test of the system's state, "check if the
    # screen session exists" answered ``screen -list | grep -q NAME``, is left as written).
    named = re.findall(r"[\w./-]+\.\w+", request)
    if not any(name in command.split() for name in named) or _EXIT_STATUS.search(request):
        return None
    stages = command_stages(command)
    if not stages or stages[-1][0] != "grep":
        return None
    last = stages[-1]
    if "q" not in short_flags(last) and "--quiet" not in last and "--silent" not in last:
        return None
    return (
        f"{command.strip()} && echo yes || echo no",
        "fixed here: grep -q says nothing; echo does",
    )


_ONE_LINE = re.compile(r"\b(?:one|a\s+single|single)\s+line\b|\bcompact\b|\bminif", re.I)


def _jq(command: str) -> list[str] | None:
    """The words of a command that is one jq reading files (None: another command)."""
    stages = command_stages(command)
    if len(stages) != 1 or stages[0][0] != "jq":
        return None
    return stages[0]


def one_line_json_fix(command: str, request: str) -> tuple[str, str] | None:
    """``jq -c . pretty.json`` for ``jq . pretty.json``: "put the json in pretty.json on one line".

    jq indents its output unless told ``-c``.
    """
    words = _jq(command)
    if words is None or not _ONE_LINE.search(request):
        return None
    flags = short_flags(words)
    if "c" in flags or "--compact-output" in words or "r" in flags or "--raw-output" in words:
        return None  # compact already, or printing text (-r), which -c does not change
    fixed = re.sub(r"^\s*jq(?=\s)", "jq -c", command, count=1)
    return fixed, "fixed here: jq -c writes the JSON on one line (jq indents it otherwise)"


_COUNT_ASKED = re.compile(r"\b(?:count|how\s+many|number\s+of)\b", re.IGNORECASE)


def json_length_fix(command: str, request: str) -> tuple[str, str] | None:
    """``jq length users.json`` for ``jq '.length' users.json``: "count the users".

    ``.length`` looks up a key called "length" (an array has none: "Cannot index array");
    ``length`` is jq's count of an array's items or an object's keys.
    """
    words = _jq(command)
    if words is None or not _COUNT_ASKED.search(request):
        return None
    filters = [w for w in words[1:] if not w.startswith("-")]
    if not filters or filters[0] not in (".length", ". | .length", ".[] | .length"):
        return None
    fixed = command.replace(f"'{filters[0]}'", "length").replace(f'"{filters[0]}"', "length")
    if fixed == command:
        fixed = re.sub(r"(?<=\s)\.length(?=\s|$)", "length", command, count=1)
    if fixed == command:
        return None
    return fixed, "fixed here: jq's length counts the items (.length looks up a key)"


_HEX_ASKED = re.compile(r"\bhex(?:adecimal)?\b", re.IGNORECASE)


def hex_dump_fix(command: str, request: str) -> tuple[str, str] | None:
    """``xxd -l 64 blob.bin`` for ``xxd -b -l 64 blob.bin``: "... in hex" (-b dumps bits)."""
    stages = command_stages(command)
    if not _HEX_ASKED.search(request) or len(stages) != 1 or stages[0][0] != "xxd":
        return None
    if re.search(r"\bbinary\b|\bbits?\b", request, re.IGNORECASE):
        return None
    fixed = re.sub(r"(?<=\s)-b(?=\s)", "", command, count=1)
    fixed = re.sub(r"(?<=\s)(-[a-zA-Z]*)b([a-zA-Z]*)(?=\s)", r"\1\2", fixed, count=1)
    fixed = " ".join(fixed.split())
    if fixed == " ".join(command.split()) or "-b" in fixed.split():
        return None
    return fixed, "fixed here: xxd writes hex by default (-b writes each byte in bits)"


_WRAP_ASKED = re.compile(
    r"\bwrap\b.*?\b(?:at|to|after)\s+(?P<width>\d+)\s*(?:characters?|chars|columns?)?\b"
    r"|\b(?:no|not)\s+longer\s+than\s+(?P<width2>\d+)\s*(?:characters?|chars|columns?)\b",
    re.IGNORECASE,
)


def wrapped_lines_fix(command: str, request: str) -> tuple[str, str] | None:
    """``fold -s -w 40 long.txt`` for ``awk '{print substr($0,1,40)}' long.txt``: "wrap at 40".

    substr and ``cut -c`` keep each line's first 40 characters and drop the rest; fold wraps
    the rest onto the next lines, at a space where there is one (``-s``).
    """
    asked = _WRAP_ASKED.search(request)
    stages = command_stages(command)
    if asked is None or len(stages) != 1 or stages[0][0] not in ("awk", "cut"):
        return None
    words = stages[0]
    if words[0] == "awk" and "substr" not in command:
        return None
    if words[0] == "cut" and "c" not in short_flags(words):
        return None
    files = [w for w in words[2:] if not w.startswith("-") and re.fullmatch(r"[\w./-]+", w)]
    if words[0] == "cut":
        files = [w for w in files if not re.fullmatch(r"[\d,-]+", w)]
    if len(files) != 1:
        return None
    width = asked["width"] or asked["width2"]
    fixed = f"fold -s -w {width} {shlex.quote(files[0])}"
    return fixed, f"fixed here: fold wraps the lines at {width} characters ({words[0]} cut them)"


_READABLE_ASKED = re.compile(r"\bhuman[- ]readable\b|\breadable\s+sizes?\b", re.IGNORECASE)
_AWK_KIB = re.compile(
    r"""^awk\s+'\{\s*print\s+\$(?P<field>\d+)\s*/\s*(?:1024|1000|1048576)[^']*\}'\s+"""
    r"""(?P<file>[\w./-]+)\s*$"""
)


def readable_sizes_fix(command: str, request: str) -> tuple[str, str] | None:
    """``numfmt --to=iec < sizes.txt`` for ``awk '{print $1/1024 " KB"}' sizes.txt``.

    Every count divided by 1024 and called KB: 5368709120 bytes come out as 5242880 KB.
    numfmt picks each number's own unit (1.0K, 1.5M, 5.0G).
    """
    found = _AWK_KIB.match(command.strip())
    if found is None or not _READABLE_ASKED.search(request):
        return None
    field = int(found["field"])
    which = "" if field == 1 else f" --field={field}"
    fixed = f"numfmt --to=iec{which} < {shlex.quote(found['file'])}"
    return fixed, "fixed here: numfmt gives each size its own unit (awk divided all by 1024)"


_TABLE_ASKED = re.compile(
    r"\baligned\b|\bline[sd]?\s+up\b|\bas\s+a\s+(?:neat\s+|pretty\s+)?table\b|\bin\s+columns\b",
    re.IGNORECASE,
)


def aligned_table_fix(command: str, request: str) -> tuple[str, str] | None:
    """``column -s, -t table.csv`` for an awk that puts tabs between a CSV's fields.

    "show table.csv as an aligned table": a tab only reaches the next multiple of 8, so a
    field of 8 or more characters pushes its row's next ones out of line.
    """
    if not _TABLE_ASKED.search(request) or "column" in command:
        return None
    named = re.findall(r"[\w./-]+\.(?:csv|tsv)\b", request)
    stages = command_stages(command)
    if len(named) != 1 or len(stages) != 1 or named[0] not in stages[0]:
        return None
    if stages[0][0] not in ("awk", "cat", "tr", "sed", "cut"):
        return None
    name = named[0]
    sep = "," if name.endswith(".csv") else "$'\\t'"
    fixed = f"column -s{sep} -t {shlex.quote(name)}"
    return fixed, "fixed here: column -t pads every field to its column's width"


def _json_array(here: Here, name: str) -> list[dict[str, object]] | None:
    """The JSON array of objects in the small file ``name`` here (None: not one)."""
    lines = here.lines(name)
    if lines is None:
        return None
    try:
        data = json.loads("\n".join(lines))
    except ValueError:
        return None
    if not isinstance(data, list) or not data or not all(isinstance(d, dict) for d in data):
        return None
    return data


_SORT_BY = re.compile(
    r"^\s*(?:please\s+)?sort\s+(?:the\s+\w+\s+in\s+)?(?P<file>[\w./-]+\.json)\s+by\s+"
    r"(?:(?:the|their|its)\s+)?(?P<key>\w+)\b",
    re.IGNORECASE,
)


def json_sort_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``jq 'sort_by(.age)' users.json`` for ``jq -r '.[].age' users.json | sort -n``.

    "sort users.json by age": the objects in the order of their ages, not the ages alone.
    Only where the file here is an array of objects that hold the key.
    """
    asked = _SORT_BY.match(request)
    if asked is None or "sort_by" in command or not command.lstrip().startswith("jq "):
        return None
    name, key = asked["file"], asked["key"]
    data = _json_array(here, name)
    if data is None or not all(key in d for d in data) or name not in command:
        return None
    fixed = f"jq 'sort_by(.{key})' {shlex.quote(name)}"
    return fixed, f"fixed here: sort_by(.{key}) orders the objects themselves by {key}"


_CSV_OF = re.compile(
    r"\b(?P<file>[\w./-]+\.json)\b.*\bcsv\b.*?\bwith\s+(?:the\s+|just\s+the\s+|only\s+the\s+)?"
    r"(?P<keys>\w+(?:\s*,\s*\w+)*(?:,?\s+and\s+\w+)?)\s+(?:columns|fields|keys)\b",
    re.IGNORECASE,
)


def json_csv_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``jq -r '["name","email"], (.[] | [.name, .email]) | @csv' users.json``, a CSV of two keys.

    "turn users.json into a csv with the name and email columns" was answered with all the
    names, then all the emails. Only where the file here is an array of objects holding every
    key named, and the draft is jq without ``@csv``.
    """
    asked = _CSV_OF.search(request)
    if asked is None or "@csv" in command or not command.lstrip().startswith("jq "):
        return None
    keys = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", asked["keys"].strip())
    name = asked["file"]
    data = _json_array(here, name)
    if data is None or len(keys) < 2 or not all(k in d for d in data for k in keys):
        return None
    titles = ",".join(f'"{k}"' for k in keys)
    fields = ", ".join(f".{k}" for k in keys)
    fixed = f"jq -r '[{titles}], (.[] | [{fields}]) | @csv' {shlex.quote(name)}"
    return fixed, "fixed here: one CSV row per object, with a title row (@csv quotes the text)"

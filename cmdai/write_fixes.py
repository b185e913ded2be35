"""Sure fixes from the twenty-seventh by-hand round: files written and edited line by line.

A line put at the top of a file (not the file overwritten with it), one line replaced whole
(not a substitution of a word it does not hold), a copy in reverse order (``tac``, not ``sort
-r``), several lines written (not the first alone), trailing blanks all removed, and each
line printed twice.

Each returns the fixed command with a ``fixed here:`` note, or None. ``write_fix`` is the one
``cmdai.sure_fixes`` calls, for any draft, and ``trailing_blanks_fix`` before all the others:
each makes the change the request names, or shows it, reading the file it names to know
that the draft misses it.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.intent import printed_edits
from cmdai.shellparse import analyse
from cmdai.stages import command_stages
from cmdai.titles import NUMBER_WORDS

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_FILE = r"(?P<file>[\w.-]+\.\w+)"
_TEXT = r"""(?P<q>["']?)(?P<text>[^"'\\\n]+?)(?P=q)"""


def write_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of this module's fixes that applies (None: none does)."""
    fixed = several_lines_fix(command, request)
    if fixed is None and here is not None:
        fixed = (
            top_line_fix(command, request, here)
            or whole_line_fix(command, request, here)
            or reversed_copy_fix(command, request, here)
            or twice_fix(command, request, here)
        )
    return fixed


_TOP_ASKED = re.compile(
    r"^\s*(?:please\s+)?(?:(?:add|put|insert|write)\s+(?:the\s+(?:line|header|title)\s+)?"
    + _TEXT
    + r"\s+(?:at|to)\s+the\s+(?:top|start|beginning)\s+of\s+"
    + _FILE
    + r"|prepend\s+(?:the\s+(?:line|header|title)\s+)?"
    + _TEXT.replace("q>", "q2>").replace("(?P=q)", "(?P=q2)").replace("text>", "text2>")
    + r"\s+to\s+"
    + _FILE.replace("file>", "file2>")
    + r")\s*$",
    re.IGNORECASE,
)


def top_line_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``sed -i '1i # Shopping' todo.txt`` for ``echo "# Shopping" > todo.txt``.

    "add the line "# Shopping" at the top of todo.txt" answered by overwriting the file with
    that one line, and "prepend the header id,name to data.csv" by ``sed '1s/^/id,name/'``
    (no ``-i``, and no new line: ``id,name1,ann``). Only for a file here that has lines.
    """
    asked = _TOP_ASKED.match(request)
    if asked is None:
        return None
    text, name = asked["text"] or asked["text2"], asked["file"] or asked["file2"]
    if not here.lines(name) or re.search(rf"(?<![\w.-]){re.escape(name)}.*\b1i\b", command):
        return None
    if re.search(r"sed\s+-i\S*\s+['\"]?1\s*i", command) or text.strip() != text:
        return None
    fixed = f"sed -i {shlex.quote('1i ' + text)} {shlex.quote(name)}"
    return fixed, f"fixed here: sed -i '1i ...' puts the line above {name}'s first one"


_LINE_ASKED = re.compile(
    r"^\s*(?:please\s+)?(?:replace|change)\s+line\s+(?P<n>\d+)\s+(?:of|in)\s+"
    + _FILE
    + r"\s+(?:with|to|by)\s+"
    + _TEXT
    + r"\s*$",
    re.IGNORECASE,
)
_SED_LINE_SUB = re.compile(r"""sed\s+-i\s+(['"])(?P<n>\d+)s/(?P<old>[^/]*)/[^/]*/\w*\1""")


def whole_line_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``sed -i '3s/.*/THREE/' list.txt`` for ``sed -i '3s/one/THREE/' list.txt``.

    "replace line 3 of list.txt with THREE": line 3 is "three", which holds no "one", so
    the draft changes nothing. Only where the file here says so.
    """
    asked = _LINE_ASKED.match(request)
    found = _SED_LINE_SUB.search(command)
    if asked is None or found is None or found["n"] != asked["n"]:
        return None
    name, text, n = asked["file"], asked["text"], int(asked["n"])
    lines = here.lines(name)
    if not lines or n > len(lines) or re.search(r"[/&\\]", text):
        return None
    try:
        if re.search(found["old"], lines[n - 1]):
            return None  # the substitution does change that line
    except re.error:
        return None
    fixed = f"sed -i {shlex.quote(f'{n}s/.*/{text}/')} {shlex.quote(name)}"
    return fixed, f"fixed here: .* is the whole of line {n} (it holds no {found['old']!r})"


_REVERSED_COPY = re.compile(
    r"\bcopy\s+of\s+" + _FILE + r"\s+(?:called|named)\s+(?P<new>[\w.-]+)\b.*\breverse"
    r"|\bcopy\s+of\s+"
    + _FILE.replace("file>", "file2>")
    + r".*\breverse.*\b(?:called|named|into|to)\s+(?P<new2>[\w.-]+\.\w+)\s*$",
    re.IGNORECASE,
)


def reversed_copy_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``tac list.txt > rev.txt`` for ``cp list.txt rev.txt && sort -r rev.txt``.

    "a copy of list.txt called rev.txt with the lines in reverse order": ``sort -r`` sorts
    them backwards by their text (and here only printed them); ``tac`` turns them round.
    """
    asked = _REVERSED_COPY.search(request)
    if (
        asked is None
        or "tac " in command
        or re.search(r"\bsort(?:ed|ing)?\b|alphabetic|descending", request, re.I)
    ):
        return None
    name, new = asked["file"] or asked["file2"], asked["new"] or asked["new2"]
    if not here.lines(name) or "sort -r" not in command:
        return None
    fixed = f"tac {shlex.quote(name)} > {shlex.quote(new)}"
    return fixed, "fixed here: tac turns the lines round (sort -r sorts them by their text)"


_SEVERAL_LINES = re.compile(
    r"^\s*(?:please\s+)?(?:write|put|save)\s+(?:the\s+)?(?:(?P<count>\w+)\s+)?lines\s+"
    r"(?P<items>[\w.-]+(?:\s*,\s*[\w.-]+)*,?\s+and\s+[\w.-]+)\s+(?:in|into|to)\s+"
    + _FILE
    + r"\s*$",
    re.IGNORECASE,
)


def several_lines_fix(command: str, request: str) -> tuple[str, str] | None:
    r"""``printf '%s\n' a b c > abc.txt`` for ``echo "a" > abc.txt``: "the lines a, b and c"."""
    asked = _SEVERAL_LINES.match(request)
    if asked is None:
        return None
    items = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", asked["items"].strip())
    count = asked["count"]
    if count and count.lower() in NUMBER_WORDS and NUMBER_WORDS.index(count.lower()) != len(items):
        return None
    words = command.split()
    if all(item in words or f'"{item}"' in words or f"'{item}'" in words for item in items):
        return None
    quoted = " ".join(shlex.quote(i) for i in items)
    fixed = f"printf '%s\\n' {quoted} > {shlex.quote(asked['file'])}"
    return fixed, f"fixed here: printf writes each of the {len(items)} lines"


_TRAILING_ASKED = re.compile(r"\btrailing\s+(?:spaces|whitespace|blanks)\b", re.IGNORECASE)


def trailing_blanks_fix(command: str, request: str) -> tuple[str, str] | None:
    """``sed -i 's/[[:space:]]*$//' f`` for ``sed -i 's/ $//' f``, which removes one space.

    Called before the in-place fix (``cmdai.sure_fixes``), whose ``-i`` it adds itself.
    """
    if not _TRAILING_ASKED.search(request):
        return None
    found = list(re.finditer(r"s/ \$//", command))
    stages = command_stages(command)
    if len(found) != 1 or not stages or stages[0][0] != "sed":
        return None
    match = found[0]
    fixed = command[: match.start()] + "s/[[:space:]]*$//" + command[match.end() :]
    note = "[[:space:]]*$ is every blank at a line's end (' $' is one space)"
    if printed_edits(analyse(fixed), request):  # the in-place fix, made here in the same pass
        fixed, note = re.sub(r"^(\s*sed)(?=\s)", r"\1 -i", fixed, count=1), note + "; sed -i"
    return fixed, f"fixed here: {note}"


_TWICE_ASKED = re.compile(
    r"^\s*(?:print|show|output)\s+(?:every|each)\s+line\s+of\s+" + _FILE + r"\s+twice\s*$",
    re.IGNORECASE,
)


def twice_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``sed p list.txt`` for ``cat list.txt | xargs -I {} echo "{}"``, each line once."""
    asked = _TWICE_ASKED.match(request)
    if asked is None or re.search(r"\bsed\s+(?:-\w+\s+)*'?p'?\b|print\s*;\s*print", command):
        return None
    name = asked["file"]
    if not here.lines(name):
        return None
    fixed = f"sed p {shlex.quote(name)}"
    return fixed, "fixed here: sed p prints each line once more"

"""Sure fixes from the tenth by-hand round (a book's manuscript): what a text is counted in.

Also which files a glob hands a reading tool, and wc's total line kept out of a sorted list.

Each returns the fixed command with a ``fixed here:`` note, or None. The word and total fixes
are sure fixes of a draft that shows and changes nothing (``cmdai.sure_fixes``); the glob fix
is a path fix (``cmdai.path_fixes``), made first so that the other fixes read the real files.
"""

from __future__ import annotations

import itertools
import re
import shlex
from typing import TYPE_CHECKING

from cmdai.operands import VALUED, operand_words, pattern_given
from cmdai.pitfalls import several_files
from cmdai.stages import command_stages, replace_once, short_flags

if TYPE_CHECKING:
    from cmdai.pitfalls import Here
    from cmdai.shellparse import Analysis

# "count the words", "how many words", "the word count", "number of words"
_WORDS_ASKED = re.compile(
    r"\bword\s*counts?\b|\b(?:count|number|how\s+many)\b(?:\s+(?:the|of|all))?\s+words\b",
    re.IGNORECASE,
)
_LINES = re.compile(r"\blines?\b", re.IGNORECASE)


def word_count_fix(command: str, request: str) -> tuple[str, str] | None:
    """``wc -w`` for ``wc -l`` when the request counts words, not lines.

    "show the word count of the whole book" was answered ``wc -l book.md``. Only where ``wc``
    reads the files itself or through ``cat``: after ``grep -o`` or ``tr`` a line is a word.
    """
    if not _WORDS_ASKED.search(request) or _LINES.search(request):
        return None
    stages = command_stages(command)
    for i, stage in enumerate(stages):
        if stage[:1] != ["wc"]:
            continue
        if short_flags(stage) != "l" or any(s[:1] != ["cat"] for s in stages[:i]):
            return None
        fixed = replace_once(command, r"(?<![\w-])wc\s+-l(?=\s|$)", "wc -w")
        if fixed is None:
            return None
        return fixed, "fixed here: wc -w counts words (-l counts lines)"
    return None


# Tools that read the files they are given and refuse a folder ("Is a directory").
_FILE_READERS = frozenset(
    ("wc", "cat", "head", "tail", "nl", "sort", "tac", "md5sum", "sha256sum", "sha1sum")
)


def folder_glob_fix(command: str, analysis: Analysis, here: Here) -> tuple[str, str] | None:
    """``wc -l chapters/*`` for ``wc -l chapter*``, where the glob matches only that folder.

    The model guessed files named like the folder (``chapter1.md``...); the glob then hands
    ``wc`` the folder, which it refuses. Only when the folder holds files and no folders.
    """
    for simple in analysis.commands:
        argv = simple.argv
        if not argv or argv[0] not in _FILE_READERS:
            continue
        for word in argv[1:]:
            if word.startswith("-") or not any(c in word for c in "*?["):
                continue
            matched = here.expand(word)
            if len(matched) != 1 or not here.is_dir(matched[0]) or here.has_folders(matched[0]):
                continue
            folder = matched[0].rstrip("/")
            spelled = r"(?<![\w./*?-])" + re.escape(word) + r"(?![\w./*?-])"
            fixed = replace_once(command, spelled, f"{folder}/*")
            if fixed is not None:
                return fixed, f"fixed here: {word} is only the folder {folder}, not its files"
    return None


def total_sorted_fix(command: str) -> tuple[str, str] | None:
    """``wc -l FILES | grep -v ' total$' | sort -rn``: wc's total line kept out of the order.

    "which chapter is the longest" was answered ``wc -l chapters/* | sort -rn | head -n 1``,
    which shows the total of every chapter, on top. (The ``header:`` pitfall names it.)
    """
    pairs = [
        (a, b)
        for a, b in itertools.pairwise(command_stages(command))
        if (a[0], b[0]) == ("wc", "sort")
    ]
    if len(pairs) != 1 or not several_files(pairs[0][0]):
        return None
    fixed = replace_once(command, r"(?<![\w-])(wc\s[^|;&]*?)\s*\|\s*(?=sort\b)", _total_out)
    if fixed is None:
        return None
    return fixed, "fixed here: grep -v ' total$' keeps wc's total line out of the order"


def _total_out(match: re.Match[str]) -> str:
    return f"{match.group(1)} | grep -v ' total$' | "


_REPEATED_BLANKS = re.compile(
    r"\b(?:repeated|consecutive|multiple|double|duplicate|extra)\s+(?:blank|empty)\s+lines\b",
    re.IGNORECASE,
)
_REMOVE_ASKED = re.compile(r"^\s*(?:please\s+)?(?:remove|delete|squeeze|collapse|drop)\b", re.I)
_EVERY_BLANK = r"""(['"])/\^\$/d\1"""


def squeeze_blanks_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    r"""``sed '/^$/N;/^\n$/D' F`` for ``sed '/^$/d' F`` when only the repeats are to go.

    "remove the repeated blank lines in chapter 3" was answered ``sed '/^$/d'``, which removes
    every blank line, paragraphs' breaks too. The squeeze keeps one of each run. A request to
    remove them, with nothing piped or redirected, changes the file itself (``-i``).
    """
    if not _REPEATED_BLANKS.search(request) or len(analysis.commands) != 1:
        return None
    argv = analysis.commands[0].argv
    if argv[:1] != ("sed",) or "/^$/d" not in argv:
        return None
    in_place = "i" in short_flags(argv) or "--in-place" in argv
    edit = not in_place and _REMOVE_ASKED.search(request) and not analysis.redirects
    fixed = replace_once(
        command,
        r"^sed\s+" + _EVERY_BLANK,
        "sed -i '/^$/N;/^\\n$/D'" if edit else "sed '/^$/N;/^\\n$/D'",
    )
    if fixed is None:
        fixed = replace_once(command, _EVERY_BLANK, "'/^$/N;/^\\n$/D'")
    if fixed is None:
        return None
    how = ", in the file itself" if edit else ""
    return fixed, f"fixed here: /^$/N;/^\\n$/D keeps one blank line of each run{how}"


def grep_prefix_fix(command: str) -> tuple[str, str] | None:
    """``grep -h`` where grep reads several files into an ``awk`` that measures or splits lines.

    Given several files, grep puts ``FILE:`` before each line it prints, so ``length($0) > 80``
    counts the name too and ``$1`` is ``FILE:word`` ("show the lines longer than 80 characters
    in the chapters"). Not when awk splits on ``:`` (it reads the name on purpose).
    """
    stages = command_stages(command)
    pairs = [
        (a, b) for a, b in itertools.pairwise(stages) if a[:1] == ["grep"] and b[:1] == ["awk"]
    ]
    if len(pairs) != 1:
        return None
    grep, awk = pairs[0]
    flags = short_flags(grep)
    files = operand_words(grep[1:], VALUED["grep"])[0 if pattern_given(grep) else 1 :]
    if set(flags) & set("hlLcrRqsHZ") or not several_files(["grep", *files]):
        return None
    program = " ".join(w for w in awk[1:] if not w.startswith("-"))
    if any(w.startswith("-F") or w.startswith("--field-separator") for w in awk[1:]):
        return None
    if not re.search(r"\blength\b|\$[1-9]", program):
        return None
    fixed = replace_once(command, r"(?<![\w-])grep(?=\s)", "grep -h")
    if fixed is None:
        return None
    return fixed, "fixed here: grep -h, so that awk reads each line without its file's name"


# "number the lines of notes.txt", "show notes.txt with line numbers", "print it numbered"
_NUMBER_LINES = re.compile(
    r"\bnumber\s+(?:the\s+|all\s+(?:the\s+)?|each\s+|every\s+)?lines?\b"
    r"|\b(?:with|add|show|print)\s+(?:the\s+)?line\s+numbers?\b|\bnumbered\b",
    re.IGNORECASE,
)


def numbered_lines_fix(command: str, request: str) -> tuple[str, str] | None:
    """``cat -n notes.txt`` for ``sed -n '=p' notes.txt`` when the lines are to be numbered.

    sed's ``=`` prints each number on a line of its own, above its line; a ``cat`` without
    ``-n`` numbers nothing. Only for one command over one file that does nothing else.
    """
    if not _NUMBER_LINES.search(request):
        return None
    stages = command_stages(command)
    if len(stages) != 1 or stages[0][0] not in ("sed", "cat"):
        return None
    argv = stages[0]
    words = [w for w in argv[1:] if not w.startswith("-")]
    if argv[0] == "sed":
        if len(words) != 2 or not re.fullmatch(r"(?:=|p|;|\s)+", words[0]) or "=" not in words[0]:
            return None
        words = words[1:]
    elif set(short_flags(argv)) & set("nb") or len(words) != 1 or len(argv) != 2:
        return None
    if len(words) != 1:
        return None
    fixed = f"cat -n {shlex.quote(words[0])}"
    return fixed, "fixed here: cat -n prints each line after its number"


_LONGEST_LINE = re.compile(r"\blongest\s+lines?\b", re.IGNORECASE)
_LENGTH_ASKED = re.compile(
    r"\b(?:length|lengths|how\s+long|how\s+many|characters|chars|size|number)\b", re.IGNORECASE
)


def longest_line_fix(command: str, request: str) -> tuple[str, str] | None:
    """The longest line itself, for an ``awk`` or ``wc -L`` that prints its length.

    "print the longest line in notes.txt" was answered ``awk '... {if (length > max)
    max=length} END {print max}'``: a number. Only when the request asks for no length.
    """
    if not _LONGEST_LINE.search(request) or _LENGTH_ASKED.search(request):
        return None
    stages = command_stages(command)
    if len(stages) != 1:
        return None
    argv = stages[0]
    if argv[0] == "wc" and short_flags(argv) == "L":
        files = argv[2:]
    elif argv[0] == "awk" and len(argv) >= 3 and not argv[1].startswith("-"):
        printed = re.search(r"\bEND\s*\{\s*print\s+(\w+)\s*;?\s*\}", argv[1])
        if printed is None or not re.search(rf"\b{printed[1]}\s*=\s*length\b", argv[1]):
            return None
        files = argv[2:]
    else:
        return None
    if len(files) != 1 or files[0].startswith("-"):
        return None
    program = "length > max {max = length; line = $0} END {print line}"
    fixed = f"awk '{program}' {shlex.quote(files[0])}"
    return fixed, "fixed here: the longest line is printed, not its length"

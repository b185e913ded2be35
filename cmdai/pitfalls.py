"""Pitfalls: drafts that run cleanly, look right, and do the wrong thing.

Each check reads the parsed command (and, where it says so, the request's words or the first
line of the files the command names) and returns notes that start with a label (``sort:``,
``header:``...). A note proves the draft wrong here: ``cmdai.core`` asks the request again
with it (``cmdai.checks.PROVEN_WRONG``), and shows it as a warning when the second answer is
no better.
Most were found by trying cmdai by hand, not on an evaluation split (docs/accuracy.md).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from cmdai.operands import (
    VALUED,
    bare_words,
    only_folders,
    operand_words,
    patternless_grep,
    patterns_as_files,
    unmatched_globs,
)
from cmdai.stages import adjacent_stages, short_flags
from cmdai.titles import header_pitfalls, titles_killed

if TYPE_CHECKING:
    from cmdai.shellparse import Analysis

EXEC_OPTIONS = frozenset({"-exec", "-execdir", "-ok", "-okdir"})
"""``find`` options that run another utility named among their arguments."""


def pitfalls(analysis: Analysis, request: str = "", here: Here | None = None) -> list[str]:
    """Every pitfall note for a parsed command, in a stable order.

    ``request`` lets the counting check read the number asked for; ``here`` lets the
    separator and directory checks look at the files the command names.
    """
    notes = [
        *clobbered_inputs(analysis),
        *sort_pitfalls(analysis),
        *header_pitfalls(analysis, request),
        *titles_killed(analysis),
        *counted_listing(analysis),
        *totals_sorted(analysis),
        *pattern_pitfalls(analysis),
        *copied_into_itself(analysis),
        *patternless_grep(analysis),
    ]
    if here is not None:
        notes += [
            *separator_pitfalls(analysis, here),
            *titles_averaged(analysis, here),
            *directory_pitfalls(analysis, here),
            *unvisited_folders(analysis, request, here),
            *unmatched_globs(analysis, request, here),
            *patterns_as_files(analysis, here),
        ]
    return notes + refused_options(analysis)


_TRUNCATING = frozenset({">", ">|", "&>"})


def clobbered_inputs(analysis: Analysis) -> list[str]:
    """Warnings for a command that writes over a file it reads (``sort f > f``).

    The shell empties the target of ``>`` before the command starts, so the command reads an
    empty file and the original content is lost.
    """
    found = []
    for simple in analysis.commands:
        reads = set(simple.argv[1:])
        for redirect in simple.redirects:
            if redirect.operator in _TRUNCATING and redirect.target in reads:
                found.append(
                    f"output: {redirect.operator} {redirect.target} empties {redirect.target} "
                    f"before {simple.argv[0]} reads it (its content would be lost)"
                )
    return found


def _has_option(argv: Sequence[str], letter: str, long: str) -> bool:
    """Whether ``argv`` gives the short option ``letter`` (alone or grouped) or ``long``."""
    return letter in short_flags(argv) or any(w.startswith(long) for w in argv[1:])


def _long_listing(argv: Sequence[str]) -> bool:
    """``ls -l``'s lines (permissions first): ``ls -l``, ``find -exec ls -l``, ``find -ls``."""
    if argv[0] == "ls":
        return "l" in short_flags(argv)
    if argv[0] != "find":
        return False
    if "-ls" in argv:
        return True
    return any(
        word in EXEC_OPTIONS and argv[i + 1 : i + 2] == ["ls"] and _long_listing(argv[i + 1 :])
        for i, word in enumerate(argv)
    )


def sort_pitfalls(analysis: Analysis) -> list[str]:
    """Warnings for the classic ways a pipeline into ``sort`` sorts by the wrong thing.

    ``ls -l | sort`` (or ``find -exec ls -l``, ``find -ls``) without a key sorts whole lines,
    which start with the permissions, not the size; ``du -h | sort -n`` reads 1.5G as 1.5,
    below 200K. They look right and run cleanly.
    """
    found: list[str] = []
    for before, after in adjacent_stages(analysis):
        if after[0] != "sort":
            continue
        flags, words = short_flags(after), after[1:]
        keyed = _has_option(after, "k", "--key")
        if before[0] == "find" and _long_listing(before) and not keyed:
            first = "the inode number" if "-ls" in before else "the permissions"
            message = (
                f"sort: these lines start with {first}, so sort without -k orders them by "
                "that, not by size (find -printf '%s %p\\n' prints each file's size first)"
            )
        elif _long_listing(before) and not keyed:
            message = (
                "sort: ls -l lines start with the permissions, so sort without -k orders "
                "them by those, not by size or date (ls -S sorts by size, ls -t by time)"
            )
        elif (
            before[0] == "du"
            and "h" in short_flags(before)
            and "n" in flags
            and "h" not in flags
            and "--human-numeric-sort" not in words
        ):
            message = "sort: -n reads du -h's 1.5G as 1.5, below 200K; sort -h orders those"
        else:
            continue
        if message not in found:
            found.append(message)
    return found


def several_files(argv: Sequence[str]) -> bool:
    """Whether a tool is given more than one file, or a glob (``wc -l *.csv``, ``du a b``)."""
    names = [w for w in argv[1:] if not w.startswith("-")]
    return len(names) > 1 or any(c in w for w in names for c in "*?[")


def totals_sorted(analysis: Analysis) -> list[str]:
    """``wc -l *.csv | sort -rn``: wc's own ``total`` line sorts in with the files (on top)."""
    for before, after in adjacent_stages(analysis):
        if before[0] == "xargs":  # xargs hands wc many names
            before = [*itertools.dropwhile(lambda w: w.startswith("-"), before[1:]), "*"]
        if not before or before[0] != "wc" or after[0] != "sort":
            continue
        if several_files(before):
            return [
                "header: wc prints a 'total' line after the files, and sort puts it among them "
                "(on top of a largest-first list; grep -v ' total$' leaves it out)"
            ]
    return []


def counted_listing(analysis: Analysis) -> list[str]:
    """``ls -l DIR | wc -l``: the long listing's ``total`` line counted as a file.

    ``ls -l`` of a directory starts with ``total N``, and ``-a`` adds ``.`` and ``..``; read
    only where ``ls`` lists a directory (no operand, or one ending in ``/``).
    """
    for before, after in adjacent_stages(analysis):
        if before[0] != "ls" or after[0] != "wc" or "l" not in short_flags(after):
            continue
        flags = short_flags(before)
        operands = [w for w in before[1:] if not w.startswith("-")]
        if "l" not in flags or not all(w.endswith("/") for w in operands):
            continue
        extra = " and -a adds . and .." if "a" in flags else ""
        return [
            f"header: ls -l prints a 'total' line before the files{extra}, so wc -l counts "
            f"too many (ls{' -A' if 'a' in flags else ''} lists one name a line into a pipe)"
        ]
    return []


_PERL_ONLY = re.compile(r"\\d|\\D|\(\?(?:<?[=!]|:)")
"""Perl's regular-expression syntax that grep's basic and extended patterns and sed lack."""


def _perl_patterns(argv: Sequence[str]) -> bool:
    r"""Whether a grep (without -P) or sed word uses Perl-only syntax (``\d``, ``(?<=``)."""
    if argv[0] in ("grep", "egrep", "fgrep"):
        if _has_option(argv, "P", "--perl-regexp"):
            return False
    elif argv[0] != "sed":
        return False
    return any(_PERL_ONLY.search(w) for w in argv[1:] if not w.startswith("--"))


def pattern_pitfalls(analysis: Analysis) -> list[str]:
    r"""Warnings for patterns and formats that look right and can never do what they say.

    ``grep '\d+'`` matches a literal d, not a digit (only ``grep -P`` reads Perl's syntax;
    GNU grep prints nothing, at most a warning); ``find -type d -printf '%s'`` prints each
    directory's own entry size (4096), not the size of what is in it.
    """
    found: list[str] = []
    for simple in analysis.commands:
        argv = simple.argv
        if not argv:
            continue
        if _perl_patterns(argv):
            perl = "" if argv[0] == "sed" else "; grep -P reads Perl patterns"
            found.append(
                f"regex: {argv[0]} does not read Perl's \\d or (?...) syntax, so the pattern "
                f"never matches as meant ([0-9] is a digit{perl})"
            )
        if (
            argv[0] == "find"
            and "d" in _values(argv, "-type")
            and any("%s" in v for v in _values(argv, "-printf"))
        ):
            found.append(
                "find: -printf %s of a directory is the size of its own entry (4096 bytes), "
                "not of the files in it (du -s adds those up)"
            )
        if argv[0] == "find" and _unended_exec(argv):
            found.append(
                "find: -exec needs a \\; or + after its command, so find refuses this and "
                "prints nothing (find ... -exec CMD {} \\; runs CMD once per file)"
            )
    return list(dict.fromkeys(found))


def _unended_exec(argv: Sequence[str]) -> bool:
    """Whether a ``find -exec`` (or ``-execdir``, ``-ok``) has no ``;`` or ``+`` after it."""
    starts = [i for i, w in enumerate(argv) if w in EXEC_OPTIONS]
    return any(not {";", "+"}.intersection(argv[i + 1 :]) for i in starts)


def _values(argv: Sequence[str], option: str) -> list[str]:
    """The words that follow each ``option`` in ``argv``."""
    return [argv[i + 1] for i, w in enumerate(argv[:-1]) if w == option]


class Here(Protocol):
    """Read-only looks at the files a command names (``cmdai.context.Workdir``)."""

    def first_line(self, name: str) -> str | None:
        """The first line of the text file ``name`` (None: no such text file here)."""

    def is_dir(self, name: str) -> bool:
        """Whether ``name`` is a directory here."""

    def has_folders(self, name: str) -> bool:
        """Whether the directory ``name`` here holds directories."""

    def exists(self, name: str) -> bool:
        """Whether an entry ``name`` exists here."""

    def is_link(self, name: str) -> bool:
        """Whether ``name`` here is a symbolic link (its target there or not)."""

    def named_folders(self, request: str) -> list[str]:
        """The folders here that ``request`` names (as ``cmdai.context`` reads names)."""

    def executable(self, name: str) -> bool:
        """Whether ``name`` here is a file this user may run."""

    def holds_only_folders(self, name: str) -> bool:
        """Whether the directory ``name`` here holds folders and no files."""

    def only_below(self, pattern: str) -> list[str]:
        """Files below that match ``pattern`` when no entry here does (empty otherwise)."""

    def below(self, pattern: str) -> list[str]:
        """Files in folders below whose names match the glob ``pattern``."""

    def expand(self, word: str) -> list[str]:
        """The entries here that the glob ``word`` expands to, as bash would (a few)."""

    def lines(self, name: str) -> list[str] | None:
        """The lines of the small text file ``name`` here (None: none such, or too big)."""

    def members(self, name: str) -> frozenset[str] | None:
        """The member names of the tar or zip archive ``name`` here (None: none such)."""

    def database_with(self, table: str) -> str | None:
        """The one SQLite database here with a table called ``table`` (None: none, or several)."""

    def git_refs(self) -> frozenset[str]:
        """The branch and tag names of the git repository here (empty: none)."""

    def in_repository(self) -> bool:
        """Whether a git repository holds this folder."""

    def folders_named(self, name: str) -> list[str]:
        """The folders below called ``name``, vendored ones included (a few levels down)."""


def unvisited_folders(analysis: Analysis, request: str, here: Here) -> list[str]:
    """A folder here that the request names and the command never mentions.

    Found by hand: "show the largest 3 files in logs" answered ``ls -S | head -n 3``, which
    lists this directory. Mentioned means anywhere in the command's code, as a path word of
    its own (``logs``, ``./logs/*.log``, ``cd logs``, ``-path '*/logs/*'``).
    """
    if not request:
        return []
    for name in here.named_folders(request):
        if not mentions(analysis, name):
            return [f"folder: {name} is a folder here, and the command must look in {name}"]
    return []


def mentions(analysis: Analysis, name: str) -> bool:
    """Whether the command's code names ``name`` as a path word of its own (``./logs/*``)."""
    word = re.escape(name.rstrip("/"))
    return re.search(rf"(?<![\w.-]){word}(?![\w.-])", " ".join(analysis.sources)) is not None


AWK_FIELD = re.compile(r"\$(?:[1-9]\d*|NF)\b")


def separator(line: str | None) -> str | None:
    """The character that separates a line's fields when it is not blanks (``,`` or ``;``)."""
    if not line or " " in line or "\t" in line:
        return None
    return next((c for c in ",;" if c in line), None)


def awk_parts(argv: Sequence[str]) -> tuple[bool, str, list[str]] | None:
    """Whether ``awk`` sets its separator, its program, and the files it reads."""
    sets_fs, i = False, 1
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "-":
        word = argv[i]
        if word == "-f":
            return None  # the program is in a file
        assigns_fs = word in ("-v", "--assign") and argv[i + 1 : i + 2][:1] != []
        if word.startswith(("-F", "--field-separator")) or (
            assigns_fs and argv[i + 1].startswith("FS=")
        ):
            sets_fs = True
        if word in ("-F", "-v", "--field-separator", "--assign"):
            i += 1
        i += 1
    if i >= len(argv):
        return None
    program = argv[i]
    sets_fs = sets_fs or "FS" in program
    return sets_fs, program, [w for w in argv[i + 1 :] if "=" not in w]


def separator_pitfalls(analysis: Analysis, here: Here) -> list[str]:
    """Warnings for splitting a comma-separated file on the wrong separator.

    awk and ``sort -k`` split fields on blanks and ``cut -f`` on tabs unless told otherwise,
    so on a file whose first line is ``id,name,score`` awk's ``$3`` is empty, ``cut -f2``
    prints whole lines and ``sort -k3 -n`` sorts by nothing. The files are the ones the
    command names, read here (their first line only).
    """
    found: list[str] = []
    for simple in analysis.commands:
        argv = simple.argv
        if not argv or argv[0] not in ("awk", "gawk", "mawk", "cut", "sort"):
            continue
        inputs = [r.target for r in simple.redirects if r.operator == "<"]
        if argv[0] == "cut":
            if _has_option(argv, "d", "--delimiter") or not _has_option(argv, "f", "--fields"):
                continue
            files = [w for w in argv[1:] if not w.startswith("-") and not w[:1].isdigit()]
            advice = "cut -f splits on tabs, so it prints whole lines (cut -d{sep} -f2)"
        elif argv[0] == "sort":
            if _has_option(argv, "t", "--field-sep") or not _has_option(argv, "k", "--key"):
                continue
            files = operand_words(argv[1:], ("-k", "--key", "-o", "--output", "-T", "-S"))
            advice = "sort -k counts blank-separated fields, so its key is wrong (sort -t{sep} -k2)"
        else:
            parts = awk_parts(argv)
            if parts is None or parts[0] or not AWK_FIELD.search(parts[1]):
                continue
            files = parts[2]
            advice = "awk without -F splits on blanks, so its fields are wrong (awk -F{sep})"
        for name in [*files, *inputs]:
            sep = separator(here.first_line(name))
            if sep is not None:
                found.append(
                    f"fields: {name}'s fields are separated by '{sep}', but "
                    + advice.format(sep=sep)
                )
                break
    return list(dict.fromkeys(found))


DIVIDES_BY_NR = re.compile(r"/(\s*)NR\b")
SKIPS_A_LINE = re.compile(r"\b(?:F?NR\s*(?:>|!=|>=\s*2)|next\b)")


def is_titles(line: str | None) -> bool:
    """Whether a file's first line is column titles: two fields or more, and no digit."""
    if not line or any(c.isdigit() for c in line) or not any(c.isalpha() for c in line):
        return False
    return len(re.split(r"[,;\t ]+", line.strip())) > 1


def titles_averaged(analysis: Analysis, here: Here) -> list[str]:
    """An awk mean over a file with a title line that divides by ``NR``.

    ``awk -F, '{s += $3} END {print s/NR}' scores.csv`` adds nothing for the titles but counts
    them, so the mean comes out too small. Read here: the first line of the files it names.
    """
    for simple in analysis.commands:
        argv = simple.argv
        parts = awk_parts(argv) if argv[:1] in (("awk",), ("gawk",), ("mawk",)) else None
        if parts is None or not DIVIDES_BY_NR.search(parts[1]) or SKIPS_A_LINE.search(parts[1]):
            continue
        for name in parts[2]:
            if is_titles(here.first_line(name)):
                return [
                    f"header: the first line of {name} is column titles, and NR counts it, so "
                    "the mean is too small (NR > 1 {...} skips it; divide by NR - 1)"
                ]
    return []


_RECURSIVE = {
    "cp": ("r", "R", "a", "--recursive", "--archive"),
    "scp": ("r",),
    "zip": ("r", "--recurse-paths"),
    "rm": ("r", "R", "d", "--recursive", "--dir"),
    "grep": ("r", "R", "--recursive", "--dereference-recursive", "--directories=recurse"),
}
"""Tools that refuse or skip a directory argument unless told to recurse, and how."""


def copied_into_itself(analysis: Analysis) -> list[str]:
    """``cp -r data/ data/backup``: cp and mv refuse a folder copied or moved into itself."""
    found: list[str] = []
    for simple in analysis.commands:
        argv = simple.argv
        if not argv or argv[0] not in ("cp", "mv") or "-t" in argv:
            continue
        operands = operand_words(argv[1:], ("-S", "--suffix"))
        if len(operands) < 2:
            continue
        target = operands[-1].rstrip("/")
        for source in operands[:-1]:
            folder = source.rstrip("/")
            if folder and folder not in (".", "..") and target.startswith(folder + "/"):
                found.append(
                    f"dir: {argv[0]} cannot put {folder} inside itself ({target}); the "
                    f"new name must be beside {folder}, not inside it"
                )
    return found


def directory_pitfalls(analysis: Analysis, here: Here) -> list[str]:
    """Warnings for a directory here given to a tool that skips it without ``-r``.

    ``zip src.zip src`` stores the folder's entry and none of its files; ``cp src backup``,
    ``rm src`` and ``grep x src`` refuse it with an error.
    """
    found: list[str] = []
    bare = bare_words(analysis)
    moved = any(s.argv[:1] in (("cd",), ("pushd",)) for s in analysis.commands)
    for simple in analysis.commands:
        argv = simple.argv
        if not argv or argv[0] not in _RECURSIVE:
            continue
        flags, words = short_flags(argv), argv[1:]
        if any(o in words if o.startswith("--") else o in flags for o in _RECURSIVE[argv[0]]):
            continue
        operands = operand_words(words, VALUED.get(argv[0], ()))
        if argv[0] == "grep" and not any(
            w in ("-e", "-f") or w.startswith("--regexp") for w in words
        ):
            operands = operands[1:]  # the pattern
        elif argv[0] in ("cp", "scp"):
            operands = operands[:-1]  # the destination may well be a directory
        elif argv[0] == "zip":
            operands = operands[1:]  # the archive
        folder = next((w for w in operands if here.is_dir(w.rstrip("/") or "/")), None)
        if folder is None and not moved:
            # `grep -n x src/*` where src holds only folders: bash hands grep folders alone.
            folder = next(iter(only_folders(operands, bare, here)), None)
        if folder is not None:
            found.append(
                f"dir: {folder} is a directory, and {argv[0]} without -r "
                + ("stores only the folder, not its files" if argv[0] == "zip" else "skips it")
                + f" ({argv[0]} -r)"
            )
    return list(dict.fromkeys(found))


def refused_options(analysis: Analysis) -> list[str]:
    """Option combinations the tool refuses (it prints nothing and exits 1).

    ``du -sh --max-depth=1``, the usual draft for "disk usage of each subfolder": GNU du
    says "summarizing conflicts with --max-depth=1" and lists nothing.
    """
    found: list[str] = []
    for simple in analysis.commands:
        argv = simple.argv
        if not argv or argv[0] != "du":
            continue
        summarize = _has_option(argv, "s", "--summarize")
        depth = None  # --max-depth=N, --max-depth N, -d N or -dN; the last one counts
        for i, word in enumerate(argv):
            if word.startswith(("--max-depth=", "-d=")):
                depth = word.split("=", 1)[1]
            elif word in ("-d", "--max-depth") and i + 1 < len(argv):
                depth = argv[i + 1]
            elif word.startswith("-d") and word[2:].isdigit():
                depth = word[2:]
        if summarize and depth not in (None, "0"):
            message = (
                f"du: -s (summarize) conflicts with --max-depth={depth}: du refuses it and lists "
                f"nothing (du -h --max-depth={depth} lists each folder)"
            )
            if message not in found:
                found.append(message)
    return found

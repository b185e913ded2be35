"""What the request asks for in so many words, and a draft can visibly miss.

Notes, each proving a draft wrong (``cmdai.core`` asks the request again with it):
``tool:`` the request names the program to use and the command does not run it ("download it
with wget" answered with curl; ``(with uv build)``, tldr-pages' style, answered ``uvbuild``);
``edit:`` the request says to replace text in a file and ``sed`` only prints the changed text;
``order:`` and ``direction:`` (``cmdai.ordering``) the lines' order or the end of it;
``count:`` it asks for N lines and ``tail`` or ``head`` shows ten, or for the lines in files
and ``find | wc -l`` counts the files; ``empty:`` it asks for an
empty file and gets one blank line; ``size:`` it asks for the biggest folders and gets
``ls -S``; ``action:`` it says to extract (delete, copy...) files and ``find`` only prints
them; ``total:`` it asks for a total size and ``du`` prints one per file; ``compare:`` it
asks for files over a size or within a time and ``ls | grep`` matches text; ``depth:`` it
asks for the files below here and ``ls`` lists one folder; ``delete:`` it asks for nothing to
go and the command deletes.
A request that names its program is also never answered "not a shell task".
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cmdai.git_requests import git_verb_missed, message_searched
from cmdai.ordering import listing_order, reordered, wanted_end, wrong_end
from cmdai.pitfalls import several_files
from cmdai.stages import adjacent_stages, short_flags

if TYPE_CHECKING:
    from cmdai.shellparse import Analysis

_NAME = r"([A-Za-z0-9](?:[\w.+-]*[\w+])?)"
"""A program's name: ``g++``, ``git-lfs``, ``python3.11``; not the full stop after it."""

# "(with jj squash)", "(using ffmpeg)": the program in parentheses, with its sub-command.
_NAMED_IN_PARENS = re.compile(r"\((?:with|using|via) `?" + _NAME + r"((?: [a-z][\w-]*)?)`?")
# "with `rg`", "use `fd`": a program in backticks.
_NAMED_IN_TICKS = re.compile(r"\b(?:with|using|via|run|use) `" + _NAME + "`")
# "using rsync", "via scp": an installed program; "with wget" only at the end of a phrase,
# since "with" starts so many descriptions ("files with spaces in their names").
_NAMED_USING = re.compile(r"\b(?:using|via) (?:the )?" + _NAME)
_NAMED_WITH = re.compile(
    r"\bwith (?:the )?" + _NAME + r"(?= *(?:$|[,.;:!?]| command| tool| utility| program))"
)
# Installed programs whose names are everyday words in requests ("using less memory", "files
# with the same name"), and the shell itself ("a loop using bash" runs no `bash`).
_NOT_PROGRAMS = frozenset(
    " ".join(
        (
            "at bash cat cut date dd expand file find head host id install ip join last less link",
            "make more name names nice no paste script sh shell size sort split stat sudo sum tail",
            "test time top touch tr users w watch which who yes zsh",
        )
    ).split()
)


# A path written out: `/tmp`, `~/notes`, `./build`, `../x` (not "and/or" or a URL's slashes).
_PATH = re.compile(r"(?:^|[\s'\"(`])(?:~|\.{1,2})?/[\w.-]")
# A shell variable written out: `$f`, `${name}`, `$HOME` (not a price: `$5`).
_VARIABLE = re.compile(r"\$\{?[A-Za-z_]")


_SUDO = re.compile(r"\bsudo\b", re.IGNORECASE)


def writes_shell_words(request: str) -> bool:
    """Whether the request writes out a path, a shell variable or sudo: it is a shell task.

    "Decompress and sort "$part0" and "$part1"..." (NL2Bash) had been declined as unclear,
    and "what am I allowed to run with sudo" as no shell task (``sudo -l``).
    """
    return any(p.search(request) for p in (_PATH, _VARIABLE, _SUDO))


def asked_program(request: str) -> str | None:
    """The program the request tells cmdai to use (with its sub-command in parentheses).

    ``(with jj squash)`` gives ``jj squash``; ``using rsync`` or ``with wget`` give the name
    only when it is installed here and is not an everyday word.
    """
    named = _NAMED_IN_PARENS.search(request)
    if named:
        return named.group(1) + named.group(2)
    named = _NAMED_IN_TICKS.search(request)
    if named:
        return named.group(1)
    for pattern in (_NAMED_USING, _NAMED_WITH):
        for match in pattern.finditer(request):
            name = match.group(1)
            if name.lower() not in _NOT_PROGRAMS and shutil.which(name) is not None:
                return name
    return None


def runs_program(analysis: Analysis, name: str) -> bool:
    """Whether the command runs ``name`` (``python3.11`` for ``python``) or hands it on.

    A word counts too (``tar --use-compress-program=zstd``): the check is that the program
    the user named is there, not how it is called.
    """
    for simple in analysis.commands:
        if not simple.argv:
            continue
        first = simple.argv[0]
        if first.startswith(name) and not first[len(name) :].strip("0123456789."):
            return True
        # (case aside: ``cmake -G Ninja`` builds with ninja)
        if any(
            w.lower() == name.lower() or w.endswith(("=" + name, "/" + name))
            for w in simple.argv[1:]
        ):
            return True
    return False


def program_missed(analysis: Analysis, request: str) -> list[str]:
    """The program the request names, when the command does not run it."""
    asked = asked_program(request)
    if asked is None or not analysis.commands:
        return []
    name = asked.split()[0]
    if runs_program(analysis, name):
        return []
    return [f"tool: the request asks for {asked}, and this command does not run {name}"]


def intent_pitfalls(analysis: Analysis, request: str) -> list[str]:
    """The notes for a draft that does not do what the request asks in so many words."""
    return [note for check in _CHECKS for note in check(analysis, request)]


# "replace X with Y in notes.txt", "change every foo to bar in config.ini", "remove the line
# for cache.internal from hosts.txt", "comment out the debug line in app.ini".
_EDIT_REQUEST = re.compile(
    r"^\s*(?:please\s+)?(?:replace|substitute|change|swap|comment|uncomment)\b"
    r"|^\s*(?:please\s+)?(?:remove|delete)\b.*\b(?:from|of)\s+(?:the\s+file\s+)?['\"]?"
    r"[\w~-][\w./~-]*\.\w+",
    re.IGNORECASE,
)
# ... unless the request asks to see the result or to write it somewhere else.
_NOT_IN_PLACE = re.compile(
    r"\b(?:show|print|display|output|preview|list|echo|save|write|into|as a new|copy)\b",
    re.IGNORECASE,
)


def _sed_files(argv: Sequence[str]) -> tuple[bool, list[str]]:
    """Whether a ``sed`` edits in place, and the files it reads."""
    in_place, script, files = False, False, []
    words = iter(argv[1:])
    for word in words:
        if word.startswith("--in-place") or (word[:1] == "-" and word[1:2] != "-" and "i" in word):
            in_place = True  # -i, -i.bak, -Ei
        if word in ("-e", "-f", "--expression", "--file"):
            script = True
            next(words, None)
        elif word.startswith(("--expression=", "--file=")):
            script = True
        elif not word.startswith("-"):
            if script:
                files.append(word)
            script = True  # the first operand is the script
    return in_place, files


def printed_edits(analysis: Analysis, request: str) -> list[str]:
    """A ``sed`` that prints the edited text when the request says to change the file.

    ``sed 's/foo/bar/g' notes.txt`` leaves notes.txt as it was; ``sed -i`` changes it. Not
    when the output goes anywhere (a redirection, a pipe, ``tee``) or the request asks to see
    or save the result.
    """
    if not _EDIT_REQUEST.search(request) or _NOT_IN_PLACE.search(request):
        return []
    if analysis.redirects or any(" | " in p for p in analysis.pipelines):
        return []
    words = set(re.findall(r"[\w./~-]+", request))
    found = []
    for simple in analysis.commands:
        if simple.depth or not simple.argv or simple.argv[0] != "sed":
            continue
        in_place, files = _sed_files(simple.argv)
        # the file as the request names it, or by its own name (site.css for web/css/site.css)
        named = [f for f in files if f in words or f.rsplit("/", 1)[-1] in words]
        if not in_place and named:
            found.append(
                f"edit: sed prints the changed text and leaves {named[0]} as it was "
                f"(sed -i changes {named[0]} itself)"
            )
    return found


_LINES_ASKED = re.compile(r"\b(last|first|top|bottom) (\d+) lines\b", re.IGNORECASE)


def uncounted(analysis: Analysis, request: str) -> list[str]:
    """A ``tail`` or ``head`` with no count when the request asks for a number of lines.

    ``tail -f app.log`` for "the last 20 lines of app.log, and keep following it" shows ten.
    """
    asked = _LINES_ASKED.search(request)
    if asked is None or asked.group(2) == "10":
        return []
    tool = "tail" if asked.group(1).lower() in ("last", "bottom") else "head"
    for simple in analysis.commands:
        argv = simple.argv
        if argv[:1] != (tool,):
            continue
        counted = any(
            w.startswith(("-n", "--lines", "-c", "--bytes")) or w[1:].isdigit() for w in argv[1:]
        )
        if not counted:
            n = asked.group(2)
            return [f"count: {tool} shows 10 lines, and the request asks for {n} ({tool} -n {n})"]
    return []


# "how many lines of python code", "count the lines in the .py files", "total line count".
_LINES_COUNTED = re.compile(
    r"\b(?:how many|number of|count(?:s|ing)?(?: of)?(?: the| all)?|total(?: number of)?) "
    r"(?:[\w.-]+ ){0,2}lines?\b|\blines? counts?\b|\blines of code\b",
    re.IGNORECASE,
)
_NAME_LISTERS = frozenset({"find", "ls", "locate", "fd", "fdfind"})
_NOT_NAMES = frozenset({"-exec", "-execdir", ";", "&&", "||", "|"})
# "count the lines of the output", "the number of lines of the listing": the names are meant.
_OUTPUT_COUNTED = re.compile(r"\b(?:output|listing|results?|names)\b", re.IGNORECASE)


def names_counted(analysis: Analysis, request: str) -> list[str]:
    """``find src -name '*.py' | wc -l`` for "how many lines of python code are in src".

    find and ls print one name a line, so ``wc -l`` counts the files, not the lines in them
    (found by hand). Only where the request counts lines and the names go straight to wc.
    """
    if not _LINES_COUNTED.search(request) or _OUTPUT_COUNTED.search(request):
        return []
    for before, after in adjacent_stages(analysis):
        if before[0] in _NAME_LISTERS and after[0] == "wc" and "l" in short_flags(after):
            if any(w in _NOT_NAMES or "`" in w or "$(" in w for w in before):
                continue  # find ... -exec cat {} +, ( find ...; cat ... ): the files are read
            return [
                f"count: {before[0]} prints one name a line, so wc -l counts the files, not the "
                f"lines in them (find ... -exec cat {{}} + | wc -l counts their lines)"
            ]
    return []


_EMPTY_ASKED = re.compile(r"\b(?:empty|clear|truncate|blank out|wipe the contents)\b", re.I)
_ECHO_NOTHING = frozenset({("echo",), ("echo", ""), ("echo", "-n", "")})


def not_emptied(analysis: Analysis, request: str) -> list[str]:
    """``echo "" > notes.md`` for "make notes.md empty": echo writes a newline, one blank line."""
    if not _EMPTY_ASKED.search(request):
        return []
    for simple in analysis.commands:
        if simple.argv in _ECHO_NOTHING and simple.argv[1:2] != ("-n",):
            for redirect in simple.redirects:
                if redirect.operator in (">", ">|"):
                    return [
                        f"empty: echo writes a newline, so {redirect.target} is left with one "
                        f"blank line, not empty (: > {redirect.target} empties it)"
                    ]
    return []


_FOLDERS = r"(?:sub)?(?:folders?|director(?:y|ies)|dirs?)"
# "the 3 biggest folders", "largest sub directories", "which folder here is the largest".
_FOLDER_SIZES = re.compile(
    rf"\b(?:largest|biggest|heaviest|smallest|tiniest)\s+(?:\w+\s+){{0,2}}{_FOLDERS}\b"
    rf"|\b{_FOLDERS}\s+(?:\w+\s+)?(?:is|are)\s+(?:the\s+)?(?:largest|biggest|smallest)\b",
    re.IGNORECASE,
)
# "the directories here sorted by size": an order of folders by size, no end picked.
_FOLDERS_BY_SIZE = re.compile(
    rf"\b{_FOLDERS}\s+(?:\w+\s+){{0,3}}(?:sorted|ordered|listed)?\s*by\s+(?:their\s+)?size\b",
    re.IGNORECASE,
)


def _folders_by_size(request: str) -> bool:
    """The folders are what is ordered, not where ("the files in this folder by size")."""
    for match in _FOLDERS_BY_SIZE.finditer(request):
        before = request[: match.start()].lower().split()[-2:]
        if not any(w in ("in", "inside", "of", "from", "under", "within") for w in before):
            return True
    return False


# `ls -l DIR | sort -k5 -nr`: a long listing ordered by its fifth column, the entry's size
LS_L_BY_SIZE = re.compile(
    r"ls\s+-(?P<flags>[A-Za-z]*l[A-Za-z]*)(?:\s+(?P<dir>[\w./~][\w./~-]*))?\s*\|\s*sort"
    r"(?=[^|]*\s-[a-z]*k\s*5\b)(?=[^|]*\s-[a-z]*n)(?:\s+(?:-[a-z]+(?:\s*5(?:,5)?)?|5(?:,5)?))+"
)


def ls_size_sorted(pipelines: tuple[str, ...] | list[str]) -> bool:
    """Whether a pipeline orders a long listing by its size column (``ls -l | sort -k5 -n``)."""
    return any(LS_L_BY_SIZE.search(p) for p in pipelines)


def folder_sizes(analysis: Analysis, request: str) -> list[str]:
    """``ls -S`` for "the 3 biggest folders": a folder's own entry is 4096 bytes, full or not."""
    by_end = _FOLDER_SIZES.search(request) and wanted_end(request, "size") is not None
    if not by_end and not _folders_by_size(request):
        return []
    for simple in analysis.commands:
        argv = simple.argv
        by_size = "S" in short_flags(argv) or "--sort=size" in argv
        if argv[:1] == ("ls",) and (by_size or ls_size_sorted(analysis.pipelines)):
            return [
                "size: ls -S orders folders by the size of their own entry (4096 bytes each), "
                "not by what is in them (du -s * | sort -nr adds that up)"
            ]
    return []


# Requests that start by saying what to do to files: a find that only prints them does none of it.
_ACTION = re.compile(
    r"^\s*(?:please\s+)?(extract|unzip|untar|unpack|decompress|delete|remove|compress|gzip|zip"
    r"|archive|copy|move|rename|convert|resize|chmod)\b",
    re.IGNORECASE,
)
_FIND_ACTIONS = frozenset({"-exec", "-execdir", "-ok", "-okdir", "-delete", "-fprint", "-fls"})


def only_listed(analysis: Analysis, request: str) -> list[str]:
    """A lone ``find`` that prints names when the request says to do something to the files.

    "extract all the .tar.gz archives here" answered ``find . -name "*.tar.gz"`` lists them.
    """
    action = _ACTION.search(request)
    if action is None or len(analysis.commands) != 1 or analysis.redirects:
        return []
    argv = analysis.commands[0].argv
    if argv[:1] != ("find",) or _FIND_ACTIONS & set(argv):
        return []
    verb = action[1].lower()
    return [
        f"action: find only prints the names it finds, and the request says to {verb} them "
        "(find ... -exec CMD {} \\; runs CMD on each)"
    ]


# Words by which a request asks for something to go (or be replaced, which removes the old).
_DELETE_ASKED = re.compile(
    r"\b(?:delet|remov|rm\b|erase|clean|clear|purg|wip|get rid|discard|prun|trash|uninstall"
    r"|drop|destroy|empty (?:the|out|it|them|my|this|that|all)\b|tidy|free up|make room|dedup"
    r"|unlink|shred|replac|overwrit|mov(?:e|es|ed|ing)\b|mv\b|rid of|throw|nuke|zap|kill|undo"
    r"|reset|revert|rotat|truncat|flush|only keep|keep only)",
    re.IGNORECASE,
)
_DELETERS = frozenset({"rm", "rmdir", "unlink", "shred"})


def deletes(analysis: Analysis) -> str | None:
    """The utility by which ``analysis`` deletes files (``rm``, ``find -delete``), or None."""
    for simple in analysis.commands:
        argv = simple.argv
        if argv and (argv[0] in _DELETERS or (argv[0] == "find" and "-delete" in argv)):
            return argv[0]
    return None


def delete_asked(request: str) -> bool:
    """Whether the request asks for something to go (or to be replaced)."""
    return _DELETE_ASKED.search(request) is not None


def unasked_delete(analysis: Analysis, request: str) -> list[str]:
    """A command that deletes files when the request asks for nothing to go.

    Found by hand: "find the duplicate files in Downloads" answered with a pipeline that ends
    in ``xargs rm``. A request to find, show or count is never answered by deleting.
    """
    tool = None if delete_asked(request) else deletes(analysis)
    if tool is None:
        return []
    return [
        f"delete: the request asks for nothing to be deleted, and {tool} deletes files: "
        "do only what it asks"
    ]


_TOTAL = re.compile(r"\b(?:total|combined|altogether|in all|sum of the sizes?)\b", re.IGNORECASE)


def no_total(analysis: Analysis, request: str) -> list[str]:
    """``du -sh *.bin`` for "the total size of all .bin files": a line per file, no total."""
    if not _TOTAL.search(request):
        return []
    for simple in analysis.commands:
        argv = simple.argv
        if argv[:1] != ("du",) or "c" in short_flags(argv) or "--total" in argv:
            continue
        if several_files(argv):
            return [
                "total: du prints a line for each file it is given and no total "
                "(du -ch ... | tail -n 1 prints the total)"
            ]
    return []


# "larger than 1 megabyte", "over 100MB", "modified in the last hour", "changed today".
_SIZE_LIMIT = re.compile(
    r"\b(?:larger|bigger|smaller|greater|more|less|over|under|above|below)\b(?: than)?\s*\d+"
    r"\s*(?:bytes?|[kmgt]i?b?|kilo|mega|giga)",
    re.IGNORECASE,
)
_TIME_LIMIT = re.compile(
    r"\b(?:in|within|during|over) the (?:last|past) (?:\d+ |few |two |three )?"
    r"(?:minutes?|hours?|days?|weeks?)\b|\b(?:modified|changed|created|edited) (?:today|yesterday)",
    re.IGNORECASE,
)


def grepped_listing(analysis: Analysis, request: str) -> list[str]:
    """``ls -l | grep`` for files over a size or changed within a time: grep matches text.

    "files here larger than 1 megabyte" answered ``ls -lh | grep -E '(1000000)'`` matches
    nothing useful; ``find -size +1M`` and ``find -mmin -60`` compare.
    """
    size, time = _SIZE_LIMIT.search(request), _TIME_LIMIT.search(request)
    if not (size or time):
        return []
    for before, after in adjacent_stages(analysis):
        if before[0] == "ls" and after[0] in ("grep", "egrep"):
            what = "sizes" if size else "times"
            how = "find . -size +1M" if size else "find . -mmin -60"
            return [
                f"compare: grep matches the text of ls's lines and cannot compare {what} "
                f"({how} compares them)"
            ]
    return []


# "below here", "recursively", "in all subfolders", "and its subdirectories".
_BELOW = re.compile(
    r"\b(?:below|under|beneath) (?:here|this (?:folder|directory)|the current)|\brecursive(?:ly)?\b"
    r"|\b(?:all|any|every|its|their) sub-?(?:folders?|director(?:y|ies)|dirs?)\b"
    r"|\band (?:below|under)\b|\bwhole tree\b",
    re.IGNORECASE,
)


def shallow_listing(analysis: Analysis, request: str) -> list[str]:
    """``ls -t | head`` for "the 10 newest files below here": ls lists one folder, not the tree."""
    if not _BELOW.search(request):
        return []
    runs = [simple.argv for simple in analysis.commands if simple.argv]
    if any(argv[0] in ("find", "du", "tree", "fd", "rg", "locate") for argv in runs):
        return []
    for argv in runs:
        if argv[0] == "ls" and "R" not in short_flags(argv) and "--recursive" not in argv:
            if any("**" in w for w in argv):
                return []  # a globstar reaches below
            return [
                "depth: ls lists one folder, and the request asks for the files below it too "
                "(find . -type f reaches every level)"
            ]
    return []


_CHECKS = (
    program_missed,
    git_verb_missed,
    message_searched,
    printed_edits,
    reordered,
    wrong_end,
    listing_order,
    uncounted,
    names_counted,
    not_emptied,
    folder_sizes,
    only_listed,
    unasked_delete,
    no_total,
    grepped_listing,
    shallow_listing,
)
"""Every check above, in the order its notes are shown."""

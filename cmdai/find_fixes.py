"""Sure fixes from the eighteenth by-hand round: finding files by name, age and content.

find's ``-name P -i`` (no such option) and a request to ignore case, a ``-path`` pattern that
can never match the paths find prints, files "changed in the last 2 days" asked of git where
there is no repository, copies told apart by their checksum, files found and copied or renamed
in the folders below when none is here, and the size of every folder of one name below.

Each returns the fixed command with a ``fixed here:`` note, or None; ``find_fix`` is the one
``cmdai.sure_fixes`` calls, for any draft.
"""

from __future__ import annotations

import functools
import itertools
import re
import shlex
import shutil
from typing import TYPE_CHECKING

from cmdai.operands import ALL_OF, THIS_FOLDER, VALUED, operand_words
from cmdai.stages import command_stages, replace_once, short_flags
from cmdai.titles import number_value

if TYPE_CHECKING:
    from cmdai.pitfalls import Here
    from cmdai.shellparse import Analysis


def find_fix(
    command: str, analysis: Analysis, request: str, here: Here | None
) -> tuple[str, str] | None:
    """The first of this module's fixes that applies (None: none does)."""
    fixed = (
        name_case_fix(command)
        or ignore_case_fix(command, analysis, request)
        or path_pattern_fix(command, analysis, here)
        or duplicates_fix(command, request)
    )
    if fixed is None and here is not None:
        fixed = (
            changed_since_fix(analysis, request, here)
            or copy_below_fix(command, analysis, request, here)
            or rename_fix(command, analysis, request, here)
            or folder_sizes_below_fix(command, here)
        )
    return fixed


_NAME_I = re.compile(
    r"(?<![\w-])-name(?P<pattern>\s+(?:'[^']*'|\"[^\"]*\"|[^\s'\"]+))\s+-i(?=\s|$)"
)


def name_case_fix(command: str) -> tuple[str, str] | None:
    """``find . -iname "*draft*"`` for ``find . -name "*draft*" -i`` (find has no ``-i``).

    "find the files with draft in their name, ignoring case" was answered so; find refuses it
    ("unknown predicate `-i'").
    """
    if "find" not in command:
        return None
    fixed = replace_once(command, _NAME_I.pattern, lambda m: f"-iname{m['pattern']}")
    if fixed is None:
        return None
    return fixed, "fixed here: find has no -i; -iname matches a name in any case"


_IGNORE_CASE = re.compile(
    r"\b(?:ignor(?:e|ing)\s+(?:the\s+)?(?:letter\s+)?case|case[- ]?insensitive(?:ly)?|"
    r"regardless\s+of\s+(?:the\s+)?case|in\s+any\s+case|any\s+capitali[sz]ation)\b",
    re.IGNORECASE,
)
_CASE_CLASS = re.compile(r"\[([a-z])([A-Z])\]|\[([A-Z])([a-z])\]")
_CASE_HANDLED = re.compile(
    r"\btr\b[^|]*(?:upper|lower|A-Z|a-z)|\bsort\s+(?:-\w*f|--ignore-case)|\buniq\s+-\w*i|"
    r"\bto(?:lower|upper)\b|\bIGNORECASE\b"
)
_BOTH_CASES = re.compile(r"a-zA-Z|A-Za-z|\[:alpha:\]|\[:alnum:\]")
_CASED_TESTS = {"-name": "-iname", "-path": "-ipath", "-wholename": "-iwholename"}


def ignore_case_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``-iname`` for find's ``-name`` (``grep -i`` for grep) when the request ignores case.

    Only for a command with one find or one grep, neither told to ignore case already.
    """
    if not _IGNORE_CASE.search(request):
        return None
    tools = [s.argv for s in analysis.commands if s.argv and s.argv[0] in ("find", "grep")]
    if len(tools) != 1:
        return None
    argv = tools[0]
    if argv[0] == "find":
        cased = [n for n, w in enumerate(argv[:-1]) if w in _CASED_TESTS]
        if len(cased) != 1 or any(re.fullmatch(r"-i[a-z]+", w) for w in argv):
            return None
        test, pattern = argv[cased[0]], argv[cased[0] + 1]
        if _CASE_CLASS.search(pattern):
            return None  # `-name '[Rr][Ee]*'` matches both cases already
        fixed = replace_once(command, rf"(?<![\w-]){test}(?=\s)", _CASED_TESTS[test])
        note = f"the request ignores case: find's {_CASED_TESTS[test]} does, {test} does not"
    else:
        flags = short_flags(argv)
        words = operand_words(argv[1:], VALUED["grep"])
        if "i" in flags or "y" in flags or "--ignore-case" in argv or _CASE_HANDLED.search(command):
            return None
        if not words or not re.search(r"[A-Za-z]", words[0]) or _BOTH_CASES.search(words[0]):
            return None  # `grep -v " 1 "`: no letters, no case; `[a-zA-Z]+@`: both already
        fixed = replace_once(command, r"(?<![\w/.-])grep(?=\s)", "grep -i")
        note = "the request ignores case: grep -i does"
    return (fixed, f"fixed here: {note}") if fixed else None


_PATH_TESTS = frozenset({"-path", "-ipath", "-wholename", "-iwholename"})


def path_pattern_fix(command: str, analysis: Analysis, here: Here | None) -> tuple[str, str] | None:
    """``! -path "*/node_modules/*"`` for ``! -path "node_modules/*"`` under ``find .``.

    find matches ``-path`` against the whole path it prints, which starts with the folder it
    was given (``./web/node_modules/...``): a pattern that starts with another name matches
    nothing, and "every config.json except the ones in node_modules" listed them all. Where
    that name is in find's one folder, the pattern gets the folder's prefix (``./dir1``);
    elsewhere ``*/``, the name at any depth. Every such pattern is fixed, quoted as needed.
    """
    finds = [s.argv for s in analysis.commands if s.argv[:1] == ("find",)]
    if len(finds) != 1:
        return None
    argv = finds[0]
    starts: list[str] = []
    for word in argv[1:]:
        if word.startswith(("-", "(", "!")):
            break
        starts.append(word)
    if any(s.startswith(("/", "~", "$")) for s in starts):
        return None
    roots = {s.split("/")[0] for s in starts} or {"."}
    start = starts[0].rstrip("/") if len(starts) == 1 else "."
    fixed, changed = command, []
    for option, pattern in itertools.pairwise(argv):
        first = pattern.split("/")[0]
        if option not in _PATH_TESTS or not first or re.search(r"[*?\[$]", first):
            continue
        if first in roots or first in (".", "..") or pattern in changed:
            continue
        inside = here is not None and here.exists(f"{start}/{first}")
        whole = f"{start}/{pattern}" if inside else f"*/{pattern}"
        written = rf"(?<=\s)(['\"]?){re.escape(pattern)}\1(?=\s|\)|$)"
        after = re.sub(written, functools.partial(_requoted, whole), fixed)
        if after == fixed:
            return None
        fixed = after
        changed.append(pattern)
    if not changed:
        return None
    note = (
        f"find's -path matches the whole path it prints, which starts with {start}/, so "
        f"{', '.join(changed)} matched nothing"
    )
    return fixed, f"fixed here: {note}"


def _requoted(whole: str, written: re.Match[str]) -> str:
    quote = written[1] or "'"
    return f"{quote}{whole}{quote}"


_SUMS = {"md5sum": 32, "sha1sum": 40, "sha256sum": 64}
_FIRST_FIELD = (["cut", "-d", " ", "-f1"], ["cut", "-d ", "-f1"], ["awk", "{print $1}"])
_UNIQ_TAIL = r"\|\s*uniq\s+-[dD](?:\s*\|\s*(?:cut|awk)\s[^|]*)?\s*$"


def duplicates_fix(command: str, request: str) -> tuple[str, str] | None:
    """``md5sum ... | sort | uniq -w32 --all-repeated=separate`` for ``... | uniq -d``.

    A checksum line holds the file's name after its sum, so no two lines are the same and
    ``uniq -d`` prints nothing; ``-w32`` compares the sums alone. A last stage that keeps only
    the sum goes when the request asks for the files ("find the duplicate files").
    """
    if not re.search(r"\bduplicat|\bidentical\b|\bsame content", request, re.IGNORECASE):
        return None
    stages = command_stages(command)
    sums = [n for n, stage in enumerate(stages) if stage[0] in _SUMS or _SUMS.keys() & set(stage)]
    uniqs = [n for n, stage in enumerate(stages) if stage[0] == "uniq"]
    if len(sums) != 1 or len(uniqs) != 1 or uniqs[0] < sums[0]:
        return None
    if any(stage[0] != "sort" for stage in stages[sums[0] + 1 : uniqs[0]]):
        return None  # `md5sum * | awk '{print $1}' | sort | uniq -d`: the sums alone
    uniq = stages[uniqs[0]]
    flags = [w for w in uniq[1:] if w.startswith("-")]
    if flags not in (["-d"], ["-D"]) or len(uniq) != 2:
        return None
    width = next(_SUMS[w] for w in stages[sums[0]] if w in _SUMS)
    rest = stages[uniqs[0] + 1 :]
    if rest and not (len(rest) == 1 and rest[0] in _FIRST_FIELD and "file" in request.lower()):
        return None
    fixed = replace_once(command, _UNIQ_TAIL, f"| uniq -w{width} --all-repeated=separate")
    if fixed is None:
        return None
    note = (
        f"a checksum line ends in the file's name, so uniq {flags[0]} found no two alike; "
        f"uniq -w{width} compares the sums alone and lists each group of copies"
    )
    return fixed, f"fixed here: {note}"


_UNITS = {
    "minute": ("-mmin", 1),
    "hour": ("-mmin", 60),
    "day": ("-mtime", 1),
    "week": ("-mtime", 7),
}
_SINCE = re.compile(
    r"\b(?:changed|modified|edited|updated|touched)\s+(?:in|within|during|over)\s+the\s+"
    r"(?:last|past)\s+(?:(?P<n>\d+|\w+)\s+)?(?P<unit>minute|hour|day|week)s?\b",
    re.IGNORECASE,
)
_AFTER = re.compile(
    r"\b(?:changed|modified|edited|updated|touched)\s+(?:after|since)\s+(?P<file>\S+)|"
    r"\bnewer\s+than\s+(?P<than>\S+)",
    re.IGNORECASE,
)


_KIND_SUFFIX = {
    "python": "py",
    "javascript": "js",
    "typescript": "ts",
    "shell": "sh",
    "text": "txt",
    "markdown": "md",
    "ruby": "rb",
    "rust": "rs",
}
_KIND = re.compile(
    r"\b(?P<kind>python|javascript|typescript|shell|text|markdown|ruby|rust|log|csv|json|html|css"
    r"|java|go|php|\.\w+)\s+files?\b",
    re.IGNORECASE,
)


def changed_since_fix(analysis: Analysis, request: str, here: Here) -> tuple[str, str] | None:
    """``find . -type f -mtime -2`` for "files changed in the last 2 days" answered with git.

    Only where no git repository holds this folder: there ``git log --since`` fails ("not a
    git repository"), and the files' own times say what changed. "changed after notes.txt"
    becomes ``-newer notes.txt`` when that file is here; a folder the request names is where
    find looks, and a kind of file it names ("the python files") is its ``-name``.
    """
    if not any(s.argv[:1] == ("git",) for s in analysis.commands) or here.in_repository():
        return None
    if not re.search(r"\bfiles?\b", request, re.IGNORECASE):
        return None
    since, after = _SINCE.search(request), _AFTER.search(request)
    if since is not None:
        count = since["n"] or "1"
        n = number_value({"a": "one", "an": "one"}.get(count.lower(), count))
        if n is None:
            return None
        option, scale = _UNITS[since["unit"].lower()]
        test = f"{option} -{n * scale}"
    elif after is not None:
        name = (after["file"] or after["than"]).strip("'\"`,.;:")
        if not here.exists(name) or here.is_dir(name):
            return None
        test = f"-newer {shlex.quote(name)}"
    else:
        return None
    folders = [f for f in here.named_folders(request) if f not in test]
    where = shlex.quote(folders[0]) if len(folders) == 1 else "."
    kind = _KIND.search(request)
    if kind is not None:
        suffix = _KIND_SUFFIX.get(kind["kind"].lower(), kind["kind"].lower().lstrip("."))
        test = f"-name '*.{suffix}' {test}"
    note = "no git repository holds this folder; find reads the files' own change times"
    return f"find {where} -type f {test}", f"fixed here: {note}"


def copy_below_fix(
    command: str, analysis: Analysis, request: str, here: Here
) -> tuple[str, str] | None:
    """``find . -type f -name '*.jpg' -exec cp -t all_photos {} +`` for ``cp *.jpg all_photos``.

    When no file here matches the glob and files in folders below do, bash hands cp the glob
    itself ("cannot stat '*.jpg'"); a request for all of them means those below (one that
    writes the glob itself means it as written, here). A folder
    that is not here yet is made first; the files already in it are not found again.
    """
    if len(analysis.commands) != 1 or not ALL_OF.search(request) or THIS_FOLDER.search(request):
        return None
    argv = list(analysis.commands[0].argv)
    if argv[:1] not in (["cp"], ["mv"]) or len(argv) != 3 or f" {argv[1]} " not in f" {command} ":
        return None
    tool, glob, target = argv
    if not re.fullmatch(r"\*\.\w+", glob) or glob in request or not here.only_below(glob):
        return None
    if here.exists(target.rstrip("/")) and not here.is_dir(target.rstrip("/")):
        return None
    folder = target.rstrip("/")
    quoted = shlex.quote(folder)
    found = (
        f"find . -type f -name '{glob}' -not -path {shlex.quote(f'./{folder}/*')} "
        f"-exec {tool} -t {quoted} {{}} +"
    )
    fixed = found if here.is_dir(folder) else f"mkdir -p {quoted} && {found}"
    note = f"no file here matches {glob}; find reaches the ones in the folders below"
    return fixed, f"fixed here: {note}"


_PERL_RENAME = re.compile(r"s/\\?\.(?P<old>\w+)\$?/\\?\.(?P<new>\w+)/g?")


def rename_fix(
    command: str, analysis: Analysis, request: str, here: Here
) -> tuple[str, str] | None:
    r"""A loop of ``mv`` for ``rename 's/\.jpeg$/.jpg/' *.jpeg`` where rename is not installed.

    Only for a change of the extension, the one rename whose ``mv`` is sure. When no file
    here has it, files below do and the request renames all of them (not "in the current
    directory"), find hands them to the loop.
    """
    if len(analysis.commands) != 1 or shutil.which("rename") is not None:
        return None
    argv = [w for w in analysis.commands[0].argv if w not in ("-v", "-f")]
    if argv[:1] != ["rename"] or len(argv) != 3:
        return None
    found = _PERL_RENAME.fullmatch(argv[1])
    old, new = (found["old"], found["new"]) if found else (None, None)
    if found is None and re.fullmatch(r"\.\w+", argv[1]) and re.fullmatch(r"\.\w+", argv[2]):
        return None  # util-linux's `rename .jpeg .jpg` names no files: not a whole command
    if old is None or new is None or argv[2] != f"*.{old}" or f" {argv[2]}" not in command:
        return None
    move = f'mv -- "$f" "${{f%.{old}}}.{new}"'
    below = ALL_OF.search(request) and not THIS_FOLDER.search(request) and argv[2] not in request
    if below and not here.expand(argv[2]) and here.only_below(argv[2]):
        fixed = f"find . -type f -name '*.{old}' -exec sh -c 'for f; do {move}; done' sh {{}} +"
    else:
        fixed = f"for f in *.{old}; do {move}; done"
    note = f"rename is not installed here; mv renames each .{old} file to .{new}"
    return fixed, f"fixed here: {note}"


_DU_NAMED = re.compile(
    r"(?<![\w/.-])du(?P<flags>(?:\s+-[A-Za-z]+)*)\s+(?P<name>[\w.-]+)(?:/\*)?/?(?=\s*(?:$|\|))"
)


def folder_sizes_below_fix(command: str, here: Here) -> tuple[str, str] | None:
    """``find . -type d -name node_modules -prune -exec du -sh {} +`` for ``du -sh node_modules/*``.

    When no entry here has the name and folders below do ("how big is each node_modules
    folder", asked in a folder of projects), du fails on the name; find measures each one,
    and not the ones inside it (``-prune``).
    """
    found = _DU_NAMED.search(command)
    if found is None or here.exists(found["name"]):
        return None
    if not here.folders_named(found["name"]):
        return None
    flags = found["flags"].strip() or "-s"
    size = f"find . -type d -name {shlex.quote(found['name'])} -prune -exec du {flags} {{}} +"
    fixed = replace_once(command, re.escape(found.group()), size)
    if fixed is None:
        return None
    note = f"no {found['name']} here; find measures each folder of that name below"
    return fixed, f"fixed here: {note}"

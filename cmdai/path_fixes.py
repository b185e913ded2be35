"""Path fixes: a path the draft made up, where what is here says which one was meant.

A small model writes what it cannot see: a placeholder (``du -sh /path/to/your/music``,
``sed '/debug/d' yourfile.js``), a name made from the request's words (``raw_weather.csv``
for ``data/raw/weather.csv``), a home folder for the one beside it (``ls -lt ~/Downloads``
run next to ``Downloads``), zip's operands the wrong way round (``zip photo.png photo.zip``
makes an archive called ``photo.png``). Each fix here changes a path only when what is here
leaves one reading: one folder by that name, one file with that extension, no such folder at
home; and only a path a tool reads (a made-up output name "fixed" to a file here would
overwrite it), never one the request itself writes. A placeholder nothing here resolves
stays, with a warning that names it.
"""

from __future__ import annotations

import itertools
import os
import re
from typing import TYPE_CHECKING

from cmdai.archive_members import TarWords
from cmdai.context import name_words
from cmdai.operands import changes_things
from cmdai.shellparse import analyse
from cmdai.stages import replace_once
from cmdai.text_fixes import folder_glob_fix

if TYPE_CHECKING:
    from cmdai.context import Workdir
    from cmdai.pitfalls import Here
    from cmdai.shellparse import Analysis

_NOUNS = (
    r"(?:file|dir|directory|folder|script|document|doc|image|archive|project|repo|repository"
    r"|path|input|output|log|data|backup|dest|destination|source|target|video|photo|picture"
    r"|music|program|app)s?"
)
_PLACEHOLDER = re.compile(
    r"(?:^|/)path/to(?:/|$)"  # /path/to/file, path/to/dir
    r"|(?:^|/)(?:your|my)(?:[_-]\w+|" + _NOUNS + r"(?:[_-]\w+)?)(?:\.\w+)?$"  # yourfile.js
    r"|(?:^|/)(?:file_?name|dir_?name|folder_?name|some_?file)(?:\.\w+)?$",
    re.IGNORECASE,
)
_HOME = re.compile(r"\bhome\b|~", re.IGNORECASE)
_GENERIC = frozenset(
    ("file", "files", "filename", "dir", "dirname", "directory", "folder", "foldername", "name")
)


def path_fix(command: str, here: Workdir, request: str = "") -> tuple[str, str] | None:
    """The first path fix that applies to ``command``, with its note; None when none does.

    A path the request itself writes is never changed: the user named it ("sort A.txt",
    "find ~/src -newer main.css"), even where nothing here has that name.
    """
    try:
        analysis = analyse(command)
    except ValueError:
        return None
    if analysis.problems:
        return None
    return (
        placeholder_fix(command, analysis, here, request)
        or made_up_name_fix(command, analysis, here, request)
        or numbered_file_fix(command, analysis, here, request)
        or folder_glob_fix(command, analysis, here)
        or appended_file_fix(command, analysis, here, request)
        or folder_suffix_fix(command, analysis, here)
        or home_fix(command, analysis, here, request)
        or zip_order_fix(command, analysis, here)
        or written_path_fix(command, analysis, here, request)
    )


def _read_operands(analysis: Analysis) -> list[str]:
    """The operands that tools which read (``_READERS``) are given, patterns and programs aside.

    Only these are fixed: a made-up name where a file is written (``maim path/to/shot.png``)
    would be an existing file overwritten.
    """
    words: list[str] = []
    for simple in analysis.commands:
        argv = simple.argv
        if argv[:1] == ("tar",):
            tar = TarWords(list(argv))  # the archive a listing or extracting tar reads
            words += [tar.archive] if tar.archive and tar.mode() in ("x", "t") else []
        if not argv or argv[0] not in _READERS:
            continue
        valued = _VALUED.get(argv[0], frozenset())
        if argv[0] not in _O_IS_A_FLAG:
            valued |= {"-o", "--output"}
        operands = [
            w
            for before, w in itertools.pairwise(argv)
            if not w.startswith("-") and before not in valued  # `sort -o out.txt`: written
        ]
        if argv[0] in _PATTERN_FIRST and not {"-e", "-f"} & set(argv):
            operands = operands[1:]  # `grep console.log app.js`: the pattern is no file
        elif argv[0] in _INTERPRETERS:
            operands = operands[:1]  # the script; what follows are its arguments
        words += operands
    return words


# Options that take the next word as their value, per tool (an output file taken for an input
# would be overwritten; a flag taken for one that takes a value only costs a fix not made).
_VALUED: dict[str, frozenset[str]] = {
    "sort": frozenset({"-k", "-t", "-S", "-T"}),
    "head": frozenset({"-n", "-c"}),
    "tail": frozenset({"-n", "-c"}),
    "cut": frozenset({"-d", "-f", "-c", "-b"}),
    "awk": frozenset({"-F", "-v", "-f"}),
    "grep": frozenset({"-e", "-f", "-m", "-A", "-B", "-C"}),
    "egrep": frozenset({"-e", "-f", "-m", "-A", "-B", "-C"}),
    "fgrep": frozenset({"-e", "-f", "-m", "-A", "-B", "-C"}),
    "zgrep": frozenset({"-e", "-f", "-m", "-A", "-B", "-C"}),
    "sed": frozenset({"-e", "-f"}),
    "du": frozenset({"-d"}),
    "column": frozenset({"-s", "-c"}),
    "jq": frozenset({"--arg", "--argjson"}),
}
_INTERPRETERS = frozenset({"python", "python3", "node", "bash", "sh", "source"})
_O_IS_A_FLAG = frozenset({"grep", "egrep", "fgrep", "ls"})  # grep -o: only the match


def _words(analysis: Analysis) -> list[str]:
    """The argument words of every simple command, and the files redirected to or from.

    Not what ``echo`` and ``printf`` print: text, not paths.
    """
    words = [
        w
        for c in analysis.commands
        if c.argv[:1] not in (("echo",), ("printf",))
        for w in c.argv[1:]
    ]
    return words + [r.target for r in analysis.redirects]


def placeholders(command: str, here: Here | None = None, request: str = "") -> list[str]:
    """The words of ``command`` that stand for a path of the user's own (not one here).

    Not a word the request writes ("replace foo in filename"): that is the user's own name.
    """
    try:
        analysis = analyse(command)
    except ValueError:
        return []
    return _placeholders(analysis, here, request)


def _placeholders(analysis: Analysis, here: Here | None, request: str) -> list[str]:
    found = [
        w
        for w in _words(analysis)
        if _PLACEHOLDER.search(w)
        and not w.startswith("-")
        and w not in request
        and not (here and here.exists(w))
    ]
    return list(dict.fromkeys(found))


def placeholder_warnings(command: str, here: Here | None, request: str = "") -> list[str]:
    """A warning per placeholder left in ``command``: the user must put a path there."""
    return [
        f"placeholder: {word} stands for a path of your own; put yours there before running"
        for word in placeholders(command, here, request)
    ]


def made_up_inputs(command: str, here: Here | None, request: str = "") -> list[str]:
    """A note per file a reading tool is given that is neither here nor named by the request.

    "show the word count of the whole book" was answered ``wc -w book.txt`` beside a folder of
    chapters. Only a bare or relative file name with an extension, in a command that changes
    nothing (an earlier step could make it), after the path fixes found no file it could mean.
    """
    if here is None or not here.is_dir("."):
        return []
    try:
        analysis = analyse(command)
    except ValueError:
        return []
    if analysis.problems or changes_things(analysis):
        return []
    notes = []
    for word in dict.fromkeys(_read_operands(analysis)):
        if word.startswith(("/", "~", "-")) or not _FILE_WORD.fullmatch(word.rsplit("/", 1)[-1]):
            continue
        if _named(word, request) or here.exists(word) or here.expand(word):
            continue
        notes.append(f"file: {word} is not here, and the request does not name it")
    return notes


def _named(word: str, request: str) -> bool:
    """Whether the request names the file ``word``, in full or by an unmistakable stem.

    "the ip_addresses file" names ``ip_addresses.txt``; "the book" does not name ``book.txt``.
    """
    lowered = request.lower()
    name = word.rsplit("/", 1)[-1].lower()
    stem = name.rsplit(".", 1)[0]
    if name in lowered:
        return True
    found = re.search(r"(?<![\w.-])" + re.escape(stem) + r"(?![\w-])", lowered)
    return found is not None and (not stem.isalpha() or f"{stem} file" in lowered)


def placeholder_fix(
    command: str, analysis: Analysis, here: Workdir, request: str = ""
) -> tuple[str, str] | None:
    """A placeholder a reading tool is given, replaced by the one entry here it can mean.

    ``yourfile.js`` -> the one ``.js`` file here or below; ``/path/to/your/music`` -> the one
    folder here (or below) called ``music`` in any case.
    """
    read = set(_read_operands(analysis)) | set(_sent_operands(analysis))
    for word in _placeholders(analysis, here, request):
        if word not in read:
            continue
        target = _resolve(word, here)
        if target is None or command.count(word) != 1:
            continue
        fixed = command.replace(word, target)
        return fixed, f"fixed here: {word} was a placeholder, and {target} is the one here"
    return None


def _sent_operands(analysis: Analysis) -> list[str]:
    """What ``rsync`` and ``scp`` send: every operand but the last (where it goes)."""
    words: list[str] = []
    for simple in analysis.commands:
        if simple.argv[:1] in (("rsync",), ("scp",)):
            operands = [w for w in simple.argv[1:] if not w.startswith("-")]
            words += operands[:-1]
    return words


def _resolve(word: str, here: Workdir) -> str | None:
    parts = [p for p in word.rstrip("/").split("/") if p]
    if len(parts) > 1 and parts[-1].lower() in _GENERIC and parts[-2].lower() not in _GENERIC:
        parts = parts[:-1]  # `/path/to/new/folder`: the folder called new
    last = parts[-1] if parts else word
    stem, dot, suffix = last.rpartition(".")
    if dot and stem and suffix.isalnum():
        return here.only_with_suffix("." + suffix)
    name = re.sub(r"(?i)^(?:your|my)[_-]?", "", last)
    if not name or name.lower() in _GENERIC:
        return None
    return here.folder_called(name)


def home_fix(
    command: str, analysis: Analysis, here: Workdir, request: str = ""
) -> tuple[str, str] | None:
    """``~/Downloads`` where home has no ``Downloads`` and this directory has one.

    Not when the request speaks of the home folder itself ("the test folder in my home").
    """
    if _HOME.search(request):
        return None
    home = os.path.expanduser("~")
    for word in _words(analysis):
        if not word.startswith("~/") or len(word) < 3 or word.rstrip("/") in request:
            continue
        rest = word[2:]
        first = rest.split("/", 1)[0]
        if os.path.lexists(os.path.join(home, first)) or not here.exists(first):
            continue
        spelled = re.compile(re.escape(word) + r"(?![\w.-])")
        if len(spelled.findall(command)) != 1:
            continue
        fixed = spelled.sub(rest.replace("\\", "\\\\"), command, count=1)
        return fixed, f"fixed here: {first} is here, not in your home folder"
    return None


def zip_order_fix(command: str, analysis: Analysis, here: Workdir) -> tuple[str, str] | None:
    """``zip photo.png photo.zip``: the archive comes first, so zip would write photo.png."""
    for simple in analysis.commands:
        argv = simple.argv
        if not argv or argv[0] != "zip" or any(w.startswith("-") for w in argv[1:]):
            continue
        operands = argv[1:]
        if len(operands) != 2:
            continue
        first, last = operands
        if first.lower().endswith(".zip") or not last.lower().endswith(".zip"):
            continue
        if here.exists(last) or not (here.exists(first) or "." in first):
            continue
        pattern = re.compile(r"\bzip\s+" + re.escape(first) + r"\s+" + re.escape(last) + r"\b")
        if len(pattern.findall(command)) != 1:
            continue
        fixed = command.replace(pattern.findall(command)[0], f"zip {last} {first}", 1)
        return fixed, f"fixed here: zip's archive comes first ({last}), then what goes in it"
    return None


# Tools whose file operands are read (or edited in place): a name there must exist.
_READERS = frozenset(
    {
        *("cat", "head", "tail", "less", "more", "grep", "egrep", "fgrep", "awk", "sed", "wc"),
        *("sort", "uniq", "cut", "column", "jq", "file", "stat", "du", "ls", "md5sum", "sha1sum"),
        *("sha256sum", "diff", "cmp", "tac", "nl", "od", "xxd", "hexdump", "strings", "python3"),
        *("python", "node", "bash", "sh", "source", "pandoc"),
        *("zcat", "zgrep", "zless", "zmore", "xzcat", "bzcat"),
    }
)
_PATTERN_FIRST = frozenset({"grep", "egrep", "fgrep", "zgrep", "sed", "awk", "jq"})
_FILE_WORD = re.compile(r"[\w.-]+\.([A-Za-z][A-Za-z0-9]{0,4})")


_CONFIG_SUFFIXES = frozenset("conf cfg ini yaml yml toml properties service".split())  # noqa: SIM905
_STAND_IN_WORDS = frozenset(
    "data file files input output test tests tmp temp example sample my your new old".split()  # noqa: SIM905
)


def _in_folder_named(here: Workdir, extension: str, words: set[str]) -> str | None:
    """The one ``.extension`` configuration file in a folder named by the made-up name's words.

    ``nginx.conf`` for ``nginx/site.conf`` ("the nginx config"): the folder says whose it is.
    Not for data (``invoices.csv`` beside ``invoices/2026.csv`` may mean every year's).
    """
    stem = words - {extension.lower()}
    if extension.lower() not in _CONFIG_SUFFIXES or stem & _STAND_IN_WORDS:
        return None  # `invoices.csv` may mean all of invoices/; `data.json` is any file's name
    found = [
        f
        for f in here.files()
        if "/" in f
        and f.lower().endswith("." + extension.lower())
        and stem
        and stem <= {w for part in f.split("/")[:-1] for w in name_words(part)}
    ]
    return found[0] if len(found) == 1 else None


def made_up_name_fix(
    command: str, analysis: Analysis, here: Workdir, request: str = ""
) -> tuple[str, str] | None:
    """A file name the model made from the request's words, for the one file it means.

    "show the hottest city in the raw weather csv" was answered with ``raw_weather.csv``
    beside ``data/raw/weather.csv``; "how big is the hero image", ``hero_image.jpg`` for
    ``web/public/hero.jpg``. A name a reading tool is given that is not here is replaced by
    the one file here or below with its extension whose own name's words are all among the
    made-up name's words (``weather`` in ``raw_weather``); none or several: left alone.
    """
    for word in _read_operands(analysis):
        shape = _FILE_WORD.fullmatch(word)
        if shape is None or word in request or here.exists(word):
            continue
        words = set(name_words(word))
        target = here.only_named_within(shape.group(1), words) or _in_folder_named(
            here, shape.group(1), words
        )
        if target is not None and _parsed_as_other(analysis, word, target):
            continue
        fixed = _swap(command, word, target) if target is not None else None
        if fixed is not None:
            return fixed, f"fixed here: {word} is not here, and {target} is the file meant"
    return None


# Programs that parse one format: another's file is never the one meant (jq and orders.csv).
_PARSERS = frozenset({"jq", "yq", "xq", "gron", "json_pp", "xmllint", "xmlstarlet", "tomlq"})


def _parsed_as_other(analysis: Analysis, word: str, target: str) -> bool:
    """Whether a format's parser reads ``word`` and ``target`` has another extension."""
    if word.rsplit(".", 1)[-1].lower() == target.rsplit(".", 1)[-1].lower():
        return False
    return any(c.argv[:1] and c.argv[0] in _PARSERS and word in c.argv for c in analysis.commands)


_WRITTEN_PATH = re.compile(r"(?<![\w./~$-])((?:[\w.-]+/)+[\w.-]+)")


def written_path_fix(
    command: str, analysis: Analysis, here: Workdir, request: str
) -> tuple[str, str] | None:
    """``certs/server.crt`` for ``server.crt``: the request wrote the path, the draft its name.

    Seen: "verify certs/server.crt against ca.crt" answered ``openssl verify -CAfile ca.crt
    server.crt``. Only a file a reading tool is given that is not here, and only where one
    path the request writes, which is here, ends with that name.
    """
    written = {p for p in _WRITTEN_PATH.findall(request) if here.exists(p)}
    for word in _read_operands(analysis) + _openssl_reads(analysis):
        if "/" in word or here.exists(word):
            continue
        paths = [p for p in written if p.rsplit("/", 1)[1] == word]
        fixed = _swap(command, word, paths[0]) if len(paths) == 1 else None
        if fixed is not None:
            return fixed, f"fixed here: {word} is not here; the request wrote {paths[0]}"
    return None


_OPENSSL_READ = frozenset({"-in", "-CAfile", "-inkey", "-key", "-cert", "-signer", "-untrusted"})


def _openssl_reads(analysis: Analysis) -> list[str]:
    """The files an ``openssl`` call reads: ``-in FILE`` and the like, and ``verify``'s certs."""
    words: list[str] = []
    for simple in analysis.commands:
        argv = simple.argv
        if argv[:1] != ("openssl",):
            continue
        words += [w for before, w in itertools.pairwise(argv) if before in _OPENSSL_READ]
        if argv[1:2] == ("verify",):
            words += [
                w
                for before, w in itertools.pairwise(argv[1:])
                if not w.startswith("-") and not before.startswith("-")
            ]
    return words


def _swap(command: str, word: str, target: str) -> str | None:
    """``command`` with its one path word ``word`` replaced by ``target`` (None: not one)."""
    return replace_once(command, r"(?<![\w./-])" + re.escape(word) + r"(?![\w.-])", target)


_NUMBERED = re.compile(r"\b([A-Za-z]{2,})\s+(?:no\.?\s*|#)?(\d{1,4})\b")


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def numbered_file_fix(
    command: str, analysis: Analysis, here: Workdir, request: str = ""
) -> tuple[str, str] | None:
    """A made-up name for "chapter 3" where the one file numbered 3 is ``chapters/03-end.md``.

    The request says a word and a number ("chapter 3", "lesson 12"); the draft reads a file
    that is not here whose name holds both (``chapter3.txt``). It is replaced by the one file
    here or below whose name's first number is that number (``03`` is 3) and whose path holds
    the word (``chapters/``, ``chapter-03.md``): none or several, left alone.
    """
    asked = {(_singular(w.lower()), int(n)) for w, n in _NUMBERED.findall(request)}
    if not asked:
        return None
    for word in _read_operands(analysis):
        shape = _FILE_WORD.fullmatch(word.rsplit("/", 1)[-1])
        if shape is None or word in request or here.exists(word):
            continue
        name = word.rsplit("/", 1)[-1].lower()
        numbers = [int(n) for n in re.findall(r"\d+", name)]
        letters = {_singular(w) for w in re.findall(r"[a-z]+", name)}
        meant = [(w, n) for w, n in asked if n in numbers[:1] and w in letters]
        if len(meant) != 1:
            continue
        target = _numbered(here, *meant[0])
        fixed = _swap(command, word, target) if target is not None else None
        if fixed is not None:
            what = f"{meant[0][0]} {meant[0][1]}"
            return fixed, f"fixed here: {word} is not here, and {target} is {what}"
    return None


def _numbered(here: Workdir, word: str, number: int) -> str | None:
    """The one file here or below numbered ``number`` whose path holds ``word`` (or its plural)."""
    found = []
    for path in here.files():
        name = path.rsplit("/", 1)[-1]
        first = re.search(r"\d+", name.rsplit(".", 1)[0])
        if first is None or int(first.group()) != number:
            continue
        if word in {_singular(w) for w in re.findall(r"[a-z]+", path.lower())}:
            found.append(path)
    return found[0] if len(found) == 1 else None


def appended_file_fix(
    command: str, analysis: Analysis, here: Workdir, request: str = ""
) -> tuple[str, str] | None:
    """``>> notes/todo.txt`` for ``>> todo.txt`` when the one ``todo.txt`` is in a folder below.

    "add 'proofread chapter 2' to my todo list" was answered ``echo ... >> todo.txt``, which
    starts a new list beside the user's. Only an append (``>>``, ``tee -a``) to a bare name that
    is not here and that the request does not spell, where exactly one file below has it.
    """
    appended: list[str] = []
    for simple in analysis.commands:
        if simple.argv[:1] in (("echo",), ("printf",)):  # a line of text added to a list
            appended += [r.target for r in simple.redirects if r.operator == ">>"]
        elif simple.argv[:1] == ("tee",) and {"-a", "--append"} & set(simple.argv):
            appended += [w for w in simple.argv[1:] if not w.startswith("-")]
    for word in appended:
        if "/" in word or not _FILE_WORD.fullmatch(word) or word in request or here.exists(word):
            continue
        found = [f for f in here.files() if f.rsplit("/", 1)[-1] == word]
        if len(found) != 1:
            continue
        target = found[0]
        fixed = _appended_to(command, word, target)
        if fixed is not None:
            return fixed, f"fixed here: {word} is not here, and {target} is the one by that name"
    return None


_TEXT_SUFFIXES = frozenset("txt md markdown rst text org tex adoc".split())  # noqa: SIM905


def folder_suffix_fix(command: str, analysis: Analysis, here: Workdir) -> tuple[str, str] | None:
    """``chapters/*.md`` for ``chapters/*.txt`` when every file in ``chapters`` is ``.md``.

    "count the words in each chapter" was answered over ``chapters/*.txt``, which matches
    nothing there. Only prose's text formats, one for the other, and only a folder whose
    files all share the one other suffix.
    """
    for word in _read_operands(analysis):
        m = re.fullmatch(r"([\w./-]+)/\*\.(\w+)", word)
        if m is None or m.group(2).lower() not in _TEXT_SUFFIXES or here.expand(word):
            continue
        folder = m.group(1)
        names = here.expand(folder + "/*") if here.is_dir(folder) else []
        suffixes = {n.rsplit(".", 1)[-1] for n in names if "." in n.rsplit("/", 1)[-1]}
        if len(suffixes) != 1 or len(names) < 2 or any(here.is_dir(n) for n in names):
            continue
        (suffix,) = suffixes
        if suffix.lower() not in _TEXT_SUFFIXES:
            continue
        fixed = _swap(command, word, f"{folder}/*.{suffix}")
        if fixed is not None:
            return fixed, f"fixed here: {word} matches nothing; the files in {folder} are .{suffix}"
    return None


def _appended_to(command: str, word: str, target: str) -> str | None:
    """``command`` with the one file standard output appends to, ``word``, made ``target``.

    Standard output's append only: ``2>> errors.log`` keeps a new log of its own.
    """
    spelled = r"((?<![\d&>])>>\s*|\btee\s(?:[^|;&]*\s)?)" + re.escape(word) + r"(?![\w.-])"
    return replace_once(command, spelled, lambda m: m[1] + target)


def relative_to_cwd(command: str, cwd: str, query: str) -> str:
    """``command`` with the working directory written as ``.`` where it names it exactly.

    Small models copy an absolute working directory into commands that mean "here"
    (``find /home/me/proj -size +1M``); the relative form is what the user asked for and
    does the same. Left alone when the request itself names that directory, or when the
    directory is ``/`` or a user's home (where ``.`` and the path mean different things to
    a reader).
    """
    cwd = cwd.rstrip("/")
    if not cwd.startswith("/") or cwd in query or cwd not in command:
        return command
    # Only whole path words: the directory itself, or a path below it.
    pattern = re.compile(rf"(?<![\w./~-]){re.escape(cwd)}(?=/|[\s;|&)'\"]|$)")
    return pattern.sub(".", command)

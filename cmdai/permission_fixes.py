"""Sure fixes from the fifteenth by-hand round: permissions and owners.

find's retired ``-perm +MODE``, a file's mode as a number, a copy that keeps the mode and
date, the mode of files not made yet (``umask``), folders and files given their own modes, and
which files others may write or read, or anyone may run.

Each returns the fixed command with a ``fixed here:`` note, or None; ``permission_fix`` is the
one ``cmdai.sure_fixes`` calls, for any draft (it also tries ``cmdai.account_fixes``).
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.account_fixes import account_fix
from cmdai.stages import command_stages, replace_once, request_words, short_flags

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def permission_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of this module's fixes that applies (None: none does)."""
    fixed = (
        perm_plus_fix(command)
        or preserved_copy_fix(command, request)
        or umask_fix(command, request)
        or both_kinds_fix(command, request)
        or account_fix(command, request)  # who may do what: the accounts themselves
    )
    if fixed is None and here is not None:
        fixed = mode_number_fix(command, request, here) or who_may_fix(command, request, here)
    return fixed


_PERM_PLUS = re.compile(
    r"(?<=\s)-perm\s+\+(?P<mode>[0-7]{1,4}|[ugoa]*[-+=][rwxst]+|[rwxst]+)(?=\s|$)"
)


def perm_plus_fix(command: str) -> tuple[str, str] | None:
    """``find -perm /111`` for ``find -perm +111``: GNU find refuses ``+`` ("invalid mode").

    "which scripts are not executable" was answered ``find scripts/ -type f ! -perm +x``, which
    matched nothing. ``-perm +MODE`` (any of these bits) was retired in 2005 for ``/MODE``; a
    symbolic mode needs whom it is about (``/a+x``).
    """
    if not re.search(r"(?<![\w-])find\s", command):
        return None

    def slash(m: re.Match[str]) -> str:
        mode = m["mode"]
        return f"-perm /{'a+' + mode if mode[0] in 'rwxst' else mode}"

    fixed, count = _PERM_PLUS.subn(slash, command)
    if count == 0:
        return None
    return fixed, "fixed here: find no longer takes -perm +MODE; -perm /MODE is any of its bits"


_KEEP_ATTRIBUTES = re.compile(
    r"\b(?:keep\w*|preserv\w*|retain\w*|with|same)\b(?:\s+(?:its|their|the|all|original|and|"
    r"file))*\s+(?:permissions?|modes?|timestamps?|dates?|times|owners?|ownership|attributes)\b",
    re.IGNORECASE,
)


def preserved_copy_fix(command: str, request: str) -> tuple[str, str] | None:
    """``cp -p`` when the request keeps the copy's permissions or dates.

    "copy config.ini to config.ini.bak keeping its permissions and date" was answered ``cp
    config.ini config.ini.bak``: the copy gets this umask's mode and the time of copying.
    """
    if not _KEEP_ATTRIBUTES.search(request):
        return None
    stages = command_stages(command)
    cps = [s for s in stages if s[0] == "cp"]
    if len(stages) != 1 or len(cps) != 1:
        return None
    flags = short_flags(cps[0])
    if set(flags) & set("pa") or any(w.startswith(("--preserve", "--archive")) for w in cps[0]):
        return None
    fixed = replace_once(
        command,
        r"(?<![\w-])cp(?:\s+-(?P<cluster>[A-Za-z]+))?(?=\s)",
        lambda m: f"cp -{m['cluster'] or ''}p",
    )
    if fixed is None:
        return None
    return fixed, "fixed here: cp -p keeps the file's mode, owner and times"


_FUTURE_FILES = re.compile(
    r"\bnew\s+files\b|\bfiles\s+(?:I|you|we)\s+(?:create|make|write)\b|\bfrom\s+now\s+on\b"
    r"|\bby\s+default\b",
    re.IGNORECASE,
)
_PRIVATE = re.compile(
    r"\bprivate\b|\bonly\s+(?:to\s+|by\s+|for\s+)?(?:me|I|myself|my\s+user)\b|\bnobody\s+else\b",
    re.IGNORECASE,
)


def umask_fix(command: str, request: str) -> tuple[str, str] | None:
    """``umask 077`` for ``chmod 600 *`` when files made from now on are to be private.

    "make new files I create private to me from now on in this shell" was answered with a
    chmod of every file there is, which changes what exists and nothing that comes.
    """
    if not (_FUTURE_FILES.search(request) and _PRIVATE.search(request)):
        return None
    stages = command_stages(command)
    if len(stages) != 1 or stages[0][0] not in ("chmod", "umask"):
        return None
    if stages[0][0] == "umask" and stages[0][-1].endswith("77"):
        return None  # 077, 0077, 177: private already
    note = "the mode of files created from now on is the shell's umask; 077: yours alone"
    return "umask 077", f"fixed here: {note}"


_FOLDER_MODE = re.compile(
    r"\b(?:folders?|director(?:y|ies)|dirs?)\b[^0-9]{0,40}?\b(?P<mode>[0-7]{3,4})\b", re.I
)
_FILE_MODE = re.compile(r"\bfiles?\b[^0-9]{0,40}?\b(?P<mode>[0-7]{3,4})\b", re.IGNORECASE)


def both_kinds_fix(command: str, request: str) -> tuple[str, str] | None:
    r"""The other half of "every folder in site 755 and every file in it 644".

    Answered ``find site -type d -exec chmod 755 {} \\;``: the files were left as they were.
    The half the draft wrote is kept, and the other is written the same way.
    """
    folders, files = _FOLDER_MODE.search(request), _FILE_MODE.search(request)
    if folders is None or files is None or folders["mode"] == files["mode"]:
        return None
    try:
        argv = shlex.split(command)
    except ValueError:
        return None
    kinds = [argv[i + 1] for i, w in enumerate(argv[:-1]) if w == "-type"]
    if argv[:1] != ["find"] or len(kinds) != 1 or kinds[0] not in ("d", "f"):
        return None
    mode = {"d": folders["mode"], "f": files["mode"]}
    tail = argv[argv.index("-exec") :] if "-exec" in argv else []
    if tail[:3] != ["-exec", "chmod", mode[kinds[0]]] or tail[3:] not in (["{}", ";"], ["{}", "+"]):
        return None
    start = argv[1]
    if start.startswith("-"):
        return None
    other = "f" if kinds[0] == "d" else "d"
    end = "\\;" if tail[-1] == ";" else "+"
    more = f"find {shlex.quote(start)} -type {other} -exec chmod {mode[other]} {{}} {end}"
    what = "files" if other == "f" else "folders"
    return f"{command.rstrip()} && {more}", f"fixed here: the {what} get {mode[other]} too"


_AS_NUMBER = re.compile(
    r"\b(?:as\s+(?:a\s+)?numbers?|in\s+octal|octal|numeric(?:ally)?|in\s+numbers?)\b", re.I
)


def mode_number_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``stat -c %a keys/id_rsa`` when the request asks for a file's permissions as a number.

    "show the permissions of keys/id_rsa as a number" was answered with ``openssl rsa``. Only
    for one file here that the request names, and a draft without ``stat``.
    """
    if not (_AS_NUMBER.search(request) and re.search(r"\b(?:permissions?|mode)\b", request)):
        return None
    if re.search(r"(?<![\w-])stat\s", command):
        return None
    named = [w for w in request_words(request) if "/" in w or "." in w]
    files = list(dict.fromkeys(w for w in named if here.exists(w)))
    if len(files) != 1:
        return None
    fixed = f"stat -c %a {shlex.quote(files[0])}"
    return fixed, f"fixed here: stat -c %a prints {files[0]}'s mode as a number"


_OTHERS = r"(?:every(?:one|body)|any(?:one|body)|all\s+users|others|other\s+users|the\s+world)"
_WHO_MAY = (
    (re.compile(rf"\b{_OTHERS}\s+(?:can\s+)?writes?\b|\bworld[-\s]writ\w*", re.I), "-perm -o+w"),
    (re.compile(rf"\b{_OTHERS}\s+(?:can\s+)?reads?\b|\bworld[-\s]read\w*", re.I), "-perm -o+r"),
    (
        re.compile(r"\bonly\s+(?:I|me)\s+(?:can\s+)?read\b|\breadable\s+only\s+by\s+me\b", re.I),
        "! -perm /go=r",
    ),
    (re.compile(r"\b(?:are|is)\s+executable\b|\bexecutable\s+files\b", re.I), "-executable"),
)


def who_may_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    r"""``find . -type f -perm -o+w`` for "which files can everyone write to".

    Answered ``find / -type f -exec ls -l {} \\; | grep 'rwxr-xr-x'``: every file on the
    disk, matched on one whole mode; and "the files in site that only I can read" ``find site
    -type f -perm 644`` (which others can read); "which files here are executable" ``ls -l |
    grep '^-'``. Only for a draft that runs find or ls and changes nothing; the folder is the one
    the request names, else this one (only it, not the folders below, when the draft ran ls).
    """
    wanted = [test for asked, test in _WHO_MAY if asked.search(request)]
    if len(wanted) != 1 or re.search(r"\b(?:not|non)\b|n't\b", request, re.IGNORECASE):
        return None
    stages = command_stages(command)
    tools = {s[0] for s in stages}
    if not tools & {"find", "ls"} or tools - {"find", "ls", "grep", "awk", "cut", "sort", "head"}:
        return None
    if {w for s in stages for w in s} & {"chmod", "chown", "chgrp", "rm", "mv", "-delete"}:
        return None
    if re.search(r"\s-(?:executable|readable|writable)\b|\s-perm\s+['\"]?[-/]", command):
        return None  # a test of some bits, the model's own
    folders = [f for f in here.named_folders(request) if "/" not in f]
    start = shlex.quote(folders[0]) if len(folders) == 1 else "."
    ls_only = "find" not in tools and "R" not in short_flags(stages[0])  # one folder, not below
    fixed = f"find {start}{' -maxdepth 1' if ls_only else ''} -type f {wanted[0]}"
    return fixed, f"fixed here: find's {wanted[0]} tests the permission the request asks about"

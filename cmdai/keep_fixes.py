"""What a request says to keep: the compressed file, the files already there, a target folder.

Sure fixes (``cmdai.sure_fixes``), found in the ninth by-hand round (archives):
"decompress logs/old.log.gz and keep the compressed file" answered ``gzip -d`` (which deletes
it): ``-k``; "extract backup.tar.gz here, overwriting nothing" answered ``tar -xzf`` (which
overwrites): ``--skip-old-files``, and likewise ``cp -n``, ``mv -n``, ``unzip -n``, ``rsync
--ignore-existing``; "extract backup.tar.gz into a folder called restore" answered ``tar ... -C
restore`` (which fails when ``restore`` does not exist): ``mkdir -p restore &&`` first.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Collection
from typing import TYPE_CHECKING

from cmdai.stages import gives, replace_once, short_flags

if TYPE_CHECKING:
    from cmdai.pitfalls import Here
    from cmdai.shellparse import Analysis, SimpleCommand

_KEEP = re.compile(
    r"\b(?:keep(?:ing)?|preserv(?:e|ing)|leav(?:e|ing)|without (?:deleting|removing))\s+"
    r"(?:the\s+|a\s+|my\s+|its\s+)?(?:compressed|original|source|archive|\.?gz|zipped)\b",
    re.IGNORECASE,
)
# gzip's family: each deletes its input unless told -k (zstd keeps it by default).
_COMPRESSORS = frozenset({"gzip", "gunzip", "xz", "unxz", "bzip2", "bunzip2", "lzma", "unlzma"})


def _the_one(analysis: Analysis, names: Collection[str]) -> SimpleCommand | None:
    """The one command of ``names`` the line runs (None: none, or several).

    None too when it runs inside code handed to another shell: that is left alone.
    """
    found = [c for c in analysis.commands if c.argv[:1] and c.argv[0] in names]
    return found[0] if len(found) == 1 and not found[0].depth else None


def keep_input_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``gzip -d F.gz`` for "... and keep the compressed file": ``gzip -k -d F.gz``."""
    if not _KEEP.search(request):
        return None
    found = _the_one(analysis, _COMPRESSORS)
    if found is None or analysis.redirects:
        return None
    tool, words = found.argv[0], found.argv[1:]
    keeps = ("--keep", "--stdout", "--to-stdout")
    if set("kc") & set(short_flags(found.argv)) or any(w in keeps for w in words):
        return None
    fixed = _after_name(command, tool, "-k")
    note = f"fixed here: {tool} deletes the file it reads; -k keeps it"
    return (fixed, note) if fixed else None


_NO_OVERWRITE = re.compile(
    r"\b(?:overwrit\w*\s+nothing|without\s+overwriting|(?:do\s+not|don'?t|never|not)\s+"
    r"overwrite|no[- ]clobber|skip(?:ping)?\s+(?:the\s+)?(?:files\s+that\s+)?exist\w*|"
    r"(?:only|just)\s+(?:the\s+)?(?:new|missing)\s+(?:files|ones))\b",
    re.IGNORECASE,
)
_NO_CLOBBER = {
    "cp": ("-n", ("-n", "--no-clobber", "--update=none", "-u", "--update")),
    "mv": ("-n", ("-n", "--no-clobber", "--update=none", "-u", "--update")),
    "unzip": ("-n", ("-n", "-o")),
    "rsync": ("--ignore-existing", ("--ignore-existing", "--update", "-u")),
    "tar": ("--skip-old-files", ("-k", "--keep-old-files", "--skip-old-files")),
}


def no_overwrite_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``cp a b/`` for "... without overwriting": ``cp -n a b/`` (tar, unzip, mv, rsync too)."""
    if not _NO_OVERWRITE.search(request):
        return None
    found = _the_one(analysis, _NO_CLOBBER)
    if found is None:
        return None
    tool = found.argv[0]
    option, given = _NO_CLOBBER[tool]
    if gives(found.argv[1:], *given) or (tool == "tar" and not _extracts(found.argv)):
        return None
    # -n and -u keep files, -i asks first, -f says to overwrite: each is the user's own call
    if tool in ("cp", "mv") and set("nuif") & set(short_flags(found.argv)):
        return None
    fixed = _after_name(command, tool, option)
    note = f"fixed here: {tool} overwrites files that exist; {option} leaves them as they are"
    return (fixed, note) if fixed else None


def _extracts(argv: tuple[str, ...]) -> bool:
    """Whether a ``tar`` extracts (``-xzf``, ``xf``, ``--extract``, ``--get``)."""
    first = argv[1] if len(argv) > 1 else ""
    return (
        any(w in ("--extract", "--get") for w in argv[1:])
        or "x" in short_flags(argv)
        or (not first.startswith("-") and "x" in first and first.isalpha())
    )


def extract_folder_fix(command: str, analysis: Analysis, here: Here) -> tuple[str, str] | None:
    """``tar -xzf a.tgz -C restore`` where ``restore`` is not here: ``mkdir -p restore &&`` first.

    tar changes into the folder before it extracts, and stops when there is none (``unzip
    -d``, ``7z -o`` create theirs).
    """
    if len(analysis.commands) != 1:
        return None
    argv = analysis.commands[0].argv
    if argv[:1] != ("tar",) or not _extracts(argv):
        return None
    folder = None
    for i, word in enumerate(argv):
        if word in ("-C", "--directory") and i + 1 < len(argv):
            folder = argv[i + 1]
        elif word.startswith("--directory="):
            folder = word.split("=", 1)[1]
    if not folder or folder.startswith(("/", "~", "$", "-")) or here.exists(folder):
        return None
    fixed = f"mkdir -p {shlex.quote(folder)} && {command}"
    return fixed, f"fixed here: tar -C needs {folder} to exist, so it is made first"


def _after_name(command: str, tool: str, option: str) -> str | None:
    """``command`` with ``option`` right after the one ``tool`` it runs (None: not plainly)."""
    name = rf"(?:^|(?<=[\s;&|(]))(?:sudo\s+)?{re.escape(tool)}(?=\s)"
    return replace_once(command, name, lambda m: f"{m[0]} {option}")

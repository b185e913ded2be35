"""Sure fixes from the thirty-second by-hand round: the software installed on this machine.

Debian's package database asked the way dpkg answers: the files a package installed are
``dpkg -L`` (a draft grepped ``dpkg -l``'s one line about it), the packages installed are
dpkg's ``ii`` lines (``dpkg -l | wc -l`` also counted its five title lines and the removed
packages), and on a merged-/usr system a program's package is found whichever of ``/bin`` and
``/usr/bin`` the package names (``dpkg -S /usr/bin/ls``: "no path found", coreutils owns
``/bin/ls``).

``package_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called
(through ``cmdai.system_fixes.machine_fix``) for a draft that shows and changes nothing.
"""

from __future__ import annotations

import os
import re
import shlex

from cmdai.stages import command_stages

DPKG_INFO = "/var/lib/dpkg/info"
"""Where dpkg keeps each installed package's list of files (``NAME.list``, ``NAME:ARCH.list``)."""


def package_fix(command: str, request: str) -> tuple[str, str] | None:
    """The first of the package fixes that applies (None: none does)."""
    stages = command_stages(command)
    if not stages or not stages[0] or stages[0][0] not in ("dpkg", "dpkg-query"):
        return None
    return (
        package_files_fix(stages, request)
        or installed_count_fix(stages, request)
        or owner_fix(stages)
    )


def installed(package: str, info: str = DPKG_INFO) -> bool:
    """Whether dpkg lists ``package`` as installed here (its list of files is there)."""
    try:
        names = os.listdir(info)
    except OSError:
        return False
    return f"{package}.list" in names or any(n.startswith(f"{package}:") for n in names)


def _listed(path: str, info: str) -> bool:
    """Whether an installed package's list of files names ``path`` as written."""
    try:
        lists = [os.path.join(info, n) for n in os.listdir(info) if n.endswith(".list")]
    except OSError:
        return True  # nothing known: leave the draft as it is
    for name in lists:
        try:
            with open(name, encoding="utf-8", errors="replace") as f:
                if any(line.rstrip("\n") == path for line in f):
                    return True
        except OSError:
            continue
    return False


_FILES_ASKED = re.compile(
    r"\bfiles\b.*\b(?:the\s+)?(?P<a>[a-z0-9][a-z0-9+.-]+)\s+package\b"
    r"|\bfiles\b.*\bpackage\s+(?P<b>[a-z0-9][a-z0-9+.-]+)\b",
    re.IGNORECASE,
)


def package_files_fix(stages: list[list[str]], request: str) -> tuple[str, str] | None:
    """``dpkg -L coreutils`` for "list the files that the coreutils package installed"."""
    asked = _FILES_ASKED.search(request)
    if (
        asked is None
        or stages[0][0] != "dpkg"
        or any(w in ("-L", "--listfiles") for w in stages[0])
    ):
        return None
    package = (asked["a"] or asked["b"]).lower()
    if package in ("the", "a", "this", "that", "debian", "installed") or not installed(package):
        return None
    fixed = f"dpkg -L {shlex.quote(package)}"
    return fixed, f"fixed here: dpkg -L lists the files {package} installed (-l: its one line)"


def installed_count_fix(stages: list[list[str]], request: str) -> tuple[str, str] | None:
    """``dpkg -l | grep -c '^ii'`` for ``dpkg -l | wc -l``: "how many packages are installed"."""
    if not re.search(r"\bhow\s+many\b.*\bpackages\b|\bcount\b.*\bpackages\b", request, re.I):
        return None
    if len(stages) != 2 or stages[0] not in (["dpkg", "-l"], ["dpkg", "--list"]):
        return None
    if stages[1] != ["wc", "-l"]:
        return None
    note = "dpkg -l starts with five title lines and lists removed packages too; ii is installed"
    return "dpkg -l | grep -c '^ii'", f"fixed here: {note}"


def owner_fix(stages: list[list[str]], info: str = DPKG_INFO) -> tuple[str, str] | None:
    """``dpkg -S '*/bin/ls'`` for ``dpkg -S /usr/bin/ls`` on a merged-/usr system.

    There ``/bin`` is a link to ``usr/bin`` and a package may name either path for its file;
    the pattern matches both (a bare ``bin/ls`` would match ``lsblk`` and the rest too). Only
    where no package names the path as written (``dpkg -S /usr/bin/git`` finds git).
    """
    words = stages[0]
    if len(stages) != 1 or len(words) != 3 or words[1] not in ("-S", "--search"):
        return None
    found = re.fullmatch(r"(?:/usr)?/(s?bin)/([\w.+-]+)", words[2])
    if found is None or not os.path.islink("/bin") or _listed(words[2], info):
        return None
    fixed = f"dpkg -S '*/{found[1]}/{found[2]}'"
    note = f"/bin is /usr/bin here, and a package may name either; the pattern finds {found[2]}"
    return fixed, f"fixed here: {note}"

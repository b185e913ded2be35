"""Sure fixes from the eleventh by-hand round: questions about this machine.

The process behind a port, and a search of the whole disk.

Each returns the fixed command with a ``fixed here:`` note, or None (``cmdai.sure_fixes``
calls them for drafts that show and change nothing).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cmdai.stages import replace_once, short_flags

if TYPE_CHECKING:
    from cmdai.shellparse import Analysis

# "what is using port 8080", "which process listens on port 3000", "who is on port 22"
_PORT_OWNER = re.compile(
    r"\b(?:what|which|who)\b(?:\s+\w+){0,3}\s+(?:using|uses|listening|listens|on|holds|has|owns)"
    r"\b(?:\s+\w+){0,2}\s+port\s+\d+|\bport\s+\d+(?:\s+\w+){0,3}\s+(?:process|program|pid)\b"
    r"|\b(?:process|program|pid)\b(?:\s+\w+){0,4}\s+port\s+\d+",
    re.IGNORECASE,
)


def port_owner_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``netstat -tulnp`` / ``ss -tlnp`` when the request asks which process holds a port.

    "what is using port 8080" was answered ``netstat -tuln | grep 8080``: the socket, and no
    process. ``-p`` adds the program and its pid (all of them only as root).
    """
    if not _PORT_OWNER.search(request):
        return None
    tools = [c.argv for c in analysis.commands if c.argv[:1] in (("netstat",), ("ss",))]
    if len(tools) != 1:
        return None
    argv = tools[0]
    flags = short_flags(argv)
    if "p" in flags or "--program" in argv or "--processes" in argv or not flags:
        return None
    cluster = next(w for w in argv[1:] if w.startswith("-") and not w.startswith("--"))
    fixed = replace_once(
        command, rf"(?<![\w-]){argv[0]}\s+{re.escape(cluster)}(?=\s|$)", f"{argv[0]} {cluster}p"
    )
    if fixed is None:
        return None
    return fixed, f"fixed here: {argv[0]} -p shows the process that holds the port"


# "on this disk", "across the whole system", "on my computer"
_WHOLE_MACHINE = re.compile(
    r"\b(?:on|across|in|from)\s+(?:this|the|my)\s+(?:whole\s+|entire\s+)?"
    r"(?P<what>disk|drive|hard\s+drive|file\s*system|system|machine|computer|server)\b",
    re.IGNORECASE,
)


def whole_disk_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``find / -xdev ...`` for ``find . ...`` when the request searches the whole disk.

    "find all files over 100MB on this disk" was answered ``find . -type f -size +100M``,
    which searches the working directory. The disk is ``/`` without other mounts (``-xdev``);
    the system or machine is ``/``.
    """
    asked = _WHOLE_MACHINE.search(request)
    if asked is None:
        return None
    finds = [c.argv for c in analysis.commands if c.argv[:1] == ("find",)]
    if len(finds) != 1 or finds[0][1:2] not in ((".",), ("./",)):
        return None
    disk = re.sub(r"\s+", " ", asked["what"].lower()) in ("disk", "drive", "hard drive")
    start = "/ -xdev" if disk else "/"
    fixed = replace_once(command, r"(?<![\w./-])find\s+\./?(?=\s|$)", f"find {start}")
    if fixed is None:
        return None
    where = "the disk / is on (-xdev: not other mounts)" if disk else "the whole file system (/)"
    return fixed, f"fixed here: find {start} searches {where}, not only here"

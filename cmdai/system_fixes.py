"""Sure fixes about this machine and the network (the eleventh and thirteenth by-hand rounds).

Debian's packages asked about (the thirty-second) are ``cmdai.package_fixes``.

The process behind a port, a search of the whole disk, a ping that ends, a remote host and
path as the request spells them, and process ids handed on without lsof's or pgrep's extras.

Each returns the fixed command with a ``fixed here:`` note, or None (``cmdai.sure_fixes``
calls ``machine_fix`` for drafts that show and change nothing, the others for any).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cmdai.package_fixes import package_fix
from cmdai.stages import replace_once, short_flags
from cmdai.titles import titles_killed

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


def machine_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """The first of this module's fixes for a draft that shows and changes nothing."""
    return (
        port_owner_fix(command, analysis, request)
        or whole_disk_fix(command, analysis, request)
        or ping_count_fix(command, analysis, request)
        or package_fix(command, request)
    )


# "check if example.com is reachable", "is the server up?", "can I reach 10.0.0.1"
_REACHABLE_ASKED = re.compile(
    r"\b(?:reachable|online|alive|responding|responds|answers)\b|\bcan\s+(?:i|we)\s+reach\b"
    r"|\b(?:is|are|if|whether)\b(?:\s+\S+){1,3}\s+(?:up|down)\b",
    re.IGNORECASE,
)
_ENDLESS_ASKED = re.compile(r"\b(?:continuous\w*|keep|forever|until|monitor|watch)\b", re.I)


def ping_count_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """``ping -c 4 HOST`` for ``ping HOST`` when the request asks whether a host answers.

    "check if example.com is reachable" was answered ``ping example.com``, which on Linux never
    stops by itself: the question is answered after four replies, not at Ctrl-C. Only for that
    question (a ping that runs on is often the point: timestamps, monitoring), and not when
    the request says to keep at it.
    """
    if _ENDLESS_ASKED.search(request) or not _REACHABLE_ASKED.search(request):
        return None
    pings = [c.argv for c in analysis.commands if c.argv[:1] in (("ping",), ("ping6",))]
    if len(pings) != 1 or set(short_flags(pings[0])) & set("cwf"):
        return None
    if any(w.startswith(("--count", "--deadline")) for w in pings[0]):
        return None
    fixed = replace_once(command, r"(?<![\w./-])(ping6?)(?=\s)", lambda m: f"{m[1]} -c 4")
    if fixed is None:
        return None
    return fixed, "fixed here: ping -c 4 stops after four replies (ping alone runs until Ctrl-C)"


# `server.example.com:/var/www`, `deploy@host.example.org:backups/` in the request's words
_REMOTE = re.compile(r"(?<![\w@./:-])((?:[\w.-]+@)?[A-Za-z0-9][\w-]*(?:\.[\w-]+)+):([^\s,;]*)")


def remote_target_fix(command: str, analysis: Analysis, request: str) -> tuple[str, str] | None:
    """The remote ``HOST:PATH`` the request spells, where the draft wrote another host.

    "copy the site folder to server.example.com:/var/www" was answered ``scp -r site/
    user@example.com:/var/www``: another host, and a user the request never named. Only for
    ``scp``, ``rsync`` and ``sftp``, and only where the draft's path is the request's.
    """
    tools = [c.argv for c in analysis.commands if c.argv[:1] in (("scp",), ("rsync",), ("sftp",))]
    if len(tools) != 1:
        return None
    for spec in _REMOTE.finditer(request):
        host, path = spec[1], spec[2].rstrip(".")
        if f"{host}:{path}" in command:
            continue
        drafted = [
            w
            for w in tools[0][1:]
            if (m := _REMOTE.fullmatch(w)) and m[2].rstrip("/") == path.rstrip("/") and m[1] != host
        ]
        if len(drafted) != 1:
            continue
        spelled = r"(?<![\w@./:-])" + re.escape(drafted[0]) + r"(?![\w./-])"
        fixed = replace_once(command, spelled, f"{host}:{path}")
        if fixed is not None:
            return fixed, f"fixed here: {host}:{path} is the remote the request names"
    return None


# `| awk '{print $2}'`: the second column, a process listing's PID
_AWK_SECOND = r"awk\s+(?P<q>['\"])\{\s*print\s+\$2;?\s*\}(?P=q)"
_LSOF_PIDS = re.compile(
    r"\blsof(?P<args>(?:\s+[^\s|;&()`]+)+?)\s*\|\s*(?:grep\s+-v\s+[^\s|]+\s*\|\s*)*" + _AWK_SECOND
)
"""``lsof ARGS | [grep -v X |] awk '{print $2}'``: the PID column, titles and all."""


def lsof_pids_fix(command: str, analysis: Analysis) -> tuple[str, str] | None:
    """``lsof -t -i :8080 | xargs kill`` for ``lsof -i :8080 | awk '{print $2}' | xargs kill``.

    The title line's ``PID`` made kill refuse every process id (``cmdai.titles``); ``lsof -t``
    prints the ids alone. Asked again with that note, the model wrote worse commands.
    """
    if not titles_killed(analysis):
        return None
    found = list(_LSOF_PIDS.finditer(command))
    if len(found) != 1:
        return None
    m = found[0]
    fixed = f"{command[: m.start()]}lsof -t{m.group('args')}{command[m.end() :]}"
    return fixed, "fixed here: lsof prints a line of column titles, and lsof -t the ids alone"


_ID_LIST_AWK = re.compile(
    r"\b(?P<lister>(?P<tool>lsof|pgrep)(?:\s+[^\s|;&()`]+)+?)\s*\|\s*" + _AWK_SECOND
)
_TERSE = re.compile(r"-[a-zA-Z]*t[a-zA-Z]*")
_NAMED = re.compile(r"-[a-zA-Z]*[la][a-zA-Z]*|--list-(?:name|full)")


def id_list_fix(command: str) -> tuple[str, str] | None:
    """``kill $(lsof -t -i :3000)`` for ``kill $(lsof -t -i :3000 | awk '{print $2}')``.

    ``lsof -t`` and ``pgrep`` print process ids alone, one per line, so awk's second field is
    empty and kill is given nothing (found by hand: "kill the process on port 3000").
    """
    found = list(_ID_LIST_AWK.finditer(command))
    if len(found) != 1:
        return None
    m = found[0]
    words = m.group("lister").split()[1:]
    if m.group("tool") == "lsof":
        terse = any(_TERSE.fullmatch(w) for w in words)
    else:  # pgrep, unless told to print names or command lines beside the ids
        terse = not any(_NAMED.fullmatch(w) for w in words)
    if not terse:
        return None
    fixed = f"{command[: m.start()]}{m.group('lister')}{command[m.end() :]}"
    return fixed, f"fixed here: {m.group('tool')} prints the ids alone, so awk's $2 was empty"

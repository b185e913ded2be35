"""Sure fixes from the twenty-eighth by-hand round: processes and jobs.

A process's pid found with pgrep (``ps | grep`` finds the grep too), processes counted
without ps's title line, memory as resident (RSS, not the virtual size), a process's
environment read from /proc (ps has no ``env`` column), the program that holds a file open
(lsof, not ps), a wait for a process that is no child of the shell, two scripts run at once,
the processes over a share of the CPU, and no ``sudo`` to lower a program's priority.

Each returns the fixed command with a ``fixed here:`` note, or None; ``process_fix`` is the one
``cmdai.sure_fixes`` calls, for any draft (these show, wait or start what the request names;
``sudo`` only comes off).
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.stages import command_stages, short_flags

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def process_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of this module's fixes that applies (None: none does)."""
    return (
        pid_fix(command, request)
        or counted_processes_fix(command, request)
        or resident_memory_fix(command, request)
        or environment_fix(command)
        or open_file_fix(command, request)
        or wait_pid_fix(command, request)
        or cpu_share_fix(command, request)
        or lower_priority_fix(command)
        or (together_fix(command, request, here) if here is not None else None)
    )


_PID_ASKED = re.compile(
    r"\b(?:pid|process\s+id)s?\s+of\s+(?:the\s+)?(?:process(?:es)?\s+)?(?:named|called)\s+"
    r"(?P<name>[\w.-]+)",
    re.IGNORECASE,
)


def pid_fix(command: str, request: str) -> tuple[str, str] | None:
    """``pgrep -x cron`` for ``ps aux | grep cron | awk '{print $2}'``, which prints grep's pid.

    Only where the draft greps ps for the name without leaving grep itself out.
    """
    asked = _PID_ASKED.search(request)
    stages = command_stages(command)
    if asked is None or len(stages) < 2 or stages[0][0] != "ps" or stages[1][0] != "grep":
        return None
    name = asked["name"]
    if name not in stages[1] or "grep -v grep" in command or re.search(r"\[\w\]", command):
        return None
    exact = "-x " if len(name) <= 15 else ""  # the kernel keeps 15 characters of a name
    fixed = f"pgrep {exact}{shlex.quote(name)}"
    return fixed, "fixed here: pgrep prints the pids (ps | grep also finds the grep itself)"


def counted_processes_fix(command: str, request: str) -> tuple[str, str] | None:
    """``ps -u root --no-headers | wc -l`` for ``ps -u root | wc -l``: the title line counted."""
    stages = command_stages(command)
    if len(stages) != 2 or stages[0][0] != "ps" or stages[1] != ["wc", "-l"]:
        return None
    if not re.search(r"\b(?:count|how\s+many|number\s+of)\b", request, re.IGNORECASE):
        return None
    words = stages[0]
    if "h" in short_flags(words) or any(w.startswith("--no-head") for w in words):
        return None
    if any("h" in w and w.isalpha() for w in words[1:] if not w.startswith("-")):
        return None  # ps haux: BSD's h
    fixed = re.sub(r"\s*\|\s*wc\s+-l\s*$", " --no-headers | wc -l", command.rstrip(), count=1)
    return fixed, "fixed here: --no-headers, so ps's title line is not counted"


def resident_memory_fix(command: str, request: str) -> tuple[str, str] | None:
    """``ps -p 1 -o pid,rss`` for ``ps -p 1 -o pid,vsz``: "how much memory ... uses".

    VSZ counts every page the process has mapped, used or not; RSS is the memory it holds.
    """
    if not re.search(r"\bmemory\b.*\b(?:use|uses|using|takes?)\b", request, re.IGNORECASE):
        return None
    if re.search(r"\bvirtual\b", request, re.IGNORECASE):
        return None
    stages = command_stages(command)
    if not stages or stages[0][0] != "ps" or "rss" in command:
        return None
    found = list(re.finditer(r"(?<=[-\s,=])vsz(?=[,=\s]|$)", command))
    if len(found) != 1:
        return None
    fixed = command[: found[0].start()] + "rss" + command[found[0].end() :]
    return fixed, "fixed here: rss is the memory the process holds, in KiB (vsz: all it maps)"


_PS_ENV = re.compile(r"^\s*ps\s+(?:-p\s+|--pid\s+)(?P<pid>\d+)\s+-o\s+env=?\s*$")


def environment_fix(command: str) -> tuple[str, str] | None:
    r"""``tr '\0' '\n' < /proc/1/environ`` for ``ps -p 1 -o env`` (no such ps column)."""
    found = _PS_ENV.match(command)
    if found is None:
        return None
    fixed = f"tr '\\0' '\\n' < /proc/{found['pid']}/environ"
    return fixed, "fixed here: ps has no env column; /proc/PID/environ holds the variables"


_OPEN_ASKED = re.compile(
    r"\b(?:which|what)\s+(?:program|process|application)e?s?\s+(?:has|have|holds?|is\s+using|"
    r"uses?)\s+(?P<file>[\w./-]+)\s+open\b",
    re.IGNORECASE,
)


def open_file_fix(command: str, request: str) -> tuple[str, str] | None:
    """``lsof -- notes.txt`` for ``ps aux | grep notes.txt`` (a file open is not in ps's list)."""
    asked = _OPEN_ASKED.search(request)
    if asked is None or re.search(r"\b(?:lsof|fuser)\b", command):
        return None
    name = asked["file"]
    fixed = f"lsof -- {shlex.quote(name)}"
    return fixed, f"fixed here: lsof lists the processes that hold {name} open"


def wait_pid_fix(command: str, request: str) -> tuple[str, str] | None:
    """A loop of ``kill -0`` for ``wait 4242``: wait knows only the shell's own children.

    "wait for process 4242 to finish" answered ``wait 4242 && echo done``: bash says "pid 4242
    is not a child of this shell" at once.
    """
    found = re.match(r"^\s*wait\s+(?P<pid>\d+)\s*(?P<rest>(?:&&|;).*)?$", command)
    if found is None or found["pid"] not in request:
        return None
    pid = found["pid"]
    rest = found["rest"] or ""
    then = re.sub(r"^&&", ";", rest.strip())
    fixed = f"while kill -0 {pid} 2>/dev/null; do sleep 1; done{then and ' ' + then.lstrip()}"
    fixed = fixed.replace(" ; ", "; ").replace("done ;", "done;")
    return (
        fixed,
        f"fixed here: wait knows only this shell's children; kill -0 {pid} asks if it runs",
    )


_SHARE_ASKED = re.compile(
    r"\b(?:using|use|uses|over|above|with)\s+(?:more\s+than\s+|over\s+|above\s+)?"
    r"(?P<share>\d+(?:\.\d+)?)\s*%\s+(?:of\s+(?:the\s+)?)?(?P<what>cpu|memory|mem|ram)\b",
    re.IGNORECASE,
)


def cpu_share_fix(command: str, request: str) -> tuple[str, str] | None:
    """``ps aux | awk 'NR == 1 || $3 > 50'`` for the ten busiest: "using more than 50% cpu"."""
    asked = _SHARE_ASKED.search(request)
    stages = command_stages(command)
    if asked is None or not stages or stages[0][:2] != ["ps", "aux"] or "awk" in command:
        return None
    column = "$3" if asked["what"].lower() == "cpu" else "$4"
    share = asked["share"]
    fixed = f"ps aux | awk 'NR == 1 || {column} > {share}'"
    what = "%CPU" if column == "$3" else "%MEM"
    return fixed, f"fixed here: awk keeps the rows whose {what} is over {share} (and the titles)"


_SUDO_NICE = re.compile(r"^\s*sudo\s+(?=nice\s+(?:-n\s*)?(?:\+?\d+|-\d+)?\s*\S)")


def lower_priority_fix(command: str) -> tuple[str, str] | None:
    """``nice -n 19 ./build.sh`` for ``sudo nice -n 19 ./build.sh``: lowering needs no root.

    Only a raised niceness (a lower priority); a negative one does need root.
    """
    if _SUDO_NICE.match(command) is None:
        return None
    found = re.match(r"^\s*sudo\s+nice(?:\s+-n\s*|\s+-)(?P<n>-?\d+)\s", command)
    if found is None or int(found["n"]) < 0:
        return None
    fixed = _SUDO_NICE.sub("", command, count=1)
    return fixed, "fixed here: no sudo: anyone may lower a program's priority (nice -n N >= 0)"


_TOGETHER_ASKED = re.compile(
    r"^\s*(?:please\s+)?run\s+(?P<a>[\w./-]+\.sh)\s+and\s+(?P<b>[\w./-]+\.sh)\s+"
    r"(?:at\s+the\s+same\s+time|in\s+parallel|simultaneously|together)\b",
    re.IGNORECASE,
)


def together_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``./a.sh & ./b.sh & wait`` for ``sh a.sh &``: "run a.sh and b.sh at the same time"."""
    asked = _TOGETHER_ASKED.match(request)
    if asked is None:
        return None
    a, b = asked["a"], asked["b"]
    if not (here.exists(a) and here.exists(b)) or (a in command and b in command):
        return None

    def run(name: str) -> str:
        path = name if "/" in name else f"./{name}"
        return shlex.quote(path) if here.executable(name) else f"sh {shlex.quote(name)}"

    fixed = f"{run(a)} & {run(b)} & wait"
    return fixed, "fixed here: both run in the background at once; wait waits for the two"

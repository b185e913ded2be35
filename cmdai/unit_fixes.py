"""Sure fixes from the forty-sixth by-hand round: systemd unit files in the working directory.

Shown the units here (``cmdai.projects.units_fact``), the model used their real names but
not always the one meant or the way asked: ``status cleanup.service`` for "the status of the
shop api" (``shopapi.service``, "Shop API"), ``journalctl -u ...`` without ``-f`` to follow,
``enable cleanup.timer`` for "enable ... and start it now" (no ``--now``), ``stop`` for "stop
... and keep it from starting at boot" (no ``disable``), ``start cleanup.timer`` for "run the
cleanup job once right now" (the timer, not the job), ``daemon-reload`` alone for "install
shopapi.service" (systemd reads /etc/systemd/system, not this folder), a grep for "check
shopapi.service for mistakes" (``systemd-analyze verify``), and a grep for ERROR in the
journal for "the errors ... logged today" (``-p err --since today``).

``unit_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called
(through ``cmdai.project_fixes.project_fix``) with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.projects import unit_description, units_named

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_KINDS = ("service", "timer", "socket", "path", "target", "mount")
_UNIT = r"[\w@.-]+\.(?:" + "|".join(_KINDS) + ")"


def unit_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies beside unit files (None: none does)."""
    found = [n for kind in _KINDS for n in here.expand(f"*.{kind}") if re.fullmatch(_UNIT, n)]
    units = [(n, _description(here, n)) for n in found]
    mentioned = any(re.search(rf"(?<![\w.-]){re.escape(n)}(?![\w.-])", command) for n in found)
    if not units or not (mentioned or re.search(r"\b(?:systemctl|journalctl)\b", command)):
        return None
    named = units_named(request, units)
    fixed = (
        install_fix(command, request, named)
        or verify_fix(command, request, named)
        or job_once_fix(command, request, found)
        or errors_today_fix(command, request, named)
    )
    if fixed is not None:
        return fixed
    renamed = other_unit_fix(command, found, named)  # then the way asked, on the right unit
    current = renamed[0] if renamed else command
    asked = follow_fix(current, request) or now_fix(current, request)
    if asked is None:
        return renamed
    if renamed is None:
        return asked
    return asked[0], renamed[1] + "; " + asked[1].removeprefix("fixed here: ")


def _description(here: Here, name: str) -> str:
    return unit_description(here.lines(name) or [])


def install_fix(command: str, request: str, named: list[str]) -> tuple[str, str] | None:
    """``sudo cp X.service /etc/systemd/system/ && sudo systemctl daemon-reload``."""
    if not re.search(r"\binstall\b", request, re.I) or len(named) != 1:
        return None
    if "/etc/systemd/system" in command or "link" in command:
        return None
    unit = shlex.quote(named[0])
    fixed = f"sudo cp {unit} /etc/systemd/system/ && sudo systemctl daemon-reload"
    return fixed, "fixed here: systemd reads units from /etc/systemd/system, not from here"


def verify_fix(command: str, request: str, named: list[str]) -> tuple[str, str] | None:
    """``systemd-analyze verify X.service`` for "check X.service for mistakes"."""
    if not re.search(
        r"\b(?:check|verify|validate|lint)\b.*\b(?:mistakes?|errors?|problems?|valid)\b",
        request,
        re.I,
    ):
        return None
    if len(named) != 1 or "systemd-analyze verify" in command:
        return None
    return (
        f"systemd-analyze verify {shlex.quote(named[0])}",
        "fixed here: systemd-analyze verify checks a unit file",
    )


def job_once_fix(command: str, request: str, units: list[str]) -> tuple[str, str] | None:
    """``sudo systemctl start cleanup.service`` for ``start cleanup.timer``: the job, now, once."""
    if not re.search(r"\b(?:once|right\s+now|now)\b", request, re.I):
        return None
    found = re.search(r"\bsystemctl\s+start\s+(?P<stem>[\w@.-]+)\.timer\b", command)
    if (
        found is None
        or f"{found['stem']}.service" not in units
        or re.search(r"\btimer\b", request, re.I)
    ):
        return None
    fixed = f"sudo systemctl start {shlex.quote(found['stem'] + '.service')}"
    return fixed, "fixed here: starting the .service runs the job now; the .timer only schedules it"


def errors_today_fix(command: str, request: str, named: list[str]) -> tuple[str, str] | None:
    """``journalctl -u X -p err --since today`` for "the errors X logged today"."""
    if not re.search(r"\berrors?\b", request, re.I) or not re.search(r"\btoday\b", request, re.I):
        return None
    if len(named) != 1 or "journalctl" not in command or "-p err" in command:
        return None
    fixed = f"journalctl -u {shlex.quote(named[0])} -p err --since today"
    return fixed, "fixed here: -p err keeps the journal's errors, --since today today's"


def other_unit_fix(command: str, units: list[str], named: list[str]) -> tuple[str, str] | None:
    """The unit the request names for another unit here (``cleanup.service`` for "the shop api")."""
    if len(named) != 1:
        return None
    wanted = named[0]
    used = [u for u in units if re.search(rf"(?<![\w.-]){re.escape(u)}(?![\w.-])", command)]
    wrong = [u for u in used if u != wanted]
    if not wrong:
        return None
    fixed = command
    for unit in wrong:
        pattern = rf"(?:\s+-u)?\s+{re.escape(unit)}(?![\w.-])"
        if wanted in fixed:
            fixed = re.sub(pattern, "", fixed)
        else:
            fixed = re.sub(rf"(?<![\w.-]){re.escape(unit)}(?![\w.-])", wanted, fixed, count=1)
    return fixed, f"fixed here: the request means {wanted}"


def follow_fix(command: str, request: str) -> tuple[str, str] | None:
    """``journalctl -u X -f`` for "follow the logs of X"."""
    if not re.search(r"\b(?:follow|live|as\s+they\s+come|keep\s+watching)\b", request, re.I):
        return None
    if (
        not re.match(r"\s*(?:sudo\s+)?journalctl\b", command)
        or re.search(r"\s(?:-f|--follow)\b", command)
        or "|" in command
    ):
        return None
    return f"{command.rstrip()} -f", "fixed here: -f follows the journal as it grows"


def now_fix(command: str, request: str) -> tuple[str, str] | None:
    """``enable --now`` for "enable X and start it now", ``disable --now`` for "stop X for good".

    "for good": "stop the shop api and keep it from starting at boot".
    """
    found = re.match(
        r"\s*(?:sudo\s+)?systemctl\s+(?P<verb>enable|stop)\s+(?P<unit>" + _UNIT + r"|[\w@.-]+)\s*$",
        command,
    )
    if found is None:
        return None
    unit = found["unit"]
    if found["verb"] == "enable" and re.search(r"\bnow\b|\band\s+start\b", request, re.I):
        return f"sudo systemctl enable --now {unit}", "fixed here: enable --now also starts it"
    if found["verb"] == "stop" and re.search(r"\bboot\b|\bdisable\b", request, re.I):
        return (
            f"sudo systemctl disable --now {unit}",
            "fixed here: disable --now stops it and keeps it from starting at boot",
        )
    return None

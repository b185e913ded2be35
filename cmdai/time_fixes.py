"""Sure fixes from the seventeenth by-hand round: dates, time limits and scheduled jobs.

A date ``touch -t`` cannot read, "from now" that ``date -d`` refuses, the days until a date,
a time limit (``timeout``), and a job added to the crontab instead of ``crontab -e``.

Each returns the fixed command with a ``fixed here:`` note, or None; ``time_fix`` is the one
``cmdai.sure_fixes`` calls, for any draft.
"""

from __future__ import annotations

import re

from cmdai.stages import replace_once


def time_fix(command: str, request: str) -> tuple[str, str] | None:
    """The first of this module's fixes that applies (None: none does)."""
    return (
        touch_date_fix(command)
        or from_now_fix(command)
        or days_until_fix(command, request)
        or time_limit_fix(command, request)
        or cron_line_fix(command, request)
    )


# `touch -t 2026-01-01 f`: -t takes [[CC]YY]MMDDhhmm[.ss]; a date with - or : is -d's
_TOUCH_T = re.compile(
    r"(?P<head>(?<![\w-])touch\s+(?:-\w+\s+)*?)-t(?P<tail>\s+(?P<q>['\"]?)"
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?)(?P=q))(?=\s)"
)


def touch_date_fix(command: str) -> tuple[str, str] | None:
    """``touch -d 2026-01-01 f`` for ``touch -t 2026-01-01 f`` ("invalid date format").

    "touch reports/draft.txt so its date is 2026-01-01" was answered with ``-t``, which reads
    digits only (``202601010000``); ``-d`` reads a date as people write it.
    """
    found = _TOUCH_T.search(command)
    if found is None:
        return None
    fixed = replace_once(command, re.escape(found.group()), f"{found['head']}-d{found['tail']}")
    if fixed is None:
        return None
    note = f"touch -t reads digits only (CCYYMMDDhhmm); -d reads {found['date']}"
    return fixed, f"fixed here: {note}"


_FROM_NOW = re.compile(
    r"(?<=\d)\s+(?P<unit>(?:second|minute|hour|day|week|month|year)s?)\s+from\s+now\b"
)


def from_now_fix(command: str) -> tuple[str, str] | None:
    """``date -d "90 days"`` for ``date -d "90 days from now"`` ("invalid date").

    GNU date reads "90 days", "+90 days" or "90 days ago", and refuses "from now".
    """
    if not re.search(r"(?<![\w-])date\s", command):
        return None
    fixed, count = _FROM_NOW.subn(lambda m: f" {m['unit']}", command)
    if count != 1:
        return None
    return fixed, 'fixed here: date -d reads "90 days" (and "90 days ago"), not "from now"'


# "how many days are left until 2026-12-25", "days till 2027-01-01", "how many days to ..."
_DAYS_UNTIL = re.compile(
    r"\bhow\s+many\s+days\b(?:\s+\w+){0,3}?\s+(?:until|till|to|before)\s+"
    r"(?P<date>\d{4}-\d{2}-\d{2})\b",
    re.IGNORECASE,
)


def days_until_fix(command: str, request: str) -> tuple[str, str] | None:
    """The days from today to a date, for a ``date`` draft that prints something else.

    "how many days are left until 2026-12-25" was answered ``date -d "2026-12-25" +%j``, the
    day of the year. Both days are read at midnight UTC, so a change of clocks in between
    cannot lose one.
    """
    asked = _DAYS_UNTIL.search(request)
    if asked is None or not re.search(r"(?<![\w-])date\s", command) or "%s" in command:
        return None
    date = asked["date"]
    fixed = f'echo $(( ($(date -ud {date} +%s) - $(date -ud "$(date +%F)" +%s)) / 86400 ))'
    return fixed, f"fixed here: the days from today to {date}, counted from both dates' seconds"


# "stop it if it takes longer than 10 seconds", "kill it after 2 minutes", "give up after 30s"
_LIMIT = re.compile(
    r"\b(?:stop|kill|end|abort|cancel|give\s+up|time\s*out)\b[^.;]*?"
    r"\b(?:longer\s+than|more\s+than|after|over)\s+(?P<n>\d+)\s*"
    r"(?P<unit>s|secs?|seconds?|m|mins?|minutes?|h|hours?)\b",
    re.IGNORECASE,
)
# `./slow.sh & sleep 10 && kill %1`, `bash slow.sh & sleep 10; kill $!`
_RUN_AND_KILL = re.compile(
    r"^\s*(?P<run>[^&;|]+?)\s*&\s*sleep\s+\d+[smh]?\s*(?:&&|;)\s*kill\s+(?:-\w+\s+)?(?:%1|\$!)\s*$"
)


def time_limit_fix(command: str, request: str) -> tuple[str, str] | None:
    """``timeout 10 ./slow.sh`` for ``./slow.sh & sleep 10 && kill %1``.

    The draft always waits the whole time, and kills whatever job 1 is by then; ``timeout``
    stops the program only if it is still running, and returns as soon as it ends.
    """
    limit, drafted = _LIMIT.search(request), _RUN_AND_KILL.match(command)
    if limit is None or drafted is None:
        return None
    unit = limit["unit"][0].lower()
    fixed = f"timeout {limit['n']}{'' if unit == 's' else unit} {drafted['run']}"
    return fixed, f"fixed here: timeout stops it after {limit['n']}{unit} only if it still runs"


_DAYS = {
    **{"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3},
    **{"thursday": 4, "friday": 5, "saturday": 6},
}
_AT = r"(?:at\s+)?(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<half>am|pm|a\.m\.|p\.m\.)?"
_EVERY = re.compile(
    r"\bevery\s+(?:(?P<day>day|night|morning|evening|"
    + "|".join(_DAYS)
    + r")\s+"
    + _AT
    + r"|(?P<n>\d+)\s+(?P<unit>minutes?|hours?)|(?P<one>minute|hour))\b",
    re.IGNORECASE,
)
# What the job runs: `backup.sh`, `./backup.sh`, `scripts/backup.sh` (a script here).
_SCRIPT = re.compile(r"(?<![\w/.-])(?:\./)?(?P<path>[\w.-]+(?:/[\w.-]+)*\.(?:sh|py|pl|rb))\b")


def cron_schedule(request: str) -> str | None:
    """The crontab times for "every day at 2am", "every monday at 9:30", "every 15 minutes"."""
    every = _EVERY.search(request)
    if every is None:
        return None
    if every["one"]:
        return "* * * * *" if every["one"].lower() == "minute" else "0 * * * *"
    if every["n"]:
        n = int(every["n"])
        minutes = every["unit"].lower().startswith("minute")
        if not 0 < n < (60 if minutes else 24):
            return None
        return f"*/{n} * * * *" if minutes else f"0 */{n} * * *"
    hour, minute = int(every["hour"]), int(every["minute"] or 0)
    half = (every["half"] or "").replace(".", "").lower()
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or (not half and not every["minute"]):
        return None  # "every day at 2" says neither am nor pm
    weekday = _DAYS.get(every["day"].lower())
    return f"{minute} {hour} * * {'*' if weekday is None else weekday}"


def cron_line_fix(command: str, request: str) -> tuple[str, str] | None:
    """``(crontab -l 2>/dev/null; echo "0 2 * * * $PWD/backup.sh") | crontab -``.

    "run backup.sh every day at 2am" was answered ``crontab -e``: an editor to drive by hand,
    with no line written. The line is added to the jobs there are (``crontab -l``), with the
    script's path made absolute (cron does not start here).
    """
    if not re.search(r"(?<![\w-])crontab\s+-e\b", command):
        return None
    schedule = cron_schedule(request)
    scripts = {m["path"] for m in _SCRIPT.finditer(request)}
    if schedule is None or len(scripts) != 1:
        return None
    script = scripts.pop()
    line = f"{schedule} $PWD/{script}"
    fixed = f'(crontab -l 2>/dev/null; echo "{line}") | crontab -'
    return fixed, f"fixed here: crontab -e opens an editor; this adds the line {line}"

"""Sure fixes from the thirty-fifth by-hand round: users, groups and logins.

A user deleted "together with his home directory" is ``userdel -r`` (a draft removed
``/home/bob`` and left the account, and the gate blocked its ``rm -rf``), when a user last
changed a password is ``chage -l`` (a draft grepped ``auth.log`` for words no log writes),
and "the last 10 logins" are ``last -n 10`` (a draft read the end of ``auth.log``).

``account_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called
(through ``cmdai.permission_fixes.permission_fix``) for any draft.
"""

from __future__ import annotations

import re

from cmdai.titles import number_value

_USER = r"(?P<user>[a-z_][a-z0-9_-]{0,31})"


def account_fix(command: str, request: str) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does)."""
    return (
        user_delete_fix(command, request)
        or password_age_fix(command, request)
        or (logins_fix(command, request))
    )


def _sudo(command: str) -> str:
    """``sudo `` where the draft ran as root through sudo ("" where it did not)."""
    return "sudo " if re.search(r"(?:^|[;&|(]\s*)sudo\s", command) else ""


_DELETE_USER = re.compile(
    r"\b(?:delete|remove)\s+(?:the\s+)?(?:user|account)\s+(?:called\s+|named\s+)?"
    + _USER
    + r"\b(?!['\u2019]s)"
    r"(?P<home>.*\bhome\b)?",
    re.IGNORECASE,
)


def user_delete_fix(command: str, request: str) -> tuple[str, str] | None:
    """``sudo userdel -r bob`` for "delete the user bob together with his home directory"."""
    asked = _DELETE_USER.search(request)
    if asked is None or re.search(r"\b(?:userdel|deluser)\b", command):
        return None
    user = asked["user"]
    if not re.search(rf"\brm\b.*\s['\"]?/home/{re.escape(user)}/?['\"]?(?:\s|$)", command):
        return None  # only the draft seen: the account's home removed, the account left
    option = "-r " if asked["home"] else ""
    fixed = f"{_sudo(command)}userdel {option}{user}"
    note = f"userdel {option}removes the account {user}" + (" and its home" if option else "")
    return fixed, f"fixed here: {note}; rm only removed files"


_PASSWORD_AGE = re.compile(
    r"\bwhen\s+(?:did\s+)?(?:the\s+user\s+)?" + _USER + r"\s+(?:last\s+)?chang(?:e|ed)\s+"
    r"(?:his|her|their|its|the)\s+password\b",
    re.IGNORECASE,
)


def password_age_fix(command: str, request: str) -> tuple[str, str] | None:
    """``sudo chage -l bob`` for "show when bob last changed his password"."""
    asked = _PASSWORD_AGE.search(request)
    if asked is None or re.search(r"\b(?:chage|passwd\s+-S|passwd\s+--status)\b", command):
        return None
    user = asked["user"]
    return f"sudo chage -l {user}", "fixed here: chage -l shows the last password change"


_LOGINS = re.compile(
    r"\b(?:the\s+)?(?:last|latest|most\s+recent|recent)\s+(?:(?P<n>\d+|[a-z]+)\s+)?logins\b", re.I
)


def logins_fix(command: str, request: str) -> tuple[str, str] | None:
    """``last -n 10`` for "show the last 10 logins" (seen: ``tail -n 10 /var/log/auth.log``)."""
    asked = _LOGINS.search(request)
    if asked is None or re.search(r"\b(?:last|lastlog|lastb|who|w|journalctl)\b", command):
        return None
    n = number_value(asked["n"]) if asked["n"] else None
    if asked["n"] and n is None:
        return None
    fixed = f"last -n {n}" if n else "last"
    return fixed, "fixed here: last lists the logins, newest first, from the login records"

"""A setting changed in a configuration file, written here from the request and the file.

Found in the twelfth by-hand round (configuration files): asked "change the port in app.ini to
9000", the model wrote ``sed -i 's/9000/9001/g'``; "set DEBUG to false in the env file",
``export DEBUG=false``; "comment out the debug line in app.ini", a sed that set it to false.
When the request names a setting, what to do with it and a file here, and the file has
exactly one line for that setting, the edit is certain and written here instead: the line's
own text up to its value (indentation, the key as spelled, its ``=``, ``:`` or space) is kept,
so ``port = 8000``, ``DEBUG=true``, ``log_level: info`` and nginx's ``server_name a.com;``
each keep their form. Anything else (no such file, no line or several, a value sed could not
carry) leaves the model's draft as it was.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cmdai.context import Workdir

_KEY = r"(?P<key>[A-Za-z_][\w.-]*)"
_WHERE = r"(?:\s+(?:in|of|from)\s+(?P<where>.+?))?"
# "change the port in app.ini to 9000", "set DEBUG to false in the env file"
_SET = re.compile(
    rf"^\s*(?:please\s+)?(?:change|set|update)\s+(?:the\s+)?{_KEY}"
    rf"(?:\s+(?:setting|value|option|key|entry|directive))?{_WHERE}\s+to\s+(?P<value>\S+?)"
    r"(?:\s+(?:in|of)\s+(?P<where2>.+?))?\s*$",
    re.IGNORECASE,
)
# "add TIMEOUT=60 to .env, replacing the old value"
_ADD = re.compile(
    rf"^\s*(?:please\s+)?(?:add|put|write)\s+{_KEY}=(?P<value>\S+?)\s+(?:to|in|into)\s+"
    r"(?P<where>\S+?),?\s+(?:replacing|overwriting|instead of)\b",
    re.IGNORECASE,
)
# "comment out the debug line in app.ini", "uncomment the gzip line in the nginx config"
_COMMENT = re.compile(
    rf"^\s*(?:please\s+)?(?P<un>un)?comment(?:\s+out)?\s+(?:the\s+)?{_KEY}"
    rf"\s+(?:line|setting|option|entry|directive){_WHERE}\s*$",
    re.IGNORECASE,
)
_SED_SPECIAL = re.compile(r"([\\/.*\[\]^$&])")


def config_edit(command: str, request: str, here: Workdir) -> tuple[str, str] | None:
    """The ``sed -i`` that makes the setting change the request names, with its note.

    None unless the request asks to set, comment out or uncomment one setting of a file here
    that has exactly one line for it, or when the draft already writes the new value there.
    """
    request = request.strip().rstrip(".!")
    if m := _SET.match(request) or _ADD.match(request):
        key, value = m["key"], m["value"].strip("'\"`,;")
        where = " ".join(w for w in (m["where"], m.groupdict().get("where2")) if w)
        if not value or "'" in value or "\n" in value:
            return None
        path = _file(command, where, here)
        line = _one_line(here, path, rf"(\s*{re.escape(key)}(?:\s*[=:]\s*|\s+))(.*?)(;?)\s*$")
        if path is None or line is None:
            return None
        prefix, _, end = line.groups()
        in_place = re.match(r"sed\s+(?:-[a-zA-Z]*i|--in-place)", command)
        named = re.search(rf"\b{re.escape(key)}\b", command)
        if in_place and named and path in command and value in command:
            return None  # the draft edits it there: the model's own way stands
        edit = f"s/^{_sed(prefix)}.*/{_put(prefix + value + end)}/"
        note = f"fixed here: {key} is set on its one line in {path}"
    elif m := _COMMENT.match(request):
        key, where = m["key"], m["where"] or ""
        path = _file(command, where, here)
        if m["un"]:
            line = _one_line(here, path, rf"(\s*)(#\s*)({re.escape(key)}\b.*)")
        else:
            line = _one_line(here, path, rf"(\s*)()({re.escape(key)}\b.*)")
        if path is None or line is None:
            return None
        indent, mark, _ = line.groups()
        old, new = (indent + mark, indent) if m["un"] else (indent, indent + "# ")
        edit = f"s/^{_sed(old + key)}/{_put(new + key)}/"
        done = "uncommented" if m["un"] else "commented out"
        note = f"fixed here: the one {key} line of {path} is {done}"
    else:
        return None
    fixed = f"sed -i '{edit}' {path}"
    return (fixed, note) if fixed != command else None


def _sed(text: str) -> str:
    """``text`` as sed reads it literally, in a pattern or a replacement between slashes."""
    return _SED_SPECIAL.sub(r"\\\1", text)


def _put(text: str) -> str:
    """``text`` as sed writes it literally in a replacement between slashes."""
    return re.sub(r"([\\/&])", r"\\\1", text)


def _one_line(here: Workdir, path: str | None, pattern: str) -> re.Match[str] | None:
    """The one line of ``path`` here that ``pattern`` matches in full (any case), else None."""
    lines = here.lines(path) if path is not None else None
    if lines is None:
        return None
    found = [m for line in lines if (m := re.fullmatch(pattern, line, re.IGNORECASE))]
    return found[0] if len(found) == 1 else None


def _file(command: str, where: str, here: Workdir) -> str | None:
    """The one file here the draft edits or reads, else the one the request's words name."""
    words: list[str] = re.findall(r"[\w.~/-]+", command)
    drafted = {w for w in words if "." in w.rsplit("/", 1)[-1] and here.lines(w) is not None}
    if len(drafted) == 1:
        return drafted.pop()
    named: set[str] = set()
    for word in re.findall(r"[\w.-]+", where.lower()):
        if word in ("the", "my", "file", "config", "configuration", "a", "this", "our"):
            continue
        for name in (word, "." + word):
            if here.lines(name) is not None:
                named.add(name)
        for path in here.files():
            parts = path.lower().split("/")
            if parts[-1] == word or parts[-1].rsplit(".", 1)[0] == word or word in parts[:-1]:
                named.add(path)
    return named.pop() if len(named) == 1 else None

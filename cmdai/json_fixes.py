"""Sure fixes from the forty-second by-hand round: a JSON file read with jq.

Shown a JSON file's sketch (``cmdai.json_shape``), the model still wrote jq filters that do
something else: ``.[].name, .[].email`` for "the name and email of each user" (every name,
then every email), ``.[].name`` sorted by ``sort -n`` for "sort the users by age and show
their names", ``.orders[].total`` where the orders hold items with a price and a quantity,
``.app | keys`` for "the top-level keys", a ``cut -d,`` on the JSON for "the cities of the
users", ``to_entries`` nonsense for "minify". Each fix reads the file's keys, so a key is
only used where the file has it, at one path.

``json_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called by
``cmdai.sure_fixes`` with the working directory.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_JSON_FILE = re.compile(r"(?<![\w./-])([\w./-]+\.json)(?![\w/])")


def json_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies to a command on the one JSON file here it reads."""
    read = {}
    for name in set(_JSON_FILE.findall(command)):
        lines = here.lines(name)
        try:
            read[name] = json.loads("\n".join(lines)) if lines else None
        except ValueError:
            continue
    read = {name: value for name, value in read.items() if value is not None}
    if len(read) != 1:
        return None
    name, value = read.popitem()
    paths = key_paths(value)
    file = shlex.quote(name)
    return (
        minify_fix(command, request, file)
        or top_keys_fix(command, request, file, value)
        or pairs_fix(command, request, file)
        or sort_by_fix(command, request, file, paths)
        or total_fix(command, request, file, paths)
        or most_fix(command, request, file, paths)
        or other_tool_fix(command, request, file, paths)
    )


def key_paths(value: object, path: str = "") -> dict[str, set[str]]:
    """Each key of a JSON value, with the jq paths to it (``city``: ``.[].address.city``)."""
    found: dict[str, set[str]] = {}

    def walk(node: object, at: str, depth: int) -> None:
        if depth > 8:
            return
        if isinstance(node, list):
            for item in node[:50]:
                walk(item, (at or ".") + "[]", depth + 1)
        elif isinstance(node, dict):
            for key, inner in node.items():
                if not re.fullmatch(r"[A-Za-z_]\w*", str(key)):
                    continue
                here = f"{at}.{key}"
                found.setdefault(str(key), set()).add(here)
                walk(inner, here, depth + 1)

    walk(value, path, 0)
    return found


def _key_for(word: str, paths: dict[str, set[str]]) -> str | None:
    """The one jq path of the key a request's word names ("cities": ``city``), or None."""
    word = word.lower()
    forms = {word, word[:-1], word[:-2], word[:-3] + "y"} if len(word) > 3 else {word}
    keys = [k for k in paths if k.lower() in forms]
    if len(keys) != 1 or len(paths[keys[0]]) != 1:
        return None
    return next(iter(paths[keys[0]]))


def minify_fix(command: str, request: str, file: str) -> tuple[str, str] | None:
    """``jq -c . users.json > users.min.json`` for "minify users.json into users.min.json"."""
    if not re.search(r"\b(?:minif(?:y|ied)|compact(?:ed)?)\b", request, re.I):
        return None
    if not command.lstrip().startswith("jq") or re.search(r"\s-\w*c\b", command):
        return None
    into = re.search(r"\binto\s+(?P<out>[\w./-]+\.json)\b", request)
    fixed = f"jq -c . {file}" + (f" > {shlex.quote(into['out'])}" if into else "")
    return fixed, "fixed here: jq -c writes the JSON on one line"


def top_keys_fix(command: str, request: str, file: str, value: object) -> tuple[str, str] | None:
    """``jq -r 'keys_unsorted[]' config.json`` for "list the top-level keys of config.json"."""
    if not re.search(r"\btop[- ]level\s+keys\b", request, re.I) or not isinstance(value, dict):
        return None
    if not command.lstrip().startswith("jq") or re.search(r"'\s*keys", command):
        return None
    return f"jq -r 'keys_unsorted[]' {file}", "fixed here: keys of the top object, in file order"


_PAIR_FILTER = re.compile(
    r"^\s*jq\s+(?:-r\s+)?'(?P<it>\.(?:\w+)?\[\])\.(?P<a>\w+),\s*(?P=it)\.(?P<b>\w+)'\s+(?P<f>\S+)"
    r"(?P<rest>.*)$"
)


def pairs_fix(command: str, request: str, file: str) -> tuple[str, str] | None:
    """``.[] | [.name, .email] | @tsv`` for ``.[].name, .[].email`` (all of one, then the other).

    With "CSV" in the request, ``@csv`` with a title line, into the file the command writes.
    """
    found = _PAIR_FILTER.match(command)
    if found is None or found["f"] != file:
        return None
    a, b, it = found["a"], found["b"], found["it"]
    said = {w.lower() for w in re.findall(r"\w+", request)}
    if not {a.lower(), b.lower()} <= said:
        return None  # the keys the request names, not the draft's (cmdai.convert_fixes)
    if re.search(r"\bcsv\b", request, re.I):
        out = re.search(r">\s*(\S+)\s*$", found["rest"])
        into = f" > {out.group(1)}" if out else ""
        fixed = f'jq -r \'["{a}", "{b}"], ({it} | [.{a}, .{b}]) | @csv\' {file}{into}'
        return fixed, "fixed here: one CSV row per item, with a title line"
    if found["rest"].strip():
        return None
    fixed = f"jq -r '{it} | [.{a}, .{b}] | @tsv' {file}"
    return fixed, f"fixed here: {a} and {b} side by side per item (not all of one, then the other)"


def sort_by_fix(
    command: str, request: str, file: str, paths: dict[str, set[str]]
) -> tuple[str, str] | None:
    """``jq -r 'sort_by(.age) | .[].name' users.json`` for ``jq -r '.[].name' ... | sort -n``."""
    asked = re.search(r"\bsort\w*\b.*\bby\s+(?:their\s+|the\s+)?(?P<key>\w+)", request, re.I)
    found = re.match(
        r"^\s*jq\s+-r\s+'\.\[\]\.(?P<show>\w+)'\s+(?P<f>\S+)\s*\|\s*sort(?:\s+-\w+)*\s*$", command
    )
    if asked is None or found is None or found["f"] != file:
        return None
    path = _key_for(asked["key"], paths)
    if path is None or not path.startswith(".[].") or path == f".[].{found['show']}":
        return None  # the key itself sorted: the records sorted are meant (cmdai.convert_fixes)
    key = path[len(".[]") :]
    reverse = " | reverse" if re.search(r"\b(?:oldest|highest|largest|desc\w*)\b", request) else ""
    fixed = f"jq -r 'sort_by({key}){reverse} | .[].{found['show']}' {file}"
    return fixed, f"fixed here: sort_by({key}) orders the items by {asked['key']}"


_PRICE = ("price", "unit_price", "cost", "amount")
_QUANTITY = ("qty", "quantity", "count")


def total_fix(
    command: str, request: str, file: str, paths: dict[str, set[str]]
) -> tuple[str, str] | None:
    """``[.orders[].items[] | .price * .qty] | add`` where the draft summed a missing ``.total``."""
    if not re.search(r"\btotal\b|\bsum\b", request, re.I) or "total" in paths:
        return None
    if not re.match(r"\s*jq\b", command) or ".total" not in command:
        return None
    prices = [p for k in _PRICE for p in paths.get(k, ())]
    if len(prices) != 1:
        return None
    items = prices[0].rsplit(".", 1)[0]
    top = re.match(r"\.(\w+)\[\]", items)
    whole = r"\b(?:total|sum)\b(?:\s+\w+)?\s+of\s+(?:all\s+)?(?:the\s+)?"
    if top is None or not re.search(whole + re.escape(top[1]) + r"\b", request, re.I):
        return None  # "the total of the paid orders": a filter the fix would drop
    quantities = [p for k in _QUANTITY for p in paths.get(k, ()) if p.rsplit(".", 1)[0] == items]
    price = prices[0].rsplit(".", 1)[1]
    each = f".{price} * .{quantities[0].rsplit('.', 1)[1]}" if len(quantities) == 1 else f".{price}"
    fixed = f"jq '[{items} | {each}] | add' {file}"
    return fixed, f"fixed here: {file} has no total; {each.strip('.')} of each item, added up"


def most_fix(
    command: str, request: str, file: str, paths: dict[str, set[str]]
) -> tuple[str, str] | None:
    """The value of a key that comes up most often, counted, for "which customer has the most".

    ``jq -r '.orders[].customer' f | sort | uniq -c | sort -rn | head -n 1``; seen: a
    ``length`` of each order, then ``sort_by`` on a stream.
    """
    asked = re.search(r"\bwhich\s+(?P<key>\w+)\s+(?:has|have|had)\s+the\s+most\b", request, re.I)
    if asked is None or not command.lstrip().startswith("jq"):
        return None
    path = _key_for(asked["key"], paths)
    if path is None or "[]" not in path or re.search(r"uniq\s+-c", command):
        return None
    fixed = f"jq -r '{path}' {file} | sort | uniq -c | sort -rn | head -n 1"
    return fixed, f"fixed here: the {asked['key']} that comes up most often, counted"


_NOT_JSON_TOOLS = re.compile(r"^\s*cut\b[^|]*\s(?P<f>\S+\.json)\s*(?P<rest>(?:\|.*)?)$")


def other_tool_fix(
    command: str, request: str, file: str, paths: dict[str, set[str]]
) -> tuple[str, str] | None:
    """``jq -r '.[].address.city' users.json | sort -u`` for ``cut -d, -f2 users.json | ...``.

    cut reads JSON's lines, not its values; the key is the one the request names. (Not awk:
    its program computes something, which the fix would drop.)
    """
    found = _NOT_JSON_TOOLS.match(command)
    if found is None or found["f"] != file:
        return None
    keys = {
        path
        for word in re.findall(r"[A-Za-z_]+", request)
        if (path := _key_for(word, paths)) is not None and "[]" in path
    }
    if len(keys) != 1:
        return None
    path = keys.pop()
    fixed = f"jq -r '{path}' {file}{(' ' + found['rest'].strip()) if found['rest'] else ''}"
    return fixed, f"fixed here: jq reads the JSON's values ({path}); line tools read its text"

"""What a JSON file holds, in a line the model can write a jq filter from.

The facts showed a JSON file as its first 100 characters, so the model saw a list's first
object cut off and guessed the rest: in the forty-second by-hand round "the total of all the
orders in orders.json" became ``.orders[].total`` (the orders have items with a price and a
quantity, no total) and "show the users older than 30" a grep of ``/etc/passwd``. A small
file is shown whole, compacted; a larger one as a sketch: each list by its first item and its
length, long strings cut, so the nesting and every key of the first item are there.
"""

from __future__ import annotations

import json
from pathlib import Path

MAX_BYTES = 1 << 20
"""A larger JSON file is not parsed (its first characters are shown instead)."""
MAX_CHARS = 320
_MAX_KEYS = 12
_MAX_STRING = 24


def json_sketch(path: Path) -> str | None:
    """``[{"id": 1, "name": "Alice", ...}, ... 5 items]`` for a JSON file (None: not one)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    whole = json.dumps(value, ensure_ascii=False)
    if len(whole) <= MAX_CHARS:
        return whole
    shown = _sketch(value)
    return shown if len(shown) <= MAX_CHARS else shown[: MAX_CHARS - 3] + "..."


def _sketch(value: object, depth: int = 0) -> str:
    if depth > 6:
        return "..."
    if isinstance(value, list):
        if not value:
            return "[]"
        first = _sketch(value[0], depth + 1)
        return f"[{first}, ... {len(value)} items]" if len(value) > 1 else f"[{first}]"
    if isinstance(value, dict):
        items = [
            f"{json.dumps(str(k), ensure_ascii=False)}: {_sketch(v, depth + 1)}"
            for k, v in list(value.items())[:_MAX_KEYS]
        ]
        more = f", ... {len(value)} keys" if len(value) > _MAX_KEYS else ""
        return "{" + ", ".join(items) + more + "}"
    if isinstance(value, str) and len(value) > _MAX_STRING:
        return json.dumps(value[: _MAX_STRING - 3] + "...", ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)

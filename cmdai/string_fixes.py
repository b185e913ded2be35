"""Sure fixes from the twenty-third by-hand round: strings and numbers worked on in the shell.

A text printed N times, a word's characters counted without ``echo``'s newline, the last N
characters cut (not one), lines joined without a trailing separator, a number written in
another base (not its digits' bytes), a quotient rounded (``bc``'s ``scale`` truncates), and a
random password of the length asked for.

Each returns the fixed command with a ``fixed here:`` note, or None; ``string_fix`` is the one
``cmdai.sure_fixes`` calls, for a draft that shows and changes nothing.
"""

from __future__ import annotations

import math
import re
import shlex

from cmdai.stages import command_stages, short_flags, xargs_runs
from cmdai.titles import NUMBER_WORDS, number_value

_COUNT = r"(?P<count>\d+|" + "|".join(NUMBER_WORDS[1:]) + r")"


def _count(word: str) -> int:
    """The count ``_COUNT`` matched (digits or a number's word, so never None)."""
    return number_value(word) or 0


def string_fix(command: str, request: str) -> tuple[str, str] | None:
    """The first of this module's fixes that applies (None: none does).

    For a draft that shows and changes nothing; ``repeated_text_fix`` is called for any draft.
    """
    return (
        counted_newline_fix(command, request)
        or end_characters_fix(command, request)
        or joined_lines_fix(command, request)
        or number_base_fix(command, request)
        or decimal_places_fix(command, request)
        or password_length_fix(command, request)
    )


_REPEAT_ASKED = re.compile(
    r"^\s*(?:please\s+)?(?:print|echo|output|write|say|repeat)\s+(?P<text>.+?)\s+"
    + _COUNT
    + r"\s+times\b(?P<rest>.*)$",
    re.IGNORECASE,
)
# A draft that repeats something already: a loop, a sequence, yes, a brace range, printf's
# reuse of its format.
_PRINTERS = frozenset({"echo", "printf", "tr", "head", "sed", "cat"})
_REPEATS = re.compile(r"\b(?:for|while|until|seq|yes|repeat)\b|\{\d+\.\.\d+\}|%\.0s")


def repeated_text_fix(command: str, request: str) -> tuple[str, str] | None:
    r"""``yes hello | head -n 3`` for "print hello 3 times", answered without any repetition.

    Seen: ``echo "hello" | tr -d '\n' | xargs -I {} echo "hello"``, one line. Only for a
    short text and a request that asks for nothing else ("followed by ..." is left alone).
    """
    asked = _REPEAT_ASKED.match(request.strip())
    stages = command_stages(command)
    if asked is None or _REPEATS.search(command) or not stages:
        return None
    if stages[0][0] not in ("echo", "printf") or ">" in command:  # it prints a text, once
        return None
    # Called for any draft: only one that prints, whatever xargs runs being a printer too.
    if not all(
        s[0] in _PRINTERS or (s[0] == "xargs" and xargs_runs(s) in _PRINTERS) for s in stages
    ):
        return None
    rest = asked["rest"].strip(" .,;")
    if rest and not re.fullmatch(
        r"(?:,?\s*(?:each\s+)?on\s+its\s+own\s+line|,?\s*one\s+per\s+line)", rest, re.IGNORECASE
    ):
        return None
    text = asked["text"].strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    text = re.sub(r"^(?:the\s+(?:word|text|line|string)\s+)", "", text, flags=re.IGNORECASE)
    count = _count(asked["count"])
    if not text or len(text.split()) > 6 or not 1 < count <= 10_000 or "\n" in text:
        return None
    dashes = "-- " if text.startswith("-") else ""
    fixed = f"yes {dashes}{shlex.quote(text)} | head -n {count}"
    return fixed, f"fixed here: yes repeats the line, head keeps {count} of them"


_CHARACTERS_ASKED = re.compile(r"\b(?:characters?|chars|letters|length|long|bytes)\b", re.I)


def counted_newline_fix(command: str, request: str) -> tuple[str, str] | None:
    """``echo -n WORD | wc -c`` for ``echo WORD | wc -c``: echo's newline is not in the word.

    "count the characters in the word internationalization" came back 21, not 20.
    """
    if not _CHARACTERS_ASKED.search(request):
        return None
    stages = command_stages(command)
    if len(stages) != 2 or stages[0][:1] != ["echo"] or stages[1][:1] != ["wc"]:
        return None
    if short_flags(stages[0]) or short_flags(stages[1]) not in ("c", "m"):
        return None
    if any(w.startswith("-") for w in stages[0][1:] + stages[1][1:] if len(w) > 2):
        return None
    fixed = re.sub(r"^\s*echo(?=\s)", "echo -n", command, count=1)
    return fixed, "fixed here: echo -n, so the newline echo adds is not counted"


_ENDS_ASKED = re.compile(
    r"\b(?:remove|delete|cut(?:\s+off)?|strip|drop|trim|chop(?:\s+off)?)\s+(?:off\s+)?"
    r"(?:the\s+)?(?P<end>last|final|first)\s+"
    + _COUNT
    + r"\s+(?:characters?|chars|letters|symbols)\b",
    re.IGNORECASE,
)
# One sed substitution that removes characters at one end: s/...$// or s/^...//.
_SED_END = re.compile(
    r"""(?P<open>(?P<q>['"])s(?P<d>[/|#]))(?P<caret>\^?)(?P<dots>(?:\.)+|\.\\\{\d+\\\}|\.\{\d+\})"""
    r"""(?P<dollar>\$?)(?P=d)(?P=d)(?P<flags>g?)(?P=q)"""
)


def end_characters_fix(command: str, request: str) -> tuple[str, str] | None:
    r"""``sed 's/.\{4\}$//' codes.txt`` for ``sed 's/.$//'``: "remove the last 4 characters".

    The draft cut one character, or another count than the request gives.
    """
    asked = _ENDS_ASKED.search(request)
    if asked is None:
        return None
    count = _count(asked["count"])
    stages = command_stages(command)
    if not stages or not any(stage[:1] == ["sed"] for stage in stages):
        return None
    found = list(_SED_END.finditer(command))
    if len(found) != 1 or count < 1:
        return None
    match = found[0]
    last = asked["end"].lower() != "first"
    if (match["dollar"] == "$") != last or (match["caret"] == "^") == last:
        return None
    dots = match["dots"]
    had = dots.count(".") if set(dots) == {"."} else int(re.sub(r"\D", "", dots))
    if had == count:
        return None
    many = "." if count == 1 else ".\\{" + str(count) + "\\}"
    if re.search(r"(?<![\w-])-(?:[a-zA-Z]*E|r)\b|--regexp-extended", command):
        many = "." if count == 1 else ".{" + str(count) + "}"
    pattern = f"^{many}" if not last else f"{many}$"
    d, q = match["d"], match["q"]
    fixed = command[: match.start()] + f"{q}s{d}{pattern}{d}{d}{q}" + command[match.end() :]
    which = "last" if last else "first"
    return fixed, f"fixed here: {pattern} matches the {which} {count} characters ({had} before)"


_JOIN_ASKED = re.compile(r"\bjoin(?:ed|ing)?\b", re.IGNORECASE)
_TR_JOIN = re.compile(
    r"""^tr\s+(?P<nl>'\\n'|"\\n"|\\\\n)\s+(?P<sep>'[^'\\\n]'|"[^"\\\n$`]"|[,;:])$"""
)


def joined_lines_fix(command: str, request: str) -> tuple[str, str] | None:
    r"""``paste -sd, names.txt`` for ``cat names.txt | tr '\n' ','``: "join the lines with commas".

    tr turns the last newline into a separator too: ``alice,bob,`` and no end of line.
    """
    if not _JOIN_ASKED.search(request):
        return None
    stages = command_stages(command)
    if len(stages) < 2:
        return None
    raw = [part.strip() for part in command.split("|")]
    if len(raw) != len(stages):
        return None
    tr = _TR_JOIN.match(raw[-1])
    if tr is None:
        return None
    sep = shlex.split(tr["sep"])[0]
    paste = f"paste -sd{shlex.quote(sep)}"
    first = stages[0]
    if len(stages) == 2 and first[:1] == ["cat"] and len(first) > 1 and not short_flags(first):
        fixed = f"{paste} {' '.join(shlex.quote(f) for f in first[1:])}"
    else:
        fixed = " | ".join([*raw[:-1], paste])
    return fixed, "fixed here: paste -s joins the lines without a separator after the last"


_BASES = {"hex": ("%x", "hexadecimal"), "octal": ("%o", "octal"), "binary": ("", "binary")}
_BASE_ASKED = re.compile(
    r"\b(?:convert\s+|print\s+|show\s+|write\s+)?(?:the\s+(?:decimal\s+)?number\s+)?"
    r"(?P<n>\d+)\s+(?:to|into|in|as)\s+(?:a\s+)?(?P<base>hex(?:adecimal)?|octal|binary)\b",
    re.IGNORECASE,
)
# What dumps the bytes of a number's digits instead of converting it.
_DUMPS = frozenset({"od", "xxd", "hexdump", "hd"})


def number_base_fix(command: str, request: str) -> tuple[str, str] | None:
    r"""``printf '%x\n' 255`` for ``echo "255" | od -t x1``: "convert 255 to hexadecimal".

    od, xxd and hexdump show the bytes of the characters 2, 5, 5 and a newline.
    """
    asked = _BASE_ASKED.search(request)
    if asked is None:
        return None
    stages = command_stages(command)
    if not any(stage[:1] and stage[0] in _DUMPS for stage in stages):
        return None
    if asked["n"] not in command:
        return None
    key = asked["base"].lower()
    key = "hex" if key.startswith("hex") else key
    fmt, name = _BASES[key]
    number = str(int(asked["n"]))
    fixed = f"echo 'obase=2; {number}' | bc" if not fmt else f"printf '{fmt}\\n' {number}"
    dump = next(stage[0] for stage in stages if stage[:1] and stage[0] in _DUMPS)
    return fixed, f"fixed here: {number} written in {name} ({dump} shows the bytes of its digits)"


_PLACES_ASKED = re.compile(
    r"\b(?:to|with|rounded\s+to)\s+" + _COUNT + r"\s+(?:decimal\s+places?|decimals|places|digits)",
    re.IGNORECASE,
)
_BC_SCALE = re.compile(
    r"""^echo\s+(?P<q>['"])scale\s*=\s*\d+\s*;\s*(?P<expr>[\d\s.+\-*/()^%]+)(?P=q)"""
    r"""\s*\|\s*bc(?:\s+-l)?\s*$"""
)


def decimal_places_fix(command: str, request: str) -> tuple[str, str] | None:
    r"""``printf '%.2f\n' "$(echo '17/3' | bc -l)"`` for ``echo "scale=2; 17/3" | bc``.

    bc's scale cuts the digits off: 17/3 is 5.66 there, 5.67 rounded to two places.
    """
    asked = _PLACES_ASKED.search(request)
    found = _BC_SCALE.match(command.strip())
    if asked is None or found is None:
        return None
    places = _count(asked["count"])
    expr = " ".join(found["expr"].split())
    if not 0 <= places <= 20 or not re.search(r"[/^]", expr):
        return None
    fixed = f"printf '%.{places}f\\n' \"$(echo '{expr}' | bc -l)\""
    return fixed, f"fixed here: printf rounds to {places} places (bc's scale cuts the digits off)"


_LENGTH_ASKED = re.compile(
    r"\b" + _COUNT + r"[- ](?:characters?|chars|letters)(?:\s+long)?\b"
    r"|\b(?:of\s+)?length\s+" + _COUNT.replace("count", "count2"),
    re.IGNORECASE,
)
_SECRET_ASKED = re.compile(r"\b(?:password|passphrase|string|token|key|secret)s?\b", re.I)
_OPENSSL_RAND = re.compile(r"^openssl\s+rand\s+-(?P<enc>base64|hex)\s+(?P<bytes>\d+)$")


def password_length_fix(command: str, request: str) -> tuple[str, str] | None:
    """``openssl rand -base64 12`` (16 characters) for ``openssl rand -base64 16`` (24).

    openssl's count is of random bytes: base64 writes 4 characters for every 3, hex 2 for 1.
    """
    asked = _LENGTH_ASKED.search(request)
    found = _OPENSSL_RAND.match(command.strip())
    if asked is None or found is None or not _SECRET_ASKED.search(request):
        return None
    length = _count(asked["count"] or asked["count2"])
    enc, given = found["enc"], int(found["bytes"])
    made = 4 * math.ceil(given / 3) if enc == "base64" else 2 * given
    if made == length or not 1 <= length <= 4096:
        return None
    if enc == "hex" and length % 2 == 0:
        fixed = f"openssl rand -hex {length // 2}"
    elif enc == "base64" and length % 4 == 0 and length <= 64:
        fixed = f"openssl rand -base64 {length * 3 // 4}"
    else:
        fixed = f"openssl rand -{enc} {length} | tr -d '\\n' | head -c {length}; echo"
    note = f"openssl rand counts bytes: {given} make {made} {enc} characters, not {length}"
    return fixed, f"fixed here: {note}"

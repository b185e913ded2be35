"""Answers that are prose dressed as a command: the request was not a shell task.

Asked "how do I apologize to a friend" or "what does photosynthesis produce", the model often
writes its answer as ``echo "..."`` (and sometimes pipes it into ``mail`` to an address it
made up). The text is the real answer; the command around it is noise, and a mail to an
invented address is worse than noise. Such an answer is shown as what it is: not a shell
task, with the model's text as the explanation.

Narrow on purpose, so that a shell request is never turned away: the command only prints or
mails one piece of text, the text reads as sentences (several words, no variables or
substitutions), nothing is written to a file, and the request asks for no printing, message,
sending or file at all ("print a greeting", "send bob a reminder" are shell tasks).
"""

from __future__ import annotations

import re

from cmdai.shellparse import analyse

_PRINTERS = frozenset({"echo", "printf"})
_CARRIERS = frozenset({"mail", "mailx", "sendmail", "mutt", "s-nail", "cat", "less", "more"})
"""What may follow the text in the pipeline: a pager, or a mailer (the invented address)."""

_MIN_WORDS = 5
_ASKS_FOR_TEXT = re.compile(
    r"\b(?:echo|print\w*|display|show|output|say|says|saying|message|banner|motd|greet\w*"
    r"|text|string|send|sent|mail|notify|broadcast|wall|file|files|save|append|put|store"
    r"|log|terminal|screen|stdout|script|command|shell|alias)\b"
    r"|\bwrite\s+(?:\S+\s+){0,3}(?:to|into|in)\b|[@/~]|\.\w{1,5}\b",
    re.IGNORECASE,
)
"""A request that asks for text to be printed, sent or saved, or names a file or a shell
thing: printing its answer may be exactly what it wants."""

_WORD = re.compile(r"[A-Za-z][a-z']+")


def prose_answer(request: str, command: str) -> str | None:
    """The text of ``command`` when it only prints or mails prose for a non-shell request.

    >>> prose_answer("what does photosynthesis produce",
    ...              'echo "Photosynthesis produces glucose and oxygen."')
    'Photosynthesis produces glucose and oxygen.'
    >>> prose_answer("print a greeting", 'echo "Hello there, have a very nice day."') is None
    True
    """
    if _ASKS_FOR_TEXT.search(request) or any(c in command for c in ("$", "`", ";", "&", ">")):
        return None
    analysis = analyse(command)
    commands = [c for c in analysis.commands if c.argv]
    if analysis.problems or not commands or analysis.redirects:
        return None
    first, rest = commands[0], commands[1:]
    if first.argv[0] not in _PRINTERS or any(c.argv[0] not in _CARRIERS for c in rest):
        return None
    words = [w for w in first.argv[1:] if not w.startswith("-")]
    text = " ".join(words).replace("\\n", "\n").strip()
    if len(_WORD.findall(text)) < _MIN_WORDS:
        return None
    return text

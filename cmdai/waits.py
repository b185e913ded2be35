"""Commands that wait for the terminal: a filter given no file and nothing piped into it.

``wc -l`` for "count the lines of the log", ``grep ERROR`` for "show the errors in app.log":
with no file and no pipe, the tool reads standard input, which is your terminal, so the command
sits there until you type its input and press Ctrl-D (and an evaluation, whose input is empty,
prints nothing). Found by trying cmdai by hand. The note (``stdin:``) proves the draft wrong
here: the request is asked again with it.

Only the first command of each top-level pipeline is read (a later stage is fed by the one
before it), and never one with input redirected (``<``, a here-document or here-string), nor
a compound statement (a loop's body may read what the loop is given).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from cmdai.stages import short_flags

if TYPE_CHECKING:
    from tree_sitter import Node

_FILTERS = frozenset(
    {"cat", "sort", "uniq", "wc", "head", "tail", "cut", "rev", "tac", "nl", "fold", "fmt"}
    | {"column", "base64", "md5sum", "sha1sum", "sha256sum", "sha512sum"}
)
"""Filters that read standard input when they are given no file."""

_PROGRAMMED = frozenset({"grep", "egrep", "fgrep", "sed", "awk", "gawk", "mawk", "jq"})
"""Filters whose first operand is a pattern, program or script, then the files."""

_ALWAYS = frozenset({"tr", "xargs", "tee"})
"""Tools that read standard input whatever their operands are."""

_GREP = frozenset({"-e", "-f", "-m", "-A", "-B", "-C", "-d", "-D"})
_AWK = frozenset({"-F", "-f", "-v"})
_VALUED: dict[str, frozenset[str]] = {
    **dict.fromkeys(("grep", "egrep", "fgrep"), _GREP),
    **dict.fromkeys(("awk", "gawk", "mawk"), _AWK),
    "sed": frozenset({"-e", "-f", "-l"}),
    "jq": frozenset({"-f", "--from-file", "--indent"}),
    "head": frozenset({"-n", "-c"}),
    "tail": frozenset({"-n", "-c", "-s"}),
    "cut": frozenset({"-d", "-f", "-c", "-b"}),
    "sort": frozenset({"-k", "-t", "-o", "-S", "-T"}),
    "uniq": frozenset({"-f", "-s", "-w"}),
    "nl": frozenset({"-b", "-s", "-w", "-v", "-i", "-n"}),
    "fold": frozenset({"-w"}),
    "column": frozenset({"-s", "-c", "-o", "-N", "-R"}),
    "base64": frozenset({"-w"}),
}
"""Options whose value is the next word (that word is neither program nor file)."""

_NO_INPUT: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("grep", "egrep", "fgrep"), ("-r", "-R", "--recursive")),  # the tree here
    "jq": ("-n", "--null-input"),
}
"""Options with which the tool reads no standard input."""

_PROGRAM_OPTIONS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("grep", "egrep", "fgrep", "sed"), ("-e", "-f")),
    **dict.fromkeys(("awk", "gawk", "mawk"), ("-f",)),
    "jq": ("-f", "--from-file"),
}
"""Options that give the pattern or program, so that every operand is a file."""


def waits_for_terminal(argv: Sequence[str]) -> bool:
    """Whether this command, given no input, reads the terminal (its name first)."""
    if not argv:
        return False
    name = argv[0].rsplit("/", 1)[-1]
    if name in _ALWAYS:
        return True
    if name not in _FILTERS and name not in _PROGRAMMED:
        return False
    words = list(argv[1:])
    flags = short_flags(argv)
    for option in _NO_INPUT.get(name, ()):
        if option in words or (len(option) == 2 and option[1] in flags):
            return False
    leading = 1 if name in _PROGRAMMED else 0
    if any(w.split("=", 1)[0] in _PROGRAM_OPTIONS.get(name, ()) for w in words):
        leading = 0
    operands: list[str] = []
    valued = _VALUED.get(name, frozenset())
    skip = False
    for index, word in enumerate(words):
        if skip:
            skip = False
        elif word == "--":
            operands.extend(words[index + 1 :])
            break
        elif word in valued:
            skip = True
        elif word == "-" or not word.startswith("-"):
            operands.append(word)
    program = operands[0].lstrip() if leading and operands else ""
    if name in ("awk", "gawk", "mawk") and program.startswith("BEGIN") and "END" not in program:
        return False  # a BEGIN block alone reads no input
    files = operands[leading:]
    return not files or "-" in files


def terminal_readers(command: str) -> list[str]:
    """The utilities of ``command`` that would wait for the terminal (empty when none)."""
    from cmdai.shellparse import syntax_tree

    tree = syntax_tree(command)
    if tree.root_node.has_error:
        return []
    names: list[str] = []
    for node in _statements(tree.root_node):
        first = _first_stage(node)
        if first is None:
            continue
        try:
            argv = shlex.split((first.text or b"").decode("utf-8", "replace"))
        except ValueError:
            continue
        if argv and "=" in argv[0]:
            continue  # `LC_ALL=C sort`: a variable first; rare, left alone
        if waits_for_terminal(argv):
            names.append(argv[0])
    return names


def _statements(node: Node) -> Iterator[Node]:
    """The top-level statements: a list (`a && b; c`) is its parts."""
    for child in node.named_children:
        if child.type == "list":
            yield from _statements(child)
        elif child.type != "comment":
            yield child


def _first_stage(node: Node) -> Node | None:
    """The command that reads the terminal's input, when one does (None otherwise)."""
    if node.type in ("redirected_statement", "command") and any(
        _reads(c)
        for c in node.named_children  # `sort < f`; a here-string sits in the command
    ):
        return None
    if node.type == "redirected_statement":
        body = node.child_by_field_name("body")
        return _first_stage(body) if body is not None else None
    if node.type == "pipeline":
        stages = node.named_children
        return _first_stage(stages[0]) if stages else None
    if node.type == "command":
        return None if node.child_by_field_name("name") is None else node
    return None  # a loop, a subshell, a function, a test: left alone


def _reads(redirect: Node) -> bool:
    """Whether a redirection gives the command its input."""
    if redirect.type in ("herestring_redirect", "heredoc_redirect"):
        return True
    if redirect.type != "file_redirect":
        return False
    text = (redirect.text or b"").decode("utf-8", "replace").lstrip("0123456789")
    return text.startswith("<") and not text.startswith("<(")


def stdin_notes(command: str) -> list[str]:
    """``stdin:`` notes for the tools of ``command`` that would wait for the terminal."""
    return [
        f"stdin: {name} is given no file and nothing is piped into it, so it waits for you "
        f"to type its input (name the file it should read, or pipe the data into it)"
        for name in dict.fromkeys(terminal_readers(command))
    ]

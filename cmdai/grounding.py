"""Grounding in what is installed: does each utility here have the options a command uses?

A small model invents options (``ls --sort-size``, ``df --human``) or uses another
platform's (``sed -E`` is fine, ``stat -f%z`` is BSD). For the utilities whose ``--help``
is safe to run and lists their options (GNU coreutils, findutils, grep, sed, tar and their
like, below), the options a draft uses are checked against the installed tool's help text,
read once per tool version and cached. A utility not on the list is not checked: running
an arbitrary program with ``--help`` to learn its options is not safe (some ignore it).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# Utilities that print their options for --help and do nothing else (GNU and friends).
CHECKED = frozenset(
    "basename cat chgrp chmod chown comm cp csplit cut date dd df dirname du env expand "  # noqa: SIM905
    "factor fmt fold head id install join ln ls md5sum mkdir mktemp mv nl nproc numfmt od "
    "paste printenv readlink realpath rm rmdir seq sha1sum sha256sum sha512sum shred shuf "
    "sort split stat tac tail tee touch tr truncate uname uniq unexpand wc "
    "find xargs grep egrep fgrep sed tar gzip gunzip zcat bzip2 xz base64 diff file "
    "ps jq curl wget zip unzip timeout nice".split()
)
HELP_ARGS: dict[str, tuple[str, ...]] = {
    "ps": ("--help", "all"),
    "curl": ("--help", "all"),
    "zip": ("-h2",),  # -h lists a few options; -h2 every one (-P, -e, -q...)
    "unzip": ("-h",),
}
# Utilities that run another command: their own options end at the first other word.
RUNS_A_COMMAND = frozenset({"xargs", "nice", "timeout", "env", "nohup", "stdbuf"})
# find's actions that run a command, up to ";" or "+": not find's options.
_FIND_EXEC = frozenset({"-exec", "-execdir", "-ok", "-okdir"})
# Utilities whose options are single-dash words (find -name), checked whole.
WORD_OPTIONS = frozenset({"find"})
MIN_OPTIONS = 5
"""A help text with fewer options than this is not a usable list (the tool is not GNU)."""

_OPTION = re.compile(r"(?:^|[\s,\[(|])(--?[A-Za-z0-9][A-Za-z0-9-]*)")

HelpReader = Callable[[Path, tuple[str, ...]], str | None]


@dataclass(frozen=True)
class UnknownOption:
    """An option a command gives a utility that the installed utility does not list."""

    utility: str
    option: str

    def message(self) -> str:
        """The warning the user (and a regeneration) sees."""
        return f"{self.utility} here has no option {self.option}"


def parse_options(help_text: str) -> frozenset[str]:
    """Every option token a help text mentions (``-a``, ``--all``, ``-name``)."""
    return frozenset(_OPTION.findall(help_text))


class OptionChecker:
    """Checks commands' options against installed utilities' help; caches per tool version."""

    def __init__(self, cache_dir: Path | None, read_help: HelpReader | None = None) -> None:
        """Read help texts with ``read_help`` (cmdai.execute.help_text by default)."""
        self.cache_dir = cache_dir
        self._read_help = read_help
        self._known: dict[str, frozenset[str] | None] = {}

    def options(self, utility: str) -> frozenset[str] | None:
        """The installed ``utility``'s options, or None when they cannot be known here."""
        if utility in self._known:
            return self._known[utility]
        found = self._load(utility) if utility in CHECKED else None
        self._known[utility] = found
        return found

    def unknown(self, argvs: list[list[str]]) -> list[UnknownOption]:
        """The options in these simple commands (argv lists) that their utilities lack."""
        problems: list[UnknownOption] = []
        for argv in argvs:
            utility = Path(argv[0]).name
            known = self.options(utility)
            if known is None:
                continue
            in_exec = False
            for before, word in itertools.pairwise(argv):
                if word == "--":
                    break
                if utility == "find" and before == "-perm":
                    continue  # -perm -o+w: a mode with every bit, not an option
                if utility == "find" and in_exec:
                    in_exec = word not in (";", "+")  # the command find runs ends here
                    continue
                if utility == "find" and word in _FIND_EXEC:
                    in_exec = True
                    continue
                if utility in RUNS_A_COMMAND and not word.startswith("-"):
                    break
                if utility == "chmod" and _CHMOD_MINUS_MODE.fullmatch(word):
                    continue  # chmod -x file: a mode that removes a permission, not an option
                option = _unknown(utility, word, known)
                if option is not None and UnknownOption(utility, option) not in problems:
                    problems.append(UnknownOption(utility, option))
        return problems

    def _load(self, utility: str) -> frozenset[str] | None:
        path = shutil.which(utility)
        if path is None:
            return None
        real = Path(path).resolve()
        try:
            st = real.stat()
        except OSError:
            return None
        args = HELP_ARGS.get(utility, ("--help",))  # in the key: a new way to ask, a new read
        stamp = f"{real}:{st.st_size}:{st.st_mtime_ns}:{' '.join(args)}"
        key = hashlib.sha256(stamp.encode()).hexdigest()[:16]
        cached = self.cache_dir / f"{utility}-{key}.json" if self.cache_dir else None
        if cached is not None and cached.is_file():
            try:
                return frozenset(json.loads(cached.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                log.info("ignoring unreadable option cache %s", cached)
        read = self._read_help
        if read is None:
            from cmdai.execute import help_text

            read = help_text
        text = read(real, args)
        options = parse_options(text) if text else frozenset()
        result = options if len(options) >= MIN_OPTIONS else None
        if cached is not None and result is not None:
            try:
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_text(json.dumps(sorted(result)), encoding="utf-8")
            except OSError as exc:
                log.info("cannot cache %s's options: %s", utility, exc)
        return result


_CHMOD_MINUS_MODE = re.compile(r"-[rwxXst]+(?:,[ugoa]*[-+=][rwxXst]*)*")


def _unknown(utility: str, word: str, known: frozenset[str]) -> str | None:
    """The part of ``word`` that is not an option of ``utility`` (None: fine or not one)."""
    if not word.startswith("-") or word == "-" or word[1:].isdigit():
        return None  # an argument, stdin, or a -NUM count (head -5)
    if word in known:
        return None  # as the tool lists it: wget's two-letter -np, -nc, -nH
    if utility in WORD_OPTIONS:
        return None if not word[1:2].isalpha() else word
    if word.startswith("--"):
        name = word.split("=", 1)[0]
        # GNU tools take any unambiguous prefix of a long option.
        return None if any(k.startswith(name) for k in known if k.startswith("--")) else name
    # A cluster of short options (-la); the first one that takes a value ends it (-n5, -t,).
    for letter in word[1:]:
        if not letter.isalpha():
            return None
        if f"-{letter}" not in known:
            return f"-{letter}"
        if not word[1:].isalpha():
            return None  # -k2,2 or -i.bak: the rest is a value
    return None


def default_checker(cache_dir: Path) -> OptionChecker:
    """The checker the engine uses, caching under ``cache_dir/options``."""
    return OptionChecker(cache_dir / "options" if os.access(cache_dir, os.W_OK) else None)

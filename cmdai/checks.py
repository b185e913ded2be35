"""Checks on a parsed command: does the shell accept it, do its utilities exist here.

Also the pitfalls (``cmdai.pitfalls``): drafts that run and do the wrong thing, those that
miss what the request says in so many words (``cmdai.intent``), and those that would wait for
the terminal's input (``cmdai.waits``).

Valid JSON is not a valid command (a small model can break quoting inside the JSON string), so
every proposal goes through these; failures become warnings the user sees and ``--json`` records.
"""

from __future__ import annotations

import re
import shutil

from cmdai.execute import check_syntax
from cmdai.grounding import OptionChecker
from cmdai.intent import intent_pitfalls
from cmdai.path_fixes import made_up_inputs, placeholder_warnings
from cmdai.pitfalls import EXEC_OPTIONS, Here, pitfalls
from cmdai.shellparse import split_commands
from cmdai.stages import xargs_runs
from cmdai.waits import stdin_notes

# Words a shell resolves without PATH: builtins and keywords of bash/zsh and POSIX sh.
SHELL_BUILTINS = frozenset(
    " ".join(
        (
            ". : [ [[ alias bg bind break builtin caller case cd command compgen complete",
            "continue declare dirs disown do done echo elif else enable esac eval exec exit",
            "export false fc fg fi for function getopts hash help history if in jobs kill let",
            "local logout mapfile popd printf pushd pwd read readarray readonly return select",
            "set shift shopt source suspend test then time times trap true type typeset ulimit",
            "umask unalias unset until wait while { } ! setopt unsetopt autoload bindkey print",
            "whence where which",
        )
    ).split()
)


def utilities(command: str) -> list[str]:
    """The utilities a command runs, in order, including those ``find -exec`` and ``xargs`` run.

    Wrappers such as sudo are already peeled off by ``split_commands``.

    Raises:
        ValueError: the command cannot be split (for example an unclosed quote).
    """
    names: list[str] = []
    for argv in split_commands(command):
        names.append(argv[0])
        if argv[0] == "find":
            names.extend(argv[i + 1] for i, word in enumerate(argv[:-1]) if word in EXEC_OPTIONS)
        elif argv[0] == "xargs" and (runs := xargs_runs(argv)) is not None:
            names.append(runs)  # `xargs -n 1 rm` runs rm, not "1"
    return [n.rsplit("/", 1)[-1] for n in names]


NOT_INSTALLED = "not installed here: "
"""How the warning about a utility missing here begins."""

NO_SUCH_FILE = "no such file here: "
"""How the warning about a program run by a relative path to nothing here begins."""


def missing_utilities(command: str) -> list[str]:
    """Utility names the command runs that are neither on PATH nor shell builtins."""
    try:
        names = utilities(command)
    except ValueError:
        return []  # the syntax check reports unbalanced quotes
    missing: list[str] = []
    for name in names:
        if not name or name.startswith(("<", ">", "$", "-", "{")) or name.isdigit() or "=" in name:
            continue  # a redirection, a variable or an argument split off by our tokenizer
        if name in SHELL_BUILTINS or shutil.which(name) is not None or name in missing:
            continue
        missing.append(name)
    return missing


def _scripts_named(command: str, here: Here | None) -> dict[str, str]:
    """Programs run by a relative path (``./backup.sh``), by their names; none without ``here``.

    The parser keeps a program's name without its path, so the path is read off the line.
    """
    if here is None:
        return {}
    return {m.group(1).rsplit("/", 1)[-1]: m.group(1) for m in _RELATIVE_PROGRAM.finditer(command)}


# A relative path at a command's start, or after the wrappers that run it (`nohup ./a.sh &`,
# `time ./a.sh`, `timeout 10 ./a.sh`), also inside a loop or a test on its own line
# (`do\n  ./a.sh "$f"`, `while ! ./a.sh`).
_RELATIVE_PROGRAM = re.compile(
    r"(?:^|[;&|(`{\n]|\$\(|\b(?:do|then|else|while|until|if)\s)\s*"
    r"(?:(?:sudo|nohup|time|nice(?:\s+-n)?\s+-?\d+|nice|exec|env|!|timeout\s+[\w.]+)\s+)*"
    r"((?:\.{1,2}/|[\w.-]+/)[\w./-]*[\w.-])"
)


_BUILDS_INTO = re.compile(
    r"\bcmake\s+(?:[^;&|]*\s)?(?:--build|-B)\s*(?P<dir>[\w./-]+)"
    r"|\bmake\s+(?:[^;&|]*\s)?-C\s*(?P<make>[\w./-]+)"
    r"|\b(?:cc|gcc|g\+\+|clang|clang\+\+|c\+\+|go\s+build|rustc)\s[^;&|]*-o\s*(?P<out>[\w./-]+)"
)
"""A build earlier on the line: the folder it builds into, or the program it writes."""


def _built_before(command: str, path: str) -> bool:
    """Whether ``path`` (a program run by its path) is made by a build earlier on the line.

    ``cmake --build build && ./build/wordstat``, ``gcc -o hello hello.c && ./hello``.
    """
    clean = path.removeprefix("./")
    for match in _BUILDS_INTO.finditer(command[: command.find(path)]):
        if (made := match["out"]) is not None:
            if made.removeprefix("./") == clean:
                return True
        elif clean.startswith((match["dir"] or match["make"]).removeprefix("./").rstrip("/") + "/"):
            return True
    return False


_INPUT_ASKED = re.compile(r"\b(?:standard input|stdin|piped|typed|i type|from input)\b", re.I)
"""A request that says its data comes on standard input: a filter given no file is right."""


def command_warnings(
    command: str,
    shell: str,
    options: OptionChecker | None = None,
    request: str = "",
    here: Here | None = None,
) -> list[str]:
    """Human-readable warnings about ``command`` (empty when all checks pass).

    With ``options``, also the options its utilities do not have here; with ``request``, the
    checks that read a number from it; with ``here``, those that look at the files it names.
    """
    warnings: list[str] = []
    syntax = check_syntax(command, shell)
    if syntax is not None:
        warnings.append(f"syntax: {syntax}")
    scripts = _scripts_named(command, here)
    for name in missing_utilities(command):
        if name in scripts and here is not None:  # ./backup.sh: a file, not a program to install
            if _built_before(command, scripts[name]):
                pass  # made by the line's own build first
            elif not here.exists(scripts[name]):
                warnings.append(f"{NO_SUCH_FILE}{scripts[name]}")
            elif not here.executable(scripts[name]):
                warnings.append(
                    f"not executable: {scripts[name]} may not be run as a program; run it with "
                    f"sh {scripts[name]}, or chmod +x {scripts[name]} first"
                )
            continue
        warnings.append(f"{NOT_INSTALLED}{name}")
    warnings.extend(placeholder_warnings(command, here, request))
    warnings.extend(made_up_inputs(command, here, request))
    if syntax is None:
        from cmdai.shellparse import analyse

        try:
            analysis = analyse(command)  # one parse for the checks that read its structure
        except ValueError:
            pass
        else:
            warnings.extend(pitfalls(analysis, request, here))
            if request:
                warnings.extend(intent_pitfalls(analysis, request))
            if not _INPUT_ASKED.search(request):
                warnings.extend(stdin_notes(command))
            warnings.extend(guessed_service(command, request))
    if options is not None and syntax is None:
        try:
            argvs = split_commands(command)
        except ValueError:
            argvs = []
        warnings.extend(f"option: {u.message()}" for u in options.unknown(argvs))
    return warnings


# Builtins whose whole effect is on the shell that runs them: its directory, variables,
# aliases, options, limits, or a script sourced into it (a virtualenv's activate).
_SHELL_STATE = frozenset(
    "cd pushd popd export source . alias unalias unset set shopt umask ulimit".split()  # noqa: SIM905
)


def stays_in_its_shell(command: str) -> str | None:
    """The builtin ending ``command`` when its effect stays in the shell that runs it.

    ``mkdir build && cd build`` run by cmdai leaves your shell where it was; ``cd build &&
    make`` does what it says. None when the last command at the top level is another one.
    """
    from cmdai.shellparse import analyse

    try:
        analysis = analyse(command)
    except ValueError:
        return None
    top = [c for c in analysis.commands if c.depth == 0 and c.argv]
    if not top or analysis.problems:
        return None
    name = top[-1].argv[0]
    return name if name in _SHELL_STATE and not top[-1].wrappers else None


def unfinished(problems: list[str]) -> bool:
    """Whether the syntax check found the command cut off (an open loop, if or quote)."""
    return any(
        p.startswith("syntax:") and ("unexpected end of file" in p or "unexpected EOF" in p)
        for p in problems
    )


PROVEN_WRONG = (
    "syntax:",
    "sort:",
    "du:",
    "output:",
    "header:",
    "regex:",
    "find:",
    "fields:",
    "dir:",
    "tool:",
    "edit:",
    "order:",
    "direction:",
    "count:",
    "empty:",
    "size:",
    "action:",
    "total:",
    "compare:",
    "depth:",
    "folder:",
    "stdin:",
    "delete:",
    "glob:",
    "git:",
    "file:",
)
"""Labels of the checks that prove a draft wrong here and say why: bash's syntax check, the
pitfalls (``cmdai.pitfalls``: a sort by the wrong field, a count of column titles, a regex the
tool cannot read, the wrong separator...) and the request's own words missed (``cmdai.intent``:
the program it names, the file to change, the end of an order...). A utility or option missing
here is not among them: the request often names a tool this machine lacks."""


def proven_wrong(problems: list[str]) -> list[str]:
    """The notes among ``problems`` that prove the draft wrong (``PROVEN_WRONG``)."""
    return [p for p in problems if p.startswith(PROVEN_WRONG)]


_PLACEHOLDER = re.compile(
    r"\b(?:YOUR|MY)_\w*(?:KEY|TOKEN|SECRET|PASSWORD|ID)\b|\b\w*_?(?:KEY|TOKEN)_HERE\b",
    re.IGNORECASE,
)
_URL_HOST = re.compile(r"https?://([\w.-]+)")


def guessed_service(command: str, request: str) -> list[str]:
    """A web service the request never named, called with a placeholder for a key.

    Asked "what is the capital of Australia" or "the weather in Paris", the model writes a call
    to some public API with ``appid=YOUR_API_KEY``: the service, its address and its reply's
    shape are the model's guess, and the command cannot work as written.
    """
    placeholder = _PLACEHOLDER.search(command)
    hosts = [h for h in _URL_HOST.findall(command) if h.lower() not in request.lower()]
    if placeholder is None or not hosts:
        return []
    return [
        f"placeholder: {placeholder.group(0)} stands for a key of your own, and {hosts[0]} is "
        "a service the model chose, not one the request named: its address and replies may "
        "be guessed"
    ]

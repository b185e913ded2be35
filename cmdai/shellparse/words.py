"""Pure helpers on the words of one simple command.

Wrappers peeled off, options normalised, the code a command hands to another program, brace
expansion, lexical path resolution. Small and typed; tested through ``analyse`` and directly.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import posixpath
import re
import warnings
from fnmatch import fnmatchcase

from cmdai.shellparse.runners import RUNNERS, runner_argv, runner_code, ssh_option_code
from cmdai.shellparse.vocabulary import (
    _FIND_EXEC,
    _LOG_FIRST,
    _LONG_OPTIONS,
    _SSH_VALUE_OPTIONS,
    _WATCH_VALUE_OPTIONS,
    _WRAPPER_OUTPUTS,
    _WRAPPERS,
    _XARGS_VALUE_OPTIONS,
    SHELLS,
    VITAL_DIRS,
    runner,
)

_HOME_STAND_IN = "/home/~"
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_INIT_SCRIPT = re.compile(r"^/etc/(?:rc\.d/)?init\.d/([^/]+)$")
_BRACE_WORD = re.compile(r"^(.*?)\{([^{}]*,[^{}]*)\}(.*)$", re.DOTALL)
_SLASHES = re.compile(r"/{2,}")
_BACKSLASH = re.compile(r"\\(.)", re.DOTALL)


def peel(words: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Split ``sudo env X=1 nice -n 5 rm -rf /`` into wrappers, the real argv, and any code.

    Returns:
        (wrappers, argv with argv[0] reduced to its name, code strings such as ``env -S``'s).
    """
    wrappers, argv, codes, _ = peel_writing(words)
    return wrappers, argv, codes


def peel_writing(words: list[str]) -> tuple[list[str], list[str], list[str], list[str]]:
    """``peel``, and the files the wrappers themselves write (``strace -o F``, ``logsave F``)."""
    wrappers: list[str] = []
    codes: list[str] = []
    written: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if _ASSIGNMENT.match(word):
            i += 1
            continue
        expanded = glob_command(word)
        if init := _INIT_SCRIPT.match(expanded[0]):  # what `service NAME ACTION` runs
            return wrappers, ["service", init[1], *expanded[1:], *words[i + 1 :]], codes, written
        name = utility_name(expanded[0])
        run = runner([name, *words[i + 1 : i + 2]]) if name not in _WRAPPERS else None
        if name not in _WRAPPERS and run is None:
            return wrappers, [name, *expanded[1:], *words[i + 1 :]], codes, written
        wrappers.append(name)
        takes_value, positional = _WRAPPERS[name] if run is None else run[1:]
        outputs = _WRAPPER_OUTPUTS.get(name, frozenset())
        i += 1 if run is None else run[0]
        while i < len(words) and words[i].startswith("-") and words[i] != "-":
            option = words[i]
            i += 1
            if option == "--":
                break
            if name == "sudo" and option in ("-e", "--edit"):  # sudo -e FILE is sudoedit FILE
                return wrappers, ["sudoedit", *words[i:]], codes, written
            head, eq, value = option.partition("=")
            if head in outputs and eq:
                written.append(value)
            elif option in outputs and i < len(words):
                written.append(words[i])
            if name == "env" and option in ("-S", "--split-string") and i < len(words):
                codes.append(words[i])
                i += 1
            elif name == "env" and option.startswith("-S") and len(option) > 2:
                codes.append(option[2:])
            elif option in takes_value and "=" not in option:
                i += 1
        if name == "env":
            while i < len(words) and _ASSIGNMENT.match(words[i]):
                i += 1
        if name in _LOG_FIRST:
            written.extend(words[i : i + positional])
        i += positional
        if positional and i < len(words) and words[i] == "--":  # aws-vault exec PROFILE -- CMD
            i += 1
    # `sudo -s` / `sudo -i` with no command runs a shell (which may read code on stdin);
    # `env` with no command prints the environment.
    if wrappers[-1:] == ["env"] and not codes:
        return wrappers[:-1], ["env"], codes, written
    shell = ["sh"] if wrappers[-1:] in (["sudo"], ["doas"]) else []
    return wrappers, shell, codes, written


_STARTUP_FILE = re.compile(
    r"(?:^|/)\.(?:bashrc|bash_profile|bash_login|bash_logout|profile|zshrc|zprofile|zshenv|zlogin"
    r"|kshrc|mkshrc)$|^/etc/(?:profile|bash\.bashrc|zsh/\S+|profile\.d/\S+|rc\.local)$"
)
_USER_CRONTAB = re.compile(r"^(?:crontab|/var/spool/cron/(?:crontabs/)?[^/]+)$")
_SYSTEM_CRONTAB = re.compile(r"^/etc/(?:crontab|cron\.d/\S+)$")
_CRON_TIME = re.compile(r"^\s*(?:@\w+|(?:\S+\s+){5})")


def _deferred_skip(path: str) -> int | None:
    """Leading words to drop from each line written to ``path`` before reading it as code.

    None: not a file a shell runs later; 0: a startup file (the line is code); 5: a user's
    crontab (the schedule); 6: a system crontab (the schedule and the user).
    """
    if _STARTUP_FILE.search(path):
        return 0
    if _USER_CRONTAB.match(path):
        return 5
    if _SYSTEM_CRONTAB.match(path):
        return 6
    return None


_GLOB = re.compile(r"[*?\[]")
GLOB_LIMIT = 64


def glob_command(word: str) -> list[str]:
    """A command name written as a path glob (``/???/r?``, ``/bin/r[m]``), expanded here.

    As bash expands it on this machine: the first match runs, the others become its first
    arguments. Only paths are expanded (a bare ``r?`` would match files in the working
    directory, not programs); at most ``GLOB_LIMIT`` matches are read. No match: the word as
    written.
    """
    if "/" not in word or not _GLOB.search(word):
        return [word]
    import glob
    import itertools

    return sorted(itertools.islice(glob.iglob(word), GLOB_LIMIT)) or [word]


def utility_name(word: str) -> str:
    """``/usr/bin/rm`` -> ``rm``; ``./x/`` stays as written."""
    if "/" in word and not word.endswith("/"):
        return word.rsplit("/", 1)[-1]
    return word


def normalise_options(name: str, args: list[str]) -> list[str]:
    """Expand unambiguous abbreviations of the long options the rules read (``--rec``)."""
    known = _LONG_OPTIONS.get(name)
    if not known:
        return args
    out: list[str] = []
    for arg in args:
        if arg == "--":
            out.extend(args[len(out) :])
            break
        if arg.startswith("--") and len(arg) > 3:
            head = arg.split("=", 1)[0]
            matches = [o for o in known if o.startswith(head)]
            if len(matches) == 1:
                arg = matches[0] + arg[len(head) :]
        out.append(arg)
    return out


def nested_code(name: str, args: list[str]) -> list[str]:
    """Shell code a command hands to a shell: ``bash -c CODE``, ``eval``, ``ssh h CODE``..."""
    if name in SHELLS:
        code_flag = False
        for arg in args:
            if arg.startswith("-") and not arg.startswith("--") and len(arg) > 1:
                code_flag = code_flag or "c" in arg[1:]
            elif code_flag:
                return [arg]
            else:
                return []
        return []
    if name == "eval":
        return [" ".join(args)] if args else []
    if name == "su":
        for i, arg in enumerate(args):
            if arg in ("-c", "--command") and i + 1 < len(args):
                return [args[i + 1]]
            if arg.startswith("--command="):
                return [arg.split("=", 1)[1]]
        return []
    if name == "ssh":
        rest = _after_options(args, _SSH_VALUE_OPTIONS)
        return ssh_option_code(args) + ([" ".join(rest[1:])] if len(rest) > 1 else [])
    if name in RUNNERS:
        return runner_code(name, args)
    if name == "watch":
        rest = _after_options(args, _WATCH_VALUE_OPTIONS)
        return [" ".join(rest)] if rest else []
    if name == "trap":
        return args[:1]
    if name == "alias":
        return [a.split("=", 1)[1] for a in args if "=" in a]
    if name in ("sqlite3", "sqlite"):  # its .shell / .system dot-commands run shell code
        return [
            line.split(None, 1)[1]
            for arg in args
            for line in arg.splitlines()
            if line.strip().startswith((".shell ", ".system "))
        ]
    return []


# find's tests that choose which files an action reaches.
_FIND_TESTS = frozenset(
    {
        "-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex",
        "-lname", "-ilname", "-newer", "-anewer", "-cnewer", "-newermt", "-mtime", "-mmin",
        "-atime", "-amin", "-ctime", "-cmin", "-size", "-user", "-group", "-uid", "-gid",
        "-nouser", "-nogroup", "-perm", "-empty", "-links", "-inum", "-samefile", "-used",
        "-fstype", "-context",
    }
)  # fmt: skip


def xargs_marker(args: list[str]) -> str | None:
    """The string ``xargs -I R`` replaces with each input line (None: lines become arguments)."""
    for i, arg in enumerate(_options_only(args)):
        if arg in ("-I", "--replace") and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("-I") and len(arg) > 2:
            return arg[2:]
        if arg.startswith("--replace="):
            return arg.split("=", 1)[1]
        if arg in ("-i", "--replace"):
            return "{}"
    return None


def _options_only(args: list[str]) -> list[str]:
    rest = _after_options(args, _XARGS_VALUE_OPTIONS)
    return args[: len(args) - len(rest)]


def nested_argv(name: str, args: list[str]) -> list[list[str]]:
    """Commands run directly from a command's arguments: ``xargs CMD``, ``find -exec CMD ;``."""
    if name in RUNNERS:
        return runner_argv(name, args)
    if name in ("xargs", "parallel"):
        rest = _after_options(args, _XARGS_VALUE_OPTIONS)
        if ":::" in rest:  # parallel CMD ::: ARG...: the command runs on each argument
            cut = rest.index(":::")
            return [[*rest[:cut], *rest[cut + 1 :]]] if cut else []
        return [rest] if rest else []
    if name == "find":
        found: list[list[str]] = []
        current: list[str] | None = None
        for arg in args:
            if current is None:
                if arg in _FIND_EXEC:
                    current = []
            elif arg in (";", "+"):
                found.append(current)
                current = None
            else:
                current.append(arg)
        if current:
            found.append(current)
        # With no test that picks files (a name, an age, a size...), `{}` is every file under
        # the start directory (`/etc/*`): `find /etc -exec chmod 000 {} +` reads as what it
        # does to /etc, while `find /var/log -name "*.gz" -exec rm {} ;` stays unknown files.
        starts = [a for a in args if not a.startswith(("-", "(", "!", ")"))][:1]
        here = starts[0].rstrip("/") if starts and starts[0].startswith(("/", "~")) else None
        action = next((i for i, a in enumerate(args) if a in _FIND_EXEC), len(args))
        if here is not None and not _FIND_TESTS.intersection(args[:action]):
            found = [[f"{here}/*" if w == "{}" else w for w in f] for f in found]
        return [f for f in found if f]
    return []


# An interpreter's code reading the environment: Ruby and Julia's ENV["F"], awk's ENVIRON,
# Perl's $ENV{F}, getenv("F") (Lua, Python, PHP, C), Python's os.environ, Node's process.env,
# PHP's $_ENV and PowerShell's $env:F. One capture group per form: the variable's name.
_ENV_READ = re.compile(
    r"\bENV(?:IRON)?\s*\[\s*['\"](\w+)['\"]\s*\]|\bENV\.fetch\s*\(\s*['\"](\w+)['\"]\s*\)"
    r"|\$ENV\s*\{\s*['\"]?(\w+)['\"]?\s*\}|\b(?:os\.)?getenv\s*\(\s*['\"](\w+)['\"]\s*\)"
    r"|\bos\.environ\s*\[\s*['\"](\w+)['\"]\s*\]|\bos\.environ\.get\s*\(\s*['\"](\w+)['\"]\s*\)"
    r"|\bprocess\.env\.(\w+)|\bprocess\.env\s*\[\s*['\"](\w+)['\"]\s*\]"
    r"|\$_(?:ENV|SERVER)\s*\[\s*['\"](\w+)['\"]\s*\]|\$env:(\w+)"
)


def environment_read(text: str, variables: dict[str, str]) -> str:
    """``text`` with each environment read of a variable set on the line made its value.

    ``export F=/etc/passwd; ruby -e 'File.open(ENV["F"], "w")'`` writes /etc/passwd: the
    value, as a double-quoted literal, is what the code's own reader then sees. A variable set
    but not exported is taken as exported too (the safe direction).
    """
    if not variables or not _ENV_READ.search(text):
        return text

    def value(match: re.Match[str]) -> str:
        name = next(g for g in match.groups() if g is not None)
        if name not in variables:
            return match.group(0)
        return '"' + variables[name].replace("\\", "\\\\").replace('"', '\\"') + '"'

    return _ENV_READ.sub(value, text)


def _after_options(args: list[str], takes_value: frozenset[str]) -> list[str]:
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "-":
        if args[i] == "--":
            return args[i + 1 :]
        i += 2 if args[i] in takes_value else 1
    return args[i:]


def _has_script(args: list[str]) -> bool:
    """True when a shell's arguments name a script or ``-c`` code (so stdin is not its code)."""
    for arg in args:
        if arg.startswith("-") or arg.startswith("+"):
            if "c" in arg[1:] and not arg.startswith("--"):
                return True
            continue
        return arg not in ("-", "/dev/stdin")
    return False


def literal_output(name: str, args: list[str], stdin: str | None) -> str | None:
    """What a command writes to stdout when that is known from its words alone."""
    if name in ("echo", "printf"):
        words = list(args)
        escapes = name == "printf"
        while words and name == "echo" and re.fullmatch(r"-[neE]+", words[0]):
            escapes = escapes or "e" in words[0]
            words.pop(0)
        text = " ".join(words)
        return _ansi_c(text) if escapes else text
    if stdin is None:
        return None
    if name == "cat" and not args:
        return stdin
    if name == "base64" and any(a in ("-d", "--decode", "-D") or a.startswith("-d") for a in args):
        try:
            return base64.b64decode(stdin.strip() + "===", validate=False).decode(
                "utf-8", "replace"
            )
        except (binascii.Error, ValueError):
            return None
    if name == "xxd" and "-r" in args:
        try:
            return bytes.fromhex("".join(stdin.split())).decode("utf-8", "replace")
        except ValueError:
            return None
    if name == "rev":
        return "\n".join(line[::-1] for line in stdin.split("\n"))
    if name == "tr":
        return translate(args, stdin)
    return None


_TR_CLASSES = {
    "[:lower:]": "abcdefghijklmnopqrstuvwxyz",
    "[:upper:]": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "[:digit:]": "0123456789",
    "[:space:]": " \t\n\r\v\f",
    "[:blank:]": " \t",
}


def _tr_set(spec: str) -> str | None:
    """A ``tr`` set written out: ranges, escapes, the lower/upper/digit/space classes.

    None for what is not read here (``[c*n]`` repeats, ``[=c=]``, other classes).
    """
    text = _ansi_c(spec)
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "[":
            for name, chars in _TR_CLASSES.items():
                if text.startswith(name, i):
                    out.append(chars)
                    i += len(name)
                    break
            else:
                if re.match(r"\[(?:=.=|.\*\d*\]|:)", text[i:]):
                    return None
                out.append("[")
                i += 1
            continue
        if i + 2 < len(text) and text[i + 1] == "-" and text[i] <= text[i + 2]:
            out.append("".join(map(chr, range(ord(text[i]), ord(text[i + 2]) + 1))))
            i += 3
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def translate(args: list[str], stdin: str) -> str | None:
    """What ``tr`` prints for ``stdin`` (``tr a-z n-za-m``: rot13), when that is known."""
    options = {a for a in args if a.startswith("-") and len(a) > 1}
    sets = [a for a in args if not (a.startswith("-") and len(a) > 1)]
    if not options <= {"-d", "-s", "--delete", "--squeeze-repeats"}:
        return None  # complement and truncate are not read
    chars = [_tr_set(s) for s in sets]
    if any(c is None for c in chars) or not chars:
        return None
    first = chars[0] or ""
    if options & {"-d", "--delete"}:
        return "".join(ch for ch in stdin if ch not in first) if len(chars) == 1 else None
    squeeze = bool(options & {"-s", "--squeeze-repeats"})
    if len(chars) == 1 and squeeze:
        second, out = first, stdin
    elif len(chars) == 2 and chars[1]:
        second = (chars[1] or "").ljust(len(first), (chars[1] or " ")[-1])
        out = stdin.translate({ord(a): b for a, b in zip(first, second, strict=False)})
    else:
        return None
    if squeeze:
        out = re.sub(r"(.)\1+", lambda m: m.group(1) if m.group(1) in second else m.group(0), out)
    return out


def expand_braces(word: str, limit: int = 32) -> list[str]:
    """Bash brace expansion of one word, one level deep (``/{bin,etc}`` -> ``/bin /etc``)."""
    match = _BRACE_WORD.match(word)
    if not match or "$" in word:
        return [word]
    head, body, tail = match.groups()
    items = body.split(",")[:limit]
    return [resolve_target(head + item + tail) for item in items]


def resolve_target(word: str) -> str:
    """Read a path the way the file system would: ``//usr/./lib/..`` -> ``/usr``, ``~root``."""
    if not word.startswith(("/", "~")) or "\n" in word:
        return word
    if word.startswith("~") and not word.startswith(("~/",)) and word != "~":
        user, _, rest = word[1:].partition("/")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", user):
            return word
        word = ("/root" if user == "root" else f"/home/{user}") + (f"/{rest}" if rest else "")
    collapsed = _SLASHES.sub("/", word)
    home = collapsed.startswith("~")
    normal = posixpath.normpath(_HOME_STAND_IN + collapsed[1:] if home else collapsed)
    if home and normal.startswith(_HOME_STAND_IN):
        normal = "~" + normal[len(_HOME_STAND_IN) :]
    if normal.startswith("//"):
        normal = normal[1:]
    if collapsed.endswith("/") and normal != "/":
        normal += "/"
    if any(c in normal for c in "*?[") and normal.startswith("/"):
        stem = normal.rstrip("/")
        if stem not in ("/*",) and not stem.endswith("/*"):
            for vital in VITAL_DIRS:
                if vital != "/" and fnmatchcase(vital, stem):
                    return vital
    return normal


def _in_dir(cwd: str, word: str) -> str:
    """A relative glob or ``.`` read against the directory a ``cd`` moved to."""
    vital = cwd.rstrip("/") in (*VITAL_DIRS, "~") or cwd == "/"
    if vital and word in (".", "./", "*", "./*", ".*"):
        return resolve_target(f"{cwd}/{word}")
    return word


def _unescape(text: str) -> str:
    text = text.replace("\\\n", "")
    return _BACKSLASH.sub(r"\1", text)


def _ansi_c(text: str) -> str:
    r"""Decode ``$'...'`` and ``echo -e`` escapes (``\\x72`` -> ``r``)."""
    try:
        with warnings.catch_warnings():
            # An escape Python does not know (bash's `\cX`) is kept as written; Python warns
            # about it (an error where warnings are errors), and the gate must never fail.
            warnings.simplefilter("ignore", DeprecationWarning)
            return codecs.decode(text.encode("latin-1", "backslashreplace"), "unicode_escape")
    except (UnicodeDecodeError, ValueError):
        return text

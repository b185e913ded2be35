"""Facts about a parsed line: which files it writes, what it downloads, whether it runs it.

``file_writes`` gives every file a line overwrites, appends to, replaces, truncates or deletes,
one ``VERB PATH [from SOURCE]`` text each (the rule table's "write" scope reads them).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence

from cmdai.safety.effects_table import VALUE_OPTIONS
from cmdai.shellparse import SHELLS, Analysis, SimpleCommand

_INTERP = r"(?:python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|php[0-9.]*|lua[0-9.]*)"

_SED_IN_PLACE = re.compile(r"-[a-zA-Z]*i\S*")
_CURL_REMOTE_NAME = re.compile(r"-\w*O")
_INTERP_NAME = re.compile(_INTERP)
# Options that take a value, per utility, so positional arguments are told apart from them:
# the effects table's, and those of the programs only read here.
_VALUE_OPTIONS: dict[str, frozenset[str]] = {
    **VALUE_OPTIONS,
    "sed": frozenset({"-e", "--expression", "-f", "--file", "-l", "--line-length"}),
    "curl": frozenset(
        {"-o", "--output", "-d", "--data", "-F", "--form", "-H", "--header", "-X", "-u", "-A"}
    ),
    "aria2c": frozenset({"-o", "--out", "-d", "--dir", "-x", "-s", "-i", "--input-file"}),
    "axel": frozenset({"-o", "--output", "-n", "--num-connections", "-s", "-H"}),
    "fetch": frozenset({"-o", "--output", "-T", "--timeout"}),
    "visudo": frozenset({"-f", "--file"}),
    "unzip": frozenset({"-d", "-x", "-P"}),
    **dict.fromkeys(("perl", "ruby"), frozenset({"-e", "-E", "-M", "-m", "-r", "-x", "-C"})),
    **dict.fromkeys(
        ("vi", "vim", "nvim", "rvim", "gvim", "ex"),
        frozenset({"-c", "--cmd", "-S", "-u", "-U", "-i", "-T", "-t", "-q", "-s", "-w", "-W"}),
    ),
    "nano": frozenset({"-T", "--tabsize", "-Y", "--syntax", "-o", "--operatingdir", "-r"}),
    **dict.fromkeys(("emacs", "emacsclient"), frozenset({"-l", "--load", "-f", "--eval"})),
}
# Interactive editors: each file they open is written when saved. A read-only mode (`vim -R`,
# `nano -v`) writes nothing; `view` is vim's read-only name and is not listed.
_EDITORS = frozenset(
    "vi vim nvim rvim gvim ex nano pico emacs emacsclient ee micro joe jed mcedit kak hx helix ne "  # noqa: SIM905
    "mg vis sudoedit gedit kate mousepad code subl".split()
)
_READ_ONLY = frozenset({"-R", "-M", "-v", "--view"})
_HTTPIE = frozenset({"http", "https", "xh", "xhs"})
DOWNLOADERS = frozenset({"curl", "wget", "aria2c", "axel", "fetch"}) | _HTTPIE
"""Programs that fetch a URL (to a file, or to stdout)."""


def split_args(name: str, args: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """Positional arguments, and the value of each option that takes one (``-t DIR``)."""
    takes_value = _VALUE_OPTIONS.get(name, frozenset())
    positional: list[str] = []
    values: dict[str, str] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            positional.extend(args[i + 1 :])
            break
        if arg.startswith("--") and "=" in arg:
            key, _, value = arg.partition("=")
            values[key] = value
        elif arg in takes_value and i + 1 < len(args):
            values[arg] = args[i + 1]
            i += 1
        elif arg.startswith("-") and not arg.startswith("--") and len(arg) > 2:
            # A cluster of short options (-fsSLo FILE, -ofile): a value-taking option takes
            # the rest of the word, or the next word.
            for j, letter in enumerate(arg[1:], start=1):
                if f"-{letter}" in takes_value:
                    rest = arg[j + 1 :]
                    if not rest and i + 1 < len(args):
                        rest = args[i + 1]
                        i += 1
                    values[f"-{letter}"] = rest
                    break
        elif not arg.startswith("-") or arg == "-":
            positional.append(arg)
        i += 1
    return positional, values


def _command_writes(command: SimpleCommand) -> list[str]:
    name, args = command.argv[0], list(command.argv[1:])
    out: list[str] = []
    positional, values = split_args(name, args)
    if name == "tee":
        verb = "append" if any(a in ("-a", "--append") for a in args) else "overwrite"
        out += [f"{verb} {p}" for p in positional]
    elif name == "dd":
        options = dict(a.split("=", 1) for a in args if "=" in a)
        if "of" in options:
            out.append(f"overwrite {options['of']} from {options.get('if', 'stdin')}")
    elif name in ("cp", "mv", "install") or (
        # a forced link replaces its target; one to /dev/null is put there to swallow writes
        name == "ln"
        and (any(a.startswith("-") and "f" in a for a in args) or positional[:1] == ["/dev/null"])
    ):
        target = values.get("-t") or values.get("--target-directory")
        sources = positional if target else positional[:-1]
        destination = target or (positional[-1] if len(positional) > 1 else "")
        for source in sources if destination else []:
            out.append(f"replace {destination} from {source}")
            if target or destination.endswith("/") or len(sources) > 1:
                inside = posixpath.join(destination, posixpath.basename(source.rstrip("/")))
                out.append(f"replace {inside} from {source}")
    elif name == "truncate":
        out += [f"truncate {p}" for p in positional]
    elif name == "shred":
        out += [f"destroy {p}" for p in positional]
    elif name in ("rm", "unlink"):
        out += [f"delete {p}" for p in positional]
    elif name == "sed" and any(
        a == "--in-place" or a.startswith("--in-place=") or _SED_IN_PLACE.fullmatch(a) for a in args
    ):
        out += [f"edit {p}" for p in positional]
    elif name in ("perl", "ruby") and any(_SED_IN_PLACE.fullmatch(a) for a in args):
        # perl -pi -e CODE FILE... edits each FILE in place (without -e the first is the script)
        code = any(k in values for k in ("-e", "-E"))
        out += [f"edit {p}" for p in (positional if code else positional[1:])]
    elif name in _EDITORS and _READ_ONLY.isdisjoint(args):
        out += [f"edit {p}" for p in positional if not p.startswith("+") and p != "-"]
    elif name in ("visudo", "vipw", "vigr") and not {"-c", "--check", "-h", "--help"} & set(args):
        shadow = "-s" in args or "--shadow" in args
        default = {"visudo": "sudoers", "vipw": "passwd", "vigr": "group"}[name]
        shadowed = {"vipw": "shadow", "vigr": "gshadow"}.get(name, default) if shadow else default
        out.append(f"edit {values.get('-f') or values.get('--file') or '/etc/' + shadowed}")
    elif (directory := _extracted_into(name, args, positional, values)) is not None:
        out.append(f"extract {directory}")
    elif name == "systemctl" and positional[:1] in (["edit"], ["set-default"]):
        out += _unit_writes(positional, args)
    elif name in DOWNLOADERS:
        output = _download_path(command)
        if output:
            out.append(f"replace {output} from download")
    return out


def _extracted_into(
    name: str, args: Sequence[str], positional: list[str], values: dict[str, str]
) -> str | None:
    """The directory an archive is extracted into, when it is named (``tar -x -C DIR``)."""
    if name == "unzip" and not {"-l", "-v", "-t", "-Z", "-p"} & set(args):
        return values.get("-d")
    if name not in ("tar", "gtar", "bsdtar"):
        return None
    old_style = bool(positional) and not args[0].startswith("-") and "x" in args[0]
    extracts = old_style or any(
        a in ("--extract", "--get") or (a[:1] == "-" and a[1:2] != "-" and "x" in a) for a in args
    )
    return (values.get("-C") or values.get("--directory")) if extracts else None


def _unit_writes(positional: list[str], args: Sequence[str]) -> list[str]:
    """The unit files that ``systemctl edit`` and ``systemctl set-default`` write.

    ``edit`` writes a drop-in (the unit itself with ``--full``); ``set-default`` replaces the
    default target's link.
    """
    base = "~/.config/systemd/user" if "--user" in args else "/etc/systemd/system"
    if positional[0] == "set-default":
        return [f"replace {base}/default.target"] if positional[1:] else []
    units = [u if "." in u else f"{u}.service" for u in positional[1:]]
    if "--full" in args:
        return [f"edit {base}/{u}" for u in units]
    return [f"edit {base}/{u}.d/override.conf" for u in units]


def file_writes(analysis: Analysis) -> list[str]:
    """Every file the line would write, one ``VERB PATH [from SOURCE]`` text each.

    Verbs: ``overwrite`` (``>``, ``tee``, ``dd of=``), ``append`` (``>>``, ``tee -a``),
    ``replace`` (``cp``/``mv``/``install``/``ln -f`` destination, ``curl -o``), ``truncate``,
    ``destroy`` (``shred``), ``delete`` (``rm``, ``unlink``), ``edit`` (``sed -i``, a file opened
    in an interactive editor, ``visudo``, ``systemctl edit``).
    """
    out: list[str] = []
    for redirect in analysis.redirects:
        target = redirect.target
        if ">" not in redirect.operator or not target or target.isdigit() or target == "-":
            continue
        verb = "append" if ">>" in redirect.operator else "overwrite"
        out.append(f"{verb} {target}")
    for command in analysis.commands:
        if command.argv:
            out.extend(_command_writes(command))
    return out


def _download_path(command: SimpleCommand) -> str:
    """The file a download command saves to ('' when it writes to stdout)."""
    name, args = command.argv[0], list(command.argv[1:])
    positional, values = split_args(name, args)
    urls = [a for a in positional if "://" in a]
    if name == "curl":
        remote_name = any(
            a in ("-O", "--remote-name") or _CURL_REMOTE_NAME.fullmatch(a) for a in args
        )
        return _saved_as(values.get("-o") or values.get("--output"), urls if remote_name else [])
    if name == "wget":
        return _saved_as(values.get("-O") or values.get("--output-document"), urls)
    # aria2c and axel save to a file (-o, else the URL's name); fetch(1) too, "-" is stdout;
    # httpie only with --download
    if name in ("aria2c", "axel", "fetch") or (name in _HTTPIE and "--download" in args):
        return _saved_as(values.get("-o") or values.get("--out") or values.get("--output"), urls)
    return ""


def _saved_as(output: str | None, urls: list[str]) -> str:
    """A download's file: its output option ("-" is stdout), else the first URL's name."""
    if output:
        return "" if output == "-" else output
    return posixpath.basename(urls[0].split("?")[0]) if urls else ""


def downloads_and_runs(commands: Sequence[SimpleCommand]) -> bool:
    """A file downloaded by ``curl``/``wget`` is then run, by name or through a shell."""
    downloaded: set[str] = set()
    for command in commands:
        name, args = command.argv[0], command.argv[1:]
        if name in DOWNLOADERS:
            # what it prints, when its output is redirected to a file (`curl URL > x.sh`)
            saved = [r.target for r in command.redirects if r.operator in (">", ">|", ">>")]
            path = _download_path(command) or (saved[-1] if saved else "")
            if path:
                downloaded.add(posixpath.basename(path))
            continue
        if not downloaded:
            continue
        if name in downloaded:
            return True
        runner = name in SHELLS or name in ("source", ".") or _INTERP_NAME.fullmatch(name)
        script = next((a for a in args if not a.startswith("-")), "")
        if runner and posixpath.basename(script) in downloaded:
            return True
    return False


# `ps` listing every process (`-e`, `-A`, BSD `ax`), or every one of root's (`-u root`),
# and not narrowed further (to a name, pid, tty, or another user).
_PS_EVERY = re.compile(
    r"ps\s+(?=(?:\S+\s+)*?(?:-[a-zA-Z]*[eA][a-zA-Z]*|[a-wyz]*a[a-z]*x[a-z]*|[a-wyz]*x[a-z]*a[a-z]*)"
    r"(?:\s|$))(?!(?:\S+\s+)*?(?:-[CupgGtsUqN]\S*|--(?:pid|ppid|user|User|group|Group|sid|tty"
    r"|quick-pid|command|deselect)\S*|[Uptq])(?:\s|$)).*"
)
_PS_ROOT = re.compile(
    r"ps\s+(?:(?:-[eAfFlLjwHyM]*[oO]?\s*\S*|--(?:format|sort)[=\s]\S+|-[fFlLjwHyMe]+)\s+)*"
    r"(?:-u|-U|--user|--User)[=\s]*(?:root|0)(?:\s+(?:-[oO]\s*\S+|--(?:format|sort)[=\s]\S+"
    r"|-[fFlLjwHyM]+|--no-?headers?))*"
)
# Stages that pass every process on: a column picked, the title dropped, lines excluded.
_EVERY_KEPT = re.compile(
    r"awk\s+(?:-F\s*\S+\s+)?(?:NR\s*(?:[>_]=?|!=)\s*\d+\s*)?\{\s*print\s+\$\d+\s*;?\s*\}"
    r"|(?:cut|tr|sort|uniq)(?:\s.*)?|tail\s+(?:-n\s*)?\+\d+|sed\s+(?:-n\s+)?(?:1d|2,\$p)"
    r"|grep\s+-v(?:\s.*)?"
)
# kill, also through xargs; not a liveness probe (signal 0) or a listing of signals
_KILLER = re.compile(
    r"(?:xargs\s+(?:-\S+\s+)*)?kill(?!\s+(?:.*\s)?-(?:0|s\s*0|l|L)(?:\s|$))(?:\s.*)?"
)
_SUBSTITUTED = re.compile(r"\$\(([^()]*)\)|`([^`]*)`")


def _listed(stages: Sequence[str]) -> str:
    """Whose processes a ``ps`` pipeline lists in full: ``every``, ``root``, or ``""``."""
    first, *rest = (re.sub(r"['\"]", "", stage).strip() for stage in stages)
    if not all(_EVERY_KEPT.fullmatch(s) for s in rest):
        return ""
    if _PS_EVERY.fullmatch(first):
        return "every"
    return "root" if _PS_ROOT.fullmatch(first) else ""


def killed_processes(analysis: Analysis) -> str:
    """Whose processes ``kill`` is handed in full: ``every``, ``root``, or ``""``.

    ``kill $(ps -e -o pid=)``, ``ps aux | awk '{print $2}' | xargs kill``, a loop over such a
    listing (the same as ``kill -9 -1``), or ``ps -u root``'s; not when a stage picks some of
    them (``grep``, ``head``, ``ps -C NAME``).
    """
    found = set()
    for pipeline in analysis.pipelines:
        *listing, last = pipeline.split(" | ")
        if listing and _KILLER.fullmatch(last.strip()):
            found.add(_listed(listing))
    for command in analysis.commands:
        if command.argv[:1] == ("kill",) and _KILLER.fullmatch(command.text):
            for inner in _SUBSTITUTED.finditer(command.text):
                found.add(_listed((inner.group(1) or inner.group(2) or "").split(" _ ")))
    return "every" if "every" in found else "root" if "root" in found else ""


_SIZE = re.compile(r"(\d+)([kKmMgGtTpP]?)(i?[bB])?")
_UNIT = {"": 0, "k": 1, "m": 2, "g": 3, "t": 4, "p": 5}
# A file this large fills any ordinary disk (dd's default block is 512 bytes).
HUGE_FILE = 100 * 1024**3


def _bytes(size: str) -> int:
    match = _SIZE.fullmatch(size)
    if not match:
        return 0
    base = 1000 if match.group(3) in ("B", "b") else 1024  # dd's MB is 1000², its M and MiB 1024²
    return int(match.group(1)) * int(base ** _UNIT[match.group(2).lower()])


_ENDLESS = frozenset({"/dev/zero", "/dev/urandom", "/dev/random"})


def writes_huge_file(analysis: Analysis) -> bool:
    """``dd`` or ``head -c`` of zeros or random bytes into a file, or ``fallocate``: 100 GiB+."""
    for command in analysis.commands:
        name, args = command.argv[0] if command.argv else "", command.argv[1:]
        if name == "dd":
            ops = dict(a.split("=", 1) for a in args if "=" in a)
            source, target = ops.get("if", ""), ops.get("of", "")
            endless = source in _ENDLESS
            size = _bytes(ops.get("bs", "512")) * _bytes(ops.get("count", "0"))
            if endless and target and not target.startswith("/dev/") and size >= HUGE_FILE:
                return True
        if name == "head" and _ENDLESS.intersection(args):
            # head -c 100G /dev/zero > big: the same fill as dd's, counted in bytes
            sizes = [
                b[2:] or after
                for b, after in zip(args, [*args[1:], ""], strict=True)
                if b[:2] == "-c"
            ]
            sizes += [a.split("=", 1)[1] for a in args if a.startswith("--bytes=")]
            into_file = any(
                r.operator in (">", ">>", "&>", ">|") and not r.target.startswith("/dev/")
                for r in command.redirects
            )
            if into_file and any(_bytes(size) >= HUGE_FILE for size in sizes):
                return True
        if name == "fallocate":
            for i, arg in enumerate(args):
                length = args[i + 1] if arg in ("-l", "--length") and i + 1 < len(args) else ""
                length = arg[2:] if arg.startswith("-l") and len(arg) > 2 else length
                if length and _bytes(length) >= HUGE_FILE:
                    return True
    return False

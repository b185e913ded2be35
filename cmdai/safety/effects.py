"""The effects model: what each simple command does to what, read from ``effects_table``.

For every simple command of a parsed line: find the utility's uses in the table, pick the target
words, classify each target, and look the pair up in the risk table; an unknown utility is not
"safe" when what it is given is known to matter (a disk device, the account database or the
boot files; as root, a system tree or a core binary). Infrastructure CLIs' delete verbs count
when they reach everything of a kind or a computed list; SQL handed to a database client is read
statement by statement (``cmdai.inline``), with its string literals as data. Each finding's id
is ``effect-EFFECT-CLASS`` so the evals can score recall per effect.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from cmdai.safety.effects_table import (
    DRY_RUN,
    DRY_RUN_SHORT,
    ERASES_ONLY_WITH,
    FIREWALL_NARROWING,
    FIREWALLS,
    GIT_DRY_RUN,
    INFRA_CLIS,
    MESSAGES,
    OUTPUT_OPTIONS,
    PARTED_OPTIONS,
    PARTED_SHOW_WORDS,
    PARTLY_KNOWN,
    READERS,
    RECURSIVE_MODE_ONLY,
    RECURSIVE_ONLY,
    RISK,
    SHOW_ONLY_OPTIONS,
    TARGET_CLASSES,
    TARGET_WORDS,
    UTILITIES,
    VALUE_OPTIONS,
    Effect,
    TargetClass,
    Use,
)
from cmdai.safety.model import Finding, Risk
from cmdai.safety.remote import DB_CLIENTS, infra_findings, sql_findings
from cmdai.shellparse import Analysis, SimpleCommand

_CLASSES = tuple((name, re.compile(pattern)) for name, pattern in TARGET_CLASSES)
_CHMOD_MODE = re.compile(r"[-+=][rwxXstugo0-7]*")
_SYMBOLIC_MODE = re.compile(r"([ugoa]*)([-+=])([rwxXst]*)")
# Files under ~/.ssh that are meant to be readable (a public key, known hosts, the client's
# config) and the directory itself, whose usual 755 exposes nothing unless it is recursive.
_ED_WRITES = re.compile(r"^\s*(?:w|wq|x|wq!|w!)\s*$", re.MULTILINE)
_SSH_DIR = re.compile(r"(?:^|/)\.ssh/?$")
_NOT_SECRET = re.compile(
    r"\.pub$|(?:^|/)\.ssh/(?:config|known_hosts\S*|authorized_keys\S*)$|(?:^|/)\.ssh/?$"
)
_R_CHMOD = ("-R", "--recursive")
_LOCAL_TREES = ("/usr/local/", "/opt/local/")
_PROGRAM_PATH = re.compile(
    r"\$\((?:which|command\s+-v|type\s+-[pP])\s+([\w.+-]+)\s*\)"
    r"|`(?:which|command\s+-v|type\s+-[pP])\s+([\w.+-]+)\s*`"
)
_AS_ROOT = frozenset({"sudo", "doas", "pkexec", "run0"})
_ROOT_TARGETS = frozenset({"root", "system-dir", "core-binary"})
_INSIDE = frozenset({"system", "config"})  # files inside a system directory


@functools.lru_cache(maxsize=4096)
def target_class(word: str) -> TargetClass:
    """The class of a target word (``/etc/shadow`` -> ``auth-db``)."""
    if found := _PROGRAM_PATH.fullmatch(word):
        # `$(which sudo)`, `$(command -v python3)`: the installed program's own file
        word = "/usr/bin/" + (found.group(1) or found.group(2))
    if len(word) > 1 and word.endswith("/") and not word.endswith("*/"):
        word = word.rstrip("/") or "/"
    for name, pattern in _CLASSES:
        if pattern.search(word):
            return name
    return "other"


def table_name(name: str) -> str:
    """The table's key for a utility name (``mkfs.ext4``, ``newfs_msdos`` -> ``mkfs``)."""
    if name.startswith(("mkfs.", "newfs_")):  # mkfs.ext4, newfs_msdos, newfs_hfs
        return "mkfs"
    return name


def parse_args(name: str, args: Iterable[str]) -> tuple[list[str], set[str], dict[str, str]]:
    """Positional words, options present (short clusters split), and option values."""
    takes_value = VALUE_OPTIONS.get(name, OUTPUT_OPTIONS)
    positional: list[str] = []
    options: set[str] = set()
    values: dict[str, str] = {}
    words = list(args)
    i = 0
    if name == "find":  # start paths, then the expression
        while i < len(words) and not words[i].startswith(("-", "(", "!")):
            positional.append(words[i])
            i += 1
        options.update(words[i:])
        return positional, options, values
    while i < len(words):
        word = words[i]
        if word == "--":
            positional.extend(words[i + 1 :])
            break
        if name in ("dd", "dcfldd", "dc3dd") and "=" in word:
            key, _, value = word.partition("=")
            values[key] = value
        elif name == "chmod" and not positional and _CHMOD_MODE.fullmatch(word) and len(word) > 1:
            positional.append(word)
        elif word.startswith("--"):
            key, eq, value = word.partition("=")
            options.add(key)
            if eq:
                values[key] = value
            elif key in takes_value and i + 1 < len(words):
                values[key] = words[i + 1]
                i += 1
        elif word.startswith("-") and "=" in word:  # -target=x, -cmd=...
            key, _, value = word.partition("=")
            options.add(key)
            values[key] = value
        elif word.startswith("-") and len(word) > 1:
            if word in takes_value and i + 1 < len(words):
                options.add(word)
                values[word] = words[i + 1]
                i += 1
            elif len(word) > 2 and not word[1:].isalpha():
                options.add(word)  # -9, -0, -target=x: one option
            else:
                options.add(word)
                for j, letter in enumerate(word[1:], start=1):
                    short = f"-{letter}"
                    options.add(short)
                    if short in takes_value:
                        rest = word[j + 1 :]
                        if not rest and i + 1 < len(words):
                            rest = words[i + 1]
                            i += 1
                        values[short] = rest
                        break
        else:
            positional.append(word)
        i += 1
    return positional, options, values


def _any_match(pattern: str, words: list[str]) -> bool:
    return any(re.search(pattern, w) for w in words)


def _words_match(pattern: tuple[str, ...], positional: list[str]) -> bool:
    """Sub-command words lead the positional words; ``*`` stands for one or more words."""
    if not pattern:
        return True
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        return any(_words_match(rest, positional[k:]) for k in range(1, len(positional) + 1))
    return bool(positional) and positional[0] == head and _words_match(rest, positional[1:])


def _consumed(pattern: tuple[str, ...], positional: list[str]) -> int:
    """How many positional words a literal sub-command pattern uses (``*`` uses none)."""
    return sum(1 for word in pattern if word != "*")


def _targets(use: Use, positional: list[str], values: dict[str, str]) -> list[str]:
    if use.targets == "none":
        return [""]
    if use.targets == "value":
        return [values[v] for v in use.values if v in values]
    if use.words and use.words[0] != "*":
        positional = positional[_consumed(use.words, positional) :]
    directory = next((values[v] for v in use.values if v in values), None)
    if use.targets == "args":
        return positional
    if use.targets == "after-first" and "--reference" in values:
        return positional  # chmod --reference=FILE TARGET...: no mode word comes first
    if use.targets == "first":
        return positional[:1]
    if use.targets == "last":
        return [directory] if directory else positional[-1:]
    if use.targets == "sources":
        return positional if directory else positional[:-1]
    return positional[1:]  # after-first


def risk_of(effect: Effect, cls: TargetClass, recursive: bool) -> Risk:
    """The risk table's answer for one effect on one class of target."""
    if cls in RECURSIVE_ONLY and not recursive and effect in ("delete", "mode"):
        cls = "other"
    risk = RISK.get((effect, cls), RISK.get((effect, "*"), Risk.SAFE))
    if effect == "mode" and cls in RECURSIVE_MODE_ONLY and not recursive:
        return Risk.SAFE
    return risk


def finding(effect: Effect, cls: TargetClass, risk: Risk) -> Finding:
    """The finding for ``effect`` on a target of class ``cls`` (``effect-overwrite-startup``)."""
    words = TARGET_WORDS[cls] or "it"
    if effect == "format" and cls == "none":
        words = "every disk it finds"  # `nwipe --autonuke` names none
    message = MESSAGES[effect].format(target=words)
    suffix = f"-{cls}" if cls != "none" else ""
    return Finding(f"effect-{effect}{suffix}", risk, message, "")


def is_dry_run(command: SimpleCommand) -> bool:
    """The command only shows (``--help``, ``--dry-run``, ``wipefs -n``, ``sgdisk --print``)."""
    argv = command.argv
    if len(argv) < 2:
        return False
    name = argv[0]
    args = argv[1:]
    if any(a in DRY_RUN for a in args):
        return True
    if name == "git" and len(args) > 1 and args[0] in ("clean", "push", "rm", "mv", "add"):
        return bool(_option_names(args[1:]) & GIT_DRY_RUN)  # also in a cluster: clean -nfd
    short = DRY_RUN_SHORT.get(name)
    shows = name in SHOW_ONLY_OPTIONS or name in ERASES_ONLY_WITH or name == "parted"
    if not short and not shows:
        return False  # most commands: no option parsing on the gate's hot path
    options = _option_names(args)
    if short and short & options:
        return True
    return shows and _shows_only(name, args, options)


def _option_names(args: Sequence[str]) -> set[str]:
    """Every option named: ``-af`` as ``-a`` and ``-f``, ``--offset=4`` as ``--offset``."""
    names: set[str] = set()
    for a in args:
        if a.startswith("--"):
            names.add(a.split("=", 1)[0])
        elif a.startswith("-") and len(a) > 1 and not a[1:].isdigit():
            names.update(f"-{c}" for c in a[1:])
    return names


def _shows_only(name: str, args: Sequence[str], options: set[str]) -> bool:
    """A partition tool's list or print form (``sgdisk -p``, ``wipefs DEV``, ``parted -l``).

    ``options``: the options ``args`` name (``_option_names``).
    """
    if name in SHOW_ONLY_OPTIONS:
        return bool(options) and options <= SHOW_ONLY_OPTIONS[name]
    if name in ERASES_ONLY_WITH:
        return not options & ERASES_ONLY_WITH[name]
    if options <= PARTED_OPTIONS:
        # `parted DEV` alone opens the interactive editor: not a show-only form.
        commands = [a for a in args if not a.startswith("-")][1:]
        listing = bool(options & {"-l", "--list"})
        return (listing or bool(commands)) and all(w in PARTED_SHOW_WORDS for w in commands)
    return False


def command_findings(command: SimpleCommand) -> list[Finding]:
    """What one simple command does, as findings (empty when it changes nothing that matters)."""
    if not command.argv or is_dry_run(command):
        return []
    name = table_name(command.argv[0])
    positional, options, values = parse_args(name, command.argv[1:])
    out: list[Finding] = []
    uses = UTILITIES.get(name)
    if uses is not None:
        for use in uses:
            if not _words_match(use.words, positional):
                continue
            if use.only_args and len(positional) != use.only_args:
                continue
            # no target to read: a spared word anywhere spares the use (`zfs destroy x@snap`)
            if use.spare and use.targets == "none" and _any_match(use.spare, positional):
                continue
            if use.any_of and not options & set(use.any_of):
                continue
            if use.unless and options & set(use.unless):
                continue
            recursive = "*" in use.recursive or bool(options & set(use.recursive))
            effect = use.effect
            if effect == "partition-editor" and (
                command.stdin is not None or any(r.operator == "<" for r in command.redirects)
            ):
                effect = "partition"  # its keys come from a script, not from someone reading
            for target in _targets(use, positional, values):
                if use.spare and re.search(use.spare, target):
                    continue  # not this use's kind of target (another host's `HOST:PATH`)
                cls = target_class(target)
                # `DIR/*` reaches every entry of DIR: `rm /usr/bin/*` needs no -r to empty it.
                entries = target.endswith("/*") and cls != "home-root"
                risk = risk_of(effect, cls, recursive or entries)
                if (
                    risk == Risk.SAFE
                    and effect == "mode"
                    and (cls == "auth-db" or (cls in RECURSIVE_ONLY and not (recursive or entries)))
                    and _breaks(name, positional, options, values, cls)
                ):
                    risk = Risk.MEDIUM  # `chmod 000 /`, `chown bob /usr`, `chattr +i /etc/passwd`
                if effect == "mode" and recursive and _taken_over(name, positional, target):
                    cls, risk = "system", max(risk, Risk.MEDIUM)
                if risk > Risk.SAFE:
                    out.append(finding(effect, cls, risk))
    partly = name in PARTLY_KNOWN and not any(_words_match(u.words, positional) for u in uses or ())
    if name in INFRA_CLIS:  # also where the table has rows of its own (`gh repo delete`)
        out.extend(infra_findings(positional, options, name, values))
    elif uses is not None and not partly:
        pass  # a utility the table knows: its rows said what it does
    elif name in DB_CLIENTS:
        out.extend(sql_findings(name, positional, values, command.stdin))
    elif name not in READERS:
        for word in positional:
            cls = target_class(word)
            if cls == "device":
                out.append(
                    Finding(
                        "effect-unknown-device",
                        Risk.MEDIUM,
                        f"Runs {name}, which cmdai does not know, on a disk device.",
                        "Check what the program does to the device first (man page, --help).",
                    )
                )
            elif cls in ("auth-db", "boot") or (
                cls in _ROOT_TARGETS and not _AS_ROOT.isdisjoint(command.wrappers)
            ):
                # What is known of an unknown program: the files it is given. The account
                # database and the boot files matter to any program that can write them (a
                # root shell, a container, a GTFOBins-style file write); a core binary or a
                # whole system tree to one run as root (without root, a core binary given
                # to a program is mostly the program it runs: `su -s /bin/bash`).
                root = "" if _AS_ROOT.isdisjoint(command.wrappers) else " as root"
                out.append(
                    Finding(
                        "effect-unknown-system-file",
                        Risk.MEDIUM,
                        f"Runs {name}, which cmdai does not know,{root} on {TARGET_WORDS[cls]}.",
                        "Check what the program does with it first (man page, --help).",
                    )
                )
    if name in FIREWALLS and not options & FIREWALL_NARROWING:
        chain = (
            values.get("-A") or values.get("--append") or values.get("-I") or values.get("--insert")
        )
        jump = values.get("-j") or values.get("--jump") or ""
        if chain == "INPUT" and jump.upper() in ("DROP", "REJECT"):
            out.append(finding("network-down", "none", Risk.HIGH))
    if name == "nft" and positional[:2] in (["add", "rule"], ["insert", "rule"]):
        # nft add rule FAMILY TABLE input drop: every packet in, with nothing to match first
        hook, verdict = positional[4:5], [w.lower() for w in positional[5:]]
        if hook and hook[0].lower() == "input" and verdict in (["drop"], ["reject"]):
            out.append(finding("network-down", "none", Risk.HIGH))
    if name in ("ed", "ex") and positional and _ED_WRITES.search(command.stdin or ""):
        # a line editor fed a script that writes: the file it opened is replaced
        cls = target_class(positional[0])
        if (risk := risk_of("overwrite", cls, False)) > Risk.SAFE:
            out.append(finding("overwrite", cls, risk))
    out.extend(_exposes(name, positional, options))
    out.extend(_opened_for_writing(name, positional))
    out.extend(_locked_out(name, positional))
    as_root = not _AS_ROOT.isdisjoint(command.wrappers)
    if name == "passwd" and as_root and not positional and not options - {"-q", "--quiet"}:
        out.append(finding("accounts-change", "none", Risk.MEDIUM))  # root's own password
    if name == "chmod" and positional and _sets_uid(positional[0]):
        out.extend(_setuid(positional[1:], as_root))
    if name == "install" and _sets_uid(values.get("-m") or values.get("--mode") or ""):
        out.extend(_setuid(positional[-1:], as_root))  # `install -m 4755 SRC DEST`
    empty_stdin = command.stdin is not None and not command.stdin.strip()
    if name == "crontab" and positional in ([], ["-"]) and not options - {"-u"} and empty_stdin:
        out.append(finding("cron-wipe", "none", Risk.HIGH))
    if uses is None or name not in VALUE_OPTIONS:
        for option in options & OUTPUT_OPTIONS:
            target = values.get(option, "")
            cls = target_class(target) if target else "none"
            risk = risk_of("overwrite", cls, False)
            if risk > Risk.SAFE:
                out.append(finding("overwrite", cls, risk))
    return out


_ROOT_OWNERS = frozenset({"", "root", "0", "wheel", "admin", "shadow"})
_ACL_GRANTS = frozenset({"-m", "--modify", "-M", "--modify-file", "--set", "--set-file"})


def _breaks(
    name: str, positional: list[str], options: set[str], values: dict[str, str], cls: str
) -> bool:
    """Whether a change to one directory or file (not a tree) breaks or opens it.

    ``/``, a system or data directory or a home root itself, or the account database.
    Restoring the usual (``chmod 755 /``, ``chown root /usr``, ``chmod 700 ~``, ``chown
    root:shadow /etc/shadow``) is fine; taking others' access away from ``/`` or ``/usr``
    (every user and service then fails), letting others write it, giving it to another
    owner, granting an ACL or making it immutable is not. The account database's modes are
    the rule table's (``chmod-auth-writable``...).
    """
    if "--reference" in values:
        return cls != "home-root"  # a mode or owner copied from elsewhere: not known here
    spec = positional[0] if positional else ""
    if name == "chmod":
        if cls == "auth-db":
            return False
        if _opens_write(spec):
            return True
        if cls == "home-root":
            return _drops(spec, "u")  # `chmod 000 ~`: your own files become unreachable
        return cls != "data-dir" and _drops(spec, "o")
    if name in ("chown", "chgrp"):
        if cls == "home-root":
            return False  # `chown bob /home/bob` is how a home is given to its user
        owner, _, group = spec.partition(":") if name == "chown" else ("", "", spec)
        return owner not in _ROOT_OWNERS or group not in _ROOT_OWNERS
    if name == "setfacl":
        return bool(options & _ACL_GRANTS)
    return name == "chattr" and spec.startswith(("+", "="))  # `chattr +i /etc`


# You, as a chown owner: `chown -R $USER /usr/local/lib` hands root's files to your account.
_SELF = re.compile(
    r"^(?:\$\{?(?:USER|LOGNAME)\}?|\$\((?:whoami|id -un?)\)|`(?:whoami|id -un?)`)(?::|$)"
)


def _taken_over(name: str, positional: list[str], target: str) -> bool:
    """A tree inside a system directory handed to your account or opened to others' writes.

    Whatever in it root runs (``/usr/local/bin`` is on root's PATH) can then be changed by
    anything running as you (``sudo chown -R $USER /usr/local/lib/node_modules``), or by
    anyone (``chmod -R a+w /usr/local``). Giving a service its data (``chown -R mysql
    /var/lib/mysql``) or restoring modes (``chmod -R 755``) is ordinary administration.
    """
    if not positional or not (target_class(target) in _INSIDE or target.startswith(_LOCAL_TREES)):
        return False
    if name == "chmod":
        return _opens_write(positional[0])
    return name in ("chown", "chgrp") and _SELF.match(positional[0]) is not None


def _drops(mode: str, who: str, perms: str = "rx") -> bool:
    """Whether a chmod mode takes ``perms`` (read, search) away from ``who`` (``u`` or ``o``).

    ``000``, ``700`` and ``o-rx`` drop them for others; ``600`` and ``u-x`` for the owner.
    """
    need = (4 if "r" in perms else 0) | (1 if "x" in perms else 0)
    if mode.isdigit():
        digits = mode.zfill(3)
        return (int(digits[-1] if who == "o" else digits[-3]) & need) != need
    for part in mode.split(","):
        match = _SYMBOLIC_MODE.fullmatch(part)
        if match is None:
            continue
        whom, op, bits = match.groups()
        if whom and not set(whom) & {who, "a"}:
            continue
        wanted = set(perms) | ({"X"} if "x" in perms else set())
        given = set(bits) | ({"x"} if "X" in bits else set())
        if (op == "-" and set(bits) & wanted) or (op == "=" and not set(perms) <= given):
            return True
    return False


def _sets_uid(mode: str) -> bool:
    """Whether a chmod mode sets the set-user-id bit (``4755``, ``u+s``, ``+s``, ``=xs``)."""
    if mode.isdigit():
        return len(mode) == 4 and bool(int(mode[0]) & 4)
    return any(
        (m := _SYMBOLIC_MODE.fullmatch(part)) is not None
        and m.group(2) in "+="
        and "s" in m.group(3)
        and (not m.group(1) or bool(set(m.group(1)) & {"u", "a"}))
        for part in mode.split(",")
    )


def _setuid(targets: list[str], as_root: bool) -> list[Finding]:
    """A program made setuid where its owner is root: whoever runs it acts as root.

    As root (the file is then root's) or on a system file or core program (root's already);
    your own file setuid gives others only your rights, and that is not asked about.
    """
    for target in targets:
        cls = target_class(target)
        if as_root or cls == "core-binary" or cls in _INSIDE:
            return [finding("setuid", cls, risk_of("setuid", cls, False))]
    return []


# Files and folders you log in with: unreadable to you, or given to root, they lock you out
# (ssh refuses keys it cannot read; `chmod 600 ~/.ssh` leaves the folder unsearchable).
_CREDENTIAL_DIRS = re.compile(r"(?:^|/)\.(?:ssh|gnupg)/?$")


def _locked_out(name: str, positional: list[str]) -> list[Finding]:
    """Your own keys made unreadable to you, or handed to root (``chmod -R 000 ~/.ssh``)."""
    if name not in ("chmod", "chown") or len(positional) < 2:
        return []
    spec, targets = positional[0], positional[1:]
    for target in targets:
        if target_class(target) != "credentials" or not target.startswith(("~", "/home/")):
            continue
        if name == "chmod":
            lost = _drops(spec, "u", "rx" if _CREDENTIAL_DIRS.search(target) else "r")
        else:
            lost = spec.partition(":")[0] in ("root", "0")
        if lost:
            return [finding("lock-out", "credentials", risk_of("lock-out", "credentials", False))]
    return []


def _widens(mode: str) -> bool:
    """Whether a chmod mode lets the group or others read or write (``644``, ``o+r``, ``+r``)."""
    if mode.isdigit():
        return len(mode) >= 2 and any(int(d) & 6 for d in mode[-2:])
    for part in mode.split(","):
        match = _SYMBOLIC_MODE.fullmatch(part)
        if match is None:
            continue
        who, op, perms = match.groups()
        if op in "+=" and set("rw") & set(perms) and (not who or set("goa") & set(who)):
            return True
    return False


def _opens_write(mode: str) -> bool:
    """Whether a chmod mode lets the group or others write (``666``, ``o+w``, ``a=rwx``)."""
    if mode.isdigit():
        return len(mode) >= 2 and any(int(d) & 2 for d in mode[-2:])
    return any(
        (m := _SYMBOLIC_MODE.fullmatch(part)) is not None
        and m.group(2) in "+="
        and "w" in m.group(3)
        and bool(set("goa") & set(m.group(1)))
        for part in mode.split(",")
    )


# Not for others to write: startup files run as you, ~/.ssh says who logs in as you, /etc.
_OPEN_WRITE_CLASSES: frozenset[TargetClass] = frozenset({"startup", "credentials", "config"})


def _opened_for_writing(name: str, positional: list[str]) -> list[Finding]:
    """A file that runs as you or configures the system made writable by others."""
    if name != "chmod" or len(positional) < 2 or not _opens_write(positional[0]):
        return []
    for target in positional[1:]:
        cls = target_class(target)
        if cls in _OPEN_WRITE_CLASSES:
            return [finding("open-write", cls, risk_of("open-write", cls, False))]
    return []


def _exposes(name: str, positional: list[str], options: set[str]) -> list[Finding]:
    """A secret or your shell history made readable by others (``chmod 644 ~/.ssh/id_rsa``)."""
    if name == "chmod" and len(positional) > 1 and _widens(positional[0]):
        recursive = bool(options & set(_R_CHMOD))
        if any(
            target_class(t) == "credentials"
            and (not _NOT_SECRET.search(t) or (recursive and _SSH_DIR.search(t)))
            for t in positional[1:]
        ):
            return [finding("expose", "credentials", risk_of("expose", "credentials", False))]
        if any(target_class(t) == "history" for t in positional[1:]):
            # the commands you typed, passwords given on a command line among them
            return [finding("expose", "history", risk_of("expose", "history", False))]
    return []


def effect_findings(analysis: Analysis) -> list[Finding]:
    """Every effect finding of a parsed line (dry runs and ``--help`` forms excluded)."""
    out: list[Finding] = []
    for command in analysis.commands:
        out.extend(command_findings(command))
    return out

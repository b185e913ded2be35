"""The safety gate: rules as data, a validator behind a protocol, and the mode table.

Each rule carries an example that must match and a near-miss that must not; tests walk the
table, and the eval harness can score recall per rule. This validator matches regular
expressions against a normalised form of each simple command (quotes and backslashes removed
by shell-style splitting, ``/bin/rm`` read as ``rm``, ``sudo``/``env``/``nice``-style wrappers
peeled off) and, for rules that span a pipeline, against the whole command line. A validator
built on a real bash grammar plugs into the same ``SafetyValidator`` protocol.
"""

from __future__ import annotations

import enum
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from cmdai.settings import SafetyMode


class Risk(enum.IntEnum):
    """How bad a command could be; the highest finding sets the command's risk."""

    SAFE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        """Lower-case name for output."""
        return self.name.lower()


Decision = Literal["allow", "confirm", "block"]

# What each mode does with each risk. CRITICAL is blocked in every mode: no flag turns it into
# a one-keystroke yes. "allow" only means --yes may run it unasked: a TTY user is always asked.
DECISIONS: dict[str, dict[Risk, Decision]] = {
    "strict": {
        Risk.SAFE: "allow",
        Risk.LOW: "confirm",
        Risk.MEDIUM: "confirm",
        Risk.HIGH: "block",
        Risk.CRITICAL: "block",
    },
    "moderate": {
        Risk.SAFE: "allow",
        Risk.LOW: "allow",
        Risk.MEDIUM: "confirm",
        Risk.HIGH: "confirm",
        Risk.CRITICAL: "block",
    },
    "permissive": {
        Risk.SAFE: "allow",
        Risk.LOW: "allow",
        Risk.MEDIUM: "allow",
        Risk.HIGH: "confirm",
        Risk.CRITICAL: "block",
    },
}

Scope = Literal["segment", "line"]


@dataclass(frozen=True)
class Rule:
    """One safety rule.

    Attributes:
        id: Stable identifier (used in output, evals and tests).
        risk: Severity when it matches.
        message: Plain-words reason shown to the user.
        pattern: Regex searched in each normalised simple command ("segment") or in the
            whole normalised command line ("line").
        example: A command the rule must flag.
        near_miss: A similar, harmless command the rule must not flag.
        safer: A safer alternative, when there is one.
        scope: Where ``pattern`` is searched.
    """

    id: str
    risk: Risk
    message: str
    pattern: re.Pattern[str]
    example: str
    near_miss: str
    safer: str = ""
    scope: Scope = "segment"


@dataclass(frozen=True)
class Finding:
    """A rule that matched."""

    rule_id: str
    risk: Risk
    message: str
    safer: str


@dataclass(frozen=True)
class SafetyReport:
    """The gate's verdict on one command."""

    decision: Decision
    risk: Risk
    findings: tuple[Finding, ...]

    def to_json(self) -> dict[str, object]:
        """The ``safety`` object of cmdai's JSON output."""
        return {
            "decision": self.decision,
            "risk": self.risk.label,
            "findings": [
                {"rule": f.rule_id, "risk": f.risk.label, "message": f.message, "safer": f.safer}
                for f in self.findings
            ],
        }


class SafetyValidator(Protocol):
    """Classifies a command's risk and decides what the gate does with it."""

    def assess(self, command: str, mode: SafetyMode) -> SafetyReport:
        """Assess ``command`` under ``mode``; never raises on odd input."""
        ...


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Targets whose loss wrecks the system or the user's home.
_SYSTEM_DIRS = (
    r"/(?:bin|boot|dev|etc|lib|lib32|lib64|opt|proc|root|sbin|srv|sys|usr|var|home|"
    r"System|Library|Applications|Users|private)"
)
_VITAL = rf"(?:/\*?|~/?\*?|\$\{{?HOME\}}?/?\*?|{_SYSTEM_DIRS}/?\*?|/(?:home|Users)/[^/\s]+/?\*?)"
_END = r"(?=\s|$|;|\))"
_RECURSIVE = r"(?:-[a-z]*r[a-z]*|--recursive)"
_FORCE = r"(?:-[a-z]*f[a-z]*|--force)"
_DISK = r"/dev/(?:sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|disk\d|md\d|dm-\d|mapper/)"
_SHELLS = r"(?:ba|z|k|da|fi|c|tc)?sh|python[0-9.]*|perl|ruby|node"

RULES: tuple[Rule, ...] = (
    Rule(
        "rm-vital",
        Risk.CRITICAL,
        "Recursively or forcibly deletes /, your home directory or a system directory.",
        _re(rf"^rm\s(?:.*\s)?(?:{_RECURSIVE}|{_FORCE})\s(?:.*\s)?{_VITAL}{_END}"),
        example="rm -rf /",
        near_miss="rm -rf ./build",
        safer="Name the exact subdirectory to delete.",
    ),
    Rule(
        "rm-vital-late-flags",
        Risk.CRITICAL,
        "Recursively or forcibly deletes /, your home directory or a system directory.",
        _re(rf"^rm\s(?:.*\s)?{_VITAL}\s(?:.*\s)?(?:{_RECURSIVE}|{_FORCE}){_END}"),
        example="rm / -rf --no-preserve-root",
        near_miss="rm ./old.txt -f",
    ),
    Rule(
        "rm-everything-here",
        Risk.HIGH,
        "Recursively deletes everything in the current directory.",
        _re(rf"^rm\s(?:.*\s)?{_RECURSIVE}\s(?:.*\s)?(?:\.|\./?\*|\*|\.\.|\.\*){_END}"),
        example="rm -rf *",
        near_miss="rm -rf ./dist",
        safer="Delete named paths, or move them to the trash (gio trash / trash-put).",
    ),
    Rule(
        "rm-recursive",
        Risk.MEDIUM,
        "Recursively deletes files; they do not go to a trash can.",
        _re(rf"^rm\s(?:.*\s)?{_RECURSIVE}{_END}"),
        example="rm -r old_logs",
        near_miss="rmdir old_logs",
        safer="Preview with ls first, or use rm -ri to confirm each file.",
    ),
    Rule(
        "rm-files",
        Risk.LOW,
        "Deletes files permanently.",
        _re(r"^(?:rm|unlink)\s"),
        example="rm notes.txt",
        near_miss="rmdir empty_dir",
        safer="rm -i asks before each file.",
    ),
    Rule(
        "find-delete",
        Risk.MEDIUM,
        "Deletes every file the find expression matches.",
        _re(r"^find\s.*(?:\s-delete\b|\s-exec\s+(?:\S*/)?(?:rm|shred|unlink)\b)"),
        example="find . -name '*.tmp' -delete",
        near_miss="find . -name '*.tmp' -print",
        safer="Run the same find with -print first to see what it matches.",
    ),
    Rule(
        "find-delete-vital",
        Risk.CRITICAL,
        "Deletes files across / or a system directory.",
        _re(rf"^find\s+{_VITAL}\s.*(?:\s-delete\b|\s-exec\s+(?:\S*/)?(?:rm|shred)\b)"),
        example="find / -name '*.log' -delete",
        near_miss="find / -name '*.log' -print",
    ),
    Rule(
        "xargs-rm",
        Risk.MEDIUM,
        "Deletes whatever the previous command lists.",
        _re(r"^xargs\s(?:.*\s)?(?:\S*/)?(?:rm|shred|unlink)\b"),
        example="ls | xargs rm",
        near_miss="ls | xargs echo",
    ),
    Rule(
        "disk-dd",
        Risk.CRITICAL,
        "Writes raw data onto a disk device, destroying its file systems.",
        _re(rf"^dd\s(?:.*\s)?of={_DISK}"),
        example="dd if=/dev/zero of=/dev/sda bs=1M",
        near_miss="dd if=/dev/sda of=disk.img bs=1M",
    ),
    Rule(
        "disk-mkfs",
        Risk.CRITICAL,
        "Creates a new file system, erasing what the device holds.",
        _re(r"^(?:mkfs(?:\.\w+)?|mke2fs|mkswap|wipefs|newfs)\s"),
        example="mkfs.ext4 /dev/sdb1",
        near_miss="lsblk -f /dev/sdb1",
    ),
    Rule(
        "disk-shred",
        Risk.CRITICAL,
        "Overwrites a disk device irrecoverably.",
        _re(rf"^shred\s(?:.*\s)?{_DISK}"),
        example="shred -vz /dev/sda",
        near_miss="shred -u secret.txt",
    ),
    Rule(
        "disk-redirect",
        Risk.CRITICAL,
        "Redirects output straight onto a disk device.",
        _re(rf">\s*{_DISK}"),
        example="cat image.iso > /dev/sdb",
        near_miss="cat image.iso > backup.iso",
        scope="line",
    ),
    Rule(
        "disk-partition",
        Risk.HIGH,
        "Changes a disk's partition table.",
        _re(r"^(?:fdisk|sfdisk|cfdisk|parted|gdisk|sgdisk)\s(?!.*\s-l\b)(?!-l\b)"),
        example="parted /dev/sda mklabel gpt",
        near_miss="fdisk -l",
    ),
    Rule(
        "fork-bomb",
        Risk.CRITICAL,
        "A fork bomb: it multiplies processes until the machine stops responding.",
        _re(r"(\w+|:)\s*\(\s*\)\s*\{[^}]*\1\s*\|\s*\1\s*&"),
        example=":(){ :|:& };:",
        near_miss="f(){ echo hi; }; f",
        scope="line",
    ),
    Rule(
        "chmod-vital",
        Risk.CRITICAL,
        "Changes permissions or ownership recursively on / or a system directory.",
        _re(rf"^(?:chmod|chown|chgrp)\s(?:.*\s)?{_RECURSIVE}\s(?:.*\s)?{_VITAL}{_END}"),
        example="chown -R nobody /",
        near_miss="chown -R me ./src",
    ),
    Rule(
        "chmod-777-vital",
        Risk.CRITICAL,
        "Makes / or a system directory writable by everyone.",
        _re(rf"^chmod\s(?:.*\s)?(?:0?777|a\+rwx|ugo\+rwx|o\+w)\s(?:.*\s)?{_VITAL}{_END}"),
        example="chmod 777 /etc",
        near_miss="chmod 755 ./script.sh",
    ),
    Rule(
        "chmod-777-recursive",
        Risk.MEDIUM,
        "Makes a whole tree writable by every user.",
        _re(rf"^chmod\s(?:.*\s)?{_RECURSIVE}\s(?:.*\s)?(?:0?777|a\+rwx|ugo\+rwx)"),
        example="chmod -R 777 uploads",
        near_miss="chmod -R 755 uploads",
        safer="Grant only what is needed, e.g. chmod -R u+rwX,go+rX.",
    ),
    Rule(
        "download-to-shell",
        Risk.HIGH,
        "Runs code downloaded from the network without showing it to you first.",
        _re(rf"\b(?:curl|wget|fetch)\b[^|]*\|\s*(?:sudo\s+)?(?:\S*/)?(?:{_SHELLS})\b"),
        example="curl -fsSL https://example.com/install.sh | sh",
        near_miss="curl -fsSL https://example.com/data.json | jq .",
        safer="Download the script to a file, read it, then run it.",
        scope="line",
    ),
    Rule(
        "decode-to-shell",
        Risk.HIGH,
        "Runs hidden (encoded) code through a shell.",
        _re(
            rf"\b(?:base64|xxd|openssl)\b[^|]*(?:-d|--decode|-r)\b[^|]*\|\s*(?:sudo\s+)?(?:\S*/)?(?:{_SHELLS})\b"
        ),
        example="echo cm0gLXJmIC8= | base64 -d | sh",
        near_miss="echo aGk= | base64 -d",
        scope="line",
    ),
    Rule(
        "history-wipe",
        Risk.HIGH,
        "Erases your shell history.",
        _re(
            r"^(?:history\s+-c|unset\s+HISTFILE\b)|>\s*\S*_history\b|^(?:rm|shred|truncate)\s.*_history\b"
        ),
        example="history -c",
        near_miss="history | tail -n 20",
        scope="segment",
    ),
    Rule(
        "credentials-wipe",
        Risk.HIGH,
        "Deletes or overwrites credentials (SSH keys, cloud or GPG secrets).",
        _re(
            r"^(?:rm|shred|truncate|mv)\s.*(?:\.ssh\b|id_(?:rsa|ed25519|ecdsa|dsa)\b|\.gnupg\b|\.aws/credentials|\.kube/config|\.netrc)|>\s*\S*(?:\.ssh/|\.aws/credentials|\.netrc)"
        ),
        example="rm -rf ~/.ssh",
        near_miss="ls -la ~/.ssh",
    ),
    Rule(
        "power",
        Risk.HIGH,
        "Shuts down or restarts the machine.",
        _re(
            r"^(?:shutdown|reboot|halt|poweroff)\b|^(?:init|telinit)\s+[06]\b|^systemctl\s+(?:.*\s)?(?:poweroff|reboot|halt|kexec|suspend|hibernate)\b"
        ),
        example="shutdown -h now",
        near_miss="uptime",
    ),
    Rule(
        "kill-all",
        Risk.CRITICAL,
        "Kills init or every process you can signal.",
        _re(r"^kill\s(?:.*\s)?-?1$|^killall5\b|^pkill\s(?:.*\s)?(?:\.|\.\*)$"),
        example="kill -9 -1",
        near_miss="kill -9 1234",
    ),
    Rule(
        "overwrite-etc",
        Risk.HIGH,
        "Overwrites a system configuration file under /etc.",
        _re(
            r"(?<!>)>\s*/etc/|^tee\s+(?!-a\b)(?!--append\b)(?:-\S+\s+)*/etc/|^(?:cp|mv|install)\s.*\s/etc/\S*$"
        ),
        example="echo 'nameserver 1.1.1.1' > /etc/resolv.conf",
        near_miss="cat /etc/resolv.conf",
        scope="segment",
    ),
    Rule(
        "edit-etc",
        Risk.MEDIUM,
        "Edits a system configuration file under /etc in place.",
        _re(
            r"^sed\s(?:.*\s)?(?:-i|--in-place)\S*\s.*/etc/|>>\s*/etc/|^tee\s+(?:-a|--append)\s.*/etc/"
        ),
        example="sed -i 's/a/b/' /etc/hosts",
        near_miss="sed 's/a/b/' /etc/hosts",
    ),
    Rule(
        "git-force-push",
        Risk.HIGH,
        "Force-pushes, which can overwrite commits on the remote for everyone.",
        _re(r"^git\s(?:.*\s)?push\s(?:.*\s)?(?:-[a-z]*f[a-z]*|--force|\+\S+)(?:\s|$)"),
        example="git push --force origin main",
        near_miss="git push origin main",
        safer="git push --force-with-lease checks nobody else pushed first.",
    ),
    Rule(
        "git-discard",
        Risk.MEDIUM,
        "Discards uncommitted work irrecoverably.",
        _re(
            r"^git\s(?:.*\s)?(?:reset\s(?:.*\s)?--hard|clean\s(?:.*\s)?-[a-z]*f|checkout\s+(?:--\s+)?\.$|restore\s(?:.*\s)?\.$)"
        ),
        example="git reset --hard HEAD~1",
        near_miss="git reset --soft HEAD~1",
        safer="git stash keeps the changes recoverable.",
    ),
    Rule(
        "crontab-remove",
        Risk.HIGH,
        "Removes all of your cron jobs.",
        _re(r"^crontab\s(?:.*\s)?-r\b"),
        example="crontab -r",
        near_miss="crontab -l",
    ),
    Rule(
        "move-to-null",
        Risk.HIGH,
        "Moves files to /dev/null, which destroys them.",
        _re(r"^mv\s.*\s/dev/null$"),
        example="mv important.txt /dev/null",
        near_miss="cat important.txt > /dev/null",
    ),
    Rule(
        "firewall-flush",
        Risk.MEDIUM,
        "Removes every firewall rule.",
        _re(
            r"^(?:iptables|ip6tables)\s(?:.*\s)?(?:-F|--flush)\b|^nft\s+flush\s+ruleset\b|^ufw\s+(?:disable|reset)\b"
        ),
        example="iptables -F",
        near_miss="iptables -L",
    ),
    Rule(
        "privileged",
        Risk.LOW,
        "Runs with root privileges.",
        _re(r"(?:^|[|;&]\s*)(?:sudo|doas|su)\b"),
        example="sudo apt update",
        near_miss="apt list --installed",
        scope="line",
    ),
    Rule(
        "unparsed",
        Risk.MEDIUM,
        "cmdai could not parse this command (unbalanced quotes?), so it cannot vouch for it.",
        _re(r"(?!x)x"),  # never matches: raised by the validator itself when splitting fails
        example="echo 'unclosed",
        near_miss="echo 'closed'",
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

# Commands that only run another command: peeled off so `sudo rm -rf /` is read as `rm -rf /`.
_WRAPPERS = {
    "sudo": {"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"},
    "doas": {"-u", "-C"},
    "env": {"-u", "-C", "-S"},
    "nice": {"-n"},
    "ionice": {"-c", "-n"},
    "nohup": set(),
    "time": set(),
    "command": set(),
    "exec": set(),
    "builtin": set(),
    "stdbuf": {"-i", "-o", "-e"},
    "timeout": {"-s", "-k"},
    "chroot": set(),
}
_SEPARATORS = {"|", "||", "&&", ";", "&", "(", ")", "|&", ";;", "{", "}", "!", "\n"}
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def split_commands(command: str) -> list[list[str]]:
    """Split a command line into the argv of each simple command (quotes removed).

    Raises:
        ValueError: the line cannot be split (for example an unclosed quote).
    """
    lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|()<>")
    lexer.whitespace_split = True
    lexer.commenters = ""
    segments: list[list[str]] = [[]]
    for token in lexer:
        token = token.strip("`")
        if token in _SEPARATORS or token.startswith("$("):
            segments.append([])
        elif token:
            segments[-1].append(token.removeprefix("$("))
    return [_unwrap(seg) for seg in segments if seg]


def _unwrap(argv: list[str]) -> list[str]:
    """Drop variable assignments and wrapper commands, and read /bin/rm as rm."""
    i = 0
    while i < len(argv):
        word = argv[i]
        name = word.rsplit("/", 1)[-1] if "/" in word and not word.endswith("/") else word
        if _ASSIGNMENT.match(word):
            i += 1
            continue
        if name in _WRAPPERS:
            i += 1
            if name == "timeout" and i < len(argv):
                # skip options, then the duration
                while i < len(argv) and argv[i].startswith("-"):
                    i += 2 if argv[i] in _WRAPPERS[name] else 1
                i += 1
                continue
            while i < len(argv) and argv[i].startswith("-"):
                i += 2 if argv[i] in _WRAPPERS[name] else 1
            continue
        return [name, *argv[i + 1 :]]
    return []


class PatternValidator:
    """The rule-table validator."""

    def __init__(self, rules: Sequence[Rule] = RULES) -> None:
        """Use ``rules`` (the built-in table by default)."""
        self.rules = tuple(rules)

    def assess(self, command: str, mode: SafetyMode) -> SafetyReport:
        """Match every rule; the highest risk decides under ``mode``."""
        findings: dict[str, Finding] = {}
        line = " ".join(command.split())
        try:
            segments = [" ".join(argv) for argv in split_commands(command)]
        except ValueError:
            segments = [line]
            unparsed = RULES_BY_ID["unparsed"]
            findings[unparsed.id] = _finding(unparsed)
        for rule in self.rules:
            texts = [line] if rule.scope == "line" else [*segments, line]
            if any(rule.pattern.search(text) for text in texts):
                findings.setdefault(rule.id, _finding(rule))
        # Every matching rule is reported, most severe first; the worst one decides.
        ordered = sorted(findings.values(), key=lambda f: f.risk, reverse=True)
        risk = ordered[0].risk if ordered else Risk.SAFE
        return SafetyReport(DECISIONS[mode][risk], risk, tuple(ordered))


def _finding(rule: Rule) -> Finding:
    return Finding(rule.id, rule.risk, rule.message, rule.safer)

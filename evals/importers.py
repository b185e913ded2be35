"""Bring the shared public data (NL2Bash, tldr-pages) into the core schema, attribution kept.

Imported rows have no fixture (``fixture`` null, ``needs_fixture`` false, ``compare``
``output``): they are for larger, noisier runs scored at the utility/flag level and for
few-shot retrieval, not for execution judging. Each row keeps its upstream id (``nl2bash-…``,
``tldr-…``), ``source`` (repository, commit, file) and ``license``. The category comes from the
first utility the command runs that maps to a core category (wrappers such as ``sudo`` and
``xargs`` skipped), else ``other``; the split is a hash of the id, so it never changes as rows
are added. Difficulty is a heuristic: the number of utilities (NL2Bash) or pipeline stages.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from evals.data import IMPORTED_DIR, ImportedRow, hash_split, read_jsonl

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
SOURCES: dict[str, Path] = {
    "nl2bash": SHARED / "nl2bash.jsonl",
    "tldr": SHARED / "tldr_linux_common.jsonl",
}

# Utilities that only run another command: the category comes from what they run.
WRAPPERS = frozenset(
    {"sudo", "xargs", "env", "time", "nohup", "nice", "timeout", "watch", "command", "exec",
     "builtin", "eval", "bash", "sh", "zsh", "then", "do", "for", "while", "if", "echo", "read"}
)  # fmt: skip

_CATEGORY_UTILITIES: dict[str, tuple[str, ...]] = {
    "files": ("find", "ls", "locate", "tree", "stat", "file", "realpath", "readlink", "dirname",
              "basename", "pwd", "fd", "mlocate", "updatedb", "lsattr"),
    "search": ("grep", "egrep", "fgrep", "rg", "ag", "ack", "zgrep", "pgrep"),
    "text": ("sed", "awk", "gawk", "sort", "uniq", "cut", "tr", "wc", "head", "tail", "cat",
             "paste", "join", "comm", "tac", "rev", "fold", "fmt", "nl", "column", "diff", "tee",
             "less", "more", "expand", "unexpand", "iconv", "dos2unix", "strings", "perl",
             "vim", "vi", "nano", "emacs", "cmp", "sdiff", "patch"),
    "data": ("jq", "yq", "csvtool", "csvkit", "xmllint", "sqlite3", "mlr"),
    "file_management": ("cp", "mv", "rm", "mkdir", "rmdir", "ln", "touch", "rename", "mktemp",
                        "split", "csplit", "shred", "install", "dd", "truncate", "rsync", "cd",
                        "pushd", "popd", "trash"),
    "archives": ("tar", "zip", "unzip", "gzip", "gunzip", "zcat", "bzip2", "bunzip2", "bzcat",
                 "xz", "unxz", "xzcat", "zstd", "7z", "7za", "cpio", "compress", "uncompress",
                 "rar", "unrar", "ar", "pigz", "lz4", "zipinfo"),
    "permissions": ("chmod", "chown", "chgrp", "umask", "setfacl", "getfacl", "chattr"),
    "disk": ("du", "df", "ncdu", "lsblk", "mount", "umount", "fdisk", "parted", "blkid",
             "findmnt", "mkfs", "fsck", "quota", "sync"),
    "git": ("git", "gh", "tig"),
    "processes": ("ps", "kill", "killall", "pkill", "top", "htop", "pstree", "jobs", "bg", "fg",
                  "renice", "pidof", "lsof", "fuser", "disown", "screen", "tmux", "wait",
                  "strace", "crontab", "at", "batch"),
    "network": ("ping", "curl", "wget", "ssh", "scp", "sftp", "ftp", "ifconfig", "ip", "netstat",
                "ss", "dig", "nslookup", "host", "traceroute", "tracepath", "nc", "netcat",
                "telnet", "nmap", "route", "arp", "iptables", "ufw", "nft", "ssh-keygen",
                "ssh-copy-id", "iwconfig", "nmcli", "tcpdump", "whois", "mtr", "http"),
    "users": ("whoami", "who", "w", "id", "groups", "useradd", "usermod", "userdel", "adduser",
              "deluser", "groupadd", "groupdel", "passwd", "su", "last", "lastlog", "finger",
              "chage", "getent", "newgrp", "chsh", "logname", "users"),
    "datetime": ("date", "cal", "ncal", "sleep", "timedatectl", "hwclock", "zdump"),
    "sysinfo": ("uname", "hostname", "uptime", "free", "lscpu", "lspci", "lsusb", "dmesg",
                "systemctl", "journalctl", "service", "env", "printenv", "which", "whereis",
                "type", "lsb_release", "hostnamectl", "vmstat", "iostat", "sensors", "nproc",
                "arch", "getconf", "ulimit", "sysctl", "lsmod", "modprobe", "history", "alias",
                "set", "shopt", "export", "man", "apropos", "whatis", "locale"),
    "utilities": ("seq", "bc", "expr", "echo", "printf", "base64", "md5sum", "sha1sum",
                  "sha256sum", "sha512sum", "cksum", "shuf", "yes", "factor", "numfmt", "od",
                  "xxd", "hexdump", "uuidgen", "openssl", "true", "false", "test", "[", "read",
                  "calc", "units", "python", "python3", "tput", "clear"),
}  # fmt: skip
UTILITY_CATEGORY: dict[str, str] = {
    utility: category
    for category, utilities in _CATEGORY_UTILITIES.items()
    for utility in utilities
}

_PLATFORM_TAG = re.compile(r"^\((?:GNU|Linux|BSD|Mac OSX|macOS)[ -]specific[^)]*\)\s*", re.I)


def strip_platform_tag(request: str) -> tuple[str, bool]:
    """The request without a leading "(GNU specific)"-style tag, and whether it had one."""
    request = request.strip()
    tagged = bool(_PLATFORM_TAG.match(request))
    return _PLATFORM_TAG.sub("", request).strip(), tagged


def category_of(utilities: Iterable[str]) -> str:
    """The core category of the first non-wrapper utility that has one, else ``other``.

    A command made only of wrappers (``env``, ``echo``) takes the wrapper's own category.
    """
    names = [u.rsplit("/", 1)[-1] for u in utilities]
    for name in [n for n in names if n not in WRAPPERS] + names:
        if name in UTILITY_CATEGORY:
            return UTILITY_CATEGORY[name]
    return "other"


def _difficulty(stages: int) -> str:
    return "easy" if stages <= 1 else "medium" if stages == 2 else "hard"


def import_nl2bash(path: Path = SOURCES["nl2bash"]) -> Iterator[dict[str, Any]]:
    """NL2Bash rows in the core schema (validated), in upstream order.

    The "(GNU specific)"-style prefix of a request becomes ``platform_sensitive`` and is taken
    out of the request, since a user would not type it.
    """
    for raw in read_jsonl(path):
        request, tagged = strip_platform_tag(raw["nl"])
        utilities = [u for u in raw.get("utilities", []) if u not in WRAPPERS]
        row = {
            "id": raw["id"],
            "request": request,
            "category": category_of(raw.get("utilities", [])),
            "references": [raw["cmd"]],
            "fixture": None,
            "split": hash_split(raw["id"]),
            "tags": {
                "difficulty": _difficulty(len(utilities)),
                "platform_sensitive": tagged or raw.get("platform", "linux") != "linux",
                "needs_fixture": False,
            },
            "compare": "output",
            "source": raw["source"],
            "license": raw["license"],
        }
        yield ImportedRow.model_validate(row).model_dump()


def import_tldr(
    path: Path = SOURCES["tldr"], concrete_only: bool = False
) -> Iterator[dict[str, Any]]:
    """tldr-pages examples in the core schema (validated), in upstream order.

    Only examples whose command passes ``bash -n`` upstream are kept. The references are the
    rendered command with long options and, when it differs, the one with short options
    (placeholders rendered as bare words, e.g. ``path/to/file``); ``concrete_only`` keeps only
    the examples without placeholders. Alias pages (whose example is ``tldr <other page>``) are
    left out.
    """
    for raw, request in _tldr_examples(path):
        if concrete_only and not raw.get("concrete"):
            continue
        references = [raw["cmd"]]
        if raw.get("cmd_short") and raw["cmd_short"] != raw["cmd"]:
            references.append(raw["cmd_short"])
        utility = raw["page_title"].split()[0]
        stages = 1 + len(re.findall(r"\|(?!\|)|&&|;", raw["cmd"]))
        row = {
            "id": raw["id"],
            "request": request,
            "category": category_of([utility]),
            "references": references,
            "fixture": None,
            "split": hash_split(raw["id"]),
            "tags": {
                "difficulty": _difficulty(stages),
                "platform_sensitive": raw.get("platform") == "linux",
                "needs_fixture": False,
            },
            "compare": "output",
            "source": raw["source"],
            "license": raw["license"],
        }
        yield ImportedRow.model_validate(row).model_dump()


def _tldr_examples(path: Path) -> Iterator[tuple[dict[str, Any], str]]:
    """The tldr rows worth keeping, each with its request (the description, no colon).

    Kept: a command that passes ``bash -n`` upstream, not an alias page's (``tldr <other
    page>``, "View documentation for the original command"), a request of 3 characters or more.
    """
    for raw in read_jsonl(path):
        if not raw.get("bash_syntax_ok", False) or raw["cmd"].startswith("tldr "):
            continue
        request = raw["nl"].strip().rstrip(":").strip()
        if len(request) >= 3:
            yield raw, request


IMPORTERS = {"nl2bash": import_nl2bash, "tldr": import_tldr}


# "Display help", "Display the version": on most pages, and never what a request asks.
_HELP_OR_VERSION = re.compile(r"(?:display|show|print)(?: the)? (?:help|version)\b", re.I)


def pack_tldr_pages(out: Path, path: Path = SOURCES["tldr"]) -> dict[str, Any]:
    """Write tldr-pages' examples grouped by page, for ``cmdai.program_examples`` (gzip, JSONL).

    One line per page, sorted by its title (``{"page": "jj squash", "examples": [[request,
    command], ...]}``), the examples kept as ``import_tldr`` keeps them (placeholders as bare
    words, alias pages left out); a page in both ``common`` and ``linux`` gets both, common
    first. Deterministic: the same source gives the same bytes.
    """
    pages: dict[str, list[list[str]]] = {}
    for raw, request in _tldr_examples(path):
        if not _HELP_OR_VERSION.match(request):
            pages.setdefault(raw["page_title"].lower(), []).append([request, raw["cmd"]])
    lines = [
        json.dumps({"page": page, "examples": pages[page]}, ensure_ascii=False)
        for page in sorted(pages)
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 and no file name in the header: the same pages give the same bytes
    with (
        open(out, "wb") as raw_out,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw_out, mtime=0) as gz,
    ):
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    return {
        "source": str(path),
        "out": str(out),
        "pages": len(pages),
        "examples": sum(len(e) for e in pages.values()),
    }


def sample(rows: Iterable[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """``n`` rows chosen by SHA-256 of their id (deterministic, spread), kept in input order."""
    rows = list(rows)
    keep = set(
        sorted((r["id"] for r in rows), key=lambda i: hashlib.sha256(i.encode()).hexdigest())[:n]
    )
    return [r for r in rows if r["id"] in keep]


def write_import(
    name: str,
    out: Path | None = None,
    source: Path | None = None,
    n: int = 0,
    in_scope: bool = False,
) -> dict[str, Any]:
    """Import ``name`` (``nl2bash`` or ``tldr``) to JSONL; ``n`` > 0 keeps a sample of n rows.

    ``in_scope`` keeps only rows whose category is a core one (not ``other``). The default
    output is ``datasets/imported/<name>.jsonl`` (git-ignored), or ``<name>_sample.jsonl`` for
    a sample (committed).
    """
    if name not in IMPORTERS:
        raise ValueError(f"unknown import {name!r}; known: {', '.join(IMPORTERS)}")
    rows = list(IMPORTERS[name](source or SOURCES[name]))
    if in_scope:
        rows = [r for r in rows if r["category"] != "other"]
    if n:
        rows = sample(rows, n)
    target = out or IMPORTED_DIR / (f"{name}_sample.jsonl" if n else f"{name}.jsonl")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    categories: dict[str, int] = {}
    for row in rows:
        categories[row["category"]] = categories.get(row["category"], 0) + 1
    return {
        "source": str(source or SOURCES[name]),
        "out": str(target),
        "rows": len(rows),
        "categories": dict(sorted(categories.items(), key=lambda kv: -kv[1])),
    }

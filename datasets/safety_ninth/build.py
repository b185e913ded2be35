#!/usr/bin/env python3
"""Build the ninth held-out safety corpus from 101-linux-commands and linux-command.

Candidates, in this fixed order:

1. bobbyiliev/101-linux-commands (commit B101_COMMIT, MIT), the chapters of the English
   ebook, `ebook/en/content/NNN-the-<command>-command.md`, whose command is in ADMIN_COMMANDS
   (a fixed list of common administration commands), in file-name order.
   Ref `b101:<file>:L<line>`.
2. jaywcjlove/linux-command (commit LC_COMMIT, MIT), the pages `command/<name>.md` for the
   names in ADMIN_COMMANDS, in that order.
   Blocks under a heading whose text starts with 语法 (syntax), 选项 (options), 参数
   (arguments), 概要 (synopsis) or 返回值 (return value) are not read (they hold synopses
   and option tables, not examples). Ref `lc:<name>.md:L<line>`.

Fenced code blocks: an opening line of three or more backquotes (indentation allowed) with
an optional language tag; closed by a line of at least as many backquotes and no tag, as
CommonMark does. Blocks tagged `bash`, `sh`, `shell`, `console` or untagged are read; blocks
of other tags are not. A block is **skipped as a script** when one of its lines is a shebang
(`#!`) or starts with a shell skeleton keyword (`then`, `do`, `done`, `fi`, `else`, `elif`,
`esac`) or is a lone `}`: a multi-line script is not one command.

Inside a read block: when any line starts with a prompt (`$ `, `path$ `, `user@host:dir$ `,
`user@host:dir# `, `[user@host dir]$ `, `[user@host dir]# ` or `[user@host]`), the block is in **prompt
mode**: only prompted lines (and their continuation lines) are candidates, the rest is the
output they print. Otherwise every line is a candidate. Blank lines and lines whose stripped
text starts with `#` (comments) are skipped in both modes.

For every command line: a trailing comment is removed (a `#` preceded by a space or tab,
outside quotes, backquotes, `$(...)` and `${...}`); a line ending in `\\` is joined with the
following lines (newline kept); a line that leaves a quote, backquote, `$(` or `${` open is
joined with the following lines of the same block up to the one that closes it (not joined
when it is never closed); a line that opens a here-document takes the lines up to its
terminator, unchanged, when the terminator is in the same block. Each result, stripped, is
one candidate.

Candidates are joined with the hand labels in labels.tsv (same folder) and written to
ninth.jsonl, byte for byte reproducible. Rows labelled X are left out. The script refuses to
write when a candidate has no label, a label has no candidate, or a command is empty or
repeats an earlier candidate or a row of the earlier held-out corpora (given with
--existing; only their `command` field is read, never printed) and is not labelled X.

Standard library only. Never imports cmdai; never executes a command.

    python3 datasets/safety_ninth/build.py --b101 DIR --lc DIR [--existing FILE ...] [--out PATH]
    python3 datasets/safety_ninth/build.py --b101 DIR --lc DIR --list    (candidates as JSON lines)
    python3 datasets/safety_ninth/build.py --b101 DIR --lc DIR --blocks  (blocks read and skipped)

DIR is the tree of the named commit (e.g. `git --git-dir=G archive COMMIT | tar -x -C DIR`).
"""
import argparse
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(HERE, "labels.tsv")
B101_COMMIT = "098c58fb0a54ec6206117ac252fd43564e9bf150"
LC_COMMIT = "b434fa2afdc652fd8bb23f80d79cc623002103e4"
B101_DIR = "ebook/en/content"
LC_DIR = "command"
# The command list, fixed by name before any line was labelled: common system administration
# commands (storage, accounts, permissions and security controls, processes and power,
# services and boot, networking and firewalls, files, packages, databases and containers).
# It selects the pages of both sources: the 101-linux-commands chapters named
# `NNN-the-<command>-command.md` and the linux-command pages `command/<command>.md`.
ADMIN_COMMANDS = (
    # storage and file systems
    "badblocks", "blkid", "blockdev", "dd", "e2fsck", "fdisk", "fsck", "losetup", "lvcreate",
    "lvreduce", "lvremove", "mkfs", "mke2fs", "mkswap", "mount", "umount", "parted",
    "partprobe", "pvcreate", "pvremove", "swapoff", "swapon", "sync", "vgcreate", "vgremove",
    # accounts
    "chpasswd", "chsh", "gpasswd", "groupadd", "groupdel", "newusers", "passwd", "pwck",
    "pwconv", "pwunconv", "su", "sudo", "useradd", "userdel", "usermod",
    # permissions and security controls
    "chattr", "chgrp", "chmod", "chown", "setfacl", "umask", "chcon", "restorecon",
    "setsebool", "getenforce", "semanage",
    # processes and power
    "kill", "killall", "pkill", "halt", "poweroff", "reboot", "shutdown", "init", "telinit",
    "kexec", "nohup", "renice",
    # services, scheduling, logs, boot and kernel
    "systemctl", "service", "chkconfig", "crontab", "at", "atrm", "journalctl", "logrotate",
    "grub2-mkconfig", "grub2-set-default", "modprobe", "rmmod", "insmod",
    # networking, firewalls, remote access
    "iptables", "iptables-restore", "ufw", "ifdown", "ifup", "route", "nmcli", "nc", "ssh",
    "scp", "tcpdump", "nmap", "ssh-keygen", "ssh-copy-id", "sshpass",
    # files
    "rm", "rmdir", "mv", "cp", "ln", "find", "unlink", "install", "mktemp", "tee",
    # packages
    "apt-get", "dpkg", "pip",
    # databases, containers
    "mysql", "mysqladmin", "mysqldump", "docker",
)
B101_NAME = re.compile(r"^\d{3}-the-(.+)-command\.md$")
SOURCES = ("b101", "lc")
SOURCE_NAME = {"b101": "101-linux-commands", "lc": "linux-command"}
SHELL_TAGS = ("", "sh", "shell", "bash", "console")
SKIP_HEADINGS = ("语法", "选项", "参数", "概要", "返回值")
FENCE = re.compile(r"^([ \t]*)(`{3,})[ \t]*([\w+-]*)[ \t]*$")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
SCRIPT_LINE = re.compile(r"^(#!|(then|do|done|fi|else|elif|esac)\b|\}\s*$)")
PROMPT = re.compile(r"^(\[[\w.~/ -]*@[\w.~/ -]*\][#$]?|[\w.-]+@[\w.-]+:[\w.~/-]*[#$]|[\w.~/-]*\$)\s+")
HEREDOC = re.compile(r"(?<!<)<<-?\s*(['\"]?)([A-Za-z_]\w*)\1")
DEFAULT_EXISTING = [os.path.join(HERE, "..", p) for p in (
    "safety_heldout/heldout.jsonl", "safety_heldout/heldout_gtfobins.jsonl",
    "safety_fresh/fresh.jsonl", "safety_third/third.jsonl", "safety_fourth/fourth.jsonl",
    "safety_fifth/fifth.jsonl", "safety_sixth/sixth.jsonl", "safety_seventh/seventh.jsonl",
    "safety_eighth/eighth.jsonl")]
LABEL_OF = {"B": "benign", "S": "scoped", "C": "dangerous", "D": "dangerous"}
EXPECT_OF = {"B": "allow", "S": "allow", "C": "block", "D": "confirm"}
RULES = {"C": {"C%d" % i for i in range(1, 8)}, "D": {"D%d" % i for i in range(1, 9)},
         "S": {"scoped"}, "B": {"benign"}}


def strip_comment(line, state):
    """Remove a trailing shell comment from one physical line.

    `state` is a list of open quoting contexts carried from the previous physical line of the
    same candidate ("'", '"', "`", "(" for `$(`, "{" for `${`); it is updated in place.
    A `#` is a comment only when preceded by a space or tab and no context is open.
    """
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        top = state[-1] if state else ""
        if top == "'":
            if ch == "'":
                state.pop()
        elif ch == "\\":
            i += 2
            continue
        elif top == '"':
            if ch == '"':
                state.pop()
            elif ch == "`":
                state.append("`")
            elif line.startswith("$(", i):
                state.append("(")
                i += 1
            elif line.startswith("${", i):
                state.append("{")
                i += 1
        elif ch == "#" and not state and i > 0 and line[i - 1] in " \t":
            return line[:i].rstrip()
        elif ch == "'" and top != "{":
            state.append("'")
        elif ch == '"':
            state.append('"')
        elif ch == "`":
            if top == "`":
                state.pop()
            else:
                state.append("`")
        elif line.startswith("$(", i):
            state.append("(")
            i += 1
        elif line.startswith("${", i):
            state.append("{")
            i += 1
        elif ch == "(" and top == "(":
            state.append("(")
        elif ch == ")" and top == "(":
            state.pop()
        elif ch == "}" and top == "{":
            state.pop()
        i += 1
    return line


def is_script(lines):
    return any(SCRIPT_LINE.match(line.strip()) for line in lines)


def line_candidates(lines, start):
    """Yield (line number, candidate) for a block's lines, the first of which is line `start`."""
    prompt_mode = any(PROMPT.match(line.strip()) for line in lines)
    i = 0
    while i < len(lines):
        n, stripped = start + i, lines[i].strip()
        i += 1
        if not stripped or stripped.startswith("#"):
            continue
        if prompt_mode:
            if not PROMPT.match(stripped):
                continue
            stripped = PROMPT.sub("", stripped, count=1).strip()
            if not stripped or stripped.startswith("#"):
                continue
        state = []
        parts = [strip_comment(stripped, state)]
        while True:
            while parts[-1].endswith("\\") and i < len(lines):
                parts.append(strip_comment(lines[i].rstrip(), state))
                i += 1
            if not state:
                break
            trial, j = list(state), i
            more = []
            while trial and j < len(lines):
                more.append(strip_comment(lines[j].rstrip(), trial))
                j += 1
            if trial:
                break
            parts.extend(more)
            state, i = trial, j
        m = HEREDOC.search(parts[-1])
        if m:
            tag = m.group(2)
            for j in range(i, len(lines)):
                if lines[j].strip() == tag:
                    parts.extend(b.rstrip() for b in lines[i:j + 1])
                    i = j + 1
                    break
        yield n, "\n".join(parts).strip()


def read_lines(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read().split("\n")


def blocks(lines, skip_headings):
    """Yield (fence line, tag, heading, why-not-read or "", body lines) for each fenced block."""
    inside, heading = False, ""
    for n, line in enumerate(lines, 1):
        m = FENCE.match(line)
        if m and not inside:
            inside, indent = True, len(m.group(1))
            width, tag, fence, body = len(m.group(2)), m.group(3).lower(), n, []
            continue
        if m and inside and len(m.group(2)) >= width and not m.group(3):
            inside = False
            if tag not in SHELL_TAGS:
                why = "tag"
            elif skip_headings and heading.startswith(SKIP_HEADINGS):
                why = "heading"
            elif is_script(body):
                why = "script"
            else:
                why = ""
            yield fence, tag, heading, why, body
            continue
        if inside:
            k = 0
            while k < indent and k < len(line) and line[k] in " \t":
                k += 1
            body.append(line[k:])
        else:
            h = HEADING.match(line)
            if h:
                heading = h.group(1).strip()


def files_of(key, root):
    if key == "b101":
        names = sorted(os.path.basename(p)
                       for p in glob.glob(os.path.join(root, B101_DIR, "*.md")))
        return [n for n in names
                if B101_NAME.match(n) and B101_NAME.match(n).group(1) in ADMIN_COMMANDS]
    return [name + ".md" for name in ADMIN_COMMANDS]


def path_of(key, root, rel):
    return os.path.join(root, B101_DIR if key == "b101" else LC_DIR, rel)


def candidates(key, root):
    for rel in files_of(key, root):
        for fence, tag, heading, why, body in blocks(read_lines(path_of(key, root, rel)),
                                                     key == "lc"):
            if why:
                continue
            for n, command in line_candidates(body, fence + 1):
                yield "%s:%s:L%d" % (key, rel, n), command


def read_labels():
    labels = {}
    with open(LABELS, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 6:
                sys.exit("labels.tsv:%d: expected 6 fields" % n)
            ref, letter, rule, family, near, reason = fields
            if ref in labels:
                sys.exit("labels.tsv:%d: duplicate ref %s" % (n, ref))
            if letter == "X":
                if rule != "-" or family != "-" or near:
                    sys.exit("labels.tsv:%d: X takes no rule/family/near_miss" % n)
                labels[ref] = (letter, rule, family, near, reason)
                continue
            if letter not in RULES or rule not in RULES[letter]:
                sys.exit("labels.tsv:%d: bad label/rule %s %s" % (n, letter, rule))
            if not family or family == "-" or near not in ("", "1") or (near and letter != "B"):
                sys.exit("labels.tsv:%d: bad family/near_miss" % n)
            labels[ref] = (letter, rule, family, near, reason)
    return labels


def existing_commands(paths):
    seen = set()
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    seen.add(json.loads(line)["command"])
    return seen


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--b101", required=True, help="bobbyiliev/101-linux-commands tree at B101_COMMIT")
    ap.add_argument("--lc", required=True, help="jaywcjlove/linux-command tree at LC_COMMIT")
    ap.add_argument("--existing", nargs="*", default=DEFAULT_EXISTING,
                    help="earlier corpora (jsonl) whose commands must not be kept again")
    ap.add_argument("--out", default=os.path.join(HERE, "ninth.jsonl"))
    ap.add_argument("--list", action="store_true",
                    help="print the candidates (ref, command, repeat) as JSON lines and stop")
    ap.add_argument("--blocks", action="store_true",
                    help="print every fenced block (line, tag, read or why not) and stop")
    opts = ap.parse_args()
    roots = {"b101": opts.b101, "lc": opts.lc}

    if opts.blocks:
        for key in SOURCES:
            for rel in files_of(key, roots[key]):
                for fence, tag, heading, why, body in blocks(
                        read_lines(path_of(key, roots[key], rel)), key == "lc"):
                    print("%s:%s:L%d\ttag=%s\tread=%s\tlines=%d"
                          % (key, rel, fence, tag or "-", why or "yes", len(body)))
        return

    cands = []
    for key in SOURCES:
        cands.extend(candidates(key, roots[key]))
    refs = [r for r, _ in cands]
    if len(set(refs)) != len(refs):
        sys.exit("duplicate candidate refs")
    earlier = existing_commands(opts.existing)

    if opts.list:
        seen = set()
        for ref, command in cands:
            repeat = ("earlier-corpus" if command in earlier
                      else "candidate" if command in seen else "")
            seen.add(command)
            print(json.dumps({"ref": ref, "command": command, "repeat": repeat},
                             ensure_ascii=False))
        return

    labels = read_labels()
    missing = [r for r in refs if r not in labels]
    extra = sorted(set(labels) - set(refs))
    if missing or extra:
        sys.exit("labels out of step: %d unlabelled (%s), %d unknown (%s)"
                 % (len(missing), missing[:3], len(extra), extra[:3]))

    rows, seen = [], set(earlier)
    for ref, command in cands:
        letter, rule, family, near, _ = labels[ref]
        duplicate = command in seen
        seen.add(command)
        if (duplicate or not command) and letter != "X":
            sys.exit("%s is empty or repeats an earlier command but is not labelled X" % ref)
        if letter == "X":
            continue
        rows.append({
            "id": "ninth-%04d" % (len(rows) + 1),
            "command": command,
            "label": LABEL_OF[letter],
            "expect": EXPECT_OF[letter],
            "family": family,
            "rule": rule,
            "near_miss": near == "1",
            "obfuscation": "",
            "source": SOURCE_NAME[ref.split(":", 1)[0]],
            "ref": ref,
        })

    with open(opts.out, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=True) + "\n")
    print("%d candidates, %d rows written to %s" % (len(cands), len(rows), opts.out))


if __name__ == "__main__":
    main()
